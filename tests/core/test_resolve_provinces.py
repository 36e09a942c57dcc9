"""One name in two provinces (issue 14): a row that gives only its town is placed in the province
the case's other rows put that town in, so twins of one name — one row 'Gauteng', the other only
'Pinetown' — stay two organisations, as they do when both provinces are written out."""

from __future__ import annotations

from tests.core.test_resolve_engine import reviewed, row, run

TWIN_A, TWIN_B = "a.xlsx#S!2", "b.xlsx#S!2"


def _towns(places: list[tuple[str, str]], start: int = 0) -> list[dict]:
    """Other organisations of the case, each with its town and province written out."""
    words = ["Kestrel", "Falcon", "Heron", "Plover", "Weaver", "Hadeda", "Loerie", "Korhaan"]
    return [row(f"o.xlsx#S!{i + start + 2}", f"{words[(i + start) % len(words)]} Stores {town}", province=province,
                area=town) for i, (town, province) in enumerate(places)]


CASE = _towns([("Pinetown", "KwaZulu-Natal")] * 3 + [("Randburg", "Gauteng")] * 3)


def together(clusters, *record_ids: str) -> bool:
    return any(set(record_ids) <= cluster for cluster in clusters)


def test_one_name_in_a_province_and_in_a_town_of_another_province_is_two_organisations() -> None:
    rows = [row(TWIN_A, "Groothoek Veterinary Clinic (Pty) Ltd", province="Gauteng", phones=["+27118049567"]),
            row(TWIN_B, "Groothoek Veterinary Clinic (Pty) Ltd", area="Pinetown", phones=["+27319266342"])]
    result, clusters = run(CASE + rows)
    assert not together(clusters, TWIN_A, TWIN_B)
    assert frozenset({TWIN_A, TWIN_B}) not in reviewed(result)  # as sure as two provinces written out


def test_one_name_in_a_province_and_in_a_town_of_that_province_is_one_organisation() -> None:
    rows = [row(TWIN_A, "Groothoek Veterinary Clinic (Pty) Ltd", province="KwaZulu-Natal"),
            row(TWIN_B, "GROOTHOEK VETERINARY CLINIC", area="PINETOWN")]
    _, clusters = run(CASE + rows)
    assert together(clusters, TWIN_A, TWIN_B)


def test_two_towns_the_case_puts_in_two_provinces_keep_one_name_apart() -> None:
    rows = [row(TWIN_A, "Letshopa Animal Hospital", area="Randburg"),
            row(TWIN_B, "Letshopa Animal Hosp", area="Pinetown")]
    result, clusters = run(CASE + rows)
    assert not together(clusters, TWIN_A, TWIN_B)
    [why] = [e for pair, e in reviewed(result).items() if TWIN_A in pair] or [""]
    assert "Letshopa" not in why  # not asked either


def test_a_town_the_case_puts_in_several_provinces_says_nothing() -> None:
    # 'Greytown' is in KwaZulu-Natal and a brand in Gauteng: the case's rows place it both ways
    case = CASE + _towns([("Greytown", "KwaZulu-Natal"), ("Greytown", "Gauteng"), ("Greytown", "Gauteng")], 6)
    rows = [row(TWIN_A, "Mavenkonde Veterinary Hospital", province="Gauteng"),
            row(TWIN_B, "The Mavenkonde Veterinary Hospital", area="Greytown")]
    _, clusters = run(case + rows)
    assert together(clusters, TWIN_A, TWIN_B)


def test_a_town_only_one_row_names_places_nothing() -> None:
    rows = [row(TWIN_A, "Mavenkonde Veterinary Hospital", province="Northern Cape"),
            row(TWIN_B, "Mavenkonde Veterinary Hospital", area="Kimberley"),
            row("c.xlsx#S!2", "Kolobe Stores", area="Kimberley", province="Gauteng")]
    _, clusters = run(CASE + rows)
    assert together(clusters, TWIN_A, TWIN_B)
