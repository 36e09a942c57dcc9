"""The review queue: pairs in the profile's review band, shown side by side with their evidence.

Refine writes the queue to `dist/<case>/review-queue.json`; `hotpass review` and the UI read it,
and decisions go to the ledger, which the next refine of the case re-applies.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from core.errors import InputNotFound, UnreadableInput
from core.results import ReviewItem
from core.write import atomic_path

SIDE_FIELDS = ["organization_name", "website", "province", "area", "address", "phones", "emails",
               "source_file", "source_sheet", "source_row"]


def explanations_by_cluster(records: pd.DataFrame, resolution) -> dict[int, str]:
    """Plain words for every organisation that more than one record made: why they merged."""
    clusters = resolution.cluster_ids.to_numpy()  # by position, like records' rows
    merges = resolution.merges
    # Whole columns at once: a Python call per row (arrow-backed columns iterated) cost ~1 s at 100k rows.
    merged = clusters[pd.Index(records["record_id"]).get_indexer([m.record_a for m in merges])] if merges else []
    reasons: dict[int, list[str]] = {}
    for cluster, merge in zip(merged.tolist() if merges else [], merges):
        reasons.setdefault(cluster, []).append(merge.explanation)
    linked = records["link_method"].notna().to_numpy(dtype=bool)
    texts = {method: f"contact row linked within its workbook by {'ID' if method == 'id' else 'organisation name'}"
             for method in records["link_method"][linked].unique().tolist()}
    for cluster, method in zip(clusters[linked].tolist(), records["link_method"].to_numpy()[linked].tolist()):
        reasons.setdefault(cluster, []).append(texts[method])
    return {cluster: "; ".join(dict.fromkeys(found)) for cluster, found in reasons.items()}


def review_items(records: pd.DataFrame, resolution, decisions: Mapping[str, str] | None = None) -> list[ReviewItem]:
    """The queue as the operator sees it: content ids, and the pairs whose answer settles most rows first.

    `decisions` (content id -> what the operator said) shows `unsure`, `split`… as said, where the
    engine only knows merge or keep apart.
    """
    from core.resolve.identity import keys_by_record
    from core.resolve.review import UNDO, content_pair_id

    said = {pid: d for pid, d in getattr(decisions, "by_content", decisions or {}).items() if d != UNDO}
    wanted = {r for pair in resolution.review for r in (pair.evidence.record_a, pair.evidence.record_b)}
    # One selection for every pair, not a .loc per side (that cost ~1 ms each on a 100k-row case).
    rows = records[records["record_id"].isin(wanted)].drop_duplicates("record_id")
    keys = keys_by_record(rows)
    by_id = rows.set_index("record_id").reindex(columns=SIDE_FIELDS).to_dict("index")
    cluster_of = dict(zip(records["record_id"].astype(str).tolist(), resolution.cluster_ids.tolist()))
    size = Counter(resolution.cluster_ids.tolist())
    ranked = []
    for pair in resolution.review:
        evidence = pair.evidence
        pid = content_pair_id(keys[evidence.record_a], keys[evidence.record_b])
        decision = said.get(pid, pair.decision)
        # Answering a pair settles every row of its two organisations (one if they are one already).
        clusters = {cluster_of[evidence.record_a], cluster_of[evidence.record_b]}
        settles = sum(size[c] for c in clusters)
        item = ReviewItem(pid, _side(by_id, evidence.record_a), _side(by_id, evidence.record_b),
                          round(float(evidence.score), 3), evidence.explanation, decision)
        ranked.append(((_STATE_ORDER.get(decision, 2), -settles, -item.score, pid), item))
    seen: set[str] = set()  # two record pairs can say the same thing: one question
    return [item for _, item in sorted(ranked, key=lambda entry: entry[0])
            if not (item.pair_id in seen or seen.add(item.pair_id))]


_STATE_ORDER = {None: 0, "unsure": 1}  # open pairs, then those put aside, then the answered ones


def _side(by_id: dict[str, dict], record_id: str) -> dict:
    row = by_id[record_id]
    side = {"record_id": record_id}
    for field in SIDE_FIELDS:
        value = row.get(field)
        if isinstance(value, tuple):
            value = "; ".join(value)
        side[field] = None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else (
            int(value) if field == "source_row" else str(value))
    return side


def save_queue(path: Path, case_id: str, run_id: str, items: list[ReviewItem]) -> None:
    payload = {"case_id": case_id, "run_id": run_id, "pairs": [item.__dict__ for item in items]}
    with atomic_path(path) as temp:
        temp.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")


def load_queue(path: Path) -> tuple[str, list[ReviewItem]]:
    if not path.is_file():
        raise InputNotFound("no review queue for this case yet", file=path, hint="run `hotpass refine` first")
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        return payload["run_id"], [ReviewItem(**pair) for pair in payload["pairs"]]
    except (ValueError, KeyError, TypeError) as exc:  # edited by hand, or not a queue at all
        raise UnreadableInput(f"the review queue cannot be read ({type(exc).__name__}: {exc})", file=path,
                              hint="run `hotpass refine` again to rewrite it") from None
