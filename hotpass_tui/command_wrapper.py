"""Run one command handler: an operator's mistake becomes one line and its exit code, a bug a log.

Runs are recorded by the step path (core.runbook), not here: a handler that runs a step hands its
StepResult to `CommandContext.finish`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from rich.console import Console

from core.errors import ExitCode, HotpassError
from core.workspace import Workspace
from hotpass_tui.commands.base import CommandContext


def run_command(handler, args: argparse.Namespace, argv: list[str], workspace: Workspace) -> int:
    # emoji off: a workbook value such as ":phone:" prints as typed, never as a picture
    console = Console(highlight=False, emoji=False, stderr=args.batch, no_color=bool(os.environ.get("NO_COLOR")))
    errors = Console(stderr=True, highlight=False, emoji=False)
    ctx = CommandContext(console=console, workspace=workspace, batch=args.batch, argv=tuple(argv), errors=errors)
    try:
        code = int(handler(args, ctx))
        sys.stdout.flush()
    except HotpassError as exc:
        code = int(exc.exit_code)
        report_error(exc, errors, args.batch)
    except KeyboardInterrupt:
        code = int(ExitCode.CANCELLED)
        errors.print("[yellow]cancelled[/]: nothing further was written")
    except BrokenPipeError:
        return _quiet_after_closed_pipe()
    except Exception:  # a bug, not an operator's mistake: keep the traceback out of their terminal
        from core.runbook.runner import write_crash_log

        code = int(ExitCode.INTERNAL)
        log = write_crash_log(workspace.logs_dir, args.command or "hotpass")
        where = f"details are in {log}" if log else "no log could be written"
        errors.print(f"[bold red]internal error[/]: this is a bug in Hotpass; {where}", markup=True)
    return code


def _quiet_after_closed_pipe() -> int:
    """`hotpass ledger log --json | head`: the reader left; that is not an error worth a word."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's final flush must not fail again
    except OSError:
        pass
    return int(ExitCode.OK)


def report_error(exc: HotpassError, errors: Console, batch: bool) -> None:
    if batch:
        print(json.dumps({"event": "error", **exc.as_dict()}), flush=True)
        return
    where = exc.location + ": " if exc.location else ""
    errors.print(f"[bold red]error[/]: ", end="", markup=True)
    errors.print(f"{where}{exc.message}", markup=False, soft_wrap=True)
    for detail in exc.details[:12]:
        errors.print(f"  · {detail}", markup=False, soft_wrap=True)
    if exc.hint:
        errors.print("  [dim]hint:[/] ", end="", markup=True)
        errors.print(exc.hint, markup=False, soft_wrap=True)
