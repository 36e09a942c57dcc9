"""The spelling variants real workbooks hold (issue 14 item 1), each handled by a general rule, and
the case's own weights (item 2): what an operator sees merge, and what stays apart."""

from __future__ import annotations

import pytest

from core.resolve import ResolutionSettings
from tests.core.test_resolve_engine import apart, row, run
from tests.core.test_resolve_sector import make_case

PHONE = ["+27115550101"]


@pytest.mark.parametrize("left, right", [
    ("Lowveld Hospital", "Lowveld Hosp."),
    ("Kestrel Engineering Services", "Kestrel Eng. Svcs"),
    ("Marula Aircraft Maintenance", "Marula Aircraft Maint"),
    ("Baobab Management Consultants", "Baobab Mgmt Consultants"),
    ("Protea Medical Centre", "Protea Med Ctr"),
    ("Zambezi International Traders", "Zambezi Intl Traders"),
])
def test_abbreviations_by_truncation_or_consonants_merge_on_the_name(left: str, right: str) -> None:
    # Other organisations of the case use the long words: they are the sector's, not a brand's
    words = left.split()[1:]
    others = [row(f"o.xlsx#S!{i}", f"{brand} {' '.join(words)}") for i, brand in
              enumerate(["Kudu", "Impala", "Eland", "Nyala"], start=2)]
    result, clusters = run(others + [row("a.xlsx#S!2", left), row("b.xlsx#S!2", right)])
    assert frozenset({"a.xlsx#S!2", "b.xlsx#S!2"}) in clusters, result.review
    [merge] = [m for m in result.merges if m.record_a == "a.xlsx#S!2"]
    assert "reading" in merge.explanation or "equal" in merge.explanation


def test_a_brand_word_cut_short_needs_other_evidence() -> None:
    _, clusters = run([row("a.xlsx#S!2", "Tugela Dental Studio"), row("b.xlsx#S!2", "Tuge Dental Studio")])
    assert clusters == apart("a.xlsx#S!2", "b.xlsx#S!2")
    _, clusters = run([row("a.xlsx#S!2", "Tugela Dental Studio", phones=PHONE),
                       row("b.xlsx#S!2", "Tuge Dental Studio", phones=PHONE)])
    assert len(clusters) == 1


@pytest.mark.parametrize("left, right", [("Lowveld Aviation", "oLwveld Aviation"),
                                         ("Wonderboom Flight School", "Wodnerboom Flight School")])
def test_transposed_letters_are_one_slip_even_at_the_start(left: str, right: str) -> None:
    _, clusters = run([row("a.xlsx#S!2", left), row("b.xlsx#S!2", right)])
    assert len(clusters) == 1


@pytest.mark.parametrize("holding", ["Botha Holdings t/a Karoo Flight School",
                                     "Botha Holdings (Pty) Ltd trading as Karoo Flight School",
                                     "Karoo Flight School, a division of Botha Holdings"])
def test_the_trading_name_is_the_key_and_the_holding_company_an_alias(holding: str) -> None:
    result, clusters = run([row("a.xlsx#S!2", holding), row("b.xlsx#S!2", "Karoo Flight School (Pty) Ltd")])
    assert len(clusters) == 1, result.review


def test_a_kind_word_swapped_merges_only_with_agreeing_evidence() -> None:
    # other organisations use both kind words, so they are the case's common words, not brands
    others = [row(f"o.xlsx#S!{i}", f"{brand} {kind}") for i, (brand, kind) in enumerate(
        [("Kestrel", "Flight School"), ("Falcon", "Flight Training Centre"), ("Eagle", "Flight School"),
         ("Sparrow", "Flight Training Centre")], start=2)]
    pair = [row("a.xlsx#S!2", "Lanseria Flight Training Centre"), row("b.xlsx#S!2", "Lanseria Flight School")]
    _, clusters = run(others + pair)
    assert frozenset({"a.xlsx#S!2", "b.xlsx#S!2"}) not in clusters
    _, clusters = run(others + [p | {"phones": PHONE} for p in pair])
    assert frozenset({"a.xlsx#S!2", "b.xlsx#S!2"}) in clusters


def test_one_branch_of_a_chain_merges_on_the_chains_values_when_both_names_name_its_town() -> None:
    shared = {"website": "https://sunrisepharmacy.co.za", "phones": ["+27860111222"]}
    towns = [("Sandton", "Gauteng"), ("Bellville", "Western Cape"), ("Umhlanga", "KwaZulu-Natal")]
    rows = [row(f"a!{i}", f"Sunrise Pharmacy {town}", province=province, area=town, **shared)
            for i, (town, province) in enumerate(towns, start=2)]
    rows.append(row("b!2", "Sunrise Pharmacy Group Sandton", province="Gauteng", **shared))
    result, clusters = run(rows)
    assert frozenset({"a!2", "b!2"}) in clusters and len(clusters) == 3
    assert "both names say 'sandton'" in result.merges[0].explanation


def test_weights_learned_from_a_large_case_stay_near_the_profile_and_explain_merges() -> None:
    records, _ = make_case(1500, seed=5)
    settings = ResolutionSettings(learn_weights=True, learn_min_pairs=200)
    from core.resolve import resolve

    result = resolve(records, settings)
    learned = result.learned
    # learned from the scored pairs within learn_clamp of the band (engine, 98d8d16), not all scored
    assert learned is not None and 0 < learned.pairs <= result.pairs_scored
    from core.resolve.learn import profile_table

    base = profile_table(settings)
    for feature, levels in learned.table.items():
        for level, weight in levels.items():
            assert abs(weight - base[feature][level]) <= settings.learn_clamp + 1e-9
    assert all("(weighed most: " in m.explanation for m in result.merges if "approved" not in m.explanation)
    assert resolve(records, ResolutionSettings()).learned is None  # off unless the profile asks


def test_a_cooperative_written_short_or_in_afrikaans_merges_with_its_own_rows() -> None:
    # One register writes "Co-op", the members' export "CO-OPERATIVE", the tracker "Koöperasie"
    rows = [row("a.xlsx#S!2", "Calvinia Boere Co-op Limited", phones=PHONE),
            row("b.xlsx#S!2", "CALVINIA BOERE CO-OPERATIVE"),
            row("c.xlsx#S!2", "Calvinia Boere Koöperasie .", phones=PHONE)]
    result, clusters = run(rows)
    assert frozenset({"a.xlsx#S!2", "b.xlsx#S!2", "c.xlsx#S!2"}) in clusters, result.review
