"""The back of resolve (bound, scoring loop, clustering) and stable identity, timed in CPU seconds.

Run on demand, from a scratch folder, with the tree to measure on PYTHONPATH:
  PYTHONPATH=<tree> .venv/bin/python <tree>/tests/bench/bench_resolve_back.py CASE_DIR [--dump OUT.pkl]
      [--compare OTHER.pkl] [--profile]
CASE_DIR is a generated case (e.g. ~/.cache/hotpass-bench/scale-messy3-10000-v2). Its records are read and
normalised once, as refine does, and cached beside /tmp (that part is not timed). Each phase of resolve is
timed with time.process_time (every thread's CPU, so rapidfuzz's workers count; not resolve's forked workers:
--wall times in wall seconds instead), then assign_ids as
stable_identity calls it. --dump writes what an operator would see (cluster ids, merges with their
explanations, the review list, the ids) so two trees can be compared with --compare.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import resource
import sys
import tempfile
import time
import types
from pathlib import Path

import machine  # this directory's: the bench runs as a script from it


def _fields(item) -> dict:
    """A dataclass's fields by name, slotted or not."""
    import dataclasses
    return {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}


def records_of(case_dir: Path):
    cache = Path(tempfile.gettempdir()) / f"hotpass-back-{case_dir.name}.pkl"
    if cache.is_file():
        return pickle.loads(cache.read_bytes())
    from core.ingest.case_reader import ingest_case
    from core.normalize.records import normalise_records
    from core.notices import find_notices
    from core.profiles import load_profile
    from core.progress import Reporter

    profile = load_profile("generic")
    ingested = ingest_case(case_dir, profile, Reporter(["discover", "read"]))
    records, _ = normalise_records(ingested.records(), profile)
    records = records.drop(index=find_notices(records, profile).index).reset_index(drop=True)
    cache.write_bytes(pickle.dumps(records))
    return records


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("case", type=Path)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--wall", action="store_true",
                        help="laps in wall seconds: CPU seconds count only this process, not resolve's forked workers")
    args = parser.parse_args()
    records = records_of(args.case.expanduser())
    from core.profiles import load_profile
    from core.resolve import engine
    from core.resolve.identity import assign_ids
    from core.runtime import collector_paused

    settings = load_profile("generic").resolution
    clock = time.perf_counter if args.wall else time.process_time
    engine.time = types.SimpleNamespace(perf_counter=clock)  # the engine's laps in CPU (or wall) seconds
    if args.profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.enable()
    started = clock()
    resolution = engine.resolve(records, settings, {})
    resolved = clock()
    clusters = resolution.cluster_ids.tolist()
    names = [f"Organisation {c}" for c in range(max(clusters) + 1)]
    with collector_paused():  # as refine runs it
        identity = assign_ids(records, clusters, names, None, "bench")
    done = clock()
    if args.profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(60)
        pstats.Stats(prof).sort_stats("tottime").print_stats(40)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows {len(records)}  groups' pairs: candidates {resolution.pairs_compared}  scored {resolution.pairs_scored}"
          f"  merges {len(resolution.merges)}  review {len(resolution.review)}")
    print(("wall s: " if args.wall else "cpu s: ") + "  ".join(f"{k} {v:.2f}" for k, v in resolution.timings.items())
          + f"  | resolve {resolved - started:.2f}  assign_ids {done - resolved:.2f}  peak RSS {rss:.0f} MB")
    print(machine.describe())  # after the run: it would otherwise share the machine with it
    seen = {"cluster_ids": clusters,
            "merges": [_fields(m) for m in resolution.merges],
            "review": [(r.pair_id, _fields(r.evidence), getattr(r, "decision", None)) for r in resolution.review],
            "ids": identity.ids, "slugs": identity.slugs, "index": identity.index}
    digest = {k: hashlib.sha1(pickle.dumps(v)).hexdigest()[:12] for k, v in seen.items()}
    print("digest", digest)
    if args.dump:
        args.dump.write_bytes(pickle.dumps(seen))
    if args.compare:
        other = pickle.loads(args.compare.read_bytes())
        for k, v in seen.items():
            if other[k] != v:
                print(f"DIFFERS: {k}")
                if isinstance(v, list) and isinstance(other[k], list):
                    bad = [i for i, (x, y) in enumerate(zip(v, other[k])) if x != y]
                    print(f"  lengths {len(v)} / {len(other[k])}; first differing at {bad[:5]}")
                    for i in bad[:2]:
                        print("   mine ", v[i])
                        print("   other", other[k][i])
            else:
                print(f"same: {k}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path.cwd()))
    main()
