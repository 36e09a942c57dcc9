"""`hotpass enrich`: step 3 as a command."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from hotpass_tui.commands.base import CommandContext, add_profile_options

if TYPE_CHECKING:
    from core.enrich.result import EnrichResult


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, not {text!r}")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("enrich", help="fill empty cells of the refined workbook; network only after approval",
                            description="Fill empty cells of dist/<case>/refined.xlsx from the data itself and the "
                            "profile's lookup tables; research organisations' own websites only when "
                            "--allow-network=true, FEATURE_ENABLE_REMOTE_RESEARCH=1, ALLOW_NETWORK_RESEARCH=1 and "
                            "an enrichment approval for the case all hold.")
    add_profile_options(parser)
    parser.add_argument("--case", dest="case_id", help="case id (default: sample)")
    parser.add_argument("--input", dest="enrich_input", type=Path, metavar="FILE",
                        help="refined workbook (default: dist/<case>/refined.xlsx, or refine's --output-path)")
    parser.add_argument("--output", dest="enrich_output", type=Path, metavar="FILE",
                        help="enriched workbook (default: enriched.xlsx beside the refined one)")
    parser.add_argument("--allow-network", type=_bool, nargs="?", const=True, default=False, metavar="true|false",
                        help="allow network research (one of four gates; default false)")
    parser.add_argument("--approve", action="append", choices=["enrichment"], default=[],
                        help="grant the enrichment approval for this run (recorded in the ledger as yours)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.runbook.runner import run_step
    from core.runbook.steps.enrich import EnrichOptions
    from hotpass_tui.console import progress_printer

    step_ctx = ctx.step_context(args)
    options = EnrichOptions(args.enrich_input, args.enrich_output, args.allow_network)
    with progress_printer(ctx) as progress:
        step_ctx.progress = progress
        result = run_step("enrich", step_ctx, options)
    return ctx.finish(result, lambda c, r: print_enrich_result(c, r.payload))


def print_enrich_result(ctx: CommandContext, result: "EnrichResult") -> None:
    """One fact a line, 80 columns; counts and names of fields only, never a value from the workbook."""
    out = ctx.console
    root = ctx.workspace.root
    out.print(f"[b]Enriched[/b] {result.organisations:,} organisations: {result.cells_filled:,} empty cells filled")
    out.print("  wrote ", end="")
    out.print(_shown(result.output_path, root), markup=False)
    out.print("  summary ", end="")
    out.print(_shown(result.summary_path, root), markup=False)
    if result.filled:
        out.print("[b]Filled, by field and strategy[/b]")
        for field_name, strategies in sorted(result.filled.items()):
            for strategy, count in sorted(strategies.items(), key=lambda kv: -kv[1]):
                out.print(f"  {field_name:<24} {strategy:<26} {count:>7,}", markup=False)
    else:
        out.print("Nothing was filled: no strategy had a value for an empty cell.")
    if result.by_source:
        out.print("[b]By source[/b]")
        for source, count in sorted(result.by_source.items(), key=lambda kv: -kv[1]):
            out.print(f"  {count:>7,}  ", end="")
            out.print(source, markup=False)
    if result.network_used:
        out.print(f"[b]Network research[/b]: used, {result.research_requests:,} requests")
        for status, count in sorted(result.network_status.items()):
            out.print(f"  {count:>7,}  {status}", markup=False)
    else:
        out.print("[b]Network research[/b]: skipped, closed gates:")
        for gate in result.closed_gates:
            out.print("  ", end="")
            out.print(gate.closed_because, markup=False)


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
