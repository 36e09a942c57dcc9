"""The operator's approval of a contract, as the hand-off asks for it.

An approval (ledger kind `approval`, subject kind `contract`) records the contract file's SHA-256.
A contract counts as approved only while the file on disk still has the hash that was approved: a
re-emitted contract with other bytes needs a new approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.contracts.emit import contract_path

if TYPE_CHECKING:
    from core.case import Case
    from ledger import Entry, Ledger


@dataclass(frozen=True)
class ApprovedContract:
    path: Path
    sha256: str
    entry_seq: int  # the approval's ledger entry
    who: str
    comment: str


def contract_subject(case_id: str, profile_name: str) -> str:
    """The subject the UI records: `<case>/<profile>` (the CLI may name it as it likes; the hash decides)."""
    return f"{case_id}/{profile_name}"


def file_sha256(path: Path) -> str:
    from ledger import sha256_file

    return sha256_file(path)


def latest_decision(ledger: "Ledger", sha256: str) -> "Entry | None":
    """The newest approve or reject of a contract with exactly these bytes, under any subject."""
    for entry in ledger.approvals("contract"):
        if entry.payload.get("artefact_sha256") == sha256:
            return entry
    return None


def approved_contract(ledger: "Ledger", case: "Case", profile_name: str,
                      path: Path | None = None) -> ApprovedContract | None:
    """(path, sha256, …) of the case's contract when its current bytes are approved, else None.

    `path` defaults to dist/<case>/contracts/<profile>.yaml. A reject after the approval wins.
    """
    path = path or contract_path(case, profile_name)
    if not path.is_file():
        return None
    sha = file_sha256(path)
    entry = latest_decision(ledger, sha)
    if entry is None or entry.payload.get("decision") != "approve":
        return None
    return ApprovedContract(path, sha, entry.seq, entry.who, str(entry.payload.get("comment", "")))


def last_approved_sha(ledger: "Ledger", case_id: str, profile_name: str) -> str | None:
    """The hash of the contract last approved for this case and profile (for the pane's diff)."""
    for entry in ledger.approvals("contract", contract_subject(case_id, profile_name)):
        if entry.payload.get("decision") == "approve":
            return entry.payload.get("artefact_sha256")
    return None
