"""An organisation's card (Enter on it in Refine › Organisations): the same lines `hotpass show` prints.

The card is read in a thread worker (refine's outputs from disk); until then the screen says so, and a
failure (the case was refined elsewhere, the workbook is gone) is shown in the card's place.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static


class CardRead(Message):
    def __init__(self, card: Any = None, error: str = "") -> None:
        super().__init__()
        self.card, self.error = card, error


class OrgCardScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(self, service: Any, case_id: str, input_dir: Any, slug: str) -> None:
        super().__init__()
        self.service, self.case_id, self.input_dir, self.slug = service, case_id, input_dir, slug
        self.card: Any = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog org-card-dialog"):
            yield Static(f"Organisation {self.slug} — Esc closes", classes="dialog-title", markup=False)
            with VerticalScroll(id="org-card-body"):
                yield Static("reading the refined workbook…", id="org-card-text", markup=False)

    def on_mount(self) -> None:
        self.query_one("#org-card-body").focus()
        service, case_id, input_dir, slug = self.service, self.case_id, self.input_dir, self.slug

        def read() -> None:
            try:
                card = service.org_card(case_id, input_dir, slug)
            except Exception as exc:  # noqa: BLE001 - shown in the card's place; the app stays up
                self.post_message(CardRead(error=getattr(exc, "message", None) or type(exc).__name__))
                return
            self.post_message(CardRead(card))

        self.run_worker(read, name="org-card", thread=True, exit_on_error=False)

    def on_card_read(self, message: CardRead) -> None:
        from core.org_card import card_lines

        text = self.query_one("#org-card-text", Static)
        if message.card is None:
            text.update(f"The card cannot be read: {message.error}")
            return
        self.card = message.card
        text.update("\n".join(card_lines(message.card)))

    def action_close(self) -> None:
        self.dismiss(None)
