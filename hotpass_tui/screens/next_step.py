"""A typed modal that asks for a next step: what, who, by when. Returns NewNextStep or None."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class NewNextStep:
    text: str
    owner: str | None
    due: str | None


class NextStepModal(ModalScreen[NewNextStep | None]):
    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel"),
        Binding("ctrl+g", "dismiss_none", "Cancel", show=False),
        Binding("enter", "field_done", "Next field / save", show=False, priority=True),
    ]
    FIELDS = ("#step-text", "#step-owner", "#step-due")

    def __init__(self, case_id: str) -> None:
        super().__init__()
        self._case_id = case_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"New next step for case {self._case_id}", classes="dialog-title", markup=False)
            yield Input(placeholder="what needs doing (Enter moves on)", id="step-text")
            yield Input(placeholder="owner (optional)", id="step-owner")
            yield Input(placeholder="due date YYYY-MM-DD (optional), Enter saves", id="step-due")
            yield Static("", id="step-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._target = self.query_one("#step-text", Input)
        self.set_focus(self._target)

    def on_key(self, event: events.Key) -> None:
        """Characters typed before the dialog had mounted come to the screen itself, nothing having
        the focus yet ("n" and text sent in one burst over SSH): put them in the field."""
        if event.is_printable and event.character:
            event.stop()
            field = self.focused if isinstance(self.focused, Input) else self._target
            field.insert_text_at_cursor(event.character)

    def action_field_done(self) -> None:
        """Enter: the next field, or save from the last. A priority binding, so the focus moves before
        the app routes the keys typed after Enter; Enter on a button presses it."""
        if isinstance(self.focused, Button):
            self.focused.press()
            return
        field = self.focused if isinstance(self.focused, Input) else self._target
        index = self.FIELDS.index(f"#{field.id}")
        if index + 1 == len(self.FIELDS):
            field.call_later(self._save)  # after the keys already on their way to this field
            return
        self._target = self.query_one(self.FIELDS[index + 1], Input)
        self.set_focus(self._target)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        text = self.query_one("#step-text", Input).value.strip()
        owner = self.query_one("#step-owner", Input).value.strip() or None
        due = self.query_one("#step-due", Input).value.strip() or None
        problem = self.query_one("#step-problem", Static)
        if not text:
            problem.update("Say what needs doing.")
            self.query_one("#step-text", Input).focus()
            return
        if due and not DATE.match(due):
            problem.update("Due date as YYYY-MM-DD, or leave it empty.")
            self.query_one("#step-due", Input).focus()
            return
        self.dismiss(NewNextStep(text, owner, due))

    @on(Button.Pressed, "#cancel")
    def action_dismiss_none(self) -> None:
        self.dismiss(None)
