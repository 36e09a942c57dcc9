"""How fast the UI answers keys while refine runs in its worker, measured from outside in tmux.

    python tests/bench/bench_ui_keys.py CASE_FOLDER

CASE_FOLDER is a folder of workbooks (for 100,000 rows, the one bench_refine.py generates). The
bench starts `hotpass` in tmux at 80×24 on a workspace whose `data/<case>` links to it, presses
2 then r, and while the run goes on presses `?` (help opens) and `q` (help closes) again and
again, timing each key from send-keys until capture-pane shows its effect. Prints every latency,
the median and the worst, and the run's own length.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOTPASS = Path(sys.executable).with_name("hotpass")
HELP_MARKER = "Hotpass keys"
DONE_MARKER = "Refined "
SLOW = 0.5  # seconds: a key slower than this is listed with when it was pressed


class Tmux:
    def __init__(self, workspace: Path, case: str) -> None:
        self.socket = f"hotpass-keys-{os.getpid()}"
        env = {**os.environ, "HOTPASS_LEDGER": str(workspace / ".hotpass" / "ledger.db")}
        subprocess.run(["tmux", "-L", self.socket, "new-session", "-d", "-s", "bench", "-x", "80", "-y", "24",
                        "-c", str(workspace), "-e", "TERM=xterm", f"{HOTPASS} --no-mouse --case {case}"],
                       check=True, env=env)

    def screen(self) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", "-t", "bench"],
                              capture_output=True, text=True, check=False).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", "bench", *keys], check=False)

    def wait_for(self, predicate, timeout: float) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if predicate(self.screen()):
                return time.perf_counter() - started
            time.sleep(0.005)
        raise TimeoutError("the screen did not change in time")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], check=False)


def main(case_folder: Path) -> None:
    workspace = Path(tempfile.mkdtemp(prefix="hotpass-keys-"))
    (workspace / "data").mkdir()
    (workspace / "data" / "big").symlink_to(case_folder.resolve())
    tmux = Tmux(workspace, "big")
    try:
        tmux.wait_for(lambda s: "1 Prepare" in s and "Quit" in s, 30)
        tmux.keys("2")
        tmux.wait_for(lambda s: "press r to refine" in s, 30)
        run_started = time.perf_counter()
        tmux.keys("r")
        latencies: list[float] = []
        slow: list[str] = []
        while True:
            time.sleep(0.3)
            if DONE_MARKER in tmux.screen():
                break
            for key, shown in (("?", True), ("q", False)):
                at = time.perf_counter() - run_started
                tmux.keys(key)
                latencies.append(tmux.wait_for(lambda s, shown=shown: (HELP_MARKER in s) == shown, 30))
                if latencies[-1] > SLOW:
                    slow.append(f"{latencies[-1] * 1000:.0f} ms at {at:.1f} s into the run")
        run_seconds = time.perf_counter() - run_started
        if latencies:
            ordered = sorted(latencies)
            print(f"{len(latencies)} keys during a {run_seconds:.1f} s run: median "
                  f"{statistics.median(latencies) * 1000:.0f} ms, 90th percentile "
                  f"{ordered[int(len(ordered) * 0.9)] * 1000:.0f} ms, worst {ordered[-1] * 1000:.0f} ms; "
                  f"{len(slow)} over {SLOW * 1000:.0f} ms")
            print("\n".join(slow))
        print("\n".join(tmux.screen().splitlines()[:12]))
    finally:
        tmux.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
