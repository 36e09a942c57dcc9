"""The help screen (? or F1): every key, grouped by where it works, built from the live bindings
so that it cannot drift from what the keys do.

At 80x24 it is longer than the window: it scrolls a page at a time (pgdn or space), and its last
line says where the reader is and which keys move on, so nothing is cut off without a word.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KeySection = tuple[str, list[tuple[str, str]]]

TITLE = "Hotpass keys — ↑ ↓ pgup pgdn space scroll · ? F1 q esc close"
NOTES = "\n".join([
    "Keys alone drive everything; the mouse is optional (hotpass --no-mouse).",
    "1–7 open the runbook steps; 8 or l the Ledger pane: runs, approvals, review decisions and "
    "next steps.",
    "x or ctrl+c cancels running work; Esc never cancels work, only dialogs.",
    "In Refine's review tab, a approves a pair (merge), x rejects it (keep apart), n and p move. "
    "Each decision is written to the ledger at once and re-applied by the next refine.",
    "ctrl+p opens the command palette: every action on this screen is a command there too.",
])


class HelpBody(VerticalScroll):
    BINDINGS = [Binding("space", "page_down", "Next page", show=False)]


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
            yield Static(TITLE, classes="dialog-title", markup=False)
            with HelpBody(id="help-body"):
                yield Static(Text(NOTES), classes="help-notes")
                for title, keys in self.sections:
                    yield Static(_key_table(title, keys), classes="help-section")
            yield Static("", id="help-position")

    def on_mount(self) -> None:
        body = self.query_one(HelpBody)
        body.focus()
        self.watch(body, "scroll_y", self._show_position)
        self.watch(body, "virtual_size", self._show_position)

    def _show_position(self) -> None:
        self.query_one("#help-position", Static).update(self.position_text())

    def position_text(self) -> str:
        """Which lines are in view, and the keys that show the rest."""
        body = self.query_one(HelpBody)
        total, shown = body.virtual_size.height, body.scrollable_content_region.height
        if total <= shown or shown <= 0:
            return "All keys are shown."
        first = round(body.scroll_y) + 1
        last = min(total, first + shown - 1)
        if last >= total:
            return f"Lines {first:,}–{last:,} of {total:,}, the end · pgup or ↑ goes back"
        return f"Lines {first:,}–{last:,} of {total:,} · more below: pgdn or space"

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
