"""`hotpass dashboard`: the terminal UI, opened on the telemetry pane (runbook step 5)."""

from __future__ import annotations

import argparse

from hotpass_tui.commands.base import CommandContext


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("dashboard", help="open the UI on the telemetry dashboard (tunnels, runs, quality)",
                            description="The terminal UI on step 5: tunnels to Prefect and Marquez, and the "
                                        "case's quality gates, enrichment, provenance, run history and lineage.")
    # Its own dest: a subparser's default would overwrite `hotpass --case X dashboard`'s X.
    parser.add_argument("--case", dest="dashboard_case", help="case id (default: sample)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.errors import UsageError
    from hotpass_tui.app import run_app

    if ctx.batch:
        raise UsageError("the dashboard is a screen; --batch has none",
                         hint="hotpass net status --json gives the tunnels as JSON")
    return run_app(ctx.workspace, case_id=args.dashboard_case or args.case_id or ctx.workspace.default_case,
                   mouse=not getattr(args, "no_mouse", False), initial_step="5")
