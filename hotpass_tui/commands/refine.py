"""`hotpass refine` and `hotpass prepare`: the first two runbook steps as commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from hotpass_tui.commands.base import CommandContext, add_case_options, add_profile_options


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("refine", help="refine a case folder into dist/<case>/refined.xlsx",
                            description="Read every workbook of a case, resolve organisations, write refined.xlsx.")
    add_profile_options(parser)
    add_case_options(parser)
    parser.add_argument("--output-path", type=Path, help="refined workbook (default: dist/<case>/refined.xlsx)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print each sheet's column mapping")
    parser.add_argument("--no-validate", dest="validate", action="store_false",
                        help="skip the Great Expectations checks (recorded in the report and the ledger as a deviation)")
    parser.add_argument("--archive", action="store_true",
                        help="also write dist/<case>/archive/refined-<UTC stamp>-<sha12>.zip with SHA256SUMS")
    parser.set_defaults(handler=run)
    prepare = sub.add_parser("prepare", help="preview a case: files, sheets, header rows, mapping; writes nothing",
                             description="What refine would read, and what it would skip and why.")
    add_profile_options(prepare)
    add_case_options(prepare)
    prepare.add_argument("-v", "--verbose", action="store_true", help="also print each sheet's column mapping")
    prepare.set_defaults(handler=run_prepare)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.runbook.runner import run_step
    from core.runbook.steps.refine import RefineOptions
    from hotpass_tui.console import progress_printer

    step_ctx = ctx.step_context(args)
    with progress_printer(ctx) as progress:
        step_ctx.progress = progress
        result = run_step("refine", step_ctx, RefineOptions(validate=args.validate, archive=args.archive))
    return ctx.finish(result, lambda c, r: _show(c, r.payload, args.verbose))


def _show(ctx: CommandContext, result, verbose: bool) -> None:
    from hotpass_tui.console import print_refine_result

    print_refine_result(ctx, result, verbose=verbose)
    out, report = ctx.console, result.validation
    if report is None or report.skipped:
        out.print("[yellow]Validation skipped[/] (--no-validate): recorded as a deviation")
    else:
        totals = report.totals()
        out.print(f"Validation: {totals['expectations']} expectations, {totals['passed']} passed, "
                  f"{totals['failed_warning']} {'warning' if totals['failed_warning'] == 1 else 'warnings'}, "
                  f"{totals['failed_blocking']} blocking failed")
        out.print(f"Data Docs {report.docs_path}", markup=False, highlight=False)
    if result.archive_path:
        out.print(f"Archive {result.archive_path}", markup=False, highlight=False)


def run_prepare(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.runbook.runner import run_step
    from hotpass_tui.console import print_preview

    result = run_step("prepare", ctx.step_context(args))
    return ctx.finish(result, lambda c, r: print_preview(c, r.payload, verbose=args.verbose))
