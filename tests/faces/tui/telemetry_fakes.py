"""Canned telemetry for the fake service: one tunnel, and a dashboard of a refined and enriched case.

Built from core.net's own dataclasses, with a frozen clock, so snapshots change only with the UI.
"""

from __future__ import annotations

from dataclasses import replace

from core.net.dashboard import Coverage, Dashboard, LineageEvent, RunPoint
from core.net.manager import TunnelStatus
from core.net.probe import FlowRun, Probe
from core.net.spec import build_spec
from core.net.state import TunnelState
from core.runbook.steps.telemetry import NetOptions, NetResult

FINGERPRINT = "SHA256:0NSRqTgEp0K7YCsh3vqHEA5K4AV2fIVjceTZ05b1adg"


def fake_state(label: str = "default", status: str = "up") -> TunnelState:
    spec = build_spec("ssh-bastion", "bastion.example.org", user="ops", label=label)
    up = status == "up"
    return TunnelState(label, spec, status, pid=4242 if up else None, started_at="2026-01-15T09:00:00+00:00",
                       ports={"prefect": 4200, "marquez": 5001}, moved=["marquez: port 5000 is busy, using 5001"],
                       fingerprint=FINGERPRINT, key_type="ssh-ed25519", host_key="known",
                       connected_at="2026-01-15T09:00:01+00:00")


def fake_tunnels(up: bool = True) -> list[TunnelStatus]:
    state = fake_state(status="up" if up else "stopped")
    probes = [Probe("prefect", "http://127.0.0.1:4200/api/health", True, 200, 4.0),
              Probe("marquez", "http://127.0.0.1:5001/api/v1/namespaces", True, 200, 6.0)] if up else []
    return [TunnelStatus(state, up, probes)]


def fake_board(case_id: str, up: bool = True) -> Dashboard:
    history = [RunPoint("20260114T080000Z-aaa111", "2026-01-14T08:00:00", "ok", 1560, 702, 0.64),
               RunPoint("20260114T160000Z-bbb222", "2026-01-14T16:00:00", "failed"),
               RunPoint("20260115T090000Z-ccc333", "2026-01-15T09:00:00", "ok", 1620, 688, 0.71)]
    lineage = [LineageEvent("START", "2026-01-15T09:00:00.120Z", "hotpass/hotpass.refine.aviation", 3, 0),
               LineageEvent("COMPLETE", "2026-01-15T09:00:02.480Z", "hotpass/hotpass.refine.aviation", 3, 1)]
    board = Dashboard(case_id, quality=None,
                      coverage=Coverage(688, [("contact_primary_email", 410, 455), ("contact_primary_phone", 520, 601),
                                              ("website", 300, 372), ("province", 640, 688)]),
                      provenance=[("refine", 540), ("lookup:towns", 96), ("research:website", 52)],
                      history=history, lineage_run="4f1c2a9e-7b7d-4c55-9e2a-1d0f3b6a8c21", lineage=lineage)
    if up:
        board.flow_runs = [FlowRun("amber-otter", "hotpass-refine", "Completed", "2026-01-15T09:20:00Z"),
                           FlowRun("brisk-heron", "hotpass-refine", "Failed", "2026-01-15T08:55:00Z")]
        board.prefect_note = "through tunnel default, 127.0.0.1:4200"
        board.marquez_url = "http://127.0.0.1:5001/"
    return board


def fake_net_result(options: NetOptions | None) -> NetResult:
    options = options or NetOptions()
    if options.action == "up":
        state = fake_state(options.spec.label if options.spec else "default")
        return NetResult("up", [replace(state, spec=options.spec or state.spec)])
    return NetResult(options.action, [fake_state(options.label or "default")])
