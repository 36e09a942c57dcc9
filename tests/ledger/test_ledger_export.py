"""Exports: Next_Steps_Log.md, the governance log, JSON lines; each carries the anchor."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from core.errors import LedgerTampered
from ledger import GENESIS_HASH, Ledger, load_anchor_file


@pytest.fixture
def led(tmp_path: Path) -> Ledger:
    ledger = Ledger(tmp_path / ".hotpass" / "ledger.db")
    ledger.add_next_step("Call the client | about duplicates", owner="bob", due="2026-06-30", case_id="c1")
    ledger.add_next_step("Check the phone numbers\nfor Gauteng")
    ledger.add_next_step("Already handled")
    ledger.complete_next_step("NS-3", who="carol", comment="handled on the call")
    ledger.record_approval("contract", "aviation-v1", "a" * 64, "approve", who="alice", comment="fits the schema")
    ledger.record_approval("enrichment", "c1", None, "reject", who="dave", comment="no consent")
    ledger.record_approval("waiver", "phones-gate", None, "approve", who="alice")
    ledger.record_review_decision("c1", "p1", "approve", summary="Acme vs ACME Ltd")
    ledger.record_incident("INC-9", "gateway down", "high", case_id="c1")
    ledger.record_handoff("c1", "b" * 64, comment="to CRM")
    yield ledger
    ledger.close()


def test_export_writes_the_four_files_with_the_anchor(led, tmp_path):
    out = tmp_path / "exports"
    files = led.export(out)
    assert [f.name for f in files] == ["Next_Steps_Log.md", "governance-log.md", "ledger.jsonl", "ledger-anchor.json"]
    count, head = led.head()
    for f in files:
        assert f.is_file()
        assert head in f.read_text(encoding="utf-8"), f.name
    assert sorted(p.name for p in out.iterdir()) == sorted(f.name for f in files), "no temp files left"
    anchor = json.loads((out / "ledger-anchor.json").read_text())
    assert (anchor["count"], anchor["head_hash"], anchor["ledger_id"], anchor["verified"]) == (
        count, head, led.ledger_id, True)
    remembered = [json.loads(x) for x in led.export_anchors_path.read_text().splitlines()]
    assert remembered[-1]["count"] == count and remembered[-1]["out_dir"] == str(out)


def test_next_steps_log_lists_open_and_done_steps(led, tmp_path):
    led.export(tmp_path)
    text = (tmp_path / "Next_Steps_Log.md").read_text(encoding="utf-8")
    open_part, done_part = text.split("## Done")
    assert "## Open (2)" in open_part
    assert "| NS-1 | Call the client \\| about duplicates | bob | 2026-06-30 | c1 |" in open_part
    assert "| NS-2 | Check the phone numbers<br>for Gauteng |" in open_part
    assert "NS-3" not in open_part
    assert "| NS-3 | Already handled |" in done_part and "carol" in done_part and "handled on the call" in done_part
    assert f"**{led.head()[0]} entries**" in text


def test_no_open_steps_says_so(tmp_path):
    led = Ledger(tmp_path / "l.db")
    led.export(tmp_path / "out")
    text = (tmp_path / "out" / "Next_Steps_Log.md").read_text()
    assert "## Open (0)" in text and "_No open steps._" in text
    assert GENESIS_HASH in text
    led.close()


def test_governance_log_has_every_approval(led, tmp_path):
    led.export(tmp_path)
    text = (tmp_path / "governance-log.md").read_text(encoding="utf-8")
    assert "## Approvals (3)" in text
    for needle in ("| approve | contract | aviation-v1 |", "a" * 64, "fits the schema",
                   "| reject | enrichment | c1 |", "no consent", "| approve | waiver | phones-gate |",
                   "## Review decisions (1)", "Acme vs ACME Ltd", "## Hand-offs (1)", "b" * 64,
                   "## Incidents (1)", "INC-9", "gateway down"):
        assert needle in text, needle


def test_jsonl_holds_every_entry_after_an_anchor_line(led, tmp_path):
    led.export(tmp_path)
    lines = [json.loads(x) for x in (tmp_path / "ledger.jsonl").read_text().splitlines()]
    assert lines[0]["anchor"]["count"] == led.head()[0]
    entries = lines[1:]
    assert [e["seq"] for e in entries] == list(range(1, led.head()[0] + 1))
    assert entries[-1]["hash"] == led.head()[1]
    assert entries[0]["payload"]["text"] == "Call the client | about duplicates"
    anchor, reference = load_anchor_file(tmp_path / "ledger.jsonl")
    assert reference == entries


def test_export_refuses_a_ledger_that_does_not_verify(led, tmp_path):
    con = sqlite3.connect(led.path)
    con.execute("DROP TRIGGER entries_no_update")
    con.execute("UPDATE entries SET who = 'mallory' WHERE seq = 5")
    con.commit()
    con.close()
    with pytest.raises(LedgerTampered) as info:
        led.export(tmp_path / "out")
    assert "entry #5" in info.value.message and info.value.exit_code == 9
    assert not (tmp_path / "out").exists()
    files = led.export(tmp_path / "out", allow_tampered=True)
    text = files[0].read_text()
    assert "WARNING: the ledger did not verify" in text and "entry #5" in text
    assert json.loads(files[3].read_text())["verified"] is False
    assert not led.export_anchors_path.exists(), "a tampered state is never remembered as an anchor"


def test_export_rewrites_files_in_place_atomically(led, tmp_path):
    led.export(tmp_path)
    first = (tmp_path / "Next_Steps_Log.md").read_text()
    led.complete_next_step("NS-1")
    led.export(tmp_path)
    second = (tmp_path / "Next_Steps_Log.md").read_text()
    assert first != second and "## Open (1)" in second
    assert led.verify().ok  # both export anchors are prefixes of the chain
