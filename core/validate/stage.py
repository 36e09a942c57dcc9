"""Refine's validate stage: suites from the profile, the worker's verdict, the reports staged.

A blocking failure raises ExpectationFailed before the write stage, so nothing of the run is
committed and the previous outputs stay as they were.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pandas as pd

from core.case import Case
from core.errors import ExpectationFailed
from core.profiles import Profile
from core.results import CasePreview
from core.staging import RunStaging
from core.validate.frames import refined_frame, sheet_frames
from core.validate.results import ExpectationOutcome, ValidationReport
from core.validate.runner import ValidationWorker
from core.validate.suites import SuitePlan, export_suites, plan_suites

DETAILS_SHOWN = 5  # failing values in the error: enough to find the column, never a whole column


def reports_of(case: Case) -> dict[str, Path]:
    reports = case.reports_dir
    return {"results": reports / "validation-results.json", "suites": reports / "expectation-suites.json",
            "docs": reports / "data-docs"}


def previous_docs(case: Case) -> list[Path]:
    """The Data Docs files an earlier run left: this run's commit replaces them all."""
    folder = reports_of(case)["docs"]
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


class PreparedFrames:
    """The source sheets' frames, taken right after normalisation (while raw and records line up)."""

    def __init__(self, profile: Profile, preview: CasePreview, raw: pd.DataFrame, records: pd.DataFrame) -> None:
        self.plans = plan_suites(profile, preview)
        self.frames = sheet_frames(raw, records, self.plans[:-1], profile.ingest.placeholders)


def submit_sheets(worker: ValidationWorker, prepared: PreparedFrames, run_id: str, staging: RunStaging) -> None:
    """The source sheets go to the worker at once: it checks them while this process resolves."""
    scratch = staging.folder / "data-docs"
    shutil.rmtree(scratch, ignore_errors=True)
    worker.submit({"suites": export_suites(prepared.plans[:-1]), "frames": prepared.frames,
                   "docs_dir": str(scratch), "run_name": run_id}, final=False)
    prepared.frames = {}  # pickled for the worker now: the frames need not stay through resolve


def run_validation(worker: ValidationWorker, prepared: PreparedFrames, data: pd.DataFrame, case: Case,
                   run_id: str, staging: RunStaging, cancel: threading.Event | None = None) -> ValidationReport:
    """The refined Data to the worker (after `submit_sheets`), then its verdict on every suite."""
    started = time.perf_counter()
    plans = prepared.plans
    worker.submit({"suites": export_suites(plans[-1:]), "frames": {plans[-1].name: refined_frame(data, plans[-1])}},
                  final=True)
    response = worker.verdict(cancel)
    timings = dict(response.get("timings", {}))
    for moment, at in response.get("clock", {}).items():  # seconds after the worker was started
        timings[f"{moment}_after_start"] = round(at - worker.spawned_at, 3)
    report = ValidationReport(outcomes=_outcomes(plans, response), timings=timings)
    paths = reports_of(case)
    _write_json(staging.path_for(paths["results"]), {"run_id": run_id, "gx_version": response.get("gx_version"),
                                                     "summary": report.public(), "results": response["results"]})
    _write_json(staging.path_for(paths["suites"]), export_suites(plans))
    report.results_path, report.suites_path = paths["results"], paths["suites"]
    report.files += [paths["results"], paths["suites"]]
    report.docs_path = paths["docs"] / "index.html"  # built by the worker while the workbook is written
    report.seconds = time.perf_counter() - started
    return report


def stage_data_docs(worker: ValidationWorker, report: ValidationReport, case: Case, staging: RunStaging,
                    cancel: threading.Event | None = None) -> list[Path]:
    """Wait for the worker's Data Docs and stage every page; returns their final paths."""
    done = worker.wait_for_docs(cancel)
    report.timings.update(done.get("timings", {}))
    scratch, folder, staged = Path(done["data_docs"]), reports_of(case)["docs"], []
    for page in sorted(p for p in scratch.rglob("*") if p.is_file()):
        final = folder / page.relative_to(scratch)
        os.replace(page, staging.path_for(final))
        staged.append(final)
    shutil.rmtree(scratch, ignore_errors=True)
    report.files += staged
    return staged


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, indent=2, default=str), encoding="utf-8")


def _outcomes(plans: list[SuitePlan], response: dict) -> list[ExpectationOutcome]:
    out = []
    for plan in plans:
        for item in response["outcomes"].get(plan.name, []):
            meta, kwargs = item["meta"], item["kwargs"]
            out.append(ExpectationOutcome(
                suite=plan.name, target=plan.target, file=plan.file, sheet=plan.sheet,
                expectation=item["expectation"], column=str(kwargs.get("column", "")),
                blocking=bool(meta.get("blocking")), success=item["success"],
                observed=observed_text(item), why=str(meta.get("why", "")),
                element_count=int(item["facts"].get("element_count") or 0),
                unexpected_count=int(item["facts"].get("unexpected_count") or 0),
                error=item["error"], failing_values=list(item["failing"])))
    return out


def observed_text(item: dict) -> str:
    facts, kind = item["facts"], item["expectation"]
    if item["error"]:
        return f"could not be evaluated: {item['error'][:120]}"
    if kind == "expect_column_to_exist":
        return "column present" if item["success"] else "column missing"
    if "observed_value" in facts:
        value = facts["observed_value"]
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if "unexpected_count" in facts:
        total = int(facts.get("element_count") or 0)
        present = total - int(facts.get("missing_count") or 0)
        failed = int(facts["unexpected_count"])
        if kind == "expect_column_values_to_not_be_null":
            return f"{failed:,} of {total:,} empty" if failed else f"all {total:,} filled"
        if not failed:
            return f"all {present:,} non-empty values pass"
        share = failed / present if present else 0.0
        return f"{failed:,} of {present:,} non-empty values fail ({share:.1%})"
    return "pass" if item["success"] else "fail"


def raise_for_blocking(report: ValidationReport) -> None:
    failures = report.blocking_failures
    if not failures:
        return
    first = failures[0]
    details = [f"{first.expectation} on {first.column or 'the table'}: {first.observed}"]
    details += [f"row {row}: {value}" for row, value in first.failing_values[:DETAILS_SHOWN]]
    for other in failures[1:]:
        details.append(f"also blocking: {other.target} › {other.expectation} on {other.column}: {other.observed}")
    raise ExpectationFailed(
        f"blocking expectation {first.expectation} failed on {first.column or 'the table'} ({first.observed})",
        file=first.file or "refined Data", sheet=first.sheet or None, key=first.column or None, details=details,
        hint="correct the workbook (or the column mapping), or set the expectation's severity to warning in the "
             "profile; --no-validate skips validation and is recorded as a deviation")
