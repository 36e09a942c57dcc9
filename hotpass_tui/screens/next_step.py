"""A typed modal that asks for a next step: what, who, by when. Returns NewNextStep or None."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from hotpass_tui.screens.form import FormModal

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class NewNextStep:
    text: str
    owner: str | None
    due: str | None


class NextStepModal(FormModal[NewNextStep | None]):
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

    @on(Button.Pressed, "#save")
    def submit(self) -> None:
        text = self.query_one("#step-text", Input).value.strip()
        owner = self.query_one("#step-owner", Input).value.strip() or None
        due = self.query_one("#step-due", Input).value.strip() or None
        problem = self.query_one("#step-problem", Static)
        if not text:
            problem.update("Say what needs doing.")
            self.focus_field("#step-text")
            return
        if due and not DATE.match(due):
            problem.update("Due date as YYYY-MM-DD, or leave it empty.")
            self.focus_field("#step-due")
            return
        self.dismiss(NewNextStep(text, owner, due))
