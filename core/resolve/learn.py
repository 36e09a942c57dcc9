"""Evidence weights from the case itself: Fellegi–Sunter m and u probabilities estimated by EM
over the scored pairs, as probabilistic linkers do.

Each pair shows one level of each feature (name: equal, near, adds words…; web, mail, phone:
strong, weak, conflict, none; province and area: agree, conflict, none). EM starts from the
profile's weights (their posterior is the first guess of which pairs match) and estimates, for
each level, how often matches (m) and non-matches (u) show it; log(m/u) is the level's weight.

The profile keeps the reins: a learned weight stays within `learn_clamp` of the profile's, the
identifiers together count at most the larger of the profile's cap and the best single one, and a
case with fewer than `learn_min_pairs` scored pairs keeps the profile's weights (a handful of
pairs says nothing about a sector). Shared-value discounts stay: a weak value is its own level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.resolve.scoring import Scored
from core.resolve.settings import ResolutionSettings

FEATURES = ("name", "web", "mail", "phone", "province", "area")
IDENTIFIERS = ("web", "mail", "phone")
LEVELS = {
    "name": ("equal", "near", "abbreviated", "abbreviated brand", "alike", "adds words", "kind swapped", "acronym",
             "differ", "unrelated", "none"),
    "web": ("strong", "weak", "conflict", "none"),
    "mail": ("strong", "weak", "conflict", "none"),
    "phone": ("strong", "weak", "none"),
    "province": ("agree", "conflict", "none"),
    "area": ("agree", "conflict", "none"),
}


@dataclass
class LearnedWeights:
    prior: float
    table: dict[str, dict[str, float]]  # feature -> level -> weight (log m/u)
    cap: float  # the identifiers together add at most this
    pairs: int  # scored pairs it was estimated on
    match_share: float  # the estimated share of matches among them

    def apply(self, scored: Scored) -> None:
        contributions = {f: self.table[f].get(scored.levels.get(f, "none"), 0.0) for f in FEATURES}
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
        "name": {"equal": w.name_equal, "near": w.name_near, "abbreviated": w.name_near,
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


def learn_weights(pairs: list[Scored], settings: ResolutionSettings) -> LearnedWeights | None:
    if not settings.learn_weights or len(pairs) < settings.learn_min_pairs:
        return None
    base = profile_table(settings)
    codes = {f: np.array([LEVELS[f].index(s.levels.get(f, "none")) for s in pairs], dtype=np.int64)
             for f in FEATURES}
    fixed = np.array([s.fixed for s in pairs])
    weights = np.array([s.weight for s in pairs])
    posterior = 1 / (1 + np.exp(-np.clip(weights, -30, 30)))
    low = {f: np.array([base[f][lv] for lv in LEVELS[f]]) - settings.learn_clamp for f in FEATURES}
    high = {f: np.array([base[f][lv] for lv in LEVELS[f]]) + settings.learn_clamp for f in FEATURES}
    table = {f: np.array([base[f][lv] for lv in LEVELS[f]]) for f in FEATURES}
    prior = settings.weights.prior
    cap = settings.weights.identifier_cap
    for _ in range(settings.em_iterations):
        matches = posterior.sum()
        share = float(np.clip(matches / len(pairs), 1e-4, 1 - 1e-4))
        prior = float(np.clip(np.log(share / (1 - share)), settings.weights.prior - settings.learn_clamp,
                              settings.weights.prior + settings.learn_clamp))
        for f in FEATURES:
            size = len(LEVELS[f])
            # add-one smoothing: a level no pair showed keeps a finite weight
            m = (np.bincount(codes[f], weights=posterior, minlength=size) + 1) / (matches + size)
            u = (np.bincount(codes[f], weights=1 - posterior, minlength=size) + 1) / (len(pairs) - matches + size)
            table[f] = np.clip(np.log(m / u), low[f], high[f])
        cap = max(settings.weights.identifier_cap, *(float(table[f].max()) for f in IDENTIFIERS))
        logit = prior + fixed + sum(table[f][codes[f]] for f in FEATURES if f not in IDENTIFIERS)
        ids = np.stack([table[f][codes[f]] for f in IDENTIFIERS])
        logit += np.minimum(np.clip(ids, 0, None).sum(axis=0), cap) + np.clip(ids, None, 0).sum(axis=0)
        posterior = 1 / (1 + np.exp(-np.clip(logit, -30, 30)))
    learned = {f: {lv: float(table[f][i]) for i, lv in enumerate(LEVELS[f])} for f in FEATURES}
    return LearnedWeights(prior, learned, cap, len(pairs), float(posterior.mean()))

