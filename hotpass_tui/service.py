"""The UI's one door to the core and the ledger: a typed service that panes call from workers.

Every method blocks and runs inside a thread worker, never on the UI thread; heavy imports (pandas
through the pipeline, sqlite through the ledger) sit inside the methods so that the first frame
paints before any of them loads. Steps run through core.runbook's `run_step`, exactly as from the
commands and `--batch`: the service neither records runs nor checks approvals.

It returns the core's and the ledger's own types. Tests hand the app a fake with the same methods;
tests/faces/tui/test_service_contract.py runs one suite against both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from core.progress import ProgressEvent
    from core.results import CasePreview
    from core.runbook.result import StepResult
    from core.workspace import Workspace
    from ledger.models import Entry, NextStep

ProgressFn = Callable[["ProgressEvent"], None]


@dataclass
class Session:
    """What the operator is working on; panes read it, workers' results update it on the UI thread."""

    case_id: str
    input_dir: Path
    profile: str = "generic"
    profiles: list[tuple[str, str]] = field(default_factory=list)
    preview: Any = None  # core.results.CasePreview
    result: Any = None  # core.results.RefineResult of the last refine in this session
    last_run: str = "none yet"
    busy: str = ""  # what a long job is doing, for the status strip
    input_given: bool = False  # input_dir came from the command line: opening this case keeps it


@dataclass(frozen=True)
class CaseChoices:
    """What opening a case finds: its folder, the profiles on offer (name, description), other cases."""

    input_dir: Path
    profiles: list[tuple[str, str]]
    cases: list[str]


@dataclass(frozen=True)
class LedgerSnapshot:
    next_steps: list["NextStep"]
    runs: list["Entry"]  # newest first
    decisions: list["Entry"]  # approvals and review decisions, newest first


@dataclass(frozen=True)
class HandoffOverview:
    """What the Hand-off pane shows before anything is built: the bundle's pieces and the record."""

    folder: Path
    pieces: list[tuple[str, str, bool, bool]]  # (name, key, required, present)
    excused: dict[str, str]  # piece key -> the deviation's why
    deviations: list[str]
    commands: list[str]  # "#seq when argv → exit"
    built: bool
    signed: bool
    store: str | None  # HOTPASS_EVIDENCE_STORE: where `u` pushes


class RunbookService(Protocol):
    workspace: "Workspace"
    log_path: Path | None

    def open_case(self, case_id: str) -> CaseChoices: ...
    def preview(self, input_dir: Path, profile: str, progress: ProgressFn, cancel: threading.Event) -> "CasePreview": ...
    def run_step(self, step_id: str, case_id: str, input_dir: Path, profile: str, progress: ProgressFn,
                 cancel: threading.Event, options: Any = None, action: str = "") -> "StepResult": ...
    def sheet_view(self, input_dir: Path, profile: str, overlay: Any, file: str, sheet: str) -> tuple[Any, Any]: ...
    def save_overlay(self, input_dir: Path, profile: str, overlay: Any) -> Path: ...
    def org_card(self, case_id: str, input_dir: Path | None, slug: str) -> Any: ...  # core.org_card.OrgCard
    def split_out(self, case_id: str, input_dir: Path | None, slug: str, row: str,
                  comment: str) -> Any: ...  # core.org_decisions.OrgDecision
    def force(self, case_id: str, input_dir: Path | None, slug: str, other: str, decision: str,
              comment: str) -> Any: ...  # core.org_decisions.OrgDecision
    def decide(self, case_id: str, pair_id: str, decision: str, summary: str, comment: str = "") -> "Entry": ...
    def approve(self, kind: str, subject: str, sha256: str | None, decision: str, comment: str,
                case_id: str | None) -> "Entry": ...
    def add_next_step(self, text: str, owner: str | None, due: str | None, case_id: str | None) -> "Entry": ...
    def complete_next_step(self, step_id: str, comment: str) -> "Entry": ...
    def ledger_snapshot(self) -> LedgerSnapshot: ...
    def ledger_head(self) -> tuple[int, str]: ...
    def handoff_overview(self, case_id: str, profile: str) -> "HandoffOverview": ...
    def sign_off(self, case_id: str, comment: str) -> "Entry": ...
    def open_incident(self, case_id: str, ticket_id: str, summary: str, severity: str) -> Any: ...  # IncidentBundle
    def push_handoff(self, case_id: str, destination: str, progress: Callable[[int, int], None]) -> Any: ...
    def tunnels(self) -> list[Any]: ...  # core.net.manager.TunnelStatus, probed
    def telemetry(self, case_id: str, tunnels: list[Any]) -> Any: ...  # core.net.dashboard.Dashboard


