"""Entity-resolution benchmark: pairwise P/R/F1, review queue, recall after an oracle reviewer, time.

Run on demand: `.venv/bin/python tests/bench/bench_resolve.py [rows ...] [--seed N] [--profile NAME]`
(default 1,000 10,000 100,000 rows). The case comes from tests/generators/messy_case.py, written as
real workbooks (cached in the temp dir), read and normalised as refine does, then resolved; the
resolve stage is timed on its own. "oracle" answers every queued pair from the truth and runs resolve
again with those decisions, as an operator who never errs would.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.generators.messy_case import VERSION, build_case, load_truth, load_variants, pairwise  # noqa: E402


def case_records(rows: int, seed: int, profile_name: str = "generic"):
    """The normalised records of a cached generated case, each row's true organisation, and the profile."""
    from core.normalize.records import normalise_records
    from core.ingest.case_reader import ingest_case
    from core.notices import find_notices
    from core.profiles import load_profile
    from core.progress import Reporter

    folder = Path(tempfile.gettempdir()) / f"hotpass-messy-{rows}-s{seed}-v{VERSION}"
    truth_path = folder.with_name(folder.name + "-truth.csv")
    if not truth_path.is_file():
        build_case(folder, rows, seed)
    profile = load_profile(profile_name)
    ingested = ingest_case(folder, profile, Reporter(["discover", "read"]))
    records, _ = normalise_records(ingested.records(), profile)
    records = records.drop(index=find_notices(records, profile).index).reset_index(drop=True)
    truth = load_truth(truth_path)
    keys = list(zip(records["source_file"], records["source_sheet"].fillna("").astype(str),
                    records["source_row"].astype(int)))
    records["_truth"] = [truth.get(k) for k in keys]
    variants = load_variants(truth_path)
    records["_variants"] = [variants.get(k, "") for k in keys]
    return records, profile


def oracle(records, review) -> dict[str, str]:
    truth = dict(zip(records["record_id"], records["_truth"]))
    return {p.pair_id: "approve" if truth[p.evidence.record_a] == truth[p.evidence.record_b] else "reject"
            for p in review}


def run(rows: int, seed: int, profile_name: str) -> None:
    from core.resolve import resolve

    started = time.perf_counter()
    records, profile = case_records(rows, seed, profile_name)
    prepared = time.perf_counter() - started
    cpu = time.process_time()
    result = resolve(records, profile.resolution)
    cpu = time.process_time() - cpu
    precision, recall, f1 = pairwise(records["_truth"], result.cluster_ids)
    organisations = result.cluster_ids.nunique()
    again = resolve(records, profile.resolution, oracle(records, result.review))
    _, recall_after, _ = pairwise(records["_truth"], again.cluster_ids)
    capped = getattr(result, "capped_blocks", None)
    print(f"{len(records):>9,} rows  resolve {result.seconds:6.2f} s (cpu {cpu:.2f} s)  pairs {result.pairs_compared:>10,}  "
          f"organisations {organisations:>8,} (true {records['_truth'].nunique():,})  "
          f"P {precision:.4f} R {recall:.4f} F1 {f1:.4f}  review {len(result.review):,} "
          f"({len(result.review) / max(organisations, 1):.1%})  R after oracle {recall_after:.4f}"
          + (f"  capped blocks {len(capped)}" if capped else "") + f"  held {result.guarded}" + f"  (case read in {prepared:.1f} s)",
          flush=True)
    print("          phases: " + ", ".join(f"{k} {v:.2f}" for k, v in result.timings.items())
          + f"; pairs scored {result.pairs_scored:,}", flush=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="*", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", default="generic")
    args = parser.parse_args(argv)
    for rows in args.rows or [1_000, 10_000, 100_000]:
        run(rows, args.seed, args.profile)


if __name__ == "__main__":
    main(sys.argv[1:])
