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
