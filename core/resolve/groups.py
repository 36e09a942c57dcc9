"""Rows hard-linked within a workbook form one group before any scoring; the resolver compares
groups, never the rows inside one. A group pools its rows' names, websites, emails and phones.

Built as columns, as per-row Python cost seconds at 100k rows: each distinct name, website, email,
phone, province and area is read once (factorized), rows become integer codes, and each group's sets
come from (group, code) arrays; only the Group objects themselves are made one by one. The codes stay
beside the groups (Groups.columns) for the column work after: shared values, blocking.
"""

from __future__ import annotations

import marshal
import os
import re
from collections.abc import Callable, Iterable
from itertools import chain
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.resolve.keys import NameKey, NameKeyer, fold

_WORD = re.compile(r"[a-z0-9]+")

VALUE_KINDS = ("website", "page", "email", "domain", "phone")
PARALLEL_NAMES = 20_000  # distinct names from which keying them in copies beats the fork and the pickle
KEY_COPY_SHARE = 0.15  # of this process's memory a keying copy comes to own: the names it reads, its keys
EMPTY: frozenset[str] = frozenset()


@dataclass(slots=True)  # one per row group: ~770k at 1M rows, each had carried a __dict__
class Group:
    idx: int
    anchor: str  # record_id of the organisation row the others link to: stable between runs
    record_ids: list[str]
    names: list[tuple[str, tuple[NameKey, ...]]]  # (raw name, its keys: trading name first)
    values: dict[str, frozenset[str]] = field(default_factory=dict)  # kind -> website hosts, phones…
    provinces: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()  # words of the free-text area, for a loose comparison
    area_text: frozenset[str] = frozenset()  # the areas as written, for explanations

    qualifiers: frozenset[str] = frozenset()  # bracketed words of its names: "(Lanseria)"
    # Phones of its organisation rows: a contact's mobile on a people sheet is the person's, not the
    # organisation's own line (clusters.own_values_differ)
    lines: frozenset[str] | None = None
    primary: NameKey | None = field(init=False, default=None, repr=False)  # its first name's first key

    def __post_init__(self) -> None:
        names = self.names
        self.primary: NameKey | None = names[0][1][0] if names else None
        if len(names) == 1:  # most groups: a frozenset is its own union
            self.qualifiers = names[0][1][0].qualifiers
        else:  # an empty one shared (216 bytes a group)
            self.qualifiers = frozenset().union(*(keys[0].qualifiers for _, keys in names)) or EMPTY
        if self.lines is None:
            self.lines = self.values.get("phone", EMPTY)


