"""The one place the UI calls the core and the ledger.

Every method here is blocking and runs inside a thread worker, never on the UI thread: that is
also why the heavy imports (pandas through core.refine, sqlite through ledger) sit inside the
methods, so that the first frame paints before any of them loads. Tests hand the app a fake with
the same methods.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

ProgressFn = Callable[[Any], None]


@dataclass
class Session:
    """What the operator is working on; panes read it, workers' results update it on the UI thread."""

    case_id: str
    input_dir: Path
    profile: str = "generic"
    profiles: list[tuple[str, str]] = field(default_factory=list)
    preview: Any = None  # core.results.CasePreview
    result: Any = None  # core.results.RefineResult of the last run in this session
    last_run: str = "none yet"
    busy: str = ""  # what a long job is doing, for the status strip


class Backend(Protocol):
    workspace: Path
    log_path: Path | None

    def open_case(self, case_id: str) -> tuple[Path, list[tuple[str, str]], list[str]]: ...
    def preview(self, input_dir: Path, profile: str, progress: ProgressFn, cancel: threading.Event) -> Any: ...
    def refine(
        self, case_id: str, input_dir: Path, profile: str, progress: ProgressFn, cancel: threading.Event
    ) -> Any: ...
    def decide(self, case_id: str, pair_id: str, decision: str, summary: str) -> None: ...
    def add_next_step(self, text: str, owner: str | None, due: str | None, case_id: str | None) -> None: ...
    def complete_next_step(self, step_id: Any, comment: str) -> None: ...
    def ledger_snapshot(self) -> tuple[list[dict], list[dict], list[dict]]: ...
    def ledger_head(self) -> tuple[int, str]: ...


class CoreBackend:
    """The real thing: core.refine for the work, the ledger for the evidence."""

    def __init__(self, workspace: Path, ledger_path: Path | None) -> None:
        self.workspace = workspace
        self._explicit_ledger = ledger_path
        self.log_path = workspace / ".hotpass" / "logs" / "ui.log"
        self._ledger: Any = None
        self._lock = threading.Lock()  # workers may open the ledger at the same moment

    # -- case and profiles -------------------------------------------------------------------
    def open_case(self, case_id: str) -> tuple[Path, list[tuple[str, str]], list[str]]:
        from core.case import Case
        from core.profiles import list_profiles

        input_dir = Case(case_id, workspace=self.workspace).input_dir
        if case_id == "sample" and not input_dir.exists():
            from core.sample import ensure_sample_case

            input_dir = ensure_sample_case(self.workspace)
        profiles = [(info.name, info.description or "") for info in list_profiles()]
        data_root = self.workspace / "data"
        cases = sorted(p.name for p in data_root.iterdir() if p.is_dir()) if data_root.is_dir() else []
        return input_dir, profiles, cases

    def preview(self, input_dir: Path, profile: str, progress: ProgressFn, cancel: threading.Event) -> Any:
        from core.profiles import load_profile
        from core.refine import preview_case

        return preview_case(input_dir, load_profile(profile), progress=progress, cancel=cancel)

    def refine(self, case_id: str, input_dir: Path, profile: str, progress: ProgressFn, cancel: threading.Event) -> Any:
        from core.case import new_run_id
        from core.profiles import load_profile
        from core.refine import refine

        case = self._case(case_id, input_dir)
        decisions = self._ledger_call(lambda ledger: ledger.review_decisions(case_id))
        started = _now()
        run_id = new_run_id()
        argv = ["hotpass", "(ui)", "refine", "--profile", profile, "--input-dir", str(input_dir)]
        try:
            result = refine(case, load_profile(profile), run_id=run_id, decisions=decisions,
                            progress=progress, cancel=cancel)
        except BaseException as exc:
            self._record_run(argv, started, _exit_code(exc), [input_dir], [], case_id)
            raise
        self._record_run(argv, started, 0, list(result.inputs), list(result.outputs), case_id)
        return result

    def _case(self, case_id: str, input_dir: Path) -> Any:
        from core.case import Case

        default = Case(case_id, workspace=self.workspace)
        if input_dir.resolve() == default.input_dir.resolve():
            return default
        return Case(case_id, workspace=self.workspace, input_dir_override=input_dir)

    # -- ledger ------------------------------------------------------------------------------
    def decide(self, case_id: str, pair_id: str, decision: str, summary: str) -> None:
        self._ledger_call(lambda ledger: ledger.record_review_decision(case_id, pair_id, decision, summary=summary))

    def add_next_step(self, text: str, owner: str | None, due: str | None, case_id: str | None) -> None:
        self._ledger_call(lambda ledger: ledger.add_next_step(text, owner=owner, due=due, case_id=case_id))

    def complete_next_step(self, step_id: Any, comment: str) -> None:
        self._ledger_call(lambda ledger: ledger.complete_next_step(step_id, comment=comment))

    def ledger_snapshot(self) -> tuple[list[dict], list[dict], list[dict]]:
        def read(ledger: Any) -> tuple[list[dict], list[dict], list[dict]]:
            steps = [as_dict(step) for step in ledger.next_steps()]
            runs = [entry_dict(entry) for entry in ledger.entries(kind="run", limit=30)]
            approvals = [entry_dict(entry) for entry in ledger.entries(kind="approval", limit=30)]
            approvals += [entry_dict(entry) for entry in ledger.entries(kind="review_decision", limit=30)]
            approvals.sort(key=lambda entry: entry.get("seq", 0), reverse=True)
            return steps, runs, approvals

        return self._ledger_call(read)

    def ledger_head(self) -> tuple[int, str]:
        count, head = self._ledger_call(lambda ledger: ledger.head())
        return int(count), str(head or "")

    def _ledger_call(self, call: Callable[[Any], Any]) -> Any:
        with self._lock:
            if self._ledger is None:
                from ledger import Ledger, resolve_ledger_path

                self._ledger = Ledger(resolve_ledger_path(self._explicit_ledger, cwd=self.workspace))
        return call(self._ledger)

    def _record_run(self, argv: list[str], started: datetime, code: int, inputs: list, outputs: list, case_id: str) -> None:
        self._ledger_call(lambda ledger: ledger.record_run(
            "refine", argv, started, _now(), code, inputs, outputs, case_id=case_id))


def entry_dict(entry: Any) -> dict:
    """A ledger Entry with its one-line summary, which the ledger words better than any view."""
    data = as_dict(entry)
    data["summary"] = entry.summary() if hasattr(entry, "summary") else str(data.get("subject", ""))
    return data


def as_dict(item: Any) -> dict:
    """Ledger rows may come back as dicts, dataclasses or row objects; views want dicts."""
    if isinstance(item, Mapping):
        return dict(item)
    if dataclasses.is_dataclass(item):
        return dataclasses.asdict(item)
    return dict(vars(item))


def _exit_code(exc: BaseException) -> int:
    return int(getattr(exc, "exit_code", 1))


def _now() -> datetime:
    return datetime.now(timezone.utc)
