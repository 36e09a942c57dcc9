"""`hotpass contracts emit|check|diff`: step 4, the data contract of the refined dataset."""

from __future__ import annotations

import argparse
from pathlib import Path

from hotpass_tui.commands.base import CommandContext, add_profile_options


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("contracts", help="emit, check and diff the data contract (ODCS v3.1.0)",
                            description="The Open Data Contract of a profile's refined dataset.")
    actions = parser.add_subparsers(dest="contracts_action", metavar="emit|check|diff", required=True)
    emit = actions.add_parser("emit", help="write the contract: dist/<case>/contracts/<profile>.yaml",
                              description="Write the data contract for a profile; the same profile gives the same "
                                          "bytes, so its SHA-256 names it in an approval.")
    add_profile_options(emit)
    emit.add_argument("--case", dest="case_id", help="case id: writes dist/<case>/contracts/ (default: sample)")
    emit.add_argument("--format", choices=["yaml", "json", "jsonschema"], default="yaml",
                      help="ODCS YAML or JSON, or a JSON Schema (draft 2020-12) of one refined row (default: yaml)")
    emit.add_argument("--output", type=Path, metavar="FILE",
                      help="where to write (default: dist/<case>/contracts/<profile>.yaml)")
    emit.set_defaults(handler=run_emit)
    check = actions.add_parser("check", help="check a refined or enriched workbook against a contract (exit 11)",
                               description="Columns, types, required and unique cells and the quality rules of a "
                                           "contract, held to the workbook's Data sheet.")
    check.add_argument("--contract", type=Path, required=True, metavar="FILE", help="an ODCS contract (YAML or JSON)")
    check.add_argument("workbook", type=Path, metavar="WORKBOOK", help="refined.xlsx or enriched.xlsx")
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    check.set_defaults(handler=run_check)
    diff = actions.add_parser("diff", help="what changed between two contracts, breaking or not",
                              description="Each change classed breaking (a column removed or renamed, a type "
                                          "narrowed, made required, a rule tightened) or not.")
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.add_argument("--fail-on-breaking", action="store_true", help="exit 11 when a change is breaking")
    diff.add_argument("--json", action="store_true", help="print the changes as JSON")
    diff.set_defaults(handler=run_diff)


def run_emit(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.runbook.runner import run_step
    from core.runbook.steps.contracts import ContractsOptions

    result = run_step("contracts", ctx.step_context(args), ContractsOptions(args.format, args.output))
    return ctx.finish(result, _show_emit)


def _show_emit(ctx: CommandContext, result) -> None:
    payload, out = result.payload, ctx.console
    label = {"yaml": "Contract (ODCS v3.1.0, YAML)", "json": "Contract (ODCS v3.1.0, JSON)",
             "jsonschema": "JSON Schema of one refined row"}[payload.format]
    out.print(f"[bold]{label}[/]")
    out.print(str(payload.path), markup=False, highlight=False, soft_wrap=True)
    out.print(f"SHA-256 {payload.sha256}", highlight=False, soft_wrap=True)
    out.print(f"{payload.columns} columns, {payload.rules} quality rules, {len(payload.personal_columns)} "
              "personal-data columns", highlight=False)
    if payload.unchanged:
        out.print("Same bytes as the file already there.")
    if payload.format != "jsonschema":
        if payload.approved:
            out.print("[green]Approved[/] in the ledger (these exact bytes).")
        else:
            out.print("Not approved yet. Review it, then:")
            out.print(f"  hotpass ledger approve contract {result.case_id}/{payload.profile} "
                      f"--artefact {payload.path} --case {result.case_id}", markup=False, highlight=False,
                      soft_wrap=True)


def run_check(args: argparse.Namespace, ctx: CommandContext) -> int:
    import json

    from core.contracts.check import check_workbook
    from core.contracts.load import parse_contract

    contract = parse_contract(args.contract)
    report = check_workbook(contract, args.workbook)
    if args.json:
        ctx.console.print_json(json.dumps(report.public()))
    else:
        _show_check(ctx, report)
    if not report.ok:
        from core.errors import ExpectationFailed

        first = report.failures[0]
        raise ExpectationFailed(f"the workbook breaks the contract: {len(report.failures)} failures, first "
                                f"{first.line()}", file=str(args.workbook), sheet="Data", key=first.column,
                                hint="correct the workbook or refine again; a changed contract needs a new approval")
    return 0


def _show_check(ctx: CommandContext, report) -> None:
    out = ctx.console
    verdict = "[green]passes[/]" if report.ok else "[red]fails[/]"
    out.print(f"Contract {report.contract_id} {report.contract_version} {verdict}", highlight=False)
    out.print(str(report.workbook), markup=False, highlight=False, soft_wrap=True)
    out.print(f"Checked {report.checked()}", highlight=False)
    if report.allowed_extra:
        out.print(f"Provenance columns (enriched): {len(report.allowed_extra)}", highlight=False)
    for failure in report.failures:
        out.print("[red]FAIL[/] ", end="")
        out.print(f"{failure.rule}: {failure.line()}", markup=False, highlight=False, soft_wrap=True)
    for warning in report.warnings:
        out.print("[yellow]warn[/] ", end="")
        out.print(f"{warning.rule}: {warning.line()}", markup=False, highlight=False, soft_wrap=True)


def run_diff(args: argparse.Namespace, ctx: CommandContext) -> int:
    import json

    from core.contracts.diff import breaking, diff_contracts
    from core.contracts.load import parse_contract

    changes = diff_contracts(parse_contract(args.old), parse_contract(args.new))
    broken = breaking(changes)
    if args.json:
        ctx.console.print_json(json.dumps({"changes": [c.public() for c in changes], "breaking": len(broken)}))
    else:
        out = ctx.console
        out.print(f"{len(changes)} changes, {len(broken)} breaking", highlight=False)
        for change in changes:
            tag = "[red]breaking[/]" if change.breaking else "[green]ok[/]      "
            out.print(f"{tag} ", end="")
            where = f"{change.column}: " if change.column else ""
            out.print(f"{change.kind}: {where}{change.detail}", markup=False, highlight=False, soft_wrap=True)
    if broken and args.fail_on_breaking:
        from core.errors import ExpectationFailed

        raise ExpectationFailed(f"{len(broken)} breaking changes, first {broken[0].kind} "
                                f"{broken[0].column}".rstrip(), file=str(args.new), key=broken[0].column or None,
                                hint="tell the downstream team before the next delivery, or keep the old contract")
    return 0
