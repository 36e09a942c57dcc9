"""`hotpass --batch`: the runbook headless, as JSON lines a scheduler can read. Never imports Textual."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hotpass_tui.commands.base import CommandContext

# Steps after refine arrive with their issues; until then batch says so instead of pretending.
LATER_STEPS = ["enrich", "contracts", "telemetry", "qa", "handoff"]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run the runbook's steps in order (what `hotpass --batch` runs)")
    from hotpass_tui.commands.refine import add_profile_options

    add_profile_options(parser)
    parser.add_argument("--case", dest="case_id", help="case id (default: sample)")
    parser.add_argument("--input-dir", type=Path, help="folder of workbooks (default: data/<case>/)")
    parser.add_argument("--output-path", type=Path, help="refined workbook (default: dist/<case>/refined.xlsx)")
    parser.set_defaults(handler=run_runbook)


def run_batch_default(args: argparse.Namespace, ctx: CommandContext) -> int:
    """`hotpass --batch` with no command: the runbook on the bundled defaults."""
    defaults = {"profile": "generic", "profile_search_path": [], "case_id": None, "input_dir": None,
                "output_path": None, "command": "run"}
    for key, value in defaults.items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    return run_runbook(args, ctx)


def run_runbook(args: argparse.Namespace, ctx: CommandContext) -> int:
    from hotpass_tui.commands import refine

    _emit(ctx, {"event": "step", "step": "refine", "status": "started"})
    code = refine.run(args, ctx)
    _emit(ctx, {"event": "step", "step": "refine", "status": "ok" if code == 0 else "failed", "exit_code": code})
    for step in LATER_STEPS:
        _emit(ctx, {"event": "step", "step": step, "status": "not_available",
                    "message": "this step is not built yet in this version"})
    return code


def _emit(ctx: CommandContext, payload: dict) -> None:
    if ctx.batch:
        print(json.dumps(payload), flush=True)
    else:
        ctx.console.print(f"[bold]{payload['step']}[/]: {payload['status']}")
