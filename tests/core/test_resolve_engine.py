"""resolve(): which rows become one organisation, which pairs wait for the operator, and the plain
words that say why (SPEC §4 step 6)."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.resolve import ResolutionSettings, resolve
from core.resolve.review import pair_id
from tests.core.test_resolve_sector import make_case, pairwise

DIRECTORY = "https://www.aviationdirectory.co.za"
OTHERS = ["Blue Horizon Flights", "Kestrel Aero Club", "Falcon Air Maintenance", "Mokoena Helicopters"]


def row(record_id: str, name: str, website: str | None = None, emails=(), phones=(), province=None, area=None,
        link=None) -> dict:
    return {"record_id": record_id, "organization_name": name, "website": website, "emails": tuple(emails),
            "phones": tuple(phones), "province": province, "area": area, "link_record_id": link}


def run(rows: list[dict], settings: ResolutionSettings | None = None, decisions=None):
    records = pd.DataFrame(rows)
    result = resolve(records, settings or ResolutionSettings(), decisions or {})
    return result, partition(records["record_id"], result.cluster_ids)


def partition(record_ids, cluster_ids) -> set[frozenset[str]]:
    clusters: dict[int, set[str]] = {}
    for record_id, cluster in zip(record_ids, cluster_ids):
        clusters.setdefault(cluster, set()).add(record_id)
    return {frozenset(c) for c in clusters.values()}


def apart(*record_ids: str) -> set[frozenset[str]]:
    return {frozenset([r]) for r in record_ids}


def reviewed(result) -> dict[frozenset[str], str]:
    return {frozenset((p.evidence.record_a, p.evidence.record_b)): p.evidence.explanation for p in result.review}


# -- evidence that merges ----------------------------------------------------------------------------

def test_names_equal_after_removing_the_legal_form_merge_and_say_so() -> None:
    result, clusters = run([row("a.xlsx#S!2", "360 Aviation"), row("b.xlsx#S!2", "360 Aviation (pty) Ltd")])
    assert clusters == {frozenset({"a.xlsx#S!2", "b.xlsx#S!2"})}
    assert [m.explanation for m in result.merges] == ["names equal after removing '(pty) Ltd'"]


def test_rows_within_one_file_merge_as_across_files() -> None:
    _, clusters = run([row("a.xlsx#S!2", "Kloof Dental Studio"), row("a.xlsx#S!9", "The Kloof Dental Studio CC")])
    assert len(clusters) == 1


@pytest.mark.parametrize("evidence, words", [
    ({"website": "https://www.skylinecharters.co.za/"}, "same website domain (skylinecharters.co.za)"),
    ({"phones": ["+27115550101"]}, "same phone number"),
])
def test_a_shared_website_or_phone_merges_names_that_alone_would_not(evidence: dict, words: str) -> None:
    bare = [row("a!2", "Skyline Charters"), row("b!2", "Skyline Air Charters")]
    _, clusters = run(bare)
    assert clusters == apart("a!2", "b!2")
    result, clusters = run([r | evidence for r in bare])
    assert clusters == {frozenset({"a!2", "b!2"})}
    assert result.merges[0].explanation == f"one name adds 'air'; {words}"


def test_a_shared_email_domain_merges_an_acronym_with_its_long_name() -> None:
    result, clusters = run([row("a!2", "ATNS", emails=["ops@atns.co.za"]),
                            row("b!2", "Air Traffic Navigation Services", emails=["info@atns.co.za"])])
    assert clusters == {frozenset({"a!2", "b!2"})}
    assert result.merges[0].explanation == ("'atns' is the initials of 'air traffic navigation services'; "
                                            "same email domain (atns.co.za)")


def test_a_free_mail_domain_is_no_evidence() -> None:
    rows = [row("a!2", "ATNS", emails=["atns.ops@gmail.com"]),
            row("b!2", "Air Traffic Navigation Services", emails=["info.atns@gmail.com"])]
    result, clusters = run(rows)
    assert clusters == apart("a!2", "b!2") and not result.review
    # the free-mail list is what keeps them apart: without it gmail.com counts as their domain
    _, clusters = run(rows, ResolutionSettings(free_mail_domains=[]))
    assert clusters == {frozenset({"a!2", "b!2"})}


def test_an_email_domain_alone_with_a_partial_name_asks_the_operator() -> None:
    result, clusters = run([row("a!2", "Skyline Charters", emails=["info@skyline.co.za"]),
                            row("b!2", "Skyline Air Charters", emails=["bookings@skyline.co.za"])])
    assert clusters == apart("a!2", "b!2")
    assert reviewed(result) == {frozenset({"a!2", "b!2"}): "one name adds 'air'; same email domain (skyline.co.za)"}
    assert result.review[0].pair_id == pair_id("a!2", "b!2") == pair_id("b!2", "a!2")
    assert 0.5 <= result.review[0].evidence.score < 0.85


# -- values many organisations share ----------------------------------------------------------------

def test_a_directory_site_shared_by_many_does_not_merge() -> None:
    others = [row(f"c!{i}", name, website=DIRECTORY) for i, name in enumerate(OTHERS, start=2)]
    pair = [row("a!2", "Skyline Charters"), row("b!2", "Skyline Air Charters")]
    result, clusters = run([r | {"website": DIRECTORY} for r in pair] + others)
    assert len(clusters) == 6 and not result.merges and not result.review
    # the same pair with a site of its own merges: the directory is what is weak
    _, clusters = run([r | {"website": "https://skyline.co.za"} for r in pair] + others)
    assert frozenset({"a!2", "b!2"}) in clusters


def test_weak_evidence_is_named_as_weak() -> None:
    others = [row(f"c!{i}", name, website=DIRECTORY) for i, name in enumerate(OTHERS, start=2)]
    pair = [row("a!2", "Skyline Charters", website=DIRECTORY, phones=["+27115550101"]),
            row("b!2", "Skyline Air Charters", website=DIRECTORY, phones=["+27115550101"])]
    result, clusters = run(pair + others)
    assert frozenset({"a!2", "b!2"}) in clusters
    assert result.merges[0].explanation == ("one name adds 'air'; both list website domain aviationdirectory.co.za, "
                                            "shared by 5 organisations (weak evidence); same phone number")


def test_chain_branches_in_different_towns_stay_apart() -> None:
    towns = [("Sandton", "Gauteng"), ("Pretoria", "Gauteng"), ("Bellville", "Western Cape"), ("Umhlanga", "KwaZulu-Natal")]
    shared = {"website": "https://sunrisepharmacy.co.za", "emails": ["info@sunrisepharmacy.co.za"],
              "phones": ["+27860111222"]}
    rows = [row(f"a!{i}", f"Sunrise Pharmacy - {town}", province=province, area=town, **shared)
            for i, (town, province) in enumerate(towns, start=2)]
    result, clusters = run(rows)
    assert clusters == apart(*(r["record_id"] for r in rows))
    assert not result.merges and not result.review  # the chain's switchboard and info@ say nothing


def test_two_rows_of_one_branch_still_merge_beside_the_chain() -> None:
    shared = {"website": "https://sunrisepharmacy.co.za", "emails": ["info@sunrisepharmacy.co.za"],
              "phones": ["+27860111222"]}
    rows = [row(f"a!{i}", f"Sunrise Pharmacy - {town}", **shared)
            for i, town in enumerate(["Sandton", "Pretoria", "Bellville"], start=2)]
    rows.append(row("b!2", "SUNRISE PHARMACY SANDTON (PTY) LTD", **shared))
    _, clusters = run(rows)
    assert clusters == {frozenset({"a!2", "b!2"}), frozenset({"a!3"}), frozenset({"a!4"})}


# -- conflicting evidence ----------------------------------------------------------------------------

def test_different_provinces_count_against() -> None:
    same = [row("a!2", "Acme Aviation", province="Gauteng"), row("b!2", "ACME AVIATION CC")]
    _, clusters = run(same)
    assert len(clusters) == 1
    _, clusters = run([same[0], same[1] | {"province": "Western Cape"}])
    assert clusters == apart("a!2", "b!2")
    # even with a shared website and phone the conflict leaves the pair to the operator
    ids = {"website": "https://acmeaviation.co.za", "phones": ["+27115550101"]}
    result, clusters = run([same[0] | ids, same[1] | ids | {"province": "Western Cape"}])
    assert clusters == apart("a!2", "b!2")
    assert reviewed(result)[frozenset({"a!2", "b!2"})] == (
        "names equal after removing 'CC'; same website domain (acmeaviation.co.za); same phone number; "
        "provinces differ (Gauteng / Western Cape)")


def test_different_websites_count_against() -> None:
    pair = [row("a!2", "Skyline Charters", phones=["+27115550101"], website="https://skyline.co.za"),
            row("b!2", "Skyline Air Charters", phones=["+27115550101"])]
    first, clusters = run(pair)
    assert len(clusters) == 1
    second, clusters = run([pair[0], pair[1] | {"website": "https://skylineair.com"}])
    assert clusters == apart("a!2", "b!2")
    explanation = reviewed(second)[frozenset({"a!2", "b!2"})]
    assert explanation.endswith("websites differ (skyline.co.za / skylineair.com)")
    assert second.review[0].evidence.score < first.merges[0].score


# -- no chaining ---------------------------------------------------------------------------------------

def test_no_chaining_through_a_middle_row() -> None:
    durban = row("a!2", "Acme Flight School Durban", phones=["+27315550101"])
    middle = row("b!2", "Acme Flight School", phones=["+27315550101"], website="https://acmeflight.co.za")
    cape = row("c!2", "Acme Flight School Cape Town", website="https://acmeflight.co.za")
    # each link alone merges
    assert len(run([durban, middle])[1]) == 1
    assert len(run([middle, cape])[1]) == 1
    result, clusters = run([durban, middle, cape])
    assert len(clusters) == 2
    assert not any({"a!2", "c!2"} <= cluster for cluster in clusters)
    # the link that was not taken waits for the operator, saying why
    [question] = result.review
    assert "kept apart" in question.evidence.explanation


def test_no_chaining_across_provinces() -> None:
    rows = [row("a!2", "Acme Aviation", province="Gauteng", phones=["+27115550101"]),
            row("b!2", "Acme Aviation (Pty) Ltd", phones=["+27115550101"], website="https://acmeaviation.co.za"),
            row("c!2", "ACME AVIATION", province="Western Cape", website="https://acmeaviation.co.za")]
    _, clusters = run(rows)
    assert len(clusters) == 2 and not any({"a!2", "c!2"} <= c for c in clusters)


# -- decisions -----------------------------------------------------------------------------------------

def test_decisions_are_applied() -> None:
    rows = [row("a!2", "Skyline Charters", emails=["info@skyline.co.za"]),
            row("b!2", "Skyline Air Charters", emails=["bookings@skyline.co.za"])]
    pid = pair_id("a!2", "b!2")
    result, clusters = run(rows, decisions={pid: "approve"})
    assert len(clusters) == 1
    assert result.merges[0].explanation.startswith("approved by the operator; one name adds 'air'")
    assert [(p.pair_id, p.decision) for p in result.review] == [(pid, "approve")]
    result, clusters = run(rows, decisions={pid: "reject"})
    assert clusters == apart("a!2", "b!2")
    assert [(p.pair_id, p.decision) for p in result.review] == [(pid, "reject")]


def test_a_rejected_pair_is_not_asked_again_through_another_row_of_the_same_organisation() -> None:
    rows = [row("a!2", "Skyline Charters", emails=["info@skyline.co.za"]),
            row("b!2", "Skyline Air Charters", emails=["bookings@skyline.co.za"]),
            row("c!2", "Skyline Charters (Pty) Ltd", emails=["ops@skyline.co.za"])]
    first, clusters = run(rows)
    assert clusters == {frozenset({"a!2", "c!2"}), frozenset({"b!2"})}
    [question] = first.review
    result, clusters = run(rows, decisions={question.pair_id: "reject"})
    assert clusters == {frozenset({"a!2", "c!2"}), frozenset({"b!2"})}
    assert [(p.pair_id, p.decision) for p in result.review] == [(question.pair_id, "reject")]


def test_a_rejected_pair_never_merges_even_on_strong_evidence_or_through_a_third_row() -> None:
    rows = [row("a!2", "360 Aviation", phones=["+27115550101"]), row("b!2", "360 Aviation (Pty) Ltd"),
            row("c!2", "360 AVIATION", phones=["+27115550101"])]
    assert len(run(rows)[1]) == 1
    _, clusters = run(rows, decisions={pair_id("a!2", "b!2"): "reject"})
    assert not any({"a!2", "b!2"} <= c for c in clusters)


# -- blocking ------------------------------------------------------------------------------------------

def test_blocking_compares_a_small_share_of_pairs_and_grows_about_linearly() -> None:
    compared = {}
    for n_orgs in (1000, 2000):
        records, truth = make_case(n_orgs, seed=7)
        result = resolve(records, ResolutionSettings())
        n = len(records)
        compared[n] = result.pairs_compared
        assert result.pairs_compared < 0.02 * n * (n - 1) / 2, (n, result.pairs_compared)
        assert result.pairs_compared < 25 * n
        precision, recall = pairwise(truth, result.cluster_ids)
        assert precision >= 0.99 and recall >= 0.99
    (small, few), (large, many) = sorted(compared.items())
    assert large > 4000
    assert many / few < 1.3 * large / small


def test_a_value_hundreds_of_rows_share_is_not_an_all_pairs_block() -> None:
    rng = random.Random(3)
    words = ["Sky", "Aero", "Falcon", "Kestrel", "Blue", "Cape", "Vaal", "Lowveld", "Karoo", "Eagle", "Star", "Jet"]
    names = sorted({f"{rng.choice(words)} {rng.choice(words)} {rng.choice(words)} {rng.randint(1, 999)}"
                    for _ in range(400)})
    rows = [row(f"a!{i}", name, website=DIRECTORY) for i, name in enumerate(names, start=2)]
    result, _ = run(rows)
    n = len(rows)
    assert n > 350
    assert result.pairs_compared < 0.15 * n * (n - 1) / 2
    assert not result.merges


# -- explanations --------------------------------------------------------------------------------------

def test_explanations_are_plain_words_without_personal_values() -> None:
    records, _ = make_case(300, seed=5)
    result = resolve(records, ResolutionSettings())
    texts = [m.explanation for m in result.merges] + [p.evidence.explanation for p in result.review]
    assert len(result.merges) > 100 and texts
    phones = {p for ps in records["phones"] for p in ps}
    emails = {e for es in records["emails"] for e in es}
    for text in texts:
        assert text and text[0].islower() and "{" not in text and "nan" not in text.split()
        assert not any(p in text for p in phones) and not any(e in text for e in emails)
    vocabulary = ("same name", "names equal", "same website domain", "same phone number", "same email",
                  "one name adds", "differ only in spelling", "initials", "weak evidence")
    assert all(any(v in m.explanation for v in vocabulary) for m in result.merges)


# -- order ---------------------------------------------------------------------------------------------

def _tie_case() -> list[dict]:
    """B is as like A as like C; A and C are clearly different: which one B joins must not follow ids."""
    return [row("t1.xlsx#Sheet1!2", "Acme Flight School Durban", phones=["+27315550101"]),
            row("t1.xlsx#Sheet1!3", "Acme Flight School", phones=["+27315550101"], website="https://acmeflight.co.za"),
            row("t2.xlsx#Sheet1!2", "Acme Flight School Cape Town", website="https://acmeflight.co.za")]


def _case(seed: int) -> pd.DataFrame:
    records, _ = make_case(40, seed)
    records = records.reindex(columns=[*row("x", "x"), "source_file"])
    tie = pd.DataFrame(_tie_case()).assign(source_file=lambda f: f["record_id"].str.split("#").str[0])
    return pd.concat([records, tie], ignore_index=True)


def _reshuffled(records: pd.DataFrame, rng: random.Random) -> pd.DataFrame:
    """As if the files came in another order and each sheet's rows were sorted differently: every
    record id (file#sheet!row) changes, links follow, the frame's row order is shuffled too."""
    places = records["record_id"].str.rsplit("!", n=1).str[0]
    files = sorted(records["source_file"].unique())
    renamed = dict(zip(files, rng.sample(files, len(files))))
    new_ids = {}
    for place, ids in records.groupby(places)["record_id"]:
        file, _, sheet = place.partition("#")
        rows = rng.sample(range(2, 2 + len(ids)), len(ids))
        new_ids.update({old: f"{renamed[file]}#{sheet}!{r}" for old, r in zip(ids, rows)})
    shuffled = records.assign(record_id=records["record_id"].map(new_ids),
                              link_record_id=records["link_record_id"].map(new_ids))
    return shuffled.sample(frac=1, random_state=rng.randrange(2**32)).rename(columns={})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 30), shuffle=st.randoms(use_true_random=False))
