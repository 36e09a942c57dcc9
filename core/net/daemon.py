"""The detached tunnel: a background process in its own session, with no terminal, that outlives
the command (or UI) that started it and the terminal it was started from.

Two ways in, one body (`serve`):
* `net up --detach` forks twice (setsid between): the grandchild already holds paramiko and the
  keys the command loaded (and decrypted, if the operator typed a passphrase), so it is forwarding
  in the time of one SSH handshake;
* the UI, which must not fork a process full of threads, starts `python -m core.net.daemon` with
  start_new_session and hands it the spec on stdin (no passphrase: the UI has no terminal to ask on).

Either way the process reports one JSON line to its starter, "up" with its state or the error,
then drops every descriptor it inherited. SIGTERM (net down) closes the forwards and leaves the
state file "stopped".
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core.errors import HotpassError, NetworkError
from core.net.forwarder import LiveState, Tunnel
from core.net.spec import TunnelSpec
from core.net.state import TunnelState, process_started, write_state

Report = Callable[[dict[str, Any]], None]


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def merged(state: TunnelState, live: LiveState) -> TunnelState:
    return replace(state, status=live.status, ports=dict(live.ports), moved=list(live.moved),
                   warnings=list(live.warnings), fingerprint=live.fingerprint, key_type=live.key_type,
                   host_key=live.host_key, connected_at=live.connected_at, last_error=live.last_error,
                   reconnects=live.reconnects, updated_at=now_iso())


def serve(spec: TunnelSpec, keys: list | None, state_file: Path, log_file: Path, report: Report) -> int:
    """Run the tunnel until SIGTERM. Called in the detached process only."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # the terminal it came from may close
    pid = os.getpid()
    state = TunnelState(spec.label, spec, "starting", pid=pid, pid_started=process_started(pid),
                        started_at=now_iso(), detached=True)
    opened = threading.Event()
    lock = threading.Lock()

    def on_change(live: LiveState) -> None:
        nonlocal state
        if not opened.is_set():
            return  # a tunnel that never came up leaves no state file
        with lock:
            state = merged(state, live)
            write_state(state_file, state)

    tunnel = Tunnel(spec, keys=keys, on_change=on_change)
    try:
        live = tunnel.open()
    except HotpassError as exc:
        report({"ok": False, "error": exc.as_dict()})
        return int(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - a bug: its words to the starter, its traceback to the log
        import traceback

        _append_log(log_file, traceback.format_exc())
        report({"ok": False, "error": NetworkError(f"the tunnel process failed: {type(exc).__name__}: {exc}",
                                                   file=spec.where, hint=f"details are in {log_file}").as_dict()})
        return 1
    with lock:
        state = merged(state, live)
        write_state(state_file, state)
        opened.set()
    report({"ok": True, "state": state.to_dict()})
    while not stop.wait(1.0):
        if tunnel.state.status == "failed":  # e.g. the host key changed on a reconnect
            break
    final = "failed" if tunnel.state.status == "failed" else "stopped"
    tunnel.close(status=final)
    with lock:
        state = replace(merged(state, tunnel.state), status=final, pid=None, pid_started=None)
        write_state(state_file, state)
    return 0


def detach_stdio(log_file: Path) -> None:
    """No terminal and no pipe of the starter's stays open: stdin and stdout to /dev/null, stderr to the log."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    null = os.open(os.devnull, os.O_RDWR)
    log = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    for target, source in ((0, null), (1, null), (2, log)):
        os.dup2(source, target)
    os.close(null)
    os.close(log)


def _append_log(log_file: Path, text: str) -> None:
    try:
        with open(log_file, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        pass


def pipe_reporter(fd: int) -> Report:
    def report(message: dict[str, Any]) -> None:
        try:
            os.write(fd, (json.dumps(message) + "\n").encode())
        finally:
            os.close(fd)

    return report


def main() -> int:
    """`python -m core.net.daemon`: the request on stdin, the one report line on stdout."""
    request = json.loads(sys.stdin.readline())
    report_fd = os.dup(1)
    log_file = Path(request["log_file"])
    detach_stdio(log_file)
    return serve(TunnelSpec.from_dict(request["spec"]), None, Path(request["state_file"]), log_file,
                 pipe_reporter(report_fd))


if __name__ == "__main__":
    sys.exit(main())
