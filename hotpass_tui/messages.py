"""Typed messages that workers post to the UI.

Workers run in threads and must never touch a widget: they post one of these with
`widget.post_message(...)` (thread-safe in Textual) and the handler runs on the UI thread.
The payloads are core dataclasses, so the UI shows exactly what the core computed.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.message import Message

from core.errors import Cancelled, HotpassError, InternalError
from core.progress import ProgressEvent

log = logging.getLogger("hotpass.ui")


class JobProgress(Message):
    """A core progress callback fired inside a worker (`job` names the worker: preview, refine)."""

    def __init__(self, job: str, event: ProgressEvent) -> None:
        super().__init__()
        self.job = job
        self.event = event


class CaseOpened(Message):
    """The case folder exists (the sample was written if needed) and the profiles are known."""

    def __init__(self, case_id: str, input_dir: Path, profiles: list[tuple[str, str]], cases: list[str]) -> None:
        super().__init__()
        self.case_id = case_id
        self.input_dir = input_dir
        self.profiles = profiles  # (name, description)
        self.cases = cases  # folder names under data/, for the folder input's suggestions


class PreviewReady(Message):
    def __init__(self, preview: Any) -> None:  # core.results.CasePreview
        super().__init__()
        self.preview = preview


class RefineFinished(Message):
    def __init__(self, result: Any) -> None:  # core.runbook.result.StepResult[RefineResult]
        super().__init__()
        self.result = result


class SessionChanged(Message):
    """Case, profile or last run changed: the status strip and command lines follow."""


class LedgerChanged(Message):
    """Something was written to the ledger; views that show it reload, and `note` is shown."""

    def __init__(self, note: str = "") -> None:
        super().__init__()
        self.note = note


class LedgerState(Message):
    """Entry count and head hash of the ledger, for the status strip."""

    def __init__(self, count: int, head: str) -> None:
        super().__init__()
        self.count = count
        self.head = head


class LedgerLoaded(Message):
    """A snapshot of what the ledger view shows, read in a worker."""

    def __init__(self, snapshot: Any) -> None:  # hotpass_tui.service.LedgerSnapshot
        super().__init__()
        self.snapshot = snapshot


class ReviewDecided(Message):
    """A review decision reached the ledger."""

    def __init__(self, pair_id: str, decision: str) -> None:
        super().__init__()
        self.pair_id = pair_id
        self.decision = decision


class SearchDone(Message):
    """Row positions of the table's frame that match `query` (None: every row)."""

    def __init__(self, query: str, positions: Any) -> None:
        super().__init__()
        self.query = query
        self.positions = positions


class JobCancelled(Message):
    def __init__(self, job: str) -> None:
        super().__init__()
        self.job = job


@dataclass(frozen=True)
class Failure:
    """What the error modal shows: readable, with no locals and no secrets."""

    title: str
    text: str
    hint: str = ""


class JobFailed(Message):
    def __init__(self, job: str, failure: Failure) -> None:
        super().__init__()
        self.job = job
        self.failure = failure

    @classmethod
    def from_exception(cls, job: str, exc: BaseException, log_path: Path | None) -> "JobFailed | JobCancelled":
        """Operator mistakes say what to do; bugs go to the log with their traceback, not to the screen."""
        if isinstance(exc, Cancelled):
            return JobCancelled(job)
        if isinstance(exc, InternalError):  # the step path already logged the traceback
            return cls(job, Failure("Internal error", exc.message, exc.hint))
        if isinstance(exc, HotpassError):
            title = f"{job.capitalize()} stopped: {type(exc).__name__}"
            where = exc.location
            text = f"{where}\n{exc.message}" if where else exc.message
            return cls(job, Failure(title, text, exc.hint))
        written = _log_traceback(job, exc, log_path)
        text = f"An internal error ({type(exc).__name__}) stopped {job}. This is a bug, not your data."
        hint = f"The traceback is in {written}." if written else "Run the same step from the command line for details."
        return cls(job, Failure("Internal error", text, hint))


def _log_traceback(job: str, exc: BaseException, log_path: Path | None) -> Path | None:
    if log_path is None:
        return None
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {job}\n")
            handle.write("".join(traceback.format_exception(exc)))
        return log_path
    except OSError:  # a log we cannot write must not hide the original error
        log.exception("could not write %s", log_path)
        return None
