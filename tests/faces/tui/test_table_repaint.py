"""Rows painted before their table measured them are painted again once the columns widen.

On a busy machine a frame can be painted between `add_row` and the table's idle, where Textual
widens the columns; the Ledger pane then kept showing 'NS' for 'NS-1' (seen in tmux and in the
snapshot tests under load). Here that frame is forced by rendering the row right after adding it.
"""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from hotpass_tui.widgets.table import Table
from tests.faces.tui.conftest import screen_text


class OneTable(App):
    def __init__(self, table_class: type[DataTable]) -> None:
        super().__init__()
        self.table_class = table_class

    def compose(self) -> ComposeResult:
        yield self.table_class(id="table")


async def shown_after_an_early_frame(table_class: type[DataTable]) -> str:
    app = OneTable(table_class)
    async with app.run_test(size=(60, 6)) as pilot:
        table = app.query_one("#table", DataTable)
        table.add_columns("id", "next step")
        await pilot.pause()
        table.add_row("NS-1", "Send the notices")
        table.render_line(1)  # the frame painted before the table's idle
        await pilot.pause()
        await pilot.pause()
        return screen_text(app)


async def test_a_row_painted_early_is_shown_whole_once_measured():
    assert "NS-1  Send the notices" in await shown_after_an_early_frame(Table)


async def test_textual_alone_still_shows_the_early_frame():
    """If this starts failing, Textual repaints by itself and widgets/table.py can go."""
    text = await shown_after_an_early_frame(DataTable)
    if "NS-1" in text:
        pytest.fail("Textual's DataTable now repaints widened columns: hotpass_tui/widgets/table.py is no longer needed")
