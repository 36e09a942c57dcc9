"""The telemetry pane (key 5) and `hotpass dashboard`'s start on it, driven by keys."""

from __future__ import annotations

from pathlib import Path

from core.errors import NetworkError
from hotpass_tui.app import HotpassApp
from hotpass_tui.panes.tunnel_form import TunnelModal
from hotpass_tui.service import CoreService
from hotpass_tui.screens.error import ErrorModal
from tests.faces.tui.conftest import press, screen_text, settle, text_of
from tests.faces.tui.fakes import FROZEN_HOST, FROZEN_NOW
from tests.net_fixtures import needs_sshd


def part(app, name: str) -> str:
    return text_of(app.runbook.query_one(f"#board-{name}"))


async def test_pane_shows_tunnel_state_and_every_part_of_the_dashboard(service, app_factory):
    app = app_factory(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, app, "5")
        shown = screen_text(app)
        assert "default  up     :4200 4ms  :5001 6ms" in shown
        assert "SHA256:0NSRqTgEp0K7YCsh3vqHEA5K4AV2fIVjceTZ05b1adg" in shown
        assert "no quality gates run yet" in part(app, "quality")
        assert "email       410 → 455" in part(app, "coverage")
        assert "lookup:towns" in part(app, "provenance")
        history = part(app, "history")
        assert "1,560→702" in history and "q▅0.64" in history and "01-14 16:00 failed" in history
        assert "COMPLETE hotpass.refine.aviation  3→1" in part(app, "lineage")
        assert "hotpass-refine/amber-otter" in part(app, "prefect")
        assert part(app, "marquez") == "Marquez web UI: http://127.0.0.1:5001/"
        await press(pilot, app, "right_square_bracket")  # the lower parts scroll into the 24 rows
        assert "Prefect flow runs" in screen_text(app)


async def test_down_then_up_are_runs_of_the_telemetry_step(service, app_factory):
    app = app_factory(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, app, "5", "d")
        assert [o.action for o in service.net_calls] == ["down"] and service.net_calls[0].label == "default"
        assert "default  stopped" in screen_text(app)
        assert "bring a tunnel up (u)" in part(app, "prefect")
        assert part(app, "marquez") == "Marquez web UI: no tunnel to Marquez is up"
        await press(pilot, app, "u")
        up = service.net_calls[-1]
        assert up.action == "up" and up.detach and up.launch == "spawn"  # its own process, never a fork of the UI
        assert up.spec.host == "bastion.example.org"
        assert "default  up" in screen_text(app)
        runs = [e for e in service.entries if e.kind == "run"]
        assert [e.payload["step"] for e in runs] == ["telemetry", "telemetry"]


async def test_new_tunnel_from_the_keyboard(service, app_factory):
    service.net_up = False
    app = app_factory(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, app, "5", "n")
        assert isinstance(app.screen, TunnelModal)
        await pilot.press(*"bastion-2", "enter", *"2222", "enter", *"ops", "enter", "enter", *"lab", "enter")
        await settle(pilot, app)
        spec = service.net_calls[-1].spec
        assert (spec.host, spec.ssh_port, spec.user, spec.label) == ("bastion-2", 2222, "ops", "lab")
        assert not spec.trust_new_host_key


async def test_an_unknown_host_key_shows_its_fingerprint_and_t_trusts_it(service, app_factory):
    service.net_up = False
    service.net_fail_with = NetworkError("the host key of bastion.example.org:22 is not known: ssh-ed25519 "
                                         "SHA256:abcdefghijklmnop", file="bastion.example.org:22")
    app = app_factory(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, app, "5", "u")
        assert isinstance(app.screen, ErrorModal)
        assert "SHA256:abcdefghijklmnop" in screen_text(app)
        assert not service.net_calls[-1].spec.trust_new_host_key
        service.net_fail_with = None
        await press(pilot, app, "tab", "enter")  # close the modal
        await press(pilot, app, "t")
        assert service.net_calls[-1].spec.trust_new_host_key
        assert "default  up" in screen_text(app)


async def test_t_without_a_refusal_changes_nothing(service, app_factory):
    app = app_factory(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, app, "5", "t")
        assert getattr(service, "net_calls", []) == []


async def test_dashboard_opens_on_the_telemetry_pane(service):
    app = HotpassApp(service, clock=lambda: FROZEN_NOW, host=FROZEN_HOST, initial_step="5")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.runbook.current_pane.STEP == "5"
        assert "5 Telemetry — tunnels to Prefect and Marquez" in screen_text(app)


async def test_an_empty_workspace_says_each_part_has_nothing_yet(tmp_path: Path):
    """The real service on a workspace with no tunnels, runs, workbooks or lineage."""
    from core.workspace import Workspace

    workspace = Workspace(tmp_path, tmp_path / ".hotpass" / "ledger.db")
    app = HotpassApp(CoreService(workspace), "fresh", clock=lambda: FROZEN_NOW, host=FROZEN_HOST, initial_step="5")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert text_of(app.runbook.query_one("#tunnel-detail")).startswith("No tunnels yet: n opens one")
        assert part(app, "quality").startswith("no quality gates run yet")
        assert part(app, "coverage").startswith("no enriched workbook yet")
        assert part(app, "provenance").startswith("no provenance yet")
        assert "no refine runs of this case" in part(app, "history")
        assert part(app, "lineage").startswith("no lineage events yet")
        assert "no tunnel to Prefect is up" in part(app, "prefect")
        assert part(app, "marquez") == "Marquez web UI: no tunnel to Marquez is up"


@needs_sshd
async def test_keys_bring_a_real_tunnel_down_and_up_again_in_its_own_process(sshd, stand_ins, tmp_path: Path):
    """The real service and a real bastion: d ends the tunnel's process, u starts a new one on the same ports."""
    from core.net.manager import down
    from core.net.state import process_alive, read_state, state_path
    from core.workspace import Workspace
    from tests.conftest import run_hotpass
    from tests.net_fixtures import net_up_args

    up = run_hotpass(*net_up_args(sshd, stand_ins, sshd.known_hosts(tmp_path / "kh"), "--detach"), cwd=tmp_path)
    assert up.returncode == 0, up.stderr
    first = read_state(state_path(tmp_path / ".hotpass", "default"))
    workspace = Workspace(tmp_path, tmp_path / ".hotpass" / "ledger.db")
    app = HotpassApp(CoreService(workspace), "fresh", clock=lambda: FROZEN_NOW, host=FROZEN_HOST, initial_step="5")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            if isinstance(app.screen, ErrorModal):  # Prepare's word that case "fresh" has no folder
                await press(pilot, app, "enter")
            pane = app.runbook.current_pane
            assert [s.words for s in pane.tunnels] == ["up"] and all(p.ok for p in pane.tunnels[0].probes)
            await press(pilot, app, "d")
            await press(pilot, app, "g")
            assert not process_alive(first.pid, first.pid_started)
            assert [s.words for s in pane.tunnels] == ["stopped"]
            await press(pilot, app, "u")
            await press(pilot, app, "g")
            again = read_state(state_path(tmp_path / ".hotpass", "default"))
            assert again.status == "up" and again.pid != first.pid and again.ports == first.ports
            assert [s.words for s in pane.tunnels] == ["up"]
            assert "Marquez web UI: http://127.0.0.1:" in part(app, "marquez")
    finally:
        down(tmp_path / ".hotpass", every=True)
