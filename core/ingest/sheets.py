"""Turn one raw sheet into a frame of records: header found, columns mapped, blank rows dropped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from core.ingest.mapping import MULTI_COLUMN_KINDS, ColumnMapper, SheetMapping, find_header
from core.ingest.read import RawSheet
from core.profiles import Profile, SourceSpec
from core.results import SheetReport

PERSON_NAME_FIELDS = {"contact_first_name", "contact_last_name"}
LINK_FIELDS = {"organization_id"}
META_COLUMNS = ["record_id", "source_file", "source_sheet", "source_row", "source_label", "source_priority", "sheet_role"]


@dataclass
class SourceInfo:
    label: str
    priority: int
    spec: SourceSpec | None


def source_info(profile: Profile, file_name: str) -> SourceInfo:
    spec = profile.source_for(file_name)
    if spec is None:
        stem = file_name.rsplit(".", 1)[0]
        return SourceInfo(stem, profile.default_source_priority, None)
    return SourceInfo(spec.label, spec.priority, spec)


def build_sheet(file_name: str, raw: RawSheet, profile: Profile, mapper: ColumnMapper,
                source: SourceInfo) -> tuple[SheetReport, pd.DataFrame | None]:
    report = SheetReport(file=file_name, sheet=raw.name, status="skipped")
    spec = source.spec
    if spec and raw.name in spec.skip_sheets:
        report.reason = f"skipped by the profile: {spec.skip_sheets[raw.name]}"
        return report, None
    if not any(any(c is not None for c in row) for row in raw.rows):
        report.reason = "empty sheet"
        return report, None
    ignored = spec.ignore_columns.get(raw.name, []) if spec else []
    assigned = spec.columns.get(raw.name) if spec else None
    settings = profile.ingest
    if spec and raw.name in spec.header_rows:  # the case overlay names the header row: no search
        header_index = _header_index(file_name, raw, spec)
        mapping = mapper.map_headers([c if isinstance(c, str) else None for c in raw.rows[header_index]], ignored, assigned)
    else:
        header_index, mapping = find_header(raw.rows, mapper, settings.header_scan_rows, settings.min_header_fields,
                                            ignored, assigned)
    if header_index is None:
        report.reason = (f"no header row in the top {settings.header_scan_rows} rows maps "
                         f"{settings.min_header_fields} fields (a lookup list, notes or a pivot?)")
        report.unmapped = mapping.unmapped
        return report, None
    report.header_row = raw.row_numbers[header_index]
    report.mapping = mapping.by_header()
    report.unmapped = mapping.unmapped
    if not mapping.fields & {"organization_name", "organization_id"}:
        report.reason = "no organisation name or ID column"
        return report, None
    frame = _frame(raw, header_index, mapping, profile)
    report.blank_rows = int(len(raw.rows) - header_index - 1 - len(frame))
    report.data_rows = len(frame)
    if frame.empty:
        report.reason = "header found but no data rows below it"
        return report, None
    report.status = "used"
    report.role = "contact" if mapping.fields & PERSON_NAME_FIELDS else "organisation"
    _add_meta(frame, file_name, raw.name, source, report.role)
    return report, frame


def _header_index(file_name: str, raw: RawSheet, spec: SourceSpec) -> int:
    from core.case_overlay import OVERLAY_NAME, header_row_error

    row = spec.header_rows[raw.name]
    try:
        return raw.row_numbers.index(row)
    except ValueError:
        last = raw.row_numbers[-1] if raw.row_numbers else 0
        raise header_row_error(OVERLAY_NAME, f"header_rows.{raw.name}", file_name, raw.name, row, last) from None


def _frame(raw: RawSheet, header_index: int, mapping: SheetMapping, profile: Profile) -> pd.DataFrame:
    body = raw.rows[header_index + 1:]
    numbers = raw.row_numbers[header_index + 1:]
    # Column by column from one transpose (C speed), not a call per cell: 1M rows cost ~30 s that way.
    width = max((i for i in mapping.columns), default=-1) + 1
    transposed = list(zip(*(row if len(row) >= width else [*row, *[None] * (width - len(row))] for row in body)))
    transposed = transposed or [()] * width
    columns: dict[str, list] = {}
    for name in dict.fromkeys(mapping.columns.values()):
        indexes = [i for i, f in mapping.columns.items() if f == name]
        kind = profile.fields[name].kind
        if len(indexes) == 1:
            columns[name] = _single(transposed[indexes[0]], kind)
        else:
            columns[name] = [_combine(list(values), kind) for values in zip(*(transposed[i] for i in indexes))]
    frame = pd.DataFrame(columns, dtype=object, index=pd.RangeIndex(len(body)))
    frame["source_row"] = numbers
    content = [c for c in columns if c not in LINK_FIELDS]
    has_content = frame[content].notna().any(axis=1) if content else pd.Series(False, index=frame.index)
    return frame[has_content].reset_index(drop=True)


def _single(values, kind: str) -> list:
    """`_combine` of one value per cell, with the common cells (text, nothing) handled inline."""
    return [(value if value.strip() else None) if value.__class__ is str else
            None if value is None else _combine([value], kind) for value in values]


def _combine(values: list, kind: str) -> object:
    present = [v for v in values if v is not None and (not isinstance(v, str) or v.strip())]
    if not present:
        return None
    if kind == "date":
        return present[0]
    texts = [v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else str(v) for v in present]
    return "; ".join(texts) if kind in MULTI_COLUMN_KINDS else texts[0]


def _add_meta(frame: pd.DataFrame, file_name: str, sheet: str, source: SourceInfo, role: str) -> None:
    place = f"{file_name}#{sheet}" if sheet else file_name
    frame["record_id"] = [f"{place}!{row}" for row in frame["source_row"]]
    frame["source_file"] = file_name
    frame["source_sheet"] = sheet
    frame["source_label"] = source.label
    frame["source_priority"] = source.priority
    frame["sheet_role"] = role
