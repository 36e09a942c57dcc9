"""What every runbook pane shares: its place in the runbook, its keys, and how it runs work.

A pane never blocks the UI thread: `run_job` runs a blocking call in a thread worker and turns its
outcome into a message; the worker itself only ever calls `post_message`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from hotpass_tui.messages import JobFailed, JobProgress, SessionChanged

if TYPE_CHECKING:
    from hotpass_tui.service import RunbookService, Session


class PaneTitle(Widget):
    """"2 Refine — one clean row per organisation". Where that does not fit (80 columns), the step's
    number goes first (the steps list beside it shows it), then the title wraps: no word is lost."""

    def __init__(self, step: str, title: str, summary: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.step, self.title, self.summary = step, title, summary

    def text_for(self, width: int) -> Text:
        full = Text.assemble((f"{self.step} {self.title}", "bold"), f" — {self.summary}")
        short = Text.assemble((self.title, "bold"), f" — {self.summary}")
        return short if full.cell_len > width >= short.cell_len else full

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return len(self.text_for(width).wrap(self.app.console, width))

    def render(self) -> Text:
        return self.text_for(self.content_region.width)


class StepPane(Vertical):
    """One step of the runbook. Subclasses set the class variables and compose their body."""

    STEP: ClassVar[str] = "0"  # the key that shows this pane
    TITLE: ClassVar[str] = ""
    SUMMARY: ClassVar[str] = ""
    BUILT: ClassVar[bool] = True
    DEFAULT_FOCUS: ClassVar[str] = ""  # selector of the widget whose keys matter most here

    STEP_ID: ClassVar[str] = ""  # the runbook step (core.runbook.registry) this pane shows

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A pane of a runbook step takes its title and summary from the registry, the one list of steps."""
        super().__init_subclass__(**kwargs)
        from core.runbook.registry import BY_KEY

        spec = BY_KEY.get(cls.STEP)
        if spec is not None:
            cls.STEP_ID, cls.TITLE, cls.SUMMARY = spec.id, spec.title, spec.summary

    def __init__(self) -> None:
        super().__init__(id=f"step-{self.STEP}", classes="step-pane")

    def compose(self) -> ComposeResult:
        yield PaneTitle(self.STEP, self.TITLE, self.SUMMARY, classes="pane-title")
        yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        yield from ()

    # -- what the runbook screen and the palette ask of a pane -------------------------------
    @property
    def session(self) -> "Session":
        return self.app.session  # type: ignore[attr-defined]

    @property
    def service(self) -> "RunbookService":
        return self.app.service  # type: ignore[attr-defined]

    def stop_work(self) -> None:
        """The app is quitting: ask this pane's running worker, if any, to stop (threads cannot be killed)."""

    def activated(self) -> None:
        """The pane was shown with a step key: put the focus where its keys work.

        Never on a text input: the next digit the operator presses must change the step, not type.
        A pane with nothing to focus hands the focus to the steps list.
        """
        target = self.query_one(self.DEFAULT_FOCUS) if self.DEFAULT_FOCUS else self.screen.query_one("#nav")
        # At once, not after the queued events as focus() does: "8n" typed in one burst (as over SSH)
        # must reach the Ledger pane's n, not the pane that had the focus before.
        self.screen.set_focus(target)

    def session_changed(self) -> None:
        """Case, profile or last run changed; panes that show them redraw."""

    def key_bindings(self) -> list[Binding]:
        """The pane's own keys with a description: the help screen and the palette list them."""
        return [binding for _key, binding in self._bindings if binding.description]

    def prepare_for(self, action: str) -> None:
        """Called before the palette runs `action`, so that e.g. review actions open their tab."""

    def hold_key(self, event: Any) -> bool:
        """A key for the runbook screen while this pane is shown: True keeps it from the app for now.

        A pane whose keys act on data still being read keeps them, and types them again once the
        data is there (LedgerPane: `8d` in one burst marks the first step done, not "no step").
        """
        return False

    # -- work --------------------------------------------------------------------------------
    def run_job(self, job: str, call: Callable[[], Any], done: Callable[[Any], Message],
                exclusive: bool = True) -> None:
        """Run `call` in a thread; post `done(result)`, or a readable failure, back to this pane.

        `exclusive` cancels the job's previous worker; a pane that keeps one read of a kind at a time
        by itself passes False, since cancelling a read that has just posted its result loses it.
        """
        log_path = getattr(self.service, "log_path", None)

        def work() -> None:
            try:
                result = call()
            except BaseException as exc:  # noqa: BLE001 - every failure becomes a message, the app stays up
                self.post_message(JobFailed.from_exception(job, exc, log_path))
                return
            self.post_message(done(result))

        self.run_worker(work, name=job, group=job, thread=True, exclusive=exclusive, exit_on_error=False)

    def run_step_job(self, step_id: str, cancel: Any, done: Callable[[Any], Message], options: Any = None) -> None:
        """Run a runbook step for the session's case in a worker; `done(StepResult)` on success.

        The step path records the run; a result that carries an error is raised here so that it
        reaches the operator as any other failure does (a modal, or the pane's own message).
        """
        service, session, progress = self.service, self.session, self.progress_to(step_id)
        case_id, input_dir, profile = session.case_id, session.input_dir, session.profile

        def call() -> Any:
            result = service.run_step(step_id, case_id, input_dir, profile, progress, cancel, options)
            result.raise_for_status()
            return result

        self.run_job(step_id, call, done)

    def notify_warnings(self, result: Any) -> None:
        for warning in getattr(result, "warnings", []):
            self.notify(warning, severity="warning", markup=False)

    def progress_to(self, job: str) -> Callable[[Any], None]:
        """A core progress callback that crosses to the UI thread as a message."""
        return lambda event: self.post_message(JobProgress(job, event))


