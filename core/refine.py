"""The refine orchestrator: calls each stage in order, reports progress, checks for cancel.

It writes only into the run's staging folder; the refine step (core/runbook/steps/refine.py)
commits the staged outputs together and records the run. Every face reaches it through that step.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from core.case import Case, new_run_id
from core.normalize.records import normalise_records
from core.errors import HotpassError, NoOrganisationData
from core.ingest.case_reader import IngestedCase, ingest_case
from core.ingest.prepared import using_prepared
from core.notices import find_notices, write_notices
from core.outputs import DataFiles, write_outputs
from core.profiles import Profile
from core.progress import ProgressCallback, Reporter
from core.resolve import resolve
from core.resolve.identity import index_path, save_index, stable_identity
from core.resolve.review import decisions_for_run
from core.results import REFINE_STAGES, CasePreview, RefineResult
from core.review_queue import explanations_by_cluster, review_items
from core.runtime import collector_paused, give_back_memory
from core.staging import RunStaging
from core.survivorship import survive
from core.validate.results import ValidationReport
from core.validate.runner import ValidationWorker
from core.validate.stage import PreparedFrames, raise_for_blocking, run_validation, stage_data_docs, submit_sheets


def preview_case(input_dir: Path, profile: Profile, progress: ProgressCallback | None = None,
                 cancel: threading.Event | None = None) -> CasePreview:
    """Prepare step: what refine would read, without writing anything. Broken files are listed, not fatal."""
    reporter = Reporter(REFINE_STAGES[:2], progress, cancel, step="prepare")
    return ingest_case(input_dir, profile, reporter, strict=False).preview


def refine(case: Case, profile: Profile, staging: RunStaging, *, run_id: str | None = None,
           decisions: Mapping[str, str] | None = None, progress: ProgressCallback | None = None,
           cancel: threading.Event | None = None, validator: ValidationWorker | None = None) -> RefineResult:
    """Refine a case into `staging`; nothing outside it is written (the caller commits it).

    `validator`: a started GX process (core.validate.runner); None skips validation.
    """
    with collector_paused():
        return _refine(case, profile, staging, run_id, decisions, progress, cancel, validator)


def _refine(case: Case, profile: Profile, staging: RunStaging, run_id: str | None,
            decisions: Mapping[str, str] | None, progress: ProgressCallback | None,
            cancel: threading.Event | None, validator: ValidationWorker | None = None) -> RefineResult:
    reporter = Reporter(REFINE_STAGES, progress, cancel, step="refine")
    run_id = run_id or new_run_id()
    ingested = ingest_case(case.input_dir, profile, reporter, read_ahead=True)
    raw = _records_or_fail(ingested)
    ingested.workbooks.clear()  # their rows are copied into `raw`: memory, not kept twice
    result = RefineResult(case.case_id, run_id, profile.name, case.input_dir, case.refined_path, ingested.preview,
                          rows_in=len(raw), links=ingested.links, inputs=list(ingested.files))

    reporter.stage("normalise", total=len(raw))
    with using_prepared(ingested.take_ahead()):  # the files the read stage's copies normalised
        records, result.invalid_values = normalise_records(raw, profile)
    prepared = PreparedFrames(profile, ingested.preview, raw, records) if validator else None
    if validator is not None and prepared is not None:
        submit_sheets(validator, prepared, run_id, staging)

    reporter.stage("notices")
    notices = find_notices(records, profile)
    result.notices = write_notices(raw, notices, case.notices_dir(run_id), place=staging.path_for)
    records = records.drop(index=notices.index).reset_index(drop=True)
    del raw  # its sheets went to the validation worker already: nothing later reads the rows as read

    reporter.stage("resolve", total=len(records))
    resolution = resolve(records, profile.resolution, (decided := decisions_for_run(records, decisions)),
                         progress=lambda done, total: reporter.advance(done, total), cancel=reporter.cancel)
    result.pairs_compared = resolution.pairs_compared
    result.resolve_timings = dict(resolution.timings)
    result.merges = len(resolution.merges)
    explanations = explanations_by_cluster(records, resolution)
    result.merge_explanations = sorted(set(explanations.values()))
    result.review = review_items(records, resolution, decided)
    cluster_ids = resolution.cluster_ids
    del resolution  # its pairs and evidence are in the explanations and the queue now
    give_back_memory()  # what resolve freed, before survivorship builds on top of it

    reporter.stage("survivorship", total=len(records))
    data, sources = survive(records, cluster_ids, profile, explanations)
    data, sources, identity = stable_identity(case.output_dir, records, cluster_ids, data, sources, run_id)
    result.organisations_out = len(data)
    result.organisations = data
    give_back_memory()

    reporter.stage("validate")
    data_files = None
    try:
        if validator is None or prepared is None:
            result.validation = ValidationReport(skipped=True)
        else:
            data_files = DataFiles(case, profile, result, data, sources, staging)
            data_files.start()  # the workbook is written while the GX process validates
            result.validation = run_validation(validator, prepared, data, case, run_id, staging, reporter.cancel)
            if result.validation.blocking_failures:
                _let_docs_finish(validator, reporter.cancel)
            raise_for_blocking(result.validation)  # before the commit: nothing of this run is kept
            result.outputs.extend(result.validation.files)

        reporter.stage("write", total=len(data))
        reporter.check_cancelled()
        result.timings = reporter.timings  # the same dict: the report written below sees every stage so far
        write_outputs(case, profile, result, data, sources, reporter, staging, data_files)
    except BaseException:
        if data_files is not None:  # its thread stops before the staging folder is removed
            data_files.abandon()
        raise
    save_index(staging.path_for(index_path(case.output_dir)), identity.index)
    if validator is not None and not result.validation.skipped:
        result.outputs.extend(stage_data_docs(validator, result.validation, case, staging, reporter.cancel))
    reporter.finish()
    return result


def _let_docs_finish(validator: ValidationWorker, cancel: threading.Event | None) -> None:
    """The worker builds Data Docs into the staging folder after its verdict: a run that stops on a
    blocking failure waits for them, so the folder is not removed under the worker's feet (its
    log then held a FileNotFoundError traceback). Its own failure here would only hide the verdict."""
    try:
        validator.wait_for_docs(cancel)
    except HotpassError:
        pass


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
