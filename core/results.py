"""What refine and the case preview hand back to whichever face called them.

Plain dataclasses: the command face prints them with rich, the UI shows them in panes, the batch
runner writes them as JSON. None of them re-does any of the work.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

REFINE_STAGES = [
    "discover", "read", "normalise", "notices", "resolve", "survivorship", "validate", "write",
]


@dataclass
class SheetReport:
    """One sheet of one file: used or skipped, and how its columns mapped."""

    file: str
    sheet: str  # "" for CSV
    status: str  # "used" | "skipped"
    reason: str = ""
    role: str = ""  # "organisation" | "contact"
    header_row: int | None = None  # as Excel shows it (1-based); CSV line number
    mapping: dict[str, str] = field(default_factory=dict)  # column header -> field
    unmapped: list[str] = field(default_factory=list)
    data_rows: int = 0
    rows_used: int = 0
    blank_rows: int = 0


@dataclass
class FileReport:
    file: str
    format: str
    source_label: str
    priority: int
    sheets: list[SheetReport] = field(default_factory=list)


@dataclass
class CasePreview:
    """Prepare step: every file and sheet, the header found, the mapping, what is skipped and why."""

    input_dir: Path
    profile: str
    files: list[FileReport] = field(default_factory=list)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)

    @property
    def sheets(self) -> list[SheetReport]:
        return [sheet for f in self.files for sheet in f.sheets]


@dataclass
class InvalidValueReport:
    file: str
    sheet: str
    row: int
    column: str
    field: str
    reason: str
    value: str = ""  # written to the operator's CSV only, never printed: it may be personal data


@dataclass
class NoticeReport:
    source: str
    path: Path
    rows: int
    reasons: dict[str, int] = field(default_factory=dict)


@dataclass
class LinkReport:
    """How contact rows found their organisation."""

    by_id: int = 0
    by_name: int = 0
    own_name: int = 0  # no organisation row in the workbook; kept under the contact's organisation name
    unlinked: int = 0  # no link and no organisation name: written to a notice


@dataclass
class ReviewItem:
    pair_id: str
    left: dict[str, Any]
    right: dict[str, Any]
    score: float
    explanation: str
    decision: str | None = None


@dataclass
class RefineResult:
    case_id: str
    run_id: str
    profile: str
    input_dir: Path
    output_path: Path
    preview: CasePreview
    rows_in: int = 0
    organisations_out: int = 0
    links: LinkReport = field(default_factory=LinkReport)
    notices: list[NoticeReport] = field(default_factory=list)
    invalid_values: list[InvalidValueReport] = field(default_factory=list)
    invalid_values_path: Path | None = None
    merges: int = 0
    merge_explanations: list[str] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    review_queue_path: Path | None = None
    report_path: Path | None = None
    summary_path: Path | None = None  # the human summary (Markdown)
    inputs: list[Path] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    resolve_timings: dict[str, float] = field(default_factory=dict)  # seconds per phase of resolve, in order
    pairs_compared: int = 0
    organisations: Any = None  # pandas DataFrame of the Data sheet, for faces that page through it
    validation: Any = None  # core.validate.results.ValidationReport (skipped=True with --no-validate)
    archive_path: Path | None = None  # with --archive: dist/<case>/archive/refined-<stamp>-<sha12>.zip

    def summary_dict(self) -> dict[str, Any]:
        """JSON-ready summary (no DataFrame, no personal data)."""
        # asdict deep-copies every field: not the Data frame and the fields left out or rebuilt below
        data = asdict(replace(self, organisations=None, merge_explanations=[], review=[], validation=None))
        data.pop("organisations")
        data.pop("merge_explanations")
        data["validation"] = self.validation.public() if self.validation is not None else None  # no values
        # Where a value failed and why, never the value: it may be an email or a phone. Only the
        # operator's own invalid-values.csv holds the values themselves.
        for item in data["invalid_values"]:
            item.pop("value", None)
        # The explanation is safe to show: it names domains and names, never a phone or an address.
        data["review"] = [{"pair_id": r.pair_id, "score": r.score, "decision": r.decision,
                           "explanation": r.explanation} for r in self.review]
        return _jsonable(data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value
