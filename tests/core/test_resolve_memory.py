"""Resolve's memory handling (issue 15) changes no outcome: learning's sample of blocking's pairs
drawn right after the bound (so the pairs can go) learns what the pairs themselves learn, and a
link kept with the parts it shares with other links says what it said before."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.resolve.engine import _kept
from core.resolve.learn import blocked_sample, learn_weights
from core.resolve.scoring import Scored, evidence
from core.resolve.settings import ResolutionSettings

LEVELS = {"name": ("equal", "near", "differ"), "web": ("strong", "weak", "none", "conflict"),
          "mail": ("strong", "none"), "phone": ("strong", "none"), "province": ("agree", "conflict", "none"),
          "area": ("agree", "none")}


def _scored(x: int, y: int) -> Scored:
    rng = np.random.default_rng(x * 7919 + y)
    levels = {f: str(options[rng.integers(len(options))]) for f, options in LEVELS.items()}
    weight = float(rng.normal(2.0, 3.0))
    return Scored(weight, ["names alike"], [], levels=levels, contributions={"name": weight / 2})


@dataclass
class _Pairs:  # what learn reads of blocking's Candidates
    a: np.ndarray
    b: np.ndarray

    def __len__(self) -> int:
        return len(self.a)


def test_a_sample_drawn_after_the_bound_learns_what_the_pairs_learn() -> None:
    settings = ResolutionSettings(learn_weights=True, learn_min_pairs=10)
    rng = np.random.default_rng(5)
    a = np.sort(rng.integers(0, 3000, 9000)).astype(np.int32)
    pairs = _Pairs(a, (a + 1 + rng.integers(0, 50, len(a))).astype(np.int32))
    scored = [_scored(int(x), int(y)) for x, y in zip(pairs.a[:400].tolist(), pairs.b[:400].tolist())]
    late = learn_weights(scored, settings, pairs, _scored)
    early = learn_weights(scored, settings, blocked_sample(pairs), _scored)
    assert late is not None and early == late
    assert len(blocked_sample(pairs)) == len(pairs) and early.sampled == 2000


def test_a_kept_link_shares_equal_parts_and_says_the_same() -> None:
    kept: dict = {}
    first, second = _scored(1, 2), _scored(1, 2)
    said = evidence_of(first)
    for link in (first, second):
        _kept(link, kept)
    assert second.levels is first.levels and second.contributions is first.contributions
    assert second.reasons_for[0] is first.reasons_for[0] and second.reasons_against is ()
    assert evidence_of(first) == said and evidence_of(second) == said
    # equal as numbers is not enough: a zero keeps its sign, a whole number its type
    plus, minus, whole = (Scored(0.0, contributions={"name": v}) for v in (0.0, -0.0, 0))
    for link in (plus, minus, whole):
        _kept(link, kept)
    assert str(minus.contributions["name"]) == "-0.0" and type(whole.contributions["name"]) is int


def evidence_of(scored: Scored):
    from core.resolve.groups import Group

    a, b = Group.__new__(Group), Group.__new__(Group)
    a.anchor, b.anchor = "x.xlsx#S!2", "x.xlsx#S!3"
    return evidence(a, b, scored)
