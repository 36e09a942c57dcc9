"""What the gates found, as plain dataclasses every face shows (no personal data in them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PASS, FAIL, WAIVED, NO_OUTPUT = "pass", "fail", "waived", "no output"


@dataclass
class Waiver:
    seq: int
    who: str
    at: str
    comment: str
    subject: str

    def line(self) -> str:
        text = f"waived by {self.who} at {self.at[:16]} (ledger #{self.seq})"
        return f"{text}: {self.comment}" if self.comment else text


@dataclass
class GateResult:
    target: str
    status: str  # pass | fail | waived | no output
    checked: str  # what was checked, in words
    failed: list[str] = field(default_factory=list)  # one line per failure; never a workbook value
    waiver: Waiver | None = None
    seconds: float = 0.0

    @property
    def blocks(self) -> bool:
        """Does this gate keep `qa` from passing? A case with nothing to check yet is not a pass."""
        return self.status in (FAIL, NO_OUTPUT)

    def public(self) -> dict[str, Any]:
        return {"target": self.target, "status": self.status, "checked": self.checked, "failed": self.failed,
                "waiver": self.waiver.__dict__ if self.waiver else None, "seconds": round(self.seconds, 3)}


@dataclass
class QaReport:
    case_id: str
    profile: str
    gates: list[GateResult] = field(default_factory=list)
    report_path: Path | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not any(g.blocks for g in self.gates)

    @property
    def failing(self) -> list[GateResult]:
        return [g for g in self.gates if g.blocks]

    def gate(self, target: str) -> GateResult | None:
        return next((g for g in self.gates if g.target == target), None)

    def public(self) -> dict[str, Any]:
        return {"case": self.case_id, "profile": self.profile, "ok": self.ok,
                "gates": [g.public() for g in self.gates], "seconds": round(self.seconds, 3),
                "report_path": str(self.report_path) if self.report_path else None}
