"""What a step needs approved, and where the approval comes from: the ledger, or a flag in batch.

An approval granted by `--approve KIND` is itself recorded in the ledger (who, host, "batch"), so
the evidence trail shows that nobody looked at the artefact in the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import ApprovalMissing
from core.runbook.context import StepContext


@dataclass(frozen=True)
class ApprovalNeed:
    kind: str  # contract | enrichment | review | waiver | handoff (ledger's subject kinds)
    subject: str  # what exactly: the contract's name, the case
    why: str  # one line for the operator: what the approval allows
    sha256: str | None = None  # the artefact approved, when the approval is of a file


def settle_approvals(ctx: StepContext, needs: list[ApprovalNeed]) -> list[dict[str, Any]]:
    """Every need met from the ledger or granted by flag; otherwise ApprovalMissing naming the first gap."""
    used = []
    for need in needs:
        used.append(_settle(ctx, need))
    return used


def _settle(ctx: StepContext, need: ApprovalNeed) -> dict[str, Any]:
    ledger = ctx.open_ledger()
    found = ledger.latest_approval(need.kind, need.subject, need.sha256)
    if found is not None and found.payload.get("decision") == "approve":
        return {"kind": need.kind, "subject": need.subject, "sha256": need.sha256, "source": "ledger",
                "seq": found.seq, "by": found.who}
    if need.kind in ctx.granted or "all" in ctx.granted:
        entry = ledger.record_approval(need.kind, need.subject, need.sha256, "approve", who=ctx.actor.user,
                                       comment=f"granted by --approve in a {ctx.actor.face} run on {ctx.actor.host}",
                                       case_id=ctx.case.case_id)
        return {"kind": need.kind, "subject": need.subject, "sha256": need.sha256, "source": "flag",
                "seq": entry.seq, "by": ctx.actor.user}
    what = f"{need.kind} approval for {need.subject!r}"
    if need.sha256:
        what += f" (sha256 {need.sha256[:12]}…)"
    rejected = found is not None and found.payload.get("decision") == "reject"
    raise ApprovalMissing(
        f"{what} is {'rejected' if rejected else 'missing'}: {need.why}", key=need.kind,
        hint=(f"approve it in the UI or with `hotpass ledger approve {need.kind} {need.subject}`"
              + ("" if ctx.actor.face == "ui" else f", or grant it for this run with --approve {need.kind}")),
    )
