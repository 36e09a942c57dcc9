"""`hotpass net up|status|down`: tunnels through the bastion to Prefect and Marquez (runbook step 5).

Up and down are runs of the telemetry step (recorded in the ledger); status only reads.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.text import counted
from hotpass_tui.commands.base import CommandContext


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("net", help="tunnels to Prefect and Marquez through the bastion: up, status, down",
                            description="SSH tunnels through a bastion: local ports on 127.0.0.1 forwarded to "
                                        "Prefect and Marquez.")
    parser.set_defaults(handler=lambda args, ctx: _usage(parser))
    actions = parser.add_subparsers(dest="net_action", metavar="ACTION")

    up = actions.add_parser("up", help="open the tunnels (add --detach to keep them in the background)",
                            description="Open local forwards on 127.0.0.1 through the bastion. The bastion's host "
                                        "key must be in known_hosts; --trust-new-host-key records an unknown one "
                                        "(never a changed one).")
    up.add_argument("--via", default="ssh-bastion", help="how to reach the network: ssh-bastion (the only one)")
    up.add_argument("--host", required=True, help="the bastion's host name or address")
    up.add_argument("--ssh-port", type=int, default=22, help="the bastion's SSH port (default: 22)")
    up.add_argument("--user", help="user on the bastion (default: yours)")
    up.add_argument("--identity", type=Path, metavar="FILE",
                    help="private key file (default: the SSH agent's keys, then ~/.ssh/id_*)")
    up.add_argument("--known-hosts", type=Path, metavar="FILE", help="known_hosts file (default: ~/.ssh/known_hosts)")
    up.add_argument("--trust-new-host-key", action="store_true",
                    help="accept an unknown host key and record it in known_hosts (a changed key is never accepted)")
    up.add_argument("--prefect-remote", default="127.0.0.1:4200", metavar="HOST:PORT",
                    help="Prefect as the bastion sees it (default: 127.0.0.1:4200)")
    up.add_argument("--marquez-remote", default="127.0.0.1:5000", metavar="HOST:PORT",
                    help="Marquez as the bastion sees it (default: 127.0.0.1:5000)")
    up.add_argument("--prefect-port", type=int, default=4200, help="local port for Prefect (default: 4200)")
    up.add_argument("--marquez-port", type=int, default=5000, help="local port for Marquez (default: 5000)")
    up.add_argument("--label", default="default", help="name of this tunnel (default: default)")
    up.add_argument("--detach", action="store_true", help="keep the tunnels in a background process and return")
    up.set_defaults(handler=run_up)

    status = actions.add_parser("status", help="each tunnel, its ports, and whether each forward answers")
    status.add_argument("--json", action="store_true", help="one JSON document on stdout")
    status.set_defaults(handler=run_status)

    down = actions.add_parser("down", help="close a tunnel (or --all) and end its process")
    which = down.add_mutually_exclusive_group()
    which.add_argument("--label", help="the tunnel to close (default: default)")
    which.add_argument("--all", action="store_true", help="close every tunnel")
    down.set_defaults(handler=run_down)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _ask_on_terminal(prompt: str) -> str:
    import getpass

    return getpass.getpass(prompt)


def run_up(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.net.spec import build_spec
    from core.runbook.runner import run_step
    from core.runbook.steps.telemetry import NetOptions

    spec = build_spec(args.via, args.host, ssh_port=args.ssh_port, user=args.user, identity=args.identity,
                      known_hosts=args.known_hosts, trust_new_host_key=args.trust_new_host_key,
                      prefect_remote=args.prefect_remote, marquez_remote=args.marquez_remote,
                      prefect_port=args.prefect_port, marquez_port=args.marquez_port, label=args.label)
    terminal = not ctx.batch and sys.stdin.isatty()
    options = NetOptions("up", spec, detach=args.detach, ask=_ask_on_terminal if terminal else None,
                         on_up=lambda state: _show_up(ctx, state, foreground=not args.detach))
    result = run_step("telemetry", ctx.step_context(args), options)

    def show(c: CommandContext, r) -> None:  # "up" was shown as soon as it was true (on_up)
        if not args.detach:
            c.console.print(f"tunnel {spec.label} closed ({r.payload.closed_by})", markup=False)

    return ctx.finish(result, show)


def _show_up(ctx: CommandContext, state, foreground: bool) -> None:
    out = ctx.console
    how = "until ctrl+c" if foreground else f"in the background, pid {state.pid}"
    out.print(f"[bold green]tunnel {state.label} up[/] through {state.spec.where} ({how})")
    out.print(f"host key {state.fingerprint}", markup=False)
    trusted = (f"new, now recorded in {state.spec.known_hosts or '~/.ssh/known_hosts'}" if state.host_key == "trusted-new"
               else "as in known_hosts")
    out.print(f"  {state.key_type}, {trusted}", markup=False, soft_wrap=True)
    for name, remote, port in state.forwards:
        out.print(f"{name:8} http://127.0.0.1:{port}  →  {remote}", markup=False, soft_wrap=True)
    for moved in state.moved:
        out.print(f"[yellow]moved[/]: {moved}")
    if foreground:
        out.print("ctrl+c closes the tunnel")
    else:
        out.print(f"hotpass net status checks it; hotpass net down --label {state.label} closes it", markup=False)
    sys.stdout.flush()


def run_status(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.net.manager import status

    found = status(ctx.workspace.state_dir, timeout=ctx.workspace.network.timeout_s)
    if args.json:
        print(json.dumps({"tunnels": [item.to_dict() for item in found]}, indent=2))
        return 0
    out = ctx.console
    if not found:
        out.print("no tunnels yet: hotpass net up --via ssh-bastion --host HOST --detach")
        return 0
    for item in found:
        state = item.state
        alive = f"pid {state.pid}" if item.alive else "no process"
        out.print(f"[bold]{state.label}[/]  {item.words}  {alive}", highlight=False)
        out.print(f"  bastion {state.spec.user or ''}{'@' if state.spec.user else ''}{state.spec.where}"
                  f"  since {state.started_at or '?'}", markup=False)
        out.print(f"  host key {state.fingerprint or 'not checked'}", markup=False)
        answers = {p.name: p for p in item.probes}
        for name, remote, port in state.forwards:
            probe = answers.get(name)
            words = probe.words() if probe else "not checked (no process)"
            out.print(f"  {name:8} 127.0.0.1:{port} → {remote}  {words}", markup=False)
        if state.last_error and state.status != "up":
            out.print(f"  last error: {state.last_error}", markup=False)
        if state.reconnects:
            out.print(f"  reconnected {counted(state.reconnects, 'time')}")
    return 0


def run_down(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.runbook.runner import run_step
    from core.runbook.steps.telemetry import NetOptions

    options = NetOptions("down", label=args.label, every=args.all)
    result = run_step("telemetry", ctx.step_context(args), options)

    def show(c: CommandContext, r) -> None:
        for state in r.payload.tunnels:
            ended = f"pid {state.pid} ended" if state.pid else "no process was running"
            c.console.print(f"tunnel {state.label} to {state.spec.where} closed ({ended})", markup=False)

    return ctx.finish(result, show)
