"""Workers: progress crosses to the UI thread as messages, no widget is touched from a thread, and a
failing worker shows one readable message (no traceback, no locals, no secrets) while the app
stays up. The last test drives the real service: core refine and a SQLite ledger."""

from __future__ import annotations

import threading

from textual.widgets import DataTable

from core.errors import ExpectationFailed, LedgerError
from core.workspace import Workspace
from hotpass_tui.service import CoreService
from hotpass_tui.screens.error import ErrorModal
from hotpass_tui.widgets.ledger_view import LedgerView
from hotpass_tui.widgets.paged_table import PagedTable
from hotpass_tui.widgets.review_pair import ReviewPairView
from hotpass_tui.widgets.stage_progress import StageProgress
from tests.faces.tui.conftest import make_app, press, screen_text, settle, text_of
from tests.faces.tui.fakes import FakeService

SECRET = "hunter2-password"


class Boom(RuntimeError):
    """A bug deep in the pipeline, with something private in its message and its frame."""


def failing_refine(secret: str = SECRET):
    password = secret  # noqa: F841 - a local that must never reach the screen
    raise Boom(f"could not connect with password={secret}")


class BuggyBackend(FakeService):
    def refine(self, *args, **kwargs):
        if self.fail_with is not None:
            self.refine_calls += 1
            failing_refine()
        return super().refine(*args, **kwargs)


async def test_a_bug_in_a_worker_shows_a_readable_modal_without_traceback_or_secrets(tmp_path):
    service = BuggyBackend(tmp_path, fail_with=Boom())
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "2", "r")
        assert isinstance(app.screen, ErrorModal)
        text = screen_text(app)
        assert "Internal error" in text
        body, hint = (text_of(app.screen.query_one(selector)) for selector in (".dialog-body", ".dialog-hint"))
        assert body == "An internal error (Boom) stopped refine. This is a bug, not your data."
        assert hint == f"What to do: The traceback is in {service.log_path}."
        for private in (SECRET, "password", "Traceback", "failing_refine", "locals", "File \""):
            assert private not in text
        # the traceback went to the log, for whoever fixes the bug
        logged = service.log_path.read_text()
        assert "Traceback" in logged and "failing_refine" in logged

        await pilot.press("enter")  # closes the modal; the app is still here and still works
        await settle(pilot, app)
        assert not isinstance(app.screen, ErrorModal) and app.is_running
        text = screen_text(app)
        assert "Refine stopped: An internal error (Boom)" in text
        assert "run 09:30 failed" in text
        service.fail_with = None
        await press(pilot, app, "r")
        assert "Refined 560 rows into 500 organisations." in screen_text(app)
        assert service.refine_calls == 2


async def test_an_operator_error_names_the_file_sheet_and_what_to_do(tmp_path):
    failure = ExpectationFailed("organization_name must not be empty in 12 rows",
                                file="data/sample/schools.xlsx", sheet="Schools",
                                key="expect_column_values_to_not_be_null", hint="fill the names, then press r")
    service = FakeService(tmp_path, fail_with=failure)  # raised when refine reaches "resolve"
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "2", "r")
        assert isinstance(app.screen, ErrorModal)
        text = screen_text(app)
        assert "Refine stopped: ExpectationFailed" in text
        assert "data/sample/schools.xlsx › sheet 'Schools'" in text
        assert "organization_name must not be empty in 12 rows" in text
        assert "What to do: fill the names, then press r" in text
        assert "Traceback" not in text
        await press(pilot, app, "escape")
        assert not isinstance(app.screen, ErrorModal)
        assert "✗ resolve" in screen_text(app)
        assert "Refine stopped: organization_name must not be empty" in screen_text(app)


async def test_error_text_with_brackets_is_shown_as_it_is_not_read_as_markup(tmp_path):
    failure = ExpectationFailed("column 'Ref [/b]' has [red]no[/red] values", file="data/sample/a [old].xlsx",
                                sheet="Data [2024]", hint="see [docs]")
    service = FakeService(tmp_path, fail_with=failure)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "2", "r")
        assert isinstance(app.screen, ErrorModal)
        assert "column 'Ref [/b]' has [red]no[/red] values" in screen_text(app)
        await press(pilot, app, "enter")
        assert app.is_running
        assert "Refine stopped: column 'Ref [/b]' has [red]no[/red] values" in screen_text(app)


