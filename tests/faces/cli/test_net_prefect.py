"""Prefect's flow runs read through the tunnel from a real `prefect server`, as the dashboard reads them.

The server fixture is engineer C's (tests/runbook/test_prefect_flow.py), imported so that there is
one way to start it; its first start takes about a minute.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from core.net.manager import status
from core.net.probe import prefect_flow_runs
from core.net.state import read_state, state_path
from tests.conftest import run_hotpass
from tests.net_fixtures import needs_sshd, net_up_args
from tests.runbook.test_prefect_flow import prefect_server  # noqa: F401 - the session fixture

pytestmark = [pytest.mark.slow, needs_sshd]


def post(port: int, path: str, body: dict) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as reply:
        return json.loads(reply.read())


def test_flow_runs_read_through_the_tunnel_from_a_real_prefect_server(prefect_server, sshd, stand_ins, tmp_path):
    cwd = tmp_path / "workspace"
    cwd.mkdir()
    prefect_target = prefect_server["api"].removeprefix("http://").removesuffix("/api")
    args = net_up_args(sshd, stand_ins, sshd.known_hosts(tmp_path / "kh"), "--detach", label="prefect")
    args[args.index("--prefect-remote") + 1] = prefect_target
    up = run_hotpass(*args, cwd=cwd)
    assert up.returncode == 0, up.stderr
    try:
        [tunnel] = status(cwd / ".hotpass")
        port = tunnel.state.ports["prefect"]
        assert [p.ok for p in tunnel.probes if p.name == "prefect"] == [True]  # /api/health through the tunnel
        flow = post(port, "/api/flows/", {"name": "hotpass-tunnel-check"})
        post(port, "/api/flow_runs/", {"flow_id": flow["id"], "name": "through-the-bastion",
                                       "state": {"type": "COMPLETED", "name": "Completed"}})
        runs = prefect_flow_runs(port, limit=20, timeout=20)
        mine = [r for r in runs if r.name == "through-the-bastion"]
        assert mine and mine[0].flow == "hotpass-tunnel-check" and mine[0].state == "Completed"
        text = run_hotpass("net", "status", cwd=cwd).stdout
        assert f"prefect  127.0.0.1:{port} → {prefect_target}  answers (200" in text
    finally:
        run_hotpass("net", "down", "--all", cwd=cwd)
    ended = read_state(state_path(cwd / ".hotpass", "prefect"))
    assert ended.status == "stopped" and ended.pid is None
