"""A typed modal for decisions that go on record: it returns an Approval (with the operator's
comment) or None. Used for closing next steps; contract approval and sign-off will reuse it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from hotpass_tui.screens.form import FormModal


@dataclass(frozen=True)
class Approval:
    comment: str


class ApprovalModal(FormModal[Approval | None]):
    FIELDS = ("#comment",)

    def __init__(self, title: str, body: str, confirm: str = "Approve") -> None:
        super().__init__()
        self._title, self._body, self._confirm = title, body, confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title")
            yield Static(self._body, classes="dialog-body", markup=False)
            yield Input(placeholder="comment for the ledger (optional), Enter to confirm", id="comment")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._confirm, variant="primary", id="confirm")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#confirm")
    def submit(self) -> None:
        self.dismiss(Approval(self.query_one(Input).value.strip()))
