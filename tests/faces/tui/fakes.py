"""A stand-in for the core and the ledger, built from the core's own result dataclasses.

Pilot and snapshot tests use it so that they are fast, deterministic and independent of the
pipeline's progress; one test drives the real backend end to end.
Run `python -m tests.faces.tui.fakes [ROWS]` to try the UI on fake data by hand.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from core.errors import UnreadableInput
from core.progress import Reporter
from core.results import (REFINE_STAGES, CasePreview, FileReport, LinkReport, NoticeReport, RefineResult,
                          ReviewItem, SheetReport)

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


class FakeBackend:
    def __init__(self, workspace: Path, rows: int = 500, stage_delay: float = 0.0, fail_with: Exception | None = None):
        self.workspace = workspace
        self.log_path = workspace / ".hotpass" / "logs" / "ui.log"
        self.rows, self.stage_delay, self.fail_with = rows, stage_delay, fail_with
        self.decisions: dict[str, str] = {}
        self.entries: list[dict] = []
        self.steps: list[dict] = []
        self.refine_calls = 0

    def open_case(self, case_id: str) -> tuple[Path, list[tuple[str, str]], list[str]]:
        return self.workspace / "data" / case_id, [("aviation", "flight schools"), ("generic", "baseline")], [case_id]

    def preview(self, input_dir: Path, profile: str, progress, cancel: threading.Event) -> CasePreview:
        if not str(input_dir).endswith(("sample", "other")):
            raise UnreadableInput("not a spreadsheet", file=input_dir / "broken.xlsx", hint="re-save it as .xlsx")
        return fake_preview(input_dir, profile)

    def refine(self, case_id: str, input_dir: Path, profile: str, progress, cancel: threading.Event) -> RefineResult:
        self.refine_calls += 1
        reporter = Reporter(REFINE_STAGES, progress, cancel, min_interval=0.0)
        for stage in REFINE_STAGES:
            reporter.stage(stage, total=4)
            for done in range(1, 5):
                time.sleep(self.stage_delay / 4)
                reporter.advance(done, 4, f"{stage} part {done}")
            if self.fail_with is not None and stage == "resolve":
                raise self.fail_with
        reporter.finish()
        self._log("run", "refine", {"command": "refine", "exit_code": 0}, case_id)
        review = fake_review()
        for item in review:
            item.decision = self.decisions.get(item.pair_id)
        dist = self.workspace / "dist" / case_id
        notice = NoticeReport("schools", self.workspace / "dist/contract-notices/run-1/schools.csv", 3,
                              {"repeated primary key": 3})
        return RefineResult(case_id=case_id, run_id="20260115T093000Z-abc123", profile=profile,
                            input_dir=input_dir, output_path=dist / "refined.xlsx",
                            preview=fake_preview(input_dir, profile), rows_in=self.rows + 60,
                            organisations_out=self.rows, links=LinkReport(10, 20, 3, 1), notices=[notice],
                            merges=57, merge_explanations=["“360 Aviation” = “360 AVIATION”: same name"],
                            review=review, timings={stage: 0.1 for stage in REFINE_STAGES},
                            pairs_compared=1234, organisations=fake_frame(self.rows))

    def decide(self, case_id: str, pair_id: str, decision: str, summary: str) -> None:
        self.decisions[pair_id] = decision
        self._log("review_decision", summary, {"pair_id": pair_id, "decision": decision}, case_id)

    def add_next_step(self, text: str, owner: str | None, due: str | None, case_id: str | None) -> None:
        self.steps.append({"id": f"NS-{len(self.steps) + 1}", "status": "open", "text": text, "owner": owner,
                           "due": due})
        self._log("next_step", text, {"text": text}, case_id)

    def complete_next_step(self, step_id: Any, comment: str) -> None:
        for step in self.steps:
            if step["id"] == step_id:
                step["status"] = "done"
        self._log("next_step_done", str(step_id), {"comment": comment}, None)

    def ledger_snapshot(self) -> tuple[list[dict], list[dict], list[dict]]:
        runs = [entry for entry in self.entries if entry["kind"] == "run"]
        approvals = [entry for entry in self.entries if entry["kind"] in ("approval", "review_decision")]
        return [dict(step) for step in self.steps], runs[::-1], approvals[::-1]

    def ledger_head(self) -> tuple[int, str]:
        return len(self.entries), f"{len(self.entries):064x}"

    def _log(self, kind: str, subject: str, payload: dict, case_id: str | None) -> None:
        self.entries.append({"seq": len(self.entries) + 1, "kind": kind, "at": FROZEN_NOW.isoformat(),
                             "who": "operator", "case_id": case_id, "subject": subject, "payload": payload})


if __name__ == "__main__":  # pragma: no cover - manual tryout
    import sys
    import tempfile

    from hotpass_tui.app import HotpassApp, sixteen_colours

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    delay = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    HotpassApp(FakeBackend(Path(tempfile.mkdtemp()), rows=rows, stage_delay=delay), ansi=sixteen_colours()).run()
