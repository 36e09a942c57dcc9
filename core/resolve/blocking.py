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
    frame = _block_keys(groups, settings, shared)
    if frame.empty:
        return _none(0)
    codes = pd.factorize(frame["block"])[0]
    # Neighbours in a big block are neighbours by name, so typo variants sit side by side.
    rank = pd.factorize(pd.Series([g.primary.compact if g.primary else "" for g in groups]), sort=True)[0]
    member = frame["group"].to_numpy()
    order = np.lexsort((member, rank[member], codes))
    codes, member = codes[order], member[order]
    kind = frame["kind"].to_numpy()[order]
    size = np.bincount(codes)[codes]
    pairs = []
    reach = max(settings.max_block_size - 1, settings.neighbourhood_window)
    for d in range(1, min(reach, len(codes) - 1) + 1):
        same = codes[:-d] == codes[d:]
        if not same.any():
            break  # blocks are contiguous: nothing further apart shares one either
        allowed = same & ((size[:-d] <= settings.max_block_size) | (d <= settings.neighbourhood_window))
        idx = np.flatnonzero(allowed)
        pairs.append((member[idx], member[idx + d], kind[idx]))
    counts = np.bincount(codes)
    candidates = _combine(pairs, int((counts > 1).sum()))
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
    return sorted(((_KIND_WORDS.get(str(kinds[first[b]]), str(kinds[first[b]])), int(counts[b])) for b in big),
                  key=lambda item: (-item[1], item[0]))


def _block_keys(groups: list[Group], settings: ResolutionSettings, shared: SharedValues) -> pd.DataFrame:
    """One row per (block, group), with the block's kind: a FLAGS entry, or 't' (word), 'p' (prefix)."""
    rarity = Counter(t for g in groups for t in _words(g))
    blocks, members, kinds = [], [], []

    def add(block: str, gi: int, kind: str) -> None:
        blocks.append(block)
        members.append(gi)
        kinds.append(kind)

    for g in groups:
        for _, keys in g.names:
            for key in keys:
                add("n:" + key.compact, g.idx, "n")
                if settings.name_prefix_length:
                    add("p:" + key.compact[: settings.name_prefix_length], g.idx, "p")
        rare = sorted(_words(g), key=lambda t: (rarity[t], t))[: settings.name_block_tokens]
        for word in rare:
            add("t:" + word, g.idx, "t")
        for value_kind in VALUE_KINDS:
            for value in g.values[value_kind]:
                strength = "x" if value in shared[value_kind] else "s"
                add(f"{_PREFIX[value_kind]}:{value}", g.idx, strength + value_kind)
    frame = pd.DataFrame({"block": blocks, "group": np.asarray(members, dtype=np.int64), "kind": kinds})
    return frame.drop_duplicates(["block", "group"])


def _words(group: Group) -> set[str]:
    return {t for _, keys in group.names for k in keys for t in k.tokens}


def _combine(pairs, blocks: int) -> Candidates:
    """One row per pair, with what its blocks said about it."""
    if not pairs:
        return _none(blocks)
    left = np.concatenate([p[0] for p in pairs])
    right = np.concatenate([p[1] for p in pairs])
    kind = np.concatenate([p[2] for p in pairs])
    frame = pd.DataFrame({"a": np.minimum(left, right), "b": np.maximum(left, right),
                          **{flag: kind == flag for flag in FLAGS}})
    frame = frame.groupby(["a", "b"], sort=True).max().reset_index()
    return Candidates(frame["a"].to_numpy(), frame["b"].to_numpy(), {f: frame[f].to_numpy() for f in FLAGS}, blocks)
