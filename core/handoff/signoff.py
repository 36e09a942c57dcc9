"""Signing a bundle off, and verifying one against the ledger's sign-off."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import ExpectationFailed
from core.handoff.manifest import BundleCheck, check_bundle

if TYPE_CHECKING:
    from ledger import Entry, Ledger


@dataclass
class Verdict:
    check: BundleCheck
    signoff: "Entry | None"

    @property
    def ok(self) -> bool:
        return self.check.ok and self.signoff is not None


def sign_bundle(ledger: "Ledger", case_id: str, folder: Path, comment: str, who: str | None = None) -> "Entry":
    """Record the manifest's hash and the ledger's head; only a bundle that verifies can be signed."""
    check = check_bundle(folder)
    if not check.ok:
        raise ExpectationFailed("the bundle does not match its manifest, so it cannot be signed off", file=folder,
                                details=check.problems(), hint=f"rebuild it with `hotpass handoff --case {case_id}`")
    count, head = ledger.head()
    return ledger.record_handoff(case_id, check.manifest_sha256, who=who, comment=comment,
                                 ledger_head={"count": count, "head_hash": head})


def signoff_of(ledger: "Ledger", manifest_sha256: str) -> "Entry | None":
    for entry in ledger.entries(kind="handoff", limit=None):
        if entry.payload.get("manifest_sha256") == manifest_sha256:
            return entry
    return None


def verify_bundle(ledger: "Ledger", folder: Path) -> Verdict:
    check = check_bundle(folder)
    return Verdict(check, signoff_of(ledger, check.manifest_sha256) if check.ok else None)
