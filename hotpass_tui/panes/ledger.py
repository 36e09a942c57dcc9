"""The Ledger pane (key 8 or l): recent runs, approvals and review decisions, and the next steps,
which the operator adds and closes from the keyboard. Every read and write runs in a worker."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from hotpass_tui.messages import LedgerChanged, LedgerLoaded
from hotpass_tui.panes.base import StepPane
from hotpass_tui.screens.approval import Approval, ApprovalModal
from hotpass_tui.screens.next_step import NewNextStep, NextStepModal
from hotpass_tui.widgets.ledger_view import LedgerView


class LedgerPane(StepPane):
    STEP = "8"
    TITLE = "Ledger"
    SUMMARY = "runs, approvals, decisions and next steps on record"
    DEFAULT_FOCUS = "#ledger-next-steps"
    # Priority: the dialog opens while the app reads keys, so text typed right after n lands in it
    # (a non-priority binding fires only once the key has bubbled up, after the next keys were routed).
    BINDINGS = [
        Binding("n", "add_step", "New next step", priority=True),
        Binding("d", "complete_step", "Mark done", priority=True),
        Binding("g", "reload", "Reload"),
    ]

    def compose_body(self) -> ComposeResult:
        yield LedgerView(id="ledger-view")

    def on_mount(self) -> None:
        self.reload()

    def activated(self) -> None:
        super().activated()
        self.reload()

    def reload(self) -> None:
        service = self.service
        self.run_job("ledger", service.ledger_snapshot, LedgerLoaded)

    def action_reload(self) -> None:
        self.reload()

    @on(LedgerLoaded)
    def _loaded(self, message: LedgerLoaded) -> None:
        message.stop()
        self.query_one(LedgerView).show(message.snapshot)

    # -- next steps ----------------------------------------------------------------------------
    def action_add_step(self) -> None:
        self.app.push_screen(NextStepModal(self.session.case_id), self._add_step)

    def _add_step(self, step: NewNextStep | None) -> None:
        if step is None:
            return
        service, case_id = self.service, self.session.case_id
        self.run_job("next-step", lambda: service.add_next_step(step.text, step.owner, step.due, case_id),
                     lambda _done: LedgerChanged(f"Next step recorded: {step.text}"))

    def action_complete_step(self) -> None:
        step = self.query_one(LedgerView).selected_step()
        if step is None:
            self.notify("No next step to close: add one with n.", severity="warning")
            return
        if step.status == "done":
            self.notify(f"Next step {step.id} is already done.", severity="warning")
            return
        modal = ApprovalModal(f"Mark next step {step.id} done", step.text, confirm="Mark done")
        self.app.push_screen(modal, lambda answer: self._complete_step(step.id, answer))

    def _complete_step(self, step_id: str, answer: Approval | None) -> None:
        if answer is None:
            return
        service = self.service
        self.run_job("next-step", lambda: service.complete_next_step(step_id, answer.comment),
                     lambda _done: LedgerChanged(f"Next step {step_id} marked done."))
