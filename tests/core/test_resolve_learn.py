"""Evidence weights learned from the case (issue 14 item 2): u from a random sample of blocked pairs,
m by EM with u fixed. What an operator notices: learned weights merge as precisely as the profile's,
a chain's switchboard still says nothing, every learned merge says which evidence weighed most, a
re-sorted sheet learns the same weights, and a small case keeps the profile's weights."""

from __future__ import annotations

import pandas as pd
import pytest

from core.resolve import ResolutionSettings, resolve
from core.resolve.learn import profile_table
from tests.core.test_resolve_engine import partition, row
from tests.core.test_resolve_sector import make_case
from tests.generators.messy_case import pairwise

LEARN = ResolutionSettings(learn_weights=True, learn_min_pairs=200)
SWITCHBOARD = "+27860100200"


@pytest.fixture(scope="module")
def case() -> tuple[pd.DataFrame, pd.Series]:
    records, truth = make_case(900, seed=11)
    # a group's switchboard, listed by five organisations with nothing else in common, two of them
    # with names that share a word: the phone must not join them
    extra = [row(f"sw.xlsx#S!{i}", name, phones=[SWITCHBOARD], province="Gauteng") for i, name in enumerate(
        ["Kuduvale Dental Studio", "Kuduvale Eye Care Centre", "Marabou Radiology", "Tsessebe Pharmacy",
         "Umbrella Pathology Laboratories"], start=2)]
    frame = pd.DataFrame(extra)
    records = pd.concat([records, frame], ignore_index=True)
    truth = pd.concat([truth, pd.Series([f"switchboard {i}" for i in range(len(frame))])], ignore_index=True)
    return records, truth


@pytest.fixture(scope="module")
def learned_run(case):
    records, _ = case
    return resolve(records, LEARN)


def test_learned_weights_merge_as_precisely_as_the_profiles(case, learned_run) -> None:
    records, truth = case
    rules = resolve(records, ResolutionSettings())
    precision, recall, _ = pairwise(truth, learned_run.cluster_ids)
    rules_precision, rules_recall, _ = pairwise(truth, rules.cluster_ids)
    assert learned_run.learned is not None and learned_run.learned.sampled > 0
    assert precision >= min(rules_precision, 0.995) and recall >= rules_recall - 0.005
    # the queue an operator answers does not balloon (a chain's branches share a site and a phone)
    assert len(learned_run.review) <= len(rules.review) + 5


def test_a_shared_switchboard_keeps_organisations_apart_with_learned_weights(case, learned_run) -> None:
    records, _ = case
    clusters = partition(records["record_id"], learned_run.cluster_ids)
    switchboard = {f"sw.xlsx#S!{i}" for i in range(2, 7)}
    assert all(len(c & switchboard) <= 1 for c in clusters)
    # what the case says about a value many organisations share: no more than the profile gives it
    weak = learned_run.learned.table["phone"]["weak"]
    assert weak <= profile_table(LEARN)["phone"]["weak"]


def test_every_learned_merge_says_which_evidence_weighed_most(learned_run) -> None:
    merges = [m for m in learned_run.merges if "approved" not in m.explanation]
    assert merges and all(m.weighed_most and f"(weighed most: {m.weighed_most})" in m.explanation for m in merges)
    # a merge on a shared phone and website with names that differ is decided by those, and says so
    by_identifier = [m for m in merges if m.weighed_most in ("the phone number", "the website", "the email")]
    assert by_identifier


def test_learned_weights_stay_within_the_clamp_of_the_profiles(learned_run) -> None:
    base = profile_table(LEARN)
    for feature, levels in learned_run.learned.table.items():
        for level, weight in levels.items():
            assert abs(weight - base[feature][level]) <= LEARN.learn_clamp + 1e-9
    assert learned_run.learned.prior == LEARN.weights.prior  # the names and the prior stay the rules'
    assert learned_run.learned.table["name"] == base["name"]


def test_a_re_sorted_case_learns_the_same_weights_and_organisations(case, learned_run) -> None:
    records, _ = case
    shuffled = records.sample(frac=1.0, random_state=3).reset_index(drop=True)
    again = resolve(shuffled, LEARN)
    assert again.learned.describe() == learned_run.learned.describe()
    assert partition(shuffled["record_id"], again.cluster_ids) == partition(records["record_id"],
                                                                            learned_run.cluster_ids)


def test_a_small_case_keeps_the_profiles_weights() -> None:
    rows = [row("a.xlsx#S!2", "360 Aviation"), row("b.xlsx#S!2", "360 Aviation (pty) Ltd"),
            row("a.xlsx#S!3", "Kestrel Flight School", phones=["+27115550101"]),
            row("b.xlsx#S!3", "Kestrel Aviation Academy", phones=["+27115550101"])]
    records = pd.DataFrame(rows)
    learned = resolve(records, ResolutionSettings(learn_weights=True))
    rules = resolve(records, ResolutionSettings())
    assert learned.learned is None
    assert partition(records["record_id"], learned.cluster_ids) == partition(records["record_id"], rules.cluster_ids)
    assert [m.explanation for m in learned.merges] == [m.explanation for m in rules.merges]
    assert all("weighed most" not in m.explanation for m in learned.merges)
