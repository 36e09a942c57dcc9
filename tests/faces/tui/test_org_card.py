"""Enter on an organisation in Refine › Organisations opens its card: where each value came from, what lost."""

from __future__ import annotations

from textual.widgets import DataTable

from hotpass_tui.screens.org_card import OrgCardScreen
from tests.faces.tui.conftest import make_app, press, screen_text, settle
from tests.faces.tui.fakes import FakeService


async def open_card(pilot, app, down: int = 0) -> None:
    await settle(pilot, app)
    await press(pilot, app, "2")
    await press(pilot, app, "r")
    await press(pilot, app, "o")
    await press(pilot, app, "tab", "tab")  # from the tab strip past the search box into the table
    assert isinstance(app.focused, DataTable), app.focused
    await press(pilot, app, *["down"] * down, "enter")


async def test_enter_on_an_organisation_opens_its_card_and_escape_closes_it(tmp_path):
    service = FakeService(tmp_path, rows=50)
    asked: list[str] = []
    real = service.org_card
    service.org_card = lambda case_id, input_dir, slug: (asked.append(slug), real(case_id, input_dir, slug))[1]
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot, app, down=2)
        assert isinstance(app.screen, OrgCardScreen)
        assert asked == ["organisation-000002"]  # the row under the cursor, by its slug
        text = screen_text(app)
        assert "contact_primary_phone: +27115550100" in text
        assert "from crm.xlsx › Accounts › row 7" in text
        await press(pilot, app, "escape")
        assert not isinstance(app.screen, OrgCardScreen)


async def test_a_card_that_cannot_be_read_says_why_in_its_place(tmp_path):
    from core.errors import InputNotFound

    service = FakeService(tmp_path, rows=5)

    def missing(case_id, input_dir, slug):
        raise InputNotFound("the case has not been refined yet", file="dist/sample/refined.xlsx")

    service.org_card = missing
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot, app)
        assert "The card cannot be read: the case has not been refined yet" in screen_text(app)
