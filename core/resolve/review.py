"""The review queue and the operator's decisions on it.

Inside one run the engine names a pair by its two organisation rows' record ids (`pair_id`). What
the operator sees, types and the ledger keeps is the pair's content id (`content_pair_id`): six hex
characters of each row's content key (core.resolve.identity), so that a decision still names the
same two rows after a sheet is re-sorted, a column added or a file re-exported. `decisions_for_run`
turns the ledger's content ids into this run's record-id pairs before the engine sees them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from core.resolve.groups import Group
from core.resolve.scoring import PairEvidence

APPROVE, REJECT = "approve", "reject"
UNSURE, UNDO, SPLIT, FORCE_TOGETHER, FORCE_APART = "unsure", "undo", "split", "force_together", "force_apart"
# What clustering does with each decision: must-link, cannot-link, or nothing (the pair stays asked).
MUST_LINK, CANNOT_LINK = {APPROVE, FORCE_TOGETHER}, {REJECT, SPLIT, FORCE_APART}
_SPELLINGS = {"approve": APPROVE, "approved": APPROVE, "reject": REJECT, "rejected": REJECT,
              FORCE_TOGETHER: APPROVE, FORCE_APART: REJECT, SPLIT: REJECT}
HALF = 6  # hex characters of each side's content key in a pair's id


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


# -- content ids: what the operator and the ledger see ---------------------------------------------

def content_pair_id(key_a: str, key_b: str) -> str:
    """Twelve hex characters: six of each row's content key, the smaller first."""
    return "".join(sorted((key_a[:HALF], key_b[:HALF])))


class RunDecisions(dict):
    """The engine's view (record-id pair -> approve|reject) plus what the operator said, by content id."""

    def __init__(self) -> None:
        super().__init__()
        self.by_content: dict[str, str] = {}
        self.unmatched: list[str] = []  # decided pairs whose rows are not in this run, or not only once


def decisions_for_run(records, decisions: Mapping[str, str] | None) -> RunDecisions:
    """Content-keyed decisions as this run's record-id pairs.

    A side whose six characters match rows of more than one content is ambiguous: a cannot-link is
    still applied to all of them (keeping unrelated rows apart changes nothing), a must-link is not.
    """
    from core.resolve.identity import keys_by_record

    out = RunDecisions()
    for pid, decision in (decisions or {}).items():
        if not _is_content_id(pid):  # a record-id pair from before content ids: right while rows stay put
            out[str(pid)] = decision
    wanted = {pid: str(d).strip().lower() for pid, d in (decisions or {}).items() if _is_content_id(pid)}
    out.by_content = dict(wanted)
    active = {pid: d for pid, d in wanted.items() if d in MUST_LINK | CANNOT_LINK}
    if not active:
        return out
    rows_by_half: dict[str, dict[str, list[str]]] = {}
    halves = {pid[:HALF] for pid in active} | {pid[HALF:] for pid in active}
    for rid, key in keys_by_record(records).items():
        if key[:HALF] in halves:
            rows_by_half.setdefault(key[:HALF], {}).setdefault(key, []).append(rid)
    # A contact row stands for the organisation row it links to: the engine knows groups by that row.
    linked = dict(zip(records["record_id"].astype(str), records["link_record_id"])) \
        if "link_record_id" in records else {}
    anchor = {rid: (str(target) if isinstance(target, str) and target in linked else rid)
              for rid, target in linked.items()}
    for pid, decision in sorted(active.items()):
        first, second = rows_by_half.get(pid[:HALF], {}), rows_by_half.get(pid[HALF:], {})
        if not first or not second or (decision in MUST_LINK and (len(first) > 1 or len(second) > 1)):
            out.unmatched.append(pid)
            continue
        for rid_a in {anchor.get(r, r) for rows in first.values() for r in rows}:
            for rid_b in {anchor.get(r, r) for rows in second.values() for r in rows}:
                if rid_a != rid_b:
                    out[pair_id(rid_a, rid_b)] = _SPELLINGS[decision]
    return out


def _is_content_id(pid: object) -> bool:
    text = str(pid)
    return len(text) == 2 * HALF and all(c in "0123456789abcdef" for c in text)
