"""Link rows of people to their organisation's row within the same workbook.

By a shared ID column first, else by organisation name. A row that links to nothing keeps its
own organisation name (entity resolution may still join it across files) or, with no name at
all, goes to a notice: never silently dropped.
"""

from __future__ import annotations

import re

import pandas as pd

from core.results import LinkReport, SheetReport

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def link_key(value: object) -> str:
    return _NON_ALNUM.sub("", str(value).lower()) if value is not None and value is not pd.NA else ""


def link_keys(values: pd.Series) -> pd.Series:
    """`link_key` of every value, worked out once per distinct value (an object Series on its index)."""
    import numpy as np

    import pyarrow as pa
    import pyarrow.compute as pc

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = uniques.tolist()
    keys = np.empty(len(distinct) + 1, dtype=object)
    keys[-1] = ""  # for missing cells
    # ASCII text (most names) in bulk: lower-casing it is the same in arrow; anything else by link_key
    plain = np.array([v.__class__ is str and v.isascii() for v in distinct], dtype=bool)
    where = np.flatnonzero(plain)
    if len(where):
        text = pa.array([distinct[i] for i in where.tolist()], pa.string())
        keys[where] = pc.replace_substring_regex(pc.ascii_lower(text), "[^0-9a-z]+", "").to_numpy(zero_copy_only=False)
    for i in np.flatnonzero(~plain).tolist():
        keys[i] = link_key(distinct[i])
    return pd.Series(keys[codes], index=values.index, dtype=object, name=values.name)


def choose_organisation_sheet(used: list[tuple[SheetReport, pd.DataFrame]], declared: str | None) -> int | None:
    """Index of the sheet other sheets link to: the profile's choice, else the largest organisation sheet."""
    if declared:
        return next((i for i, (r, _) in enumerate(used) if r.sheet == declared), None)
    if len(used) < 2:
        return None
    organisation_sheets = [(len(f), -i, i) for i, (r, f) in enumerate(used) if r.role == "organisation"]
    return max(organisation_sheets)[2] if organisation_sheets else None


def link_workbook(used: list[tuple[SheetReport, pd.DataFrame]], declared: str | None,
                  id_fields: list[str], by_name: bool, report: LinkReport,
                  link_by: dict[str, str] | None = None) -> None:
    """Set `link_record_id` and `link_method` on every frame of one workbook, in place.

    `link_by`: people sheet -> "id" or "name", the case overlay's choice of the one way that sheet links."""
    link_by = link_by or {}
    for _, frame in used:
        frame["link_record_id"] = pd.Series(pd.NA, index=frame.index, dtype=object)
        frame["link_method"] = pd.Series(pd.NA, index=frame.index, dtype=object)
    anchor_index = choose_organisation_sheet(used, declared)
    if anchor_index is None:
        return
    anchor = used[anchor_index][1]
    by_id = {f: _first_record_by(anchor, f) for f in id_fields if f in anchor}
    wants_name = by_name or "name" in link_by.values()
    by_org_name = _first_record_by(anchor, "organization_name") if wants_name and "organization_name" in anchor else {}
    for index, (sheet, frame) in enumerate(used):
        # Only sheets of people link: another organisation sheet's ID column may count in its own
        # numbering (an AMO number is not a C_ID), and entity resolution joins those rows by evidence.
        if index != anchor_index and sheet.role == "contact":
            method = link_by.get(sheet.sheet)
            _link_frame(frame, {} if method == "name" else by_id,
                        by_org_name if method == "name" or (by_name and method != "id") else {}, report)


def _first_record_by(frame: pd.DataFrame, column: str) -> dict[str, str]:
    firsts = pd.DataFrame({"key": link_keys(frame[column]), "record_id": frame["record_id"]})
    firsts = firsts[firsts["key"] != ""].drop_duplicates("key")
    return dict(zip(firsts["key"].tolist(), firsts["record_id"].tolist()))


def _link_frame(frame: pd.DataFrame, by_id: dict[str, dict[str, str]], by_name: dict[str, str],
                report: LinkReport) -> None:
    target = pd.Series(pd.NA, index=frame.index, dtype=object)
    method = pd.Series(pd.NA, index=frame.index, dtype=object)
    for column, lookup in by_id.items():
        if column in frame:
            found = link_keys(frame[column]).map(lookup)
            fill = target.isna() & found.notna()
            target[fill], method[fill] = found[fill], "id"
    if by_name and "organization_name" in frame:
        found = link_keys(frame["organization_name"]).map(by_name)
        fill = target.isna() & found.notna()
        target[fill], method[fill] = found[fill], "name"
    has_name = frame["organization_name"].notna() if "organization_name" in frame else False
    frame["link_record_id"], frame["link_method"] = target, method
    report.by_id += int((method == "id").sum())
    report.by_name += int((method == "name").sum())
    report.own_name += int((target.isna() & has_name).sum())
    report.unlinked += int((target.isna() & ~has_name).sum())
