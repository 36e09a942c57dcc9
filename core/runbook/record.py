"""The one place a step's run enters the ledger."""

from __future__ import annotations

from core.errors import HotpassError
from core.runbook.context import StepContext
from core.runbook.registry import StepSpec
from core.runbook.result import StepResult


def argv_of(ctx: StepContext, spec: StepSpec) -> list[str]:
    """The command line, or for the UI the action in words, as the ledger shows it."""
    if ctx.actor.argv:
        return ["hotpass", *ctx.actor.argv]
    return ["hotpass", f"({ctx.actor.face})", spec.id]


def _settings(ctx: StepContext, result: StepResult) -> str | None:
    from core.runbook.batch import settings_key

    try:  # a payload that carries the profile as JSON spares loading the profile here (contracts' cache)
        return settings_key(ctx, getattr(result.payload, "profile_json", None))
    except Exception:  # noqa: BLE001 - a profile that does not load has no key; the run is still recorded
        return None


def record_step(ctx: StepContext, spec: StepSpec, result: StepResult) -> None:
    """Append the run; a ledger that fails here becomes a warning on the result, never its outcome.

    A good run whose outputs are on disk stays good (the operator is told it was not recorded); a
    failed run keeps its own error, which is what the operator must see.
    """
    details = {key: value for key, value in result.header().items()
               if key in ("run_id", "status", "warnings", "deviations", "approvals", "timings", "error")}
    # The settings key only lets --batch skip an unchanged step; loading the profile for it costs a
    # step outside the batch (net up, net down) seconds of imports for nothing.
    details.update({"step": spec.id, "face": ctx.actor.face,
                    "settings": _settings(ctx, result) if spec.in_batch else None})
    facts = getattr(result.payload, "ledger_facts", None)
    if callable(facts):  # what a step says of itself beyond its files (telemetry: host, fingerprint, ports)
        details["facts"] = facts()
    try:
        entry = ctx.open_ledger().record_run(
            command=spec.id, argv=argv_of(ctx, spec), started_at=result.started_at, ended_at=result.ended_at,
            exit_code=result.exit_code, inputs=[a.facts() for a in result.inputs],
            outputs=[a.facts() for a in result.outputs], case_id=ctx.case.case_id, who=ctx.actor.user,
            details=details)
    except HotpassError as exc:
        result.warnings.append(f"run not recorded in the ledger: {exc.one_line()}")
        return
    result.ledger_seq = entry.seq
