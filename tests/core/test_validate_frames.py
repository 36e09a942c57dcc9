"""The values the source suites check are the ones the operator will find in the workbook: text as
typed, numbers and dates as text, a normalised phone or email where it normalised, and nothing for a
gap or a placeholder, whether a column is all text (read in bulk) or not."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.validate.frames import refined_frame, sheet_frames
from core.validate.suites import SuitePlan


def _plan(columns: list[str]) -> SuitePlan:
    return SuitePlan("orgs", "source", "a.xlsx", "Orgs", columns,
                     [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": c}} for c in columns])


def test_sheet_frame_shows_what_was_checked_as_text() -> None:
    raw = pd.DataFrame({
        "source_file": ["a.xlsx"] * 4, "source_sheet": ["Orgs"] * 4, "source_row": [2, 3, 4, 5],
        "organization_name": ["Acme Flight", None, "n/a", "Bolt Air"],
        "contact_phone": [825550100, "021 555 0101", None, "not a phone"],  # a cell Excel kept as a number
        "last_interaction_date": [dt.datetime(2024, 3, 1), None, "yesterday", dt.datetime(2025, 1, 2)],
    })
    records = pd.DataFrame({"phones": [("+27825550100",), ("+27215550101",), (), ()]}, index=raw.index)
    frame = sheet_frames(raw, records, [_plan(["organization_name", "contact_phone", "last_interaction_date"])],
                         ["n/a"])["orgs"]
    assert frame.index.tolist() == [2, 3, 4, 5]  # rows as Excel numbers them
    assert frame["organization_name"].tolist() == ["Acme Flight", None, None, "Bolt Air"]
    assert frame["contact_phone"].tolist() == ["+27825550100", "+27215550101", None, "not a phone"]
    assert frame["last_interaction_date"].tolist() == ["2024-03-01 00:00:00", None, "yesterday", "2025-01-02 00:00:00"]


def test_refined_frame_joins_several_values_and_keeps_gaps_empty() -> None:
    data = pd.DataFrame({"organization_name": ["Acme Flight", "Bolt Air"],
                         "phones": [("+27825550100", "+27215550101"), ()],
                         "website": [None, "https://bolt.co.za"]})
    plan = SuitePlan("data", "refined", columns=["organization_name", "phones", "website"])
    frame = refined_frame(data, plan)
    assert frame.index.tolist() == [2, 3]
    assert frame["phones"].tolist() == ["+27825550100; +27215550101", None]
    assert frame["website"].tolist() == [None, "https://bolt.co.za"]
