"""What whole organisations list, weighed when two of their rows are linked by name alone (issue 14
items 1 and 6): one name, two own websites, is two organisations; a directory's listing page is no
organisation's own."""

from __future__ import annotations

from tests.core.test_resolve_engine import row, run


def together(clusters, *record_ids: str) -> bool:
    return any(set(record_ids) <= cluster for cluster in clusters)


def test_one_name_with_two_own_websites_is_two_organisations() -> None:
    _, clusters = run([row("a.xlsx#S!2", "Amatola Preparatory School", website="https://amatolaprep.co.za"),
                       row("b.xlsx#S!2", "Amatola Preparatory School", website="https://amatolaschool.co.za")])
    assert not together(clusters, "a.xlsx#S!2", "b.xlsx#S!2")


def test_the_website_of_another_row_of_the_organisation_keeps_them_apart() -> None:
    # The row linked by name lists nothing; the row it already belongs with lists its own website
    _, clusters = run([row("a.xlsx#S!2", "Amatola Preparatory School"),
                       row("a.xlsx#S!3", "Amatola Preparatory School (Pty) Ltd", website="https://amatolaprep.co.za",
                           phones=["+27436420100"]),
                       row("b.xlsx#S!2", "Amatola Preparatory School", website="https://amatolaschool.co.za")])
    assert not together(clusters, "a.xlsx#S!3", "b.xlsx#S!2")
    assert len(clusters) == 2


def test_one_name_whose_websites_agree_is_one_organisation() -> None:
    _, clusters = run([row("a.xlsx#S!2", "Amatola Preparatory School", website="https://amatolaprep.co.za"),
                       row("b.xlsx#S!2", "Amatola Preparatory School"),
                       row("c.xlsx#S!2", "Amatola Preparatory School", website="http://www.amatolaprep.co.za/")])
    assert together(clusters, "a.xlsx#S!2", "b.xlsx#S!2", "c.xlsx#S!2")


def test_two_listing_pages_of_one_directory_do_not_keep_one_organisation_apart() -> None:
    others = [row(f"d.xlsx#S!{i}", name, website=f"https://www.cylex.co.za/company/{i}")
              for i, name in enumerate(["Kestrel Lodge", "Heron Guest House", "Falcon Motors"], start=2)]
    _, clusters = run(others + [
        row("a.xlsx#S!2", "Amatola Preparatory School", website="https://www.cylex.co.za/company/17041"),
        row("b.xlsx#S!2", "Amatola Preparatory School", website="https://www.cylex.co.za/company/25744")])
    assert together(clusters, "a.xlsx#S!2", "b.xlsx#S!2")


def test_a_name_cut_short_with_a_slip_does_not_hold_a_join_back() -> None:
    # 'Ersm' (Erasmus cut to its consonants) beside 'Eramus' (a letter dropped) reads as names that
    # differ; the rows between them carry the evidence, and a clerk made both
    rows = [row("a!2", "Ersm and Radebe Game Lodge", website="https://erasmusradebe.co.za"),
            row("b!2", "Erasmus and Radebe Game Lodge", website="https://erasmusradebe.co.za", phones=["+27185550100"]),
            row("c!2", "ERAMUS AND RADEBE GAME LODGE", phones=["+27185550100"])]
    result, clusters = run(rows)
    assert together(clusters, "a!2", "b!2", "c!2"), result.review


def test_another_place_in_the_name_still_holds_a_join_back() -> None:
    rows = [row("a!2", "Kalahari Qaqa Upington", website="https://kalahariqaqa.co.za"),
            row("b!2", "Kalahari Qaqa", website="https://kalahariqaqa.co.za", phones=["+27185550100"]),
            row("c!2", "Kalahari Qaqa Kimberley", phones=["+27185550100"]),
            row("d!2", "Springbok Motors", area="Upington"), row("e!2", "Springbok Motors", area="Kimberley")]
    _, clusters = run(rows)
    assert not together(clusters, "a!2", "c!2")


def _explained(result) -> str:
    return " ".join([m.explanation for m in result.merges] + [r.evidence.explanation for r in result.review])


def test_one_organisations_website_that_is_the_others_mail_domain_is_evidence() -> None:
    # 'Msk' for Maseko is only a hint; www.x.co.za beside admin@x.co.za makes it a question
    rows = [row("a!2", "Maseko Thutshembo Training Centre", website="https://www.masekothutshembotraining.co.za"),
            row("b!2", "Msk Thutshembo Training Centre", emails=["admin@masekothutshembotraining.co.za"])]
    result, _ = run(rows)
    [asked] = result.review
    assert "one's website is the other's email domain (masekothutshembotraining.co.za)" in asked.evidence.explanation


def test_a_website_and_a_mail_domain_that_differ_say_nothing_of_the_kind() -> None:
    rows = [row("a!2", "Maseko Thutshembo Training Centre", website="https://www.masekothutshembotraining.co.za"),
            row("b!2", "Msk Thutshembo Training Centre", emails=["admin@thutshembo.co.za"])]
    result, clusters = run(rows)
    assert not result.review and not together(clusters, "a!2", "b!2")


def test_names_spelt_alike_with_their_own_lines_are_two_organisations() -> None:
    _, clusters = run([row("a!2", "Kondomago Flight School", phones=["+27185550100"]),
                       row("b!2", "Kondomgao Flight School", phones=["+27185550199"])])
    assert not together(clusters, "a!2", "b!2")


def test_one_name_written_the_same_with_two_lines_is_one_organisation() -> None:
    _, clusters = run([row("a!2", "Kondomago Flight School", phones=["+27185550100"]),
                       row("b!2", "KONDOMAGO FLIGHT SCHOOL (PTY) LTD", phones=["+27185550199"])])
    assert together(clusters, "a!2", "b!2")
