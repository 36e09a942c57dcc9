"""Entry kinds in one registry (a new kind is one registration), the kinds the next steps need, and runs
recorded from facts a step already took."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from core.errors import UsageError
from ledger import KINDS, EntryKind, ExportSection, Ledger, register, sha256_file
from ledger import kinds as registry


@pytest.fixture
def led(tmp_path: Path) -> Ledger:
    ledger = Ledger(tmp_path / ".hotpass" / "ledger.db")
    yield ledger
    ledger.close()


@pytest.fixture
def tunnel_kind():
    kind = register(EntryKind(
        "tunnel_opened", lambda e: f"tunnel to {e.payload['host']} on :{e.payload['port']}",
        export_section=ExportSection("Tunnels", ("Entry", "Host", "Port"),
                                     lambda e: [f"#{e.seq}", e.payload["host"], e.payload["port"]],
                                     "_No tunnels opened._", 50)))
    yield kind
    del registry._REGISTRY[kind.name]


def test_a_new_kind_is_one_registration_everywhere(led, tmp_path, tunnel_kind):
    assert "tunnel_opened" in KINDS
    e = led._append("tunnel_opened", "bastion", {"host": "bastion.example", "port": 4200})
    assert led.entries(kind="tunnel_opened")[0] == e
    assert e.summary() == "tunnel to bastion.example on :4200"
    led.export(tmp_path / "out")
    text = (tmp_path / "out" / "governance-log.md").read_text(encoding="utf-8")
    assert "## Tunnels (1)" in text and "| #1 | bastion.example | 4200 |" in text
    assert led.verify().ok
    from hotpass_tui.commands.ledger_cmd import ENTRY_KIND_CHOICES

    assert "tunnel_opened" in ENTRY_KIND_CHOICES


def test_an_unregistered_kind_is_refused_and_a_name_cannot_be_taken_twice(led):
    with pytest.raises(ValueError, match="not registered"):
        led._append("tunel_opened", "x", {})
    with pytest.raises(UsageError):
        led.entries(kind="tunel_opened")
    with pytest.raises(ValueError, match="already registered"):
        register(EntryKind("incident", lambda e: "another incident"))
    assert led.head()[0] == 0


def test_the_cli_choices_are_the_registry():
    from hotpass_tui.commands.ledger_cmd import ENTRY_KIND_CHOICES, SUBJECT_KIND_CHOICES

    assert list(ENTRY_KIND_CHOICES) == list(KINDS)
    for kind in ("run", "approval", "review_decision", "next_step_opened", "next_step_done", "incident",
                 "handoff", "incident_closed", "deviation", "handoff_push"):
        assert kind in ENTRY_KIND_CHOICES
    assert list(SUBJECT_KIND_CHOICES) == ["contract", "enrichment", "review", "waiver", "handoff"]


def test_incidents_are_open_until_closed_and_closing_twice_is_refused(led):
    led.record_incident("INC-1", "gateway down", "high", case_id="c1")
    led.record_incident("INC-2", "slow lookups", "low")
    closed = led.record_incident_closed("INC-1", comment="gateway restarted", who="carol")
    assert (closed.kind, closed.subject, closed.case_id) == ("incident_closed", "INC-1", "c1")
    assert closed.summary() == "INC-1 closed — gateway restarted"
    states = {i.ticket_id: i for i in led.incident_states()}
    assert states["INC-1"].status == "closed" and states["INC-1"].closed_by == "carol"
    assert states["INC-1"].comment == "gateway restarted" and states["INC-1"].severity == "high"
    assert [i.ticket_id for i in led.incident_states("open")] == ["INC-2"]
    assert [i.ticket_id for i in led.incident_states("closed", case_id="c1")] == ["INC-1"]
    with pytest.raises(UsageError, match="already closed"):
        led.record_incident_closed("INC-1")
    with pytest.raises(UsageError, match="no incident INC-9"):
        led.record_incident_closed("INC-9")
    with pytest.raises(UsageError):
        led.incident_states("pending")
    led.record_incident("INC-1", "gateway down again", "high", case_id="c1")  # filing it again reopens it
    assert {i.ticket_id: i.status for i in led.incident_states()} == {"INC-1": "open", "INC-2": "open"}
    assert led.head()[0] == 4 and led.verify().ok


def test_deviations_per_case_in_order(led):
    led.record_deviation("c1", "skipped enrichment", "no compliance approval yet", who="alice")
    led.record_deviation("c2", "accepted phone warnings", "the client confirmed them")
    led.record_deviation("c1", "accepted 3 phone warnings", "numbers confirmed by phone")
    found = led.deviations("c1")
    assert [(d.what, d.why) for d in found] == [("skipped enrichment", "no compliance approval yet"),
                                                ("accepted 3 phone warnings", "numbers confirmed by phone")]
    assert found[0].who == "alice" and found[0].seq == 1 and found[0].case_id == "c1"
    assert led.deviations("c3") == []
    assert led.entries(kind="deviation", limit=1)[0].summary() == (
        "deviation in c1: accepted 3 phone warnings — because numbers confirmed by phone")
    with pytest.raises(UsageError):
        led.record_deviation("c1", "skipped a step", " ")


def test_handoff_push_records_where_what_and_how_many_without_credentials(led, tmp_path):
    e = led.record_handoff_push("c1", "https://bob:s3cret@store.example/evidence/c1", "A" * 64, 12)
    assert e.payload == {"destination": "https://bob:***@store.example/evidence/c1", "manifest_sha256": "a" * 64,
                         "objects": 12}
    assert "s3cret" not in json.dumps(e.payload) and "12 objects" in e.summary()
    for bad in ({"manifest_sha256": "xyz"}, {"objects": -1}, {"objects": True}, {"destination": ""}):
        args = {"case_id": "c1", "destination": "s3://b/c1", "manifest_sha256": "b" * 64, "objects": 3, **bad}
        with pytest.raises(UsageError):
            led.record_handoff_push(**args)
    led.record_deviation("c1", "pushed without the enriched workbook", "enrichment was not approved")
    led.export(tmp_path / "out")
    text = (tmp_path / "out" / "governance-log.md").read_text(encoding="utf-8")
    assert "## Hand-off pushes (1)" in text and "https://bob:***@store.example/evidence/c1" in text
    assert "## Deviations (1)" in text and "enrichment was not approved" in text
    assert "## Incidents closed (0)" in text and "_No incidents closed._" in text


def test_record_run_takes_facts_a_step_already_took_and_its_details(led, tmp_path):
    staged = tmp_path / "refined.xlsx"
    staged.write_bytes(b"refined")
    src = tmp_path / "in.csv"
    src.write_text("a\n1\n")
    start = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
    details = {"run_id": "r-42", "step": "refine", "face": "cli", "status": "ok", "warnings": ["3 invalid phones"],
               "deviations": [], "approvals": [], "timings": {"read": 0.5}, "error": None}
    facts = {"path": str(tmp_path / "dist" / "refined.xlsx"), "sha256": sha256_file(staged), "bytes": 7}
    e = led.record_run("refine", ["hotpass", "refine"], start, start + timedelta(seconds=3), 0, [src], [facts],
                       case_id="c1", details=details)
    p = e.payload
    assert p["outputs"] == [facts]  # taken as given: the final path need not exist yet
    assert p["inputs"][0] == {"path": str(src), "sha256": sha256_file(src), "bytes": 4}
    assert {k: p[k] for k in details} == details and p["exit_code"] == 0 and p["duration_s"] == 3.0
    assert e.summary().startswith("refine ok: hotpass refine → exit 0 (1 in, 1 out, 3.0 s)")
    assert led.entries()[0] == e


@pytest.mark.parametrize("bad", [
    {"details": {"exit_code": 0}},
    {"details": {"timings": {"read": float("nan")}}},
    {"details": {"where": Path("/tmp")}},
    {"outputs": [{"sha256": "a" * 64}]},
    {"outputs": [{"path": "x", "sha256": "not a hash"}]},
    {"outputs": [{"path": "x", "owner": "bob"}]},
])
def test_record_run_refuses_details_and_facts_it_cannot_store_faithfully(led, bad):
    now = datetime.now(timezone.utc)
    args = {"command": "refine", "argv": ["refine"], "started_at": now, "ended_at": now, "exit_code": 0,
            "inputs": [], "outputs": [], **bad}
    with pytest.raises((ValueError, TypeError, UsageError)):
        led.record_run(**args)
    assert led.head()[0] == 0
