"""The runbook shell, driven by keys only: steps, help, palette, quitting."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import ContentSwitcher

from hotpass_tui.screens.help import HelpScreen
from tests.faces.tui.conftest import make_app, press, screen_text, settle

STEPS = {"1": "Prepare", "2": "Refine", "3": "Enrich", "4": "Contracts", "5": "Telemetry",
         "6": "Quality gates", "7": "Hand-off", "8": "Ledger"}


def current_step(app) -> str:
    return app.screen.query_one(ContentSwitcher).current


async def test_opens_on_prepare_with_the_case_and_profile_in_the_status_strip(service):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        assert current_step(app) == "step-1"
        assert "case sample" in text and "profile generic" in text
        assert "ledger 0 entries" in text
        assert "schools.xlsx" in text  # the preview arrived from its worker


async def test_each_step_is_one_key_away_and_l_opens_the_ledger(service):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        for key, title in STEPS.items():
            await press(pilot, app, key)
            assert current_step(app) == f"step-{key}"
            assert f"{key} {title}" in screen_text(app)
        await pilot.press("1", "l")
        assert current_step(app) == "step-8"


async def test_the_steps_list_moves_with_arrows_and_enter(service):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.query_one("#nav").focus()
        await press(pilot, app, "down", "down", "enter")
        assert current_step(app) == "step-3"


async def test_every_step_has_a_built_pane_named_as_the_registry_names_it(service):
    from core.runbook.registry import STEPS

    app = make_app(service)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        for spec in STEPS:
            await press(pilot, app, spec.key)
            pane = app.runbook.panes[spec.key]
            assert pane.BUILT and pane.STEP_ID == spec.id
            assert f"{spec.key} {spec.title} — {spec.summary}" in screen_text(app)
            assert "Not built yet." not in screen_text(app)


async def test_help_opens_with_question_mark_and_f1_and_names_the_ledger_key(service):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        sections = dict(app.screen.sections)
        assert ("8  l", "open the Ledger pane") in sections["Everywhere"]
        assert ("a", "Approve") in sections["2 Refine"]
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")  # closes help, does not quit
        assert not isinstance(app.screen, HelpScreen)
        assert app.is_running


async def test_the_palette_lists_every_pane_action(service):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for pane in app.runbook.panes.values():
            assert f"Go to {pane.STEP} {pane.TITLE}" in titles
            for binding in pane.key_bindings():
                assert f"{pane.TITLE}: {binding.description}" in titles


async def test_the_palette_runs_refine_by_name(service):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"run refine")
        await pilot.pause(0.3)
        await press(pilot, app, "enter")
        assert service.refine_calls == 1
        assert current_step(app) == "step-2"


async def test_q_quits_cleanly_with_exit_code_zero(service):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_digits_type_into_the_folder_box_instead_of_switching_steps(service):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f", "2")
        assert current_step(app) == "step-1"
        assert app.screen.query_one("#case-folder").value.endswith("2")
