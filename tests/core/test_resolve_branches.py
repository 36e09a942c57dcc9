"""Branches of one chain (issue 14's review queue): a row that names the company behind a branch
('X Holdings t/a X Vet Clinic Howick') is that branch's row, not every branch's."""

from __future__ import annotations

import hashlib

from tests.core.test_resolve_engine import reviewed, row, run

SWITCHBOARD = "+27215550123"


def _brand(i: int) -> str:
    """A made-up word of its own per organisation, so the case's kind words are its only common ones."""
    return "".join(chr(97 + b % 26) for b in hashlib.sha1(str(i).encode()).digest()[:7]).title()


# The rest of the case: vet clinics and holding companies in towns, each of its own brand
OTHERS = [row(f"o.xlsx#S!{i + 2}", f"{_brand(i)} {'Vet Clinic' if i % 2 else 'Holdings'}",
              area=["Howick", "Paarl", "George"][i % 3]) for i in range(300)]


def together(clusters, *record_ids: str) -> bool:
    return any(set(record_ids) <= cluster for cluster in clusters)


def _asked(result, record_id: str) -> bool:
    return any(record_id in pair for pair in reviewed(result))


def test_a_branch_behind_its_company_is_not_asked_about_with_another_branch() -> None:
    rows = [row("a.xlsx#S!2", "Sunbird Pets Holdings t/a Sunbird Pets Vet Clinic Howick", area="Howick",
                phones=[SWITCHBOARD]),
            row("b.xlsx#S!2", "Sunbird Pets Vet Clinic Paarl", phones=[SWITCHBOARD])]
    result, clusters = run(OTHERS + rows)
    assert not together(clusters, "a.xlsx#S!2", "b.xlsx#S!2")
    assert not _asked(result, "a.xlsx#S!2")


def test_a_branch_behind_its_company_still_joins_its_own_rows_and_the_company() -> None:
    rows = [row("a.xlsx#S!2", "Sunbird Pets Holdings t/a Sunbird Pets Vet Clinic Howick", area="Howick",
                phones=[SWITCHBOARD]),
            row("b.xlsx#S!2", "Sunbird Pets Vet Clinic Howick", phones=[SWITCHBOARD]),
            row("c.xlsx#S!2", "SUNBIRD PETS HOLDINGS (PTY) LTD", phones=[SWITCHBOARD])]
    _, clusters = run(OTHERS + rows)
    assert together(clusters, "a.xlsx#S!2", "b.xlsx#S!2", "c.xlsx#S!2")


def test_a_town_one_clerk_appended_does_not_keep_the_brand_alone_apart() -> None:
    # One organisation's rows: its brand alone, its full name, and its full name with the town after a comma
    line = "+27215550188"
    rows = [row("a.xlsx#S!2", "KWELANGA", phones=[line]),
            row("b.xlsx#S!2", "Kwelanga Vet Clinic", phones=[line], emails=["info@kwelanga.co.za"]),
            row("c.xlsx#S!2", "Kwelanga Vet Clinic (Pty) Ltd, Paarl", phones=[line], emails=["info@kwelanga.co.za"])]
    result, clusters = run(OTHERS + rows)
    assert together(clusters, "a.xlsx#S!2", "b.xlsx#S!2", "c.xlsx#S!2")
    assert not _asked(result, "c.xlsx#S!2")


def test_two_towns_still_name_two_branches() -> None:
    rows = [row("a.xlsx#S!2", "Kwelanga Vet Clinic, Howick", phones=[SWITCHBOARD]),
            row("b.xlsx#S!2", "Kwelanga Vet Clinic - Paarl", phones=[SWITCHBOARD])]
    _, clusters = run(OTHERS + rows)
    assert not together(clusters, "a.xlsx#S!2", "b.xlsx#S!2")


def test_a_town_appended_weighs_like_a_kind_word_beside_an_own_mail_domain() -> None:
    rows = [row("a.xlsx#S!2", "Kwelanga Vet Clinic", emails=["reception@kwelangavets.co.za"]),
            row("b.xlsx#S!2", "KWELANGA VET CLINIC CC, PAARL", emails=["t.mokoena@kwelangavets.co.za"])]
    result, clusters = run(OTHERS + rows)
    assert together(clusters, "a.xlsx#S!2", "b.xlsx#S!2")
    assert not _asked(result, "a.xlsx#S!2")


# Organisations of the case that write their kind both ways in their own rows (one phone each)
BOTH_WAYS = [row(f"w{i}{side}.xlsx#S!2", f"{_brand(1000 + i)} {kind}", phones=[f"+2721555{1000 + i}"])
             for i in range(6) for side, kind in (("a", "Animal Hospital"), ("b", "Vet Clinic"))]


def test_a_town_beside_a_kind_change_the_case_confirms_is_no_word_of_the_name() -> None:
    line = "+27215550177"
    rows = [row("a.xlsx#S!2", "Kwelanga Vet Clinic", phones=[line]),
            row("b.xlsx#S!2", "THE KWELANGA ANIMAL HOSPITAL - HOWICK CC", phones=[line])]
    _, clusters = run(OTHERS + BOTH_WAYS + rows)
    assert together(clusters, "a.xlsx#S!2", "b.xlsx#S!2")


def test_a_town_beside_a_kind_change_the_case_never_shows_still_tells_two_businesses() -> None:
    line = "+27215550166"
    rows = [row("a.xlsx#S!2", "Kwelanga Vet Clinic", phones=[line]),
            row("b.xlsx#S!2", "Kwelanga Holdings, Howick", phones=[line])]
    _, clusters = run(OTHERS + BOTH_WAYS + rows)
    assert not together(clusters, "a.xlsx#S!2", "b.xlsx#S!2")
