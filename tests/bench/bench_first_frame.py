"""Time from starting `hotpass` to its first full frame, measured from outside, in tmux.

    python tests/bench/bench_first_frame.py [RUNS] [WORKSPACE]

A tmux server (own socket) is started first, so that only `hotpass` is timed: the clock starts
just before `tmux new-window` launches it and stops when capture-pane shows the runbook's first
frame (the steps list and the footer). Prints every run and the median. The project's bytecode
is compiled first, as an installed copy would have it (these machines set PYTHONDONTWRITEBYTECODE).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOTPASS = Path(sys.executable).with_name("hotpass")
FIRST_FRAME_MARKERS = ("1 Prepare", "8 Ledger", "Quit")


def tmux(socket: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=False).stdout


def measure_once(socket: str, workspace: Path, timeout: float = 15.0) -> float:
    started = time.perf_counter()
    window = tmux(socket, "new-window", "-P", "-F", "#{window_id}", "-t", "bench", "-c", str(workspace),
                  f"{HOTPASS} --no-mouse").strip()
    while time.perf_counter() - started < timeout:
        screen = tmux(socket, "capture-pane", "-p", "-t", window)
        if all(marker in screen for marker in FIRST_FRAME_MARKERS):
            elapsed = time.perf_counter() - started
            tmux(socket, "send-keys", "-t", window, "q")
            _wait_closed(socket, window)  # the next run must not share the CPU with this one
            return elapsed
        time.sleep(0.02)  # each poll forks a tmux client: poll gently on a small machine
    raise TimeoutError("no first frame within the timeout")


def _wait_closed(socket: str, window: str, timeout: float = 20.0) -> None:
    deadline = time.perf_counter() + timeout
    while window in tmux(socket, "list-windows", "-a", "-F", "#{window_id}").split():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"hotpass did not quit within {timeout} s")
        time.sleep(0.05)
    time.sleep(1.0)  # let the machine settle (workers it started have finished with the process)


def main(runs: int = 5, workspace: Path | None = None) -> float:
    project = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-m", "compileall", "-q", "hotpass_tui", "core", "ledger"], cwd=project,
                   check=True, stdout=subprocess.DEVNULL)
    workspace = workspace or Path(tempfile.mkdtemp(prefix="hotpass-frame-"))
    socket = f"hotpass-frame-{os.getpid()}"
    env_term = os.environ.get("TERM", "xterm")
    subprocess.run(["tmux", "-L", socket, "new-session", "-d", "-s", "bench", "-x", "80", "-y", "24",
                    "-e", f"TERM={env_term}"], check=True)
    try:
        timings = []
        for run in range(runs):
            elapsed = measure_once(socket, workspace)
            timings.append(elapsed)
            print(f"run {run + 1}: {elapsed:.3f} s")
        median = statistics.median(timings)
        print(f"median of {runs}: {median:.3f} s")
        return median
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], check=False)
        if workspace.name.startswith("hotpass-frame-"):
            shutil.rmtree(workspace, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, Path(sys.argv[2]) if len(sys.argv) > 2 else None)
