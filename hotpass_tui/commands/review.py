"""`hotpass review list|approve|reject`: decide the pairs refine could not decide alone."""

from __future__ import annotations

import argparse
from pathlib import Path

from hotpass_tui.commands.base import CommandContext

_PAST = {"approve": "approved", "reject": "rejected"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("review", help="list and decide entity-resolution pairs in the review band")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="pairs waiting for a decision, with their evidence")
    listing.add_argument("--all", action="store_true", help="include decided pairs")
    listing.set_defaults(handler=run_list)
    for action in ("approve", "reject"):
        decide = actions.add_parser(action, help=f"{action} a pair: it {'always' if action == 'approve' else 'never'} merges on the next refine")
        decide.add_argument("pair_id", nargs="+", help="pair id(s) from `review list`")
        decide.add_argument("--comment", default="", help="why")
        decide.set_defaults(handler=run_decide, decision=action)
    for action_parser in (listing, *[actions.choices[a] for a in ("approve", "reject")]):
        action_parser.add_argument("--case", dest="case_id", default="sample", help="case id (default: sample)")


def _queue(case_id: str):
    from core.case import Case
    from core.review_queue import load_queue

    return load_queue(Case(case_id, Path.cwd()).review_queue_path)


def run_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    from rich.table import Table

    from ledger import Ledger

    ctx.record_run = False
    _, items = _queue(args.case_id)
    decided = Ledger(ctx.ledger_path).review_decisions(args.case_id)
    table = Table("pair", "score", "left", "right", "evidence", "decision", show_lines=True)
    shown = 0
    for item in items:
        decision = decided.get(item.pair_id, item.decision)
        if decision and not args.all:
            continue
        shown += 1
        table.add_row(item.pair_id, f"{item.score:.2f}", _side(item.left), _side(item.right),
                      item.explanation, decision or "—")
    ctx.console.print(table if shown else f"No pairs wait for review in case {args.case_id}.")
    return 0


def run_decide(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.errors import UsageError
    from ledger import Ledger

    _, items = _queue(args.case_id)
    known = {item.pair_id: item for item in items}
    unknown = [p for p in args.pair_id if p not in known]
    if unknown:
        raise UsageError(f"no such pair in the review queue: {', '.join(unknown)}", key=unknown[0],
                         hint=f"see `hotpass review list --case {args.case_id} --all`")
    ledger = Ledger(ctx.ledger_path)
    for pair_id in args.pair_id:
        ledger.record_review_decision(args.case_id, pair_id, args.decision, comment=args.comment,
                                      summary=known[pair_id].explanation)
        ctx.console.print(f"{_PAST[args.decision]} {pair_id}: {known[pair_id].explanation}", markup=False)
    ctx.console.print("Decisions apply on the next `hotpass refine` of this case.")
    ctx.record_run = False  # the decisions are ledger entries themselves
    return 0


def _side(side: dict) -> str:
    place = f"{side.get('source_file')} {side.get('source_sheet') or ''} row {side.get('source_row')}"
    parts = [side.get("organization_name"), side.get("website"), side.get("province"), place]
    return "\n".join(str(p) for p in parts if p)
