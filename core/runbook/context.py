"""What a step is handed: the workspace, the case, who runs it and how, and where to report."""

from __future__ import annotations

import getpass
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.case import Case, new_run_id
from core.progress import ProgressCallback, Reporter
from core.staging import Artefact, RunStaging
from core.workspace import Workspace

if TYPE_CHECKING:
    from core.profiles import Profile
    from ledger import Ledger

FACES = ("cli", "ui", "batch", "flow")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass(frozen=True)
class Actor:
    """Who runs the step, from where, and how: the ledger records this with the run."""

    face: str  # cli | ui | batch | flow
    argv: tuple[str, ...] = ()  # the command line, or the UI action as words
    user: str = field(default_factory=_user)
    host: str = field(default_factory=lambda: socket.gethostname().split(".")[0])

    def __post_init__(self) -> None:
        if self.face not in FACES:
            raise ValueError(f"unknown face {self.face!r}")


@dataclass
class StepContext:
    workspace: Workspace
    case: Case
    actor: Actor
    profile_name: str = "generic"
    profile_search_path: list[Path] = field(default_factory=list)
    progress: ProgressCallback | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    granted: frozenset[str] = frozenset()  # approval kinds granted by flags (--approve); "all" grants every one
    run_id: str = field(default_factory=new_run_id)
    ledger: "Ledger | None" = None  # opened on first use; a face that keeps one open passes it in
    # What the step reports while it runs; the runner records them.
    inputs: list[Artefact | Path] = field(default_factory=list)
    outputs: list[Artefact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    deviations: list[str] = field(default_factory=list)
    approvals_used: list[dict[str, Any]] = field(default_factory=list)
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    _profile: "Profile | None" = None
    _overlay: Path | None = None  # the case overlay the profile was extended by

    @property
    def profile(self) -> "Profile":
        """The chosen profile extended by the case's overlay (data/<case>/hotpass.yaml) when it has one;
        the overlay is then one of the run's inputs, its SHA-256 recorded with the run."""
        if self._profile is None:
            from core.case_overlay import load_case_profile

            loaded = load_case_profile(self.profile_name, self.profile_search_path, self.case.input_dir)
            self._profile, self._overlay = loaded.profile, loaded.overlay_path
        if self._overlay is not None and self._overlay not in self.inputs:
            self.inputs.append(self._overlay)
        return self._profile

    def overlay_inputs(self) -> list[Path]:
        """The case overlay the profile was extended by, if any: an input of every run that uses the profile."""
        return [self._overlay] if self._overlay is not None else []

    def open_ledger(self) -> "Ledger":
        if self.ledger is None:
            self.ledger = self.workspace.open_ledger()
        return self.ledger

    def reporter(self, step_id: str, stages: tuple[str, ...] | list[str]) -> Reporter:
        return Reporter(list(stages), self.progress, self.cancel, step=step_id)

    def staging(self) -> RunStaging:
        """A staging folder for this run's outputs (core.staging): commit them together, or not at all."""
        return RunStaging(self.case.runs_dir, self.run_id)

    def warn(self, text: str) -> None:
        """A warning the operator accepted by going on: shown by every face and recorded with the run."""
        self.warnings.append(text)

    def deviate(self, text: str) -> None:
        """A departure from the runbook (a step skipped, validation off): the hand-off summary lists it."""
        self.deviations.append(text)
