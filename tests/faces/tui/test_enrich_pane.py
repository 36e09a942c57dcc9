"""Step 3, Enrich, by keys only: the four gates and the locked toggle, a run with its coverage,
cancel, and the compliance approval recorded with a comment."""

from __future__ import annotations

import dataclasses

from core.workspace import NetworkSettings
from hotpass_tui.panes.enrich import EnrichPane
from tests.faces.tui.conftest import make_app, press, screen_text, settle, text_of
from tests.faces.tui.fakes import FakeService
from tests.faces.tui.test_refine_pane import wait_for_screen


def enrich_pane(app) -> EnrichPane:
    return app.runbook.panes["3"]  # type: ignore[return-value]


def gates_text(app) -> str:
    return text_of(enrich_pane(app).query_one("#enrich-gates"))


def with_switches(service: FakeService) -> FakeService:
    network = NetworkSettings(remote_research_feature=True, remote_research_allowed=True)
    service.workspace = dataclasses.replace(service.workspace, network=network)
    return service


async def test_every_gate_is_shown_closed_and_the_toggle_locked_with_the_reason(tmp_path):
    app = make_app(FakeService(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "3")
        text = gates_text(app)
        for gate in ("--allow-network", "FEATURE_ENABLE_REMOTE_RESEARCH", "ALLOW_NETWORK_RESEARCH",
                     "enrichment approval"):
            assert gate in text
        assert text.count("✗ closed") == 4
        assert "locked — needs FEATURE_ENABLE_REMOTE_RESEARCH=1" in text
        await press(pilot, app, "n")
        assert enrich_pane(app).network_on is False


async def test_r_runs_enrich_and_shows_coverage_before_and_after_and_sources(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "3", "r")
        text = screen_text(app)
        assert "Filled 130 empty cells of 500 organisations" in text
        assert "research skipped (4 of 4 gates closed)" in text
        coverage = enrich_pane(app).query_one("#enrich-coverage")
        rows = {str(coverage.get_row_at(i)[0]): coverage.get_row_at(i)[1:] for i in range(coverage.row_count)}
        assert list(rows["province"]) == ["300", "394", "+94"]
        assert "derived: email domain" in screen_text(app)
        assert service.enrich_options.allow_network is False
        assert any(e.kind == "run" and e.subject == "enrich" for e in service.entries)


async def test_x_cancels_a_running_enrich(tmp_path):
    service = FakeService(tmp_path, stage_delay=0.5)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "3")
        await pilot.press("r")
        await wait_for_screen(pilot, app, r"Running \w+ \(\d/5\)")
        await press(pilot, app, "x")
        assert "Cancelled: nothing was written" in text_of(enrich_pane(app).query_one("#enrich-headline"))


async def test_a_records_the_approval_with_a_comment_and_the_gate_opens(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "3", "a")
        app.screen.query_one("#comment").insert_text_at_cursor("compliance ok for sample")
        await press(pilot, app, "enter")
        approvals = [e for e in service.entries if e.kind == "approval"]
        assert approvals and approvals[-1].payload["subject_kind"] == "enrichment"
        assert approvals[-1].payload["comment"] == "compliance ok for sample"
        assert "recorded for sample" in gates_text(app)


async def test_with_both_switches_and_the_approval_the_toggle_unlocks_and_reaches_the_run(tmp_path):
    service = with_switches(FakeService(tmp_path))
    service.approve("enrichment", "sample", None, "approve", "yes", "sample")
    app = make_app(service)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "3")
        assert "locked" not in gates_text(app)
        await press(pilot, app, "n")
        assert enrich_pane(app).network_on is True
        assert gates_text(app).count("✓ open") == 4
        await press(pilot, app, "r")
        assert service.enrich_options.allow_network is True
