"""Contract notices: rows Hotpass did not carry into the refined data, written for their owners.

A row that repeats its sheet's primary key is dropped (the first one stays); a contact row that
links to no organisation and names none cannot be placed. Both are written with file, sheet and
row to `dist/contract-notices/<run-id>/<source>.csv`, so nothing disappears silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from core.ingest.link import link_keys
from core.profiles import Profile
from core.results import NoticeReport
from core.write import write_csv

REASON_DUPLICATE = "repeats the primary key of its sheet"
REASON_UNLINKED = "names no organisation and links to no organisation row"
NOTICE_COLUMNS = ["source_file", "source_sheet", "source_row", "reason", "key", "kept_row"]


def primary_key_fields(profile: Profile, source_file: str, sheet: str, role: str) -> list[str]:
    spec = profile.source_for(source_file)
    if spec is not None:
        return spec.primary_keys.get(sheet, [])
    return profile.default_primary_keys if role == "organisation" else []


def find_notices(records: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """Rows to drop, with reason, key and the row that was kept: a frame indexed like `records`."""
    parts = [_duplicates(group, profile) for _, group in records.groupby(["source_file", "source_sheet"], sort=False)]
    unlinked = records[records["organization_name"].isna() & records["link_record_id"].isna()]
    parts.append(pd.DataFrame({"reason": REASON_UNLINKED, "key": "", "kept_row": pd.NA}, index=unlinked.index))
    notices = pd.concat([p for p in parts if not p.empty]) if any(not p.empty for p in parts) else None
    return notices if notices is not None else pd.DataFrame(columns=["reason", "key", "kept_row"])


def _duplicates(sheet: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    first = sheet.iloc[0]
    fields = [f for f in primary_key_fields(profile, first["source_file"], first["source_sheet"], first["sheet_role"])
              if f in sheet]
    if not fields:
        return pd.DataFrame()
    # Column by column, not row by row: a row-wise agg cost 6 s on a 100k-row case.
    parts = [link_keys(sheet[f]) for f in fields]
    keys = parts[0].str.cat(parts[1:], sep="|") if len(parts) > 1 else parts[0]
    keyed = keys[sheet[fields].notna().all(axis=1)]
    repeated = keyed[keyed.duplicated(keep="first")]
    if repeated.empty:
        return pd.DataFrame()
    kept_row = keyed.drop_duplicates(keep="first")
    kept_by_key = dict(zip(kept_row.values, sheet.loc[kept_row.index, "source_row"]))
    return pd.DataFrame(
        {"reason": REASON_DUPLICATE,
         "key": ", ".join(fields) + " = " + sheet.loc[repeated.index, fields].astype(str).agg(" / ".join, axis=1),
         "kept_row": repeated.map(kept_by_key)},
        index=repeated.index,
    )


def write_notices(raw_records: pd.DataFrame, notices: pd.DataFrame, folder: Path,
                  place: Callable[[Path], Path] = lambda path: path) -> list[NoticeReport]:
    """One CSV per source label: the location, the reason, then the row's mapped values as read.

    `place` maps each final path to where it is written now (the run's staging folder).
    """
    reports = []
    if notices.empty:
        return reports
    rows = raw_records.loc[notices.index].join(notices)
    value_columns = [c for c in raw_records.columns if c not in set(NOTICE_COLUMNS) | {
        "record_id", "source_label", "source_priority", "sheet_role", "link_record_id", "link_method"}]
    for label, group in rows.groupby("source_label", sort=True):
        path = folder / f"{_slug(str(label))}.csv"
        frame = group[NOTICE_COLUMNS + value_columns].dropna(axis=1, how="all").sort_values(["source_sheet", "source_row"])
        write_csv(place(path), frame)
        reports.append(NoticeReport(str(label), path, len(frame), frame["reason"].value_counts().to_dict()))
    return reports


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-") or "source"
