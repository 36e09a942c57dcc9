"""Phones: every way a South African number gets written reaches one E.164 string."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.normalize import normalize_phones

MOBILE = "+27825550100"


def phones(*cells: object) -> list[tuple[str, ...]]:
    return normalize_phones(pd.Series(cells, dtype=object)).values.tolist()


@pytest.mark.parametrize(
    "cell",
    [
        "+27 82 555 0100",
        "082 555 0100",
        "082-555-0100",
        "(082) 555 0100",
        "27825550100",  # country code without "+", as a numeric cell holds it
        "825550100",  # leading 0 lost when the cell was a number
        "0027 82 555 0100",  # international prefix instead of "+"
        "082\xa0555\xa00100",  # non-breaking spaces from a web page
        "082 555 0100 (office)",
        "Cell: 082 555 0100",
        "082 555 0100 ext 12",
        "082 555 0100 x12",
    ],
)
def test_spellings_of_one_number_reach_one_e164(cell: str) -> None:
    assert phones(cell) == [(MOBILE,)]


def test_landline_with_area_code_in_brackets() -> None:
    assert phones("(011) 555-0123") == [("+27115550123",)]


@pytest.mark.parametrize(
    "cell",
    [
        "082 555 0100 / 011 555 0123",
        "082 555 0100; 011 555 0123",
        "082 555 0100, 011 555 0123",
        "082 555 0100 | 011 555 0123",
        "082 555 0100\n011 555 0123",
        "082 555 0100 or 011 555 0123",
        "082 555 0100 and 011 555 0123",
        "082 555 0100   011 555 0123",  # a wide gap between two whole numbers
    ],
)
def test_several_numbers_in_one_cell_are_split_in_order(cell: str) -> None:
    assert phones(cell) == [(MOBILE, "+27115550123")]


def test_wide_gap_inside_one_number_is_not_a_split() -> None:
    assert phones("082  555 0100") == [(MOBILE,)]


def test_duplicates_within_a_cell_are_kept_once() -> None:
    assert phones("082 555 0100 / +27 82 555 0100 / 011 555 0123") == [
        (MOBILE, "+27115550123")
    ]


def test_foreign_number_with_plus_keeps_its_own_country() -> None:
    assert phones("+44 20 7946 0958") == [("+442079460958",)]


def test_empty_cells_give_empty_tuples_and_no_reports() -> None:
    result = normalize_phones(pd.Series([None, pd.NA, "", "  ", "-"], dtype=object))
    assert result.values.tolist() == [()] * 5
    assert result.invalid == []


def test_invalid_pieces_are_reported_and_valid_ones_kept() -> None:
    series = pd.Series(["082 555 0100 / 12345", "tbc", "0"], index=["a", "b", "c"])
    result = normalize_phones(series)
    assert result.values.tolist() == [(MOBILE,), (), ()]
    assert [(i.index, i.raw) for i in result.invalid] == [("a", "12345"), ("b", "tbc"), ("c", "0")]
    assert all(i.reason == "not a valid ZA phone number" for i in result.invalid)


def test_every_row_with_a_bad_value_is_reported_not_only_the_first() -> None:
    result = normalize_phones(pd.Series(["12345", "082 555 0100", "12345"], index=[10, 20, 30]))
    assert [i.index for i in result.invalid] == [10, 30]


def test_region_comes_from_the_caller() -> None:
    result = normalize_phones(pd.Series(["020 7946 0958"]), region="GB")
    assert result.values.tolist() == [("+442079460958",)]


def test_index_and_name_are_kept() -> None:
    series = pd.Series(["082 555 0100"], index=[7], name="phone")
    values = normalize_phones(series).values
    assert values.index.tolist() == [7] and values.name == "phone"


def test_pandas_string_dtype_input() -> None:
    series = pd.Series(["082 555 0100", None], dtype="string")
    assert normalize_phones(series).values.tolist() == [(MOBILE,), ()]


# Mobile prefixes in use in South Africa; seven more digits make a valid number.
_mobile = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(["60", "61", "71", "72", "73", "74", "76", "79", "81", "82", "83", "84"]),
    st.text("0123456789", min_size=7, max_size=7),
)
_spellings = [
    lambda n: "+27" + n,
    lambda n: "0" + n,
    lambda n: f"0{n[:2]} {n[2:5]} {n[5:]}",
    lambda n: "27" + n,
    lambda n: n,
    lambda n: "0027" + n,
]


@given(_mobile, st.sampled_from(_spellings))
def test_any_spelling_of_a_mobile_gives_its_e164(national: str, spell) -> None:
    assert phones(spell(national)) == [("+27" + national,)]


@given(st.text(max_size=40))
def test_every_output_re_normalises_to_itself(cell: str) -> None:
    for number in phones(cell)[0]:
        assert phones(number) == [(number,)]
