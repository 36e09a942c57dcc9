"""Enter on an organisation in Refine › Organisations opens its card: where each value came from, what lost;
on its member rows s splits one out, on its queued pairs the review keys answer them, u takes a decision back."""

from __future__ import annotations

from textual.widgets import DataTable

from hotpass_tui.screens.approval import ApprovalModal
from hotpass_tui.screens.org_card import OrgCardScreen
from tests.faces.tui.conftest import make_app, press, screen_text, settle, text_of
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


def card_status(app) -> str:
    return text_of(app.screen.query_one("#org-card-status"))


def card_row(app, index: int) -> list[str]:
    table = app.screen.query_one("#org-card-rows", DataTable)
    return [str(cell) for cell in table.get_row_at(index)]


async def test_s_on_a_member_row_asks_for_a_comment_and_records_the_split_u_takes_it_back(tmp_path):
    from tests.faces.tui.fake_org_card import split_pair

    service = FakeService(tmp_path, rows=5)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot, app)
        assert isinstance(app.focused, DataTable) and app.focused.id == "org-card-rows"  # the cursor is on the rows
        await press(pilot, app, "down")
        assert "directory.xlsx › Operators › row 12 (directory, linked by name) — s splits it out" in card_status(app)
        await press(pilot, app, "s")
        assert isinstance(app.screen, ApprovalModal)
        assert "directory.xlsx › Operators › row 12 leaves organisation-000000" in screen_text(app)
        await pilot.press(*"a supplier listed twice")
        await press(pilot, app, "enter")

        assert isinstance(app.screen, OrgCardScreen)
        pair = split_pair("directory.xlsx#Operators!12")
        assert service.decisions == {pair: "split"}
        entry = service.entries[-1]
        assert entry.kind == "review_decision" and entry.payload["comment"] == "a supplier listed twice"
        assert entry.payload["summary"] == "directory.xlsx:Operators:12 out of organisation-000000"
        status = card_status(app)
        assert status.startswith("Recorded: split directory.xlsx:Operators:12 out of organisation-000000")
        assert "The next refine applies it; u undoes it." in status
        assert card_row(app, 1)[:2] == ["row", "split: next refine"]  # read again from the ledger's answer
        assert card_row(app, 0)[1] == ""

        await press(pilot, app, "u")
        assert service.decisions == {pair: "undo"} and service.entries[-1].subject == pair
        assert card_status(app).startswith("Undone: split directory.xlsx:Operators:12")
        assert card_row(app, 1)[1] == ""
        await press(pilot, app, "u")
        assert card_status(app) == "Nothing decided on this card to undo."
        assert len([e for e in service.entries if e.kind == "review_decision"]) == 2


async def test_a_split_cancelled_in_the_comment_box_or_asked_on_a_pair_records_nothing(tmp_path):
    service = FakeService(tmp_path, rows=5)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot, app)
        await press(pilot, app, "s")
        await press(pilot, app, "ctrl+g")  # Esc is slow in tmux: ctrl+g cancels a dialog too
        assert isinstance(app.screen, OrgCardScreen)
        assert card_status(app) == "Split cancelled: nothing was recorded."
        await press(pilot, app, "down", "down")  # the queued pair with another organisation
        assert card_row(app, 2)[:2] == ["pair", "waiting"]
        await press(pilot, app, "s")
        assert card_status(app).startswith("s splits a member row out")
        assert service.decisions == {}


async def test_the_review_keys_answer_a_queued_pair_on_the_card_and_refine_u_undoes_a_cards_split(tmp_path):
    from tests.faces.tui.fake_org_card import QUEUED, split_pair

    service = FakeService(tmp_path, rows=5)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot, app)
        await press(pilot, app, "a")  # on a member row: a answers pairs only
        assert card_status(app).startswith("a, x and m answer a queued pair") and service.decisions == {}
        await press(pilot, app, "down", "down")
        assert "evidence: one name adds 'air'" in card_status(app)
        await press(pilot, app, "x")
        assert service.decisions == {QUEUED: "reject"}
        assert card_status(app).startswith("Recorded: rejected (keep apart): Skyline Charters ~ Skyline Air Charters")
        assert card_row(app, 2)[1] == "rejected (apart)"
        await press(pilot, app, "up", "up", "s", "enter")  # split the first row, no comment
        crm = split_pair("crm.xlsx#Accounts!7")
        assert service.decisions[crm] == "split"
        await press(pilot, app, "escape")

        assert not isinstance(app.screen, OrgCardScreen)
        # Refine › Review (from the tab strip): u takes back the card's decisions too, newest first
        await press(pilot, app, "shift+tab", "shift+tab", "v", "u")
        assert service.decisions[crm] == "undo"
        await press(pilot, app, "u")
        assert service.decisions[QUEUED] == "undo"


