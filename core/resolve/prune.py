"""Most candidate pairs from blocking are plainly different organisations that happen to share a
word. An upper bound of each pair's final weight, computed for all pairs at once in C (numpy,
rapidfuzz cpdist), drops those that cannot reach the review band before any pair is scored in
Python.

The bound is the scorer's sum with every uncertain part at its best: the identifiers the two groups
really share (a chain's shared value counted as strong where a name names a place of the case),
every conflict that is certain (provinces, areas, bracketed parts, own websites or email domains
that differ), and the best name verdict their spellings allow. Name similarities are computed only for
pairs that the rest leaves within reach. tests/core/test_resolve_scale_bound.py scores every
candidate pair of a generated case in full and fails if a pair the bound dropped reaches the band:
a change to the name rules that outgrows the bound is caught there.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from core.resolve.blocking import Candidates
from core.resolve.groups import VALUE_KINDS, CodeSets, Group, distinct_sorted, group_columns
from core.resolve.names import MAX_NAMES, _key_pairs, abbreviates
from core.resolve.settings import ResolutionSettings
from core.resolve.shared import SharedValues
from core.resolve.vocabulary import EMPTY, KIND_CHANGE_SEEN, Vocabulary

_FAMILIES = (("web", ("website", "page")), ("mail", ("email", "domain")), ("phone", ("phone",)))


@dataclass
class Bounds:
    a: np.ndarray  # group index per candidate pair (a < b)
    b: np.ndarray
    weight: np.ndarray  # an upper bound of each pair's final weight (log-odds)
    rest: np.ndarray  # the part of `weight` that is not the names': prior, identifiers, conflicts
    named: int  # pairs whose names had to be compared to bound them

    def within(self, logit: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The pairs that may reach `logit`, and their bound without the names."""
        keep = self.weight >= logit
        return self.a[keep], self.b[keep], self.rest[keep]


def plausible_pairs(candidates: Candidates, groups: list[Group], settings: ResolutionSettings,
                    shared: SharedValues, vocab: Vocabulary = EMPTY) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidate pairs (two arrays of group indices) whose bound reaches the review band, and
    their bound without the names (so that a name verdict and it bound the pair again)."""
    bounder = Bounder(candidates, groups, settings, shared, vocab)
    return joined([bounder.plausible(i) for i in range(bounder.chunks)])


def joined(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Chunks' plausible pairs (Bounder.plausible), in order, as three arrays."""
    if not parts:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0)
    return tuple(np.concatenate(part) for part in zip(*parts))


def pair_bounds(candidates: Candidates, groups: list[Group], settings: ResolutionSettings,
                shared: SharedValues, vocab: Vocabulary = EMPTY) -> Bounds:
    parts = list(_bounds(candidates, groups, settings, shared, vocab))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Bounds(empty, empty, np.zeros(0), np.zeros(0), 0)
    a, b, weight, rest, named = zip(*parts)
    return Bounds(np.concatenate(a), np.concatenate(b), np.concatenate(weight), np.concatenate(rest), sum(named))


_CHUNK = 1 << 20  # pairs bounded at a time: the bound's temporaries cost ~200 bytes a pair


def _bounds(candidates: Candidates, groups: list[Group], settings: ResolutionSettings, shared: SharedValues,
            vocab: Vocabulary):
    """Per chunk of the candidate pairs, in order: (a, b, bound, bound without the names, pairs
    whose names were compared)."""
    bounder = Bounder(candidates, groups, settings, shared, vocab)
    for i in range(bounder.chunks):
        yield bounder.chunk(i)


