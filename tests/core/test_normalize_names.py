"""Names and free text: whitespace collapsed, placeholders treated as empty."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.normalize import PLACEHOLDERS_DEFAULT, clean_text, join_person_name


def clean(*cells: object, placeholders=PLACEHOLDERS_DEFAULT) -> list[object]:
    result = clean_text(pd.Series(cells, dtype=object), placeholders).tolist()
    return [None if v is pd.NA else v for v in result]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("  Acme Aviation  ", "Acme Aviation"),
        ("Acme\xa0\xa0Aviation", "Acme Aviation"),  # non-breaking spaces from a web page
        ("Acme\tAviation\n(Pty) Ltd", "Acme Aviation (Pty) Ltd"),
        ("Acme\u2003Aviation", "Acme Aviation"),  # em space
        ("Ac\u200bme", "Acme"),  # zero-width space is dropped, not turned into a space
        ("O'Brien-Smith", "O'Brien-Smith"),
    ],
)
def test_whitespace_is_collapsed_and_text_kept(cell: str, expected: str) -> None:
    assert clean(cell) == [expected]


@pytest.mark.parametrize(
    "cell",
    ["-", "- -", "--", "n/a", "N/A", " n/a ", "TBD", "none", "NULL", "#N/A", "?", ".", "...", "–", "—"],
)
def test_placeholders_and_punctuation_become_na(cell: str) -> None:
    assert clean(cell) == [None]


def test_zero_is_a_value_not_a_placeholder() -> None:
    assert clean("0") == ["0"]


def test_placeholders_come_from_the_caller() -> None:
    assert clean("Unknown", "Pending", placeholders=["pending"]) == ["Unknown", None]


def test_missing_cells_stay_na_and_index_is_kept() -> None:
    series = pd.Series([None, "Jan"], index=["x", "y"], dtype=object)
    result = clean_text(series, PLACEHOLDERS_DEFAULT)
    assert result.index.tolist() == ["x", "y"]
    assert result.iloc[0] is pd.NA and result.iloc[1] == "Jan"


def test_join_person_name() -> None:
    first = pd.Series(["Jan", None, None, " Thandi ", "-"])
    last = pd.Series([None, "Mokoena", None, "van  der Merwe", "Naidoo"])
    joined = join_person_name(first, last).tolist()
    assert joined == ["Jan", "Mokoena", pd.NA, "Thandi van der Merwe", "Naidoo"]


@given(st.lists(st.one_of(st.none(), st.text(max_size=20)), max_size=5))
def test_cleaning_twice_equals_cleaning_once(cells: list[str | None]) -> None:
    once = clean_text(pd.Series(cells, dtype=object), PLACEHOLDERS_DEFAULT)
    twice = clean_text(once, PLACEHOLDERS_DEFAULT)
    pd.testing.assert_series_equal(once, twice)


def test_the_spaces_collapsed_are_what_python_calls_whitespace() -> None:
    import re

    from core.normalize.names import SPACE_CHARACTERS

    assert set(SPACE_CHARACTERS) == {chr(i) for i in range(0x110000) if re.match(r"\s", chr(i))}


def _reference_clean(cell: object) -> object:
    """The rule in plain Python, one cell at a time: what the bulk version must give."""
    import re

    if cell is None:
        return pd.NA
    text = re.sub(r"\s+", " ", re.sub("[\u200b\u200c\u200d\u2060\ufeff]", "", str(cell))).strip()
    known = {" ".join(p.split()).casefold() for p in PLACEHOLDERS_DEFAULT}
    return pd.NA if text.casefold() in known or re.fullmatch(r"[\W_]*", text) else text


@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
                          st.sampled_from([" N/A ", "\u200bJan\u00a0 van\u2003Wyk\u2028", "- -", "x\x1cy", "\ufeffTBD"])),
                max_size=8))
def test_bulk_cleaning_matches_the_rule_cell_by_cell(cells: list[object]) -> None:
    result = clean_text(pd.Series(cells, dtype=object), PLACEHOLDERS_DEFAULT).tolist()
    assert result == [_reference_clean(c) for c in cells]
