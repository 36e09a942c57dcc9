"""HotpassApp: the full-screen runbook. Wiring only: screens, global keys, the palette, and what
to do with worker messages that no pane handled (failures become a modal; the app stays up).

Nothing heavy is imported here: pandas, the pipeline and the ledger load inside thread workers
(see panes/service.py), so the first frame does not wait for them.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from core.runbook.registry import STEPS
from core.workspace import Workspace
from hotpass_tui.messages import JobCancelled, JobFailed
from hotpass_tui.service import RunbookService, CoreService, Session
from hotpass_tui.panes.base import StepPane
from hotpass_tui.panes.contracts import ContractsPane
from hotpass_tui.panes.enrich import EnrichPane
from hotpass_tui.panes.handoff import HandoffPane
from hotpass_tui.panes.ledger import LedgerPane
from hotpass_tui.panes.prepare import PreparePane
from hotpass_tui.panes.quality import QualityPane
from hotpass_tui.panes.refine import RefinePane
from hotpass_tui.panes.telemetry import TelemetryPane
from hotpass_tui.screens.error import ErrorModal
from hotpass_tui.screens.help import HelpScreen, KeySection
from hotpass_tui.screens.runbook import RunbookScreen

def runbook_panes() -> list[type[StepPane]]:
    """A pane per runbook step, in the registry's order, then the Ledger pane."""
    by_key = {pane.STEP: pane for pane in (PreparePane, RefinePane, EnrichPane, ContractsPane, TelemetryPane,
                                          QualityPane, HandoffPane)}
    return [by_key[spec.key] for spec in STEPS] + [LedgerPane]


PANES: list[type[StepPane]] = runbook_panes()

EXTRA_HELP: list[KeySection] = [
    ("Steps list (left)", [("↑ ↓", "move; the pane follows"), ("enter", "open the step and focus it"),
                           ("tab", "move between the list and the pane")]),
    ("Organisations table", [("/", "search (runs in the background)"), ("] [", "next / previous page"),
                             ("↑ ↓ pgup pgdn", "move within the page"), ("enter", "leave the search box")]),
    ("Dialogs", [("enter", "confirm / next field"), ("tab", "next field or button"),
                 ("esc ctrl+g", "cancel (or tab to Cancel)")]),
]


