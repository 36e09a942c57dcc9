"""Run one command handler: errors become one line and an exit code, and the run goes to the ledger."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
from pathlib import Path

from rich.console import Console

from core.errors import ExitCode, HotpassError
from hotpass_tui.commands.base import CommandContext


def run_command(handler, args: argparse.Namespace, argv: list[str]) -> int:
    from ledger import resolve_ledger_path

    console = Console(highlight=False, stderr=args.batch, no_color=bool(os.environ.get("NO_COLOR")))
    errors = Console(stderr=True, highlight=False)
    ctx = CommandContext(console=console, ledger_path=resolve_ledger_path(args.ledger), batch=args.batch)
    started = dt.datetime.now(dt.timezone.utc)
    try:
        code = int(handler(args, ctx))
    except HotpassError as exc:
        code = int(exc.exit_code)
        report_error(exc, errors, args.batch)
    except KeyboardInterrupt:
        code = int(ExitCode.CANCELLED)
        errors.print("[yellow]cancelled[/]: nothing further was written")
    except Exception:  # a bug, not an operator's mistake: keep the traceback out of their terminal
        code = int(ExitCode.INTERNAL)
        log = write_crash_log(Path.cwd())
        errors.print(f"[bold red]internal error[/]: this is a bug in Hotpass; details are in {log}")
    if ctx.record_run:
        _record(ctx, args, argv, started, code, errors)
    return code


def report_error(exc: HotpassError, errors: Console, batch: bool) -> None:
    if batch:
        print(json.dumps({"event": "error", **exc.as_dict()}), flush=True)
        return
    errors.print(f"[bold red]error[/]: {exc.location + ': ' if exc.location else ''}{exc.message}", markup=True, soft_wrap=True)
    for detail in exc.details[:12]:
        errors.print(f"  · {detail}", markup=False, soft_wrap=True)
    if exc.hint:
        errors.print(f"  [dim]hint:[/] {exc.hint}", soft_wrap=True)


def write_crash_log(workspace: Path) -> Path:
    folder = workspace / ".hotpass" / "logs"
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{stamp}-{os.getpid()}.log"
        path.write_text(traceback.format_exc(), encoding="utf-8")
        return path
    except OSError:
        path = Path(os.environ.get("TMPDIR", "/tmp")) / f"hotpass-crash-{stamp}-{os.getpid()}.log"
        path.write_text(traceback.format_exc(), encoding="utf-8")
        return path


def _record(ctx: CommandContext, args, argv, started, code: int, errors: Console) -> None:
    from ledger import Ledger

    try:
        Ledger(ctx.ledger_path).record_run(
            command=args.command or "batch", argv=argv, started_at=started,
            ended_at=dt.datetime.now(dt.timezone.utc), exit_code=code,
            inputs=ctx.inputs, outputs=ctx.outputs, case_id=getattr(args, "case_id", None))
    except HotpassError as exc:
        errors.print(f"[yellow]warning[/]: run not recorded in the ledger: {exc.one_line()}", soft_wrap=True)
