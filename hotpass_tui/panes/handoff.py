"""Step 7, Hand-off: what the bundle will hold and what is missing, the deviations and the commands
run; `b` builds it, `s` signs it off with a comment, `u` pushes it to the evidence store, `n` adds a
next step. Reads and writes happen in workers; the step path records the build."""

from __future__ import annotations

import threading
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from core.text import counted
from hotpass_tui.messages import JobFailed, JobProgress, LedgerChanged
from hotpass_tui.panes.base import StepPane
from hotpass_tui.screens.approval import Approval, ApprovalModal
from hotpass_tui.screens.next_step import NewNextStep, NextStepModal


class OverviewRead(Message):
    def __init__(self, overview: Any) -> None:  # hotpass_tui.service.HandoffOverview
        super().__init__()
        self.overview = overview


class HandoffDone(Message):
    def __init__(self, note: str) -> None:
        super().__init__()
        self.note = note


class HandoffPane(StepPane):
    STEP = "7"
    DEFAULT_FOCUS = "#handoff-view"
    BINDINGS = [
        Binding("b", "build", "Build bundle"),
        Binding("s", "sign", "Sign off"),
        Binding("u", "push", "Push"),
        Binding("n", "next_step", "Next step"),
        Binding("g", "reload", "Reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.overview: Any = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="handoff-view", can_focus=True):
            yield Static("Reading what the bundle would hold…", id="handoff-headline")
            yield Static("", id="handoff-pieces")
            yield Static("Deviations", classes="section-title")
            yield Static("", id="handoff-deviations")
            yield Static("Commands run for this case", classes="section-title")
            yield Static("", id="handoff-commands")

    def on_mount(self) -> None:
        self.action_reload()

    def activated(self) -> None:
        super().activated()
        self.action_reload()

    def session_changed(self) -> None:
        self.action_reload()

    # -- reading -------------------------------------------------------------------------------
    def action_reload(self) -> None:
        service, case_id, profile = self.service, self.session.case_id, self.session.profile
        self.run_job("handoff", lambda: service.handoff_overview(case_id, profile), OverviewRead)

    @on(OverviewRead)
    def _read(self, message: OverviewRead) -> None:
        message.stop()
        self.overview = view = message.overview
        missing = [name for name, key, required, present in view.pieces if required and not present
                   and key not in view.excused]
        state = "signed off" if view.signed else "built, not signed off" if view.built else "not built yet"
        head = f"Bundle {state}: {view.folder}"
        if missing:
            head += f"\nMissing: {', '.join(missing)} (b names what to do)"
        self.query_one("#handoff-headline", Static).update(Text(head))
        lines = Text()
        for name, key, required, present in view.pieces:
            mark, style = ("✓", "green") if present else ("·", "dim") if not required else (
                ("~", "yellow") if key in view.excused else ("✗", "red"))
            note = "" if present else " (excused)" if key in view.excused else " (optional)" if not required else ""
            lines.append(f" {mark} ", style=style).append(f"{name}{note}\n")
        self.query_one("#handoff-pieces", Static).update(lines)
        self.query_one("#handoff-deviations", Static).update(Text("\n".join(view.deviations) or "none recorded"))
        self.query_one("#handoff-commands", Static).update(Text("\n".join(view.commands[-12:]) or "none yet"))

    # -- acting --------------------------------------------------------------------------------
    def action_build(self) -> None:
        cancel = threading.Event()
        self.query_one("#handoff-headline", Static).update("Building the bundle…")
        self.run_step_job("handoff", cancel, lambda result: HandoffDone(
            f"Bundle built: {counted(len(result.payload.files), 'file')}; s signs it off."))

    def action_sign(self) -> None:
        if self.overview is not None and not self.overview.built:
            self.notify("Build the bundle first (b).", severity="warning")
            return
        modal = ApprovalModal("Sign off the hand-off", "Records the manifest's SHA-256 and the ledger's head.",
                              confirm="Sign off")
        self.app.push_screen(modal, self._sign)

    def _sign(self, answer: Approval | None) -> None:
        if answer is None:
            return
        service, case_id = self.service, self.session.case_id
        self.run_job("handoff", lambda: service.sign_off(case_id, answer.comment),
                     lambda entry: HandoffDone(f"Signed off (ledger entry #{entry.seq})."))

    def action_push(self) -> None:
        store = self.overview.store if self.overview is not None else None
        if not store:
            self.notify("No evidence store configured: set HOTPASS_EVIDENCE_STORE (s3://BUCKET/PREFIX or a folder), "
                        "or use `hotpass handoff push DIR --to …`.", severity="warning", markup=False)
            return
        service, case_id, post = self.service, self.session.case_id, self.post_message
        headline = self.query_one("#handoff-headline", Static)
        headline.update(Text(f"Pushing to {store}…"))

        def progress(done: int, total: int) -> None:
            from core.progress import ProgressEvent

            post(JobProgress("handoff-push", ProgressEvent("push", 0, 1, done, total, step="handoff")))

        self.run_job("handoff", lambda: service.push_handoff(case_id, store, progress),
                     lambda result: HandoffDone(f"Pushed {result.objects} objects to {result.destination}."))

    @on(JobProgress)
    def _push_progress(self, message: JobProgress) -> None:
        if message.job == "handoff-push":
            message.stop()
            event = message.event
            self.query_one("#handoff-headline", Static).update(Text(f"Pushing: {event.done} of {event.total} objects"))

    def action_next_step(self) -> None:
        self.app.push_screen(NextStepModal(self.session.case_id), self._add_step)

    def _add_step(self, step: NewNextStep | None) -> None:
        if step is None:
            return
        service, case_id = self.service, self.session.case_id
        self.run_job("handoff", lambda: service.add_next_step(step.text, step.owner, step.due, case_id),
                     lambda entry: HandoffDone(f"Next step {entry.subject} recorded."))

    @on(HandoffDone)
    def _done(self, message: HandoffDone) -> None:
        message.stop()
        self.notify(message.note, markup=False)
        self.post_message(LedgerChanged())
        self.action_reload()

    @on(JobFailed)
    def _failed(self, message: JobFailed) -> None:
        if message.job == "handoff":
            self.action_reload()  # the modal says why; the pane shows the state as it is