def ui_argv(action: str, case_id: str, profile: str, input_dir: Path | None) -> tuple[str, ...]:
    """What the ledger shows for a step run from the UI: the command line it stands for."""
    argv = ("(ui)", action, "--case", case_id, "--profile", profile)
    return argv + ("--input-dir", str(input_dir)) if input_dir is not None else argv


class CoreService:
    """The real thing: core.runbook for the steps, the ledger for the evidence."""

    def __init__(self, workspace: "Workspace") -> None:
        self.workspace = workspace
        self.log_path = workspace.logs_dir / "ui.log"
        self._ledger: Any = None
        self._lock = threading.Lock()  # workers may open the ledger at the same moment

    # -- case and profiles -------------------------------------------------------------------
    def open_case(self, case_id: str) -> CaseChoices:
        from core.profiles import list_profiles

        case = self.workspace.case(case_id)
        self.workspace.ensure_sample(case)
        profiles = [(info.name, info.description or "") for info in list_profiles()]
        return CaseChoices(case.input_dir, profiles, self.workspace.cases())

    def preview(self, input_dir: Path, profile: str, progress: ProgressFn, cancel: threading.Event) -> "CasePreview":
        """The Prepare pane's live preview: read-only and frequent, so not recorded as a run."""
        from core.case_overlay import load_case_profile
        from core.refine import preview_case

        loaded = load_case_profile(profile, None, input_dir)  # the case's overlay, as refine will use it
        return preview_case(input_dir, loaded.profile, progress=progress, cancel=cancel)

    def run_step(self, step_id: str, case_id: str, input_dir: Path, profile: str, progress: ProgressFn,
                 cancel: threading.Event, options: Any = None, action: str = "") -> "StepResult":
        from core.runbook.context import Actor, StepContext
        from core.runbook.runner import run_step

        case = self.workspace.case(case_id, input_dir)
        argv = ui_argv(action or step_id, case_id, profile, case.input_dir_override)
        ctx = StepContext(self.workspace, case, Actor("ui", argv), profile_name=profile, progress=progress,
                          cancel=cancel, ledger=self._ledger_now())
        return run_step(step_id, ctx, options)

    def sheet_view(self, input_dir: Path, profile: str, overlay: Any, file: str, sheet: str) -> tuple[Any, Any]:
        """How one sheet reads under `overlay` (None: the case's saved one): (core.teach.SheetView, the overlay)."""
        from core.teach import current_overlay, sheet_view

        overlay = overlay if overlay is not None else current_overlay(input_dir, profile)
        return sheet_view(input_dir, profile, overlay, file, sheet), overlay

    def save_overlay(self, input_dir: Path, profile: str, overlay: Any) -> Path:
        """Write data/<case>/hotpass.yaml (checked first); the next refine records it as an input."""
        from core.teach import save_overlay

        return save_overlay(input_dir, profile, overlay)

    def org_card(self, case_id: str, input_dir: Path | None, slug: str) -> Any:
        """One organisation of the case's last refine, where each value came from, and the decisions on its
        rows from the ledger (core.org_card.OrgCard)."""
        from core.org_card import org_card
        from core.org_decisions import ledger_decisions

        case = self.workspace.case(case_id, input_dir)
        return org_card(case, slug, decisions=ledger_decisions(self._ledger_now(), case.case_id))

    def split_out(self, case_id: str, input_dir: Path | None, slug: str, row: str, comment: str) -> Any:
        """Take a row (FILE:SHEET:ROW or its record id) out of an organisation: planned as `hotpass review
        split-out` plans it, recorded as the review queue's decisions are (core.org_decisions.OrgDecision,
        with the decision it replaced, for undo)."""
        from dataclasses import replace

        from core.org_decisions import split_out, standing

        planned = split_out(self.workspace.case(case_id, input_dir), slug, row)
        before = standing(self._ledger_now().review_decisions(planned.case_id)).get(planned.pair_id)
        self.decide(planned.case_id, planned.pair_id, planned.decision, planned.summary, comment)
        return replace(planned, before=before)

    def force(self, case_id: str, input_dir: Path | None, slug: str, other: str, decision: str, comment: str) -> Any:
        """Two organisations together or apart on every refine (force_together, force_apart), as `hotpass
        review force-together|force-apart` records it."""
        from dataclasses import replace

        from core.org_decisions import force, standing

        planned = force(self.workspace.case(case_id, input_dir), slug, other, decision)
        before = standing(self._ledger_now().review_decisions(planned.case_id)).get(planned.pair_id)
        self.decide(planned.case_id, planned.pair_id, planned.decision, planned.summary, comment)
        return replace(planned, before=before)

    # -- ledger ------------------------------------------------------------------------------
    def decide(self, case_id: str, pair_id: str, decision: str, summary: str, comment: str = "") -> "Entry":
        return self._ledger_now().record_review_decision(case_id, pair_id, decision, comment=comment, summary=summary)

    def approve(self, kind: str, subject: str, sha256: str | None, decision: str, comment: str,
                case_id: str | None) -> "Entry":
        return self._ledger_now().record_approval(kind, subject, sha256, decision, comment=comment, case_id=case_id)

    def add_next_step(self, text: str, owner: str | None, due: str | None, case_id: str | None) -> "Entry":
        return self._ledger_now().add_next_step(text, owner=owner, due=due, case_id=case_id)

    def complete_next_step(self, step_id: str, comment: str) -> "Entry":
        return self._ledger_now().complete_next_step(step_id, comment=comment)

    def ledger_snapshot(self) -> LedgerSnapshot:
        ledger = self._ledger_now()
        decisions = ledger.entries(kind="approval", limit=30) + ledger.entries(kind="review_decision", limit=30)
        decisions.sort(key=lambda entry: entry.seq, reverse=True)
        return LedgerSnapshot(ledger.next_steps(), ledger.entries(kind="run", limit=30), decisions)

    def ledger_head(self) -> tuple[int, str]:
        count, head = self._ledger_now().head()
        return int(count), str(head or "")

    # -- hand-off (step 7) ---------------------------------------------------------------------
    def handoff_overview(self, case_id: str, profile: str) -> HandoffOverview:
        import os

        from core.handoff.bundle import plan_bundle
        from core.handoff.manifest import MANIFEST
        from core.handoff.signoff import signoff_of
        from core.staging import sha256_of

        ledger, case = self._ledger_now(), self.workspace.case(case_id)
        plan = plan_bundle(case, profile, ledger)
        runs = list(reversed(ledger.entries(kind="run", case_id=case_id, limit=40)))
        manifest = plan.folder / MANIFEST
        signed = manifest.is_file() and signoff_of(ledger, sha256_of(manifest)) is not None
        return HandoffOverview(
            plan.folder, [(p.name, p.key, p.required, p.present) for p in plan.pieces], dict(plan.excused),
            [f"{d.what}: {d.why}" for d in ledger.deviations(case_id)],
            [f"#{r.seq} {r.at[11:16]} {' '.join(r.payload.get('argv') or [r.subject])} → {r.payload.get('exit_code')}"
             for r in runs], manifest.is_file(), signed, os.environ.get("HOTPASS_EVIDENCE_STORE") or None)

    def sign_off(self, case_id: str, comment: str) -> "Entry":
        from core.handoff.bundle import handoff_folder
        from core.handoff.signoff import sign_bundle

        case = self.workspace.case(case_id)
        return sign_bundle(self._ledger_now(), case_id, handoff_folder(case), comment)

    def push_handoff(self, case_id: str, destination: str, progress: Callable[[int, int], None]) -> Any:
        from core.handoff.bundle import handoff_folder
        from core.handoff.push import push_bundle

        result = push_bundle(handoff_folder(self.workspace.case(case_id)), destination, progress)
        self._ledger_now().record_handoff_push(case_id, destination, result.manifest_sha256, result.objects)
        return result

    def open_incident(self, case_id: str, ticket_id: str, summary: str, severity: str) -> Any:
        from core.qa.incidents import open_incident
        from core.runbook.context import Actor

        return open_incident(self.workspace.case(case_id), self._ledger_now(), ticket_id, summary, severity,
                             who=Actor("ui").user)

    # -- telemetry (step 5): tunnels and the dashboard ----------------------------------------
    def tunnels(self) -> list[Any]:
        from core.net.manager import status

        return status(self.workspace.state_dir, timeout=min(2.0, self.workspace.network.timeout_s))

    def telemetry(self, case_id: str, tunnels: list[Any]) -> Any:
        from core.net.dashboard import read_dashboard

        return read_dashboard(self.workspace, self.workspace.case(case_id), self._ledger_now(), tunnels)

    def _ledger_now(self) -> Any:
        with self._lock:
            if self._ledger is None:
                self._ledger = self.workspace.open_ledger()
        return self._ledger