class Bounder:
    """The bound of the candidate pairs chunk by chunk. Every part of the bound is the pair's own, so
    chunks change no value and can be bounded in any order or process; what is per group (the
    tables, the spellings' facts) is made once, here, for all chunks."""

    def __init__(self, candidates: Candidates, groups: list[Group], settings: ResolutionSettings,
                 shared: SharedValues, vocab: Vocabulary, chunk: int = _CHUNK) -> None:
        self.candidates, self.groups, self.settings, self.vocab = candidates, groups, settings, vocab
        self.size = max(1, min(chunk, _CHUNK))
        self.chunks = -(-len(candidates) // self.size)
        w = settings.weights
        self.table = _GroupTable(groups, shared, vocab) if self.chunks else None
        self.names = _GroupNames(groups) if self.chunks else None
        self.best_name = max(w.name_equal, w.name_near, w.name_partial, w.name_kind_word, w.name_kind_confirmed,
                             w.name_acronym, w.name_differ, w.name_unrelated)
        self._ahead: dict[int, Future] = {}  # chunk -> its rest, being made in a thread (`chunk`)
        self._pool: tuple[int, ThreadPoolExecutor] | None = None  # (the process it belongs to, it)

    def plausible(self, i: int, following: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Chunk i's pairs whose bound reaches the review band (a, b as int32), with their bound
        without the names (so that a name verdict and it bound the pair again). `following`: the
        chunk this process bounds next, whose rest is made meanwhile in a thread."""
        a, b, weight, rest, _ = self.chunk(i, following)
        keep = weight >= self.settings.review_logit
        return a[keep].astype(np.int32), b[keep].astype(np.int32), rest[keep]

    def chunk(self, i: int, following: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
        """Chunk i's pairs (a, b), their bound, their bound without the names, and how many had
        their names compared."""
        settings = self.settings
        ahead = self._ahead.pop(i, None)
        a, b, rest = ahead.result() if ahead is not None else self._rest(i)
        if following is not None and following < self.chunks and following not in self._ahead:
            # The rest is numpy gathers and compares, which let go of the GIL; the names are mostly
            # Python: the next chunk's rest is made while this one's names are compared
            self._ahead[following] = self._thread().submit(self._rest, following)
        weight = rest + self.best_name
        # Only where the rest leaves the band within reach do the names need comparing.
        open_ = np.flatnonzero(weight >= settings.review_logit)
        if len(open_):
            weight[open_] = rest[open_] + _name_bound(a[open_], b[open_], self.groups, settings,
                                                      settings.review_logit - rest[open_], self.vocab, self.names)
        return a, b, weight, rest, len(open_)

    def _rest(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Chunk i's pairs (a, b) and their bound without the names: prior, identifiers, conflicts."""
        start, w = i * self.size, self.settings.weights
        a = self.candidates.a[start:start + self.size].astype(np.int64)
        b = self.candidates.b[start:start + self.size].astype(np.int64)
        identifiers = _identifiers(self.table, a, b, w)
        rest = w.prior + identifiers + _conflicts(self.table, a, b, w)
        return a, b, rest

    def _thread(self) -> ThreadPoolExecutor:
        # this process's own: a copy forked from it (core.parallel) has none of its threads
        if self._pool is None or self._pool[0] != os.getpid():
            self._pool = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="hotpass-bound"))
        return self._pool[1]

    def close(self) -> None:
        """Let go of the thread and of any chunk made ahead that was not asked for."""
        if self._pool is not None and self._pool[0] == os.getpid():
            self._pool[1].shutdown(wait=True, cancel_futures=True)
        self._pool = None
        self._ahead.clear()


class _GroupTable:
    """Per group, the sets the scorer compares, as sorted integer codes (one flat array per set kind)."""

    def __init__(self, groups: list[Group], shared: SharedValues, vocab: Vocabulary) -> None:
        self.n = len(groups)
        columns = group_columns(groups)  # the sets as build_groups coded them: not read again from each group
        self.values = {k: _Sets.of_codes(columns.values[k]) for k in VALUE_KINDS}
        # Own values: the ones few organisations list (not in `shared`)
        self.own = {k: self.values[k].without(self.values[k].vocabulary.isin(list(shared[k]))) for k in VALUE_KINDS}
        # Own website hosts and own email domains in one set: where one's site is the other's domain
        # (a bound: a site or a domain both share meets here too)
        self.hosts = _Sets.joined(self.own["website"], self.own["domain"])
        self.provinces = _Sets(_folded([g.provinces for g in groups]))
        self.areas = _Sets([g.areas for g in groups])
        self.qualifiers = _Sets([g.qualifiers for g in groups])
        # Whether its names name a place of the case: a chain's shared value counts as strong when both
        # names name one branch, and the scorer forgives a town written short or with a slip on one side.
        places = vocab.places
        self.names_place = np.array([bool(places) and any(t in places for _, keys in g.names for t in keys[0].tokens)
                                     for g in groups], dtype=bool)


