"""The modal that shows a failed worker: what went wrong and what to do. The app stays up."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from hotpass_tui.messages import Failure


class ErrorModal(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, failure: Failure) -> None:
        super().__init__()
        self.failure = failure

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield Static(self.failure.title, classes="dialog-title")
            # Error text can hold brackets (paths, sheet names): never read it as markup.
            yield Static(self.failure.text, classes="dialog-body", markup=False)
            if self.failure.hint:
                yield Static(f"What to do: {self.failure.hint}", classes="dialog-hint", markup=False)
            yield Button("Close (Enter)", id="close", variant="error")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
