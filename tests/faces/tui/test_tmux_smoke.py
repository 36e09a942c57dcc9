"""The real `hotpass` in tmux, driven by keys and read from the screen, as an operator over SSH
would use it: open the sample case, walk the steps, refine, approve a review pair, add a next
step, quit. Then the ledger must hold what was done.

tmux runs on its own socket (`-L`) with its own config (`-f`), so neither the developer's tmux
nor their ~/.tmux.conf is touched; `remain-on-exit` keeps the pane after hotpass quits, so that
its exit status can be read. Every wait polls capture-pane against a deadline.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")
HOTPASS = Path(sys.executable).with_name("hotpass")
STEPS = {"1": "Prepare", "2": "Refine", "3": "Enrich", "4": "Contracts", "5": "Telemetry",
         "6": "Quality gates", "7": "Hand-off", "8": "Ledger"}
NEXT_STEP_TEXT = "Send the contract notices to the clinic owners"
OWNER, DUE = "ops desk", "2026-06-30"
FIELDS = [("text", NEXT_STEP_TEXT), ("owner", OWNER), ("due date", DUE)]
TIMEOUT = 30.0  # per wait; the first frame and the first preview import the pipeline
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)"),
    pytest.mark.skipif(not HOTPASS.exists(), reason=f"no hotpass console script next to {sys.executable}"),
]


class Tmux:
    """One tmux server on its own socket, one 80x24 session running a command."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.socket = f"hotpass-smoke-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.config = workdir / "tmux.conf"
        # default-terminal is what tmux puts in TERM for the pane: the 16-colour TERM of SSH sessions.
        self.config.write_text('set -g remain-on-exit on\nset -g default-terminal "xterm"\nset -g history-limit 0\n')
        self.env = env
        self.screen = ""
        self.socket_path = ""
        self.status_file = workdir / "exit-status"

    def __call__(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-u", "-L", self.socket, "-f", str(self.config), *args],
                              capture_output=True, text=True, env=self.env, timeout=10, check=False)
        return done.stdout

    def start(self, *argv: str, cwd: Path) -> None:
        # tmux 3.3a sometimes never reaps the pane's process after it has closed its terminal, as
        # hotpass does on quitting: the process stays a zombie and #{pane_dead_status} stays empty
        # (every time here with hotpass itself in the pane, one run in fifteen through sh). So sh
        # runs it, keeps the terminal open until it has exited, writes its status to a file for
        # when tmux has none, and exits with it.
        script = '"$@"; status=$?; echo "$status" > "$STATUS_FILE"; exit "$status"'
        self("new-session", "-d", "-s", "smoke", "-x", "80", "-y", "24", "-c", str(cwd), "-e", "TERM=xterm",
             "-e", f"STATUS_FILE={self.status_file}", "sh", "-c", script, "sh", *argv)
        self.socket_path = self.pane("#{socket_path}")

    def keys(self, *keys: str) -> None:
        self("send-keys", "-t", "smoke", *keys)

    def type(self, text: str) -> None:
        self("send-keys", "-t", "smoke", "-l", text)

    def capture(self) -> str:
        self.screen = self("capture-pane", "-p", "-t", "smoke")
        return self.screen

    def pane(self, fmt: str) -> str:
        return self("display-message", "-p", "-t", "smoke", fmt).strip()

    def focused_field(self) -> int | None:
        """Which input box of a dialog has the focus (0, 1, …), read from the colours of the
        boxes' left edges: the focused one is drawn unlike the others. None while undecidable."""
        edges = []
        for line in self("capture-pane", "-p", "-e", "-t", "smoke").splitlines():
            plain = ANSI.sub("", line)
            if "▊" in plain and not {"▔", "▁"} & set(plain) and "Save" not in plain:
                edges.append(re.search(r"((?:\x1b\[[0-9;]*m)*)▊", line).group(1))  # type: ignore[union-attr]
        odd = [index for index, style in enumerate(edges) if edges.count(style) == 1]
        return odd[0] if len(edges) > 2 and len(odd) == 1 else None

    def poll(self, what: str, probe: Callable[[], T | None], timeout: float = TIMEOUT) -> T:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = probe()
            if found:
                return found
            time.sleep(0.05)  # each poll forks a tmux client: poll gently on a small machine
        pytest.fail(f"timed out after {timeout} s waiting for {what}; the screen shows:\n{self.capture()}")

    def wait_for(self, what: str, test: Callable[[str], object], timeout: float = TIMEOUT) -> str:
        def probe() -> str | None:
            screen = self.capture()
            return screen if test(screen) else None

        return self.poll(what, probe, timeout)

    def wait_text(self, *texts: str, timeout: float = TIMEOUT) -> str:
        return self.wait_for(" and ".join(map(repr, texts)), lambda screen: all(t in screen for t in texts), timeout)

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        """The exit status of the pane's process: tmux's #{pane_dead_status} once the pane is dead,
        or what sh wrote if tmux has not reaped the process a second after the pane died."""
        dead_since: list[float] = []

        def probe() -> str | None:
            dead, status, signal = self.pane("#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}").split("|")
            if dead != "1":
                return None
            if signal:
                pytest.fail(f"hotpass was killed by signal {signal}")
            if status:
                return status
            dead_since[:] = dead_since or [time.monotonic()]
            if time.monotonic() - dead_since[0] > 1.0 and self.status_file.exists():
                return self.status_file.read_text().strip() or None
            return None

        try:
            return int(self.poll("hotpass to exit", probe, timeout))
        except pytest.fail.Exception as failed:
            raise AssertionError(f"{failed}\n{self.processes()}") from None

    def processes(self) -> str:
        """What still runs in the pane, for a failure message."""
        state = self.pane("pane pid #{pane_pid}, dead=#{pane_dead}, status=#{pane_dead_status}")
        pid = self.pane("#{pane_pid}")
        tree = subprocess.run(["ps", "-o", "pid,stat,etime,args", "--ppid", pid, "-p", pid],
                              capture_output=True, text=True, check=False).stdout if pid else ""
        return f"{state}\n{tree}"

    def kill(self) -> None:
        self("kill-server")
        if self.socket_path:  # the server leaves its socket file behind in /tmp/tmux-UID
            Path(self.socket_path).unlink(missing_ok=True)


