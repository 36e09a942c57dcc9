"""What a hand-off bundle holds, what is missing, and building it under dist/<case>/handoff/.

A missing piece stops the bundle unless the operator recorded a deviation for it
(`hotpass handoff deviate --case ID PIECE --why TEXT`): the summary then lists it as such.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import InputNotFound
from core.handoff.manifest import MANIFEST, manifest_text
from core.staging import sha256_of

if TYPE_CHECKING:
    from core.case import Case
    from core.runbook.context import StepContext
    from ledger import Ledger

HANDOFF_DIR = "handoff"


@dataclass(frozen=True)
class Piece:
    key: str  # what a deviation names to excuse it: refined, enriched, contract, reports, notices, …
    name: str  # its place in the bundle
    source: Path | None  # a file, or a folder copied whole
    required: bool

    @property
    def present(self) -> bool:
        return self.source is not None and self.source.exists()


@dataclass
class BundlePlan:
    case_id: str
    folder: Path
    pieces: list[Piece] = field(default_factory=list)
    excused: dict[str, str] = field(default_factory=dict)  # piece key -> the deviation's why

    @property
    def missing(self) -> list[Piece]:
        return [p for p in self.pieces if p.required and not p.present]

    @property
    def blocking(self) -> list[Piece]:
        return [p for p in self.missing if p.key not in self.excused]


@dataclass
class HandoffResult:
    case_id: str
    folder: Path
    files: list[str]
    manifest_sha256: str
    missing: list[str]  # excused by a deviation
    summary_path: Path
    timings: dict[str, float] = field(default_factory=dict)


def handoff_folder(case: "Case") -> Path:
    return case.output_dir / HANDOFF_DIR


def plan_bundle(case: "Case", profile_name: str, ledger: "Ledger") -> BundlePlan:
    from core.contracts.approval import approved_contract

    contract = approved_contract(ledger, case, profile_name)
    pieces = [
        Piece("refined", "refined.xlsx", case.refined_path, True),
        Piece("enriched", "enriched.xlsx", case.output_dir / "enriched.xlsx", True),
        Piece("contract", f"contracts/{profile_name}.yaml", contract.path if contract else None, True),
        Piece("reports", "reports", case.reports_dir, True),
        Piece("review", "review-queue.json", case.review_queue_path, False),
        Piece("lineage", "lineage/events.jsonl", case.output_dir / "lineage" / "events.jsonl", False),
    ]
    notices = _latest_notices(ledger, case.case_id)
    if notices is not None:
        pieces.append(Piece("notices", f"notices/{notices.name}", notices, False))
    excused = {}
    for deviation in ledger.deviations(case.case_id):
        for piece in pieces:
            if piece.key == deviation.what.strip().lower() or piece.name == deviation.what.strip():
                excused[piece.key] = deviation.why
    return BundlePlan(case.case_id, handoff_folder(case), pieces, excused)


def _latest_notices(ledger: "Ledger", case_id: str) -> Path | None:
    """The contract-notices folder of the case's latest good refine (per run id, outside dist/<case>/)."""
    for entry in ledger.entries(kind="run", case_id=case_id, limit=200):
        payload = entry.payload
        if payload.get("step") == "refine" and payload.get("status") == "ok":
            for facts in payload.get("outputs", []):
                path = Path(facts["path"])
                if path.parent.parent.name == "contract-notices":
                    return path.parent
            return None
    return None


def build_bundle(ctx: "StepContext", plan: BundlePlan) -> HandoffResult:
    """Copy the pieces, export the ledger's logs, write SUMMARY.md and MANIFEST.sha256, commit as one."""
    from core.handoff.summary import summary_markdown

    if plan.blocking:
        names = ", ".join(f"{p.name} ({p.key})" for p in plan.blocking)
        raise InputNotFound(f"the hand-off bundle is missing {names}", file=plan.folder, key=plan.blocking[0].key,
                            hint=f"run the step that makes it, or record why it is not there: `hotpass handoff "
                                 f"deviate --case {plan.case_id} {plan.blocking[0].key} --why TEXT`")
    ledger = ctx.open_ledger()
    entries: dict[str, str] = {}
    with ctx.staging() as staging:
        existing = [p for p in plan.folder.rglob("*") if p.is_file()] if plan.folder.is_dir() else []
        staging.replaces(existing)

        def add(name: str, source: Path) -> None:
            target = staging.path_for(plan.folder / name)
            shutil.copyfile(source, target)
            entries[name] = sha256_of(target)
            ctx.inputs.append(source)

        for piece in plan.pieces:
            if not piece.present:
                continue
            if piece.source.is_dir():
                for path in sorted(p for p in piece.source.rglob("*") if p.is_file()):
                    add(f"{piece.name}/{path.relative_to(piece.source).as_posix()}", path)
            else:
                add(piece.name, piece.source)
        with tempfile.TemporaryDirectory(dir=staging.folder) as export_dir:
            for path in ledger.export(Path(export_dir), lands_in=plan.folder / "ledger"):
                if path.name != "ledger.jsonl":  # the logs, not every payload: those stay in the ledger
                    add(f"ledger/{path.name}", path)
                    ctx.inputs.pop()  # a temporary copy, not an input
        summary = summary_markdown(ctx, plan, sorted(entries))
        summary_target = staging.path_for(plan.folder / "SUMMARY.md")
        summary_target.write_text(summary, encoding="utf-8")
        entries["SUMMARY.md"] = sha256_of(summary_target)
        manifest_target = staging.path_for(plan.folder / MANIFEST)
        manifest_target.write_text(manifest_text(entries), encoding="utf-8")
        manifest_sha = sha256_of(manifest_target)
        ctx.outputs.extend(staging.artefacts())
        staging.commit()
    for piece in plan.missing:
        ctx.deviate(f"hand-off without {piece.name}: {plan.excused.get(piece.key, '')}")
    return HandoffResult(plan.case_id, plan.folder, sorted([*entries, MANIFEST]), manifest_sha,
                         [p.name for p in plan.missing], plan.folder / "SUMMARY.md")
