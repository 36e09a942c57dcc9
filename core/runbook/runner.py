"""Run one step: approvals, the work, the record. Every face calls `run_step`."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from pathlib import Path
from typing import Any

from core.errors import Cancelled, HotpassError, InternalError
from core.runbook.approvals import settle_approvals
from core.runbook.context import StepContext
from core.runbook.record import record_step
from core.runbook.registry import step as step_spec
from core.runbook.result import StepResult, status_of
from core.staging import Artefact, artefact, settle


def run_step(step_id: str, ctx: StepContext, options: Any = None) -> StepResult:
    """Never raises for an operator's mistake or a bug: the result carries the error, and is recorded."""
    spec = step_spec(step_id)
    module = spec.implementation()
    payload, error, log_path = None, None, None
    try:
        settle(ctx.case.runs_dir)  # what a killed run of this case left behind
        needs = module.needed_approvals(ctx, options) if hasattr(module, "needed_approvals") else []
        ctx.approvals_used.extend(settle_approvals(ctx, needs))
        payload = module.run(ctx, options)
    except HotpassError as exc:
        error = exc
    except KeyboardInterrupt:
        error = Cancelled(f"{spec.id} was interrupted", hint="nothing was written")
    except Exception as exc:  # a bug, not the operator's doing: its traceback goes to a log, not their screen
        log_path = write_crash_log(ctx.workspace.logs_dir, spec.id)
        error = internal_error(spec.id, log_path, exc)
    status, code = status_of(error)
    result = StepResult(
        step=spec.id, case_id=ctx.case.case_id, run_id=ctx.run_id, status=status, exit_code=code,
        started_at=ctx.started_at, ended_at=dt.datetime.now(dt.timezone.utc),
        inputs=[_as_artefact(p) for p in ctx.inputs], outputs=list(ctx.outputs),
        warnings=list(ctx.warnings), deviations=list(ctx.deviations), approvals=list(ctx.approvals_used),
        timings=dict(getattr(payload, "timings", {}) or {}), error=error,
        log_path=str(log_path) if log_path else None, payload=payload)
    record_step(ctx, spec, result)
    return result


def internal_error(what: str, log_path: Path | None, exc: BaseException) -> InternalError:
    """Names the exception's type only: its message may quote a value or a secret."""
    hint = f"The traceback is in {log_path}." if log_path else "No log could be written; run it again from a shell."
    return InternalError(f"An internal error ({type(exc).__name__}) stopped {what}. This is a bug, not your data.",
                         hint=hint)


def _as_artefact(item: Artefact | Path) -> Artefact:
    return item if isinstance(item, Artefact) else artefact(Path(item))


def write_crash_log(folder: Path, what: str) -> Path | None:
    """The traceback of the exception being handled, in the workspace's logs (else the temp folder).

    Called inside an error handler, so it never raises: a log that cannot be written is None.
    """
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    text = traceback.format_exc()
    for base in (folder, Path(tempfile.gettempdir())):
        try:
            base.mkdir(parents=True, exist_ok=True)
            path = base / f"crash-{what}-{stamp}-{os.getpid()}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None
