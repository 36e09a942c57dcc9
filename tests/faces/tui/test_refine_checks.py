"""The Refine pane's Checks tab (issue 9): every expectation with pass/fail and blocking/warning,
failures first; Enter on a failing one shows its failing values; where the Data Docs are."""

from __future__ import annotations

from textual.widgets import DataTable, TabbedContent

from tests.faces.tui.conftest import make_app, press, screen_text
from tests.faces.tui.fakes import FakeService
from tests.faces.tui.test_refine_pane import open_refine, run_refine


async def test_checks_tab_lists_expectations_and_opens_a_failing_one(service: FakeService) -> None:
    app = make_app(service)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_refine(pilot, app)
        await run_refine(pilot, app)
        await press(pilot, app, "e")
        assert app.screen.query_one("#refine-tabs", TabbedContent).active == "tab-checks"
        table = app.screen.query_one("#checks", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[0] for row in rows] == ["FAIL", "FAIL", "pass"]  # failures first
        assert rows[0][1] == "warning" and rows[-1][1] == "blocking"
        text = screen_text(app)
        assert "3 expectations: 1 passed, 2 warnings, 0 blocking failed" in text
        assert "Data Docs: dist/" in text and "data-docs/index.html" in text
        table.focus()
        await press(pilot, app, "enter")
        text = screen_text(app)
        assert "row 7: 082 123" in text and "row 19: call reception" in text
        assert "some phones could not be read" in text
        await press(pilot, app, "down", "enter")
        assert "No single value fails" in screen_text(app)
