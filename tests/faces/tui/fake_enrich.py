"""The fake service's enrich run: the core's own EnrichResult with made-up counts, stages reported."""

from __future__ import annotations

import threading
import time

from core.enrich.lookups import LookupReport
from core.enrich.research.gates import network_gates
from core.enrich.result import ENRICH_STAGES, EnrichResult
from core.progress import Reporter
from ledger.models import KIND_APPROVAL


def fake_enrich_result(service, case_id: str, profile: str, progress, cancel: threading.Event) -> EnrichResult:
    reporter = Reporter(list(ENRICH_STAGES), progress, cancel, min_interval=0.0, step="enrich")
    for stage in ENRICH_STAGES:
        reporter.stage(stage, total=2)
        for done in (1, 2):
            time.sleep(service.stage_delay / 2)
            reporter.advance(done, 2)
    reporter.finish()
    approved = any(e.kind == KIND_APPROVAL and e.payload.get("subject_kind") == "enrichment"
                   and e.payload.get("subject") == case_id for e in service.entries)
    dist = service.workspace.dist_dir / case_id
    before = {"website": 380, "province": 300, "area": 250, "address_primary": 210, "contact_primary_name": 170,
              "contact_primary_email": 400, "contact_primary_phone": 390, "organization_category": 120, "status": 460}
    filled = {"province": {"province-from-town": 61, "province-from-address": 24, "province-from-area-code": 9},
              "website": {"website-from-email": 32}, "contact_primary_phone": {"lookup-by-name": 4}}
    after = dict(before)
    for field_name, strategies in filled.items():
        after[field_name] += sum(strategies.values())
    return EnrichResult(
        case_id=case_id, run_id="20260115T093000Z-def456", profile=profile, input_path=dist / "refined.xlsx",
        output_path=dist / "enriched.xlsx", summary_path=dist / "reports" / "enrich-summary.md",
        organisations=service.rows, cells_filled=130, filled=filled,
        by_source={"derived: address_primary, area (towns table)": 61, "derived: email domain": 32,
                   "derived: address_primary, area": 24, "derived: phone area code": 9, "lookup: SACAA registry": 4},
        coverage_before=before, coverage_after=after,
        gates=network_gates(False, service.workspace.network, approved), network_used=False,
        network_status={"closed: --allow-network": service.rows},
        lookups=[LookupReport("SACAA registry", dist / "registry.xlsx", "used", 189, 150)],
        timings={stage: 0.1 for stage in ENRICH_STAGES})
