"""The Hand-off pane by keys only: what the bundle holds, build, sign off, push, a next step."""

from __future__ import annotations

from hotpass_tui.screens.approval import ApprovalModal
from tests.faces.tui.conftest import make_app, press, screen_text, settle
from tests.faces.tui.fakes import FakeService


async def test_build_sign_push_and_a_next_step_with_keys_only(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "7")
        text = screen_text(app)
        assert "Bundle not built yet" in text and "Missing: enriched.xlsx" in text
        assert "✓ refined.xlsx" in text and "✗ enriched.xlsx" in text

        await press(pilot, app, "b")
        assert any(e.kind == "run" and e.payload["step"] == "handoff" for e in service.entries)
        assert "built, not signed off" in screen_text(app)

        await pilot.press("s")
        await settle(pilot, app)
        assert isinstance(app.screen, ApprovalModal)
        await pilot.press(*"ok by ops", "enter")
        await settle(pilot, app)
        [signoff] = [e for e in service.entries if e.kind == "handoff"]
        assert signoff.payload["comment"] == "ok by ops"
        assert "Bundle signed off" in screen_text(app)

        await press(pilot, app, "u")
        assert "Pushed 3 objects to s3://evidence/cases." in [n.message for n in app._notifications]

        await pilot.press("n", *"Send the bundle link", "enter", "enter", "enter")
        await settle(pilot, app)
        assert [s.text for s in service.steps] == ["Send the bundle link"]
