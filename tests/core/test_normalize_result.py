"""The shared loop: one call per distinct value, results spread back over every row."""

from __future__ import annotations

import pandas as pd

from core.normalize import InvalidValue
from core.normalize.result import map_unique


def test_each_distinct_value_is_normalised_once() -> None:
    calls: list[str] = []

    def upper(text: str) -> tuple[str, list[tuple[str, str]]]:
        calls.append(text)
        return text.upper(), []

    series = pd.Series(["a", "b", "a", None, "a", "b"] * 1000)
    result = map_unique(series, upper, "")
    assert sorted(calls) == ["a", "b"]
    assert result.values.tolist()[:6] == ["A", "B", "A", "", "A", "B"]
    assert len(result.values) == 6000


def test_reports_name_every_row_in_order() -> None:
    def reject_x(text: str) -> tuple[object, list[tuple[str, str]]]:
        return (None, [(text, "bad")]) if text == "x" else (text, [])

    series = pd.Series(["x", "ok", "x"], index=["r3", "r1", "r2"])
    assert map_unique(series, reject_x, None).invalid == [
        InvalidValue("r3", "x", "bad"),
        InvalidValue("r2", "x", "bad"),
    ]


def test_blank_cells_skip_the_normaliser() -> None:
    def boom(text: str) -> tuple[object, list[tuple[str, str]]]:
        raise AssertionError(f"called for {text!r}")

    series = pd.Series([None, "", "  ", "- -", "..."], dtype=object)
    assert map_unique(series, boom, "empty").values.tolist() == ["empty"] * 5
