"""`hotpass review list|approve|reject|unsure|split|undo`: decide the pairs refine could not decide alone.

A pair's id is the twelve characters refine prints; any prefix of six or more that names one pair
works too. Decisions go to the ledger and the next refine of the case applies them.
"""

from __future__ import annotations

import argparse

from hotpass_tui.commands.base import CommandContext, add_case_options

MIN_PREFIX = 6
ACTIONS = {
    "approve": ("approved", "merge the pair: it always merges on the next refine"),
    "reject": ("rejected", "keep the pair apart: it never merges on the next refine"),
    "unsure": ("put aside", "not sure yet: the pair stays in the queue, after the others"),
    "split": ("split", "take the second row out of the organisation it was merged into"),
    "undo": ("undone", "withdraw the last decision on a pair (without ids: the case's last decision)"),
}
STATE = {None: "waiting", "unsure": "unsure", "approve": "approved (merge)", "reject": "rejected (apart)",
         "split": "split out", "force_together": "forced together", "force_apart": "forced apart"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("review", help="list and decide entity-resolution pairs in the review band")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="pairs waiting for a decision, with their evidence")
    listing.add_argument("--all", action="store_true", help="include decided pairs")
    listing.add_argument("--json", action="store_true", help="the pairs as JSON, for scripts")
    listing.set_defaults(handler=run_list)
    add_case_options(listing)
    for action, (_, help_text) in ACTIONS.items():
        decide = actions.add_parser(action, help=help_text)
        decide.add_argument("pair_id", nargs="*", metavar="PAIR",
                            help=f"pair id(s) from `review list`, or a prefix of at least {MIN_PREFIX} characters")
        decide.add_argument("--all-matching", metavar="TEXT",
                            help="every waiting pair whose evidence contains TEXT (any case)")
        decide.add_argument("--comment", "-m", default="", help="why")
        decide.set_defaults(handler=run_decide, decision=action)
        add_case_options(decide)
    for action, decision, help_text in (
            ("force-together", "force_together", "two organisations are one: they merge on every refine"),
            ("force-apart", "force_apart", "two organisations are different: they never merge")):
        force = actions.add_parser(action, help=help_text)
        force.add_argument("organisations", nargs=2, metavar="ORG", help="organisation slug or id (Data sheet)")
        force.add_argument("--comment", "-m", default="", help="why")
        force.set_defaults(handler=run_organisations, decision=decision)
        add_case_options(force)
    split = actions.add_parser("split-out", help="take one row out of the organisation it was merged into")
    split.add_argument("organisation", metavar="ORG", help="organisation slug or id (Data sheet)")
    split.add_argument("row", metavar="ROW", help="the row as the Sources sheet names it: FILE:SHEET:ROW "
                       "(FILE:ROW for a CSV)")
    split.add_argument("--comment", "-m", default="", help="why")
    split.set_defaults(handler=run_split_out, decision="split")
    add_case_options(split)


# -- reading the queue ----------------------------------------------------------------------------

def _case(ctx: CommandContext, args: argparse.Namespace):
    # The workspace knows where a case refined with --output-path keeps its queue.
    case = ctx.workspace.case(args.case_id, args.input_dir)
    args.case_id = case.case_id
    return case


def _queue(ctx: CommandContext, args: argparse.Namespace):
    from core.review_queue import load_queue

    return load_queue(_case(ctx, args).review_queue_path)


def _ordered(items, decided: dict[str, str]):
    """`decided`: the ledger's latest decision per pair ("undo" where it withdrew the one before).
    Waiting pairs first (in refine's order: those that settle most rows), then unsure, then decided.

    The ledger says what stands now: the queue file holds what the last refine applied, so a pair
    undone since then waits again (its decision is gone), though the file still says "approved"."""
    rank = {None: 0, "unsure": 1}
    for item in items:
        if item.pair_id in decided:
            item.decision = None if decided[item.pair_id] == "undo" else decided[item.pair_id]
    return sorted(items, key=lambda item: rank.get(item.decision, 2))


def find_pairs(typed: list[str], items, case_id: str = "") -> list:
    """The pairs the typed ids name: whole ids or unambiguous prefixes of at least MIN_PREFIX characters.

    Any id that names no pair, or more than one, refuses them all: nothing is half recorded.
    """
    from core.errors import UsageError

    known = {item.pair_id: item for item in items}
    found, problems = [], []
    for raw in typed:
        item, problem = _one_pair(raw, known)
        if problem:
            problems.append((raw, problem))
        else:
            found.append(item)
    if problems:
        where = f" --case {case_id}" if case_id else ""
        raise UsageError("; ".join(p for _, p in problems), key=problems[0][0],
                         hint=f"nothing was recorded; see `hotpass review list{where} --all` for the ids")
    return list({item.pair_id: item for item in found}.values())


def _one_pair(raw: str, known: dict):
    text = raw.strip().lower()
    if text in known:
        return known[text], None
    if len(text) < MIN_PREFIX:
        return None, f"{raw!r} is too short: type at least {MIN_PREFIX} characters of a pair id"
    matches = sorted(pid for pid in known if pid.startswith(text))
    if len(matches) == 1:
        return known[matches[0]], None
    if matches:
        return None, f"{raw} is ambiguous: it starts {', '.join(matches)}"
    return None, f"no such pair in the review queue: {raw}"


