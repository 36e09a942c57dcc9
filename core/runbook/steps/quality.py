"""Step 6, Quality gates: run the gates on the case's latest outputs, settle waivers, write the table.

The table goes to dist/<case>/reports/qa-report.json (the hand-off bundles it). When a gate fails
and no waiver covers it, the step raises ExpectationFailed (exit 11) carrying the report, so that
every face still shows the whole table.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.qa import TARGETS
from core.qa.result import FAIL, QaReport, WAIVED
from core.runbook.context import StepContext


@dataclass
class QualityOptions:
    targets: tuple[str, ...] = TARGETS
    # The face's argument parser, for the cli and docs gates; None: the command face's (hotpass_tui.cli).
    parser_factory: Callable[[], Any] | None = None
    extra_runbook_text: list[tuple[str, str]] = field(default_factory=list)


def report_path(ctx: StepContext):
    return ctx.case.reports_dir / "qa-report.json"


def _default_parser_factory() -> Callable[[], Any]:
    # The cli gate is about the command face itself; imported by name so that core never depends on it.
    import importlib

    return importlib.import_module("hotpass_tui.cli").build_parser


def run(ctx: StepContext, options: QualityOptions | None = None) -> QaReport:
    import time

    from core.errors import Cancelled, ExpectationFailed, UsageError
    from core.qa.gates import GateInputs, run_gate, start_validator
    from core.qa.waivers import waiver_for

    options = options or QualityOptions()
    unknown = [t for t in options.targets if t not in TARGETS]
    if unknown:
        raise UsageError(f"there is no quality gate {unknown[0]!r}", key=unknown[0], hint="gates: " + ", ".join(TARGETS))
    started = time.perf_counter()
    reporter = ctx.reporter("quality", TARGETS)
    inputs = GateInputs(ctx, options.parser_factory or _default_parser_factory(), list(options.extra_runbook_text))
    if "data-quality" in options.targets:
        start_validator(inputs)
    report = QaReport(ctx.case.case_id, ctx.profile_name)
    ledger = ctx.open_ledger()
    try:
        # data-quality last: its GX process imports while the other gates run; the table keeps TARGETS' order
        for target in sorted((t for t in TARGETS if t in options.targets), key=lambda t: t == "data-quality"):
            if ctx.cancel.is_set():
                raise Cancelled("quality gates cancelled", hint="no report was written")
            reporter.stage(target, 1)
            gate = run_gate(target, inputs)
            if gate.status == FAIL and target != "ledger":  # a waiver lives in the ledger: never waive its own check
                gate.waiver = waiver_for(ledger, target, ctx.case.case_id)
                source = "ledger"
                if gate.waiver is None and ({"waiver", "all"} & ctx.granted):
                    _grant_waiver(ctx, ledger, target)  # --approve waiver in batch: recorded, so it shows
                    gate.waiver, source = waiver_for(ledger, target, ctx.case.case_id), "flag"
                if gate.waiver is not None:
                    gate.status = WAIVED
                    ctx.approvals_used.append({"kind": "waiver", "subject": gate.waiver.subject, "sha256": None,
                                               "source": source, "seq": gate.waiver.seq, "by": gate.waiver.who})
                    ctx.deviate(f"quality gate {target} failed and was waived: {gate.waiver.line()}")
            report.gates.append(gate)
            reporter.advance(1, 1)
    finally:
        if inputs.validator is not None:
            inputs.validator.close()
    report.gates.sort(key=lambda g: TARGETS.index(g.target))
    report.seconds = time.perf_counter() - started
    report.report_path = report_path(ctx)
    with ctx.staging() as staging:
        staging.path_for(report.report_path).write_text(json.dumps(report.public(), indent=2), encoding="utf-8")
        ctx.outputs.extend(staging.artefacts())
        staging.commit()
    if not report.ok:
        first = report.failing[0]
        error = ExpectationFailed(f"quality gate {first.target} {first.status}: "
                                  f"{first.failed[0] if first.failed else first.checked}",
                                  key=first.target, details=[f"{g.target}: {g.status}" for g in report.failing],
                                  hint=f"fix it, or record a waiver: hotpass ledger approve waiver "
                                       f"{ctx.case.case_id}/{first.target} --case {ctx.case.case_id} -m WHY")
        error.qa_report = report  # the faces print the table before the error
        raise error
    return report


def _grant_waiver(ctx: StepContext, ledger, target: str) -> None:
    from core.qa.waivers import waiver_subject

    ledger.record_approval("waiver", waiver_subject(ctx.case.case_id, target), None, "approve", who=ctx.actor.user,
                           comment=f"granted by --approve in a {ctx.actor.face} run on {ctx.actor.host}",
                           case_id=ctx.case.case_id)
