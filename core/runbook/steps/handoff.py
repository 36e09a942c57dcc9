"""Step 7, Hand-off: the bundle under dist/<case>/handoff/, with its manifest and summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.handoff.bundle import HandoffResult
from core.runbook.approvals import ApprovalNeed
from core.runbook.context import StepContext


@dataclass
class HandoffOptions:
    pass


def needed_approvals(ctx: StepContext, options: HandoffOptions | None) -> list[ApprovalNeed]:
    """The contract that ships must be the one approved: its current bytes, by hash."""
    from core.contracts.approval import contract_subject, file_sha256
    from core.contracts.emit import contract_path

    path = contract_path(ctx.case, ctx.profile_name)
    if not path.is_file():
        return []  # no contract: the bundle names it missing (or a deviation excuses it)
    return [ApprovalNeed("contract", contract_subject(ctx.case.case_id, ctx.profile_name),
                         "the hand-off ships the data contract the operator approved", file_sha256(path))]


def planned_inputs(ctx: StepContext, options: HandoffOptions | None) -> list[Path]:
    return []  # the bundle summarises the ledger, which changes with every run: always rebuild


def run(ctx: StepContext, options: HandoffOptions | None = None) -> HandoffResult:
    from core.handoff.bundle import build_bundle, plan_bundle

    reporter = ctx.reporter("handoff", ("collect", "manifest", "summary"))
    reporter.stage("collect")
    plan = plan_bundle(ctx.case, ctx.profile_name, ctx.open_ledger())
    reporter.stage("manifest")
    result = build_bundle(ctx, plan)
    reporter.stage("summary")
    reporter.finish()
    result.timings = dict(reporter.timings)
    return result
