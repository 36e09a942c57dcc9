"""`hotpass qa all` and each gate on its own: step 6, the quality gates (SPEC §7)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hotpass_tui.commands.base import CommandContext

TARGETS = ("cli", "data-quality", "contracts", "enrichment", "ledger", "docs")  # core.qa.TARGETS, kept light
WHAT = {"all": "every gate below, in order", "cli": "every command's --help works and the profiles lint",
        "data-quality": "the latest refined workbook against the profile's expectations",
        "contracts": "the refined and enriched workbooks against the emitted contract",
        "enrichment": "every provenance column present in enriched.xlsx",
        "ledger": "the ledger's hash chain verifies",
        "docs": "every hotpass command the README and the runbook name exists with its flags"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("qa", help="quality gates: all, cli, data-quality, contracts, enrichment, ledger, docs",
                            description="Run the quality gates on a case's latest outputs; exit 0 only if all pass "
                                        "(11 when a gate fails and no waiver covers it).")
    targets = parser.add_subparsers(dest="qa_target", metavar="all|" + "|".join(TARGETS), required=True)
    for name in ("all", *TARGETS):
        target = targets.add_parser(name, help=WHAT[name], description=f"Quality gate: {WHAT[name]}.")
        target.add_argument("--case", dest="case_id", help="case id: its outputs under dist/<case>/ (default: sample)")
        target.add_argument("--profile", help="profile (default: the one the case's latest refine used)")
        target.add_argument("--profile-search-path", type=Path, action="append", default=[], metavar="DIR",
                            help="folder searched for profiles before the bundled ones (repeatable)")
        target.add_argument("--json", action="store_true", help="print the table as JSON")
        target.set_defaults(handler=run, qa_targets=TARGETS if name == "all" else (name,))


def case_profile(case) -> str | None:
    """The profile the case's latest refine used, from its report."""
    try:
        report = json.loads((case.reports_dir / "refine-report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    profile = report.get("profile") if isinstance(report, dict) else None
    return profile if isinstance(profile, str) and profile else None


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.runbook.runner import run_step
    from core.runbook.steps.quality import QualityOptions
    from hotpass_tui.cli import build_parser

    if not args.profile:
        args.profile = case_profile(ctx.workspace.case(args.case_id)) or "generic"
    result = run_step("quality", ctx.step_context(args), QualityOptions(tuple(args.qa_targets), build_parser))
    report = result.payload if result.payload is not None else getattr(result.error, "qa_report", None)
    if report is not None:
        if args.json:
            ctx.console.print_json(json.dumps(report.public()))
        else:
            print_table(ctx, report)
    if result.error is not None and report is not None and not args.json:
        from hotpass_tui.command_wrapper import report_error

        report_error(result.error, ctx.errors, ctx.batch)
        return int(result.exit_code)
    if report is not None and args.json:
        return int(result.exit_code)
    return ctx.finish(result)


STATUS_STYLE = {"pass": "[green]pass[/]  ", "fail": "[red]FAIL[/]  ", "waived": "[yellow]waived[/]",
                "no output": "[yellow]none[/]  "}


def print_table(ctx: CommandContext, report) -> None:
    """One block per gate: status, target and what was checked on a line, then each failure below it.
    Long lines wrap between words; a path or id is never cut (the terminal may run it on)."""
    from hotpass_tui.text_blocks import wrap

    out = ctx.console
    width = max(60, min(out.width or 80, 120))
    out.print(f"[bold]Quality gates[/] · case {report.case_id} · profile {report.profile}", highlight=False)
    for gate in report.gates:
        head = f"{gate.target:<13} "
        lines = wrap(gate.checked, width - 8, indent=" " * (len(head) + 8), first=head)
        out.print(STATUS_STYLE.get(gate.status, gate.status) + "  ", end="")
        out.print(lines[0], markup=False, highlight=False, soft_wrap=True)
        for line in lines[1:]:
            out.print(line, markup=False, highlight=False, soft_wrap=True)
        for failure in gate.failed:
            for line in wrap(failure, width, indent=" " * 12, first=" " * 10 + "✗ "):
                out.print(line, markup=False, highlight=False, soft_wrap=True)
        if gate.waiver is not None:
            for line in wrap(gate.waiver.line(), width, indent=" " * 12, first=" " * 10 + "↳ "):
                out.print(line, markup=False, highlight=False, soft_wrap=True)
    passed = sum(g.status == "pass" for g in report.gates)
    waived = sum(g.status == "waived" for g in report.gates)
    verdict = "[green]all pass[/]" if report.ok else f"[red]{len(report.failing)} failing[/]"
    out.print(f"{verdict}: {passed} pass, {waived} waived, of {len(report.gates)} · {report.seconds:.1f} s",
              highlight=False)
    if report.report_path:
        out.print("Report (JSON):")
        out.print(f"  {report.report_path}", markup=False, highlight=False, soft_wrap=True)
