"""Over-merge guards (issue 14 item 6): a cluster far larger than the case's usual, or one that
spans several provinces with no identifier shared across them, is not merged silently.

Its weakest links are held back, one at a time, until every part passes; each held-back link goes
to the review queue with the cluster's size in the first words of its explanation, so the operator
decides. An organisation with a link the operator approved is the operator's: it is not held.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.resolve.groups import VALUE_KINDS, Group
from core.resolve.settings import ResolutionSettings
from core.resolve.shared import SharedValues


@dataclass
class Held:
    weight: float
    a: int
    b: int
    headline: str


def guard_clusters(groups: list[Group], links: list[tuple[float, int, int, bool]], find,
                   shared: SharedValues, settings: ResolutionSettings) -> tuple[dict[int, int], list[Held]]:
    """links: (weight, a, b, forced) of every join. Returns a new root for each group of a split
    cluster, and the links held back."""
    by_root: dict[int, list[tuple[float, int, int, bool]]] = {}
    for link in links:
        by_root.setdefault(find(link[1]), []).append(link)
    sizes = sorted(len(ls) + 1 for ls in by_root.values())
    if not sizes:
        return {}, []
    usual = sizes[len(sizes) // 2]
    limit = max(settings.guard_min_groups, math.ceil(settings.guard_size_factor * usual))
    override: dict[int, int] = {}
    held: list[Held] = []
    for root in sorted(by_root):
        cluster_links = by_root[root]
        members = sorted({g for _, a, b, _ in cluster_links for g in (a, b)})
        reason = _problem(groups, members, shared, limit, usual)
        if reason is None or any(link[3] for link in cluster_links):
            continue  # fine, or the operator has already approved a link of this organisation
        kept = sorted(cluster_links, key=lambda link: (link[3], link[0], link[1], link[2]))  # weakest first
        while reason is not None and kept and not kept[0][3]:
            weight, a, b, _ = kept.pop(0)
            held.append(Held(weight, a, b, reason))
            parts = _components(members, kept)
            reason = next((r for part in parts if len(part) > 1
                           for r in [_problem(groups, part, shared, limit, usual)] if r), None)
        for part in _components(members, kept):
            for g in part:
                override[g] = min(part)
    return override, held


def _problem(groups: list[Group], members: list[int], shared: SharedValues, limit: int, usual: int) -> str | None:
    if len(members) > limit:
        return (f"held back: this would make one organisation of {len(members)} rows, "
                f"far more than the case's usual {usual}")
    provinces = {p.casefold() for g in members for p in groups[g].provinces}
    if len(provinces) > 1 and not _identifier_across(groups, members, shared):
        return (f"held back: this would make one organisation of {len(members)} rows across "
                f"{len(provinces)} provinces, with no website, email or phone shared across them")
    return None


def _identifier_across(groups: list[Group], members: list[int], shared: SharedValues) -> bool:
    """Some own (unshared) value appears in rows of two different provinces."""
    seen: dict[tuple[str, str], set[str]] = {}
    for g in members:
        group = groups[g]
        for kind in VALUE_KINDS:
            for value in group.values[kind]:
                if value not in shared[kind]:
                    seen.setdefault((kind, value), set()).update(p.casefold() for p in group.provinces)
    return any(len(provinces) > 1 for provinces in seen.values())


def _components(members: list[int], links) -> list[list[int]]:
    parent = {m: m for m in members}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, a, b, _ in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    parts: dict[int, list[int]] = {}
    for m in members:
        parts.setdefault(find(m), []).append(m)
    return [sorted(p) for p in parts.values()]
