"""Evidence weights learned from the case against the profile's: P/R/F1, the review queue and what
it holds (true vs false pairs), recall after an oracle reviewer, and what learning cost.

Run on demand: `.venv/bin/python tests/bench/bench_learn.py [rows ...] [--seed N] [--profile NAME]
[--learn on|off|both]` (default 10,000 rows, both). The case is bench_resolve's (tests/generators/
messy_case.py, cached in the temp dir). For the queue it prints how many queued pairs the truth calls
one organisation, by score band, so a calibrated band can be judged: a band that drops false pairs
without dropping true ones shrinks the queue without losing recall after the oracle.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_resolve import case_records, oracle  # noqa: E402
from tests.generators.messy_case import pairwise  # noqa: E402

BANDS = (0.5, 0.6, 0.7, 0.8, 0.85)


def queue_make_up(records, review) -> tuple[int, int, Counter]:
    """Queued pairs the truth puts in one organisation, those it keeps apart, and both by score band."""
    truth = dict(zip(records["record_id"].astype(str), records["_truth"]))
    true = false = 0
    bands: Counter = Counter()
    for pair in review:
        if pair.decision is not None:
            continue
        same = truth[pair.evidence.record_a] == truth[pair.evidence.record_b]
        true += same
        false += not same
        band = max((b for b in BANDS if pair.evidence.score >= b), default=0.0)
        bands[(band, same)] += 1
    return true, false, bands


# Queues an operator could be shown instead of the whole one: the pairs left out stay as resolve left them.
SUBSETS = {
    "score >= 0.6": lambda ev: ev.score >= 0.6,
    "score >= 0.7": lambda ev: ev.score >= 0.7,
    "no chaining-only": lambda ev: not (KEPT_APART in ev.explanation and ev.score >= 0.85),
}
KEPT_APART = "kept apart: joining would also put"


def subsets(records, settings, result) -> None:
    """Recall after an oracle that answers only part of the queue, and that part's size."""
    from core.resolve import resolve

    answers = oracle(records, result.review)
    for name, keep in SUBSETS.items():
        asked = [p for p in result.review if keep(p.evidence)]
        again = resolve(records, settings, {p.pair_id: answers[p.pair_id] for p in asked})
        _, recall_after, _ = pairwise(records["_truth"], again.cluster_ids)
        print(f"          queue {name}: {len(asked):,} pairs, R after oracle {recall_after:.4f}", flush=True)


def run(rows: int, seed: int, profile_name: str, learn: bool, show: int = 0, subsets_too: bool = False) -> None:
    from core.resolve import resolve

    records, profile = case_records(rows, seed, profile_name)
    settings = profile.resolution.model_copy(update={"learn_weights": learn})
    cpu = time.process_time()
    result = resolve(records, settings)
    cpu = time.process_time() - cpu
    precision, recall, f1 = pairwise(records["_truth"], result.cluster_ids)
    organisations = result.cluster_ids.nunique()
    again = resolve(records, settings, oracle(records, result.review))
    _, recall_after, _ = pairwise(records["_truth"], again.cluster_ids)
    true, false, bands = queue_make_up(records, result.review)
    learned = result.learned
    print(f"{len(records):>8,} rows  learn {'on ' if learn else 'off'}  P {precision:.4f} R {recall:.4f} F1 {f1:.4f}  "
          f"queue {len(result.review):,} ({len(result.review) / max(organisations, 1):.1%}: {true} true, {false} false)  "
          f"R after oracle {recall_after:.4f}  resolve {result.seconds:.2f} s (cpu {cpu:.2f})  "
          f"learning {result.timings.get('learning', 0):.2f} s  pairs scored {result.pairs_scored:,}", flush=True)
    print("          queue by score: " + ", ".join(
        f">={band:.2f} {bands[(band, True)]}t/{bands[(band, False)]}f" for band in (0.0, *BANDS)
        if bands[(band, True)] or bands[(band, False)]), flush=True)
    truth = dict(zip(records["record_id"].astype(str), records["_truth"]))
    kept = [truth[p.evidence.record_a] == truth[p.evidence.record_b] for p in result.review
            if KEPT_APART in p.evidence.explanation]
    print(f"          of the queue, kept apart by chaining: {sum(kept)} true, {len(kept) - sum(kept)} false", flush=True)
    if subsets_too:
        subsets(records, settings, result)
    for pair in result.review[:show]:
        ev = pair.evidence
        print(f"          {'TRUE ' if truth[ev.record_a] == truth[ev.record_b] else 'false'} {ev.score:.3f} {ev.explanation}")
    if learned is not None:
        print(f"          learned on {learned.pairs:,} pairs, match share {learned.match_share:.3f}, "
              f"prior {learned.prior:+.2f}, cap {learned.cap:.2f}: {learned.describe()}", flush=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="*", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", default="generic")
    parser.add_argument("--learn", choices=("on", "off", "both"), default="both")
    parser.add_argument("--show", type=int, default=0, help="print this many queued pairs, truth and explanation")
    parser.add_argument("--subsets", action="store_true", help="recall after an oracle answering part of the queue")
    args = parser.parse_args(argv)
    for rows in args.rows or [10_000]:
        for learn in {"on": [True], "off": [False], "both": [False, True]}[args.learn]:
            run(rows, args.seed, args.profile, learn, args.show, args.subsets)


if __name__ == "__main__":
    main(sys.argv[1:])
