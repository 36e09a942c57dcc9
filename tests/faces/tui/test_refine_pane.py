"""Step 2, Refine, driven by keys only: r runs refine with a bar per stage, x and ctrl+c cancel
(Esc does not), the report, organisations, notices and review tabs, a 100,000-row table that
pages and searches, and review decisions that reach the ledger at once."""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable, Input, TabbedContent

from hotpass_tui.panes.refine import RefinePane
from hotpass_tui.widgets.paged_table import PagedTable
from hotpass_tui.widgets.status_strip import StatusStrip
from tests.faces.tui.conftest import make_app, press, screen_text, settle, text_of
from tests.faces.tui.fakes import FakeService, fake_preview

STAGES = ["discover", "read", "normalise", "notices", "resolve", "survivorship", "validate", "write"]
RUNNING = re.compile(r"Running (\w+) \((\d)/8\)")


def ledger_state(app) -> str:
    """What the status strip says of the ledger (at 80 columns the strip cuts it short)."""
    return app.screen.query_one(StatusStrip).ledger


def refine_pane(app) -> RefinePane:
    return app.runbook.panes["2"]  # type: ignore[return-value]


async def open_refine(pilot, app) -> None:
    await settle(pilot, app)
    await press(pilot, app, "2")


async def run_refine(pilot, app) -> None:
    await press(pilot, app, "r")
    assert app.session.result is not None


async def wait_for_screen(pilot, app, pattern: re.Pattern[str] | str, tries: int = 400) -> str:
    """Pause until the screen shows `pattern` (a worker's message has landed and been drawn)."""
    for _ in range(tries):
        text = screen_text(app)
        if re.search(pattern, text):
            return text
        await pilot.pause(0.01)
    raise AssertionError(f"never shown: {pattern!r}\n{screen_text(app)}")


async def test_r_runs_refine_with_a_bar_per_stage_and_names_the_running_stage(tmp_path):
    service = FakeService(tmp_path, stage_delay=0.2)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_refine(pilot, app)
        assert "Ready: press r to refine sample" in screen_text(app)
        await pilot.press("r")
        # Mid-run, in one frame: the running stage by name, finished stages full, later ones waiting.
        text = await wait_for_screen(pilot, app, RUNNING.pattern + r"( — \w+ part [1-3])? *\n")
        stage, number = RUNNING.search(text).groups()
        running = int(number) - 1
        assert stage == STAGES[running]
        assert "refining…" in text  # the status strip says a job is running
        assert " x  Cancel" in text and "Run refine" not in text  # the keys that apply now
        lines = {name: next(line for line in text.splitlines() if f" {name} " in line and "░" in line
                                or f" {name} " in line and "█" in line)
                 for name in STAGES}
        for name in STAGES[:running]:
            assert f"✓ {name}" in lines[name] and "█" * 20 in lines[name] and "4/4" in lines[name]
        assert f"▶ {stage}" in lines[stage] and "░" in lines[stage]
        for name in STAGES[running + 1:]:
            assert f"· {name}" in lines[name] and "░" * 20 in lines[name]
        assert app.is_running and refine_pane(app).running
        # ... and at the end every stage is done and the report is shown.
        await settle(pilot, app)
        text = screen_text(app)
        assert "Refined 560 rows into 500 organisations." in text
        assert all(f"✓ {name}" in text for name in STAGES)
        assert "run 09:30 ok, 500 orgs" in text
        assert ledger_state(app).startswith("1 entry ")  # the run reached the ledger
        assert service.refine_calls == 1


@pytest.mark.parametrize("key", ["x", "ctrl+c"])
async def test_x_and_ctrl_c_cancel_a_run_and_esc_does_not(tmp_path, key):
    service = FakeService(tmp_path, stage_delay=2.0)  # long stages: the run outlives the test's keys
    app = make_app(service)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_refine(pilot, app)
        await pilot.press("r")
        await wait_for_screen(pilot, app, RUNNING)
        pane = refine_pane(app)
        await pilot.press("escape")
        await pilot.pause()
        assert pane.running and not pane.cancel_event.is_set()  # Esc alone never cancels work
        assert app.screen is app.runbook and app.is_running
        cancel_event = pane.cancel_event  # the pane lets go of it once the cancel has finished
        await pilot.press(key)
        assert cancel_event is not None and cancel_event.is_set()
        await settle(pilot, app)
        text = screen_text(app)
        assert not pane.running
        assert "Cancelled: nothing was written" in text
        assert "■" in text  # the stage that was running is marked cancelled
        assert "run 09:30 cancelled" in text
        assert "Refine cancelled" in text  # the notification
        assert app.session.result is None
        assert " r  Run refine" in text  # and r applies again


