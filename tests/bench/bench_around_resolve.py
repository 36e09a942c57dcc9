"""CPU seconds and peak RSS of refine's stages around resolve, with resolve itself replayed.

Run on demand: `.venv/bin/python tests/bench/bench_around_resolve.py [10000|100000] [--tree DIR]`.

Resolve takes most of a refine; to time what comes before and after it (read, normalise, notices,
explanations, the review queue, survivorship, stable ids, write) in quick loops, the case's
Resolution is computed once and cached (a pickle beside the bench case, keyed by the tree's resolve
code), then `core.refine.refine` runs with `resolve` returning it. Each stage's CPU (process time)
and peak RSS (/proc/self/statm sampled every 10 ms) is printed. The cached case is bench_scale's
(~/.cache/hotpass-bench/scale-messy3-<rows>-v2); the outputs go to a temporary folder, so
`/work/notes/partition.py`-style comparisons can be made with --keep DIR.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE / 2**20


class Stages:
    """Which stage the process is in, its CPU and its peak RSS (sampled by a thread)."""

    def __init__(self) -> None:
        self.current, self.started = "setup", time.process_time()
        self.cpu: dict[str, float] = {}
        self.peak: dict[str, float] = {}
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            stage = self.current
            self.peak[stage] = max(self.peak.get(stage, 0.0), rss_mb())
            time.sleep(0.01)

    def enter(self, name: str) -> None:
        now = time.process_time()
        self.cpu[self.current] = self.cpu.get(self.current, 0.0) + now - self.started
        self.current, self.started = name, now


def resolve_code_key(tree: Path) -> str:
    digest = hashlib.sha1()
    for path in sorted((tree / "core").rglob("*.py")):
        if "resolve" in path.parts or path.name in ("records.py", "names.py", "link.py", "notices.py"):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cached_resolution(case: Path, tree: Path):
    from core.ingest.case_reader import ingest_case
    from core.normalize.records import normalise_records
    from core.notices import find_notices
    from core.profiles import load_profile
    from core.progress import Reporter
    from core.resolve import resolve
    from core.resolve.review import decisions_for_run
    from core.results import REFINE_STAGES

    path = case.with_name(f"{case.name}-resolution-{resolve_code_key(tree)}.pickle")
    if path.is_file():
        return pickle.loads(path.read_bytes())
    profile = load_profile("generic")
    records, _ = normalise_records(ingest_case(case, profile, Reporter(REFINE_STAGES, None, None)).records(), profile)
    records = records.drop(index=find_notices(records, profile).index).reset_index(drop=True)
    resolution = resolve(records, profile.resolution, decisions_for_run(records, None))
    path.write_bytes(pickle.dumps(resolution, protocol=5))
    return resolution


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", nargs="?", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the outputs here (a dist/<case> folder appears inside)")
    args = parser.parse_args()
    tree = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(tree))
    case = Path.home() / ".cache" / "hotpass-bench" / f"scale-messy3-{args.rows}-v2"
    if not case.is_dir():
        raise SystemExit(f"no cached case at {case}: run tests/bench/bench_scale.py {args.rows} first")
    resolution = cached_resolution(case, tree)

    import core.progress as progress
    import core.refine as refine
    from core.case import Case
    from core.profiles import load_profile
    from core.staging import RunStaging

    stages = Stages()
    stage = progress.Reporter.stage

    def entering(self, name, *rest, **options):
        stages.enter(name)
        return stage(self, name, *rest, **options)

    def step(name, function, after=None):
        def run(*rest, **options):
            stages.enter(name)
            try:
                return function(*rest, **options)
            finally:
                if after:
                    stages.enter(after)
        return run

    progress.Reporter.stage = entering
    refine.resolve = lambda records, *rest, **options: resolution
    refine.explanations_by_cluster = step("explanations", refine.explanations_by_cluster)
    refine.review_items = step("review queue", refine.review_items, "resolve (replayed)")
    refine.survive = step("survive", refine.survive)
    refine.stable_identity = step("stable ids", refine.stable_identity, "survivorship")
    out = args.keep or Path(tempfile.mkdtemp(prefix="bench-around-resolve-"))
    shutil.rmtree(out / "dist", ignore_errors=True)
    case_of_run = Case("scale", out, input_dir_override=case)
    profile = load_profile("generic")
    stages.enter("refine start")
    with RunStaging(case_of_run.runs_dir, "bench") as staging:
        refine.refine(case_of_run, profile, staging, run_id="bench")
        staging.commit()
    stages.enter("end")
    print(f"{args.rows:,} rows, tree {tree}, load average {os.getloadavg()[0]:.2f}")
    for name, cpu in stages.cpu.items():
        if name not in ("setup", "discover", "resolve", "validate") and name in stages.peak:
            print(f"  {name:20s} cpu {cpu:6.2f} s   peak RSS {stages.peak.get(name, 0):6.0f} MB")
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
