"""What validation found, as plain dataclasses every face can show (no GX objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REFINED_SUITE = "refined"


@dataclass
class ExpectationOutcome:
    """One expectation on one suite's batch (a source sheet, or the refined Data)."""

    suite: str  # GX suite name
    target: str  # "file › sheet" for a source sheet, "refined Data" for the output
    file: str  # the source file ("" for refined)
    sheet: str  # the source sheet ("" for CSV and for refined)
    expectation: str  # GX type
    column: str
    blocking: bool
    success: bool
    observed: str  # in words: "3 of 120 non-empty values fail (2.5%)"
    why: str = ""
    element_count: int = 0
    unexpected_count: int = 0
    error: str = ""  # GX raised while evaluating it (counts as a failure)
    # (row as the workbook shows it, value): for the operator's own screens only, never written to a
    # report, an event or the ledger (they may be emails or phone numbers).
    failing_values: list[tuple[int, str]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "pass" if self.success else "FAIL"

    @property
    def severity(self) -> str:
        return "blocking" if self.blocking else "warning"

    def public(self) -> dict[str, Any]:
        """JSON-ready, without the failing values."""
        return {"suite": self.suite, "target": self.target, "file": self.file, "sheet": self.sheet,
                "expectation": self.expectation, "column": self.column, "severity": self.severity,
                "success": self.success, "observed": self.observed, "why": self.why,
                "element_count": self.element_count, "unexpected_count": self.unexpected_count,
                "error": self.error}


@dataclass
class ValidationReport:
    """Every expectation of a run, and where the reports went. `skipped` when --no-validate."""

    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    skipped: bool = False
    results_path: Path | None = None  # validation results JSON (GX's own, values removed)
    suites_path: Path | None = None  # the suites as GX JSON
    docs_path: Path | None = None  # Data Docs index.html
    files: list[Path] = field(default_factory=list)  # every report file, under its final path
    seconds: float = 0.0  # the validate stage in this process: mostly waiting for the worker
    timings: dict[str, float] = field(default_factory=dict)  # the worker's: import, validate, data_docs

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def blocking_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.failed if o.blocking]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.failed if not o.blocking]

    def totals(self) -> dict[str, int]:
        return {"expectations": len(self.outcomes), "passed": len(self.outcomes) - len(self.failed),
                "failed_blocking": len(self.blocking_failures), "failed_warning": len(self.warnings)}

    def public(self) -> dict[str, Any]:
        return {"skipped": self.skipped, "totals": self.totals(),
                "timings": {k: round(v, 3) for k, v in self.timings.items()},
                "results_path": str(self.results_path) if self.results_path else None,
                "suites_path": str(self.suites_path) if self.suites_path else None,
                "docs_path": str(self.docs_path) if self.docs_path else None,
                "expectations": [o.public() for o in self.outcomes]}