class HotpassApp(App[int]):
    CSS_PATH = "hotpass.tcss"
    TITLE = "Hotpass"
    BINDINGS = [
        # Priority, so a step changes while the app reads keys and the keys typed after it reach the
        # new step (a plain binding fires only after the key bubbles up); check_action lets a text
        # box have its digits.
        # Every binding has an id, so that a keymap can move it (App.set_keymap).
        *[Binding(spec.key, f"step('{spec.key}')", spec.title, show=False, priority=True, id=f"step.{spec.id}")
          for spec in STEPS],
        Binding("8,l", "step('8')", "Ledger", show=False, priority=True, id="step.ledger"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("f1", "help", "Help", show=False, id="app.help_f1"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    async def on_event(self, event: events.Event) -> None:
        # Here, before any binding: a pane that holds keys until its data is there gets them all, in
        # the order typed, step digits included (they may be part of a comment typed ahead).
        if (isinstance(event, events.Key) and not event.is_forwarded and isinstance(self.screen, RunbookScreen)
                and self.screen.current_pane.hold_key(event)):
            return
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step" and isinstance(self.focused, Input):
            return False  # the key types into the box instead
        return True

    def __init__(self, service: RunbookService, case_id: str | None = None, *, clock: Callable[[], datetime] | None = None,
                 host: str | None = None, ansi: bool = False, initial_step: str | None = None,
                 profile: str | None = None, input_dir: Path | None = None) -> None:
        """`profile`, `input_dir`: what `hotpass --profile P --input-dir D` asked for, kept over the case's own."""
        super().__init__(ansi_color=ansi)
        self.initial_step = initial_step  # `hotpass dashboard` opens on step 5
        if ansi:
            self.theme = "ansi-dark"  # 16-colour terminals: use the terminal's own palette
        self.service = service
        case_id = case_id or service.workspace.default_case
        self.session = Session(case_id, Path(input_dir) if input_dir else service.workspace.data_dir / case_id,
                               profile or "generic", input_given=input_dir is not None)
        self.clock = clock or datetime.now
        self.host = host or socket.gethostname().split(".")[0]

    def get_default_screen(self) -> Screen:
        self.runbook = RunbookScreen([pane() for pane in PANES], self.clock, self.host)
        return self.runbook

    def on_mount(self) -> None:
        if self.initial_step:
            self.call_after_refresh(self.action_step, self.initial_step)

    # -- global keys ---------------------------------------------------------------------------
    async def action_step(self, step: str) -> None:
        if isinstance(self.screen, RunbookScreen):
            await self.screen.show_step(step)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))

    async def action_quit(self) -> None:
        # Thread workers cannot be killed: ask running work to stop so the process exits promptly.
        for pane in self.runbook.panes.values():
            pane.stop_work()
        self.exit(0)

    def help_sections(self) -> list[KeySection]:
        everywhere = [("1 … 7", "open a runbook step"), ("8  l", "open the Ledger pane"),
                      ("? F1", "this help"), ("ctrl+p", "command palette"), ("q", "quit")]
        sections: list[KeySection] = [("Everywhere", everywhere)]
        for pane in self.runbook.panes.values():
            keys = [(self.get_key_display(binding), binding.description) for binding in pane.key_bindings()]
            if keys:
                sections.append((f"{pane.STEP} {pane.TITLE}", keys))
        return sections + EXTRA_HELP

    # -- the command palette: every step and every pane action ---------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for pane in self.runbook.panes.values():
            yield SystemCommand(f"Go to {pane.STEP} {pane.TITLE}", pane.SUMMARY, partial(self.action_step, pane.STEP))
        for pane in self.runbook.panes.values():
            for binding in pane.key_bindings():
                yield SystemCommand(f"{pane.TITLE}: {binding.description}", f"key {self.get_key_display(binding)}",
                                    partial(self._run_pane_action, pane, binding.action))
        yield SystemCommand("Help", "every key, by step (? or F1)", self.action_help)
        yield from super().get_system_commands(screen)

    async def _run_pane_action(self, pane: StepPane, action: str) -> None:
        await self.action_step(pane.STEP)
        pane.prepare_for(action)
        if not await pane.run_action(action):
            self.notify("That action does not apply right now.", severity="warning")

    # -- failures that no pane kept to itself --------------------------------------------------
    def on_job_failed(self, message: JobFailed) -> None:
        if isinstance(self.screen, ErrorModal) and self.screen.failure == message.failure:
            return  # two workers hit the same wall (e.g. two reads of one broken ledger): one modal
        self.push_screen(ErrorModal(message.failure))

    def on_job_cancelled(self, message: JobCancelled) -> None:
        self.notify(f"{message.job.capitalize()} cancelled; nothing was written.")


def sixteen_colours(environ: dict[str, str] = os.environ) -> bool:  # type: ignore[assignment]
    """TERM=xterm over SSH gives 16 colours; there the terminal's own palette reads best."""
    forced = environ.get("TEXTUAL_COLOR_SYSTEM", "auto")
    if forced != "auto":
        return forced in ("standard", "windows")
    if environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return False
    return not environ.get("TERM", "").endswith(("256color", "truecolor", "direct"))


def run_app(workspace: Workspace, case_id: str, mouse: bool, initial_step: str | None = None,
            profile: str | None = None, input_dir: Path | None = None) -> int:
    """What `hotpass` with no command runs; returns the process exit code."""
    app = HotpassApp(CoreService(workspace), case_id, ansi=sixteen_colours(), initial_step=initial_step,
                     profile=profile, input_dir=input_dir)
    app.run(mouse=mouse)
    return app.return_code or 0