def title_line(screen: str) -> str:
    """The pane's title: the second line, right of the steps list."""
    lines = screen.splitlines()
    return lines[1].split("▕", 1)[-1].strip() if len(lines) > 1 else ""


def undecided(screen: str) -> int:
    match = re.search(r"(\d+) undecided\s*$", screen, re.MULTILINE)
    assert match, f"no review headline on screen:\n{screen}"
    return int(match.group(1))


def field_holds(screen: str, value: str) -> bool:
    """An input box of the dialog shows exactly `value` (and not `value` appended to another)."""
    return any(line.split("▊", 1)[-1].strip(" ▎┃") == value for line in screen.splitlines() if "▊" in line)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def tmux(tmp_path: Path, workspace: Path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),  # no ~/.tmux.conf, no user configuration of any kind
        "LANG": "C.UTF-8",
        "TERM": "xterm",
        "HOTPASS_LEDGER": str(workspace / ".hotpass" / "ledger.db"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    server = Tmux(tmp_path, env)
    yield server
    server.kill()


def test_an_operator_session_in_tmux_ends_with_everything_in_the_ledger(tmux: Tmux, workspace: Path, tmp_path: Path):
    tmux.start(str(HOTPASS), cwd=workspace)  # `hotpass` with no arguments opens the UI

    # Opens on the bundled sample case, written into the empty workspace, with its preview.
    screen = tmux.wait_text("Prepare —", "Case folder  data/sample", "clinic-directory.xlsx")
    assert "case sample" in screen.splitlines()[0]
    assert re.search(r"\d+ files, \d+ sheets: \d+ used", screen), screen

    # Keys 1-7 walk the runbook (a title too long for 80 columns gives up its number first).
    for key in "1234567":
        tmux.keys(key)
        tmux.wait_for(f"step {key}", lambda screen, key=key: re.match(rf"({key} )?{STEPS[key]} —", title_line(screen)))

    # 2 then r: refine runs with its stages shown, until the run report. Everything drawn while
    # it runs is recorded too, since the sample case may refine faster than capture-pane polls.
    stream = tmp_path / "pane-output.bin"
    tmux.keys("2")
    tmux.wait_text("Ready: press r to refine sample")
    tmux("pipe-pane", "-t", "smoke", "-o", f"cat >> {shlex.quote(str(stream))}")
    tmux.keys("r")
    screen = tmux.wait_for("the run report and the status strip",
                           lambda screen: "Refined " in screen and " ok, " in screen.splitlines()[0])
    tmux("pipe-pane", "-t", "smoke")  # stop recording
    drawn = ANSI.sub("", stream.read_text("utf-8", errors="replace"))
    assert "refining…" in drawn, "the status strip never said refine was running"
    assert re.search(r"Running \w+ \(\d/\d\)", drawn), "no stage was drawn running"
    for stage in ("discover", "read", "resolve", "write"):
        assert re.search(rf"✓ {stage}\s+█+", screen), f"stage {stage} not shown done:\n{screen}"

    # v opens the review queue; a approves the pair on screen, and the headline moves on.
    tmux.keys("v")
    screen = tmux.wait_text("Pair 1 of ")
    before = undecided(screen)
    tmux.keys("a")
    tmux.wait_for("the approval to count", lambda screen: "Pair " in screen and undecided(screen) == before - 1)

    # 8 opens the ledger with the run in it; n adds a next step: each field typed, Enter moves on,
    # and Enter in the last field saves. Each field is typed into once it shows the focus: keys
    # typed ahead of a focus change go to the field that had it.
    tmux.keys("8")
    tmux.wait_text("Ledger —", "Recent runs", "refine")
    tmux.keys("n")
    tmux.wait_text("New next step for case sample")
    for index, (name, value) in enumerate(FIELDS):
        tmux.poll(f"the focus in the {name} field", lambda index=index: tmux.focused_field() == index)
        tmux.type(value)
        tmux.wait_for(f"{value!r} in its own field", lambda screen, value=value: field_holds(screen, value))
        tmux.keys("Enter")
    tmux.wait_for("the next step in the ledger pane",
                  lambda screen: "New next step for case" not in screen and re.search(r"NS-1\s+open", screen))

    # q quits cleanly: the pane's process exits 0.
    tmux.keys("q")
    assert tmux.wait_exit() == 0, f"hotpass exited non-zero; the screen shows:\n{tmux.capture()}"

    # The ledger holds the refine run, the review decision and the next step, and its chain holds.
    from ledger import Ledger

    ledger = Ledger(Path(tmux.env["HOTPASS_LEDGER"]))
    try:
        runs = ledger.entries(kind="run", limit=None)
        assert [(run.subject, run.case_id, run.payload["exit_code"]) for run in runs] == [("refine", "sample", 0)]
        assert any(str(output["path"]).endswith("refined.xlsx") for output in runs[0].payload["outputs"])
        assert list(ledger.review_decisions("sample").values()) == ["approve"]
        steps = ledger.next_steps()
        assert [(step.id, step.text, step.status, step.case_id) for step in steps] == \
            [("NS-1", NEXT_STEP_TEXT, "open", "sample")]
        assert (steps[0].owner, steps[0].due) == (OWNER, DUE)
    finally:
        ledger.close()
    verify = subprocess.run([str(HOTPASS), "ledger", "verify"], cwd=workspace, env=tmux.env,
                            capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0, verify.stdout + verify.stderr
