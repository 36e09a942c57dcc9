"""The six gates, each on the case's latest outputs. A gate returns what it checked and what failed,
one line per failure, naming columns, rows, files and ledger entries, never a cell's value."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import HotpassError
from core.qa.result import FAIL, NO_OUTPUT, PASS, GateResult

if TYPE_CHECKING:
    from core.runbook.context import StepContext

NO_REFINE = "no output yet: run refine"
FAILURES_SHOWN = 8


@dataclass
class GateInputs:
    """What the gates share: the step context, the face's parser, and a validation worker started early."""

    ctx: "StepContext"
    parser_factory: Callable[[], Any] | None = None
    extra_runbook_text: list[tuple[str, str]] = field(default_factory=list)
    validator: Any = None  # core.validate.runner.ValidationWorker, started before the other gates run

    @property
    def refined(self) -> Path:
        return self.ctx.case.refined_path

    @property
    def enriched(self) -> Path:
        return self.ctx.case.output_dir / "enriched.xlsx"


def _result(target: str, checked: str, failed: list[str]) -> GateResult:
    shown = failed[:FAILURES_SHOWN]
    if len(failed) > len(shown):
        shown.append(f"… and {len(failed) - len(shown)} more")
    return GateResult(target, FAIL if failed else PASS, checked, shown)


def gate_cli(inputs: GateInputs) -> GateResult:
    from core.profiles import list_profiles, lint_profiles
    from core.qa.commands import help_failures

    if inputs.parser_factory is None:
        return GateResult("cli", FAIL, "nothing: no command parser was handed to the gate", ["a bug in the face"])
    count, failures = help_failures(inputs.parser_factory())
    search = inputs.ctx.profile_search_path
    profiles = list_profiles(search)
    failures += [f"profile lint: {error.one_line()}" for error in lint_profiles(search)]
    return _result("cli", f"{count} commands' --help, {len(profiles)} profiles linted", failures)


def gate_docs(inputs: GateInputs) -> GateResult:
    from core.qa.commands import README, docs_failures, readme_commands, runbook_commands

    if inputs.parser_factory is None:
        return GateResult("docs", FAIL, "nothing: no command parser was handed to the gate", ["a bug in the face"])
    documented = (readme_commands() if README.is_file() else []) + runbook_commands(inputs.extra_runbook_text)
    failures = docs_failures(inputs.parser_factory(), documented)
    where = "README.md and the runbook text" if README.is_file() else "the runbook text (no README.md here)"
    return _result("docs", f"{len(documented)} hotpass command lines in {where}", failures)


def gate_ledger(inputs: GateInputs) -> GateResult:
    try:
        report = inputs.ctx.open_ledger().verify()
    except HotpassError as exc:
        return GateResult("ledger", FAIL, "the ledger file", [exc.one_line()])
    return _result("ledger", f"hash chain of {report.count:,} entries, {len(report.anchors_checked)} anchors",
                   list(report.problems))


def gate_enrichment(inputs: GateInputs) -> GateResult:
    from core.contracts.workbook import is_empty, read_data_sheet
    from core.enrich.writer import PROVENANCE_COLUMNS

    if not inputs.refined.is_file():
        return GateResult("enrichment", NO_OUTPUT, NO_REFINE)
    if not inputs.enriched.is_file():
        return GateResult("enrichment", NO_OUTPUT, "no output yet: run enrich")
    inputs.ctx.inputs.append(inputs.enriched)
    try:
        sheet = read_data_sheet(inputs.enriched)
    except HotpassError as exc:
        return GateResult("enrichment", FAIL, "enriched.xlsx", [exc.one_line()])
    failures = [f"column {c} missing from enriched.xlsx › Data" for c in PROVENANCE_COLUMNS if c not in sheet.header]
    for column in (c for c in PROVENANCE_COLUMNS if c in sheet.header):
        blank = [i + 2 for i, v in enumerate(sheet.column(column)) if is_empty(v)]
        if blank:
            failures.append(f"{column}: {len(blank):,} rows empty (rows {', '.join(map(str, blank[:5]))})")
    return _result("enrichment", f"{len(PROVENANCE_COLUMNS)} provenance columns on {len(sheet.rows):,} rows",
                   failures)


def gate_contracts(inputs: GateInputs) -> GateResult:
    from core.contracts.check import check_workbook
    from core.contracts.emit import build_contract, contract_path
    from core.contracts.load import parse_contract

    if not inputs.refined.is_file():
        return GateResult("contracts", NO_OUTPUT, NO_REFINE)
    ctx = inputs.ctx
    emitted = contract_path(ctx.case, ctx.profile_name)
    try:
        if emitted.is_file():
            contract, which = parse_contract(emitted), f"contracts/{emitted.name}"
            ctx.inputs.append(emitted)
        else:
            contract, which = build_contract(ctx.profile), f"the {ctx.profile_name} profile's contract (not emitted)"
    except HotpassError as exc:
        return GateResult("contracts", FAIL, str(emitted.name), [exc.one_line()])
    failures, checked = [], []
    for workbook in (inputs.refined, inputs.enriched):
        if not workbook.is_file():
            continue
        ctx.inputs.append(workbook)
        try:
            report = check_workbook(contract, workbook)
        except HotpassError as exc:
            failures.append(exc.one_line())
            continue
        checked.append(f"{workbook.name} ({report.rows:,} rows)")
        failures += [f"{workbook.name}: {f.rule}: {f.line()}" for f in report.failures]
    return _result("contracts", f"{' and '.join(checked) or 'no workbook'} against {which}", failures)


