"""Tampering done the way an attacker would (sqlite3, triggers dropped): verify names what changed."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import ExitCode, LedgerTampered
from ledger import Ledger, load_anchor_file, parse_anchor_arg
from ledger.chain import canonical_json, entry_hash, record_of

ENTRY_TRIGGERS = ("entries_no_update", "entries_no_delete", "entries_append_at_head")


def make_ledger(path: Path, n: int = 10) -> Ledger:
    led = Ledger(path)
    for i in range(1, n + 1):
        if i % 3 == 0:
            led.record_approval("contract", f"c{i}", "a" * 64, "approve", comment=f"ok {i}")
        elif i % 3 == 1:
            led.add_next_step(f"step {i}", owner="bob")
        else:
            led.record_incident(f"INC-{i}", f"incident {i}", "low")
    return led


def attack(path: Path, *statements: str, restore_triggers: bool = False) -> None:
    """Drop the append-only triggers, run the statements, optionally put the triggers back."""
    con = sqlite3.connect(path)
    saved = [r[0] for r in con.execute("SELECT sql FROM sqlite_master WHERE type='trigger' AND tbl_name='entries'")]
    for name in ENTRY_TRIGGERS:
        con.execute(f"DROP TRIGGER IF EXISTS {name}")
    for sql in statements:
        con.execute(sql)
    if restore_triggers:
        for sql in saved:
            con.execute(sql)
    con.commit()
    con.close()


def rows(path: Path) -> list[dict]:
    con = sqlite3.connect(path)
    cur = con.execute("SELECT * FROM entries ORDER BY seq")
    names = [d[0] for d in cur.description]
    out = [dict(zip(names, r)) for r in cur]
    con.close()
    return out


def forge(row: dict, prev_hash: str, **changes) -> dict:
    """A row with valid content hash for `prev_hash`, as a careful attacker would write it."""
    payload = json.loads(row["payload"])
    payload.update(changes.pop("payload", {}))
    new = {**row, **changes, "payload": canonical_json(payload), "prev_hash": prev_hash}
    new["hash"] = entry_hash(prev_hash, record_of(new, payload))
    return new


def put(path: Path, new_rows: list[dict], replace: bool = True, restore_triggers: bool = True) -> None:
    con = sqlite3.connect(path)
    saved = [r[0] for r in con.execute("SELECT sql FROM sqlite_master WHERE type='trigger' AND tbl_name='entries'")]
    for name in ENTRY_TRIGGERS:
        con.execute(f"DROP TRIGGER IF EXISTS {name}")
    for r in new_rows:
        if replace:
            con.execute("DELETE FROM entries WHERE seq = ?", (r["seq"],))
        cols = list(r)
        con.execute(f"INSERT INTO entries ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", [r[c] for c in cols])
    if restore_triggers:
        for sql in saved:
            con.execute(sql)
    con.commit()
    con.close()


def forge_anchor_log(led: Ledger, chain_rows: list[dict]) -> None:
    """Rewrite the anchor log to agree with the (tampered) file, as a careful attacker would."""
    lines = [{"type": "header", "ledger_id": led.ledger_id}]
    lines += [{"type": "anchor", "count": r["seq"], "head_hash": r["hash"], "at": r["at"]} for r in chain_rows]
    led.anchor_path.write_text("".join(json.dumps(x) + "\n" for x in lines))


def problems_of(led: Ledger, **kw) -> list[str]:
    report = led.verify(**kw)
    assert not report.ok
    return report.problems


@pytest.fixture
def led(tmp_path: Path) -> Ledger:
    ledger = make_ledger(tmp_path / "ledger.db")
    yield ledger
    ledger.close()


def test_untouched_ledger_verifies(led):
    report = led.verify()
    assert report.ok and report.problems == [] and report.count == 10
    assert report.head_hash == led.head()[1]
    assert "the anchor log ledger.db.anchors.jsonl" in report.anchors_checked


def test_edited_entry_is_named(led):
    attack(led.path, "UPDATE entries SET payload = replace(payload, 'ok 6', 'ok 6 (edited)') WHERE seq = 6")
    found = problems_of(led)
    assert found[0].startswith("entry #6 (approval,") and "was edited" in found[0]
    assert "trigger entries_no_update, entries_no_delete, entries_append_at_head was dropped" in found[-1]


def test_edited_entry_is_named_even_with_triggers_restored(led):
    attack(led.path, "UPDATE entries SET who = 'mallory' WHERE seq = 4", restore_triggers=True)
    assert problems_of(led) == [
        f"entry #4 (next_step_opened, {rows(led.path)[3]['at']}, by mallory) was edited: "
        "its content no longer matches its hash"
    ]


def test_edit_names_the_changed_fields_when_an_export_remembers_them(led, tmp_path):
    led.export(tmp_path / "exports")
    attack(led.path, "UPDATE entries SET payload = replace(payload, '\"approve\"', '\"reject\"') WHERE seq = 3")
    found = problems_of(led)
    assert "entry #3 (approval" in found[0]
    assert "payload.decision ('approve' → 'reject')" in found[0]


def test_edited_and_rehashed_entry_is_named(led):
    r = rows(led.path)[4]
    put(led.path, [forge(r, r["prev_hash"], payload={"summary": "nothing happened"})])
    found = problems_of(led)
    assert found == [
        f"entry #5 (incident, {r['at']}, by {r['who']}) was replaced or edited and re-hashed: "
        "entry #6 links to a different entry #5"
    ]


def test_edited_link_is_named(led):
    attack(led.path, "UPDATE entries SET prev_hash = '" + "e" * 64 + "' WHERE seq = 7", restore_triggers=True)
    found = problems_of(led)
    assert len(found) == 1 and found[0].startswith("entry #7 (next_step_opened") and "prev_hash" in found[0]


def test_deleted_entry_is_named(led):
    attack(led.path, "DELETE FROM entries WHERE seq = 3", restore_triggers=True)
    assert problems_of(led) == ["entry #3 missing: deleted (entry #4 no longer follows #2)"]


def test_deleted_range_and_first_entry_are_named(led):
    attack(led.path, "DELETE FROM entries WHERE seq IN (1, 5, 6, 7)", restore_triggers=True)
    found = problems_of(led)
    assert "entry #1 missing: deleted (the chain no longer starts at #1)" in found
    assert "entries #5–#7 missing: deleted (entry #8 no longer follows #4)" in found


def test_deleting_the_newest_entries_is_caught_by_the_sidecar_anchor(led):
    attack(led.path, "DELETE FROM entries WHERE seq >= 9", restore_triggers=True)
    found = problems_of(led)
    assert len(found) == 1
    assert found[0].startswith("entries #9–#10 missing: the newest entries were deleted")
    assert "records 10 entries" in found[0]


def test_deleting_the_newest_entry_and_the_sidecar_is_still_reported(led, tmp_path):
    led.export(tmp_path / "out")  # remembered beside the ledger
    attack(led.path, "DELETE FROM entries WHERE seq = 10", restore_triggers=True)
    led.anchor_path.unlink()
    found = problems_of(led)
    assert any("ledger.db.anchors.jsonl is missing" in p for p in found)
    assert any(p.startswith("entry #10 missing: the newest entries were deleted") and "the export of" in p
               for p in found)


def test_a_consistent_sidecar_forgery_is_caught_by_an_export_anchor(led, tmp_path):
    files = led.export(tmp_path / "out")
    count, head = led.head()
    led.export_anchors_path.unlink()  # the attacker cleans up beside the ledger too
    attack(led.path, "DELETE FROM entries WHERE seq >= 8", restore_triggers=True)
    forge_anchor_log(led, rows(led.path))
    assert led.verify().ok  # nothing inside the folder can tell any more…
    for source in [str(f) for f in files] + [f"{count}:{head}"]:
        anchor, ref = parse_anchor_arg(source)
        found = problems_of(led, anchor=anchor)
        assert any(p.startswith("entries #8–#10 missing: the newest entries were deleted") for p in found), source


def test_a_rewritten_chain_is_caught_by_an_anchor(led):
    count, head = led.head()
    old = rows(led.path)
    prev = old[2]["hash"]
    forged = []
    for r in old[3:]:
        f = forge(r, prev, payload={"comment": "rewritten"} if r["kind"] == "approval" else {})
        forged.append(f)
        prev = f["hash"]
    put(led.path, forged)
    forge_anchor_log(led, rows(led.path))
    assert led.verify().ok
    found = problems_of(led, anchor=(count, head))
    assert found == [
        f"entry #10 does not match the given anchor (10 entries) (hash {prev[:12]}…, anchor {head[:12]}…): "
        "the chain up to #10 was rewritten"
    ]


def test_an_entry_added_outside_hotpass_is_named(led):
    last = rows(led.path)[-1]
    put(led.path, [forge(last, last["hash"], seq=11, payload={"comment": "sneaked in"})], replace=False)
    found = problems_of(led)
    assert found == ["entry #11 not covered by the anchor log ledger.db.anchors.jsonl: added outside Hotpass "
                     "(or the anchor was replaced)"]


def test_an_unhashed_entry_added_at_the_head_is_named_inserted(led):
    attack(led.path, "INSERT INTO entries SELECT 11, kind, at, who, host, case_id, subject, payload, hash, hash "
                     "FROM entries WHERE seq = 10", restore_triggers=True)
    found = problems_of(led)
    assert found[0].startswith("entry #11 (") and "inserted outside Hotpass" in found[0]


def test_an_entry_inserted_in_the_middle_is_named(led):
    old = rows(led.path)
    shifted = [{**r, "seq": r["seq"] + 1} for r in old[3:]]  # #4.. move up to make room, hashes untouched
    inserted = forge(old[3], old[2]["hash"], payload={"text": "backdated step"})
    attack(led.path, "DELETE FROM entries WHERE seq >= 4")
    put(led.path, [inserted] + shifted, replace=False)
    found = problems_of(led)
    assert "entry #4 inserted: entry #5 still links to #3" in found
    assert any(p.startswith("entries #5–#11 renumbered (each was #4… before, moved by +1)") for p in found)


def test_a_tampered_state_stays_reported_after_later_appends(led):
    attack(led.path, "DELETE FROM entries WHERE seq >= 9", restore_triggers=True)
    led.add_next_step("appended after the deletion")
    found = problems_of(led)
    assert any(p.startswith("when entry #9 was appended") and "recorded 10 entries" in p and "the file held 8" in p
               for p in found)
    assert any(p.startswith("entry #9 does not match the anchor log") for p in found)


def test_dropped_triggers_alone_fail_verification(led):
    attack(led.path)
    found = problems_of(led)
    assert found == ["append-only protection removed: trigger entries_no_update, entries_no_delete, "
                     "entries_append_at_head was dropped"]


def test_raise_if_bad_is_ledger_tampered_exit_9(led):
    attack(led.path, "DELETE FROM entries WHERE seq = 2", restore_triggers=True)
    with pytest.raises(LedgerTampered) as info:
        led.verify().raise_if_bad()
    assert info.value.exit_code == ExitCode.LEDGER_TAMPERED == 9
    assert info.value.file == str(led.path)
    assert "entry #2 missing" in info.value.message and info.value.details


def test_anchors_from_every_export_file_and_count_hash(led, tmp_path):
    files = led.export(tmp_path / "out")
    count, head = led.head()
    for f in files:
        anchor, ref = load_anchor_file(f)
        assert (anchor["count"], anchor["head_hash"]) == (count, head), f.name
        assert (ref is not None) == (f.name == "ledger.jsonl")
    led.add_next_step("later")  # an export anchor is a prefix: later entries are fine
    assert led.verify(anchor=[(count, head), {"count": count, "head_hash": head}]).ok
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"case": "c1", "ledger": {"count": count, "head_hash": head}}))
    assert load_anchor_file(manifest)[0]["count"] == count
    bad = tmp_path / "nothing.json"
    bad.write_text("{}")
    from core.errors import UsageError

    with pytest.raises(UsageError):
        load_anchor_file(bad)


def test_anchor_from_another_ledger_is_refused(led, tmp_path):
    other = make_ledger(tmp_path / "other.db", 3)
    other.export(tmp_path / "other-out")
    anchor, _ = load_anchor_file(tmp_path / "other-out" / "ledger-anchor.json")
    # a foreign anchor is about a different chain: named, not silently compared
    report = led.verify(anchor=(anchor["count"], anchor["head_hash"]))
    assert not report.ok and "entry #3 does not match the given anchor" in report.problems[0]
    other.close()


COLUMNS = ["kind", "at", "who", "host", "case_id", "subject", "payload", "prev_hash", "hash"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 8), pick=st.integers(0, 100), column=st.sampled_from(COLUMNS), restore=st.booleans())
def test_any_single_field_edit_is_detected_and_located(n, pick, column, restore):
    with tempfile.TemporaryDirectory() as tmp:
        led = make_ledger(Path(tmp) / "l.db", n)
        seq = pick % n + 1
        value = {"payload": '{"forged":true}', "prev_hash": "1" * 64, "hash": "2" * 64}.get(column, "forged")
        attack(led.path, f"UPDATE entries SET {column} = '{value}' WHERE seq = {seq}", restore_triggers=restore)
        report = led.verify()
        led.close()
    assert not report.ok
    assert any(f"#{seq}" in p for p in report.problems), report.problems
