"""Local lookup tables and registry snapshots a profile names: read as refine reads a case (header
found, columns mapped, values normalised), then matched to Data by registration number, then by the
name key refine's resolver uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.enrich.proposals import Proposal

if TYPE_CHECKING:
    import pandas as pd

    from core.enrich.settings import LookupTable
    from core.profiles import Profile

# Normalised lookup field -> the Data column it can fill (phones and emails: the first one).
FIELD_TO_COLUMN = {
    "province": "province", "area": "area", "address": "address_primary", "website": "website",
    "phones": "contact_primary_phone", "emails": "contact_primary_email", "contact_name": "contact_primary_name",
    "contact_role": "contact_primary_role", "category": "organization_category",
    "organization_type": "organization_type", "status": "status", "description": "description",
    "planes": "planes",
}
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet")


@dataclass
class LookupReport:
    label: str
    path: Path
    status: str  # used | missing | unusable
    rows: int = 0
    matched: int = 0  # Data rows matched by registration number or name
    note: str = ""


def resolve_path(table: "LookupTable", root: Path) -> Path:
    return table.path if table.path.is_absolute() else root / table.path


def read_table(path: Path, profile: "Profile") -> tuple["pd.DataFrame | None", str]:
    """The table's records, normalised; or None and why it cannot be used."""
    import pandas as pd

    from core.errors import HotpassError
    from core.ingest.mapping import ColumnMapper
    from core.ingest.read import RawSheet, read_file
    from core.ingest.sheets import build_sheet, source_info
    from core.normalize.records import normalise_records

    if path.suffix.lower() not in TABLE_SUFFIXES:
        return None, f"not a CSV, XLSX or Parquet file ({path.suffix or 'no extension'})"
    try:
        if path.suffix.lower() == ".parquet":
            frame = pd.read_parquet(path)
            rows = [list(frame.columns)] + frame.astype(object).where(frame.notna(), None).values.tolist()
            raws = [RawSheet("", [[None if v is None else str(v) for v in r] for r in rows], list(range(1, len(rows) + 1)))]
        else:
            raws = read_file(path)
    except HotpassError as exc:
        return None, exc.message
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors for a broken file are many
        return None, f"not readable ({type(exc).__name__})"
    mapper, source = ColumnMapper(profile), source_info(profile, path.name)
    frames, reasons = [], []
    for raw in raws:
        report, frame = build_sheet(path.name, raw, profile, mapper, source)
        if frame is not None:
            frames.append(frame)
        elif report.reason:
            reasons.append(f"{raw.name or path.name}: {report.reason}")
    if not frames:
        return None, "no usable key column (organisation name or registration number): " + "; ".join(reasons)
    records, _invalid = normalise_records(pd.concat(frames, ignore_index=True), profile)
    return records, ""


def registration_key(series: "pd.Series") -> "pd.Series":
    """Registration numbers compared without case, spaces or punctuation ('2001/123456/07' = '200112345607')."""
    return series.astype(str).str.upper().str.replace(r"[^0-9A-Z]", "", regex=True)


def name_keys(names: "pd.Series", profile: "Profile") -> "pd.Series":
    """Refine's name key (core.resolve.keys): the trading name's key, the one resolution compares first."""
    keyer = _keyer(profile)
    return names.dropna().astype(str).map(lambda raw: (keyer.keys(raw) or (None,))[0]).dropna().map(lambda k: k.key)


_KEYERS: dict[str, object] = {}


def _keyer(profile: "Profile"):
    """One keyer per profile's resolution settings: building one compiles its patterns (~0.1 s)."""
    from core.resolve.keys import NameKeyer

    settings = profile.resolution
    key = settings.model_dump_json()
    if key not in _KEYERS:
        _KEYERS[key] = NameKeyer(settings)
    return _KEYERS[key]


def lookup_proposals(data: "pd.DataFrame", records: "pd.DataFrame", table: "LookupTable", profile: "Profile",
                     data_name_keys: "pd.Series", report: LookupReport) -> list[Proposal]:
    """Data row -> lookup row by registration number, then (rows still unmatched) by name key."""
    import pandas as pd

    matched = pd.Series(dtype="Int64")
    strategy_of = pd.Series(dtype=object)
    reg_column = profile.enrichment.registration_column
    if reg_column in data and "organization_id" in records:
        table_keys = registration_key(records["organization_id"].dropna())
        table_keys = table_keys[table_keys != ""]
        by_reg = pd.Series(table_keys.index, index=table_keys.to_numpy())
        by_reg = by_reg[~by_reg.index.duplicated(keep=False)]  # a number on two rows decides nothing
        data_keys = registration_key(data[reg_column].dropna())
        hits = data_keys.map(by_reg).dropna().astype(int)
        matched, strategy_of = hits, pd.Series("lookup-by-registration", index=hits.index)
    if "organization_name" in records:
        table_keys = name_keys(records["organization_name"], profile)
        by_name = pd.Series(table_keys.index, index=table_keys.to_numpy())
        by_name = by_name[~by_name.index.duplicated(keep="first")]
        rest = data_name_keys[~data_name_keys.index.isin(matched.index)]
        hits = rest.map(by_name).dropna().astype(int)
        matched = pd.concat([matched, hits])
        strategy_of = pd.concat([strategy_of, pd.Series("lookup-by-name", index=hits.index)])
    report.matched = int(len(matched))
    allowed = set(table.fields) if table.fields else None
    out = []
    for strategy in ("lookup-by-registration", "lookup-by-name"):
        rows = matched[strategy_of == strategy]
        if rows.empty:
            continue
        confidence = profile.enrichment.confidence.get(strategy, table.confidence if strategy.endswith("registration")
                                                        else round(table.confidence - 0.05, 2))
        for field, column in FIELD_TO_COLUMN.items():
            if field not in records or column not in data or (allowed is not None and column not in allowed):
                continue
            taken = records[field].reindex(rows.to_numpy())
            taken.index = rows.index
            if field in ("phones", "emails"):
                taken = taken.map(lambda v: v[0] if isinstance(v, (tuple, list)) and v else None)
            out.append(Proposal(column, strategy, f"lookup: {table.label}", confidence, taken.dropna()))
    return out
