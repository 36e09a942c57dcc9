"""The ledger's public API on real SQLite files: creation, entries, derived state, append-only triggers."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from core.errors import ExitCode, UsageError
from ledger import GENESIS_HASH, Ledger, anchor_path, redact_argv, resolve_ledger_path, sha256_file
from ledger.chain import canonical_json, entry_hash, record_of


@pytest.fixture
def led(tmp_path: Path) -> Ledger:
    ledger = Ledger(tmp_path / "ws" / ".hotpass" / "ledger.db")
    yield ledger
    ledger.close()


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


# -- paths ------------------------------------------------------------------------------------


def test_resolve_prefers_explicit_then_env_then_default(tmp_path, monkeypatch):
    monkeypatch.delenv("HOTPASS_LEDGER", raising=False)
    assert resolve_ledger_path(None, cwd=tmp_path) == tmp_path / ".hotpass" / "ledger.db"
    monkeypatch.setenv("HOTPASS_LEDGER", str(tmp_path / "env.db"))
    assert resolve_ledger_path(None, cwd=tmp_path) == tmp_path / "env.db"
    assert resolve_ledger_path(Path("rel/x.db"), cwd=tmp_path) == tmp_path / "rel" / "x.db"
    monkeypatch.setenv("HOTPASS_LEDGER", "  ")
    assert resolve_ledger_path(None, cwd=tmp_path) == tmp_path / ".hotpass" / "ledger.db"


def test_resolve_uses_current_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("HOTPASS_LEDGER", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_ledger_path(None) == tmp_path / ".hotpass" / "ledger.db"
    assert not (tmp_path / ".hotpass").exists(), "resolving must not create anything"


# -- creation ---------------------------------------------------------------------------------


def test_created_on_first_use_private_wal_with_anchor(led):
    assert led.path.is_file()
    assert _mode(led.path) == 0o600
    assert _mode(led.path.parent) == 0o700
    led.add_next_step("x")
    for suffix in ("-wal", "-shm"):
        side = Path(f"{led.path}{suffix}")
        if side.exists():
            assert _mode(side) == 0o600, suffix
    assert _mode(anchor_path(led.path)) == 0o600
    con = sqlite3.connect(led.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    meta = dict(con.execute("SELECT key, value FROM hotpass_meta"))
    con.close()
    assert meta["app"] == "hotpass-ledger" and meta["schema_version"] == "1"
    assert len(meta["ledger_id"]) == 32


def test_created_0600_even_with_a_permissive_umask(tmp_path):
    old = os.umask(0)
    try:
        led = Ledger(tmp_path / "l.db")
        led.add_next_step("x")
    finally:
        os.umask(old)
    for p in (led.path, Path(f"{led.path}-wal"), Path(f"{led.path}-shm"), led.anchor_path):
        if p.exists():
            assert _mode(p) == 0o600, p


def test_reopen_keeps_entries_and_identity(led):
    led.add_next_step("first")
    again = Ledger(led.path)
    assert again.ledger_id == led.ledger_id
    assert again.head() == led.head()
    assert again.next_steps()[0].text == "first"
    again.close()


def test_empty_ledger_head_is_genesis(led):
    assert led.head() == (0, GENESIS_HASH)
    assert led.entries() == []
    assert led.verify().ok


# -- entries ----------------------------------------------------------------------------------


def test_record_run_hashes_inputs_and_outputs(led, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("a,b\n1,2\n")
    folder = tmp_path / "folder"
    folder.mkdir()
    start = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
    e = led.record_run("refine", ["refine", "--input-dir", str(folder)], start, start + timedelta(seconds=2.5), 0,
                       [src, folder], [tmp_path / "missing.xlsx"], case_id="c1")
    assert (e.seq, e.kind, e.subject, e.case_id) == (1, "run", "refine", "c1")
    p = e.payload
    assert p["exit_code"] == 0 and p["duration_s"] == 2.5
    assert p["started_at"] == "2026-05-01T12:00:00.000000+00:00"
    assert p["inputs"][0] == {"path": str(src), "sha256": sha256_file(src), "bytes": 8}
    assert p["inputs"][1]["type"] == "folder" and p["inputs"][1]["sha256"] is None
    assert p["outputs"][0]["missing"] is True
    assert e.who and e.host
    stored = led.entries()[0]
    assert stored == e


def test_run_argv_never_stores_secrets(led):
    now = datetime.now(timezone.utc)
    e = led.record_run("enrich", ["enrich", "--api-key", "sk-123", "--password=hunter2",
                                  "--proxy", "https://bob:s3cret@proxy:8080", "--token", "t"], now, now, 0, [], [])
    text = json.dumps(e.payload)
    for secret in ("sk-123", "hunter2", "s3cret", '"t"'):
        assert secret not in text
    assert redact_argv(["--case", "x", "-p", "keep"]) == ["--case", "x", "-p", "keep"]


def test_hash_is_sha256_of_prev_plus_canonical_entry(led):
    a = led.add_next_step("one")
    b = led.record_incident("INC-1", "down", "High")
    assert a.prev_hash == GENESIS_HASH and b.prev_hash == a.hash
    row = {"seq": b.seq, "kind": b.kind, "at": b.at, "who": b.who, "host": b.host, "case_id": b.case_id,
           "subject": b.subject}
    assert b.hash == entry_hash(a.hash, record_of(row, b.payload))
    con = sqlite3.connect(led.path)
    payload = con.execute("SELECT payload FROM entries WHERE seq = 2").fetchone()[0]
    con.close()
    assert payload == canonical_json(b.payload) == '{"severity":"high","summary":"down","ticket_id":"INC-1"}'


def test_approvals_accept_the_spec_subjects_and_aliases(led):
    sha = "A" * 64
    e = led.record_approval("contract", "aviation-v1", sha, "approve", who="alice", comment="checked", case_id="c1")
    assert e.payload == {"subject_kind": "contract", "subject": "aviation-v1", "artefact_sha256": "a" * 64,
                         "decision": "approve", "comment": "checked"}
    assert e.who == "alice" and e.subject == "contract:aviation-v1"
    led.record_approval("network-enrichment", "c1", None, "reject", comment="no consent")
    led.record_approval("quality-gate-waiver", "phones", None, "approve")
    led.record_approval("hand-off", "c1", "b" * 64, "approve")
    led.record_approval("review", "c1/p7", None, "approve")
    kinds = [a.payload["subject_kind"] for a in led.approvals()]
    assert kinds == ["review", "handoff", "waiver", "enrichment", "contract"]
    assert led.is_approved("contract", "aviation-v1", "a" * 64)
    assert not led.is_approved("contract", "aviation-v1", "c" * 64)
    assert not led.is_approved("enrichment", "c1")
    led.record_approval("contract", "aviation-v1", sha, "reject", comment="changed my mind")
    assert not led.is_approved("contract", "aviation-v1")
    assert led.latest_approval("contract", "aviation-v1").payload["decision"] == "reject"


@pytest.mark.parametrize(
    "kwargs, key",
    [
        ({"subject_kind": "budget"}, "subject_kind"),
        ({"decision": "maybe"}, "decision"),
        ({"artefact_sha256": "xyz"}, "artefact_sha256"),
        ({"subject": "  "}, "subject"),
    ],
)
def test_bad_approval_arguments_are_usage_errors(led, kwargs, key):
    args = {"subject_kind": "contract", "subject": "c", "artefact_sha256": None, "decision": "approve", **kwargs}
    with pytest.raises(UsageError) as info:
        led.record_approval(**args)
    assert info.value.key == key and info.value.exit_code == ExitCode.USAGE
    assert led.head()[0] == 0


def test_default_who_is_the_os_user(led):
    import getpass

    assert led.add_next_step("x").who == getpass.getuser()


def test_review_decisions_latest_wins_per_pair(led):
    led.record_review_decision("c1", "p1", "approve")
    led.record_review_decision("c1", "p2", "reject", comment="different firms", summary="Acme vs Acme Ltd")
    led.record_review_decision("c1", "p1", "reject")
    led.record_review_decision("c2", "p1", "approve")
    assert led.review_decisions("c1") == {"p1": "reject", "p2": "reject"}
    assert led.review_decisions("c2") == {"p1": "approve"}
    assert led.review_decisions("none") == {}


def test_next_steps_change_state_by_new_entries_only(led):
    a = led.add_next_step("Call the client", owner="bob", due="2026-06-30", case_id="c1")
    b = led.add_next_step("Check phones")
    assert (a.subject, b.subject, a.step_id) == ("NS-1", "NS-2", "NS-1")
    done = led.complete_next_step("ns-1", who="carol", comment="called")
    assert done.kind == "next_step_done" and done.case_id == "c1" and done.seq == 3
    steps = {s.id: s for s in led.next_steps()}
    assert steps["NS-1"].status == "done" and steps["NS-1"].done_by == "carol" and steps["NS-1"].comment == "called"
    assert steps["NS-1"].owner == "bob" and steps["NS-1"].due == "2026-06-30"
    assert [s.id for s in led.next_steps("open")] == ["NS-2"]
    assert [s.id for s in led.next_steps("done")] == ["NS-1"]
    assert [s.id for s in led.next_steps(case_id="c1")] == ["NS-1"]
    # the opening entry is untouched
    assert led.entries(kind="next_step_opened", limit=None)[-1] == a
    with pytest.raises(UsageError, match="already done"):
        led.complete_next_step("NS-1")
    with pytest.raises(UsageError, match="no next step NS-9"):
        led.complete_next_step("9")
    with pytest.raises(UsageError):
        led.complete_next_step("step one")
    with pytest.raises(UsageError):
        led.next_steps("pending")
    assert led.head()[0] == 3


def test_incidents_and_handoffs(led):
    led.record_incident("INC-42", "gateway timed out", "HIGH", case_id="c1")
    h = led.record_handoff("c1", "F" * 64, comment="to the CRM team")
    assert h.payload == {"manifest_sha256": "f" * 64, "comment": "to the CRM team"}
    assert led.incidents()[0].payload == {"ticket_id": "INC-42", "summary": "gateway timed out", "severity": "high"}
    assert led.incidents(case_id="c2") == []
    with pytest.raises(UsageError):
        led.record_handoff("c1", "")
    with pytest.raises(UsageError):
        led.record_incident("", "x", "low")


def test_entries_newest_first_with_kind_case_and_limit(led):
    for i in range(5):
        led.add_next_step(f"s{i}", case_id="c1" if i % 2 else None)
    led.record_incident("I-1", "x", "low")
    assert [e.seq for e in led.entries(limit=3)] == [6, 5, 4]
    assert [e.seq for e in led.entries(kind="incident")] == [6]
    assert [e.seq for e in led.entries(case_id="c1", limit=None)] == [4, 2]
    assert len(led.entries(limit=None)) == 6
    assert [e.seq for e in led.all_entries()] == [1, 2, 3, 4, 5, 6]
    with pytest.raises(UsageError):
        led.entries(kind="nope")
    assert led.head() == (6, led.entries(limit=1)[0].hash)
    assert led.anchor() == {"ledger_id": led.ledger_id, "count": 6, "head_hash": led.head()[1]}


def test_entry_summaries_read_well(led):
    now = datetime.now(timezone.utc)
    led.record_run("refine", ["refine", "--profile", "aviation"], now, now, 0, [], [])
    led.record_approval("contract", "aviation", "a" * 64, "approve", comment="ok")
    led.add_next_step("Call", owner="bob")
    led.record_incident("INC-1", "down", "high")
    led.record_handoff("c1", "b" * 64)
    led.record_review_decision("c1", "p1", "reject")
    led.complete_next_step("NS-1")
    text = [e.summary() for e in led.entries(limit=None)]
    assert text[-1].startswith("refine --profile aviation → exit 0")
    assert "approve contract aviation (sha256 aaaaaaaaaaaa…) — ok" in text
    assert "NS-1 opened: Call (owner bob)" in text and "NS-1 done" in text
    assert "INC-1 [high] down" in text and "reject pair p1" in text
    assert any(t.startswith("hand-off of c1") for t in text)


# -- append-only ------------------------------------------------------------------------------


def test_triggers_refuse_update_delete_and_out_of_place_inserts(led):
    led.add_next_step("a")
    led.add_next_step("b")
    con = sqlite3.connect(led.path)
    for sql in (
        "UPDATE entries SET who = 'mallory' WHERE seq = 1",
        "DELETE FROM entries WHERE seq = 2",
        "DELETE FROM entries",
        "INSERT INTO entries SELECT 5, kind, at, who, host, case_id, subject, payload, hash, hash FROM entries WHERE seq = 2",
        "INSERT INTO entries SELECT 3, kind, at, who, host, case_id, subject, payload, prev_hash, hash FROM entries WHERE seq = 2",
        "UPDATE hotpass_meta SET value = 'other' WHERE key = 'ledger_id'",
        "UPDATE hotpass_meta SET value = '0' WHERE key = 'schema_version'",
        "DELETE FROM hotpass_meta",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="hotpass ledger"):
            con.execute(sql)
    con.close()
    assert led.head()[0] == 2 and led.verify().ok


def test_each_thread_gets_its_own_connection_and_close_releases_them(led):
    import threading

    seen = []

    def work():
        seen.append(id(led._conn()))
        led.add_next_step("t")

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 3
    led.close()
    assert led.head()[0] == 3  # reopens on demand
