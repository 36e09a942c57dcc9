"""The review queue: pairs in the profile's review band, shown side by side with their evidence.

Refine writes the queue to `dist/<case>/review-queue.json`; `hotpass review` and the UI read it,
and decisions go to the ledger, which the next refine of the case re-applies.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from core.errors import InputNotFound, UnreadableInput
from core.results import ReviewItem
from core.write import atomic_path

SIDE_FIELDS = ["organization_name", "website", "province", "area", "address", "phones", "emails",
               "source_file", "source_sheet", "source_row"]


def explanations_by_cluster(records: pd.DataFrame, resolution) -> dict[int, str]:
    """Plain words for every organisation that more than one record made: why they merged."""
    cluster_of = dict(zip(records["record_id"], resolution.cluster_ids))
    reasons: dict[int, list[str]] = {}
    for merge in resolution.merges:
        reasons.setdefault(cluster_of[merge.record_a], []).append(merge.explanation)
    linked = records[records["link_method"].notna()]
    for record_id, method in zip(linked["record_id"], linked["link_method"]):
        text = f"contact row linked within its workbook by {'ID' if method == 'id' else 'organisation name'}"
        reasons.setdefault(cluster_of[record_id], []).append(text)
    return {cluster: "; ".join(dict.fromkeys(texts)) for cluster, texts in reasons.items()}


def review_items(records: pd.DataFrame, resolution) -> list[ReviewItem]:
    wanted = {r for pair in resolution.review for r in (pair.evidence.record_a, pair.evidence.record_b)}
    # One selection for every pair, not a .loc per side (that cost ~1 ms each on a 100k-row case).
    rows = records[records["record_id"].isin(wanted)].drop_duplicates("record_id").set_index("record_id")
    by_id = rows.reindex(columns=SIDE_FIELDS).to_dict("index")
    items = []
    for pair in resolution.review:
        evidence = pair.evidence
        items.append(ReviewItem(pair.pair_id, _side(by_id, evidence.record_a), _side(by_id, evidence.record_b),
                                round(float(evidence.score), 3), evidence.explanation, pair.decision))
    return items


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
