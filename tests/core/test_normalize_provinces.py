"""Provinces: abbreviations and spellings reach the canonical name; unknown values reported."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.normalize import SOUTH_AFRICA_ALIASES, SOUTH_AFRICA_PROVINCES, normalize_provinces


def provinces(*cells: object) -> list[object]:
    series = pd.Series(cells, dtype=object)
    return normalize_provinces(series, SOUTH_AFRICA_PROVINCES, SOUTH_AFRICA_ALIASES).values.tolist()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("KZN", "KwaZulu-Natal"),
        ("kzn", "KwaZulu-Natal"),
        ("kwazulu natal", "KwaZulu-Natal"),
        ("Kwa-Zulu Natal", "KwaZulu-Natal"),
        ("KWAZULU-NATAL", "KwaZulu-Natal"),
        ("GP", "Gauteng"),
        ("Gauteng Province", "Gauteng"),
        ("NORTH WEST", "North West"),
        ("North-West", "North West"),
        ("Northwest", "North West"),
        ("W. Cape", "Western Cape"),
        ("E.C.", "Eastern Cape"),
        ("Limpopo province", "Limpopo"),
        ("Northern Province", "Limpopo"),
        (" free  state ", "Free State"),
        ("Mpumalanga\xa0", "Mpumalanga"),
    ],
)
def test_spellings_reach_the_canonical_name(cell: str, expected: str) -> None:
    assert provinces(cell) == [expected]


def test_aliases_come_from_the_caller() -> None:
    result = normalize_provinces(
        pd.Series(["Lanark", "ON"]), ["Ontario", "Quebec"], {"ON": "Ontario", "QC": "Quebec"}
    )
    assert result.values.tolist()[1] == "Ontario"
    assert [i.raw for i in result.invalid] == ["Lanark"]


def test_unknown_values_become_na_and_are_reported() -> None:
    series = pd.Series(["Transvaal", "Gauteng", "Cape Town"], index=["a", "b", "c"])
    result = normalize_provinces(series, SOUTH_AFRICA_PROVINCES, SOUTH_AFRICA_ALIASES)
    assert result.values.isna().tolist() == [True, False, True]
    assert [(i.index, i.raw, i.reason) for i in result.invalid] == [
        ("a", "Transvaal", "not a known province"),
        ("c", "Cape Town", "not a known province"),
    ]


def test_empty_cells_are_na_and_not_reported() -> None:
    series = pd.Series([None, pd.NA, "", "-"], dtype=object)
    result = normalize_provinces(series, SOUTH_AFRICA_PROVINCES, SOUTH_AFRICA_ALIASES)
    assert result.values.isna().all() and result.invalid == []


def test_alias_to_an_unknown_province_is_a_profile_error() -> None:
    with pytest.raises(ValueError, match="Atlantis"):
        normalize_provinces(pd.Series(["AT"]), SOUTH_AFRICA_PROVINCES, {"AT": "Atlantis"})


def test_alias_that_means_two_provinces_is_a_profile_error() -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        normalize_provinces(pd.Series(["x"]), ["Alpha", "Beta"], {"A": "Alpha", "a.": "Beta"})


def test_defaults_cover_every_province() -> None:
    assert len(SOUTH_AFRICA_PROVINCES) == 9
    assert set(SOUTH_AFRICA_ALIASES.values()) == set(SOUTH_AFRICA_PROVINCES)


def _noisy(text: str, data: st.DataObject) -> str:
    """The same name as people type it: random case, hyphens and spaces swapped."""
    cased = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in text)
    return cased.replace("-", data.draw(st.sampled_from(["-", " ", ""])))


@given(st.sampled_from(SOUTH_AFRICA_PROVINCES), st.data())
def test_any_casing_of_a_canonical_name_maps_to_it(name: str, data: st.DataObject) -> None:
    assert provinces(_noisy(name, data)) == [name]


@given(st.one_of(st.sampled_from(list(SOUTH_AFRICA_ALIASES)), st.text(max_size=20)))
def test_normalising_the_output_again_changes_nothing(cell: str) -> None:
    once = provinces(cell)
    assert provinces(*once) == once


@pytest.mark.parametrize(("cell", "expected"), [
    ("W. Cape", "Western Cape"), ("W Cape", "Western Cape"), ("N. Cape", "Northern Cape"), ("E.Cape", "Eastern Cape"),
    ("West. Cape", "Western Cape"), ("N West", "North West"), ("E. Cape Province", "Eastern Cape"),
])
def test_shortened_words_reach_the_province_without_an_alias(cell: str, expected: str) -> None:
    """No alias in the list: the words are the starts of one province's words, in order."""
    result = normalize_provinces(pd.Series([cell]), SOUTH_AFRICA_PROVINCES, {})
    assert result.values.tolist() == [expected] and not result.invalid


@pytest.mark.parametrize("cell", ["Cape", "N W", "Western", "Nor"])
def test_shortenings_that_could_be_several_provinces_stay_unknown(cell: str) -> None:
    result = normalize_provinces(pd.Series([cell]), SOUTH_AFRICA_PROVINCES, {})
    assert result.values.isna().all() and [i.raw for i in result.invalid] == [cell]
