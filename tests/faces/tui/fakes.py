"""A stand-in for the core and the ledger, built from the core's own result dataclasses.

Pilot and snapshot tests use it so that they are fast, deterministic and independent of the
pipeline's progress; one test drives the real service end to end.
Run `python -m tests.faces.tui.fakes [ROWS]` to try the UI on fake data by hand.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

from core.errors import Cancelled, HotpassError, UnreadableInput, UsageError
from core.progress import Reporter
from core.results import (REFINE_STAGES, CasePreview, FileReport, LinkReport, NoticeReport, RefineResult,
                          ReviewItem, SheetReport)
from core.runbook.result import StepResult
from core.runbook.runner import internal_error
from core.workspace import Workspace
from hotpass_tui.service import CaseChoices, HandoffOverview, LedgerSnapshot, ui_argv
from ledger.models import (KIND_APPROVAL, KIND_REVIEW, KIND_RUN, KIND_STEP_DONE, KIND_STEP_OPENED, Entry, NextStep,
                           derive_next_steps)
from tests.faces.tui.fake_quality import fake_contracts, fake_quality
from tests.faces.tui.validation_fakes import fake_validation

FROZEN_NOW = datetime(2026, 1, 15, 9, 30)
FROZEN_HOST = "bastion-01"
PROVINCES = ["Gauteng", "Western Cape", "KwaZulu-Natal", "Eastern Cape", "Limpopo"]


def fake_preview(input_dir: Path, profile: str) -> CasePreview:
    orgs = SheetReport("schools.xlsx", "Schools", "used", role="organisation", header_row=3,
                       mapping={"Organisation Name": "organization_name", "Tel.": "contact_primary_phone",
                                "E-mail": "contact_primary_email", "Province": "province"},
                       unmapped=["Col7"], data_rows=120, rows_used=118, blank_rows=2)
    lookup = SheetReport("schools.xlsx", "Lookups", "skipped", reason="no header row maps two fields")
    people = SheetReport("contacts.csv", "", "used", role="contact", header_row=1,
                         mapping={"First Name": "contact_first_name", "Surname": "contact_last_name",
                                  "Company": "organization_name"}, data_rows=40, rows_used=40)
    return CasePreview(input_dir=input_dir, profile=profile,
                       files=[FileReport("schools.xlsx", "xlsx", "schools", 2, [orgs, lookup]),
                              FileReport("contacts.csv", "csv", "contacts", 1, [people])],
                       skipped_files=[("~$schools.xlsx", "Office lock file")])


def fake_frame(rows: int) -> Any:
    import pandas as pd

    index = pd.RangeIndex(rows)
    return pd.DataFrame({
        "organization_name": [f"Organisation {i:06d}" for i in index],
        "organization_slug": [f"organisation-{i:06d}" for i in index],
        "province": [PROVINCES[i % len(PROVINCES)] for i in index],
        "contact_primary_phone": [f"+2782{i:07d}" for i in index],
        "contact_primary_email": [f"info@org{i}.co.za" for i in index],
        "website": [f"https://org{i}.co.za" for i in index],
        "data_quality_score": [round((i % 5) / 4, 2) for i in index],
    })


def fake_review() -> list[ReviewItem]:
    left = {"organization_name": "360 Aviation", "province": "Gauteng", "website": "https://360aviation.co.za",
            "contact_primary_phone": "+27115550100"}
    return [
        ReviewItem("pair-1", left, {**left, "organization_name": "360 Aviation (Pty) Ltd",
                                    "contact_primary_phone": "+27115550199"}, 0.86,
                   "names equal after removing the legal form; same website domain; phones differ"),
        ReviewItem("pair-2", {"organization_name": "Blue Sky Flight School", "province": "Western Cape"},
                   {"organization_name": "Blue Skies Flying", "province": "Western Cape"}, 0.74,
                   "names 81% similar; same province; no shared phone, email or website"),
        ReviewItem("pair-3", {"organization_name": "Acme Maintenance", "area": "Durban"},
                   {"organization_name": "Acme Maintenance", "area": "Pietermaritzburg"}, 0.71,
                   "same name; different towns (possible branches of one chain)"),
    ]


class FakeService:
    """The UI's service without the pipeline: same methods and return types as CoreService
    (test_service_contract.py holds both to one suite), frozen clock, payloads made up front."""

    def __init__(self, workspace: Path, rows: int = 500, stage_delay: float = 0.0, fail_with: Exception | None = None):
        self.workspace = Workspace(workspace, workspace / ".hotpass" / "ledger.db")
        self.log_path = workspace / ".hotpass" / "logs" / "ui.log"
        self.rows, self.stage_delay, self.fail_with = rows, stage_delay, fail_with
        self.decisions: dict[str, str] = {}
        self.entries: list[Entry] = []
        self.refine_calls = 0
        self.enrich_options: Any = None  # what the last enrich was handed

    def open_case(self, case_id: str) -> CaseChoices:
        return CaseChoices(self.workspace.data_dir / case_id, [("aviation", "flight schools"), ("generic", "baseline")],
                           [case_id])

    def preview(self, input_dir: Path, profile: str, progress, cancel: threading.Event) -> CasePreview:
        if not str(input_dir).endswith(("sample", "other")):
            raise UnreadableInput("not a spreadsheet", file=input_dir / "broken.xlsx", hint="re-save it as .xlsx")
        return fake_preview(input_dir, profile)

    def run_step(self, step_id: str, case_id: str, input_dir: Path, profile: str, progress,
                 cancel: threading.Event, options: Any = None, action: str = "") -> StepResult:
        if step_id not in ("refine", "telemetry", "enrich", "handoff", "contracts", "quality"):
            raise NotImplementedError(f"the fake service has no {step_id} step yet")
        error, payload = None, None
        try:
            payload = (self.refine(case_id, input_dir, profile, progress, cancel) if step_id == "refine"
                       else self.enrich(case_id, profile, progress, cancel, options) if step_id == "enrich"
                       else self.handoff(case_id) if step_id == "handoff"
                       else fake_contracts(self, case_id, profile) if step_id == "contracts"
                       else fake_quality(self, case_id, profile, options) if step_id == "quality"
                       else self.telemetry_step(options))
        except HotpassError as exc:
            error = exc
        except Exception as exc:  # as the runner does: the traceback to a log, an InternalError on the result
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self.log_path.write_text(traceback.format_exc(), encoding="utf-8")
            error = internal_error(step_id, self.log_path, exc)
        status = "ok" if error is None else ("cancelled" if isinstance(error, Cancelled) else "failed")
        code = 0 if error is None else int(error.exit_code)
        self._log(KIND_RUN, step_id, {"command": step_id, "exit_code": code, "step": step_id, "status": status, "face": "ui",
                                      "argv": ["hotpass", *ui_argv(action or step_id, case_id, profile, None)]},
                  case_id)
        return StepResult(step_id, case_id, "20260115T093000Z-abc123", status, code, FROZEN_NOW, FROZEN_NOW,
                          timings=dict(getattr(payload, "timings", {})) if payload else {}, error=error,
                          ledger_seq=self.entries[-1].seq, payload=payload)

    def enrich(self, case_id: str, profile: str, progress, cancel: threading.Event, options: Any = None):
        from tests.faces.tui.fake_enrich import fake_enrich_result

        self.enrich_options = options
        return fake_enrich_result(self, case_id, profile, progress, cancel)

    def refine(self, case_id: str, input_dir: Path, profile: str, progress, cancel: threading.Event) -> RefineResult:
        self.refine_calls += 1
        reporter = Reporter(REFINE_STAGES, progress, cancel, min_interval=0.0, step="refine")
        for stage in REFINE_STAGES:
            reporter.stage(stage, total=4)
            for done in range(1, 5):
                time.sleep(self.stage_delay / 4)
                reporter.advance(done, 4, f"{stage} part {done}")
            if self.fail_with is not None and stage == "resolve":
                raise self.fail_with
        reporter.finish()
        review = fake_review()
        for item in review:
            item.decision = self.decisions.get(item.pair_id)
        dist = self.workspace.dist_dir / case_id
        notice = NoticeReport("schools", self.workspace.dist_dir / "contract-notices/run-1/schools.csv", 3,
                              {"repeated primary key": 3})
        return RefineResult(case_id=case_id, run_id="20260115T093000Z-abc123", profile=profile,
                            input_dir=input_dir, output_path=dist / "refined.xlsx",
                            preview=fake_preview(input_dir, profile), rows_in=self.rows + 60,
                            organisations_out=self.rows, links=LinkReport(10, 20, 3, 1), notices=[notice],
                            merges=57, merge_explanations=["“360 Aviation” = “360 AVIATION”: same name"],
                            review=review, timings={stage: 0.1 for stage in REFINE_STAGES},
                            pairs_compared=1234, organisations=fake_frame(self.rows),
                            validation=fake_validation(dist))

    def org_card(self, case_id: str, input_dir: Path | None, slug: str) -> Any:
        from tests.faces.tui.fake_org_card import fake_org_card

        return fake_org_card(slug, self.decisions)

    def split_out(self, case_id: str, input_dir: Path | None, slug: str, row: str, comment: str) -> Any:
        from tests.faces.tui.fake_org_card import fake_split_out

        return fake_split_out(self, case_id, slug, row, comment)

    def force(self, case_id: str, input_dir: Path | None, slug: str, other: str, decision: str, comment: str) -> Any:
        from tests.faces.tui.fake_org_card import fake_force

        return fake_force(self, case_id, slug, other, decision, comment)

    def sheet_view(self, input_dir: Path, profile: str, overlay: Any, file: str, sheet: str) -> tuple[Any, Any]:
        # The real reading: teaching is about a real workbook, and core.teach reads one in milliseconds.
        from core.teach import current_overlay, sheet_view

        overlay = overlay if overlay is not None else current_overlay(input_dir, profile)
        return sheet_view(input_dir, profile, overlay, file, sheet), overlay

    def save_overlay(self, input_dir: Path, profile: str, overlay: Any) -> Path:
        from core.teach import save_overlay

        return save_overlay(input_dir, profile, overlay)

    def decide(self, case_id: str, pair_id: str, decision: str, summary: str, comment: str = "") -> Entry:
        self.decisions[pair_id] = decision
        return self._log(KIND_REVIEW, pair_id, {"pair_id": pair_id, "decision": decision, "comment": comment,
                                                "summary": summary}, case_id)

    def open_incident(self, case_id: str, ticket_id: str, summary: str, severity: str):
        from tests.faces.tui.fake_quality import fake_incident

        return fake_incident(self, case_id, ticket_id, summary, severity)

    def approve(self, kind: str, subject: str, sha256: str | None, decision: str, comment: str,
                case_id: str | None) -> Entry:
        return self._log(KIND_APPROVAL, f"{kind}:{subject}", {"subject_kind": kind, "subject": subject,
                                                              "artefact_sha256": sha256, "decision": decision,
                                                              "comment": comment}, case_id)

    def add_next_step(self, text: str, owner: str | None, due: str | None, case_id: str | None) -> Entry:
        opened = sum(e.kind == KIND_STEP_OPENED for e in self.entries)
        return self._log(KIND_STEP_OPENED, f"NS-{opened + 1}", {"text": text, "owner": owner or None,
                                                                 "due": due or None}, case_id)

    def complete_next_step(self, step_id: str, comment: str) -> Entry:
        if not any(e.kind == KIND_STEP_OPENED and e.subject == step_id for e in self.entries):
            raise UsageError(f"there is no next step {step_id}", key=step_id)
        return self._log(KIND_STEP_DONE, step_id, {"comment": comment}, None)

    def ledger_snapshot(self) -> LedgerSnapshot:
        runs = [e for e in reversed(self.entries) if e.kind == KIND_RUN]
        decisions = [e for e in reversed(self.entries) if e.kind in (KIND_APPROVAL, KIND_REVIEW)]
        return LedgerSnapshot(derive_next_steps(self.entries), runs, decisions)

    @property
    def steps(self) -> list[NextStep]:
        return derive_next_steps(self.entries)

    # -- telemetry: canned tunnels and dashboard (tests/faces/tui/telemetry_fakes.py) -----------
    net_up = True  # whether the canned tunnel is up
    net_fail_with: Exception | None = None  # what `net up` / `net down` raise, if anything

    def handoff(self, case_id: str) -> Any:
        from core.handoff.bundle import HandoffResult

        folder = self.workspace.dist_dir / case_id / "handoff"
        return HandoffResult(case_id, folder, ["MANIFEST.sha256", "SUMMARY.md", "refined.xlsx"], "9d" * 32,
                             ["enriched.xlsx"], folder / "SUMMARY.md")

    def handoff_overview(self, case_id: str, profile: str) -> HandoffOverview:
        built = any(e.kind == KIND_RUN and e.payload.get("step") == "handoff" for e in self.entries)
        signed = any(e.kind == "handoff" for e in self.entries)
        pieces = [("refined.xlsx", "refined", True, True), ("enriched.xlsx", "enriched", True, False),
                  (f"contracts/{profile}.yaml", "contract", True, True), ("reports", "reports", True, True),
                  ("review-queue.json", "review", False, True)]
        commands = [f"#{e.seq} 09:30 {' '.join(e.payload.get('argv') or [e.subject])} → {e.payload.get('exit_code')}"
                    for e in self.entries if e.kind == KIND_RUN]
        return HandoffOverview(self.workspace.dist_dir / case_id / "handoff", pieces, {}, [], commands, built,
                               signed, "s3://evidence/cases")

    def sign_off(self, case_id: str, comment: str) -> Entry:
        return self._log("handoff", case_id, {"manifest_sha256": "9d" * 32, "comment": comment}, case_id)

    def push_handoff(self, case_id: str, destination: str, progress) -> Any:
        for done in range(1, 4):
            progress(done, 3)
        return SimpleNamespace(destination=destination, objects=3, uploaded=["a", "b", "c"], already_there=[])

    def tunnels(self) -> list:
        from tests.faces.tui.telemetry_fakes import fake_tunnels

        return fake_tunnels(self.net_up)

    def telemetry(self, case_id: str, tunnels: list) -> Any:
        from tests.faces.tui.telemetry_fakes import fake_board

        return fake_board(case_id, self.net_up)

    def telemetry_step(self, options: Any) -> Any:
        from tests.faces.tui.telemetry_fakes import fake_net_result

        self.net_calls = [*getattr(self, "net_calls", []), options]
        if self.net_fail_with is not None:
            raise self.net_fail_with
        self.net_up = options.action == "up"
        return fake_net_result(options)

    def ledger_head(self) -> tuple[int, str]:
        return len(self.entries), self.entries[-1].hash if self.entries else "0" * 64

    def _log(self, kind: str, subject: str, payload: dict, case_id: str | None) -> Entry:
        seq = len(self.entries) + 1
        prev = self.entries[-1].hash if self.entries else "0" * 64
        entry = Entry(seq, kind, FROZEN_NOW.isoformat(), "operator", FROZEN_HOST, case_id, subject, payload,
                      prev, f"{seq:064x}")
        self.entries.append(entry)
        return entry


if __name__ == "__main__":  # pragma: no cover - manual tryout
    import sys
    import tempfile

    from hotpass_tui.app import HotpassApp, sixteen_colours

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    delay = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    HotpassApp(FakeService(Path(tempfile.mkdtemp()), rows=rows, stage_delay=delay), ansi=sixteen_colours()).run()

