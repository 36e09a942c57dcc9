"""Brand words one or two letters apart (issue 15's precision at a million rows): a slip is seldom
typed the same way twice, while a second organisation's brand recurs in its own rows. In a case of
hundreds of thousands of organisations, names made of the same syllables meet often."""

from __future__ import annotations

from tests.core.test_resolve_engine import row, run


def _rows(prefix: str, name: str, count: int, **values) -> list[dict]:
    return [row(f"{prefix}{i}.xlsx#S!2", name, **values) for i in range(count)]


# Other organisations of the case, so that three rows of one brand are not a share of the case that
# makes its word common
_SYLLABLES = ["ba", "ke", "li", "mo", "nu", "ra", "se", "ti", "vo", "za"]
OTHERS = [row(f"o.xlsx#S!{i + 2}", f"{_SYLLABLES[i % 10]}{_SYLLABLES[i // 10 % 10]}{_SYLLABLES[i // 100]}ndo Motors")
          for i in range(400)]


def together(clusters, *record_ids: str) -> bool:
    return any(set(record_ids) <= cluster for cluster in clusters)


def test_two_brands_that_both_recur_are_two_organisations() -> None:
    # Two rows each: a case of a million rows has about two and a half rows an organisation
    _, clusters = run(OTHERS + _rows("a", "Vuthuwa Game Lodge", 2) + _rows("b", "Vuthute Game Lodge", 2))
    assert together(clusters, "a0.xlsx#S!2", "a1.xlsx#S!2")
    assert together(clusters, "b0.xlsx#S!2", "b1.xlsx#S!2")
    assert not together(clusters, "a0.xlsx#S!2", "b0.xlsx#S!2")


def test_a_slip_typed_once_is_still_read_as_the_brand() -> None:
    _, clusters = run(OTHERS + _rows("a", "Kingfisher Kondomago Flight", 3)
                      + [row("b.xlsx#S!2", "Kingfisher Kondomgao Flight")])
    assert together(clusters, "a0.xlsx#S!2", "a1.xlsx#S!2", "a2.xlsx#S!2", "b.xlsx#S!2")


def test_two_recurring_spellings_that_share_a_phone_are_one_organisation() -> None:
    # Two sources that each spell the brand their own way: the phone they share says one organisation
    rows = _rows("a", "Vuthuwa Game Lodge", 3, phones=["+27155550100"]) + \
        _rows("b", "Vuthute Game Lodge", 3, phones=["+27155550100"])
    _, clusters = run(OTHERS + rows)
    assert together(clusters, *(r["record_id"] for r in rows))
