"""The cheap bound that decides which candidate pairs are scored in full (core/resolve/prune.py) must be a
true upper bound: a pair it drops can never reach the review band. Otherwise rows of one organisation
stay apart and nobody is asked about them, silently.

The name rules change often (issue 14). Here every candidate pair of a generated 10,000-row case is
scored with the full scorer; a name rule that grants more than the bound allows fails this test, with
the pairs it would have lost."""

from __future__ import annotations

import numpy as np
import pytest

from core.profiles import load_profile
from core.resolve.blocking import candidate_pairs
from core.resolve.groups import build_groups
from core.resolve.keys import NameKeyer
from core.resolve.names import compare_names
from core.resolve.prune import Bounder, joined, pair_bounds
from core.resolve.scoring import Scorer
from core.resolve.shared import shared_values
from core.resolve.vocabulary import case_vocabulary
from core.runtime import collector_paused
from tests.generators.messy_case import resolvable_records


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    records = resolvable_records(tmp_path_factory.mktemp("bound") / "messy-10k", 10_000, seed=15)
    settings = load_profile("generic").resolution
    with collector_paused():
        groups, _ = build_groups(records, NameKeyer(settings), {d.lower() for d in settings.free_mail_domains})
        vocab = case_vocabulary(groups, settings.common_word_share, settings.common_word_min)
        shared = shared_values(groups, settings, vocab)  # as resolve() computes them
        candidates = candidate_pairs(groups, settings, shared)
        bounds = pair_bounds(candidates, groups, settings, shared, vocab)
        scorer = Scorer(settings, shared, vocab)
        pairs = list(zip(candidates.a.tolist(), candidates.b.tolist()))
        weights = np.array([scorer.score(groups[a], groups[b]).weight for a, b in pairs])
        names = np.array([compare_names(groups[a].names, groups[b].names, settings, vocab).weight for a, b in pairs])
    return settings, groups, candidates, bounds, weights, names


def test_no_pair_the_bound_drops_reaches_the_review_band(case) -> None:
    settings, groups, candidates, bounds, weights, _ = case
    dropped = bounds.weight < settings.review_logit
    lost = np.flatnonzero(dropped & (weights >= settings.review_logit))
    examples = [f"{groups[candidates.a[i]].names[0][0]!r} / {groups[candidates.b[i]].names[0][0]!r}: "
                f"scored {weights[i]:.2f}, bound {bounds.weight[i]:.2f}" for i in lost[:10]]
    assert not len(lost), f"{len(lost)} pairs dropped by the bound reach the review band:\n" + "\n".join(examples)


def test_the_bound_is_never_below_the_full_score(case) -> None:
    """Below the band too: a bound that undercuts scores there is one weight change from losing pairs."""
    _, _, _, bounds, weights, _ = case
    assert (weights <= bounds.weight + 1e-9).all()


def test_the_bound_spares_most_candidate_pairs_the_full_scorer(case) -> None:
    """What the bound is for: at 100,000 rows scoring every candidate pair took most of resolve's time."""
    settings, _, candidates, bounds, weights, _ = case
    kept = int((bounds.weight >= settings.review_logit).sum())
    in_band = int((weights >= settings.review_logit).sum())
    assert kept < len(candidates) / 4
    assert kept < 3 * in_band


def test_with_the_names_compared_the_bound_still_holds(case) -> None:
    """resolve() compares the names of the pairs the bound keeps, then scores in full only those whose
    bound without the names plus the name verdict still reaches the band."""
    settings, groups, candidates, bounds, weights, names = case
    second = bounds.rest + names
    lost = np.flatnonzero((second < settings.review_logit) & (weights >= settings.review_logit))
    examples = [f"{groups[candidates.a[i]].names[0][0]!r} / {groups[candidates.b[i]].names[0][0]!r}: "
                f"scored {weights[i]:.2f}, bound {second[i]:.2f}" for i in lost[:10]]
    assert not len(lost), f"{len(lost)} pairs reach the review band past the second bound:\n" + "\n".join(examples)
    assert (weights <= second + 1e-9).all()


def test_chunks_bounded_ahead_in_a_thread_keep_the_same_pairs(case) -> None:
    """resolve() has each process bound its chunks i, i + step, ... and makes the next one's rest in a
    thread meanwhile: the pairs kept and their rest are those of the chunks bounded one by one."""
    settings, groups, candidates, bounds, _, _ = case
    vocab = case_vocabulary(groups, settings.common_word_share, settings.common_word_min)
    shared = shared_values(groups, settings, vocab)
    keep = bounds.weight >= settings.review_logit
    in_order = (bounds.a[keep], bounds.b[keep], bounds.rest[keep])
    bounder = Bounder(candidates, groups, settings, shared, vocab, chunk=max(1, len(candidates) // 7))
    assert bounder.chunks >= 7
    step = 2  # as two processes share them: this one 0, 2, 4...; the other 1, 3, 5...
    try:
        with collector_paused():
            found = {i: bounder.plausible(i, following=i + step) for k in range(step)
                     for i in range(k, bounder.chunks, step)}
    finally:
        bounder.close()
    ahead = joined([found[i] for i in range(bounder.chunks)])
    for mine, theirs in zip(ahead, in_order):
        assert np.array_equal(mine, theirs)
