"""What the Contracts pane reads: fields, the decision on these bytes, the diff against the last approved."""

from __future__ import annotations

from pathlib import Path

from core.contracts.emit import contract_bytes
from core.contracts.review import keep_approved_copy, review_contract
from core.profiles import load_profile
from core.staging import sha256_of
from ledger import Ledger


def test_review_diffs_against_the_contract_last_approved_for_the_case(tmp_path: Path) -> None:
    path = tmp_path / "contracts" / "generic.yaml"
    path.parent.mkdir()
    path.write_bytes(contract_bytes(load_profile("generic")))
    ledger = Ledger(tmp_path / "ledger.db")
    first = review_contract(path, "demo/generic", ledger.approvals("contract"))
    assert first.changes is None and "no contract approved yet" in first.note and first.decision == ""
    assert len(first.fields) == 29 and any(f.classification == "personal" for f in first.fields)
    keep_approved_copy(path, sha256_of(path))
    ledger.record_approval("contract", "demo/generic", sha256_of(path), "approve", case_id="demo")
    same = review_contract(path, "demo/generic", ledger.approvals("contract"))
    assert same.decision == "approve" and same.changes == []
    path.write_text(path.read_text(encoding="utf-8").replace("    required: false\n    unique: false\n",
                                                             "    required: true\n    unique: false\n", 1),
                    encoding="utf-8")
    changed = review_contract(path, "demo/generic", ledger.approvals("contract"))
    assert changed.decision == "" and [(c.kind, c.breaking) for c in changed.changes] == [("made required", True)]
    other = review_contract(path, "other/generic", ledger.approvals("contract"))
    assert other.changes is None  # another case's approval is not this case's baseline
