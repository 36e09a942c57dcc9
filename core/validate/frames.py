"""The frames the suites run on: one per used source sheet, and the refined Data.

A sheet's frame holds each mapped field as the run checked it: the normalised value where the value
normalised (an E.164 phone, a lower-case email, a canonical province), else the text as it stood
in the workbook. So "emails in shape" counts exactly the values normalisation could not read,
and a failing value shown to the operator is the one they will find in their workbook. The index
is the row number as Excel shows it.
"""

from __future__ import annotations

import pandas as pd

from core.validate.suites import SuitePlan

# Normalised columns that replace a raw field when the raw value normalised.
NORMALISED = {"contact_email": "emails", "contact_phone": "phones", "website": "website", "province": "province"}


def _as_text(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, tuple):
        return "; ".join(value) if value else None
    return value if isinstance(value, str) else str(value)


def _texts(column: pd.Series) -> pd.Series:
    """column.map(_as_text), without a Python call per value where the column is all text (the
    common case, checked in C by infer_dtype) or all tuples of text (phones, emails)."""
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("string", "empty"):
        return column.astype(object).where(column.notna(), None)
    values = column.to_numpy(dtype=object)
    if kind == "mixed" and all(type(v) is tuple for v in values[column.notna().to_numpy()].tolist()):
        joined = [("; ".join(v) if v else None) if type(v) is tuple else None for v in values.tolist()]
        return pd.Series(joined, index=column.index, dtype=object)
    return column.map(_as_text)


def sheet_frames(raw: pd.DataFrame, records: pd.DataFrame, plans: list[SuitePlan],
                 placeholders: list[str]) -> dict[str, pd.DataFrame]:
    """raw (as read) and records (normalised) share their index, before any row is dropped.

    Placeholders (`-`, `n/a`) count as empty, as they do for normalisation.
    """
    from core.normalize import clean_text

    by_place = {key: group.index for key, group in raw.groupby(["source_file", "source_sheet"], sort=False)}
    frames = {}
    for plan in plans:
        index = by_place.get((plan.file, plan.sheet))
        if index is None:
            continue
        columns = {}
        # Columns no expectation reads values of are there for the "mapped columns present" check only.
        read = {e["kwargs"].get("column") for e in plan.expectations}
        for name in plan.columns:
            if name not in read:
                columns[name] = pd.Series(None, index=index, dtype=object)
                continue
            if name in raw:
                original = clean_text(_texts(raw.loc[index, name]), placeholders).astype(object)
                original = original.where(original.notna(), None)
            else:
                original = pd.Series(None, index=index, dtype=object)
            normalised = NORMALISED.get(name)
            if normalised and normalised in records:
                checked = _texts(records.loc[index, normalised])
                columns[name] = checked.where(checked.notna(), original).astype(object)
            else:
                columns[name] = original.astype(object)
        frame = pd.DataFrame(columns, index=index)
        frame.index = raw.loc[index, "source_row"].astype(int).to_numpy()
        frames[plan.name] = frame
    return frames


def refined_frame(data: pd.DataFrame, plan: SuitePlan) -> pd.DataFrame:
    """The Data columns the refined suite reads; the index is the Data sheet's row as Excel shows it."""
    frame = pd.DataFrame({name: _texts(data[name]) if name != "data_quality_score" else data[name]
                          for name in plan.columns if name in data}, index=data.index)
    frame.index = range(2, len(frame) + 2)
    return frame
