"""The Ledger pane (8 or l), driven by keys only: recent runs, approvals and decisions, and next
steps added and marked done from the keyboard."""

from __future__ import annotations

from textual.widgets import DataTable

from hotpass_tui.screens.approval import ApprovalModal
from hotpass_tui.screens.next_step import NextStepModal
from tests.faces.tui.conftest import make_app, press, screen_text, settle, text_of
from tests.faces.tui.fakes import FakeService


def rows(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def open_ledger(pilot, app) -> None:
    await settle(pilot, app)
    await press(pilot, app, "l")


async def add_step(pilot, app, text: str, owner: str = "", due: str = "") -> None:
    """n, then the three fields: Enter moves on, and Enter in the last one saves."""
    await pilot.press("n")
    assert isinstance(app.screen, NextStepModal)
    await press(pilot, app, *text, "enter", *owner, "enter", *due, "enter")


async def test_the_ledger_shows_recent_runs_and_review_decisions(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "2", "r")
        await press(pilot, app, "v", "a")
        await open_ledger(pilot, app)
        text = screen_text(app)
        assert "Recent runs" in text and "Approvals and review decisions" in text
        assert rows(app, "ledger-runs") == [["1", "2026-01-15 09:30", "0", "sample", "refine · ui · ok"]]
        [decision] = rows(app, "ledger-approvals")
        assert decision[:4] == ["2", "2026-01-15 09:30", "operator", "sample"]
        assert decision[4].startswith("approve 360 Aviation ~ 360 Aviation (Pty) Ltd")
        assert "approve 360 Aviation" in text
        # the pane follows the ledger while it is open: a new decision shows without a key
        await press(pilot, app, "2", "v", "x")
        await press(pilot, app, "8")
        assert [row[0] for row in rows(app, "ledger-approvals")] == ["3", "2"]  # newest first


async def test_n_adds_a_next_step_and_d_marks_it_done_with_keys_only(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_ledger(pilot, app)
        assert isinstance(app.focused, DataTable) and app.focused.id == "ledger-next-steps"
        await add_step(pilot, app, "Call", owner="me", due="2026-02-01")
        assert not isinstance(app.screen, NextStepModal)
        assert [(s.id, s.status, s.text, s.owner, s.due) for s in service.steps] == [
            ("NS-1", "open", "Call", "me", "2026-02-01")]
        assert service.entries[-1].kind == "next_step_opened" and service.entries[-1].case_id == "sample"
        assert rows(app, "ledger-next-steps") == [["NS-1", "open", "Call", "me", "2026-02-01"]]
        assert "NS-1  open    Call       me     2026-02-01" in screen_text(app)

        await pilot.press("d")
        assert isinstance(app.screen, ApprovalModal)
        assert "Mark next step NS-1 done" in screen_text(app)
        await pilot.press(*"ok", "enter")  # a comment for the ledger, Enter confirms
        await settle(pilot, app)
        assert not isinstance(app.screen, ApprovalModal)
        assert service.steps[0].status == "done"
        last = service.entries[-1]
        assert (last.kind, last.subject, last.payload) == ("next_step_done", "NS-1", {"comment": "ok"})
        assert rows(app, "ledger-next-steps")[0][:2] == ["NS-1", "done"]

        await pilot.press("d")  # a step already done is not closed twice
        await settle(pilot, app)
        assert not isinstance(app.screen, ApprovalModal)
        assert [entry.kind for entry in service.entries].count("next_step_done") == 1


async def test_d_closes_the_step_under_the_cursor_and_open_steps_come_first(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_ledger(pilot, app)
        await add_step(pilot, app, "a")
        await add_step(pilot, app, "b")
        await add_step(pilot, app, "c")
        assert [row[2] for row in rows(app, "ledger-next-steps")] == ["a", "b", "c"]
        await pilot.press("down", "d", "enter")  # the second step, no comment
        await settle(pilot, app)
        assert [step.status for step in service.steps] == ["open", "done", "open"]
        assert [row[:2] for row in rows(app, "ledger-next-steps")] == [
            ["NS-1", "open"], ["NS-3", "open"], ["NS-2", "done"]]


async def test_the_dialogs_check_their_fields_and_cancel_without_writing(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_ledger(pilot, app)
        await pilot.press("d")  # nothing to close yet: says so, opens nothing
        assert not isinstance(app.screen, ApprovalModal)

        await pilot.press("n", "enter", "enter", "enter")  # saved with no text: refused
        assert isinstance(app.screen, NextStepModal)
        assert text_of(app.screen.query_one("#step-problem")) == "Say what needs doing."
        assert app.focused.id == "step-text"
        await pilot.press(*"x", "enter", "enter", *"soon", "enter")  # a due date that is not one
        assert isinstance(app.screen, NextStepModal)
        assert "YYYY-MM-DD" in text_of(app.screen.query_one("#step-problem"))
        await press(pilot, app, "ctrl+g")  # cancels (Esc is slow in tmux)
        assert not isinstance(app.screen, NextStepModal)
        assert service.steps == [] and service.entries == []

        await add_step(pilot, app, "k")
        await press(pilot, app, "d", "escape")  # Esc cancels a dialog (never running work)
        assert not isinstance(app.screen, ApprovalModal)
        await pilot.press("d", "tab", "tab", "enter")  # or Tab to the Cancel button
        await settle(pilot, app)
        assert not isinstance(app.screen, ApprovalModal)
        assert service.steps[0].status == "open"
        assert [entry.kind for entry in service.entries] == ["next_step_opened"]


async def test_next_step_text_with_brackets_is_shown_as_typed(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_ledger(pilot, app)
        await add_step(pilot, app, "ask [ops] re [/b]")
        await pilot.pause()
        assert app.is_running
        assert service.steps[0].text == "ask [ops] re [/b]"
        text = screen_text(app)
        assert "NS-1  open    ask [ops] re [/b]" in text
        assert "Next step recorded: ask [ops] re" in text and "▌ [/b]" in text  # the notification, wrapped
