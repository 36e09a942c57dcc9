"""A typo is a slip of the keys (first letter kept, one edit, two in a long word); a name one letter
away at its start, or one that grows a syllable, is another organisation."""

from __future__ import annotations

import pytest

from tests.core.test_resolve_engine import apart, row, run


@pytest.mark.parametrize("left, right", [
    ("Pretorius Physiotherapy", "Pretorius Pysiotherapy"),
    ("Greenleaf Wellness Clinic", "Greenleaf Welllness Clinic"),
    ("Mahlangu Surgical Company", "Mahlangu Surgcial Company"),
    ("Bluechip Pharmacy", "Blue Chip Pharmacy"),
])
def test_slips_of_the_keys_still_merge(left: str, right: str) -> None:
    result, clusters = run([row("a.xlsx#S!2", left), row("b.xlsx#S!2", right)])
    assert len(clusters) == 1, result.review


@pytest.mark.parametrize("left, right", [
    ("Qahle Dental Studio", "Rahle Dental Studio"),  # another first letter
    ("Xote Veterinary Clinic", "Xotevu Veterinary Clinic"),  # a longer name, not a typo
    ("Jeloje Radiology", "Pelone Radiology"),
])
def test_other_names_that_look_alike_do_not_merge(left: str, right: str) -> None:
    _, clusters = run([row("a.xlsx#S!2", left), row("b.xlsx#S!2", right)])
    assert clusters == apart("a.xlsx#S!2", "b.xlsx#S!2")


def test_a_slip_in_a_kind_word_merges_though_each_row_lists_another_phone() -> None:
    # The brand as written on both; 'Landbiou' is the case's 'Landbou' typed badly. One organisation's
    # rows list several numbers (a landline here, a cell there): that does not make two brands.
    others = [row(f"o.xlsx#S!{i}", f"{brand} Landbou Koöperasie") for i, brand in enumerate(
        ["Kudu", "Impala", "Eland", "Nyala", "Kwagga"], start=2)]
    pair = [row("a.xlsx#S!2", "Emaosiyi Landbiou Koöperasie", phones=["+27148783349"], province="Limpopo"),
            row("b.xlsx#S!2", "Emaosiyi Landbou Koöperasie", phones=["+27713078631"], province="Limpopo")]
    result, clusters = run(others + pair)
    assert frozenset({"a.xlsx#S!2", "b.xlsx#S!2"}) in clusters, result.review


def test_a_slip_in_the_brand_with_other_phones_stays_apart() -> None:
    others = [row(f"o.xlsx#S!{i}", f"{brand} Landbou Koöperasie") for i, brand in enumerate(
        ["Kudu", "Impala", "Eland", "Nyala", "Kwagga"], start=2)]
    pair = [row("a.xlsx#S!2", "Emaosiyi Landbou Koöperasie", phones=["+27148783349"]),
            row("b.xlsx#S!2", "Emaosiyo Landbou Koöperasie", phones=["+27713078631"])]
    _, clusters = run(others + pair)
    assert frozenset({"a.xlsx#S!2", "b.xlsx#S!2"}) not in clusters