def _folded(sets: list[frozenset[str]]) -> list[set[str]]:
    """Each set case-folded, a set shared by many groups once: build_groups gives the groups of one province
    one frozenset (1M rows: 10 of them for 770k groups)."""
    done: dict[int, set[str]] = {}  # by id: every set is alive in its group meanwhile
    folded = []
    for values in sets:
        found = done.get(id(values))
        if found is None:
            found = done[id(values)] = {p.casefold() for p in values}
        folded.append(found)
    return folded


class _Sets:
    """One set of strings per group as CSR arrays of integer codes, sorted within each group."""

    def __init__(self, sets) -> None:
        sizes = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
        codes, uniques = pd.factorize(np.fromiter(chain.from_iterable(sets), dtype=object, count=int(sizes.sum())))
        self.vocabulary = pd.Index(uniques, dtype=object)
        self.width = max(len(self.vocabulary), 1)
        owner = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        self._index(distinct_sorted(owner * self.width + codes.astype(np.int64)), len(sizes))

    @classmethod
    def of_codes(cls, sets: CodeSets) -> _Sets:
        """The same sets from build_groups' codes (groups.CodeSets: codes ascending within each owner)."""
        found = object.__new__(cls)
        found.vocabulary = pd.Index(sets.vocabulary, dtype=object)
        found.width = max(len(found.vocabulary), 1)
        found._index(sets.owner * found.width + sets.flat, sets.owners)
        return found

    @classmethod
    def joined(cls, left: _Sets, right: _Sets) -> _Sets:
        """Each group's values of both, in one vocabulary."""
        codes, uniques = pd.factorize(np.concatenate([left.vocabulary.to_numpy(dtype=object),
                                                      right.vocabulary.to_numpy(dtype=object)]))
        codes = codes.astype(np.int64)
        found = object.__new__(cls)
        found.vocabulary = pd.Index(uniques, dtype=object)
        found.width = max(len(found.vocabulary), 1)
        owner = np.concatenate([left.keys // left.width, right.keys // right.width])
        code = np.concatenate([codes[:len(left.vocabulary)][left.flat], codes[len(left.vocabulary):][right.flat]])
        found._index(distinct_sorted(owner * found.width + code), len(left.sizes))
        return found

    def _index(self, keys: np.ndarray, groups: int) -> None:
        self.keys = keys  # group * width + code: groups ascending, codes ascending within, each once
        self.sizes = np.bincount(keys // self.width, minlength=groups).astype(np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)]).astype(np.int64)
        self.flat = keys % self.width

    def without(self, dropped: np.ndarray) -> _Sets:
        """The same sets without the values whose code is marked in `dropped`."""
        kept = object.__new__(_Sets)
        kept.vocabulary, kept.width = self.vocabulary, self.width
        kept._index(self.keys[~dropped[self.flat]] if len(self.keys) else self.keys, len(self.sizes))
        return kept

    def any(self, g: np.ndarray) -> np.ndarray:
        return self.sizes[g] > 0

    def meet(self, a: np.ndarray, b: np.ndarray, other: _Sets | None = None) -> np.ndarray:
        """Whether a's set and b's set (in `other`, same codes) share a value, per pair."""
        other = other or self
        hit = np.zeros(len(a), dtype=bool)
        if not len(self.keys) or not len(other.keys):
            return hit
        size_a, size_b = self.sizes[a], other.sizes[b]
        # Most groups list one value of a kind, or none: those pairs compare two codes
        single = np.flatnonzero((size_a == 1) & (size_b == 1))
        hit[single] = self.flat[self.offsets[a[single]]] == other.flat[other.offsets[b[single]]]
        several = np.flatnonzero((size_a > 0) & (size_b > 0) & ((size_a > 1) | (size_b > 1)))
        if len(several):
            hit[several] = self._meet(a[several], b[several], other)
        return hit

    def _meet(self, a: np.ndarray, b: np.ndarray, other: _Sets) -> np.ndarray:
        counts = self.sizes[a]
        total = int(counts.sum())
        hit = np.zeros(len(a), dtype=bool)
        if not total or not len(other.keys):
            return hit
        pair = np.repeat(np.arange(len(a), dtype=np.int64), counts)
        start = np.repeat(self.offsets[a] - (np.cumsum(counts) - counts), counts)
        values = self.flat[np.arange(total, dtype=np.int64) + start]
        wanted = b[pair] * other.width + values
        at = np.minimum(np.searchsorted(other.keys, wanted), len(other.keys) - 1)
        hit[pair[other.keys[at] == wanted]] = True
        return hit


def _identifiers(table: _GroupTable, a: np.ndarray, b: np.ndarray, w) -> np.ndarray:
    """The most the shared websites, emails and phones can add, as Scorer._identifiers adds them."""
    weight = {"website": w.website, "page": w.website, "email": w.email, "domain": w.email_domain, "phone": w.phone}
    branch = table.names_place[a] | table.names_place[b]
    strong_total = np.zeros(len(a))
    weak_total = np.zeros(len(a))
    for _, kinds in _FAMILIES:
        strong = np.zeros(len(a))
        weak = np.zeros(len(a), dtype=bool)
        for kind in kinds:
            common = table.values[kind].meet(a, b)
            own = table.own[kind].meet(a, b, table.own[kind])
            strongable = own | (common & branch)
            strong = np.maximum(strong, np.where(strongable, max(weight[kind], 0.0), 0.0))
            weak |= common & ~own  # a branch's value may count as strong, or as weak beside the cap
        strong_total += strong
        weak_total += np.where(weak, max(w.weak_value, 0.0), 0.0)
    strong_total += np.where(table.hosts.meet(a, b), max(w.email_domain, 0.0), 0.0)
    return np.minimum(strong_total, max(w.identifier_cap, 0.0)) + weak_total


def _conflicts(table: _GroupTable, a: np.ndarray, b: np.ndarray, w) -> np.ndarray:
    """Conflicts the scorer is certain to add (Scorer._conflicts): both sides have values, none in common."""
    total = np.zeros(len(a))
    for sets, weight in ((table.provinces, w.province_conflict), (table.areas, w.area_conflict),
                         (table.qualifiers, w.qualifier_conflict)):
        both = sets.any(a) & sets.any(b)
        idx = np.flatnonzero(both)
        differ = np.zeros(len(a), dtype=bool)
        differ[idx] = ~sets.meet(a[idx], b[idx])
        total += np.where(differ, weight, 0.0)
    for kind, weight in (("website", w.website_conflict), ("domain", w.email_domain_conflict)):
        values, own = table.values[kind], table.own[kind]
        idx = np.flatnonzero(own.any(a) & own.any(b))
        differ = np.zeros(len(a), dtype=bool)
        differ[idx] = ~values.meet(a[idx], b[idx])
        total += np.where(differ, weight, 0.0)
    return total


def _name_bound(a: np.ndarray, b: np.ndarray, groups: list[Group], settings: ResolutionSettings,
                need: np.ndarray, vocab: Vocabulary = EMPTY, names: _GroupNames | None = None) -> np.ndarray:
    """The best name verdict each pair could get, from its best-matching spellings (`need`: what
    the names must add for the pair to reach the band).

    Partial credit (a word added, a kind word swapped, words loosely alike) is allowed to every
    pair: the name rules grant it on shapes that no similarity measure separates. Initials need one
    name of a single short word whose first letter starts one of the other's first two words.
    "Only in spelling" needs similar spellings (token-sorted or plain), or as many words on both
    sides, each with a counterpart that could be its typo or its short form ("Logi." for
    "Logistics"); it is looked at only where it decides whether the pair can reach the band.
    `names`: the groups' spellings and their facts, as far as earlier chunks of pairs made them."""
    w = settings.weights
    first = names if names is not None else _GroupNames(groups)
    first.fill(a, b)
    keys = first.keys
    equal, acronym = _equal_or_initials(a, b, groups, first)
    loose = max(w.name_partial, w.name_kind_word, w.name_differ, w.name_unrelated)
    loose = np.where(acronym, max(loose, w.name_acronym), loose)
    near = np.maximum(max(w.name_near, w.name_kind_confirmed), loose)  # a confirmed kind change is bounded as near
    near_possible = np.ones(len(a), dtype=bool)  # where it decides nothing, an upper bound either way
    decisive = np.flatnonzero(~equal & (near >= need) & (loose < need))
    if len(decisive):
        da, db = a[decisive], b[decisive]
        alike, same_length = _spellings(da, db, groups, keys, first, settings.near_similarity * 100)
        doubt = np.flatnonzero(same_length | alike)
        if len(doubt):  # their words, in Python
            same_length[doubt] = [_could_be_spelling(_compared(groups[da[i]], groups[db[i]]),
                                                     settings.token_similarity * 100, alike[i]) for i in doubt.tolist()]
        near_possible[decisive] = same_length
        unsure = decisive[~near_possible[decisive]]
        if len(unsure) and vocab.kind_changes:
            near_possible[unsure] = _kind_change_seen(a[unsure], b[unsure], first, vocab)
    return np.where(equal, np.maximum(w.name_equal, near), np.where(near_possible, near, loose))


def _kind_change_seen(a: np.ndarray, b: np.ndarray, names: _GroupNames, vocab: Vocabulary) -> np.ndarray:
    """Whether some spellings of the pair have the same brand words and a kind change the case's
    own rows confirm (names.compare_keys reads it as a spelling). Its verdict depends only on the two
    spellings' brand and kind words (Vocabulary.name_parts): pairs of one spelling each are asked once
    per (brand, kinds, kinds), the others spelling by spelling."""
    parts = names.fill_parts(a, b, vocab)
    found = np.zeros(len(a), dtype=bool)
    single = ~(parts.several[a] | parts.several[b])
    brand = parts.brand[a]
    asked = np.flatnonzero(single & (brand >= 0) & (brand == parts.brand[b]) & parts.branded[np.maximum(brand, 0)]
                           & (parts.kinds[a] != parts.kinds[b]))
    if len(asked):
        triples = np.stack([brand[asked], parts.kinds[a[asked]], parts.kinds[b[asked]]], axis=1)
        unique, inverse = np.unique(triples, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        first = np.zeros(len(unique), dtype=np.int64)
        first[inverse] = np.arange(len(inverse))  # one pair asked for each triple: any answers for all
        keys = names.keys
        answers = np.array([vocab.kind_change_seen(keys[a[asked[i]]][0], keys[b[asked[i]]][0]) >= KIND_CHANGE_SEEN
                            for i in first.tolist()], dtype=bool)
        found[asked] = answers[inverse]
    several = np.flatnonzero(~single)
    for i in several.tolist():
        x, y = a[i], b[i]
        if not parts.brands_of(x).isdisjoint(parts.brands_of(y)):
            found[i] = any(vocab.kind_change_seen(ka, kb) >= KIND_CHANGE_SEEN
                           for ka in names.keys[x] for kb in names.keys[y])
    return found


class _SpellingParts:
    """Per group, as far as pairs have needed it: its first spelling's brand words and kind words
    as codes, whether it has several spellings, and the codes of all its spellings' brands."""

    def __init__(self, n: int) -> None:
        self.filled = np.zeros(n, dtype=bool)
        self.brand = np.full(n, -1, dtype=np.int64)
        self.kinds = np.full(n, -1, dtype=np.int64)
        self.several = np.zeros(n, dtype=bool)
        self.brands: list[frozenset] = [frozenset()] * n
        self._codes: dict = {}
        self._branded: list[bool] = []  # per code: a brand's, with brand words
        self.branded = np.zeros(1, dtype=bool)

    def brands_of(self, g: int) -> frozenset:
        return self.brands[g] if self.several[g] else frozenset((self.brand[g],)) if self.brand[g] >= 0 else frozenset()

    def fill(self, groups: list[int], keys: list, vocab: Vocabulary) -> None:
        for g in groups:
            if keys[g]:
                found = [vocab.name_parts(k) for k in keys[g]]
                self.brand[g] = self._code("brand", found[0][0])
                self.kinds[g] = self._code("kinds", found[0][1])
                if len(found) > 1:
                    self.several[g] = True
                    self.brands[g] = frozenset(self._code("brand", brand) for brand, _ in found)
            self.filled[g] = True
        self.branded = np.array(self._branded or [False], dtype=bool)

    def _code(self, what: str, words: frozenset) -> int:
        code = self._codes.get((what, words))
        if code is None:
            code = self._codes[(what, words)] = len(self._branded)
            self._branded.append(what == "brand" and bool(words))
        return code


class _GroupNames:
    """Per group that is a side of some pair seen so far (others left empty): its spellings, its
    first spelling's key, compact form, words, the initials it may be and the letters its first two
    words start with, and whether it has several spellings; each group's once, when a chunk of
    pairs first has it (`fill`). The same for the facts `_spellings` reads (`fill_letters`)."""

    def __init__(self, groups: list[Group]) -> None:
        n = len(groups)
        self.groups = groups
        self.keys: list = [()] * n
        self.filled = np.zeros(n, dtype=bool)
        self.key = np.full(n, "", dtype=object)
        # As integers, so that pairs compare in numpy, not per pair in Python: the compact form's code
        # (-1: none), the initials a one-word name may be (first letter's code point, length; 0: not
        # initials) and the first letters of the first two words (-2: none)
        self.compact = np.full(n, -1, dtype=np.int64)
        self._compact_codes: dict[str, int] = {}
        self.words = np.full(n, -1, dtype=np.int64)
        self.length = np.zeros(n, dtype=np.int64)  # of the first spelling's key
        self.short_first = np.full(n, -1, dtype=np.int64)
        self.short_length = np.zeros(n, dtype=np.int64)
        self.lead_first = np.full(n, -2, dtype=np.int64)
        self.lead_second = np.full(n, -2, dtype=np.int64)
        self.several = np.zeros(n, dtype=bool)
        self.lettered = np.zeros(n, dtype=bool)
        self.firsts = np.zeros(n, dtype=np.int64)
        self.seconds = np.zeros(n, dtype=np.int64)
        self.in_order = np.full(n, "", dtype=object)
        self.parts: _SpellingParts | None = None

    def fill(self, a: np.ndarray, b: np.ndarray) -> None:
        for g in np.flatnonzero(_seen(a, b, len(self.keys)) & ~self.filled).tolist():
            keys = self.keys[g] = _keys(self.groups[g])
            if keys:
                k = keys[0]
                self.key[g], self.words[g], self.length[g] = k.key, len(k.tokens), len(k.key)
                if k.compact:
                    self.compact[g] = self._compact_codes.setdefault(k.compact, len(self._compact_codes))
                short = _initials_like(k)
                if short:
                    self.short_first[g], self.short_length[g] = ord(short[0]), len(short)
                self.lead_first[g] = ord(k.tokens[0][0])
                if len(k.tokens) > 1:
                    self.lead_second[g] = ord(k.tokens[1][0])
                self.several[g] = len(keys) > 1
            self.filled[g] = True

    def fill_letters(self, a: np.ndarray, b: np.ndarray) -> None:
        """The letters (_letters) and the sorted words of each group's first spelling; `fill` first."""
        for g in np.flatnonzero(_seen(a, b, len(self.keys)) & ~self.lettered).tolist():
            if self.keys[g]:
                self.firsts[g], self.seconds[g] = _letters(self.keys[g][0])
                self.in_order[g] = _sorted_words(self.keys[g][0].key)
            self.lettered[g] = True

    def fill_parts(self, a: np.ndarray, b: np.ndarray, vocab: Vocabulary) -> _SpellingParts:
        """The brand and kind words of each group's spellings (_SpellingParts); `fill` first."""
        if self.parts is None:
            self.parts = _SpellingParts(len(self.keys))
        wanted = np.flatnonzero(_seen(a, b, len(self.keys)) & ~self.parts.filled)
        if len(wanted):
            self.parts.fill(wanted.tolist(), self.keys, vocab)
        return self.parts

    def multi(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The pairs where a side has several spellings."""
        return np.flatnonzero(self.several[a] | self.several[b])


def _equal_or_initials(a: np.ndarray, b: np.ndarray, groups: list[Group],
                       first: _GroupNames) -> tuple[np.ndarray, np.ndarray]:
    """Over the pairs of spellings: whether two are equal, and whether one may be the other's initials."""
    compact = first.compact
    equal = (compact[a] == compact[b]) & (compact[a] >= 0)
    acronym = _initials(first, a, b) | _initials(first, b, a)
    for i in first.multi(a, b).tolist():
        pairs = _compared(groups[a[i]], groups[b[i]])
        equal[i] |= any(ka.compact == kb.compact for ka, kb in pairs)
        acronym[i] |= any(_may_be_initials(ka, kb) or _may_be_initials(kb, ka) for ka, kb in pairs)
    return equal, acronym


def _spellings(a: np.ndarray, b: np.ndarray, groups: list[Group], keys, first_keys: _GroupNames,
               alike_from: float) -> tuple[np.ndarray, np.ndarray]:
    """Over the pairs of spellings: whether the best similarity (0..100, token-sorted or plain)
    reaches `alike_from`, and whether two may be one name with words written short: as many words,
    each word's first letter a first or second letter (two letters swapped) of a word of the other."""
    first, words = first_keys.key, first_keys.words
    first_keys.fill_letters(a, b)
    firsts, seconds, in_order = first_keys.firsts, first_keys.seconds, first_keys.in_order
    length = first_keys.length
    sort_sim = _name_similarity(first[a], first[b], alike_from, in_order[a], in_order[b], length[a], length[b])
    same_length = (words[a] == words[b]) & (words[a] > 0) & _counterparts(firsts[a], seconds[a], firsts[b], seconds[b])
    multi = first_keys.multi(a, b)
    if len(multi):
        # every pair of their spellings; each spelling's facts once (the same key objects recur)
        owner, left, right = [], [], []
        facts: dict[int, tuple] = {}
        for i in multi.tolist():
            for ka, kb in _compared(groups[a[i]], groups[b[i]]):
                owner.append(i)
                left.append(ka)
                right.append(kb)
        for k in (*left, *right):
            if id(k) not in facts:
                facts[id(k)] = (k.key, _sorted_words(k.key), len(k.tokens), *_letters(k))
        fl, fr = (list(zip(*(facts[id(k)] for k in side))) for side in (left, right))
        owner = np.asarray(owner)
        words_l, words_r = np.asarray(fl[2], dtype=np.int64), np.asarray(fr[2], dtype=np.int64)
        length = (words_l == words_r) & _counterparts(np.asarray(fl[3], dtype=np.int64), np.asarray(fl[4], dtype=np.int64),
                                                      np.asarray(fr[3], dtype=np.int64), np.asarray(fr[4], dtype=np.int64))
        np.maximum.at(sort_sim, owner, _name_similarity(fl[0], fr[0], alike_from, np.asarray(fl[1], dtype=object),
                                                        np.asarray(fr[1], dtype=object)))
        np.logical_or.at(same_length, owner, length)
    return sort_sim >= alike_from, same_length


def _seen(a: np.ndarray, b: np.ndarray, groups: int) -> np.ndarray:
    """Whether each group is a side of some pair."""
    seen = np.zeros(groups, dtype=bool)
    seen[a] = True
    seen[b] = True
    return seen


def _initials_like(key) -> str:
    return key.key if len(key.tokens) == 1 and 2 <= len(key.key) <= 6 and key.key.isalpha() else ""


def _leading_letters(key) -> str:
    return "".join(t[0] for t in key.tokens[:2])


def _initials(names: _GroupNames, short: np.ndarray, long_: np.ndarray) -> np.ndarray:
    """Whether the first spelling of `short`'s group may be the initials of `long_`'s (_may_be_initials):
    its first letter starts one of the other's first two words, and it has no more letters than the
    other has words (two at least)."""
    letter, letters, words = names.short_first[short], names.short_length[short], names.words[long_]
    return (letters > 0) & (words >= 2) & (letters <= words) & (
        (letter == names.lead_first[long_]) | (letter == names.lead_second[long_]))


def _may_be_initials(short, long_) -> bool:
    letters = _initials_like(short)
    return bool(letters) and len(long_.tokens) >= max(2, len(letters)) and letters[0] in _leading_letters(long_)


def _letters(key) -> tuple[int, int]:
    """A letter's bit is its code point modulo 63: two letters sharing a bit only loosen the bound."""
    firsts = seconds = 0
    for t in key.tokens:
        firsts |= 1 << (ord(t[0]) % 63)
        if len(t) > 2:
            seconds |= 1 << (ord(t[1]) % 63)
    return firsts, seconds


def _counterparts(firsts_a, seconds_a, firsts_b, seconds_b):
    return ((firsts_a & ~(firsts_b | seconds_b)) == 0) & ((firsts_b & ~(firsts_a | seconds_a)) == 0)


def _could_be_spelling(pairs, typo_ratio: float, alike: bool = False) -> bool:
    """Two spellings with as many words where every word not in both has a counterpart that could
    be its typo (as alike as `typo_ratio`, same first letter or first two swapped) or its short
    form (same first letter, shorter, as names.abbreviates allows).

    Spellings `alike` as a whole may also be one name with a word typed twice badly (names'
    _misspelt), or with words written together ('Blue Chip' / 'Bluechip', other word counts)."""
    for ka, kb in pairs:
        if len(ka.tokens) != len(kb.tokens):
            if alike:
                return True
            continue
        left, right = list(ka.tokens), list(kb.tokens)
        for word in ka.tokens:
            if word in right:
                left.remove(word)
                right.remove(word)
        if all(any(_counterpart(x, y, typo_ratio) for y in right) for x in left) and \
                all(any(_counterpart(y, x, typo_ratio) for x in left) for y in right):
            return True
        if alike and _may_be_misspelt(left, right):
            return True
    return False


def _may_be_misspelt(left: list[str], right: list[str]) -> bool:
    """Whether some of the words left over on each side, joined, could be one word typed badly
    (names._misspelt): five letters or more on each side, and the first letters of the joined
    words alike or two of them swapped (a one-letter word lends the next word's first letter)."""
    if not left or not right or len(" ".join(left)) < 5 or len(" ".join(right)) < 5:
        return False
    firsts_l, firsts_r = {x[0] for x in left}, {y[0] for y in right}
    if firsts_l & firsts_r:
        return True
    seconds_l = firsts_l | {x[1] for x in left if len(x) > 1}
    seconds_r = firsts_r | {y[1] for y in right if len(y) > 1}
    return bool(firsts_l & seconds_r) and bool(firsts_r & seconds_l)


def _counterpart(x: str, y: str, typo_ratio: float) -> bool:
    if x[0] == y[0]:
        # a typo (as alike as a typo must be), or a short form as names.abbreviates reads one
        # (written with a dot, its most forgiving case)
        return fuzz.ratio(x, y) >= typo_ratio or (len(x) != len(y) and abbreviates(*sorted((x, y), key=len), True))
    return len(x) > 2 and len(y) > 2 and x[:2] == y[1::-1] and fuzz.ratio(x, y) >= typo_ratio


def _keys(group: Group):
    return [k for _, ks in group.names[:MAX_NAMES] for k in ks]


def _compared(a: Group, b: Group) -> list:
    """The pairs of spellings compare_names compares (its best verdict is over these): a legal name
    behind 't/a' is held only against a plain name."""
    if len(a.names) == 1 and len(b.names) == 1 and len(a.names[0][1]) == 1 and len(b.names[0][1]) == 1:
        return [(a.names[0][1][0], b.names[0][1][0])]  # most groups: one spelling, one key
    return [pair for _, keys_a in a.names[:MAX_NAMES] for _, keys_b in b.names[:MAX_NAMES]
            for pair in _key_pairs(keys_a, keys_b)]


def _name_similarity(left, right, cutoff: float, left_sorted=None, right_sorted=None,
                     left_length=None, right_length=None) -> np.ndarray:
    """As compare_keys measures it: sorted words, or plain order where a typo moved a word in the sort;
    exact from a little below `cutoff`, 0 well below it. token_sort_ratio is the ratio of the words
    sorted, so they are sorted once per spelling (`*_sorted`), and pairs whose lengths (`*_length`,
    else measured here) alone keep them below the cutoff are not measured."""
    left, right = np.asarray(left, dtype=object), np.asarray(right, dtype=object)
    best = np.zeros(len(left))
    if not len(left):
        return best
    if left_sorted is None:
        left_sorted = np.array([_sorted_words(x) for x in left.tolist()], dtype=object)
        right_sorted = np.array([_sorted_words(x) for x in right.tolist()], dtype=object)
    la = _lengths(left) if left_length is None else left_length
    lb = _lengths(right) if right_length is None else right_length
    # an Indel ratio is at most 100 * (1 - |la - lb| / (la + lb)); sorting words keeps the length
    margin = cutoff - 1
    near = np.flatnonzero(100 * (la + lb - np.abs(la - lb)) >= margin * np.maximum(la + lb, 1))
    if len(near):
        best[near] = np.maximum(_cpdist(left_sorted[near], right_sorted[near], margin),
                                _cpdist(left[near], right[near], margin))
    return best


def _lengths(texts: np.ndarray) -> np.ndarray:
    return np.fromiter(map(len, texts.tolist()), dtype=np.int64, count=len(texts))


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


def _cpdist(left, right, cutoff: float) -> np.ndarray:
    return cpdist(left.tolist(), right.tolist(), scorer=fuzz.ratio, score_cutoff=cutoff, workers=-1).astype(float)
