"""Names the way a hurried clerk types them (issue 14 item 1): kind words changed where the case's
own rows show that change, legal forms in Afrikaans or with two letters swapped, ', The' at the end,
trading-as written short, a word split by a space, and branches that name two towns."""

from __future__ import annotations

import pytest

from tests.core.test_resolve_engine import row, run

PAIR = frozenset({"a.xlsx#S!2", "b.xlsx#S!2"})


def _confirming(change: tuple[str, str], brands=("Kestrel", "Falcon", "Eagle", "Heron")) -> list[dict]:
    """Organisations whose own rows write their kind both ways, each pair sharing its own website."""
    rows = []
    for i, brand in enumerate(brands):
        site = f"https://{brand.lower()}.co.za"
        rows += [row(f"c.xlsx#S!{2 * i + 2}", f"{brand} {change[0]}", website=site),
                 row(f"d.xlsx#S!{2 * i + 2}", f"{brand} {change[1]}", website=site)]
    return rows


def test_a_kind_change_the_case_confirms_merges_when_nothing_either_lists_contradicts_it() -> None:
    case = _confirming(("Flight School", "Flight Training Centre"))
    pair = [row("a.xlsx#S!2", "Lanseria Flight School"), row("b.xlsx#S!2", "Lanseria Flight Training Centre")]
    result, clusters = run(case + pair)
    assert PAIR in clusters, result.review
    [merge] = [m for m in result.merges if m.record_a == "a.xlsx#S!2"]
    assert "write both ways" in merge.explanation and "nothing the two organisations list" in merge.explanation


def test_twins_of_one_brand_with_their_own_phones_are_asked_about() -> None:
    # Two businesses can differ only in their kind word: each then lists its own line
    case = _confirming(("Flight School", "Flight Training Centre"))
    pair = [row("a.xlsx#S!2", "Lanseria Flight School", phones=["+27115550100"]),
            row("b.xlsx#S!2", "Lanseria Flight Training Centre", phones=["+27115550199"])]
    result, clusters = run(case + pair)
    assert PAIR not in clusters
    [asked] = [r for r in result.review if r.evidence.record_a == "a.xlsx#S!2"]
    assert "write both ways" in asked.evidence.explanation


def test_twins_are_told_apart_by_the_phones_of_their_other_rows() -> None:
    # The two rows linked by name list nothing; the other rows of each organisation do, and differ
    case = _confirming(("Flight School", "Flight Training Centre"))
    twins = [row("a.xlsx#S!2", "Lanseria Flight School"), row("b.xlsx#S!2", "Lanseria Flight Training Centre"),
             row("e.xlsx#S!2", "Lanseria Flight School", phones=["+27115550100"]),
             row("e.xlsx#S!3", "Lanseria Flight Training Centre", phones=["+27115550199"])]
    result, clusters = run(case + twins)
    assert frozenset({"a.xlsx#S!2", "e.xlsx#S!2"}) in clusters
    assert frozenset({"b.xlsx#S!2", "e.xlsx#S!3"}) in clusters, result.review


def test_a_kind_change_the_case_confirms_merges_with_a_phone_that_agrees() -> None:
    case = _confirming(("Flight School", "Flight Training Centre"))
    pair = [row("a.xlsx#S!2", "Lanseria Flight School", phones=["+27115550100"]),
            row("b.xlsx#S!2", "Lanseria Flight Training Centre", phones=["+27115550100"])]
    result, clusters = run(case + pair)
    assert PAIR in clusters, result.review


def test_a_kind_change_no_organisation_of_the_case_makes_keeps_two_businesses_apart() -> None:
    case = _confirming(("Flight School", "Flight Training Centre"))
    pair = [row("a.xlsx#S!2", "Lanseria Flight School"), row("b.xlsx#S!2", "Lanseria Aircraft Maintenance")]
    _, clusters = run(case + pair)
    assert PAIR not in clusters


def test_a_confirmed_kind_change_needs_the_brand_written_the_same() -> None:
    # 'Lans' may be Lanseria cut short, or another brand: the kind change alone does not decide
    case = _confirming(("Flight School", "Flight Training Centre"))
    pair = [row("a.xlsx#S!2", "Lans Flight School"), row("b.xlsx#S!2", "Lanseria Flight Training Centre")]
    _, clusters = run(case + pair)
    assert PAIR not in clusters


def test_a_confirmed_kind_change_in_another_province_stays_apart() -> None:
    case = _confirming(("Flight School", "Flight Training Centre"))
    pair = [row("a.xlsx#S!2", "Lanseria Flight School", province="Gauteng"),
            row("b.xlsx#S!2", "Lanseria Flight Training Centre", province="Western Cape")]
    _, clusters = run(case + pair)
    assert PAIR not in clusters


