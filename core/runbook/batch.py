"""`hotpass --batch`: the runbook's steps in order, headless, as JSON-line events.

Each step runs through `run_step`, as from the UI and the commands. A step whose inputs (SHA-256)
and settings are what its last good run of the case saw, and whose outputs are still as it left
them, is not run again: a rerun after a failure resumes from the failed step, and says so.
The events are documented by `events.schema.json` beside this file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from core.errors import ExitCode, UsageError
from core.runbook.context import StepContext
from core.runbook.registry import StepSpec, batch_steps, step
from core.runbook.result import StepResult
from core.staging import artefact

Emit = Callable[[dict[str, Any]], None]
SCHEMA_PATH = Path(__file__).with_name("events.schema.json")


@dataclass
class BatchPlan:
    steps: list[str] = field(default_factory=lambda: [s.id for s in batch_steps()])
    resume: bool = True

    @classmethod
    def parse(cls, text: str | None, resume: bool = True) -> BatchPlan:
        if not text:
            return cls(resume=resume)
        wanted = [part.strip() for part in text.split(",") if part.strip()]
        known = [s.id for s in batch_steps()]
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise UsageError(f"--steps names no batch step {', '.join(unknown)}", key="--steps",
                             hint="steps: " + ",".join(known))
        return cls([name for name in known if name in wanted], resume)  # always in runbook order


def run_batch(template: StepContext, plan: BatchPlan, emit: Emit) -> int:
    """Run the plan's steps; stop at the first that fails. Returns the exit code for the scheduler."""
    from core.runbook.runner import run_step

    emit({"event": "run_started", "case_id": template.case.case_id, "steps": plan.steps,
          "user": template.actor.user, "host": template.actor.host})
    finished: list[dict[str, Any]] = []
    code = int(ExitCode.OK)
    for step_id in plan.steps:
        spec = step(step_id)
        ctx = _context_for(template, spec, emit)
        if not _built(spec):
            emit({"event": "step_skipped", "step": spec.id, "reason": "not built in this version"})
            finished.append({"step": spec.id, "status": "skipped", "exit_code": 0})
            continue
        if plan.resume and (earlier := _unchanged_since(ctx, spec)) is not None:
            emit({"event": "step_skipped", "step": spec.id, "reason": "resumed: inputs and outputs unchanged "
                  f"since run {earlier['run_id']}", "run_id": earlier["run_id"]})
            finished.append({"step": spec.id, "status": "skipped", "exit_code": 0, "run_id": earlier["run_id"]})
            continue
        emit({"event": "step_started", "step": spec.id, "run_id": ctx.run_id})
        result = run_step(spec.id, ctx)
        _emit_result(emit, result)
        finished.append({"step": spec.id, "status": result.status, "exit_code": result.exit_code,
                         "run_id": result.run_id})
        if not result.ok:
            code = result.exit_code
            break
    emit({"event": "summary", "case_id": template.case.case_id, "status": "ok" if code == 0 else "failed",
          "exit_code": code, "steps": finished})
    return code


def _context_for(template: StepContext, spec: StepSpec, emit: Emit) -> StepContext:
    from core.case import new_run_id

    def progress(event) -> None:
        emit({"event": "progress", "step": spec.id, "stage": event.stage, "stage_index": event.stage_index,
              "stage_count": event.stage_count, "done": event.done, "total": event.total})

    return replace(template, run_id=new_run_id(), progress=progress, inputs=[], outputs=[], warnings=[],
                   deviations=[], approvals_used=[], started_at=_now(), _profile=template._profile)


def _now():
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc)


def _built(spec: StepSpec) -> bool:
    import importlib.util

    return importlib.util.find_spec(spec.module_name) is not None


def _emit_result(emit: Emit, result: StepResult) -> None:
    for approval in result.approvals:
        emit({"event": "approval", "step": result.step, **approval})
    for warning in result.warnings:
        emit({"event": "warning", "step": result.step, "message": warning})
    if result.error is not None:
        # message, location and hint only: an error's details may quote workbook values
        emit({"event": "error", "step": result.step, "error": type(result.error).__name__,
              "message": result.error.message, "hint": result.error.hint, "exit_code": result.exit_code,
              "file": str(result.error.file) if result.error.file is not None else None,
              "sheet": result.error.sheet, "row": result.error.row, "key": result.error.key})
    header = result.header()
    emit({"event": "step_finished", **{k: header[k] for k in (
        "step", "run_id", "status", "exit_code", "duration_s", "outputs", "ledger_seq")}})


# -- resuming ----------------------------------------------------------------------------------
def settings_key(ctx: StepContext, profile_json: str | None = None) -> str:
    """What besides the input files decides a step's outputs: the profile as loaded (extends applied),
    and what the network may do (research switched on changes what enrich writes). `profile_json`: the
    profile's model_dump_json when the step has it without a load (contracts, from its cache)."""
    network = ctx.workspace.network
    switches = f"{network.allow_network}{network.remote_research_feature}{network.remote_research_allowed}"
    profile = profile_json or ctx.profile.model_dump_json()
    return hashlib.sha256((profile + switches).encode()).hexdigest()


def _unchanged_since(ctx: StepContext, spec: StepSpec) -> dict[str, Any] | None:
    """The last good run of this step for the case, if nothing it read or wrote has changed since."""
    module = spec.implementation()
    if not hasattr(module, "planned_inputs"):
        return None
    try:
        planned = sorted(str(p) for p in module.planned_inputs(ctx, None))
        key = settings_key(ctx)
        runs = ctx.open_ledger().entries(kind="run", case_id=ctx.case.case_id, limit=200)
    except Exception:  # noqa: BLE001 - when in doubt, run the step
        return None
    last = next((e.payload for e in runs if e.payload.get("step") == spec.id), None)
    if not last or last.get("status") != "ok" or last.get("settings") != key:
        return None
    overlay = str(ctx.case.input_dir / "hotpass.yaml")  # recorded when present; its hash is checked below
    recorded_inputs = {i["path"]: i.get("sha256") for i in last.get("inputs", []) if i["path"] != overlay}
    if sorted(recorded_inputs) != planned:
        return None
    for facts in [*last.get("inputs", []), *last.get("outputs", [])]:
        if artefact(Path(facts["path"])).sha256 != facts.get("sha256"):
            return None
    return last


def jsonl_emitter(stream) -> Emit:
    def emit(event: dict[str, Any]) -> None:
        stream.write(json.dumps(event, default=str) + "\n")
        stream.flush()

    return emit