async def test_a_ledger_that_cannot_be_read_says_so_once_and_the_app_stays_up(tmp_path):
    class BrokenLedger(FakeService):
        def ledger_snapshot(self):
            raise LedgerError("the ledger file is newer than this Hotpass", file=".hotpass/ledger.db",
                              hint="upgrade Hotpass; the file was not touched")

    service = BrokenLedger(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "8")
        assert isinstance(app.screen, ErrorModal)
        assert "Ledger stopped: LedgerError" in screen_text(app)
        assert "upgrade Hotpass" in screen_text(app)
        await press(pilot, app, "enter")
        assert not isinstance(app.screen, ErrorModal)  # one failure, one modal
        await press(pilot, app, "1")
        assert app.screen.query_one("#step-1").display and app.is_running


async def test_a_review_decision_that_fails_is_not_shown_as_made(tmp_path):
    class NoWrites(FakeService):
        def decide(self, case_id, pair_id, decision, summary):
            raise LedgerError("the ledger is locked by another writer", file=".hotpass/ledger.db",
                              hint="try again in a moment")

    service = NoWrites(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "2", "r")
        await press(pilot, app, "v", "a")
        assert isinstance(app.screen, ErrorModal)
        assert "the ledger is locked by another writer" in screen_text(app)
        await press(pilot, app, "enter")
        pane = app.runbook.panes["2"]
        assert pane.review_items[0].decision is None and pane.review_index == 0
        assert "Pair 1 of 3 · score 0.86 · undecided" in screen_text(app)


async def test_workers_touch_no_widget_from_their_threads(tmp_path, monkeypatch):
    """Every widget update that a worker causes runs on the UI thread, by way of a message."""
    calls: list[tuple[str, int]] = []

    def on_ui_thread(cls, name):
        original = getattr(cls, name)

        def wrapper(self, *args, **kwargs):
            calls.append((f"{cls.__name__}.{name}", threading.get_ident()))
            return original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, wrapper)

    for cls, name in [(StageProgress, "advance"), (StageProgress, "finish"), (PagedTable, "load"),
                      (ReviewPairView, "show"), (LedgerView, "show"), (DataTable, "add_rows")]:
        on_ui_thread(cls, name)
    service = FakeService(tmp_path, stage_delay=0.05)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        ui_thread = threading.get_ident()
        await settle(pilot, app)
        await press(pilot, app, "2", "r")
        await press(pilot, app, "v", "a")
        await press(pilot, app, "8")
    names = {name for name, _ in calls}
    assert {"StageProgress.advance", "StageProgress.finish", "PagedTable.load", "ReviewPairView.show",
            "LedgerView.show"} <= names
    assert sum(1 for name, _ in calls if name == "StageProgress.advance") >= 7  # progress arrived per stage
    assert {thread for _, thread in calls} == {ui_thread}


async def test_the_real_backend_refines_the_sample_and_a_review_approval_reaches_the_ledger(tmp_path):
    """Real core, real SQLite ledger in tmp_path, the bundled sample case: r, then v a, then 8."""
    from ledger import Ledger

    ledger_path = tmp_path / "ledger.db"
    service = CoreService(Workspace(tmp_path, ledger_path))
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert (tmp_path / "data" / "sample").is_dir()  # written on first use
        assert "clinic-directory.xlsx" in screen_text(app)  # the real preview
        await press(pilot, app, "2", "r")
        assert not isinstance(app.screen, ErrorModal), screen_text(app)
        result = app.session.result
        assert result is not None and result.organisations_out > 0
        assert (tmp_path / "dist" / "sample" / "refined.xlsx").is_file()
        assert f"into {result.organisations_out:,} organisations" in screen_text(app)
        assert result.review, "the sample case has pairs for review"

        await pilot.press("v")
        pair = app.runbook.panes["2"].review_items[0]
        assert f"Pair 1 of {len(result.review)}" in screen_text(app)
        await press(pilot, app, "a")
        assert not isinstance(app.screen, ErrorModal), screen_text(app)
        assert pair.decision == "approve"

        await press(pilot, app, "8")
        approvals = app.screen.query_one("#ledger-approvals", DataTable)
        assert approvals.row_count == 1
        assert "sample" in [str(cell) for cell in approvals.get_row_at(0)]
        assert app.screen.query_one("#ledger-runs", DataTable).row_count == 1
    # what another process reads from the file: the decision, for the next refine to re-apply
    assert Ledger(ledger_path).review_decisions("sample") == {pair.pair_id: "approve"}
