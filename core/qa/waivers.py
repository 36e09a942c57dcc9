"""Waivers: an approval of kind `waiver` whose subject names the gate and the case.

The subject may be written as the operator likes (`enrichment`, `aviation/enrichment`,
`enrichment@aviation`…): it must name the target, and name the case or be recorded with it
(`--case`). The newest decision wins, so a reject withdraws an earlier waiver.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from core.qa.result import Waiver

if TYPE_CHECKING:
    from ledger import Ledger


def waiver_subject(case_id: str, target: str) -> str:
    """The subject the UI and `qa` hints write."""
    return f"{case_id}/{target}"


def _names(subject: str) -> set[str]:
    return {part for part in re.split(r"[\s:/@,]+", subject.lower()) if part}


def waiver_for(ledger: "Ledger", target: str, case_id: str) -> Waiver | None:
    for entry in ledger.approvals("waiver"):  # newest first
        subject = str(entry.payload.get("subject", entry.subject))
        names = _names(subject)
        if target not in names or not (case_id.lower() in names or entry.case_id == case_id):
            continue
        if entry.payload.get("decision") != "approve":
            return None
        return Waiver(entry.seq, entry.who, entry.at, str(entry.payload.get("comment", "")), subject)
    return None
