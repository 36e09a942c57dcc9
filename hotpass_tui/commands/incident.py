"""`hotpass incident open|list|show|close`: the evidence of a case copied under dist/incidents/<ticket>/."""

from __future__ import annotations

import argparse
import json

from hotpass_tui.commands.base import CommandContext


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("incident", help="open, list, show and close incidents with their evidence",
                            description="An incident copies the case's latest outputs, reports, notices, lineage "
                                        "events and a ledger excerpt to dist/incidents/<ticket-id>/ with SHA256SUMS.")
    actions = parser.add_subparsers(dest="incident_action", metavar="open|list|show|close", required=True)
    opened = actions.add_parser("open", help="file an incident and copy the case's evidence")
    opened.add_argument("ticket_id", metavar="TICKET", help="the ticket id, e.g. INC-1042 (names the folder)")
    opened.add_argument("--summary", required=True, help="what went wrong, in a line")
    opened.add_argument("--severity", choices=["low", "medium", "high"], default="medium")
    opened.add_argument("--case", dest="case_id", help="case id (default: sample)")
    opened.set_defaults(handler=run_open)
    listed = actions.add_parser("list", help="incidents and their state")
    listed.add_argument("--status", choices=["open", "closed", "all"], default="all")
    listed.add_argument("--case", dest="case_id")
    listed.add_argument("--json", action="store_true")
    listed.set_defaults(handler=run_list)
    show = actions.add_parser("show", help="one incident: its state, folder and whether its sums verify")
    show.add_argument("ticket_id", metavar="TICKET")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=run_show)
    close = actions.add_parser("close", help="close an incident (a new ledger entry; nothing is edited)")
    close.add_argument("ticket_id", metavar="TICKET")
    close.add_argument("--comment", required=True, help="how it was resolved")
    close.set_defaults(handler=run_close)


def run_open(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.qa.incidents import check_ticket, open_incident
    from core.runbook.context import Actor

    check_ticket(args.ticket_id)
    case = ctx.workspace.case(args.case_id)
    bundle = open_incident(case, ctx.workspace.open_ledger(), args.ticket_id, args.summary, args.severity,
                           who=Actor("cli").user)
    out = ctx.console
    out.print(f"[bold]Incident {bundle.ticket_id}[/] filed (ledger #{bundle.entry_seq}), severity {args.severity}",
              highlight=False)
    out.print(str(bundle.folder), markup=False, highlight=False, soft_wrap=True)
    out.print(f"{len(bundle.files)} files, checksums in SHA256SUMS", highlight=False)
    for name in bundle.missing:
        out.print(f"  not there yet: {name}", markup=False, highlight=False)
    return 0


def _state(ctx: CommandContext, ticket_id: str):
    from core.errors import UsageError

    found = [i for i in ctx.workspace.open_ledger().incident_states() if i.ticket_id == ticket_id]
    if not found:
        raise UsageError(f"there is no incident {ticket_id}", key=ticket_id, hint="see: hotpass incident list")
    return found[-1]


def run_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    incidents = ctx.workspace.open_ledger().incident_states(args.status, args.case_id)
    if args.json:
        ctx.console.print_json(json.dumps([i.to_dict() for i in incidents]))
        return 0
    if not incidents:
        ctx.console.print("No incidents.")
    for incident in incidents:
        ctx.console.print(f"{incident.ticket_id}  {incident.status}  {incident.severity}  case "
                          f"{incident.case_id or '-'}  {incident.opened_at[:16]}", markup=False, highlight=False)
        ctx.console.print(f"  {incident.summary}", markup=False, highlight=False, soft_wrap=True)
    return 0


def run_show(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.qa.incidents import check_ticket, incident_folder, verify_sums

    check_ticket(args.ticket_id)
    incident = _state(ctx, args.ticket_id)
    case = ctx.workspace.case(incident.case_id)
    folder = incident_folder(case, args.ticket_id)
    problems = verify_sums(folder) if folder.is_dir() else ["folder missing"]
    if args.json:
        ctx.console.print_json(json.dumps({**incident.to_dict(), "folder": str(folder), "sums_ok": not problems,
                                           "problems": problems}))
        return 0
    out = ctx.console
    out.print(f"[bold]Incident {incident.ticket_id}[/] {incident.status}, severity {incident.severity}", highlight=False)
    out.print(f"  {incident.summary}", markup=False, highlight=False, soft_wrap=True)
    out.print(f"  case {incident.case_id or '-'}, filed {incident.opened_at[:16]} by {incident.opened_by}",
              markup=False, highlight=False)
    if incident.status == "closed":
        out.print(f"  closed {str(incident.closed_at)[:16]} by {incident.closed_by}: {incident.comment}",
                  markup=False, highlight=False, soft_wrap=True)
    out.print(f"  {folder}", markup=False, highlight=False, soft_wrap=True)
    out.print("  SHA256SUMS verify" if not problems else f"  [red]SHA256SUMS do not verify[/]: {len(problems)}")
    for problem in problems:
        out.print(f"    {problem}", markup=False, highlight=False)
    return 0


def run_close(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.runbook.context import Actor

    entry = ctx.workspace.open_ledger().record_incident_closed(args.ticket_id, args.comment, who=Actor("cli").user)
    ctx.console.print(f"Incident {args.ticket_id} closed (ledger #{entry.seq})", markup=False, highlight=False)
    return 0
