"""The Contracts and Quality gates panes by keys only, on the fake service."""

from __future__ import annotations

from hotpass_tui.screens.approval import ApprovalModal
from tests.faces.tui.conftest import make_app, press, screen_text, settle
from tests.faces.tui.fakes import FakeService


async def test_emit_review_and_approve_the_contract_with_its_hash(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "4")
        assert "No contract emitted yet" in screen_text(app)
        await press(pilot, app, "e")
        text = screen_text(app)
        assert "29 columns" in text and "not approved yet" in text and "organization_slug" in text
        await press(pilot, app, "y")
        assert "apiVersion" in screen_text(app)
        await pilot.press("a")
        await settle(pilot, app)
        assert isinstance(app.screen, ApprovalModal)
        await pilot.press(*"fields reviewed", "enter")
        await settle(pilot, app)
        [approval] = [e for e in service.entries if e.kind == "approval"]
        path = tmp_path / "dist" / "sample" / "contracts" / "generic.yaml"
        from core.staging import sha256_of

        assert approval.payload["artefact_sha256"] == sha256_of(path)
        assert approval.payload["comment"] == "fields reviewed" and approval.payload["subject"] == "sample/generic"
        assert "approved" in screen_text(app)
        await press(pilot, app, "d")
        assert "Same as the contract last approved" in screen_text(app)
        await pilot.press("x")
        await settle(pilot, app)
        await pilot.press(*"owner is wrong", "enter")
        await settle(pilot, app)
        assert [e.payload["decision"] for e in service.entries if e.kind == "approval"] == ["approve", "reject"]
        assert "rejected" in screen_text(app)


async def test_run_the_gates_waive_the_failing_one_and_open_an_incident(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "6")
        await press(pilot, app, "r")
        text = screen_text(app)
        assert "1 failing: enrichment" in text
        await press(pilot, app, "down", "down", "down")
        assert "provenance_confidence missing" in screen_text(app)
        await pilot.press("w")
        await settle(pilot, app)
        assert isinstance(app.screen, ApprovalModal)
        await pilot.press(*"registry offline", "enter")
        await settle(pilot, app)
        [waiver] = [e for e in service.entries if e.kind == "approval"]
        assert waiver.payload["subject"] == "sample/enrichment" and waiver.payload["comment"] == "registry offline"
        await press(pilot, app, "r")
        assert "All gates pass" in screen_text(app) and "waived" in screen_text(app)
        await pilot.press("i")
        await settle(pilot, app)
        await pilot.press(*"INC-9", "enter", *"rows lost", "enter", *"high", "enter")
        await settle(pilot, app)
        [incident] = [e for e in service.entries if e.kind == "incident"]
        assert incident.payload == {"ticket_id": "INC-9", "summary": "rows lost", "severity": "high"}


async def test_an_incident_ticket_that_is_a_path_is_refused_in_the_form(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "6")
        await pilot.press("i")
        await settle(pilot, app)
        await pilot.press(*"../x", "enter", *"lost rows", "enter", "enter")
        await settle(pilot, app)
        assert "A ticket id of letters, digits" in screen_text(app)
        assert not [e for e in service.entries if e.kind == "incident"]