# -- list -------------------------------------------------------------------------------------------

def run_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    import json

    from hotpass_tui.text_blocks import print_lines, terminal_width

    run_id, items = _queue(ctx, args)
    items = _ordered(items, ctx.workspace.open_ledger().review_decisions(args.case_id))
    shown = [item for item in items if args.all or item.decision in (None, "unsure")]
    if args.json or ctx.batch:
        print(json.dumps({"case_id": args.case_id, "run_id": run_id, "pairs": [item.__dict__ for item in shown]},
                         ensure_ascii=False, indent=None if ctx.batch else 2), flush=True)
        return 0
    if not shown:
        ctx.console.print(f"No pairs wait for review in case {args.case_id}.", markup=False, highlight=False)
        return 0
    width = terminal_width(ctx.console)
    lines: list[str] = []
    for item in shown:
        lines += pair_block(item, width) + [""]
    waiting = sum(item.decision is None for item in shown)
    lines += [f"{waiting} waiting in case {args.case_id}. Decide with:",
              f"  hotpass review approve|reject|unsure PAIR --case {args.case_id}"]
    print_lines(ctx.console, lines)
    return 0


def pair_block(item, width: int) -> list[str]:
    from hotpass_tui.text_blocks import block, field_lines

    lines = [f"pair {item.pair_id}  score {item.score:.2f}  {STATE.get(item.decision, item.decision)}"]
    for tag, side in (("A", item.left), ("B", item.right)):
        lines += field_lines(tag, side.get("organization_name") or "(no name)", width, indent=2)
        lines += block("", [("website", side.get("website")), ("province", side.get("province")),
                            ("file", side.get("source_file")), ("sheet", side.get("source_sheet")),
                            ("row", side.get("source_row"))], width, indent=5, whole={"file", "website"},
                       label_width=len("province"))[1:]
    lines += field_lines("evidence", item.explanation or "(none given)", width, indent=2)
    return lines


# -- decide -----------------------------------------------------------------------------------------

def run_decide(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.errors import UsageError
    from hotpass_tui.text_blocks import print_lines, terminal_width, wrap

    _, items = _queue(ctx, args)
    ledger = ctx.workspace.open_ledger()
    items = _ordered(items, ledger.review_decisions(args.case_id))
    chosen = find_pairs(args.pair_id, items, args.case_id)
    if args.all_matching:
        needle = args.all_matching.casefold()
        chosen += [item for item in items if item.decision in (None, "unsure") and needle in item.explanation.casefold()
                   and item not in chosen]
        if not chosen:
            raise UsageError(f"no waiting pair's evidence contains {args.all_matching!r}", key="--all-matching",
                             hint=f"see `hotpass review list --case {args.case_id}`")
    if args.decision == "undo" and not args.pair_id and not args.all_matching:
        chosen = _last_decided(ledger, args.case_id, items)
        if not chosen:
            raise UsageError(f"no decision stands in case {args.case_id}: there is nothing to undo", key="undo",
                             hint=f"see `hotpass review list --case {args.case_id} --all` for the decided pairs")
    if not chosen:
        raise UsageError("name at least one pair, or use --all-matching TEXT", key="pair_id",
                         hint=f"see `hotpass review list --case {args.case_id}`")
    width = terminal_width(ctx.console)
    past = ACTIONS[args.decision][0]
    for item in chosen:
        ledger.record_review_decision(args.case_id, item.pair_id, args.decision, comment=args.comment,
                                      summary=item.explanation)
        print_lines(ctx.console, wrap(f"{past} {item.pair_id}: {item.explanation}", width, indent="    "))
    ctx.console.print("Decisions apply on the next `hotpass refine` of this case.", markup=False, highlight=False)
    return 0


def _last_decided(ledger, case_id: str, items) -> list:
    """The pair of the newest decision still standing: what `undo` without an id withdraws."""
    decided = {pid for pid, decision in ledger.review_decisions(case_id).items() if decision != "undo"}
    by_id = {item.pair_id: item for item in items}
    for entry in ledger.entries(kind="review_decision", case_id=case_id, limit=None):
        pid = entry.payload.get("pair_id")
        if pid in decided and pid in by_id:
            return [by_id[pid]]
    return []


# -- organisations: force together or apart, split a row out (planned in core.org_decisions) ---------

def _record(ctx: CommandContext, args: argparse.Namespace, planned) -> int:
    ledger = ctx.workspace.open_ledger()
    ledger.record_review_decision(args.case_id, planned.pair_id, planned.decision, comment=args.comment,
                                  summary=planned.summary)
    ctx.console.print(f"recorded {planned.decision.replace('_', ' ')} {planned.pair_id}: {planned.summary}",
                      markup=False, highlight=False, soft_wrap=True)
    ctx.console.print("Decisions apply on the next `hotpass refine` of this case.", markup=False, highlight=False)
    return 0


def run_organisations(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.org_decisions import force

    case = _case(ctx, args)
    return _record(ctx, args, force(case, *args.organisations, args.decision))


def run_split_out(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.org_decisions import split_out

    case = _case(ctx, args)
    return _record(ctx, args, split_out(case, args.organisation, args.row))