@dataclass
class CodeSets:
    """One set of strings per owner (a group, or a distinct value) as integer codes: owner i holds
    vocabulary[c] for c in flat[offsets[i]:offsets[i + 1]], codes ascending, each once."""

    vocabulary: list[str]
    offsets: np.ndarray  # int64, owners + 1
    flat: np.ndarray  # int64

    @classmethod
    def of_pairs(cls, owner: np.ndarray, codes: np.ndarray, vocabulary: list[str], owners: int) -> CodeSets:
        """From (owner, code) pairs in any order, repeats allowed; a code of -1 is no value."""
        keep = codes >= 0
        width = max(len(vocabulary), 1)
        keys = distinct_sorted(owner[keep].astype(np.int64) * width + codes[keep].astype(np.int64))
        offsets = np.zeros(owners + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys // width, minlength=owners), out=offsets[1:])
        return cls(vocabulary, offsets, keys % width)

    @classmethod
    def of_sets(cls, sets: list[Iterable[str]]) -> CodeSets:
        """From one collection of strings per owner."""
        return cls.of_lists([v for s in sets for v in s], [len(s) for s in sets])  # type: ignore[arg-type]

    @classmethod
    def of_lists(cls, values: list[str], sizes: list[int] | np.ndarray) -> CodeSets:
        """From the owners' strings one after the other, `sizes[i]` of them owner i's."""
        codes, uniques = pd.factorize(pd.Series(values, dtype=object))
        owner = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        return cls.of_pairs(owner, codes.astype(np.int64), np.asarray(uniques, dtype=object).tolist(), len(sizes))

    @property
    def owners(self) -> int:
        return len(self.offsets) - 1

    @property
    def owner(self) -> np.ndarray:
        """The owner of each entry of `flat`."""
        return np.repeat(np.arange(self.owners, dtype=np.int64), np.diff(self.offsets))

    def through(self, owner: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For (owner, code) pairs whose codes are this table's owners: (owner, inner code), once per inner value."""
        codes = codes.astype(np.int64)
        counts = np.diff(self.offsets)[codes]
        total = int(counts.sum())
        starts = np.repeat(self.offsets[codes] - (np.cumsum(counts) - counts), counts)
        return np.repeat(owner, counts), self.flat[starts + np.arange(total, dtype=np.int64)]

    def sets(self) -> list[frozenset[str]]:
        """The sets as frozensets; owners holding one same value share one frozenset."""
        sizes = np.diff(self.offsets)
        out = np.empty(self.owners, dtype=object)
        out.fill(EMPTY)
        one = np.flatnonzero(sizes == 1)
        if len(one):
            used, which = np.unique(self.flat[self.offsets[one]], return_inverse=True)
            singles = np.empty(len(used), dtype=object)
            for i, c in enumerate(used.tolist()):
                singles[i] = frozenset((self.vocabulary[c],))
            out[one] = singles[which]
        many = np.flatnonzero(sizes > 1)
        if len(many):
            vocabulary, flat, offsets = self.vocabulary, self.flat.tolist(), self.offsets.tolist()
            for g in many.tolist():
                out[g] = frozenset([vocabulary[c] for c in flat[offsets[g]:offsets[g + 1]]])
        return out.tolist()


@dataclass
class GroupColumns:
    """Per group, the sets blocking and the shared-value count read, as codes (see CodeSets)."""

    values: dict[str, CodeSets]  # VALUE_KINDS -> the group's values of that kind
    spellings: CodeSets  # NameKey.compact of every key of every name
    words: CodeSets  # the tokens of every key of every name

    @property
    def groups(self) -> int:
        return self.spellings.owners

    @classmethod
    def of_groups(cls, groups: list[Group]) -> GroupColumns:
        """The same sets read from Group objects (for a list that did not come from build_groups)."""
        return cls({k: CodeSets.of_sets([g.values[k] for g in groups]) for k in VALUE_KINDS},
                   CodeSets.of_sets([[k.compact for _, keys in g.names for k in keys] for g in groups]),
                   CodeSets.of_sets([{t for _, keys in g.names for k in keys for t in k.tokens} for g in groups]))


class Groups(list):
    """The groups (a list of Group), with their sets as codes beside them (`columns`): they describe
    the list as build_groups made it; a copy or slice is a plain list, whose codes are read anew."""

    columns: GroupColumns | None = None


def group_columns(groups: list[Group]) -> GroupColumns:
    """The codes build_groups kept, else the same sets read from the Group objects."""
    columns = getattr(groups, "columns", None)
    if isinstance(columns, GroupColumns) and columns.groups == len(groups):
        return columns
    return GroupColumns.of_groups(groups)


def build_groups(records: pd.DataFrame, keyer: NameKeyer, free_mail: set[str]) -> tuple[Groups, list[int]]:
    """Groups ordered by anchor, and each sorted row's group index (rows sorted by record_id)."""
    # The order DataFrame.sort_values gives, without copying every column (a Series sorts alike)
    order = records["record_id"].reset_index(drop=True).sort_values(kind="stable").index.to_numpy()
    n = len(order)

    def column(name: str) -> pd.Series:
        return records[name].iloc[order].reset_index(drop=True) if name in records \
            else pd.Series([None] * n, dtype=object)

    ids = column("record_id").astype(str).tolist()
    group_of, anchor_row = _components(_link_targets(column, ids))
    count = len(anchor_row)

    name_code, raws = _distinct(column("organization_name"))
    keys_of = _keys_of(keyer, raws)
    keyed = np.fromiter((bool(k) for k in keys_of), dtype=bool, count=len(raws))
    keyed_code = _through(name_code, np.where(keyed, np.arange(len(raws)), -1))  # a name with keys, else -1
    named = CodeSets.of_pairs(group_of, keyed_code, raws, count)
    flat_keys = list(chain.from_iterable(keys_of))
    per_name = np.zeros(len(keys_of) + 1, dtype=np.int64)  # the names' keys in flat_keys
    np.cumsum(np.fromiter(map(len, keys_of), dtype=np.int64, count=len(keys_of)), out=per_name[1:])
    spelled = CodeSets.of_lists([k.compact for k in flat_keys], np.diff(per_name))  # per distinct name
    tokens = np.zeros(len(flat_keys) + 1, dtype=np.int64)
    np.cumsum(np.fromiter((len(k.tokens) for k in flat_keys), dtype=np.int64, count=len(flat_keys)), out=tokens[1:])
    worded = CodeSets.of_lists(list(chain.from_iterable(k.tokens for k in flat_keys)), np.diff(tokens[per_name]))
    spellings = CodeSets.of_pairs(*spelled.through(named.owner, named.flat), spelled.vocabulary, count)
    words = CodeSets.of_pairs(*worded.through(named.owner, named.flat), worded.vocabulary, count)

    values = _values(column, group_of, count, free_mail)
    line = values.pop("line").sets()
    province_code, province_texts = _distinct(column("province"))
    area_code, area_texts = _distinct(column("area"))
    area_sets = CodeSets.of_pairs(group_of, area_code, area_texts, count)
    area_words = CodeSets.of_sets([{w for w in _WORD.findall(fold(a)) if len(w) > 2}  # "PTA", "Rand"… not "of"
                                   for a in area_texts])
    site, page, email, domain, phone = (values[k].sets() for k in VALUE_KINDS)
    line = [phone[g] if own == phone[g] else own for g, own in enumerate(line)]  # one set where they agree
    provinces = CodeSets.of_pairs(group_of, province_code, province_texts, count).sets()
    areas = CodeSets.of_pairs(*area_words.through(area_sets.owner, area_sets.flat), area_words.vocabulary,
                              count).sets()
    area_text = area_sets.sets()

    members = np.argsort(group_of, kind="stable")  # rows by group, in record_id order within one
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(group_of, minlength=count), out=offsets[1:])
    member_ids = np.asarray(ids, dtype=object)[members].tolist()
    members_l, offsets_l, codes_l = members.tolist(), offsets.tolist(), name_code.tolist()
    pair = [(raw, keys) if keys else None for raw, keys in zip(raws, keys_of)]
    pair.append(None)  # code -1: no name
    groups = Groups()
    for g, anchor in enumerate(anchor_row.tolist()):
        start, end = offsets_l[g], offsets_l[g + 1]
        if end - start == 1:
            names = [p] if (p := pair[codes_l[anchor]]) is not None else []
        else:  # the anchor's name first, then the others once each
            order = dict.fromkeys([codes_l[anchor], *(codes_l[i] for i in members_l[start:end])])
            names = [p for c in order if (p := pair[c]) is not None]
        groups.append(Group(g, ids[anchor], member_ids[start:end], names,
                            {"website": site[g], "page": page[g], "email": email[g], "domain": domain[g],
                             "phone": phone[g]}, provinces[g], areas[g], area_text[g], lines=line[g]))
    groups.columns = GroupColumns(values, spellings, words)
    return groups, group_of.tolist()


def _keys_of(keyer: NameKeyer, raws: list[str]) -> list[tuple[NameKey, ...]]:
    """Each distinct name's keys, spread over forked copies (core.parallel) on a large case: a name's
    keys depend on that name alone, and a copy reads only the names, so it costs little memory.
    A copy sends its keys back marshalled (NameKey.fields): pickle took longer than the keying saved."""
    from core.parallel import affordable_workers, run_shares, usable_workers

    workers = affordable_workers(usable_workers(), KEY_COPY_SHARE) if len(raws) >= PARALLEL_NAMES else 1
    if workers <= 1:
        return [keyer.keys(raw) for raw in raws]
    size, here = -(-len(raws) // workers), os.getpid()

    def share(k: int) -> list | bytes:
        keys = [keyer.keys(raw) for raw in raws[k * size:(k + 1) * size]]
        return keys if os.getpid() == here else marshal.dumps([tuple(key.fields() for key in ks) for ks in keys])

    chunks = run_shares(share, workers, workers)
    return list(chain.from_iterable(chunk if isinstance(chunk, list) else _unmarshalled(chunk) for chunk in chunks))


def _unmarshalled(data: bytes) -> list[tuple[NameKey, ...]]:
    return [tuple(NameKey(*fields) for fields in ks) for ks in marshal.loads(data)]


def _values(column: Callable[[str], pd.Series], group_of: np.ndarray, count: int,
            free_mail: set[str]) -> dict[str, CodeSets]:
    site_code, sites = _distinct(column("website"))
    split = [_websites({url}) for url in sites]
    host_code, hosts = _distinct(pd.Series([next(iter(h), None) for h, _ in split], dtype=object))
    page_code, pages = _distinct(pd.Series([next(iter(p), None) for _, p in split], dtype=object))
    email_row, email_code, emails = _exploded(column("emails"), str.lower)
    phone_row, phone_code, phones = _exploded(column("phones"))
    domain_code, domains = _distinct(pd.Series(
        [e.rsplit("@", 1)[1] if "@" in e and e.rsplit("@", 1)[1] not in free_mail else None for e in emails],
        dtype=object), strip=False)  # "" after the @ is a domain too, as before
    email_group = group_of[email_row]
    contact = np.asarray(column("sheet_role").to_numpy(dtype=object) == "contact", dtype=bool)
    return {"website": CodeSets.of_pairs(group_of, _through(site_code, host_code), hosts, count),
            "page": CodeSets.of_pairs(group_of, _through(site_code, page_code), pages, count),
            "email": CodeSets.of_pairs(email_group, email_code, emails, count),
            "domain": CodeSets.of_pairs(email_group, _through(email_code, domain_code), domains, count),
            "phone": CodeSets.of_pairs(group_of[phone_row], phone_code, phones, count),
            "line": CodeSets.of_pairs(group_of[phone_row], np.where(contact[phone_row], -1, phone_code), phones, count)}


def distinct_sorted(keys: np.ndarray) -> np.ndarray:
    """np.unique(keys) for integers: numpy 2.4's np.unique without return_* takes a hash path that
    is ~40x slower than sorting on 100k+ distinct values (0.45 s against 0.01 s for 200k)."""
    keys = np.sort(keys)
    if len(keys) > 1:
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    return keys


def _link_targets(column: Callable[[str], pd.Series], ids: list[str]) -> np.ndarray:
    """Each row's link target as a row position; -1 where it links nowhere or to a row not here."""
    codes, texts = _distinct(column("link_record_id"))
    index = pd.Index(ids, dtype=object)
    if index.is_unique:
        where = index.get_indexer(pd.Index(texts, dtype=object)) if texts else np.zeros(0, dtype=np.int64)
    else:
        position = {rid: i for i, rid in enumerate(ids)}
        where = np.array([position.get(t, -1) for t in texts], dtype=np.int64)
    return _through(codes, np.asarray(where, dtype=np.int64))


def _components(target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group (groups ordered by anchor) and each group's anchor row.

    Rows are sorted by record_id, so a set's smallest record_id is its first row. The anchor is the
    first row that links nowhere in the rows (the organisation row), else the first row."""
    n = len(target)
    label = np.arange(n, dtype=np.int64)  # ends as the first row of each row's connected set
    src = np.flatnonzero(target >= 0)
    dst = target[src]
    while len(src):
        low = np.minimum(label[src], label[dst])
        np.minimum.at(label, src, low)
        np.minimum.at(label, dst, low)
        while not np.array_equal(jumped := label[label], label):
            label = jumped
        if np.array_equal(label[src], label[dst]):
            break
    roots = np.flatnonzero(target < 0)
    first_root = np.full(n, n, dtype=np.int64)
    np.minimum.at(first_root, label[roots], roots)
    heads = np.flatnonzero(label == np.arange(n))
    anchor = np.where(first_root[heads] < n, first_root[heads], heads)
    order = np.argsort(anchor, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[heads[order]] = np.arange(len(heads), dtype=np.int64)
    return rank[label], anchor[order]


def _distinct(values: pd.Series, transform: Callable[[str], str] | None = None,
              strip: bool = True) -> tuple[np.ndarray, list[str]]:
    """Each value's code among the distinct texts the values read as (_text, then `transform`); -1: none."""
    codes, uniques = pd.factorize(values)
    uniques = _objects(uniques)
    if not set(map(type, uniques)) <= {str}:
        # 1, 1.0 and True factorize as one value but read differently: read each value
        codes, uniques = pd.factorize(pd.Series([_text(v) for v in values], dtype=object))
        uniques = _objects(uniques)
    texts = [u.strip() or None for u in uniques] if strip else uniques  # _text of a str
    if transform is not None:
        texts = [None if t is None else transform(t) for t in texts]
    recode, vocabulary = pd.factorize(pd.Series(texts, dtype=object))  # "Acme" and " Acme" are one text
    return _through(codes.astype(np.int64), recode.astype(np.int64)), _objects(vocabulary)


def _objects(values) -> list:
    # list() of an arrow-backed Index goes one element at a time through Python: 10x slower
    return np.asarray(values, dtype=object).tolist()


def _exploded(values: pd.Series, transform: Callable[[str], str] | None = None) -> tuple[np.ndarray, np.ndarray,
                                                                                          list[str]]:
    """Cells holding several values (a tuple of phones): (row, code) per value, and the distinct texts."""
    cells = values.to_numpy(dtype=object)
    if set(map(type, cells)) <= {tuple, list, set, frozenset}:  # as normalise leaves them: 3x explode's speed
        sizes = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
        codes, texts = _distinct(pd.Series(list(chain.from_iterable(cells)), dtype=object), transform)
        return np.repeat(np.arange(len(cells), dtype=np.int64), sizes), codes, texts
    flat = values.explode()
    codes, texts = _distinct(flat.reset_index(drop=True), transform)
    return flat.index.to_numpy(dtype=np.int64), codes, texts


def _through(codes: np.ndarray, mapping: np.ndarray) -> np.ndarray:
    """mapping[code] per code, -1 staying -1."""
    out = np.full(len(codes), -1, dtype=np.int64)
    known = codes >= 0
    out[known] = mapping[codes[known]]
    return out


def _websites(urls: set[str]) -> tuple[set[str], set[str]]:
    """Hosts, and host+path for pages below a host (a listing on a directory or social site)."""
    hosts, pages = set(), set()
    for url in urls:
        rest = url.split("://", 1)[-1].strip().lower()
        host, _, path = rest.partition("/")
        host = host.removeprefix("www.").split(":")[0]
        if not host:
            continue
        hosts.add(host)
        if path.strip("/"):
            pages.add(f"{host}/{path.strip('/')}")
    return hosts, pages


def _text(value) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None

