"""Up, status, down: what `hotpass net …` and the telemetry pane call.

A tunnel is known by its state file (`.hotpass/tunnels/<label>.json`). `up` refuses a label whose
process still lives; `down` ends the process (SIGTERM, then SIGKILL after a grace period) and
leaves the file "stopped", so the UI can offer to bring it up again.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import NetworkError
from core.net.auth import PassphraseAsk, candidate_keys
from core.net.spec import TunnelSpec
from core.net.state import (TunnelState, process_alive, read_state, read_states, state_path, tunnels_dir,
                            write_state)

if TYPE_CHECKING:
    from core.net.probe import Probe

READY_TIMEOUT_S = 30.0
STOP_GRACE_S = 5.0


@dataclass(frozen=True)
class TunnelStatus:
    state: TunnelState
    alive: bool
    probes: list["Probe"] = field(default_factory=list)

    @property
    def words(self) -> str:
        if self.state.status in ("up", "reconnecting", "starting") and not self.alive:
            return "dead (its process is gone)"
        if self.state.status == "reconnecting":
            return f"reconnecting ({self.state.last_error or 'connection lost'})"
        return self.state.status

    def to_dict(self) -> dict:
        return {"label": self.state.label, "status": self.words, "alive": self.alive, "pid": self.state.pid,
                "host": self.state.spec.host, "ssh_port": self.state.spec.ssh_port,
                "fingerprint": self.state.fingerprint, "started_at": self.state.started_at,
                "last_error": self.state.last_error, "reconnects": self.state.reconnects,
                "forwards": [{"name": n, "remote": r, "local_port": p,
                              **_probe_dict(next((x for x in self.probes if x.name == n), None))}
                             for n, r, p in self.state.forwards]}


def _probe_dict(item: "Probe | None") -> dict:
    if item is None:
        return {"answers": None}
    return {"answers": item.ok, "url": item.url, "http_status": item.http_status,
            "rtt_ms": round(item.rtt_ms, 1) if item.rtt_ms is not None else None, "error": item.error}


# -- up ------------------------------------------------------------------------------------------
def refuse_if_running(state_dir: Path, label: str) -> TunnelState | None:
    """The earlier state of this label, if any; a NetworkError if its process still lives."""
    earlier = read_state(state_path(state_dir, label))
    if earlier is not None and process_alive(earlier.pid, earlier.pid_started):
        raise NetworkError(f"tunnel {label!r} to {earlier.spec.host} is already up (pid {earlier.pid})",
                           key="--label", file=earlier.spec.where,
                           hint=f"hotpass net down --label {label} first, or choose another --label")
    return earlier


def up_detached_fork(spec: TunnelSpec, state_dir: Path, logs_dir: Path, ask: PassphraseAsk | None) -> TunnelState:
    """Fork twice into a new session; the grandchild serves. Keys are loaded (and a passphrase asked) here,
    while there is still a terminal."""
    from core.net.daemon import detach_stdio, pipe_reporter, serve

    keys = candidate_keys(spec.identity, ask, spec.where)
    read_fd, write_fd = os.pipe()
    log_file = logs_dir / f"tunnel-{spec.label}.log"
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked processes
        code = 1
        try:
            os.close(read_fd)
            os.setsid()
            if os.fork() != 0:
                os._exit(0)
            detach_stdio(log_file)
            code = serve(spec, keys, state_path(state_dir, spec.label), log_file, pipe_reporter(write_fd))
        finally:
            os._exit(code)
    os.close(write_fd)
    os.waitpid(child, 0)
    return _read_report(read_fd, spec)


def up_detached_spawn(spec: TunnelSpec, state_dir: Path, logs_dir: Path, cwd: Path | None = None) -> TunnelState:
    """A fresh `python -m core.net.daemon` in its own session (for the UI, which must not fork)."""
    log_file = logs_dir / f"tunnel-{spec.label}.log"
    request = {"spec": spec.to_dict(), "state_file": str(state_path(state_dir, spec.label)), "log_file": str(log_file)}
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-m", "core.net.daemon"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
                               cwd=cwd, env=env, close_fds=True)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write((json.dumps(request) + "\n").encode())
    process.stdin.close()
    # Reap it whenever it ends, so that no zombie outlives a `down` while this process runs on.
    threading.Thread(target=process.wait, name="tunnel-reaper", daemon=True).start()
    try:
        return _read_report(os.dup(process.stdout.fileno()), spec)
    finally:
        process.stdout.close()


def _read_report(fd: int, spec: TunnelSpec) -> TunnelState:
    buffer = b""
    deadline = time.monotonic() + READY_TIMEOUT_S
    try:
        while b"\n" not in buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise NetworkError(f"the tunnel to {spec.where} did not come up within {READY_TIMEOUT_S:.0f} s",
                                   file=spec.where, hint="hotpass net status; the log is under .hotpass/logs/")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buffer += chunk
    finally:
        os.close(fd)
    if not buffer.strip():
        raise NetworkError(f"the tunnel process for {spec.where} ended without a word", file=spec.where,
                           hint="the log is under .hotpass/logs/")
    message = json.loads(buffer.splitlines()[0])
    if not message.get("ok"):
        error = message.get("error") or {}
        raise NetworkError(error.get("message", "the tunnel did not come up"), file=error.get("file"),
                           key=error.get("key"), hint=error.get("hint", ""))
    return TunnelState.from_dict(message["state"])


# -- status --------------------------------------------------------------------------------------
def status(state_dir: Path, with_probes: bool = True, timeout: float = 2.0) -> list[TunnelStatus]:
    from core.net.probe import probe

    found = []
    for state in read_states(state_dir):
        alive = process_alive(state.pid, state.pid_started)
        probes = []
        if with_probes and alive:
            probes = [probe(f.name, state.ports.get(f.name), f.health_path, timeout) for f in state.spec.forwards]
        found.append(TunnelStatus(state, alive, probes))
    return found


# -- down ----------------------------------------------------------------------------------------
def down(state_dir: Path, label: str | None = None, every: bool = False) -> list[TunnelState]:
    """End the named tunnel (or every one); their states now, with `pid` the process ended (None: none ran)."""
    states = read_states(state_dir)
    chosen = states if every else [s for s in states if s.label == (label or "default")]
    if not chosen:
        known = ", ".join(s.label for s in states) or "none"
        raise NetworkError(f"there is no tunnel {label or 'default'!r}", key="--label",
                           hint=f"tunnels on record: {known}; hotpass net status lists them")
    ended = []
    for state in chosen:
        was_alive = process_alive(state.pid, state.pid_started)
        if was_alive:
            _end_process(state.pid, state.pid_started)
        after = read_state(state_path(state_dir, state.label)) or state
        if after.status not in ("stopped", "failed") or after.pid:
            after = replace(after, status="stopped", pid=None, pid_started=None,
                            updated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
            write_state(state_path(state_dir, state.label), after)
        ended.append(replace(after, pid=state.pid if was_alive else None))  # pid: the process this ended
    return ended


def _end_process(pid: int, started: str | None) -> None:
    for sig, grace in ((signal.SIGTERM, STOP_GRACE_S), (signal.SIGKILL, 2.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not process_alive(pid, started):
                return
            time.sleep(0.05)


def forget(state_dir: Path, label: str) -> None:
    """Remove a stopped tunnel's file (the UI's `x`)."""
    path = state_path(state_dir, label)
    state = read_state(path)
    if state is not None and process_alive(state.pid, state.pid_started):
        raise NetworkError(f"tunnel {label!r} is still up", key=label, hint="bring it down first")
    try:
        path.unlink()
    except FileNotFoundError:
        pass


__all__ = ["TunnelStatus", "up_detached_fork", "up_detached_spawn", "status", "down", "forget",
           "refuse_if_running", "tunnels_dir"]
