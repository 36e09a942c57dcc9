"""Write refine's outputs into the run's staging folder: refined.xlsx (Data, Sources, Summary),
reports and the review queue. The refine step commits them together (core.staging)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from core.case import Case
from core.profiles import Profile
from core.progress import Reporter
from core.results import RefineResult
from core.review_queue import save_queue
from core.staging import RunStaging
from core.summary_text import summary_markdown
from core.write import parquet_paths, write_csv, write_parquet, write_workbook


def refine_outputs(case: Case) -> list[Path]:
    """Every file a refine may leave in the case's output folder: a new run replaces the whole set."""
    from core.validate.stage import previous_docs, reports_of

    validation = reports_of(case)
    return [case.refined_path, case.reports_dir / "invalid-values.csv", case.review_queue_path,
            case.reports_dir / "refine-report.json", case.reports_dir / "refine-summary.md",
            case.output_dir / "organisations-index.json",
            validation["results"], validation["suites"], *previous_docs(case),
            *parquet_paths(case.refined_path).values()]


class DataFiles:
    """refined.xlsx, its Parquet copies, invalid-values.csv and the review queue: nothing in them
    depends on validation, so with validation they are written in a thread while the GX process
    validates (`start`, then `join` once the verdict allows the run to go on).

    Their staged paths are reserved here, on the caller's thread and in this order, so the run's
    outputs are listed the same way every run whatever the threads do."""

    def __init__(self, case: Case, profile: Profile, result: RefineResult, data: pd.DataFrame,
                 sources: pd.DataFrame, staging: RunStaging) -> None:
        self.case, self.profile, self.result, self.data, self.sources = case, profile, result, data, sources
        self.staging = staging
        staging.replaces(refine_outputs(case))
        if result.invalid_values:
            result.invalid_values_path = case.reports_dir / "invalid-values.csv"
        result.review_queue_path = case.review_queue_path
        self.paths = [case.refined_path, *parquet_paths(case.refined_path).values(),
                      *([result.invalid_values_path] if result.invalid_values else []), case.review_queue_path]
        for path in self.paths:
            staging.path_for(path)
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def write(self, on_rows: Callable[[int], None] | None = None) -> list[Path]:
        case, result, data, sources, staging = self.case, self.result, self.data, self.sources, self.staging
        summary = summary_frame(result, data, self.profile)
        write_workbook(staging.path_for(case.refined_path), {"Data": data, "Sources": sources, "Summary": summary},
                       on_rows=on_rows)
        for sheet, path in parquet_paths(case.refined_path).items():  # Data and Sources for machines
            write_parquet(staging.path_for(path), data if sheet == "Data" else sources)
        if result.invalid_values:
            write_csv(staging.path_for(result.invalid_values_path),
                      pd.DataFrame([v.__dict__ for v in result.invalid_values]))
        save_queue(staging.path_for(case.review_queue_path), case.case_id, result.run_id, result.review)
        return list(self.paths)

    def start(self) -> None:
        def run() -> None:
            try:
                self.write(on_rows=self._check_stop)
            except BaseException as exc:  # noqa: BLE001 - raised again by join, on the run's thread
                self._error = exc

        self._thread = threading.Thread(target=run, name="hotpass-write-data", daemon=True)
        self._thread.start()

    def _check_stop(self, _rows: int) -> None:
        if self._stop.is_set():
            raise _Abandoned

    def join(self) -> list[Path]:
        """Wait for the thread (if any); raise what it raised; the final paths written."""
        if self._thread is None:
            return self.write()
        self._thread.join()
        self._thread = None
        if self._error is not None:
            raise self._error
        return list(self.paths)

    def abandon(self) -> None:
        """The run failed or was cancelled: stop the thread soon, before the staging folder goes."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None


class _Abandoned(Exception):
    pass


def write_outputs(case: Case, profile: Profile, result: RefineResult, data: pd.DataFrame,
                  sources: pd.DataFrame, reporter: Reporter, staging: RunStaging,
                  data_files: DataFiles | None = None) -> None:
    """Every output but validation's; `data_files` already started (with validation) or not."""
    if data_files is None:
        data_files = DataFiles(case, profile, result, data, sources, staging)
        written = data_files.write(on_rows=lambda n: reporter.advance(min(n, len(data)), len(data)))
    else:
        written = data_files.join()
        reporter.advance(len(data), len(data))
    result.outputs.extend(written)
    result.report_path = case.reports_dir / "refine-report.json"
    staging.path_for(result.report_path).write_text(
        json.dumps(result.summary_dict(), indent=2, default=str), encoding="utf-8")
    result.outputs.append(result.report_path)
    result.summary_path = case.reports_dir / "refine-summary.md"
    staging.path_for(result.summary_path).write_text(summary_markdown(result), encoding="utf-8")
    result.outputs.append(result.summary_path)
    result.outputs.extend(n.path for n in result.notices)


def summary_frame(result: RefineResult, data: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    sheets = result.preview.sheets
    rows: list[tuple[str, object]] = [
        ("Run id", result.run_id),
        ("Profile", result.profile),
        ("Data owner", profile.contract.owner),
        ("Dataset", profile.contract.description),
        ("Generated at (UTC)", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")),
        ("Input files", len(result.preview.files)),
        ("Sheets used", sum(s.status == "used" for s in sheets)),
        ("Sheets skipped", sum(s.status != "used" for s in sheets)),
        ("Input rows", result.rows_in),
        ("Organisations", len(data)),
        ("Rows in contract notices", sum(n.rows for n in result.notices)),
        ("Values not normalised", len(result.invalid_values)),
        ("Contacts linked by ID", result.links.by_id),
        ("Contacts linked by name", result.links.by_name),
        ("Merges", result.merges),
        ("Pairs for review", len(result.review)),
        ("Mean data quality score", round(float(data["data_quality_score"].mean()), 3) if len(data) else 0.0),
    ]
    rows += [(f"Completeness: {column}", f"{data[column].notna().mean():.1%}" if len(data) else "0.0%")
             for column in data.columns]
    return pd.DataFrame(rows, columns=["Metric", "Value"])
