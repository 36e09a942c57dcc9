"""`hotpass refine`: one folder of workbooks in, one refined workbook out."""

from __future__ import annotations

import argparse
from pathlib import Path

from hotpass_tui.commands.base import CommandContext


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("refine", help="refine a case folder into dist/<case>/refined.xlsx",
                            description="Read every workbook of a case, resolve organisations, write refined.xlsx.")
    add_profile_options(parser)
    parser.add_argument("--case", dest="case_id", help="case id: reads data/<case>/, writes dist/<case>/ (default: sample)")
    parser.add_argument("--input-dir", type=Path, help="folder of workbooks (default: data/<case>/)")
    parser.add_argument("--output-path", type=Path, help="refined workbook (default: dist/<case>/refined.xlsx)")
    parser.set_defaults(handler=run)


def add_profile_options(parser: argparse.ArgumentParser, default: str = "generic") -> None:
    parser.add_argument("--profile", default=default, help=f"profile name (default: {default})")
    parser.add_argument("--profile-search-path", type=Path, action="append", default=[], metavar="DIR",
                        help="folder searched for profiles before the bundled ones (repeatable)")


def resolve_case(args: argparse.Namespace):
    """The case the flags describe; the bundled sample case is written on first use."""
    from core.case import Case
    from core.sample import SAMPLE_CASE_ID, ensure_sample_case

    case_id = args.case_id or (args.input_dir.name if args.input_dir else SAMPLE_CASE_ID)
    args.case_id = case_id
    if args.input_dir is None and case_id == SAMPLE_CASE_ID:
        ensure_sample_case(Path.cwd())
    return Case(case_id, Path.cwd(), args.input_dir, args.output_path)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.profiles import load_profile
    from core.refine import refine
    from hotpass_tui.console import print_refine_result, progress_printer

    case = resolve_case(args)
    profile = load_profile(args.profile, args.profile_search_path)
    decisions = _decisions(ctx, case.case_id)
    with progress_printer(ctx) as progress:
        result = refine(case, profile, decisions=decisions, progress=progress)
    ctx.inputs, ctx.outputs = result.inputs, result.outputs
    print_refine_result(ctx, result)
    return 0


def _decisions(ctx: CommandContext, case_id: str) -> dict[str, str]:
    from ledger import Ledger

    return Ledger(ctx.ledger_path).review_decisions(case_id)
