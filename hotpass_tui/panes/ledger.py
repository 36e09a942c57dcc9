"""The Ledger pane (key 8 or l): recent runs, approvals and review decisions, and the next steps,
which the operator adds and closes from the keyboard. Every read and write runs in a worker.

The ledger is read when the pane is first shown, and again only once it has changed (or on g):
switching steps back and forth reads nothing. Keys typed before the first read has arrived
(`8d` in one burst, as over SSH) wait for the list and then act on it, in the order typed.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding

from hotpass_tui.messages import JobFailed, LedgerChanged, LedgerLoaded
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

    def __init__(self) -> None:
        super().__init__()
        self.stale = True  # the view does not show the ledger as it is: never read, or written since
        self.first_read_done = False  # a first read has ended (its snapshot shown, or its failure reported)
        self.held: list[events.Key | str] = []  # keys typed (or palette actions) before that, in order

    def compose_body(self) -> ComposeResult:
        yield LedgerView(id="ledger-view")

    def on_show(self) -> None:
        if self.stale:
            self._read()

    def reload(self) -> None:
        """The ledger changed: read it now if the pane is in view, else when it is next shown."""
        self.stale = True
        if self.display:  # the runbook's switcher hides every pane but the current one
            self._read()

    def _read(self) -> None:
        self.stale = False
        self.run_job("ledger", self.service.ledger_snapshot, LedgerLoaded)

    def action_reload(self) -> None:
        self._read()

    @on(LedgerLoaded)
    def _loaded(self, message: LedgerLoaded) -> None:
        message.stop()
        self.query_one(LedgerView).show(message.snapshot)
        self._first_read_ended()

    @on(JobFailed)
    def _read_failed(self, message: JobFailed) -> None:
        if message.job == "ledger":  # not stopped: the app shows the failure; held keys go no further
            self.held.clear()
            self._first_read_ended()

    # -- keys typed before the list is there -----------------------------------------------------
    def hold_key(self, event: events.Key) -> bool:
        """Before the first read has ended, every key for this pane waits for the list, in order."""
        if self.first_read_done:
            return False
        self.held.append(event)
        return True

    def _first_read_ended(self) -> None:
        if self.first_read_done:
            return
        self.first_read_done = True
        held, self.held = self.held, []
        for item in held:
            if isinstance(item, str):  # an action the palette asked for
                getattr(self, f"action_{item}")()
            else:  # as if typed now: a dialog that d or n opens reads the keys after it, as in a burst
                self.app.post_message(events.Key(item.key, item.character))

    def _waits(self, action: str) -> bool:
        """Keys never reach an action before the first read (hold_key); the palette's action waits here."""
        if self.first_read_done:
            return False
        self.held.append(action)
        return True

    # -- next steps ----------------------------------------------------------------------------
    def action_add_step(self) -> None:
        if self._waits("add_step"):
            return
        self.app.push_screen(NextStepModal(self.session.case_id), self._add_step)

    def _add_step(self, step: NewNextStep | None) -> None:
        if step is None:
            return
        service, case_id = self.service, self.session.case_id
        self.run_job("next-step", lambda: service.add_next_step(step.text, step.owner, step.due, case_id),
                     lambda _done: LedgerChanged(f"Next step recorded: {step.text}"))

    def action_complete_step(self) -> None:
        if self._waits("complete_step"):
            return
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
