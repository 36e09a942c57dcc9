"""The refine orchestrator: calls each stage in order, reports progress, checks for cancel.

Every face (command, UI, batch) calls `refine()` and shows the RefineResult it returns.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from core.case import Case, new_run_id
from core.normalize.records import normalise_records
from core.errors import NoOrganisationData
from core.ingest.case_reader import IngestedCase, ingest_case
from core.notices import find_notices, write_notices
from core.outputs import write_outputs
from core.profiles import Profile
from core.progress import ProgressCallback, Reporter
from core.resolve import resolve
from core.results import REFINE_STAGES, CasePreview, RefineResult
from core.review_queue import explanations_by_cluster, review_items
from core.runtime import collector_paused
from core.survivorship import survive


def preview_case(input_dir: Path, profile: Profile, progress: ProgressCallback | None = None,
                 cancel: threading.Event | None = None) -> CasePreview:
    """Prepare step: what refine would read, without writing anything. Broken files are listed, not fatal."""
    reporter = Reporter(REFINE_STAGES[:2], progress, cancel)
    return ingest_case(input_dir, profile, reporter, strict=False).preview


def refine(case: Case, profile: Profile, *, run_id: str | None = None,
           decisions: Mapping[str, str] | None = None, progress: ProgressCallback | None = None,
           cancel: threading.Event | None = None) -> RefineResult:
    with collector_paused():
        return _refine(case, profile, run_id, decisions, progress, cancel)


def _refine(case: Case, profile: Profile, run_id: str | None, decisions: Mapping[str, str] | None,
            progress: ProgressCallback | None, cancel: threading.Event | None) -> RefineResult:
    reporter = Reporter(REFINE_STAGES, progress, cancel)
    run_id = run_id or new_run_id()
    ingested = ingest_case(case.input_dir, profile, reporter)
    raw = _records_or_fail(ingested)
    result = RefineResult(case.case_id, run_id, profile.name, case.input_dir, case.refined_path, ingested.preview,
                          rows_in=len(raw), links=ingested.links, inputs=list(ingested.files))

    reporter.stage("normalise", total=len(raw))
    records, result.invalid_values = normalise_records(raw, profile)

    reporter.stage("notices")
    notices = find_notices(records, profile)
    result.notices = write_notices(raw, notices, case.notices_dir(run_id))
    records = records.drop(index=notices.index).reset_index(drop=True)

    reporter.stage("resolve", total=len(records))
    resolution = resolve(records, profile.resolution, decisions or {},
                         progress=lambda done, total: reporter.advance(done, total), cancel=reporter.cancel)
    result.pairs_compared = resolution.pairs_compared
    result.merges = len(resolution.merges)
    explanations = explanations_by_cluster(records, resolution)
    result.merge_explanations = sorted(set(explanations.values()))
    result.review = review_items(records, resolution)

    reporter.stage("survivorship", total=len(records))
    data, sources = survive(records, resolution.cluster_ids, profile, explanations)
    result.organisations_out = len(data)
    result.organisations = data

    reporter.stage("write", total=len(data))
    reporter.check_cancelled()
    result.timings = reporter.timings  # the same dict: the report written below sees every stage so far
    write_outputs(case, profile, result, data, sources, reporter)
    reporter.finish()
    return result


def _records_or_fail(ingested: IngestedCase) -> pd.DataFrame:
    records = ingested.records()
    if records.empty:
        reasons = [f"{s.file} › {s.sheet or '(csv)'}: {s.reason}" for s in ingested.preview.sheets]
        raise NoOrganisationData(
            "no sheet has an organisation name column with data",
            file=ingested.preview.input_dir,
            hint="check the headers against `hotpass profiles show`, or pick another --profile",
            details=reasons,
        )
    return records
