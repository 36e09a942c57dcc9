"""`hotpass contracts emit` and `hotpass qa all`, timed from outside the process.

    python tests/bench/bench_contracts_qa.py [WORKSPACE CASE] [RUNS]

Without a workspace: emit only, in a temporary one. With the folder of a refined (and enriched)
case, e.g. one where `data/aviation` links to ../shared/data/aviation and refine, enrich and
contracts emit have run: qa all on that case too. Wall time is measured around the child, CPU
(user + sys) and peak memory are the child's own (os.wait4, children included for qa's GX process
when it starts one). Prints every run and the median; the machine's load average beside them, since
wall time on a shared machine says as much about the neighbours as about Hotpass.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def timed(args: list[str], cwd: Path) -> tuple[float, float, int, int]:
    env = {**os.environ, "HOTPASS_LEDGER": str(cwd / ".hotpass" / "ledger.db"),
           "PYTHONPATH": str(PROJECT)}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "hotpass_tui.cli", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def report(label: str, runs: list[tuple[float, float, int, int]]) -> None:
    for wall, cpu, rss, code in runs:
        print(f"{label}: wall {wall:.2f} s, cpu {cpu:.2f} s, peak {rss} MB, exit {code}")
    print(f"{label}: median wall {statistics.median(r[0] for r in runs):.2f} s, "
          f"median cpu {statistics.median(r[1] for r in runs):.2f} s · load {os.getloadavg()[0]:.1f}")


def main(argv: list[str]) -> int:
    runs = int(argv[2]) if len(argv) > 2 else 5
    with tempfile.TemporaryDirectory() as scratch:
        report("contracts emit", [timed(["contracts", "emit", "--profile", "aviation", "--output", "c.yaml"],
                                        Path(scratch)) for _ in range(runs)])
    if len(argv) >= 2:
        workspace, case = Path(argv[0]), argv[1]
        report("qa all", [timed(["qa", "all", "--case", case], workspace) for _ in range(max(1, runs // 2))])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
