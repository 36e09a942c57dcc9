"""The telemetry dashboard's reads, from a real ledger and real workbooks of a refined and enriched case."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from core.net.dashboard import read_dashboard
from core.staging import sha256_of
from core.workspace import Workspace
from tests.conftest import write_xlsx

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=timezone.utc)


def refine_outputs(case, rows_in: int, orgs: int, quality: float) -> list[dict]:
    report = case.reports_dir / "refine-report.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps({"rows_in": rows_in, "organisations_out": orgs}))
    write_xlsx(case.refined_path, {
        "Data": [["organization_name", "contact_primary_email", "website"], ["Acme", None, None], ["Beta", "x@b.co", None]],
        "Summary": [["Metric", "Value"], ["Mean data quality score", quality]],
    })
    return [{"path": str(p), "sha256": sha256_of(p), "bytes": p.stat().st_size} for p in (report, case.refined_path)]


def record(ledger, step: str, case_id: str, outputs: list[dict], code: int = 0, run_id: str = "r1",
           details: dict | None = None) -> None:
    ledger.record_run(step, ["hotpass", step], NOW, NOW, code, [], outputs, case_id=case_id,
                      details={"step": step, "run_id": run_id, "status": "ok" if code == 0 else "failed",
                               **(details or {})})


def test_a_refined_and_enriched_case_fills_every_part(tmp_path: Path):
    workspace = Workspace(tmp_path, tmp_path / ".hotpass" / "ledger.db")
    case = workspace.case("acme")
    ledger = workspace.open_ledger()
    record(ledger, "refine", "acme", refine_outputs(case, 120, 2, 0.5), run_id="run-a")
    record(ledger, "quality", "acme", [], code=11, run_id="qa-1", details={"warnings": ["w"]})
    write_xlsx(case.output_dir / "enriched.xlsx", {"Data": [
        ["organization_name", "contact_primary_email", "website", "provenance_source"],
        ["Acme", "info@acme.co", None, "research:website"], ["Beta", "x@b.co", "https://b.co", "refine"],
        ["Gamma", None, None, "refine"]]})
    lineage = case.output_dir / "lineage" / "events.jsonl"
    lineage.parent.mkdir(parents=True)
    old, new = ({"eventType": t, "eventTime": "2026-01-15T08:00:00Z", "run": {"runId": rid},
                 "job": {"namespace": "hotpass", "name": "hotpass.refine.generic"}, "inputs": [{}], "outputs": []}
                for t, rid in (("START", "old"), ("START", "new")))
    done = {**new, "eventType": "COMPLETE", "outputs": [{}]}
    lineage.write_text("".join(json.dumps(e) + "\n" for e in (old, new, done)) + '{"torn')

    board = read_dashboard(workspace, case, ledger)
    assert board.quality.status == "failed" and board.quality.exit_code == 11 and board.quality.warnings == 1
    assert board.coverage.rows == 3
    assert ("contact_primary_email", 1, 2) in board.coverage.fields and ("website", 0, 1) in board.coverage.fields
    assert board.provenance == [("refine", 2), ("research:website", 1)]
    assert [(p.rows_in, p.rows_out, p.mean_quality) for p in board.history] == [(120, 2, 0.5)]
    assert board.lineage_run == "new" and [e.event_type for e in board.lineage] == ["START", "COMPLETE"]
    assert board.flow_runs is None and board.marquez_url is None


def test_run_history_keeps_a_run_whose_outputs_were_replaced(tmp_path: Path):
    workspace = Workspace(tmp_path, tmp_path / ".hotpass" / "ledger.db")
    case = workspace.case("acme")
    ledger = workspace.open_ledger()
    record(ledger, "refine", "acme", refine_outputs(case, 100, 40, 0.6), run_id="first")
    assert [p.rows_in for p in read_dashboard(workspace, case, ledger).history] == [100]  # seen while current
    record(ledger, "refine", "acme", [], code=4, run_id="broken")
    record(ledger, "refine", "acme", refine_outputs(case, 130, 52, 0.7), run_id="second")
    history = read_dashboard(workspace, case, ledger).history
    assert [(p.run_id, p.rows_in, p.rows_out, p.mean_quality) for p in history] == [
        ("first", 100, 40, 0.6), ("broken", None, None, None), ("second", 130, 52, 0.7)]


def test_a_run_never_seen_while_current_has_no_made_up_numbers(tmp_path: Path):
    workspace = Workspace(tmp_path, tmp_path / ".hotpass" / "ledger.db")
    case = workspace.case("acme")
    ledger = workspace.open_ledger()
    record(ledger, "refine", "acme", refine_outputs(case, 100, 40, 0.6), run_id="unseen")
    record(ledger, "refine", "acme", refine_outputs(case, 130, 52, 0.7), run_id="latest")
    history = read_dashboard(workspace, case, ledger).history
    assert [(p.run_id, p.rows_in) for p in history] == [("unseen", None), ("latest", 130)]


def test_an_empty_case_has_nothing_and_says_no_error(tmp_path: Path):
    workspace = Workspace(tmp_path, tmp_path / ".hotpass" / "ledger.db")
    board = read_dashboard(workspace, workspace.case("empty"), workspace.open_ledger())
    assert (board.quality, board.coverage, board.provenance, board.history, board.lineage, board.notes) == (
        None, None, [], [], [], [])