class RunningStepPane(StepPane):
    """A pane that runs its step with a bar per stage (Refine, Enrich): start, progress, cancel.

    The subclass composes a StageProgress and the Static named by HEADLINE, calls start_run on r,
    and handles its own finished message and JobFailed/JobCancelled (calling stop_running).
    """

    HEADLINE: ClassVar[str] = ""  # selector of the Static that says how the run goes
    CANCELLING: ClassVar[str] = "Cancelling at the end of the current stage…"  # the step stops between stages

    def __init__(self) -> None:
        super().__init__()
        self.cancel_event: threading.Event | None = None  # set while a run goes on

    @property
    def running(self) -> bool:
        return self.cancel_event is not None

    def stop_work(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()

    def start_run(self, busy: str, done: Callable[[Any], Message], options: Any = None) -> None:
        """Run the step in a worker: its StageProgress follows, the headline says the stage, the
        status strip says `busy`; x (action_cancel) asks it to stop. `done` gets the StepResult."""
        from hotpass_tui.widgets.stage_progress import StageProgress

        if self.running:
            return
        self.cancel_event = cancel = threading.Event()
        self.query_one(StageProgress).reset()
        self.query_one(self.HEADLINE, Static).update(f"Starting {self.STEP_ID}…")
        self.set_busy(busy)
        self.run_step_job(self.STEP_ID, cancel, done, options)

    def action_cancel(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.query_one(self.HEADLINE, Static).update(self.CANCELLING)

    def stop_running(self) -> None:
        """The run has ended, whichever way: the keys and the status strip say so."""
        self.cancel_event = None
        self.set_busy("")

    def set_busy(self, text: str) -> None:
        self.session.busy = text
        self.post_message(SessionChanged())
        self.refresh_bindings()

    @on(JobProgress)
    def _run_progress(self, message: JobProgress) -> None:
        from hotpass_tui.widgets.stage_progress import StageProgress

        if message.job != self.STEP_ID:
            return
        message.stop()
        stages = self.query_one(StageProgress)
        stages.advance(message.event)
        if not self.cancel_event or not self.cancel_event.is_set():
            self.query_one(self.HEADLINE, Static).update(Text(stages.headline))  # names files: not markup


class NotBuiltPane(StepPane):
    """A step whose feature has not been built: say so, and show what works today."""

    BUILT = False
    NOT_BUILT: ClassVar[str] = ""
    TODAY: ClassVar[list[str]] = []  # command lines; {case} and {profile} are filled in

    def compose_body(self) -> ComposeResult:
        yield Static(f"[b]Not built yet.[/b] {self.NOT_BUILT}", classes="not-built")
        yield Static("Until then, from a shell:", classes="section-title")
        yield Static(self._commands(), classes="command-lines", markup=False)

    def session_changed(self) -> None:
        self.query_one(".command-lines", Static).update(self._commands())

    def _commands(self) -> str:
        values = {"case": self.session.case_id, "profile": self.session.profile}
        return "\n".join(f"$ {line.format(**values)}" for line in self.TODAY)
