"""The quality gates on a case built from real workbooks and a real ledger (GX only where it is the point)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.case import Case
from core.qa import TARGETS
from core.qa.incidents import open_incident, verify_sums
from core.runbook.context import Actor, StepContext
from core.runbook.runner import run_step
from core.runbook.steps.quality import QualityOptions
from core.workspace import Workspace
from ledger import Ledger
from tests.core.contracts_helpers import PROVENANCE, refined_workbook

FAST = tuple(t for t in TARGETS if t != "data-quality")  # GX's start-up is paid in one test only


def _parser():
    from hotpass_tui.cli import build_parser

    return build_parser()


def _ctx(root: Path, case_id: str = "demo") -> StepContext:
    workspace = Workspace(root, root / ".hotpass" / "ledger.db")
    return StepContext(workspace, Case(case_id, root), Actor("cli", ("hotpass", "qa", "all")))


def _good_case(root: Path, case_id: str = "demo") -> Path:
    out = root / "dist" / case_id
    refined_workbook(out / "refined.xlsx")
    refined_workbook(out / "enriched.xlsx", provenance=True)
    Ledger(root / ".hotpass" / "ledger.db").add_next_step("look at the case", case_id=case_id)
    return out


def _qa(root: Path, targets=FAST, case_id: str = "demo"):
    result = run_step("quality", _ctx(root, case_id), QualityOptions(targets, _parser))
    report = result.payload if result.payload is not None else getattr(result.error, "qa_report", None)
    return result, report


def test_a_good_case_passes_every_gate(tmp_path: Path) -> None:
    _good_case(tmp_path)
    result, report = _qa(tmp_path, TARGETS)
    assert result.exit_code == 0, [(g.target, g.failed) for g in report.gates]
    assert [g.target for g in report.gates] == list(TARGETS)
    assert {g.status for g in report.gates} == {"pass"}
    assert "expectations on refined.xlsx" in report.gate("data-quality").checked
    assert (tmp_path / "dist" / "demo" / "reports" / "qa-report.json").is_file()


def test_an_enriched_workbook_without_provenance_fails_naming_the_gate(tmp_path: Path) -> None:
    out = _good_case(tmp_path)
    refined_workbook(out / "enriched.xlsx")  # no provenance_* columns at all
    result, report = _qa(tmp_path)
    assert result.exit_code == 11 and result.error.key == "enrichment"
    gate = report.gate("enrichment")
    assert gate.status == "fail" and any("provenance_source" in line for line in gate.failed)
    assert len(gate.failed) == len(PROVENANCE)
    assert [g.target for g in report.failing] == ["enrichment"]


def test_an_edited_ledger_fails_the_ledger_gate(tmp_path: Path) -> None:
    _good_case(tmp_path)
    con = sqlite3.connect(tmp_path / ".hotpass" / "ledger.db")
    con.execute("DROP TRIGGER entries_no_update")
    con.execute("UPDATE entries SET payload = '{\"owner\":null,\"due\":null,\"text\":\"edited\"}' WHERE seq = 1")
    con.commit()
    con.close()
    result, report = _qa(tmp_path, ("ledger",))
    assert result.exit_code == 11
    gate = report.gate("ledger")
    assert gate.status == "fail" and any("#1" in line for line in gate.failed)


def test_a_waiver_turns_a_failing_gate_into_waived(tmp_path: Path) -> None:
    out = _good_case(tmp_path)
    refined_workbook(out / "enriched.xlsx")
    ledger = Ledger(tmp_path / ".hotpass" / "ledger.db")
    ledger.record_approval("waiver", "other-case/enrichment", None, "approve", comment="not this case")
    assert _qa(tmp_path)[0].exit_code == 11  # a waiver for another case does not count
    entry = ledger.record_approval("waiver", "enrichment", None, "approve", comment="registry offline until Friday",
                                   case_id="demo")
    result, report = _qa(tmp_path)
    assert result.exit_code == 0
    gate = report.gate("enrichment")
    assert gate.status == "waived" and gate.waiver.seq == entry.seq
    assert "registry offline until Friday" in gate.waiver.line()
    assert any("waived" in d for d in result.deviations)
    ledger.record_approval("waiver", "demo/enrichment", None, "reject", comment="withdrawn")
    assert _qa(tmp_path)[0].exit_code == 11  # the newest decision wins


def test_a_case_with_no_outputs_says_so_for_each_gate_that_needs_them(tmp_path: Path) -> None:
    result, report = _qa(tmp_path, TARGETS)
    assert result.exit_code == 11
    for target in ("data-quality", "contracts", "enrichment"):
        assert report.gate(target).status == "no output"
        assert report.gate(target).checked == "no output yet: run refine"
    assert report.gate("cli").status == "pass" and report.gate("docs").status == "pass"


def test_a_workbook_that_breaks_the_emitted_contract_fails_the_contracts_gate(tmp_path: Path) -> None:
    out = _good_case(tmp_path)
    refined_workbook(out / "refined.xlsx", drop=("organization_slug",))
    result, report = _qa(tmp_path, ("contracts",))
    gate = report.gate("contracts")
    assert gate.status == "fail" and any("organization_slug" in line for line in gate.failed)


def test_the_docs_gate_names_a_command_that_does_not_exist(tmp_path: Path) -> None:
    _good_case(tmp_path)
    text = [("test note", "run hotpass contracts emitt --profile x"), ("test note", "hotpass qa all --nope")]
    result = run_step("quality", _ctx(tmp_path), QualityOptions(("docs",), _parser, text))
    failed = result.error.qa_report.gate("docs").failed
    assert any("has no command emitt" in line for line in failed)
    assert any("--nope" in line for line in failed)


def test_incident_open_copies_the_evidence_with_sums_that_verify(tmp_path: Path) -> None:
    out = _good_case(tmp_path)
    (out / "reports").mkdir(exist_ok=True)
    (out / "reports" / "refine-summary.md").write_text("summary\n", encoding="utf-8")
    ledger = Ledger(tmp_path / ".hotpass" / "ledger.db")
    bundle = open_incident(Case("demo", tmp_path), ledger, "INC-7", "wrong phones in Data", "high", who="op")
    folder = tmp_path / "dist" / "incidents" / "INC-7"
    assert bundle.folder == folder and verify_sums(folder) == []
    for name in ("outputs/refined.xlsx", "outputs/enriched.xlsx", "reports/refine-summary.md",
                 "ledger-excerpt.jsonl", "INCIDENT.md"):
        assert (folder / name).is_file(), name
    assert [i.ticket_id for i in ledger.incident_states("open")] == ["INC-7"]
    (folder / "outputs" / "refined.xlsx").write_bytes(b"changed")
    assert verify_sums(folder) == ["outputs/refined.xlsx: changed"]


@pytest.mark.parametrize("ticket", ["../x", "a/b", "..", "a\\b", ".hidden"])
def test_a_ticket_id_that_is_a_path_is_refused(tmp_path: Path, ticket: str) -> None:
    from core.errors import ExitCode, HotpassError

    with pytest.raises(HotpassError) as caught:
        open_incident(Case("demo", tmp_path), Ledger(tmp_path / "l.db"), ticket, "s", "low")
    assert caught.value.exit_code == ExitCode.USAGE
    assert not (tmp_path / "dist").exists()
