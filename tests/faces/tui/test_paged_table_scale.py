"""The organisations table pages through 600,000 organisations with one page of widgets at a time."""

from __future__ import annotations

import time

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from hotpass_tui.widgets.paged_table import PagedTable
from tests.faces.tui.fakes import fake_frame

ROWS = 600_000
COLUMNS = ["organization_name", "province", "contact_primary_phone"]


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield PagedTable(COLUMNS, ["organization_name", "province"], id="table")


async def test_six_hundred_thousand_organisations_page_and_search() -> None:
    frame = fake_frame(ROWS)
    app = TableApp()
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(PagedTable)
        started = time.perf_counter()
        table.load(frame)
        await pilot.pause()
        assert time.perf_counter() - started < 5  # a page is built, not 600,000 rows
        grid = table.query_one(DataTable)
        assert grid.row_count == 200
        assert "rows 1–200 of 600,000 · page 1/3,000" in table._info()

        grid.focus()
        for _ in range(3):
            await pilot.press("right_square_bracket")
        await pilot.pause()
        assert grid.row_count == 200 and "rows 601–800 of 600,000" in table._info()
        assert str(grid.get_row_at(0)[0]) == "Organisation 000600"

        table.query_text = "599999"
        table._start_search()
        for _ in range(200):
            await pilot.pause(0.05)
            if table.positions is not None:
                break
        assert list(table.positions) == [599_999]
        assert grid.row_count == 1 and str(grid.get_row_at(0)[0]) == "Organisation 599999"
