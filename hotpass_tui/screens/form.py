"""A modal form of text fields that keeps up with keys typed ahead, as they arrive over SSH or from
`tmux send-keys`: "n", some text and Enter in one burst land in the fields, in order.

Two things make that hold. Characters that arrive before the form has mounted come to the screen
itself (nothing has the focus yet); on_key puts them in the field. Enter is a priority binding, so
the focus moves while the app is still reading keys, before it routes the ones typed after Enter.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events, on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button, Input

Result = TypeVar("Result")


class FormModal(ModalScreen[Result]):
    # Esc is slow in tmux: the Cancel button (Tab, Enter) and ctrl+g are other ways out.
    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel"),
        Binding("ctrl+g", "dismiss_none", "Cancel", show=False),
        Binding("enter", "field_done", "Next field / confirm", show=False, priority=True),
    ]
    FIELDS: tuple[str, ...] = ()  # selectors of the Inputs, in the order Enter walks them

    def submit(self) -> None:
        """Enter in the last field, or the confirm button: check the fields and dismiss."""
        raise NotImplementedError

    def focus_field(self, selector: str) -> None:
        """Send the operator back to a field (a value that did not pass)."""
        self._target = self.query_one(selector, Input)
        self.set_focus(self._target)

    def on_mount(self) -> None:
        self._target = self.query_one(self.FIELDS[0], Input)
        self.set_focus(self._target)

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character:
            event.stop()
            field = self.focused if isinstance(self.focused, Input) else self._target
            field.insert_text_at_cursor(event.character)

    def action_field_done(self) -> None:
        if isinstance(self.focused, Button):
            self.focused.press()
            return
        field = self.focused if isinstance(self.focused, Input) else self._target
        index = self.FIELDS.index(f"#{field.id}")
        if index + 1 == len(self.FIELDS):
            field.call_later(self.submit)  # after the keys already on their way to this field
            return
        self._target = self.query_one(self.FIELDS[index + 1], Input)
        self.set_focus(self._target)

    @on(Button.Pressed, "#cancel")
    def action_dismiss_none(self) -> None:
        self.dismiss(None)
