"""The review queue and the operator's decisions on it.

A pair's id is built from the two organisation rows' record ids (the rows contacts link to), each
hashed on its own: the same pair gets the same id on the next run, and a stored decision can be
traced back to its two groups without comparing every pair.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from core.resolve.groups import Group
from core.resolve.scoring import PairEvidence

APPROVE, REJECT = "approve", "reject"
_SPELLINGS = {"approve": APPROVE, "approved": APPROVE, "reject": REJECT, "rejected": REJECT}


@dataclass
class ReviewPair:
    pair_id: str
    evidence: PairEvidence
    decision: str | None = None


def anchor_hash(record_id: str) -> str:
    return hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:12]


def pair_id(record_a: str, record_b: str) -> str:
    return "-".join(sorted((anchor_hash(record_a), anchor_hash(record_b))))


def decided_pairs(decisions: Mapping[str, str] | None, groups: list[Group]) -> dict[tuple[int, int], str]:
    """Decisions that name two groups of this run; others (rows gone since) are ignored."""
    if not decisions:
        return {}
    by_hash = {anchor_hash(g.anchor): g.idx for g in groups}
    decided = {}
    for pid in sorted(decisions):
        decision = _SPELLINGS.get(str(decisions[pid]).strip().lower())
        parts = str(pid).split("-")
        if decision is None or len(parts) != 2 or parts[0] not in by_hash or parts[1] not in by_hash:
            continue
        a, b = sorted((by_hash[parts[0]], by_hash[parts[1]]))
        if a != b:
            decided[(a, b)] = decision
    return decided


def one_per_cluster_pair(items: list[tuple[float, int, int, PairEvidence]], root) -> list[ReviewPair]:
    """The best pair between each two clusters: one question per pair of organisations."""
    best: dict[tuple[int, int], tuple[float, int, int, PairEvidence]] = {}
    for weight, a, b, ev in items:
        ra, rb = root(a), root(b)
        if ra == rb:
            continue  # other links have joined them since
        key = (min(ra, rb), max(ra, rb))
        if key not in best or (-weight, a, b) < (-best[key][0], best[key][1], best[key][2]):
            best[key] = (weight, a, b, ev)
    ordered = sorted(best.values(), key=lambda item: (-item[0], item[3].record_a, item[3].record_b))
    return [ReviewPair(pair_id(ev.record_a, ev.record_b), ev) for _, _, _, ev in ordered]