async def test_the_cards_keys_are_in_the_help_with_their_descriptions(tmp_path):
    from hotpass_tui.screens.help import HelpScreen

    app = make_app(FakeService(tmp_path, rows=5))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_card(pilot, app)
        await press(pilot, app, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Organisation card" in text
        assert "Split the row out of the organisation (asks for a comment)" in text
        assert "Undo the card's last decision" in text
        assert [b.description for b in OrgCardScreen.BINDINGS if b.show and not b.description]  == []


async def test_enter_on_a_review_pair_opens_the_card_of_as_organisation(tmp_path):
    service = FakeService(tmp_path, rows=5)
    asked: list[str] = []
    real = service.org_card
    service.org_card = lambda case_id, input_dir, slug: (asked.append(slug), real(case_id, input_dir, slug))[1]
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "2", "r", "v")
        await press(pilot, app, "enter")
        assert isinstance(app.screen, OrgCardScreen)
        assert asked == ["360 Aviation"]  # the fake's pairs name no record id: A's name, as `hotpass show` takes
        await press(pilot, app, "escape")
        assert not isinstance(app.screen, OrgCardScreen)


async def test_the_cards_keys_are_commands_in_the_palette(tmp_path):
    from textual.command import CommandPalette

    service = FakeService(tmp_path, rows=5)
    app = make_app(service)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_card(pilot, app)
        await press(pilot, app, "down", "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"card split")
        await settle(pilot, app)
        await pilot.pause(0.5)
        assert "Organisation card: Split the row out of the organisation" in screen_text(app)
        await press(pilot, app, "enter")  # runs it on the card: the comment box opens
        assert isinstance(app.screen, ApprovalModal)


async def test_f_and_d_force_the_organisation_together_with_or_apart_from_another_named_by_slug(tmp_path):
    service = FakeService(tmp_path, rows=5)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot, app)
        await press(pilot, app, "down", "down", "f")  # on the queued pair: its other organisation is filled in
        assert "Force organisation-000000 together with another organisation" in screen_text(app)
        assert app.screen.query_one("#force-other").value == "skyline-air-charters"
        await press(pilot, app, "enter")
        await pilot.press(*"one operator, two names")
        await press(pilot, app, "enter")
        assert isinstance(app.screen, OrgCardScreen)
        [(pair, decision)] = service.decisions.items()
        assert decision == "force_together" and service.entries[-1].payload["comment"] == "one operator, two names"
        assert card_status(app).startswith(
            "Recorded: forced together: organisation-000000 and skyline-air-charters")

        await press(pilot, app, "up", "d")  # on a member row: nothing to fill in, and nothing is not a name
        await press(pilot, app, "enter", "enter")
        assert "Name the other organisation by its slug or id." in screen_text(app)
        await press(pilot, app, "ctrl+g")
        assert card_status(app) == "Nothing was recorded." and len(service.decisions) == 1
        await press(pilot, app, "u")
        assert service.decisions == {pair: "undo"}



async def test_a_card_opened_from_a_row_names_its_organisation_and_puts_the_cursor_on_that_rows_pair(tmp_path):
    app = make_app(FakeService(tmp_path, rows=5))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await app.push_screen(OrgCardScreen(app.service, "sample", None, "crm.xlsx#Accounts!7"))
        await settle(pilot, app)
        assert "Organisation skyline-charters — Esc closes" in screen_text(app)
        assert app.screen.query_one("#org-card-rows", DataTable).cursor_row == 2  # the queued pair of that row
        assert card_status(app).startswith("pair c0ffee123456 · score 0.82: crm.xlsx:Accounts:7 ~ Skyline Air")
