"""Kind words (issue 14 item 1) when the names share little else, and the slips a clerk makes in
an abbreviation: what merges with agreeing evidence, and what a shared surname never makes one."""

from __future__ import annotations

import pytest

from tests.core.test_resolve_engine import row, run

PHONE = ["+27115550101"]
# Other organisations of the case use these words in a kind's place: they are the sector's words
OTHERS = [row(f"o.xlsx#S!{i}", f"{brand} {kind}") for i, (brand, kind) in enumerate(
    [("Kestrel", "Flight School"), ("Falcon", "Flight Training Centre"), ("Eagle", "Flight School"),
     ("Sparrow", "Flight Training Centre"), ("Heron", "Training Centre"), ("Ibis", "Flight Services"),
     ("Hoopoe", "Flight Services"), ("Crane", "Flight School"), ("Egret", "Flight Services")], start=2)]


@pytest.mark.parametrize("left, right", [("Lanseria Flight", "Lanseria Flight Training Centre"),
                                         ("Lanseria Training Centre", "Lanseria Flight School"),
                                         ("Lanseria Flight Serivces", "Lanseria Flight School")])
def test_a_brand_with_its_kind_words_changed_merges_when_a_phone_agrees(left: str, right: str) -> None:
    pair = [row("a.xlsx#S!2", left), row("b.xlsx#S!2", right)]
    _, clusters = run(OTHERS + pair)
    assert frozenset({"a.xlsx#S!2", "b.xlsx#S!2"}) not in clusters  # twins differ only there too
    result, clusters = run(OTHERS + [p | {"phones": PHONE} for p in pair])
    assert frozenset({"a.xlsx#S!2", "b.xlsx#S!2"}) in clusters, result.review
    [merge] = [m for m in result.merges if m.record_a == "a.xlsx#S!2"]
    assert "common words" in merge.explanation or "adds" in merge.explanation


def test_a_surname_many_brands_share_is_no_kind_word_to_swap() -> None:
    # 'Naidoo' and 'Pillay' start many names of the case: brands' words, however common
    others = [row(f"o.xlsx#S!{i}", f"{surname} {other} Flight School") for i, (surname, other) in enumerate(
        [(s, o) for s in ("Naidoo", "Pillay", "Botha") for o in ("Kudu", "Eland", "Nyala")], start=2)]
    pair = [row("a.xlsx#S!2", "Naidoo & Botha Flight School", phones=PHONE),
            row("b.xlsx#S!2", "Pillay & Botha Flight School", phones=["+27115550199"])]
    result, clusters = run(others + pair)
    assert frozenset({"a.xlsx#S!2", "b.xlsx#S!2"}) not in clusters
    assert all("common words" not in p.evidence.explanation for p in result.review)


@pytest.mark.parametrize("left, right", [("Sesexolo Aircraft Maint", "Sesexolo Aircraft Maitnenance"),
                                         ("Steyn Physthrpy", "Steyn Physiotherapy")])
def test_a_word_cut_short_with_a_slip_still_abbreviates(left: str, right: str) -> None:
    others = [row(f"o.xlsx#S!{i}", f"{brand} {right.split(' ', 1)[1]}") for i, brand in
              enumerate(["Kudu", "Impala", "Eland", "Nyala"], start=2)]
    result, clusters = run(others + [row("a.xlsx#S!2", left, phones=PHONE), row("b.xlsx#S!2", right, phones=PHONE)])
    assert frozenset({"a.xlsx#S!2", "b.xlsx#S!2"}) in clusters, result.review
    [merge] = [m for m in result.merges if m.record_a == "a.xlsx#S!2"]
    assert "reading" in merge.explanation


def test_one_organisation_spelt_four_ways_keeps_its_website_as_its_own() -> None:
    site = {"website": "https://xombovutechnical.co.za", "phones": ["+27125550100"]}
    spellings = ["Xombovu Technical Services", "The Xombovu Technical", "Xombovu Tech. Services (Pty) Ltd",
                 "Xombovu Technical Solutions"]
    others = [row(f"o.xlsx#S!{i}", f"{brand} Technical {kind}") for i, (brand, kind) in enumerate(
        [(b, k) for b in ("Kudu", "Eland", "Nyala") for k in ("Services", "Solutions")], start=2)]
    rows = [row(f"{n}.xlsx#S!2", name, **site) for n, name in zip("abcd", spellings)]
    result, clusters = run(others + rows)
    assert frozenset(r["record_id"] for r in rows) in clusters, result.review
    assert any("same website domain" in m.explanation for m in result.merges)


def test_a_branch_with_its_town_cut_short_joins_that_branch_of_the_chain() -> None:
    shared = {"website": "https://sunrisepharmacy.co.za", "phones": ["+27860111222"]}
    towns = [("Sandton", "Gauteng"), ("Bellville", "Western Cape"), ("Umhlanga", "KwaZulu-Natal")]
    rows = [row(f"a!{i}", f"Sunrise Pharmacy {town}", province=province, area=town, **shared)
            for i, (town, province) in enumerate(towns, start=2)]
    rows.append(row("b!2", "Sunrise Pharmacy Sandt.", **shared))
    result, clusters = run(rows)
    assert frozenset({"a!2", "b!2"}) in clusters and len(clusters) == 3, result.review


def test_a_kind_word_a_chain_starts_its_branches_with_is_still_a_kind_word() -> None:
    # 'Landbou Sentraal' names all its branches with 'Landbou' first; elsewhere in the case 'Landbou'
    # is the kind word of co-operatives ('Boere Koöperasie' / 'Landbou Koöperasie')
    chain = [row(f"c.xlsx#S!{i}", f"Landbou Sentraal Animal Hospital {town}") for i, town in enumerate(
        ["Upington", "Germiston", "Eshowe", "Thabazimbi", "Brakpan", "Ermelo", "Modimolle", "Frankfort"], start=2)]
    coops = [row(f"o.xlsx#S!{i}", f"{brand} Landbou Koöperasie") for i, brand in enumerate(
        ["Kudu", "Impala", "Eland", "Nyala", "Kwagga", "Gemsbok"], start=2)]
    coops += [row(f"p.xlsx#S!{i}", f"{brand} Boere Koöperasie") for i, brand in enumerate(
        ["Rooibok", "Bontebok", "Springbok"], start=2)]
    pair = [row("a.xlsx#S!2", "ELANDSVELD LANDBOU KOÖPERASIE", phones=PHONE), row("b.xlsx#S!2", "Elandsveld", phones=PHONE)]
    result, clusters = run(chain + coops + pair)
    assert frozenset({"a.xlsx#S!2", "b.xlsx#S!2"}) in clusters, result.review
