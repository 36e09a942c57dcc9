"""Progress reporting shared by every face: plain callbacks and a cancel event.

The core never knows who listens. The UI turns events into Textual messages, the batch runner
into JSON lines, the command face into a rich progress bar.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import Cancelled


@dataclass(frozen=True)
class ProgressEvent:
    stage: str
    stage_index: int
    stage_count: int
    done: int
    total: int
    message: str = ""
    step: str = ""  # the runbook step the stage belongs to (core.runbook.registry)

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


ProgressCallback = Callable[[ProgressEvent], None]


def ignore_progress(_event: ProgressEvent) -> None:
    """The default listener: nobody is watching."""


class Reporter:
    """Reports the stages of one long job to a callback and checks its cancel event.

    Events within a stage are throttled so a tight loop cannot flood a UI's message queue;
    the first and last event of every stage always go through.
    """

    def __init__(
        self,
        stages: list[str],
        callback: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
        min_interval: float = 0.05,
        step: str = "",
    ) -> None:
        self.stages = list(stages)
        self.step = step
        self.callback = callback or ignore_progress
        self.cancel = cancel or threading.Event()
        self.min_interval = min_interval
        self.timings: dict[str, float] = {}
        self._stage = ""
        self._started = 0.0
        self._last_emit = 0.0

    def stage(self, name: str, total: int = 0, message: str = "") -> None:
        """Close the running stage and open `name`."""
        if name not in self.stages:  # a typo here once showed every later stage as stage 0
            raise ValueError(f"unknown stage {name!r}; the stages are {', '.join(self.stages)}")
        self.check_cancelled()
        self._close_stage()
        self._stage = name
        self._started = time.perf_counter()
        self._emit(0, total, message, force=True)

    def advance(self, done: int, total: int, message: str = "") -> None:
        self.check_cancelled()
        self._emit(done, total, message, force=done >= total)

    def finish(self) -> None:
        self._close_stage()

    def check_cancelled(self) -> None:
        if self.cancel.is_set():
            raise Cancelled(f"cancelled during {self._stage or 'start-up'}", hint="nothing was written")

    def _close_stage(self) -> None:
        if self._stage and self._stage not in self.timings:
            self.timings[self._stage] = time.perf_counter() - self._started

    def _emit(self, done: int, total: int, message: str, force: bool) -> None:
        now = time.perf_counter()
        if not force and now - self._last_emit < self.min_interval:
            return
        self._last_emit = now
        index = self.stages.index(self._stage)
        self.callback(ProgressEvent(self._stage, index, len(self.stages), done, total, message, self.step))
