"""The front of resolve on its own: build_groups, shared_values, candidate_pairs (issue 15).

Run on demand: `.venv/bin/python tests/bench/bench_resolve_front.py CASE_DIR [--tree DIR] [--dump FILE]`.

The case's records are read and normalised once (as refine does, notices dropped) and cached as a
pickle beside the case in the temp dir; then a child process with PYTHONPATH=--tree (default: this
checkout) times each phase with process_time (--repeat N: the least of N runs) and reports its peak
RSS from the OS (wait4; of one run only when --repeat is 1). --dump
writes every Group attribute, the shared-value counts and the candidate pairs to FILE, so two trees
(HEAD before a change, the working tree after) can be compared for identical results with --compare.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_CHILD = r"""
import pickle, sys, time
records = pickle.load(open(sys.argv[1], "rb"))
dump = sys.argv[2]
repeat = int(sys.argv[3])
from core.profiles import load_profile
from core.resolve.blocking import candidate_pairs
from core.resolve.groups import build_groups
from core.resolve.keys import NameKeyer
from core.resolve.shared import shared_values
from core.resolve.vocabulary import case_vocabulary
import gc
gc.disable()  # resolve runs with the collector paused too
settings = load_profile("generic").resolution
best = None
for _ in range(repeat):  # the least of each phase: the machine is shared
    groups = shared = candidates = None
    t = time.process_time()
    keyer = NameKeyer(settings)
    groups, group_of = build_groups(records, keyer, {d.lower() for d in settings.free_mail_domains})
    t1 = time.process_time()
    vocab = case_vocabulary(groups, settings.common_word_share, settings.common_word_min)
    t2 = time.process_time()
    shared = shared_values(groups, settings, vocab)
    t3 = time.process_time()
    candidates = candidate_pairs(groups, settings, shared)
    t4 = time.process_time()
    took = (t1 - t, t2 - t1, t3 - t2, t4 - t3)
    best = took if best is None else tuple(map(min, best, took))
print(f"rows {len(records)} groups {len(groups)} pairs {len(candidates)} blocks {candidates.blocks}")
print(f"build_groups {best[0]:.2f}  vocabulary {best[1]:.2f}  shared_values {best[2]:.2f}  "
      f"candidate_pairs {best[3]:.2f}  front {best[0] + best[2] + best[3]:.2f} cpu s (least of {repeat})")
if dump:
    out = {
        "groups": [(g.idx, g.anchor, g.record_ids, g.names, g.values, g.provinces, g.areas, g.area_text,
                    g.qualifiers, g.primary) for g in groups],
        "group_of": list(group_of), "shared": shared,
        "candidates": (candidates.a.tolist(), candidates.b.tolist(),
                       {k: v.tolist() for k, v in candidates.flags.items()}, candidates.blocks, candidates.capped),
    }
    pickle.dump(out, open(dump, "wb"))
"""


def cached_records(case: Path) -> Path:
    path = Path(tempfile.gettempdir()) / f"hotpass-front-{case.name}.pkl"
    if path.is_file():
        return path
    sys.path.insert(0, str(ROOT))
    from core.ingest.case_reader import ingest_case
    from core.normalize.records import normalise_records
    from core.notices import find_notices
    from core.profiles import load_profile
    from core.progress import Reporter

    profile = load_profile("generic")
    ingested = ingest_case(case, profile, Reporter(["discover", "read"]))
    records, _ = normalise_records(ingested.records(), profile)
    records = records.drop(index=find_notices(records, profile).index).reset_index(drop=True)
    with open(path, "wb") as out:
        pickle.dump(records, out)
    return path


def run(records: Path, tree: Path, dump: str, repeat: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(records), dump, str(repeat)], env=env,
                             cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(child.pid, 0)
    print(f"cpu {usage.ru_utime + usage.ru_stime:.2f} s (child, incl. start-up and unpickling), "
          f"peak RSS {usage.ru_maxrss / 1024:.0f} MB, exit {os.waitstatus_to_exitcode(status)}; "
          f"load {os.getloadavg()[0]:.2f}")


def compare(left: str, right: str) -> int:
    a, b = (pickle.load(open(p, "rb")) for p in (left, right))
    differ = 0
    for part in ("group_of", "shared", "candidates"):
        if a[part] != b[part]:
            print(f"{part} differ")
            differ += 1
    if len(a["groups"]) != len(b["groups"]):
        print(f"groups: {len(a['groups'])} vs {len(b['groups'])}")
        return 1
    fields = ("idx", "anchor", "record_ids", "names", "values", "provinces", "areas", "area_text", "qualifiers",
              "primary")
    bad = [i for i, (x, y) in enumerate(zip(a["groups"], b["groups"])) if x != y]
    for i in bad[:5]:
        x, y = a["groups"][i], b["groups"][i]
        print(f"group {i}:", [(f, x[k], y[k]) for k, f in enumerate(fields) if x[k] != y[k]])
    print(f"{len(bad)} groups differ; {differ} other parts differ")
    return int(bool(bad or differ))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", type=Path, nargs="?")
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--dump", default="")
    parser.add_argument("--compare", nargs=2, metavar="DUMP")
    parser.add_argument("--repeat", type=int, default=1, help="run the phases N times, print the least of each")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    run(cached_records(args.case.expanduser()), args.tree, args.dump, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
