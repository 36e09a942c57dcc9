"""Evidence weights from the case itself: Fellegi–Sunter m and u probabilities, estimated as
probabilistic linkers (Splink and others) do: u from a random sample of pairs, m by EM with u
held fixed, the share of matches from the blocked pairs.

Each pair shows one level of each feature (name: equal, near, adds words…; web, mail, phone:
strong, weak, conflict, none; province and area: agree, conflict, none). A level's weight is
log(m/u): how much more often one organisation's two rows show it (m) than two organisations' (u).

* u comes from a random sample of the pairs blocking brought together, all of them, not only the
  few the bound lets through: almost all are two organisations, and the few that are not count by
  the profile's doubt in them (1 - its posterior). Random pairs of the whole case would not do:
  every shared value is a blocking key, so outside the blocks two rows almost never share one, and
  every shared value would weigh as much as the clamp allows (10k-row case: precision 0.93).
* m comes from EM over the scored pairs with u fixed: the posterior says how much each pair is a
  match, the matches' levels give m, the new weights a new posterior.
* "none" (no shared and no differing value) weighs nothing, as a null does in those linkers; a
  shared province or area weighs nothing too (most organisations of a town share it).
* The names and the prior stay the profile's: blocking is by name, so inside the blocks how alike
  the names are and how likely a match is cannot be told apart (every pair has a name verdict),
  and EM left free there raised both together (10k-row case: precision 0.9667). The rules decide
  what names say; the case decides what its websites, emails, phones and places say.

The profile keeps the reins: a learned weight stays within `learn_clamp` of the profile's, the
identifiers together count at most the profile's cap, and a case with fewer than `learn_min_pairs`
scored pairs keeps the profile's weights (a handful of
pairs says nothing about a sector). Shared-value discounts stay: a weak value is its own level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.resolve.scoring import Scored
from core.resolve.settings import ResolutionSettings

FEATURES = ("name", "web", "mail", "phone", "province", "area")
IDENTIFIERS = ("web", "mail", "phone")
LEARNED = ("web", "mail", "phone", "province", "area")  # names and the prior stay the profile's
NO_EVIDENCE = {"web": ("none",), "mail": ("none",), "phone": ("none",), "province": ("none", "agree"),
               "area": ("none", "agree")}
LEVELS = {
    "name": ("equal", "near", "near kind words", "abbreviated", "abbreviated brand", "alike", "adds words",
             "kind swapped", "acronym", "differ", "unrelated", "none"),
    "web": ("strong", "weak", "conflict", "none"),
    "mail": ("strong", "weak", "conflict", "none"),
    "phone": ("strong", "weak", "none"),
    "province": ("agree", "conflict", "none"),
    "area": ("agree", "conflict", "none"),
}
U_SAMPLE = 2000  # random blocked pairs scored for u: ~0.3 s whatever the case's size
SMOOTHING = 0.5  # pseudo-count per level, so a level no pair showed keeps a finite weight


@dataclass
class LearnedWeights:
    prior: float
    table: dict[str, dict[str, float]]  # feature -> level -> weight (log m/u)
    cap: float  # the identifiers together add at most this
    pairs: int  # scored pairs m was estimated on
    match_share: float  # the estimated share of matches among the blocked pairs (lambda)
    sampled: int = 0  # random blocked pairs u was estimated on

    def apply(self, scored: Scored) -> None:
        contributions = {f: self.table[f].get(scored.levels.get(f, "none"), 0.0) for f in FEATURES}
        # the name's weight is the rules' own (a kind word added weighs more than another word)
        contributions["name"] = scored.contributions.get("name", contributions["name"])
        positive = sum(max(contributions[f], 0.0) for f in IDENTIFIERS)
        negative = sum(min(contributions[f], 0.0) for f in IDENTIFIERS)
        others = sum(contributions[f] for f in FEATURES if f not in IDENTIFIERS)
        scored.weight = self.prior + others + min(positive, self.cap) + negative + scored.fixed
        scored.contributions = contributions
        scored.learned = True

    def describe(self) -> dict[str, dict[str, float]]:
        return {f: {level: round(w, 2) for level, w in levels.items()} for f, levels in self.table.items()}


def profile_table(settings: ResolutionSettings) -> dict[str, dict[str, float]]:
    """The profile's weights per level: where EM starts, and what a learned weight stays near."""
    w = settings.weights
    return {
        "name": {"equal": w.name_equal, "near": w.name_near, "near kind words": w.name_near, "abbreviated": w.name_near,
                 "abbreviated brand": w.name_partial, "alike": w.name_partial, "adds words": w.name_partial,
                 "kind swapped": w.name_kind_word, "acronym": w.name_acronym, "differ": w.name_differ,
                 "unrelated": w.name_unrelated, "none": 0.0},
        "web": {"strong": w.website, "weak": w.weak_value, "conflict": w.website_conflict, "none": 0.0},
        "mail": {"strong": max(w.email, w.email_domain), "weak": w.weak_value, "conflict": w.email_domain_conflict,
                 "none": 0.0},
        "phone": {"strong": w.phone, "weak": w.weak_value, "none": 0.0},
        "province": {"agree": 0.0, "conflict": w.province_conflict, "none": 0.0},
        "area": {"agree": 0.0, "conflict": w.area_conflict, "none": 0.0},
    }


