"""SUMMARY.md of a hand-off: the commands run for the case, the approvals, the deviations.

Everything here comes from the ledger and the case's own reports; it names files, steps and
counts, never a value from a workbook.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from core.runbook.registry import batch_steps

if TYPE_CHECKING:
    from core.handoff.bundle import BundlePlan
    from core.runbook.context import StepContext


def summary_markdown(ctx: "StepContext", plan: "BundlePlan", files: list[str]) -> str:
    ledger = ctx.open_ledger()
    case_id = plan.case_id
    runs = list(reversed(ledger.entries(kind="run", case_id=case_id, limit=None)))
    approvals = list(reversed(ledger.approvals(case_id=case_id)))
    count, head = ledger.head()
    lines = [
        f"# Hand-off of case {case_id}",
        "",
        f"Built {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by {ctx.actor.user} on {ctx.actor.host} "
        f"with profile `{ctx.profile_name}`. Ledger at build: {count} entries, head `{head}`.",
        "Check it with `hotpass handoff verify <this folder>`; every file's SHA-256 is in MANIFEST.sha256.",
        "",
        "## Commands run for this case",
        "",
        "| # | when (UTC) | command | exit | seconds |",
        "|---|---|---|---|---|",
    ]
    for run in runs:
        argv = " ".join(run.payload.get("argv") or [run.subject])
        lines.append(f"| {run.seq} | {run.at[:19].replace('T', ' ')} | `{_cell(argv)}` | "
                     f"{run.payload.get('exit_code')} | {run.payload.get('duration_s', 0):.1f} |")
    lines += ["", "## Approvals", ""]
    lines += [f"* #{a.seq} {a.at[:16].replace('T', ' ')} {a.who}: {a.payload.get('decision')} "
              f"{a.payload.get('subject_kind')} `{_cell(a.payload.get('subject', ''))}`"
              + (f" (sha256 `{a.payload['artefact_sha256'][:12]}…`)" if a.payload.get("artefact_sha256") else "")
              + (f" — {_cell(a.payload['comment'])}" if a.payload.get("comment") else "")
              for a in approvals] or ["* none"]
    lines += ["", "## Deviations", ""]
    lines += _deviations(ctx, plan, runs) or ["* none"]
    lines += ["", "## Files", ""] + [f"* `{name}`" for name in files] + [""]
    return "\n".join(lines)


def _deviations(ctx: "StepContext", plan: "BundlePlan", runs: list) -> list[str]:
    ledger = ctx.open_ledger()
    out = [f"* recorded #{d.seq} by {d.who}: {_cell(d.what)} — {_cell(d.why)}" for d in ledger.deviations(plan.case_id)]
    out += [f"* missing from the bundle: `{p.name}` (excused: {_cell(plan.excused[p.key])})" for p in plan.missing]
    good = {run.payload.get("step") for run in runs if run.payload.get("status") == "ok"}
    out += [f"* step never run successfully for this case: {spec.title} (`{spec.id}`)"
            for spec in batch_steps() if spec.id not in good | {"handoff"}]
    for run in runs:
        for warning in run.payload.get("warnings") or []:
            out.append(f"* warning accepted in {run.payload.get('step', run.subject)} (run #{run.seq}): {_cell(warning)}")
        for deviation in run.payload.get("deviations") or []:
            out.append(f"* {run.payload.get('step', run.subject)} (run #{run.seq}): {_cell(deviation)}")
    out += [f"* waiver #{w.seq} by {w.who}: `{_cell(w.payload.get('subject', ''))}`"
            + (f" — {_cell(w.payload['comment'])}" if w.payload.get("comment") else "")
            for w in ledger.approvals("waiver", case_id=plan.case_id) if w.payload.get("decision") == "approve"]
    waiting = _open_review_pairs(plan, set(ledger.review_decisions(plan.case_id)))
    if waiting:
        out.append(f"* review pairs still open: {waiting} (see `hotpass review list --case {plan.case_id}`)")
    return out


def _open_review_pairs(plan: "BundlePlan", decided: set[str]) -> int:
    queue = next((p.source for p in plan.pieces if p.key == "review" and p.present), None)
    if queue is None:
        return 0
    try:
        pairs = json.loads(queue.read_text(encoding="utf-8")).get("pairs", [])
    except (OSError, ValueError, AttributeError):
        return 0
    return sum(1 for pair in pairs if not pair.get("decision") and pair.get("pair_id") not in decided)


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")
