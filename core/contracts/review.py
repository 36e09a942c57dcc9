"""What the Contracts pane shows: the emitted contract's fields, its text, and what changed since the
contract last approved for the case and profile.

The bytes of an approved contract are kept beside it (contracts/approved/<sha256>.yaml) when the
approval is made in the UI, so a later diff has something to compare with.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.contracts.diff import Change


@dataclass(frozen=True)
class FieldRow:
    name: str
    logical: str
    required: bool
    unique: bool
    classification: str
    rules: int


@dataclass
class ContractReview:
    path: Path
    sha256: str
    text: str
    fields: list[FieldRow] = field(default_factory=list)
    decision: str = ""  # the newest decision on these bytes: approve | reject | ""
    approved_sha: str | None = None  # the contract last approved for this case and profile
    changes: list[Change] | None = None  # against the last approved; None when there is nothing to compare
    note: str = ""  # why there is no diff


def approved_copy(path: Path, sha256: str) -> Path:
    return path.parent / "approved" / f"{sha256}{''.join(path.suffixes) or '.yaml'}"


def keep_approved_copy(path: Path, sha256: str) -> Path:
    target = approved_copy(path, sha256)
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(path, temp)
        temp.replace(target)
    return target


def review_contract(path: Path, subject: str, decisions: Iterable[Any]) -> ContractReview:
    """`decisions`: approval entries, newest first (ledger.approvals() or a snapshot's decisions)."""
    from core.contracts.diff import diff_contracts
    from core.contracts.load import contract_properties, parse_contract
    from core.staging import sha256_of

    contract = parse_contract(path)
    sha = sha256_of(path)
    review = ContractReview(path, sha, path.read_text(encoding="utf-8"))
    for prop in contract_properties(contract):
        review.fields.append(FieldRow(str(prop.get("name")), str(prop.get("logicalType", "")),
                                      bool(prop.get("required")), bool(prop.get("unique")),
                                      str(prop.get("classification", "")), len(prop.get("quality") or [])))
    contracts = [d for d in decisions if d.payload.get("subject_kind") == "contract"]
    mine = next((d for d in contracts if d.payload.get("artefact_sha256") == sha), None)
    review.decision = str(mine.payload.get("decision", "")) if mine else ""
    last = next((d for d in contracts if d.payload.get("subject") == subject
                 and d.payload.get("decision") == "approve"), None)
    if last is None:
        review.note = "no contract approved yet for this case and profile"
        return review
    review.approved_sha = str(last.payload.get("artefact_sha256") or "")
    if review.approved_sha == sha:
        review.changes = []
        return review
    copy = approved_copy(path, review.approved_sha)
    if not copy.is_file():
        review.note = "the approved contract's bytes are not kept here (approved outside the UI)"
        return review
    review.changes = diff_contracts(parse_contract(copy), contract)
    return review
