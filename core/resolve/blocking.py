"""Candidate pairs: only groups that share a blocking key are ever compared.

Keys: each spelling of the name without spaces, the name's rarest words, its first letters, and
every website, page, email, email domain and phone. Within a block every member meets every
other; a block larger than `max_block_size` (a common word, a directory site) only lets each
member meet its nearest neighbours by name. So the work is at most (keys × max_block_size) per
group: close to linear in rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.resolve.groups import VALUE_KINDS, Group
from core.resolve.settings import ResolutionSettings
from core.resolve.shared import SharedValues

_PREFIX = {"website": "w", "page": "g", "email": "e", "domain": "d", "phone": "f"}


# What a shared block says about a pair: "n" one spelling; "s"+kind a value few organisations
# share (strong), "x"+kind one that many share (weak).
FLAGS = ("n", *(f"s{k}" for k in VALUE_KINDS), *(f"x{k}" for k in VALUE_KINDS))


@dataclass
class Candidates:
    a: np.ndarray  # group index, a < b
    b: np.ndarray
    flags: dict[str, np.ndarray]  # FLAGS -> bool per pair
    blocks: int
    capped: list[tuple[str, int]] = field(default_factory=list)  # (what the block shares, members), largest first

    def __len__(self) -> int:
        return len(self.a)


def _none(blocks: int) -> Candidates:
    empty = np.zeros(0, dtype=np.int64)
    return Candidates(empty, empty, {f: empty.astype(bool) for f in FLAGS}, blocks)


def candidate_pairs(groups: list[Group], settings: ResolutionSettings, shared: SharedValues) -> Candidates:
    codes, member, kind = _block_keys(groups, settings, shared)
    if not len(codes):
        return _none(0)
    # Neighbours in a big block are neighbours by name, so typo variants sit side by side.
    rank = pd.factorize(pd.Series([g.primary.compact if g.primary else "" for g in groups]), sort=True)[0]
    order = np.lexsort((member, rank[member], codes))
    codes, member, kind = codes[order], member[order], kind[order]
    counts = np.bincount(codes)
    size = counts[codes]
    pairs = []
    reach = max(settings.max_block_size - 1, settings.neighbourhood_window)
    for d in range(1, min(reach, len(codes) - 1) + 1):
        same = codes[:-d] == codes[d:]
        if not same.any():
            break  # blocks are contiguous: nothing further apart shares one either
        allowed = same & ((size[:-d] <= settings.max_block_size) | (d <= settings.neighbourhood_window))
        idx = np.flatnonzero(allowed)
        pairs.append((member[idx], member[idx + d], kind[idx]))
    candidates = _combine(pairs, int((counts > 1).sum()), len(groups))
    candidates.capped = _capped(kind, codes, counts, settings.max_block_size)
    return candidates


# What a capped block shares, in words: never the value itself (a phone or an email is personal data)
_KIND_WORDS = {"n": "one spelling of a name", "p": "the first letters of names", "t": "a name word",
               **{f"{s}{k}": w for s in "sx" for k, w in (("website", "a website"), ("page", "a web page"),
                                                            ("email", "an email address"), ("domain", "an email domain"),
                                                            ("phone", "a phone number"))}}


def _capped(kinds: np.ndarray, codes: np.ndarray, counts: np.ndarray, limit: int) -> list[tuple[str, int]]:
    """Blocks too large to compare all pairs in: each member met only its neighbours by name."""
    big = np.flatnonzero(counts > limit)
    if not len(big):
        return []
    first = np.full(len(counts), -1)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # a row of each block, for its kind
    words = [_KIND_WORDS.get(k, k) for k in _KINDS]
    return sorted(((words[int(kinds[first[b]])], int(counts[b])) for b in big), key=lambda item: (-item[1], item[0]))


# Every kind of block, by its code: the FLAGS, then a name word and the first letters of names
_KINDS = (*FLAGS, "t", "p")
_CODE = {k: i for i, k in enumerate(_KINDS)}


def _block_keys(groups: list[Group], settings: ResolutionSettings,
                shared: SharedValues) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(block code, group, kind code) once per block and group; a kind is a FLAGS entry, 't' (word) or 'p' (prefix)."""
    rarity = Counter(t for g in groups for t in _words(g))
    prefix = settings.name_prefix_length
    blocks: list[str] = []
    members: list[int] = []
    kinds: list[int] = []
    n, p, t = _CODE["n"], _CODE["p"], _CODE["t"]
    for g in groups:
        spelled = [key.compact for _, keys in g.names for key in keys]
        blocks += ["n:" + c for c in spelled]
        kinds += [n] * len(spelled)
        if prefix:
            blocks += ["p:" + c[:prefix] for c in spelled]
            kinds += [p] * len(spelled)
        rare = sorted(_words(g), key=lambda w: (rarity[w], w))[: settings.name_block_tokens]
        blocks += ["t:" + w for w in rare]
        kinds += [t] * len(rare)
        for value_kind in VALUE_KINDS:
            values = g.values[value_kind]
            if values:
                weak, strong = shared[value_kind], _CODE["s" + value_kind]
                tag = _PREFIX[value_kind] + ":"
                blocks += [tag + v for v in values]
                kinds += [_CODE["x" + value_kind] if v in weak else strong for v in values]
        members += [g.idx] * (len(blocks) - len(members))
    if not blocks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    codes = pd.factorize(pd.Series(blocks, dtype=object))[0].astype(np.int64)
    member = np.asarray(members, dtype=np.int64)
    kind = np.asarray(kinds, dtype=np.int64)
    _, first = np.unique(codes * (len(groups) + 1) + member, return_index=True)  # a block lists a group once
    first.sort()
    return codes[first], member[first], kind[first]


def _words(group: Group) -> set[str]:
    return {t for _, keys in group.names for k in keys for t in k.tokens}


def _combine(pairs, blocks: int, groups: int) -> Candidates:
    """One row per pair, with what its blocks said about it."""
    if not pairs:
        return _none(blocks)
    left = np.concatenate([p[0] for p in pairs])
    right = np.concatenate([p[1] for p in pairs])
    kind = np.concatenate([p[2] for p in pairs])
    a, b = np.minimum(left, right), np.maximum(left, right)
    keys, which = np.unique(a * groups + b, return_inverse=True)  # sorted by (a, b)
    flags = {}
    for flag in FLAGS:
        hit = np.zeros(len(keys), dtype=bool)
        hit[which[kind == _CODE[flag]]] = True
        flags[flag] = hit
    return Candidates(keys // groups, keys % groups, flags, blocks)