async def test_x_cancels_a_run_even_from_the_review_tab(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_refine(pilot, app)
        await run_refine(pilot, app)
        service.stage_delay = 2.0
        await pilot.press("r")
        await wait_for_screen(pilot, app, RUNNING)
        await pilot.press("v")
        assert app.screen.query_one(TabbedContent).active == "tab-review"
        await press(pilot, app, "x")
        assert service.decisions == {}  # cancelling is the safer reading of x
        assert service.refine_calls == 2
        assert "cancelled" in app.session.last_run


async def test_the_report_organisations_notices_and_review_tabs(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_refine(pilot, app)
        await run_refine(pilot, app)
        tabs = app.screen.query_one(TabbedContent)
        text = screen_text(app)
        assert tabs.active == "tab-run"
        assert "Run       20260115T093000Z-abc123 · profile generic" in text
        assert "Rows      560 in → 500 organisations" in text
        assert "Merges    57 (1,234 pairs compared)" in text
        assert "Review    3 pairs, 0 decided (v)" in text

        await pilot.press("o")
        text = screen_text(app)
        assert tabs.active == "tab-orgs"
        assert "Organisation 000000  Gauteng" in text
        assert "rows 1–200 of 500 · page 1/3" in text

        await pilot.press("c")
        text = screen_text(app)
        assert tabs.active == "tab-notices"
        assert "3 rows dropped for repeated primary keys" in text
        assert "schools  3     repeated primary key ×3  dist/contract-notice" in text

        await pilot.press("v")
        text = screen_text(app)
        assert tabs.active == "tab-review"
        assert "Pair 1 of 3 · score 0.86 · undecided · 3 undecided" in text
        assert re.search(r"≠\s+name\s+360 Aviation\s+360 Aviation \(Pty\) Ltd", text)  # side by side
        assert re.search(r"=\s+province\s+Gauteng\s+Gauteng", text)
        assert "Evidence (pair pair-1): names equal after removing" in text
        assert " a  Approve" in text and " x  Reject" in text

        await pilot.press("s")
        assert tabs.active == "tab-run"


async def test_a_hundred_thousand_organisations_page_and_search(tmp_path):
    service = FakeService(tmp_path, rows=100_000)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_refine(pilot, app)
        await run_refine(pilot, app)
        table = app.screen.query_one(PagedTable)
        await pilot.press("o")
        assert "rows 1–200 of 100,000 · page 1/500" in screen_text(app)
        assert table.query_one(DataTable).row_count == 200  # a page, not 100,000 row objects

        await pilot.press("right_square_bracket")  # ] pages from the tab strip too
        await pilot.pause()
        text = screen_text(app)
        assert "rows 201–400 of 100,000 · page 2/500" in text
        assert "Organisation 000200" in text
        await pilot.press("right_square_bracket", "left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert "page 1/500" in screen_text(app)  # never before the first page

        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"99999")
        text = await wait_for_screen(pilot, app, "matching “99999”")
        assert "rows 1–1 of 1 matching “99999”" in text
        assert "Organisation 099999" in text
        await pilot.press("enter")  # leaves the search box for the table
        assert isinstance(app.focused, DataTable)

        await pilot.press("slash", *"limp")  # any case
        text = await wait_for_screen(pilot, app, "matching “limp”")
        assert "of 20,000 matching “limp”" in text
        assert "Organisation 000004  Limpopo" in text
        await pilot.press("enter", "right_square_bracket")
        await pilot.pause()
        assert "rows 201–400 of 20,000 matching “limp” · page 2/100" in screen_text(app)


async def test_review_keys_decide_and_move_and_each_decision_reaches_the_ledger_at_once(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_refine(pilot, app)
        await run_refine(pilot, app)
        await pilot.press("c", "a", "x", "n")  # the review keys do nothing outside the review tab
        await settle(pilot, app)
        assert service.decisions == {} and refine_pane(app).review_index == 0
        await pilot.press("v")
        assert "Pair 1 of 3" in screen_text(app)

        await press(pilot, app, "a")
        assert service.decisions == {"pair-1": "approve"}
        assert service.entries[-1].kind == "review_decision" and service.entries[-1].subject == "pair-1"
        assert service.entries[-1].payload["summary"] == "360 Aviation ~ 360 Aviation (Pty) Ltd"
        assert "Pair 2 of 3" in screen_text(app)  # on to the next undecided pair
        assert "2 undecided" in screen_text(app)

        await press(pilot, app, "x")
        assert service.decisions == {"pair-1": "approve", "pair-2": "reject"}
        assert "Pair 3 of 3" in screen_text(app)

        await pilot.press("p")
        text = screen_text(app)
        assert "Pair 2 of 3" in text and "rejected (keep apart)" in text
        await pilot.press("p", "p")  # stays on the first pair
        text = screen_text(app)
        assert "Pair 1 of 3" in text and "approved (merge)" in text
        await pilot.press("n", "n", "n")  # stays on the last pair
        assert "Pair 3 of 3" in screen_text(app)

        await pilot.press("x")  # pair 3, judged as branches of one chain
        await settle(pilot, app)
        assert service.decisions == {"pair-1": "approve", "pair-2": "reject", "pair-3": "reject"}
        assert text_of(app.screen.query_one(".review-headline")).endswith("rejected (keep apart) · 0 undecided")
        assert re.search(r"rejected \(keep apart\) · 0 *\n.*▕ undecided", screen_text(app))  # wrapped, not cut
        # a decision can be changed: the newest one is what the ledger keeps
        await press(pilot, app, "p", "p", "x")
        assert service.decisions["pair-1"] == "reject"
        assert [entry.kind for entry in service.entries].count("review_decision") == 4
        assert ledger_state(app).startswith("5 entries ")  # one run and four decisions


async def test_values_with_brackets_are_shown_as_they_are_not_read_as_markup(tmp_path):
    class BracketBackend(FakeService):
        def refine(self, *args, **kwargs):
            result = super().refine(*args, **kwargs)
            result.organisations.loc[0, "organization_name"] = "Acme [pty] Ltd"
            result.organisations.loc[1, "organization_name"] = "Beta [/b] Air"
            result.notices[0].source = "schools [old]"
            return result

    app = make_app(BracketBackend(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_refine(pilot, app)
        await run_refine(pilot, app)
        await pilot.press("o")
        await pilot.pause()
        assert app.is_running
        text = screen_text(app)
        assert "Acme [pty] Ltd" in text and "Beta [/b] Air" in text
        await pilot.press("c")
        await pilot.pause()
        assert "schools [old]" in screen_text(app)


async def test_a_case_and_progress_messages_with_brackets_are_shown_as_they_are(tmp_path):
    class BracketProgress(FakeService):
        def preview(self, input_dir, profile, progress, cancel):
            return fake_preview(input_dir, profile)

        def refine(self, case_id, input_dir, profile, progress, cancel):
            def relay(event):
                progress(type(event)(event.stage, event.stage_index, event.stage_count, event.done, event.total,
                                     "reading contacts [old] [/b].xlsx"))
            return super().refine(case_id, input_dir, profile, relay, cancel)

    service = BracketProgress(tmp_path, stage_delay=0.2)
    app = make_app(service, case_id="acme [old]")
    async with app.run_test(size=(80, 40)) as pilot:  # tall enough for the whole report
        await open_refine(pilot, app)
        assert "refine acme [old] with profile" in screen_text(app)
        await pilot.press("r")
        await wait_for_screen(pilot, app, re.escape("— reading contacts [old] [/b].xlsx"))
        await settle(pilot, app)
        assert app.is_running and app.session.result is not None
        assert "Output    dist/acme [old]/refined.xlsx" in screen_text(app)  # the report, too