def test_clusters_do_not_depend_on_file_or_row_order(seed: int, shuffle: random.Random) -> None:
    records = _case(seed)
    base = resolve(records, ResolutionSettings())
    expected = partition(records["record_id"], base.cluster_ids)
    shuffled = _reshuffled(records, shuffle)
    again = resolve(shuffled, ResolutionSettings())
    back = dict(zip(shuffled["record_id"], records.loc[shuffled.index, "record_id"]))
    assert partition([back[r] for r in shuffled["record_id"]], again.cluster_ids) == expected
    assert again.pairs_compared == base.pairs_compared
    assert len(again.merges) == len(base.merges) and len(again.review) == len(base.review)


def test_tie_between_two_clearly_different_rows_does_not_follow_ids() -> None:
    rows = _tie_case()
    _, first = run(rows)
    swapped = [rows[0] | {"record_id": "z.xlsx#Sheet1!2"}, *rows[1:]]
    _, second = run(swapped)
    rename = {"z.xlsx#Sheet1!2": "t1.xlsx#Sheet1!2"}
    assert {frozenset(rename.get(r, r) for r in c) for c in second} == first


def test_a_spelling_that_would_join_two_provinces_is_not_asked_about() -> None:
    # Kept apart as a pair in two provinces is; one name written two ways in two provinces is asked about
    rows = [row("a!2", "Acme Aviation", province="Gauteng", phones=["+27115550101"]),
            row("b!2", "Acme Aviation (Pty) Ltd", phones=["+27115550101"], website="https://acmeaviation.co.za"),
            row("c!2", "ACME AVAITION", province="Western Cape", website="https://acmeaviation.co.za")]
    result, clusters = run(rows)
    assert not any({"a!2", "c!2"} <= c for c in clusters) and not result.review
    rows[2]["organization_name"] = "ACME AVIATION"
    result, _ = run(rows)
    [asked] = result.review
    assert "provinces differ" in asked.evidence.explanation
