"""At 80x24 (the bastion's SSH window) nothing the operator reads is cut: the status strip keeps
case, profile, last run and ledger count whole, pane titles keep their last words, and the help
pages through every key it has."""

from __future__ import annotations

import re

import pytest

from hotpass_tui.app import PANES
from hotpass_tui.screens.help import HelpScreen
from hotpass_tui.widgets.status_strip import SEPARATOR, StripState, ledger_forms, run_forms, strip_text
from tests.faces.tui.conftest import make_app, press, screen_text, settle
from tests.faces.tui.fakes import FakeService

LONG = StripState("regional-clinics-2026-other", "aviation", "09:30 ok, 40,802 orgs", "1,234 entries #abcdef0",
                  "refining…")


def allowed_forms(state: StripState) -> set[str]:
    """Every way the strip may write each part: whole, or one of the part's own shorter forms."""
    return {"Hotpass", state.busy, state.case_id, f"case {state.case_id}", state.profile, f"profile {state.profile}",
            *(f"run {form}" for form in run_forms(state.last_run)),
            *(f"ledger {form}" for form in ledger_forms(state.ledger))}


@pytest.mark.parametrize("state", [LONG, StripState("sample", "generic", "none yet", "0 entries #0000000")])
def test_the_strip_never_cuts_a_part_at_any_width(state):
    allowed = allowed_forms(state)
    for width in range(len(state.busy) + len(state.case_id) + 3, 200):
        text = strip_text(state, width, "bastion-01 09:30").plain
        assert len(text) <= width
        left = text.split("  bastion-01")[0].rstrip()
        parts = left.split(SEPARATOR)
        assert set(parts) <= allowed, (width, parts)
        assert state.case_id in left  # the case is never dropped


def test_at_80_columns_the_strip_keeps_case_profile_run_and_ledger_count():
    text = strip_text(LONG, 80, "bastion-01 09:30").plain
    assert text.split(SEPARATOR) == ["refining…", "regional-clinics-2026-other", "aviation", "run 09:30 ok",
                                     "ledger 1,234"]
    roomy = strip_text(LONG, 160, "bastion-01 09:30").plain
    assert "case regional-clinics-2026-other │ profile aviation │ run 09:30 ok, 40,802 orgs" in roomy
    assert roomy.endswith("bastion-01 09:30")


async def test_the_strip_at_80_columns_in_the_app_after_a_run(tmp_path):
    app = make_app(FakeService(tmp_path), case_id="regional-clinics-2026-other")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "2", "r")
        first_line = screen_text(app).splitlines()[0].rstrip()
        assert "…" not in first_line
        # the run's counts and the word "entries" give way first, labels stay while they fit
        assert first_line.split(SEPARATOR) == ["case regional-clinics-2026-other", "profile generic",
                                               "run 09:30 ok", "ledger 1"]


async def test_every_pane_title_keeps_its_last_words_at_80_columns(tmp_path):
    """Where a title does not fit, its number goes first; one that still does not fit wraps."""
    app = make_app(FakeService(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        for pane in PANES:
            await press(pilot, app, pane.STEP)
            # The pane's side of the screen, its first rows joined: a title that wraps reads on.
            rows = [line.split("▕", 1)[1] for line in screen_text(app).splitlines()[1:4] if "▕" in line]
            shown = " ".join(" ".join(rows).split())
            # the step's number may give way (the steps list beside shows it), never a word of the rest
            assert f"{pane.TITLE} — {pane.SUMMARY}" in shown, shown


async def test_help_at_80x24_pages_through_every_key_and_says_where_it_is(tmp_path):
    app = make_app(FakeService(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        pages = []
        for _ in range(12):
            lines = screen_text(app).splitlines()
            assert "pgdn" in lines[1] and "close" in lines[1]  # the title names the keys that move and close
            position = lines[-2]
            pages.append(lines[3:-2])
            if "the end" in position:
                break
            assert re.search(r"Lines \d+–\d+ of \d+ · more below: pgdn or space", position), position
            await press(pilot, app, "space" if len(pages) % 2 else "pagedown")
        assert "the end" in position and len(pages) > 2  # it does not fit: it pages, and says so
        seen = " ".join(" ".join(line.strip("┃ ") for line in page) for page in pages)
        seen = " ".join(seen.split())
        for title, keys in app.help_sections():
            assert title in seen
            for key, description in keys:
                assert f"{key} {description}" in seen or description in seen, description
        await press(pilot, app, "q")
        assert not isinstance(app.screen, HelpScreen)
