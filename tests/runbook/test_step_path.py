"""One step path for three faces: the command, the UI's service and --batch run refine the same way
and leave ledger entries of the same shape; approvals are settled in one place."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from core.errors import ApprovalMissing, ExitCode
from core.runbook.approvals import ApprovalNeed, settle_approvals
from core.runbook.context import Actor, StepContext
from core.runbook.registry import STEPS, batch_steps
from core.workspace import Workspace
from ledger import Ledger
from tests.conftest import run_hotpass


def _runs(ledger_path: Path) -> list:
    return [e for e in Ledger(ledger_path).all_entries() if e.kind == "run"]


def test_refine_from_the_command_the_ui_and_batch_leaves_entries_of_one_shape(tmp_path: Path) -> None:
    from hotpass_tui.service import CoreService

    ledger_path = tmp_path / ".hotpass" / "ledger.db"
    assert run_hotpass("refine", cwd=tmp_path).returncode == 0
    service = CoreService(Workspace(tmp_path, ledger_path))
    ui = service.run_step("refine", "sample", tmp_path / "data" / "sample", "generic", lambda event: None,
                          threading.Event())
    assert ui.status == "ok", ui.error
    batch = run_hotpass("--batch", "--steps", "refine", "--no-resume", cwd=tmp_path)
    assert batch.returncode == 0, batch.stderr

    runs = _runs(ledger_path)
    assert [run.payload["face"] for run in runs] == ["cli", "ui", "batch"]
    shapes = {tuple(sorted(run.payload)) for run in runs}
    assert len(shapes) == 1, shapes
    for run in runs:
        assert run.payload["step"] == "refine" and run.payload["status"] == "ok" and run.case_id == "sample"
        outputs = {Path(o["path"]).name for o in run.payload["outputs"]}
        assert {"refined.xlsx", "review-queue.json", "refine-report.json", "refine-summary.md"} <= outputs
        assert all(o["sha256"] for o in run.payload["outputs"])
    # the hashes are those of the files as they landed
    last = runs[-1].payload["outputs"]
    from core.staging import sha256_of

    for facts in last:
        if Path(facts["path"]).name == "refined.xlsx":
            assert sha256_of(Path(facts["path"])) == facts["sha256"]


def test_batch_refines_the_case_it_is_given_not_the_sample(tmp_path: Path) -> None:
    from core.sample import ensure_sample_case

    sample = ensure_sample_case(tmp_path)
    sample.rename(tmp_path / "data" / "acme")
    result = run_hotpass("--batch", "--case", "acme", "--steps", "refine", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[0]["case_id"] == "acme"
    assert (tmp_path / "dist" / "acme" / "refined.xlsx").is_file()
    assert not (tmp_path / "dist" / "sample").exists() and not (tmp_path / "data" / "sample").exists()


def test_a_failed_step_is_reported_as_failed_with_an_error_event(tmp_path: Path) -> None:
    (tmp_path / "data" / "broken").mkdir(parents=True)
    (tmp_path / "data" / "broken" / "people.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    result = run_hotpass("--batch", "--case", "broken", cwd=tmp_path)
    assert result.returncode == ExitCode.UNREADABLE_INPUT
    events = [json.loads(line) for line in result.stdout.splitlines()]
    errors = [e for e in events if e["event"] == "error"]
    assert errors and errors[0]["step"] == "refine" and errors[0]["file"].endswith("people.xlsx")
    finished = [e for e in events if e["event"] == "step_finished" and e["step"] == "refine"]
    assert finished[0]["status"] == "failed" and finished[0]["exit_code"] == ExitCode.UNREADABLE_INPUT
    assert events[-1] == {**events[-1], "event": "summary", "status": "failed", "exit_code": 4}
    assert "Traceback" not in result.stderr


def test_a_rerun_resumes_after_the_steps_that_did_not_change(tmp_path: Path) -> None:
    first = run_hotpass("--batch", "--steps", "prepare,refine", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    again = run_hotpass("--batch", "--steps", "prepare,refine", cwd=tmp_path)
    skipped = [json.loads(line) for line in again.stdout.splitlines() if '"step_skipped"' in line]
    assert {e["step"] for e in skipped} == {"prepare", "refine"}
    assert all(e["reason"].startswith("resumed: inputs and outputs unchanged") for e in skipped)
    # a changed input runs the step again
    from openpyxl import load_workbook

    book_path = tmp_path / "data" / "sample" / "clinic-directory.xlsx"
    book = load_workbook(book_path)
    book.active["A1"] = "Clinic directory, edited"
    book.save(book_path)
    third = run_hotpass("--batch", "--steps", "prepare,refine", cwd=tmp_path)
    started = [json.loads(line)["step"] for line in third.stdout.splitlines() if '"step_started"' in line]
    assert started == ["prepare", "refine"], third.stdout[-3000:] + third.stderr


def _context(tmp_path: Path, granted: frozenset[str] = frozenset()) -> StepContext:
    workspace = Workspace(tmp_path, tmp_path / "ledger.db")
    return StepContext(workspace, workspace.case("acme"), Actor("batch", ("--batch",)), granted=granted)


def test_a_missing_approval_stops_with_exit_10_naming_it(tmp_path: Path) -> None:
    need = ApprovalNeed("contract", "aviation", "the hand-off ships the approved contract", "ab" * 32)
    with pytest.raises(ApprovalMissing) as raised:
        settle_approvals(_context(tmp_path), [need])
    assert raised.value.exit_code == 10
    assert "contract approval for 'aviation'" in raised.value.message and "abababababab" in raised.value.message
    assert "--approve contract" in raised.value.hint


def test_an_approval_granted_by_flag_is_recorded_as_a_batch_approval(tmp_path: Path) -> None:
    ctx = _context(tmp_path, frozenset({"all"}))
    used = settle_approvals(ctx, [ApprovalNeed("contract", "aviation", "why", "cd" * 32)])
    assert used[0]["source"] == "flag"
    [entry] = Ledger(tmp_path / "ledger.db").approvals("contract", "aviation")
    assert entry.payload["decision"] == "approve" and entry.payload["artefact_sha256"] == "cd" * 32
    assert "granted by --approve in a batch run" in entry.payload["comment"] and entry.host and entry.who
    # the next run finds it in the ledger; an approval of another file does not count
    again = settle_approvals(_context(tmp_path), [ApprovalNeed("contract", "aviation", "why", "cd" * 32)])
    assert again[0]["source"] == "ledger"
    with pytest.raises(ApprovalMissing):
        settle_approvals(_context(tmp_path), [ApprovalNeed("contract", "aviation", "why", "ef" * 32)])


def test_a_rejected_artefact_is_named_as_rejected(tmp_path: Path) -> None:
    Ledger(tmp_path / "ledger.db").record_approval("enrichment", "acme", None, "reject", comment="no")
    with pytest.raises(ApprovalMissing, match="is rejected"):
        settle_approvals(_context(tmp_path), [ApprovalNeed("enrichment", "acme", "network research")])


def test_every_batch_step_is_in_the_registry_in_runbook_order() -> None:
    assert [spec.key for spec in STEPS] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [spec.id for spec in batch_steps()] == ["prepare", "refine", "enrich", "contracts", "quality", "handoff"]


def test_a_mistyped_stage_name_is_a_bug_not_stage_0() -> None:
    from core.progress import Reporter

    reporter = Reporter(["read", "write"])
    with pytest.raises(ValueError, match="unknown stage 'wirte'"):
        reporter.stage("wirte")
