"""Step 2, Refine: the pipeline into a staging folder, then its outputs committed together.

Validation, lineage and the archive are parts of this step, so the command, the UI and `--batch`
get them without code of their own. The GX process is started first, so that its seconds of
importing overlap the reading of the workbooks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.results import RefineResult
from core.runbook.context import StepContext


@dataclass
class RefineOptions:
    validate: bool = True  # --no-validate turns it off (a deviation)
    archive: bool = False  # --archive: a zip of the outputs with SHA256SUMS


def planned_inputs(ctx: StepContext, options: RefineOptions | None) -> list[Path]:
    from core.ingest.discover import discover

    return discover(ctx.case.input_dir)[0] if ctx.case.input_dir.is_dir() else []


def run(ctx: StepContext, options: RefineOptions | None = None) -> RefineResult:
    options = options or RefineOptions()
    validator = _start_validator(ctx) if options.validate else None  # first: GX's import is the longest wait
    from core.lineage import Lineage

    network = ctx.workspace.network
    lineage = Lineage(ctx.case.output_dir / "lineage" / "events.jsonl", network.openlineage_namespace,
                      f"hotpass.refine.{ctx.profile_name}", ctx.run_id, network.openlineage_url,
                      min(network.timeout_s, 0.4))
    try:
        lineage.start([{"namespace": "file", "name": str(p)} for p in _planned(ctx)])
        result = _refine(ctx, options, validator)
    except BaseException as exc:
        lineage.fail(_failure_text(exc))
        _lineage_warnings(ctx, lineage)
        raise
    finally:
        if validator is not None:
            validator.close()
    from core.lineage import refine_inputs, refined_output

    lineage.complete(refine_inputs(result, ctx.case.input_dir), [refined_output(result)])
    _lineage_warnings(ctx, lineage)
    return result


def _refine(ctx: StepContext, options: RefineOptions, validator) -> RefineResult:
    from core.case_index import remember_output
    from core.runtime import collector_paused

    with collector_paused():  # pandas and the pipeline's modules load without cyclic collections
        from core.refine import refine

    ctx.workspace.ensure_sample(ctx.case)
    ctx.inputs.append(ctx.case.input_dir)  # replaced by the files read once they are known
    decisions = ctx.open_ledger().review_decisions(ctx.case.case_id)
    with ctx.staging() as staging:
        result = refine(ctx.case, ctx.profile, staging, run_id=ctx.run_id, decisions=decisions,
                        progress=ctx.progress, cancel=ctx.cancel, validator=validator)
        ctx.inputs[:] = [*result.inputs, *ctx.overlay_inputs()]
        _report_validation(ctx, result)
        if options.archive:
            _archive(ctx, result, staging)
        ctx.outputs.extend(staging.artefacts())  # the staged files' own hashes
        staging.commit()
    remember_output(ctx.workspace, ctx.case.case_id, ctx.case.output_path_override)
    return result


def _start_validator(ctx: StepContext):
    from core.validate.runner import ValidationWorker

    return ValidationWorker(ctx.workspace.logs_dir / f"validate-{ctx.run_id}.log",
                            template_cache=ctx.workspace.cache_dir / "data-docs-templates")


def _planned(ctx: StepContext) -> list[Path]:
    try:
        return planned_inputs(ctx, None)
    except Exception:  # noqa: BLE001 - an unreadable folder fails the run itself, with its own error
        return []


def _report_validation(ctx: StepContext, result: RefineResult) -> None:
    report = result.validation
    if report is None or report.skipped:
        ctx.deviate("validation skipped (--no-validate): no expectation was checked on this run's inputs or output")
        return
    for outcome in report.warnings:
        ctx.warn(f"expectation {outcome.expectation} on {outcome.target} › {outcome.column or 'table'}: "
                 f"{outcome.observed}")


def _archive(ctx: StepContext, result: RefineResult, staging) -> None:
    from core.archive import member_name, write_archive

    files = [(member_name(f, ctx.case.output_dir, ctx.case.dist_root), staging.path_for(f))
             for f in dict.fromkeys(Path(p) for p in result.outputs)]
    files = [(name, staged) for name, staged in files if staged.exists()]
    result.archive_path = write_archive(files, ctx.case.output_dir, place=staging.path_for)
    result.outputs.append(result.archive_path)


def _failure_text(exc: BaseException) -> str:
    """The error message for the FAIL event. A bug's own text may quote a value from a workbook, and
    lineage goes to others: it is named by its type only (its traceback is in the run's log)."""
    from core.errors import HotpassError

    if isinstance(exc, HotpassError):
        return exc.message
    if isinstance(exc, KeyboardInterrupt):
        return "refine was interrupted"
    return f"internal error ({type(exc).__name__})"


def _lineage_warnings(ctx: StepContext, lineage) -> None:
    for problem in lineage.finish():
        ctx.warn(problem)
