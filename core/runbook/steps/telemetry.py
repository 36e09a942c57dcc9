"""Step 5, Telemetry: tunnels through the bastion to Prefect and Marquez, on the one step path.

`net up` and `net down` are runs of this step, so the ledger holds who opened which tunnel, to which
host, trusting which host-key fingerprint, on which local ports (NetResult.ledger_facts); never a
key or a passphrase. A foreground `net up` is one run that lasts until ctrl+c (or SIGTERM) closes
it cleanly; a detached one ends its run once the background process reports the forwards up.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from core.errors import NetworkError
from core.net.auth import PassphraseAsk
from core.net.spec import TunnelSpec, known_hosts_path
from core.net.state import TunnelState
from core.runbook.context import StepContext

ACTIONS = ("up", "down", "status")


@dataclass
class NetOptions:
    action: str = "status"  # up | down | status (--batch: status, which changes nothing)
    spec: TunnelSpec | None = None  # for up
    detach: bool = True
    launch: str = "fork"  # fork (the command) | spawn (the UI: a fresh process, no fork of a threaded app)
    label: str | None = None  # for down
    every: bool = False  # down --all
    ask: PassphraseAsk | None = None  # how to ask for a key's passphrase; None: there is no terminal
    on_up: Callable[[TunnelState], None] | None = None  # told once forwarding (foreground: before the wait)


@dataclass
class NetResult:
    action: str
    tunnels: list[TunnelState] = field(default_factory=list)
    closed_by: str = ""  # foreground up: what ended it (ctrl+c, SIGTERM, failure)

    def ledger_facts(self) -> dict[str, Any]:
        return {"action": self.action, "tunnels": [t.ledger_facts() for t in self.tunnels]}


def run(ctx: StepContext, options: NetOptions | None = None) -> NetResult:
    options = options or NetOptions()
    if options.action not in ACTIONS:
        raise NetworkError(f"unknown telemetry action {options.action!r}", hint="up, down or status")
    reporter = ctx.reporter("telemetry", ("connect", "forward"))
    state_dir = ctx.workspace.state_dir
    if options.action == "status":
        from core.net.state import read_states

        return NetResult("status", read_states(state_dir))
    if options.action == "down":
        from core.net.manager import down

        reporter.stage("forward", 1)
        ended = down(state_dir, options.label, options.every)
        reporter.advance(1, 1)
        return NetResult("down", ended)
    if options.spec is None:
        raise NetworkError("net up needs a bastion host", key="--host", hint="--host HOST")
    spec = options.spec
    from core.net.manager import refuse_if_running

    refuse_if_running(state_dir, spec.label)
    if known_hosts_path(spec).is_file():
        ctx.inputs.append(known_hosts_path(spec))  # its hash: which known_hosts vouched for the bastion
    reporter.stage("connect", 1)
    if options.detach:
        state = _up_detached(ctx, options, spec)
        reporter.advance(1, 1)
        _report_state(ctx, state)
        if options.on_up is not None:  # said now: the ledger's record of the run comes after
            options.on_up(state)
        return NetResult("up", [state])
    return _up_foreground(ctx, options, spec, reporter)


def _up_detached(ctx: StepContext, options: NetOptions, spec: TunnelSpec) -> TunnelState:
    from core.net.manager import up_detached_fork, up_detached_spawn

    workspace = ctx.workspace
    if options.launch == "spawn":
        return up_detached_spawn(spec, workspace.state_dir, workspace.logs_dir, cwd=workspace.root)
    return up_detached_fork(spec, workspace.state_dir, workspace.logs_dir, options.ask)


def _up_foreground(ctx: StepContext, options: NetOptions, spec: TunnelSpec, reporter) -> NetResult:
    import os

    from core.net.daemon import merged, now_iso
    from core.net.forwarder import Tunnel
    from core.net.state import process_started, state_path, write_state

    path = state_path(ctx.workspace.state_dir, spec.label)
    pid = os.getpid()
    state = TunnelState(spec.label, spec, "starting", pid=pid, pid_started=process_started(pid), started_at=now_iso())
    lock, opened = threading.Lock(), threading.Event()

    def on_change(live) -> None:
        nonlocal state
        if opened.is_set():
            with lock:
                state = merged(state, live)
                write_state(path, state)

    tunnel = Tunnel(spec, options.ask, on_change=on_change)
    live = tunnel.open()
    with lock:
        state = merged(state, live)
        write_state(path, state)
        opened.set()
    reporter.advance(1, 1)
    _report_state(ctx, state)
    if options.on_up is not None:
        options.on_up(state)
    closed_by = _wait(ctx, tunnel)
    tunnel.close(status="failed" if tunnel.state.status == "failed" else "stopped")
    with lock:
        opened.clear()
        state = replace(merged(state, tunnel.state), pid=None, pid_started=None)
        write_state(path, state)
    return NetResult("up", [state], closed_by=closed_by)


def _wait(ctx: StepContext, tunnel) -> str:
    """Until ctrl+c, SIGTERM (net down from another shell) or the UI's cancel; or the tunnel fails for good."""
    why = {"closed_by": "cancel"}
    previous = None
    if threading.current_thread() is threading.main_thread():
        def on_term(*_args) -> None:
            why["closed_by"] = "SIGTERM"
            ctx.cancel.set()

        previous = signal.signal(signal.SIGTERM, on_term)
    try:
        while not ctx.cancel.wait(0.5):
            if tunnel.state.status == "failed":
                return "failure: " + (tunnel.state.last_error or "the tunnel failed")
    except KeyboardInterrupt:
        return "ctrl+c"
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return why["closed_by"]


def _report_state(ctx: StepContext, state: TunnelState) -> None:
    for moved in state.moved:
        ctx.warn(moved)
    for warning in state.warnings:
        ctx.warn(warning)


def planned_inputs(ctx: StepContext, options: NetOptions | None) -> list[Path]:
    return []
