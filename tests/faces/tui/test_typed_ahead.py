"""Keys that arrive in one burst, as they do over SSH or from `tmux send-keys 8n`: the step key
moves the focus before the next key is read, so that key reaches the new step's pane."""

from __future__ import annotations

from textual import events

from hotpass_tui.screens.next_step import NextStepModal
from tests.faces.tui.conftest import make_app, settle


def burst(app, keys: str) -> None:
    """Queue every key before the app handles the first (Pilot.press waits between keys)."""
    for key in keys:
        app.post_message(events.Key(key, key))


async def test_a_step_key_and_that_steps_key_in_one_burst(service):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        burst(app, "8n")
        await settle(pilot, app)
        assert isinstance(app.screen, NextStepModal)


async def test_refine_runs_when_2_and_r_come_together(service):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        burst(app, "2r")
        await settle(pilot, app)
        assert service.refine_calls == 1


async def test_a_next_step_typed_in_one_burst_lands_field_by_field(service):
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        burst(app, "8nCall")
        app.post_message(events.Key("enter", "\r"))
        burst(app, "ops")
        app.post_message(events.Key("enter", "\r"))
        for key in "2026-12-31":
            app.post_message(events.Key("minus" if key == "-" else key, key))
        app.post_message(events.Key("enter", "\r"))
        await settle(pilot, app)
        await settle(pilot, app)
        assert not isinstance(app.screen, NextStepModal)
        assert [(s.text, s.owner, s.due) for s in service.steps] == [("Call", "ops", "2026-12-31")]


async def test_marking_a_step_done_with_its_comment_in_one_burst(service):
    service.add_next_step("Call the owners", None, None, "sample")
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("8")
        await settle(pilot, app)  # the list of steps has arrived
        burst(app, "dsent")
        app.post_message(events.Key("enter", "\r"))
        await settle(pilot, app)
        await settle(pilot, app)
        assert service.steps[0].status == "done"
        assert service.entries[-1].payload == {"comment": "sent"}
