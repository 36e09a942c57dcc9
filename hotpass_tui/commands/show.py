"""`hotpass show ORG --case ID`: one refined organisation, every value with the file, sheet and row it came from."""

from __future__ import annotations

import argparse
from pathlib import Path

from hotpass_tui.commands.base import CommandContext, add_case_options


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("show", help="an organisation of a refined case: where each value came from, what lost")
    parser.add_argument("organisation", metavar="ORG", help="its slug, or the start of its name")
    parser.add_argument("--profile-search-path", type=Path, action="append", default=[], metavar="DIR")
    add_case_options(parser)
    parser.set_defaults(handler=run_show)


def run_show(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.org_card import org_card
    from core.org_card_text import card_lines
    from core.org_decisions import ledger_decisions

    case = ctx.workspace.case(args.case_id, args.input_dir)
    decisions = ledger_decisions(ctx.workspace.open_ledger(), case.case_id)
    card = org_card(case, args.organisation, args.profile_search_path, decisions)
    lines = card_lines(card)
    if len(card.members) > 1:
        lines += ["", "Take a row out of it:", f"  hotpass review split-out {card.slug} FILE:SHEET:ROW --case {case.case_id}"]
    for line in lines:
        # Workbook values are printed as they are (markup off) and never folded: a terminal wraps a long line whole.
        ctx.console.print(line, markup=False, highlight=False, soft_wrap=True)
    return 0
