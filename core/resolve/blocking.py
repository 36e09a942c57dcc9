"""Candidate pairs: only groups that share a blocking key are ever compared.

Keys: each spelling of the name without spaces, the name's rarest words, its first letters, and
every website, page, email, email domain and phone. Within a block every member meets every
other; a block larger than `max_block_size` (a common word, a directory site) only lets each
member meet its nearest neighbours by name. So the work is at most (keys × max_block_size) per
group: close to linear in rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.resolve.groups import VALUE_KINDS, Group, distinct_sorted, group_columns
from core.resolve.settings import ResolutionSettings
from core.resolve.shared import SharedValues

_PREFIX = {"website": "w", "page": "g", "email": "e", "domain": "d", "phone": "f"}


# What a shared block says about a pair: "n" one spelling; "s"+kind a value few organisations
# share (strong), "x"+kind one that many share (weak).
FLAGS = ("n", *(f"s{k}" for k in VALUE_KINDS), *(f"x{k}" for k in VALUE_KINDS))


@dataclass
class Candidates:
    a: np.ndarray  # group index (int32 below 2**31 groups), a < b
    b: np.ndarray
    said: np.ndarray  # uint16 per pair: bit _CODE[kind] set for each kind of block the two share
    blocks: int
    capped: list[tuple[str, int]] = field(default_factory=list)  # (what the block shares, members), largest first
    name_rank: np.ndarray | None = None  # per group, name_ranks(): clustering orders tied links by it too

    def __len__(self) -> int:
        return len(self.a)

    @property
    def flags(self) -> dict[str, np.ndarray]:
        """FLAGS -> bool per pair, made from `said` when asked: at 10M pairs eleven bool arrays
        would hold 110 MB through resolve, the bits 20 MB."""
        return {flag: (self.said >> _CODE[flag]) & 1 == 1 for flag in FLAGS}


def _none(blocks: int) -> Candidates:
    empty = np.zeros(0, dtype=np.int32)
    return Candidates(empty, empty, np.zeros(0, dtype=np.uint16), blocks)


def candidate_pairs(groups: list[Group], settings: ResolutionSettings, shared: SharedValues) -> Candidates:
    codes, member, kind = _block_keys(groups, settings, shared)
    if not len(codes):
        return _none(0)
    # Neighbours in a big block are neighbours by name, so typo variants sit side by side.
    rank = name_ranks(groups)
    named = np.lexsort((np.arange(len(groups)), rank))  # groups in (name, group) order
    by_name = np.empty(len(groups), dtype=np.int64)
    by_name[named] = np.arange(len(groups))
    kind_of = np.zeros(int(codes.max()) + 1, dtype=np.uint8)
    kind_of[codes] = kind  # one kind per block
    # By block, then by name; each (block, group) once, so a plain sort of one integer does it
    order = np.sort(codes * len(groups) + by_name[member])
    del codes, member, kind
    # Each array let go as soon as what follows no longer needs it: at 1M rows ~7M (block, group)
    # entries, 60 MB an array, and the pairs' merge comes on top of whatever is still held then.
    codes = order // len(groups)
    member = named[order % len(groups)]
    del order
    kind = kind_of[codes]
    counts = np.bincount(codes)
    capped = _capped(kind, codes, counts, settings.max_block_size)
    partners = _partners(codes, counts, settings)
    del codes
    made = _pairs(partners, member, kind, len(groups))
    del partners, member, kind
    pair, said = _merged(*made)
    candidates = _none(int((counts > 1).sum()))
    if len(pair):
        candidates = Candidates(*_split(pair, len(groups)), said, candidates.blocks)
    del pair
    candidates.capped = capped
    candidates.name_rank = rank
    return candidates


def name_ranks(groups: list[Group]) -> np.ndarray:
    """Each group's place among the distinct first spellings (compact, "" for none) in sorted order."""
    return pd.factorize(pd.Series([g.primary.compact if g.primary else "" for g in groups], dtype=object),
                        sort=True)[0].astype(np.int64)


_CHUNK = 1 << 22  # pairs made at a time: each costs ~40 bytes while it is made, 10 once merged


def _split(pair: np.ndarray, groups: int) -> tuple[np.ndarray, np.ndarray]:
    """a*groups+b -> (a, b), as int32 where the groups allow it; a chunk at a time, so that no
    int64 quotient of all pairs is ever made beside them."""
    dtype = np.int32 if groups < 2**31 else np.int64
    a, b = np.empty(len(pair), dtype=dtype), np.empty(len(pair), dtype=dtype)
    for start in range(0, len(pair), _CHUNK):
        a[start:start + _CHUNK], b[start:start + _CHUNK] = np.divmod(pair[start:start + _CHUNK], groups)
    return a, b


def _partners(codes: np.ndarray, counts: np.ndarray, settings: ResolutionSettings) -> np.ndarray:
    """How many later members of its block each member meets (blocks contiguous in `codes`): all
    of them, but in a block over max_block_size at most neighbourhood_window."""
    partners = np.cumsum(counts)[codes]  # where its block ends
    partners -= 1
    partners -= np.arange(len(codes))  # later members of its block
    np.minimum(partners, settings.neighbourhood_window, out=partners, where=counts[codes] > settings.max_block_size)
    return partners


