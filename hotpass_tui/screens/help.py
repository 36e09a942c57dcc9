"""The help screen (? or F1): every key, grouped by where it works, built from the live bindings
so that it cannot drift from what the keys do."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KeySection = tuple[str, list[tuple[str, str]]]

NOTES = "\n".join([
    "Keys alone drive everything; the mouse is optional (hotpass --no-mouse).",
    "Digits 1–7 open the runbook steps; ○ marks a step not built yet, whose pane shows the "
    "command line to use meanwhile. 8 or l opens the Ledger pane: runs, approvals, review "
    "decisions and next steps (Hand-off, 7, points there).",
    "In Refine, x or ctrl+c cancels a running refine; Esc never cancels work.",
    "In Refine's review tab, a approves a pair (merge), x rejects it (keep apart), n and p move. "
    "Each decision is written to the ledger at once and re-applied by the next refine.",
    "ctrl+p opens the command palette: every action on this screen is a command there too.",
])


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("f1", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, sections: list[KeySection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Static("Hotpass keys — ? F1 q or Esc closes", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(Text(NOTES), classes="help-notes")
                for title, keys in self.sections:
                    yield Static(_key_table(title, keys), classes="help-section")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)


def _key_table(title: str, keys: list[tuple[str, str]]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", show_header=False,
                  box=None, padding=(0, 1))
    table.add_column(style="bold", no_wrap=True, min_width=10)
    table.add_column()
    for key, description in keys:
        table.add_row(key, description)
    return table
