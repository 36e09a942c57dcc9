"""Canned results of the contracts and quality steps for the fake service (frozen, no GX, no ledger)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.qa.incidents import IncidentBundle, check_ticket
from core.qa.result import GateResult, QaReport, Waiver


def fake_contracts(service: Any, case_id: str, profile: str):
    """The real contract of the real profile, written where the step writes it (the bytes are the point)."""
    from core.contracts.emit import build_contract, contract_bytes, contract_path, sha256_bytes
    from core.profiles import load_profile
    from core.runbook.steps.contracts import ContractsResult

    loaded = load_profile(profile)
    data = contract_bytes(loaded)
    path = contract_path(service.workspace.case(case_id), profile)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    props = build_contract(loaded)["schema"][0]["properties"]
    return ContractsResult(path, "yaml", sha256_bytes(data), len(data), len(props),
                           sum(len(p.get("quality") or []) for p in props))


def _waiver(service: Any, case_id: str, target: str) -> Waiver | None:
    for entry in reversed(service.entries):
        payload = entry.payload
        if payload.get("subject_kind") == "waiver" and payload.get("subject") == f"{case_id}/{target}":
            if payload.get("decision") == "approve":
                return Waiver(entry.seq, entry.who, entry.at, payload.get("comment", ""), payload["subject"])
            return None
    return None


def fake_quality(service: Any, case_id: str, profile: str, options: Any) -> QaReport:
    from core.errors import ExpectationFailed

    gates = {
        "cli": GateResult("cli", "pass", "61 commands' --help, 2 profiles linted", seconds=0.9),
        "data-quality": GateResult("data-quality", "pass", "8 expectations on refined.xlsx › Data (500 rows)"),
        "contracts": GateResult("contracts", "pass", "refined.xlsx (500 rows) and enriched.xlsx (500 rows) against "
                                "contracts/aviation.yaml"),
        "enrichment": GateResult("enrichment", "fail", "5 provenance columns on 500 rows",
                                 ["column provenance_confidence missing from enriched.xlsx › Data",
                                  "provenance_source: 12 rows empty (rows 14, 15, 88, 90, 91)"]),
        "ledger": GateResult("ledger", "pass", "hash chain of 42 entries, 2 anchors"),
        "docs": GateResult("docs", "pass", "11 hotpass command lines in README.md and the runbook text"),
    }
    targets = tuple(options.targets) if options is not None else tuple(gates)
    report = QaReport(case_id, profile, [gates[t] for t in targets if t in gates],
                      Path(f"dist/{case_id}/reports/qa-report.json"), 3.2)
    for gate in report.gates:
        if gate.status == "fail":
            gate.waiver = _waiver(service, case_id, gate.target)
            if gate.waiver is not None:
                gate.status = "waived"
    if not report.ok:
        error = ExpectationFailed(f"quality gate {report.failing[0].target} failed", key=report.failing[0].target)
        error.qa_report = report
        raise error
    return report


def fake_incident(service: Any, case_id: str, ticket_id: str, summary: str, severity: str) -> IncidentBundle:
    from ledger.models import KIND_INCIDENT

    check_ticket(ticket_id)
    entry = service._log(KIND_INCIDENT, ticket_id, {"ticket_id": ticket_id, "summary": summary,
                                                    "severity": severity}, case_id)
    bundle = IncidentBundle(ticket_id, Path(f"dist/incidents/{ticket_id}"),
                            ["outputs/refined.xlsx", "ledger-excerpt.jsonl", "INCIDENT.md", "SHA256SUMS"],
                            entry.seq)
    service.incidents_filed = [*getattr(service, "incidents_filed", []), bundle]
    return bundle