def _pairs(partners: np.ndarray, member: np.ndarray, kind: np.ndarray,
           groups: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Every two members of a block, each member with its next `partners` (_partners), a chunk of
    members at a time, so memory follows the distinct pairs, not every (pair, block) on the way:
    per chunk each pair once as a*groups+b (a < b, ascending), and a bit per kind of block the two
    share (uint16). _merged makes them one."""
    n = len(partners)
    ends = np.cumsum(partners)
    total = int(ends[-1]) if n else 0
    cuts = [0, *np.searchsorted(ends, np.arange(_CHUNK, total, _CHUNK), side="right").tolist(), n]
    pairs, bits = [], []
    for start, stop in zip(cuts, cuts[1:]):
        made = partners[start:stop]
        left = np.repeat(np.arange(start, stop, dtype=np.int64), made)
        if not len(left):
            continue
        right = np.arange(1, len(left) + 1, dtype=np.int64)
        right -= np.repeat(ends[start:stop] - made - (ends[start - 1] if start else 0), made)
        right += left
        a, b = member[left], member[right]
        # (a, b, kind) as one integer, sorted: a sort of values is cheaper than an argsort and a gather
        key = np.minimum(a, b) * groups + np.maximum(a, b)
        key *= _KIND_SPAN
        key += kind[left]
        del left, right, a, b
        key.sort()
        said = np.left_shift(np.uint16(1), (key % _KIND_SPAN).astype(np.uint16))
        key //= _KIND_SPAN  # the pair
        first = _firsts(key)
        pairs.append(key[first])
        bits.append(np.bitwise_or.reduceat(said, first))
        del key, said, first
    return pairs, bits


def _merged(pairs: list[np.ndarray], bits: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The chunks' pairs as one, each once, with the bits of every chunk that made it; the lists
    are emptied on the way."""
    if len(pairs) == 1:
        return pairs[0], bits[0]
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint16)
    # A pair met in two chunks (through two blocks): once, with the bits of both. In place where
    # it can be, and each list let go once joined: at 10M pairs every int64 copy is 90 MB.
    key = np.concatenate(pairs)
    pairs.clear()
    key *= _BITS_SPAN
    key += np.concatenate(bits)
    bits.clear()
    key.sort()
    said = (key % _BITS_SPAN).astype(np.uint16)
    key //= _BITS_SPAN  # the pair
    first = _firsts(key)
    return key[first], np.bitwise_or.reduceat(said, first)


def _firsts(sorted_keys: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array starts."""
    new = np.empty(len(sorted_keys), dtype=bool)
    new[:1] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=new[1:])
    return np.flatnonzero(new)


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
_KIND_SPAN = 16  # > every kind code
_BITS_SPAN = 1 << _KIND_SPAN  # > every set of kind bits
assert len(_KINDS) <= _KIND_SPAN


def _block_keys(groups: list[Group], settings: ResolutionSettings,
                shared: SharedValues) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(block code, group, kind code) once per block and group; a kind is a FLAGS entry, 't' (word) or 'p' (prefix).

    Straight from the groups' code arrays: each kind of block numbers its own values (a spelling,
    a word, a phone…) in a range of block codes of its own, so no key string is ever built."""
    columns = group_columns(groups)
    blocks: list[np.ndarray] = []
    members: list[np.ndarray] = []
    kinds: list[np.ndarray] = []
    base = 0

    def add(owner: np.ndarray, codes: np.ndarray, kind: int | np.ndarray, width: int) -> None:
        nonlocal base
        blocks.append(codes + base)
        members.append(owner)
        kinds.append(np.broadcast_to(np.asarray(kind, dtype=np.int64), codes.shape))
        base += width

    spellings, words = columns.spellings, columns.words
    owner = spellings.owner
    add(owner, spellings.flat, _CODE["n"], len(spellings.vocabulary))
    prefix = settings.name_prefix_length
    if prefix:
        starts, shown = pd.factorize(pd.Series([c[:prefix] for c in spellings.vocabulary], dtype=object))
        add(owner, starts[spellings.flat].astype(np.int64), _CODE["p"], len(shown))
    # A group's rarest words (fewest groups use them; alphabetical among equals) as blocks of their own
    owner = words.owner
    rarity = np.bincount(words.flat, minlength=len(words.vocabulary))
    alphabetical = np.empty(len(words.vocabulary), dtype=np.int64)
    # as Python orders str (code points); words are letters and digits, so no NUL that "U" would drop
    alphabetical[np.argsort(np.array(words.vocabulary, dtype=str), kind="stable")] = np.arange(len(words.vocabulary))
    order = np.lexsort((alphabetical[words.flat], rarity[words.flat], owner))
    place = np.arange(len(order)) - np.repeat(words.offsets[:-1], np.diff(words.offsets))
    rare = order[place < settings.name_block_tokens]
    add(owner[rare], words.flat[rare], _CODE["t"], len(words.vocabulary))
    for value_kind in VALUE_KINDS:
        values = columns.values[value_kind]
        weak = np.asarray(pd.Series(values.vocabulary, dtype=object).isin(list(shared[value_kind])), dtype=bool)
        kind = np.where(weak, _CODE["x" + value_kind], _CODE["s" + value_kind])
        add(values.owner, values.flat, kind[values.flat], len(values.vocabulary))
    codes = np.concatenate(blocks).astype(np.int64)
    if not len(codes):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    member = np.concatenate(members).astype(np.int64)
    kind = np.concatenate(kinds).astype(np.int64)
    kind_of = np.zeros(base, dtype=np.int64)
    kind_of[codes] = kind  # one kind per block
    # A block lists a group once (two spellings of one group may share their first letters)
    width = len(groups) + 1
    keys = distinct_sorted(codes * width + member)
    codes = keys // width
    return codes, keys % width, kind_of[codes]
