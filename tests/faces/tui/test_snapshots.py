"""Snapshots of every pane at 80x24 (the bastion's SSH window) and 120x36, on the fake service.

What is frozen, so that a snapshot changes only when the UI does: the workspace path
(SNAPSHOT_WORKSPACE; the panes show paths relative to it), the clock and the host (make_app),
the ledger's "who" (FakeService writes "operator", never the machine's user), the run id and the
stage timings (FakeService). Toasts are cleared and the input cursor does not blink, since both
depend on wall time. What the environment could change is pinned in `pinned_terminal`.

Update after a deliberate UI change with `pytest tests/faces/tui/test_snapshots.py --snapshot-update`,
then look at the pictures (snapshot_report.html shows the differences when a test fails).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence

import pytest
import textual.constants
from textual.widgets import Input

from tests.faces.tui.conftest import SNAPSHOT_WORKSPACE, make_app, settle
from tests.faces.tui.fakes import FakeService

SIZES = {"80x24": (80, 24), "120x36": (120, 36)}

# A frame is a sequence of steps: a key name, or ("type", text) for text put into the focused input
# at once (typing key by key costs ~0.1 s a key here; the tmux smoke test types for real).
Step = str | tuple[str, str]
REFINED = ["2", "r"]
NEXT_STEP = ["8", "n", ("type", "Send notices to the data owners"), "enter", ("type", "ops desk"), "enter",
             ("type", "2026-01-31")]
FRAMES: dict[str, list[Step]] = {
    "1_prepare": [],
    "2_refine_ready": ["2"],
    "2_refine_summary": [*REFINED],
    "2_refine_organisations": [*REFINED, "o"],
    "2_refine_notices": [*REFINED, "c"],
    "2_refine_review": [*REFINED, "v"],
    "2_refine_org_card": [*REFINED, "o", "tab", "tab", "down", "enter"],
    "2_refine_org_card_split": [*REFINED, "o", "tab", "tab", "down", "enter", "down", "s", ("type", "listed twice"), "enter"],
    "2_refine_review_approved": [*REFINED, "v", "a"],
    "3_enrich": ["3"],
    "3_enrich_run": ["3", "r"],
    "4_contracts": ["4"],
    "4_contracts_fields": ["4", "e"],
    "4_contracts_yaml": ["4", "e", "y"],
    "5_telemetry": ["5"],
    "6_quality": ["6"],
    "6_quality_run": ["6", "r", "down", "down", "down"],
    "7_handoff": ["7"],
    "8_ledger_new_step_dialog": [*REFINED, *NEXT_STEP],
    "8_ledger_with_next_step": [*REFINED, "v", "a", *NEXT_STEP, "enter"],
    "help": ["question_mark"],
    "help_last_page": ["question_mark", "end"],
}
# Over SSH, TERM=xterm gives 16 colours and the app uses the terminal's own palette (ansi=True).
SIXTEEN_COLOUR_FRAMES = ["1_prepare", "2_refine_summary", "2_refine_review", "8_ledger_with_next_step"]


@pytest.fixture(autouse=True)
def pinned_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a developer's shell or CI (TERM unset, no TTY) could otherwise change in the pictures.

    Textual reads these when an App is built (the constants were read at import, from whatever
    environment pytest started in); the SVG itself is always exported in truecolour.
    """
    monkeypatch.delenv("NO_COLOR", raising=False)  # would add a monochrome filter
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "truecolor")  # TEXTUAL_COLOR_SYSTEM
    monkeypatch.setattr(textual.constants, "FILTERS", "")  # TEXTUAL_FILTERS=dim
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")


@pytest.fixture(autouse=True)
def fresh_workspace() -> Iterator[None]:
    """Each picture starts from an empty workspace: the fake contracts step writes the real contract under
    SNAPSHOT_WORKSPACE, and a file left by an earlier test (or an earlier run) would show as emitted."""
    shutil.rmtree(SNAPSHOT_WORKSPACE / "dist", ignore_errors=True)
    yield
    shutil.rmtree(SNAPSHOT_WORKSPACE / "dist", ignore_errors=True)


def snapshot_app(ansi: bool = False):
    app = make_app(FakeService(SNAPSHOT_WORKSPACE), ansi=ansi)
    app.theme = "ansi-dark" if ansi else "textual-dark"  # not TEXTUAL_THEME from the environment
    app.animation_level = "none"  # not TEXTUAL_ANIMATIONS: end states only
    return app


def drive(steps: Sequence[Step]):
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(pilot, app)
        for step in steps:
            if isinstance(step, tuple):
                focused = app.focused
                assert isinstance(focused, Input), f"typing {step[1]!r} needs an input, not {focused!r}"
                focused.insert_text_at_cursor(step[1])
            else:
                await pilot.press(step)
            await settle(pilot, app)
        for screen in app.screen_stack:
            for box in screen.query(Input):
                box.cursor_blink = False  # a blinking cursor is visible or not by wall time
        app.clear_notifications()  # toasts expire by wall time
        await settle(pilot, app)

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("frame", FRAMES)
def test_pane(snap_compare, frame: str, size: str) -> None:
    assert snap_compare(snapshot_app(), terminal_size=SIZES[size], run_before=drive(FRAMES[frame]))


@pytest.mark.parametrize("frame", SIXTEEN_COLOUR_FRAMES)
def test_pane_in_sixteen_colours(snap_compare, frame: str) -> None:
    assert snap_compare(snapshot_app(ansi=True), terminal_size=SIZES["80x24"], run_before=drive(FRAMES[frame]))


@pytest.mark.parametrize("size", SIZES)
def test_teach_screen(snap_compare, tmp_path, size: str) -> None:
    """Teaching a real workbook (t in Prepare): its header moved to row 3, each column's first values shown."""
    from tests.conftest import write_xlsx
    from tests.faces.tui.test_teach import ROWS

    write_xlsx(tmp_path / "data" / "sample" / "schools.xlsx", {"Schools": ROWS})
    app = make_app(FakeService(tmp_path))
    app.theme, app.animation_level = "textual-dark", "none"
    assert snap_compare(app, terminal_size=SIZES[size], run_before=drive(["down", "down", "t", "plus", "plus"]))


@pytest.mark.parametrize("size", SIZES)
def test_status_strip_of_a_long_case_after_a_run(snap_compare, size: str) -> None:
    """At 80 columns the strip gives up the run's counts and the ledger's hash, never a cut word."""
    app = make_app(FakeService(SNAPSHOT_WORKSPACE), case_id="regional-clinics-2026-other")
    app.theme, app.animation_level = "textual-dark", "none"
    assert snap_compare(app, terminal_size=SIZES[size], run_before=drive([*REFINED, "v", "a"]))
