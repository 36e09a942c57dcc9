"""Rows hard-linked within a workbook form one group before any scoring; the resolver compares
groups, never the rows inside one. A group pools its rows' names, websites, emails and phones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from core.resolve.keys import NameKey, NameKeyer, fold

_WORD = re.compile(r"[a-z0-9]+")

VALUE_KINDS = ("website", "page", "email", "domain", "phone")


@dataclass
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

    def __post_init__(self) -> None:
        self.primary: NameKey | None = self.names[0][1][0] if self.names else None
        self.qualifiers = frozenset().union(*(keys[0].qualifiers for _, keys in self.names))


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def build_groups(records: pd.DataFrame, keyer: NameKeyer, free_mail: set[str]) -> tuple[list[Group], list[int]]:
    """Groups ordered by anchor, and each sorted row's group index (rows sorted by record_id)."""
    rows = records.sort_values("record_id", kind="stable")
    ids = rows["record_id"].astype(str).tolist()
    position = {rid: i for i, rid in enumerate(ids)}
    links = [_text(v) for v in rows["link_record_id"]] if "link_record_id" in rows else [None] * len(ids)
    uf = _UnionFind(len(ids))
    for i, target in enumerate(links):
        if target is not None and target in position:
            uf.union(i, position[target])
    members: dict[int, list[int]] = {}
    for i in range(len(ids)):
        members.setdefault(uf.find(i), []).append(i)

    def anchor(rows_of: list[int]) -> str:
        roots = [ids[i] for i in rows_of if links[i] is None or links[i] not in position]
        return min(roots or [ids[i] for i in rows_of])

    ordered = sorted(members.values(), key=anchor)
    columns = {c: rows[c].tolist() if c in rows else [None] * len(ids)
               for c in ("organization_name", "website", "emails", "phones", "province", "area")}
    groups, group_of = [], [0] * len(ids)
    for gi, rows_of in enumerate(ordered):
        for i in rows_of:
            group_of[i] = gi
        groups.append(_group(gi, anchor(rows_of), [ids[i] for i in rows_of], rows_of, columns, keyer, free_mail))
    return groups, group_of


def _group(gi, anchor_id, record_ids, rows_of, columns, keyer, free_mail) -> Group:
    anchor_row = rows_of[record_ids.index(anchor_id)]
    raw_names = [_text(columns["organization_name"][i]) for i in [anchor_row, *rows_of]]
    names = []
    for raw in dict.fromkeys(n for n in raw_names if n):  # anchor's name first, then others once each
        keys = keyer.keys(raw)
        if keys:
            names.append((raw, keys))
    websites, emails, phones = set(), set(), set()
    for i in rows_of:
        if (site := _text(columns["website"][i])) is not None:
            websites.add(site)
        emails.update(e.lower() for e in _many(columns["emails"][i]))
        phones.update(_many(columns["phones"][i]))
    hosts, pages = _websites(websites)
    domains = {e.rsplit("@", 1)[1] for e in emails if "@" in e} - free_mail
    values = {"website": hosts, "page": pages, "email": emails, "domain": domains, "phone": phones}
    provinces = {p for i in rows_of if (p := _text(columns["province"][i]))}
    area_text = {a for i in rows_of if (a := _text(columns["area"][i]))}
    areas = {w for a in area_text for w in _WORD.findall(fold(a)) if len(w) > 2}  # "PTA", "Rand"… not "of"
    return Group(gi, anchor_id, record_ids, names, {k: frozenset(v) for k, v in values.items()},
                 frozenset(provinces), frozenset(areas), frozenset(area_text))


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


def _many(value) -> list[str]:
    if isinstance(value, (tuple, list, set, frozenset)):
        return [v for v in (_text(x) for x in value) if v]
    single = _text(value)
    return [single] if single else []
