"""How fast this machine runs plain Python today, so that benchmark figures from different days compare.

The same VM has run identical code 1.3-1.9x slower from one day to the next, with little steal time
to show for it. bench_scale, bench_refine and bench_resolve_back print this reference beside their
figures: a figure divided by the reference it was measured with compares across days better than
the raw figure, which is still what the operator waited. It is a rough yardstick: the loop fits in
the CPU's caches, and work that does not (resolve at 1M rows) may slow by more or less than it does.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

# Dict, str and int work, as resolve's Python does it: 0.7-1.0 s here on 2026-12-03, a slow day
_REFERENCE = r"""
import time
best = None
for _ in range(3):
    started = time.perf_counter()
    counts = {}
    for i in range(1_000_000):
        key = str(i % 50_000)
        counts[key] = counts.get(key, 0) + 1
    taken = time.perf_counter() - started
    best = taken if best is None else min(best, taken)
print(f"{best:.3f}")
"""


def reference_seconds() -> float | None:
    """The least of three runs of the reference loop, in a fresh interpreter; None if it would not run."""
    try:
        done = subprocess.run([sys.executable, "-c", _REFERENCE], capture_output=True, text=True, timeout=120)
        return float(done.stdout.strip())
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def describe() -> str:
    seconds = reference_seconds()
    return "reference loop not measured" if seconds is None else f"reference loop {seconds:.2f} s (lower: faster machine)"


class TreeMemory:
    """The peak memory of the refine process together with its children (the GX worker it starts
    for validation, ~0.3 GB at 1M rows, the copies it forks for resolve, core/parallel.py, or the name
    verdict helper it starts instead, core/resolve/verdict_helper.py),
    sampled from /proc twice a second. wait4's ru_maxrss is the largest single process, which hid
    the GX worker until 2026-12-02. With children, the sum of their PSS (a page two processes share
    counted half in each, so once in all); alone, the process's RSS."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_mb, self.with_copies_mb = pid, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            copies = self._children()
            if copies:
                total = sum(self._kb(pid, "smaps_rollup", "Pss:") for pid in [self.pid, *copies]) / 1024
                self.with_copies_mb = max(self.with_copies_mb, total)
            else:
                total = self._kb(self.pid, "status", "VmRSS:") / 1024
            self.peak_mb = max(self.peak_mb, total)

    def _children(self) -> list[int]:
        """Its children started by any of its threads (the verdict helper, the GX worker), and theirs."""
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            try:
                tasks = list(Path(f"/proc/{pid}/task").iterdir())
            except OSError:
                continue
            for task in tasks:
                try:
                    children = [int(p) for p in (task / "children").read_text().split()]
                except OSError:
                    continue
                found += children
                todo += children
        return found

    @staticmethod
    def _kb(pid: int, name: str, field: str) -> float:
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(field):
                    return float(line.split()[1])
        except OSError:
            pass
        return 0.0
