"""Most candidate pairs from blocking are plainly different organisations that happen to share a
word. An upper bound of each pair's score, computed for all pairs at once in C (rapidfuzz cpdist,
numpy), drops those that cannot reach the review band before any pair is scored in Python.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from core.resolve.blocking import Candidates
from core.resolve.groups import Group
from core.resolve.names import MAX_NAMES
from core.resolve.settings import ResolutionSettings


def plausible_pairs(candidates: Candidates, groups: list[Group], settings: ResolutionSettings) -> list[tuple[int, int]]:
    if not len(candidates):
        return []
    w = settings.weights
    a, b, flag = candidates.a, candidates.b, candidates.flags
    web = np.where(flag["swebsite"] | flag["spage"], w.website, 0.0)
    mail = np.where(flag["semail"], max(w.email, w.email_domain), np.where(flag["sdomain"], w.email_domain, 0.0))
    phone = np.where(flag["sphone"], w.phone, 0.0)
    strong = np.minimum(web + mail + phone, w.identifier_cap)
    weak = w.weak_value * (((flag["xwebsite"] | flag["xpage"]) & (web == 0)).astype(int)
                           + ((flag["xemail"] | flag["xdomain"]) & (mail == 0)).astype(int)
                           + (flag["xphone"] & (phone == 0)).astype(int))
    best = w.prior + _name_bound(candidates, groups, settings, strong > 0) + strong + weak
    keep = np.flatnonzero(best >= settings.review_logit)
    return list(zip(a[keep].tolist(), b[keep].tolist()))


def _name_bound(candidates: Candidates, groups: list[Group], settings: ResolutionSettings,
                strong: np.ndarray) -> np.ndarray:
    """The best name verdict each pair could get, from its best-matching spellings."""
    w = settings.weights
    sort_sim, set_sim, equal = _similarities(candidates, groups)
    short = np.array([any(len(k.tokens) == 1 and len(k.key) <= 6 for k in _keys(g)) for g in groups], dtype=bool)
    acronym = np.where(short[candidates.a] | short[candidates.b], w.name_acronym, -np.inf)
    loose = np.maximum(max(w.name_partial, w.name_kind_word), acronym)
    # Partial credit needs one name's words inside the other, or a pair that shares an identifier.
    possible_partial = strong | (set_sim >= 90) | (sort_sim >= settings.unrelated_below * 100)
    other = np.where(possible_partial, loose, np.maximum(max(w.name_differ, w.name_unrelated), acronym))
    near = max(w.name_near, w.name_partial)
    return np.where(equal, w.name_equal, np.where(sort_sim >= settings.near_similarity * 100, near, other))


def _similarities(candidates: Candidates, groups: list[Group]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token-sort and token-set similarity (0..100) and equality of the best pair of spellings."""
    a, b = candidates.a, candidates.b
    keys = [_keys(g) for g in groups]
    first = np.array([k[0].key if k else "" for k in keys], dtype=object)
    compact = np.array([k[0].compact if k else "" for k in keys], dtype=object)
    sort_sim = _name_similarity(first[a], first[b])
    set_sim = _cpdist(first[a], first[b], fuzz.token_set_ratio)
    equal = candidates.flags["n"] | ((compact[a] == compact[b]) & (compact[a] != ""))
    several = np.array([len(k) > 1 for k in keys], dtype=bool)
    multi = np.flatnonzero(several[a] | several[b])
    if len(multi):
        owner, left, right = [], [], []
        for i in multi.tolist():
            for ka in keys[a[i]]:
                for kb in keys[b[i]]:
                    owner.append(i)
                    left.append(ka.key)
                    right.append(kb.key)
        owner = np.asarray(owner)
        np.maximum.at(sort_sim, owner, _name_similarity(left, right))
        np.maximum.at(set_sim, owner, _cpdist(left, right, fuzz.token_set_ratio))
    return sort_sim, set_sim, equal


def _keys(group: Group):
    return [k for _, ks in group.names[:MAX_NAMES] for k in ks]


def _name_similarity(left, right) -> np.ndarray:
    """As compare_keys measures it: sorted words, or plain order where a typo moved a word in the sort."""
    return np.maximum(_cpdist(left, right, fuzz.token_sort_ratio), _cpdist(left, right, fuzz.ratio))


def _cpdist(left, right, scorer) -> np.ndarray:
    if not len(left):
        return np.zeros(0)
    return cpdist(list(left), list(right), scorer=scorer, workers=-1).astype(float)
