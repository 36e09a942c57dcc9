"""What every step hands back: a common header and the step's own payload."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from core.errors import ExitCode, HotpassError
from core.staging import Artefact

P = TypeVar("P")

STATUSES = ("ok", "failed", "cancelled", "skipped")


@dataclass
class StepResult(Generic[P]):
    step: str
    case_id: str
    run_id: str
    status: str  # ok | failed | cancelled | skipped
    exit_code: int
    started_at: datetime
    ended_at: datetime
    inputs: list[Artefact] = field(default_factory=list)
    outputs: list[Artefact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    deviations: list[str] = field(default_factory=list)
    approvals: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    error: HotpassError | None = None
    log_path: str | None = None  # an internal error's traceback
    ledger_seq: int | None = None  # the run's entry, once recorded
    payload: P | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "skipped")

    @property
    def duration_s(self) -> float:
        return max(0.0, (self.ended_at - self.started_at).total_seconds())

    def raise_for_status(self) -> None:
        if self.error is not None and self.status != "ok":
            raise self.error

    def header(self) -> dict[str, Any]:
        """JSON-ready, free of personal data: what batch events, the ledger and reports may carry."""
        error = None
        if self.error is not None:
            error = {"kind": type(self.error).__name__, "exit_code": int(self.error.exit_code),
                     "location": self.error.location}
        return {
            "step": self.step, "case_id": self.case_id, "run_id": self.run_id, "status": self.status,
            "exit_code": int(self.exit_code), "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat(), "duration_s": round(self.duration_s, 3),
            "inputs": [a.facts() for a in self.inputs], "outputs": [a.facts() for a in self.outputs],
            "warnings": list(self.warnings), "deviations": list(self.deviations),
            "approvals": list(self.approvals), "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "error": error, "ledger_seq": self.ledger_seq,
        }


def status_of(exc: BaseException | None) -> tuple[str, int]:
    if exc is None:
        return "ok", int(ExitCode.OK)
    code = int(getattr(exc, "exit_code", ExitCode.INTERNAL))
    return ("cancelled" if code == ExitCode.CANCELLED else "failed"), code
