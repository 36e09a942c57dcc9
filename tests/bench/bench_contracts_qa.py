"""`hotpass --help`, `hotpass contracts emit` and `hotpass qa all`, timed from outside the process.

    python tests/bench/bench_contracts_qa.py [--runs N] [--tree DIR] [WORKSPACE CASE]

Each command runs N times (default 10) as a child process; wall time is measured around the child,
CPU (user + sys) and peak memory are the child's own (os.wait4, children included for qa's GX
process). Prints the best and the median of each, and the load average before and after: the machine
is shared, and on it the best of N says most about Hotpass and the median most about the neighbours.

emit runs in a temporary workspace whose ledger already exists (an operator's has one): the ledger's
first creation runs its migrations through sqlite-utils, which imports pandas, and that first run is
reported on its own line. So is the first emit after a change to the profile or the code (its
contract cache cleared: the profile is loaded and validated); the rest read an unchanged contract back. With the folder of a refined (and enriched) case, e.g. one where
`data/aviation` links to ../shared/data/aviation and refine, enrich and contracts emit have run,
qa all runs on that case too (N // 2 times). `--tree DIR` times another checkout of the project (for
a before/after: `git archive HEAD | tar -x -C DIR`) with this venv.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
EMIT_LIMIT_S = 0.5  # issue 11: `contracts emit` under 0.5 s from outside the process
QA_LIMIT_S = 15.0


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: int
    exit_code: int


def command(tree: Path) -> list[str]:
    """The console script an operator types, when this venv has it; else the module it runs."""
    script = Path(sys.executable).with_name("hotpass")
    return [sys.executable, str(script)] if script.is_file() else [sys.executable, "-m", "hotpass_tui.cli"]


def timed(tree: Path, args: list[str], cwd: Path) -> Run:
    env = {**os.environ, "HOTPASS_LEDGER": str(cwd / ".hotpass" / "ledger.db"), "PYTHONPATH": str(tree)}
    started = time.perf_counter()
    proc = subprocess.Popen([*command(tree), *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status))


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f}/{five:.1f}"


def report(label: str, runs: list[Run], limit: float | None = None) -> None:
    walls = [r.wall for r in runs]
    codes = sorted({r.exit_code for r in runs})
    verdict = "" if limit is None else (f" · under {limit:g} s" if min(walls) < limit else f" · OVER {limit:g} s")
    print(f"{label:<16} best {min(walls):.3f} s  median {statistics.median(walls):.3f} s  "
          f"best cpu {min(r.cpu for r in runs):.3f} s  peak {max(r.peak_mb for r in runs)} MB  "
          f"exit {','.join(map(str, codes))}  runs {len(runs)}{verdict}")


def series(tree: Path, args: list[str], cwd: Path, runs: int) -> list[Run]:
    return [timed(tree, args, cwd) for _ in range(runs)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--tree", type=Path, default=PROJECT, help="the checkout to time (default: this one)")
    parser.add_argument("case", nargs="*", metavar="WORKSPACE CASE")
    args = parser.parse_args(argv)
    tree = args.tree.resolve()
    print(f"tree {tree} · python {sys.version.split()[0]} · {os.cpu_count()} cores · load before {load()}")
    with tempfile.TemporaryDirectory() as scratch:
        workspace = Path(scratch)
        emit = ["contracts", "emit", "--profile", "aviation", "--format", "yaml", "--output", "aviation.yaml"]
        report("emit, new ledger", [timed(tree, emit, workspace)])
        misses = []
        for _ in range(max(1, args.runs // 2)):  # the first emit after a profile or code change
            shutil.rmtree(workspace / ".hotpass" / "cache" / "contracts", ignore_errors=True)
            misses.append(timed(tree, emit, workspace))
        report("emit, cache miss", misses, EMIT_LIMIT_S)
        report("--help", series(tree, ["--help"], workspace, args.runs))
        report("contracts emit", series(tree, emit, workspace, args.runs), EMIT_LIMIT_S)
        report("emit --help", series(tree, ["contracts", "emit", "--help"], workspace, args.runs))
    if len(args.case) == 2:
        qa_workspace, case = Path(args.case[0]), args.case[1]
        report("qa all", series(tree, ["qa", "all", "--case", case], qa_workspace, max(1, args.runs // 2)),
               QA_LIMIT_S)
    print(f"load after {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
