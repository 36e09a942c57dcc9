"""`hotpass --batch`: the runbook headless, as JSON lines a scheduler can read. Never imports Textual.

`hotpass --batch [--case ID] [--input-dir DIR] [--profile NAME] [--steps a,b] [--approve KIND,…]`,
or the same flags after `hotpass run`. Human text goes to stderr only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hotpass_tui.commands.base import CommandContext, add_case_options, add_profile_options


def add_batch_options(parser: argparse.ArgumentParser, with_case: bool = False) -> None:
    if with_case:
        add_case_options(parser)
    else:
        parser.add_argument("--input-dir", type=Path, help="UI and --batch: folder of workbooks (default: data/<case>/)")
    parser.add_argument("--profile", help="UI and --batch: profile name (default: generic)")
    parser.add_argument("--profile-search-path", type=Path, action="append", metavar="DIR",
                        help="--batch: folder searched for profiles first (repeatable)")
    parser.add_argument("--steps", help="--batch: comma-separated steps to run (default: every batch step)")
    parser.add_argument("--approve", type=_approvals, metavar="KIND,…",
                        help="--batch: grant these approvals for this run (contract, enrichment, waiver, handoff; "
                             "'all' grants every one the run needs); each is recorded as a batch approval")
    parser.add_argument("--allow-network", type=_boolean, metavar="false|true",
                        help="--batch: let network enrichment run (it still needs its approval and environment)")
    parser.add_argument("--no-resume", action="store_true", help="--batch: run every step, even unchanged ones")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run the runbook's steps in order (what `hotpass --batch` runs)")
    add_batch_options(parser, with_case=True)
    parser.set_defaults(handler=run_batch_command)


def _approvals(text: str) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in text.split(",") if part.strip())


def _boolean(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise argparse.ArgumentTypeError(f"expected true or false, not {text!r}")
    return value in ("true", "1", "yes")


def run_batch_command(args: argparse.Namespace, ctx: CommandContext) -> int:
    from dataclasses import replace

    from core.runbook.batch import BatchPlan, jsonl_emitter, run_batch

    if args.allow_network:
        ctx.workspace = replace(ctx.workspace, network=replace(ctx.workspace.network, allow_network=True))
    ctx.batch = True
    plan = BatchPlan.parse(args.steps, resume=not args.no_resume)
    template = ctx.step_context(args)
    code = run_batch(template, plan, jsonl_emitter(sys.stdout))
    verdict = "finished" if code == 0 else f"stopped with exit code {code}"
    ctx.errors.print(f"hotpass --batch {verdict} for case {template.case.case_id}", markup=False)
    return code
