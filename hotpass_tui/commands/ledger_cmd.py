"""`hotpass ledger log|approvals|approve|reject|next-steps|incidents|verify|export`.

None of them records a run: what they write is a ledger entry itself (an approval, a next step,
an incident), and an export is remembered beside the ledger with its anchor. Runs are what the
runbook's steps record (core.runbook).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from hotpass_tui.commands.base import CommandContext
from ledger.kinds import KINDS, SUBJECT_KINDS

SUBJECT_KIND_CHOICES = SUBJECT_KINDS  # live views of the registry in ledger/kinds.py
ENTRY_KIND_CHOICES = KINDS


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "ledger",
        help="the workspace ledger: log, approvals, next steps, incidents, verify, export",
        description="The append-only, hash-chained ledger of runs, approvals, review decisions, next steps, "
        "incidents and hand-offs (default .hotpass/ledger.db; --ledger PATH or $HOTPASS_LEDGER).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    log = actions.add_parser("log", help="recent entries, newest first")
    log.add_argument("-n", "--limit", type=int, default=20, help="how many entries (default 20; 0 for all)")
    log.add_argument("--kind", choices=ENTRY_KIND_CHOICES)
    log.add_argument("--case", dest="case_id")
    log.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    log.set_defaults(handler=run_log)

    approvals = actions.add_parser("approvals", help="every approval and rejection, newest first")
    approvals.add_argument("--kind", dest="subject_kind", choices=SUBJECT_KIND_CHOICES)
    approvals.add_argument("--subject")
    approvals.add_argument("--case", dest="case_id")
    approvals.add_argument("--json", action="store_true")
    approvals.set_defaults(handler=run_approvals)

    for name, decision in (("approve", "approve"), ("reject", "reject")):
        p = actions.add_parser(name, help=f"record that you {decision} a contract, enrichment, review, waiver or hand-off")
        p.add_argument("subject_kind", metavar="KIND", help="contract | enrichment | review | waiver | handoff")
        p.add_argument("subject", metavar="SUBJECT", help="what exactly, e.g. the contract or case name")
        art = p.add_mutually_exclusive_group()
        art.add_argument("--artefact", "--artifact", type=Path, metavar="FILE", help="the file approved (its SHA-256 is recorded)")
        art.add_argument("--sha256", metavar="HEX", help="the artefact's SHA-256, when the file is not at hand")
        p.add_argument("-m", "--comment", default="", help="why")
        p.add_argument("--case", dest="case_id")
        p.set_defaults(handler=run_decide, decision=decision)

    steps = actions.add_parser("next-steps", help="next steps: add, done, list")
    step_actions = steps.add_subparsers(dest="step_action", metavar="add|done|list", required=True)
    add = step_actions.add_parser("add", help="open a next step")
    add.add_argument("text")
    add.add_argument("--owner")
    add.add_argument("--due", help="a date, e.g. 2026-06-30")
    add.add_argument("--case", dest="case_id")
    add.set_defaults(handler=run_step_add)
    done = step_actions.add_parser("done", help="mark a next step done (a new entry; nothing is edited)")
    done.add_argument("step_id", metavar="ID", help="e.g. NS-3")
    done.add_argument("-m", "--comment", default="")
    done.set_defaults(handler=run_step_done)
    lst = step_actions.add_parser("list", help="next steps (default: open ones)")
    lst.add_argument("--status", choices=["open", "done", "all"], default="open")
    lst.add_argument("--case", dest="case_id")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=run_step_list)

    inc = actions.add_parser("incidents", help="incidents recorded (add one with: incidents add)")
    inc.add_argument("--case", dest="case_id")
    inc.add_argument("--json", action="store_true")
    inc_actions = inc.add_subparsers(dest="incident_action", metavar="add")
    inc_add = inc_actions.add_parser("add", help="record an incident")
    inc_add.add_argument("ticket_id", metavar="TICKET")
    inc_add.add_argument("summary")
    inc_add.add_argument("--severity", required=True, help="e.g. low, medium, high")
    inc_add.add_argument("--case", dest="case_id")
    inc.set_defaults(handler=run_incidents)

    verify = actions.add_parser("verify", help="check the hash chain; exit 9 naming every changed entry")
    verify.add_argument(
        "--anchor", action="append", default=[], metavar="FILE|COUNT:HASH",
        help="also check against an export (ledger-anchor.json, ledger.jsonl, Next_Steps_Log.md), "
        "a hand-off manifest, or COUNT:HEAD_HASH; repeatable",
    )
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=run_verify)

    export = actions.add_parser("export", help="write Next_Steps_Log.md, governance-log.md, ledger.jsonl")
    export.add_argument("--out", type=Path, default=Path("."), help="folder (default: the current folder)")
    export.add_argument("--allow-tampered", action="store_true",
                        help="export even if the chain does not verify (the files say so)")
    export.set_defaults(handler=run_export)


# ---------------------------------------------------------------------------------------------


def _open(ctx: CommandContext):
    from ledger import Ledger

    return Ledger(ctx.ledger_path)


def _json_out(ctx: CommandContext, args: argparse.Namespace) -> bool:
    return bool(ctx.batch or getattr(args, "json", False))


def _emit(obj: Any) -> None:
    print(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str), flush=True)


def _when(at: str | None) -> str:
    return (at or "")[:19].replace("T", " ")


def _short(h: str | None) -> str:
    return f"{h[:12]}…" if h else ""


# Columns an operator copies as they are (ids, cases, hashes): a table that cannot keep them whole
# becomes one block per row (hotpass_tui.text_blocks.print_table).
_WHOLE = frozenset({"#", "id", "case", "artefact sha256"})


def _what(entry) -> str:
    """The entry's one line, with a run's whole command: the log view's summary shortens it, but an
    operator copies commands from here (the text wraps between words instead)."""
    text = entry.summary()
    argv = entry.payload.get("argv") if entry.kind == "run" else None
    if not argv or " → exit " not in text:
        return text
    rest = text.partition(" → exit ")[2]
    step = " ".join(str(entry.payload[k]) for k in ("step", "status") if entry.payload.get(k))
    return f"{step + ': ' if step else ''}{' '.join(argv)} → exit {rest}"


def _recorded(ctx: CommandContext, entry, what: str) -> None:
    from rich.markup import escape

    if ctx.batch:
        _emit({"event": "result", "step": "ledger", "recorded": entry.to_dict()})
        return
    ctx.console.print(f"[green]Recorded[/] entry [bold]#{entry.seq}[/]: {escape(what)}", soft_wrap=True)


# -- read-only ---------------------------------------------------------------------------------


def run_log(args: argparse.Namespace, ctx: CommandContext) -> int:
    from hotpass_tui.text_blocks import print_table
    from ledger.values import entries_text

    led = _open(ctx)
    entries = led.entries(kind=args.kind, limit=args.limit or None, case_id=args.case_id)
    if _json_out(ctx, args):
        for e in entries:
            _emit(e.to_dict())
        return 0
    count, head = led.head()
    print_table(ctx.console, ("#", "when (UTC)", "kind", "who", "case", "what"),
                [(e.seq, _when(e.at), e.kind, f"{e.who}@{e.host}", e.case_id, _what(e)) for e in entries],
                title=f"Ledger {led.path} — {entries_text(count)}, head {_short(head)}", whole=_WHOLE, heading=5)
    if not entries:
        ctx.console.print("[dim]no entries yet[/]")
    return 0


def run_approvals(args: argparse.Namespace, ctx: CommandContext) -> int:
    from hotpass_tui.text_blocks import print_table

    led = _open(ctx)
    found = led.approvals(args.subject_kind, args.subject, case_id=args.case_id)
    if _json_out(ctx, args):
        for e in found:
            _emit(e.to_dict())
        return 0
    print_table(ctx.console, ("#", "when (UTC)", "who", "decision", "kind", "subject", "case", "artefact sha256",
                              "comment"),
                [(e.seq, _when(e.at), e.who, e.payload.get("decision"), e.payload.get("subject_kind"),
                  e.payload.get("subject"), e.case_id, _short(e.payload.get("artefact_sha256")),
                  e.payload.get("comment")) for e in found],
                title=f"Approvals ({len(found)})", whole=_WHOLE | {"subject"}, heading=4)
    return 0


def run_step_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    from hotpass_tui.text_blocks import print_table

    led = _open(ctx)
    steps = led.next_steps(args.status, case_id=args.case_id)
    if _json_out(ctx, args):
        for s in steps:
            _emit(s.to_dict())
        return 0
    print_table(ctx.console, ("id", "status", "step", "owner", "due", "case", "opened", "done"),
                [(s.id, s.status, s.text, s.owner, s.due, s.case_id, f"{_when(s.opened_at)} {s.opened_by}",
                  f"{_when(s.done_at)} {s.done_by}" if s.done_at else "") for s in steps],
                title=f"Next steps — {args.status} ({len(steps)})", whole=_WHOLE, heading=2)
    return 0


def run_incidents(args: argparse.Namespace, ctx: CommandContext) -> int:
    if getattr(args, "incident_action", None) == "add":
        return run_incident_add(args, ctx)
    from hotpass_tui.text_blocks import print_table

    led = _open(ctx)
    found = led.incidents(case_id=args.case_id)
    if _json_out(ctx, args):
        for e in found:
            _emit(e.to_dict())
        return 0
    print_table(ctx.console, ("#", "when (UTC)", "ticket", "severity", "case", "summary", "who"),
                [(e.seq, _when(e.at), e.payload.get("ticket_id"), e.payload.get("severity"), e.case_id,
                  e.payload.get("summary"), e.who) for e in found],
                title=f"Incidents ({len(found)})", whole=_WHOLE | {"ticket"}, heading=4)
    return 0


def run_verify(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ledger.values import entries_text

    from core.errors import LedgerTampered
    from ledger import parse_anchor_arg

    anchors, reference = [], None
    for value in args.anchor:
        anchor, ref = parse_anchor_arg(value)
        anchors.append(anchor)
        reference = ref if ref is not None else reference
    led = _open(ctx)
    report = led.verify(anchor=anchors or None, reference=reference)
    if _json_out(ctx, args):
        _emit({"event": "result", "step": "ledger-verify", **report.to_dict()})
    elif report.ok:
        ctx.console.print(
            f"[green]✓ ledger verifies[/]: {entries_text(report.count)}, head {report.head_hash}\n"
            f"  checked: {', '.join(report.anchors_checked)}",
            soft_wrap=True,
        )
    else:
        from rich.text import Text

        from hotpass_tui.text_blocks import print_lines, terminal_width, wrap

        # Not a table: its box folded the ledger's path and each problem mid-word at 80 columns.
        ctx.console.print(Text(f"Ledger {led.path} does not verify:", style="bold red"), soft_wrap=True)
        width = terminal_width(ctx.console)
        print_lines(ctx.console, [line for problem in report.problems
                                  for line in wrap(problem, width, indent="    ", first="  ✗ ")])
    if not report.ok:
        more = f" (and {len(report.problems) - 1} more)" if len(report.problems) > 1 else ""
        raise LedgerTampered(
            f"ledger does not verify: {report.problems[0]}{more}",
            file=str(led.path),
            hint="keep the file as evidence; compare with the last export: hotpass ledger verify --anchor FILE",
        )
    return 0


# -- writes (each is an entry, and the runner records the run as well) ------------------------------


def run_decide(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.errors import InputNotFound
    from ledger import sha256_file

    sha = args.sha256
    if args.artefact is not None:
        if not args.artefact.is_file():
            raise InputNotFound("the artefact to approve does not exist", file=str(args.artefact),
                                hint="name the exact file you reviewed, or give --sha256")
        sha = sha256_file(args.artefact)
    led = _open(ctx)
    entry = led.record_approval(args.subject_kind, args.subject, sha, args.decision, comment=args.comment,
                                case_id=args.case_id)
    _recorded(ctx, entry, entry.summary())
    return 0


def run_step_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    led = _open(ctx)
    entry = led.add_next_step(args.text, owner=args.owner, due=args.due, case_id=args.case_id)
    _recorded(ctx, entry, f"next step {entry.subject} opened: {entry.payload['text']}")
    return 0


def run_step_done(args: argparse.Namespace, ctx: CommandContext) -> int:
    led = _open(ctx)
    entry = led.complete_next_step(args.step_id, comment=args.comment)
    _recorded(ctx, entry, f"next step {entry.subject} done")
    return 0


def run_incident_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    led = _open(ctx)
    entry = led.record_incident(args.ticket_id, args.summary, args.severity, case_id=args.case_id)
    _recorded(ctx, entry, entry.summary())
    return 0


def run_export(args: argparse.Namespace, ctx: CommandContext) -> int:
    from ledger.values import entries_text
    led = _open(ctx)
    files = led.export(args.out, allow_tampered=args.allow_tampered)
    count, head = led.head()
    open_steps = len(led.next_steps("open"))
    if ctx.batch:
        _emit({"event": "result", "step": "ledger-export", "files": [str(f) for f in files], "count": count,
               "head_hash": head, "open_next_steps": open_steps})
        return 0
    ctx.console.print(f"[green]Exported[/] the ledger ({entries_text(count)}, head {_short(head)}; {open_steps} open next steps):")
    for f in files:
        ctx.console.print(f"  {f}", markup=False, highlight=False, soft_wrap=True)
    return 0