def start_validator(inputs: GateInputs, force: bool = False) -> None:
    """GX takes seconds to import: its process starts before the other gates, as refine does, unless
    refine's own verdict on these bytes will do."""
    profile = inputs.ctx.profile
    if inputs.refined.is_file() and profile.expectations.refined:
        from core.validate.runner import ValidationWorker
        from core.validate.suites import refined_plan

        if not force and refine_verdict(inputs, refined_plan(profile)) is not None:
            return

        inputs.validator = ValidationWorker(inputs.ctx.workspace.logs_dir / f"qa-validate-{inputs.ctx.run_id}.log")


def gate_data_quality(inputs: GateInputs) -> GateResult:
    """The refined Data against the profile's refined expectations, through refine's own validation."""
    if not inputs.refined.is_file():
        return GateResult("data-quality", NO_OUTPUT, NO_REFINE)
    profile = inputs.ctx.profile
    if not profile.expectations.refined:
        return GateResult("data-quality", PASS, f"nothing: profile {profile.name} has no refined expectations")
    from core.validate.suites import refined_plan

    inputs.ctx.inputs.append(inputs.refined)
    plan = refined_plan(profile)
    outcomes = refine_verdict(inputs, plan)
    if outcomes is not None:
        rows = max((o.element_count for o in outcomes), default=0)
        source = "refine's verdict on these exact bytes"
    else:
        try:
            outcomes, rows = _validate_now(inputs, plan)
        except HotpassError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged workbook fails the gate, with the file named
            return GateResult("data-quality", FAIL, "refined.xlsx › Data", [f"unreadable: {type(exc).__name__}"])
        source = "validated now"
    failures = [f"{o.column or 'table'}: {o.expectation} ({o.severity}): {o.observed}" +
                (f" (rows {', '.join(str(r) for r, _ in o.failing_values[:5])})" if o.failing_values else "")
                for o in outcomes if not o.success and o.blocking]
    warnings = sum(1 for o in outcomes if not o.success and not o.blocking)
    checked = f"{len(outcomes)} expectations on refined.xlsx › Data ({rows:,} rows, {source})"
    if warnings:
        checked += f", {warnings} warnings"
    return _result("data-quality", checked, failures)


def _validate_now(inputs: GateInputs, plan) -> tuple[list, int]:
    import tempfile

    import pandas as pd

    from core.validate.frames import refined_frame
    from core.validate.stage import _outcomes

    data = pd.read_excel(inputs.refined, sheet_name="Data", engine="calamine", dtype=object)
    if "data_quality_score" in data:
        data["data_quality_score"] = pd.to_numeric(data["data_quality_score"], errors="coerce")
    if inputs.validator is None:
        start_validator(inputs, force=True)
    with tempfile.TemporaryDirectory(prefix="hotpass-qa-docs-") as docs:
        response = inputs.validator.validate({"suites": [plan.gx_json()],
                                              "frames": {plan.name: refined_frame(data, plan)},
                                              "docs_dir": docs, "run_name": inputs.ctx.run_id,
                                              "data_docs": False}, inputs.ctx.cancel)
    return _outcomes([plan], response), len(data)


def refine_verdict(inputs: GateInputs, plan) -> list | None:
    """The latest refine's own verdict on the refined suite, when it still applies: that run is the
    case's latest refine, it ended ok, the workbook and the validation results have exactly the bytes
    it wrote (the ledger has their hashes), and the profile asks for the same expectations. Then GX
    would only say again what refine said; anything else, and the gate validates the workbook now."""
    import json

    from core.staging import sha256_of
    from core.validate.results import REFINED_SUITE, ExpectationOutcome
    from core.validate.stage import reports_of

    ctx = inputs.ctx
    paths = reports_of(ctx.case)
    if not (paths["results"].is_file() and paths["suites"].is_file()):
        return None
    refine = next((e for e in ctx.open_ledger().entries(kind="run", case_id=ctx.case.case_id, limit=200)
                   if e.payload.get("step") == "refine"), None)
    if refine is None or refine.payload.get("status") != "ok":
        return None
    written = {str(o.get("path")): o.get("sha256") for o in refine.payload.get("outputs") or []}
    for path in (inputs.refined, paths["results"]):
        if written.get(str(path)) != sha256_of(path):
            return None
    try:
        suites = json.loads(paths["suites"].read_text(encoding="utf-8"))
        results = json.loads(paths["results"].read_text(encoding="utf-8"))
        same = next(x for x in suites if x.get("name") == REFINED_SUITE)["expectations"] == json.loads(
            json.dumps(plan.gx_json()["expectations"]))
        if not same:
            return None
        return [ExpectationOutcome(
            suite=item["suite"], target=item["target"], file=item["file"], sheet=item["sheet"],
            expectation=item["expectation"], column=item["column"], blocking=item["severity"] == "blocking",
            success=bool(item["success"]), observed=item["observed"], why=item.get("why", ""),
            element_count=int(item.get("element_count") or 0), unexpected_count=int(item.get("unexpected_count") or 0),
            error=item.get("error", "")) for item in results["summary"]["expectations"] if item["suite"] == REFINED_SUITE]
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return None


GATES: dict[str, Callable[[GateInputs], GateResult]] = {
    "cli": gate_cli, "data-quality": gate_data_quality, "contracts": gate_contracts,
    "enrichment": gate_enrichment, "ledger": gate_ledger, "docs": gate_docs,
}


def run_gate(target: str, inputs: GateInputs) -> GateResult:
    started = time.perf_counter()
    try:
        result = GATES[target](inputs)
    except HotpassError as exc:
        if exc.exit_code == 130:
            raise
        result = GateResult(target, FAIL, "could not run", [exc.one_line()])
    result.seconds = time.perf_counter() - started
    return result
