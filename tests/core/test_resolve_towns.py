"""Towns in names (issue 14 item 1), as clerks write them: a practice named after its town with its
kind written two ways, a town's name typed with a slip in a short word, and the case's common words
('Wool' in 'Wool Growers') that are not a town cut short."""

from __future__ import annotations

from tests.core.test_resolve_engine import reviewed, row, run

PAIR = frozenset({"a.xlsx#S!2", "b.xlsx#S!2"})
PHONE = ["+27152863644"]
TOWNS = ["Tzaneen", "Somerset West", "Westville", "Wolmaransstad", "Ladysmith", "Paarl", "George"]
# Other organisations of the case: vet practices and co-operatives, each in a town of the area column
OTHERS = [row(f"o.xlsx#S!{i + 2}", f"{brand} {kind}", area=TOWNS[i % len(TOWNS)]) for i, (brand, kind) in enumerate(
    [(b, k) for b in ("Kudu", "Impala", "Eland", "Nyala", "Kwagga", "Gemsbok", "Rooibok")
     for k in ("Animal Hospital", "Veterinary Practice", "Vet Clinic", "Wool Growers Co-operative")])]


def test_a_practice_named_after_its_town_with_its_kind_written_two_ways_merges_on_its_phone() -> None:
    pair = [row("a.xlsx#S!2", "Tzaneen Animal Hospitla", phones=PHONE),
            row("b.xlsx#S!2", "TZANEEN VETERINARY PRACTICE", phones=PHONE)]
    result, clusters = run(OTHERS + pair)
    assert PAIR in clusters, result.review
    [merge] = [m for m in result.merges if m.record_a == "a.xlsx#S!2"]
    assert "town 'tzaneen'" in merge.explanation


def test_two_practices_of_one_town_without_evidence_stay_apart() -> None:
    pair = [row("a.xlsx#S!2", "Tzaneen Animal Hospital", phones=PHONE),
            row("b.xlsx#S!2", "Tzaneen Veterinary Practice", phones=["+27152860000"])]
    result, clusters = run(OTHERS + pair)
    assert PAIR not in clusters
    assert PAIR not in reviewed(result)


def test_a_short_word_typed_with_a_slip_is_no_other_town() -> None:
    # 'Wets' is 'West' with two letters swapped, not 'Westville' cut short
    pair = [row("a.xlsx#S!2", "Somerset West Vet Clinic", website="https://somersetwestvet.co.za"),
            row("b.xlsx#S!2", "Somerset Wets Vet Clinic", website="https://somersetwestvet.co.za")]
    result, clusters = run(OTHERS + pair)
    assert PAIR in clusters, result.review


def test_a_short_word_typed_with_a_slip_alone_does_not_merge() -> None:
    # 'Vaal' / 'Vaat' is as likely two names: the slip needs other evidence
    pair = [row("a.xlsx#S!2", "Vaal Animal Hospital"), row("b.xlsx#S!2", "Vaat Animal Hospital")]
    _, clusters = run(OTHERS + pair)
    assert PAIR not in clusters


def test_a_word_many_names_use_is_not_a_town_cut_short() -> None:
    # 'Wool' starts 'Wolmaransstad' with a slip, but the case writes it in many names of its own
    pair = [row("a.xlsx#S!2", "Bokkekop Wool Growers Co-operative", phones=PHONE),
            row("b.xlsx#S!2", "Bokkekop Co-operative Limited, Ladysmith", phones=PHONE)]
    result, _ = run(OTHERS + pair)
    # one name adds a town and drops kind words: with one phone a question for the operator, not
    # two branches in two towns
    asked = reviewed(result)
    assert PAIR in asked
    assert "different places" not in asked[PAIR] and "wolmaransstad" not in asked[PAIR]