def learn_weights(pairs: list[Scored], settings: ResolutionSettings, candidates=None,
                  score: Callable[[int, int], Scored] | None = None) -> LearnedWeights | None:
    """`pairs`: the scored pairs, with the profile's weights. `candidates` (blocking's pairs, .a and
    .b, or the BlockedSample drawn from them) and `score` (a pair of group indices -> Scored, with the profile's weights) give the random
    sample for u; without them u comes from the scored pairs themselves, each by the profile's doubt."""
    if not settings.learn_weights or len(pairs) < settings.learn_min_pairs:
        return None
    base = {f: np.array([profile_table(settings)[f][lv] for lv in LEVELS[f]]) for f in FEATURES}
    sample = _sample(candidates, score) if candidates is not None and score is not None else pairs
    u = _u(sample)
    codes = _codes(pairs)
    fixed = np.array([s.fixed + s.contributions.get("name", 0.0) for s in pairs])  # what learning leaves alone
    posterior = _posterior(np.array([s.weight for s in pairs]))
    table = {f: base[f].copy() for f in FEATURES}
    # The identifiers together count at most the profile's cap, however much each says alone: a
    # chain's branches share a site, an address and a phone, and nothing but their names tells them
    # apart (letting the cap grow to the best single identifier queued them all: sector case 10 -> 66).
    prior, cap = settings.weights.prior, settings.weights.identifier_cap
    for _ in range(settings.em_iterations):
        matches = posterior.sum()
        for f in LEARNED:
            m = (np.bincount(codes[f], weights=posterior, minlength=len(LEVELS[f])) + SMOOTHING) / (
                matches + SMOOTHING * len(LEVELS[f]))
            weight = np.log(m / u[f])
            weight -= weight[LEVELS[f].index("none")]  # weights measured against no evidence
            for level in NO_EVIDENCE[f]:
                weight[LEVELS[f].index(level)] = 0.0
            table[f] = np.clip(weight, base[f] - settings.learn_clamp, base[f] + settings.learn_clamp)
        posterior = _posterior(_logits(table, prior, cap, codes, fixed))
    blocked = len(candidates) if candidates is not None else len(pairs)
    learned = {f: {lv: float(table[f][i]) for i, lv in enumerate(LEVELS[f])} for f in FEATURES}
    return LearnedWeights(prior, learned, cap, len(pairs), float(posterior.sum() / max(blocked, 1)), len(sample))


@dataclass
class BlockedSample:
    """The random sample of blocking's pairs that u is estimated on, drawn as soon as the pairs are
    made, so that they need not be kept until learning (at 1M rows 10M pairs): as learn_weights'
    `candidates` it stands for all of them (its len is theirs)."""
    a: np.ndarray  # group indices of the sampled pairs, in blocking's order
    b: np.ndarray
    total: int  # blocking's pairs

    def __len__(self) -> int:
        return self.total


def blocked_sample(candidates) -> BlockedSample:
    """The pairs `_sample` draws from `candidates` (blocking's pairs, .a and .b); the same rows draw the same sample."""
    total = len(candidates)
    picked = np.random.default_rng(total).choice(total, size=min(U_SAMPLE, total), replace=False)
    picked.sort()
    return BlockedSample(candidates.a[picked], candidates.b[picked], total)


def _sample(candidates, score: Callable[[int, int], Scored]) -> list[Scored]:
    """A random sample of blocking's pairs (or the one drawn from them), scored."""
    sample = candidates if isinstance(candidates, BlockedSample) else blocked_sample(candidates)
    return [score(int(a), int(b)) for a, b in zip(sample.a, sample.b)]


def _u(sample: list[Scored]) -> dict[str, np.ndarray]:
    """Per feature, how often two organisations show each level: the sample's levels, each pair
    counted by how sure the profile is that it is two organisations."""
    codes = _codes(sample)
    apart = 1 - _posterior(np.array([s.weight for s in sample]))
    return {f: (np.bincount(codes[f], weights=apart, minlength=len(LEVELS[f])) + SMOOTHING) / (
        apart.sum() + SMOOTHING * len(LEVELS[f])) for f in FEATURES}


def _codes(pairs: list[Scored]) -> dict[str, np.ndarray]:
    out = {}
    for f in FEATURES:
        index = {level: i for i, level in enumerate(LEVELS[f])}
        none = index["none"]
        out[f] = np.fromiter((index.get(s.levels.get(f, "none"), none) for s in pairs), dtype=np.int64, count=len(pairs))
    return out


def _logits(table, prior: float, cap: float, codes, fixed: np.ndarray) -> np.ndarray:
    """As LearnedWeights.apply, for arrays of pairs (`fixed` holds the names' weight)."""
    logit = prior + fixed + sum(table[f][codes[f]] for f in LEARNED if f not in IDENTIFIERS)
    ids = np.stack([table[f][codes[f]] for f in IDENTIFIERS])
    return logit + np.minimum(np.clip(ids, 0, None).sum(axis=0), cap) + np.clip(ids, None, 0).sum(axis=0)


def _posterior(logit: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(logit, -30, 30)))