@pytest.mark.parametrize("left, right, removed", [
    ("Lanseria Flight School (Edms) Bpk", "Lanseria Flight School (Pty) Ltd", "(Edms) Bpk"),
    ("Lanseria Vlieskool BK", "Lanseria Vlieskool CC", "BK"),
    ("Lanseria Flight School (RF) (Pty) Ltd", "Lanseria Flight School", "(RF)"),
    ("Lanseria Flight School Pty Ldt", "Lanseria Flight School", "'Ldt'"),
    ("Lanseria Flight School, The", "Lanseria Flight School", "The"),
    ("Bevrick Holdings t/as Lanseria Flight School", "Lanseria Flight School", "Bevrick Holdings t/as"),
    ("Lanseria Flight School (a division of Bevrick Holdings)", "Lanseria Flight School", "division of"),
])
def test_legal_forms_articles_and_trading_names_as_clerks_write_them_leave_one_name(
        left: str, right: str, removed: str) -> None:
    result, clusters = run([row("a.xlsx#S!2", left), row("b.xlsx#S!2", right)])
    assert PAIR in clusters, result.review
    [merge] = result.merges
    assert "names equal" in merge.explanation and removed in merge.explanation, merge.explanation


def test_a_word_split_by_a_space_is_one_word() -> None:
    phone = ["+27115550101"]
    result, clusters = run([row("a.xlsx#S!2", "Lan seria Flight Academy", phones=phone),
                            row("b.xlsx#S!2", "Lanseria Flight Acad.", phones=phone)])
    assert PAIR in clusters, result.review


def test_branches_naming_two_towns_stay_apart_and_out_of_the_queue() -> None:
    shared = {"website": "https://celetechnical.co.za", "phones": ["+27215550101"], "emails": ["info@celetechnical.co.za"]}
    result, clusters = run([row("a.xlsx#S!2", "Cele Technical Services Claremont", area="Claremont", **shared),
                            row("b.xlsx#S!2", "Cele Technical Services Paarl", area="Paarl", **shared)])
    assert PAIR not in clusters
    assert not result.review


def test_branches_naming_two_towns_one_written_short_or_with_a_slip_stay_apart() -> None:
    shared = {"website": "https://masekotechnical.co.za", "phones": ["+27535550101"]}
    result, clusters = run([row("a.xlsx#S!2", "Maseko Technical Services Kimbreley", area="Kimberley", **shared),
                            row("b.xlsx#S!2", "Maseko Technical Services Upng", area="Upington", **shared)])
    assert PAIR not in clusters
    assert not result.review



def test_a_brand_written_with_many_kinds_is_several_businesses_and_needs_more_than_its_name() -> None:
    # 'Lanseria' names a school, a workshop, a charter firm...: a kind change alone picks none of them
    kinds = ["Aircraft Maintenance", "Charter Services", "Avionics Workshop", "Fuel Depot"]
    others = [row(f"o.xlsx#S!{i}", f"{brand} {kind}") for i, (brand, kind) in enumerate(
        [(b, k) for b in ("Kudu", "Eland", "Lanseria") for k in kinds], start=2)]
    case = _confirming(("Flight School", "Flight Training Centre")) + others
    pair = [row("a.xlsx#S!2", "Lanseria Flight School"), row("b.xlsx#S!2", "Lanseria Flight Training Centre")]
    _, clusters = run(case + pair)
    assert PAIR not in clusters
    result, clusters = run(case + [p | {"phones": ["+27115550101"]} for p in pair])
    assert PAIR in clusters, result.review


def test_a_contacts_mobile_is_not_the_organisations_own_line() -> None:
    # The people sheet lists a contact's mobile against one row: it says nothing against the other row's landline
    case = _confirming(("Flight School", "Flight Training Centre"))
    contact = {**row("a.xlsx#People!2", "", phones=["+27825550123"], link="a.xlsx#S!2"), "sheet_role": "contact"}
    pair = [row("a.xlsx#S!2", "Lanseria Flight School"), contact,
            row("b.xlsx#S!2", "Lanseria Flight Training Centre", phones=["+27115550100"])]
    result, clusters = run(case + pair)
    assert frozenset({"a.xlsx#S!2", "a.xlsx#People!2", "b.xlsx#S!2"}) in clusters, result.review


@pytest.mark.parametrize("values, merged, asked", [
    ({"website": "https://erasmusradebe.co.za", "phones": ["+27185550100"]}, True, False),
    ({"phones": ["+27185550100"]}, False, True),
    ({}, False, False),
])
def test_a_name_cut_short_and_typed_badly_is_weighed_by_what_else_agrees(values, merged, asked) -> None:
    # 'Ersm' is Erasmus cut to its consonants, 'Eramus' drops a letter: no sign of two organisations,
    # too little to merge on alone
    result, clusters = run([row("a.xlsx#S!2", "Ersm and Radebe Game Lodge", **values),
                            row("b.xlsx#S!2", "ERAMUS AND RADEBE GAME LODGE", **values)])
    assert (PAIR in clusters) is merged
    assert bool(result.review) is asked
    if asked:
        assert "names alike but for words typed badly" in result.review[0].evidence.explanation
