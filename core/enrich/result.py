"""What an enrich run hands back: counts only, so every face may show it and the ledger may keep it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.enrich.lookups import LookupReport
from core.enrich.research.gates import Gate

ENRICH_STAGES = ("read", "lookup", "derive", "research", "write")  # as core.runbook.registry lists them
# The Data columns whose coverage the pane and the summary show, before and after.
COVERAGE_FIELDS = ("website", "province", "area", "address_primary", "contact_primary_name",
                   "contact_primary_email", "contact_primary_phone", "organization_category", "status")


@dataclass
class EnrichResult:
    case_id: str
    run_id: str
    profile: str
    input_path: Path
    output_path: Path
    summary_path: Path
    organisations: int
    cells_filled: int
    filled: dict[str, dict[str, int]]  # field -> strategy -> cells
    by_source: dict[str, int]  # provenance source -> cells
    coverage_before: dict[str, int]  # field -> non-empty cells
    coverage_after: dict[str, int]
    gates: list[Gate]
    network_used: bool
    network_status: dict[str, int]  # provenance_network_status -> rows
    lookups: list[LookupReport] = field(default_factory=list)
    research_requests: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def closed_gates(self) -> list[Gate]:
        return [g for g in self.gates if not g.open]
