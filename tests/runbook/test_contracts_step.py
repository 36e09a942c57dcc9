"""The contracts and quality steps on the one step path: recorded runs, approvals by hash."""

from __future__ import annotations

from pathlib import Path

from core.case import Case
from core.contracts.approval import approved_contract, contract_subject
from core.runbook.context import Actor, StepContext
from core.runbook.runner import run_step
from core.runbook.steps.contracts import ContractsOptions
from core.workspace import Workspace
from ledger import Ledger


def _ctx(root: Path) -> StepContext:
    return StepContext(Workspace(root, root / ".hotpass" / "ledger.db"), Case("demo", root),
                       Actor("cli", ("hotpass", "contracts", "emit")), profile_name="aviation")


def test_emit_is_a_recorded_run_whose_output_hash_is_the_contracts(tmp_path: Path) -> None:
    result = run_step("contracts", _ctx(tmp_path), ContractsOptions())
    assert result.exit_code == 0
    path = tmp_path / "dist" / "demo" / "contracts" / "aviation.yaml"
    assert result.payload.path == path and path.is_file()
    runs = Ledger(tmp_path / ".hotpass" / "ledger.db").entries(kind="run")
    outputs = runs[0].payload["outputs"]
    assert [o["sha256"] for o in outputs] == [result.payload.sha256]


def test_approved_contract_follows_the_bytes_on_disk(tmp_path: Path) -> None:
    result = run_step("contracts", _ctx(tmp_path), ContractsOptions())
    ledger = Ledger(tmp_path / ".hotpass" / "ledger.db")
    case = Case("demo", tmp_path)
    assert approved_contract(ledger, case, "aviation") is None
    entry = ledger.record_approval("contract", contract_subject("demo", "aviation"), result.payload.sha256,
                                   "approve", comment="fields reviewed", case_id="demo")
    found = approved_contract(ledger, case, "aviation")
    assert found is not None and found.sha256 == result.payload.sha256 and found.entry_seq == entry.seq
    again = run_step("contracts", _ctx(tmp_path), ContractsOptions())
    assert again.payload.unchanged and again.payload.approved  # same profile, same bytes: still approved
    path = result.payload.path
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert approved_contract(ledger, case, "aviation") is None  # other bytes need their own approval
    path.write_text(path.read_text(encoding="utf-8").replace("# edited\n", ""), encoding="utf-8")
    ledger.record_approval("contract", contract_subject("demo", "aviation"), result.payload.sha256, "reject",
                           comment="owner wrong")
    assert approved_contract(ledger, case, "aviation") is None  # a later reject wins


def test_emit_to_another_format_and_place(tmp_path: Path) -> None:
    import json

    result = run_step("contracts", _ctx(tmp_path), ContractsOptions("jsonschema", Path("out/row.schema.json")))
    assert result.exit_code == 0
    document = json.loads((tmp_path / "out" / "row.schema.json").read_text(encoding="utf-8"))
    assert document["$schema"].endswith("2020-12/schema")
