"""Writers killed with SIGKILL, between their commit and their anchor and at random moments: `verify`
stays clean, no entry a writer reported as appended is lost, and the next append catches the anchor
log up without recording a mismatch. Real processes, a real file, nothing mocked in the parent."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import signal
import time
from pathlib import Path

import pytest

from ledger import Ledger
from ledger.anchorlog import AnchorLog
from ledger.chain import canonical_json, entry_hash, record_of

CTX = mp.get_context("fork")  # a fresh writer in ~5 ms; a spawned interpreter costs ~0.5 s on a busy machine


def writer(path: str, mode: str, die_on: int, out: int) -> None:
    """Append until killed. "after_commit": die on the Nth append just before writing its anchor (the
    entry is committed); "before_commit": just after writing its pending record (it never commits);
    "loop": until the parent kills it. Writes "seq hash" to ``out`` once each append has returned."""
    calls = 0

    def dying(name: str, after: bool) -> None:
        original = getattr(AnchorLog, name)

        def wrapped(self, *args, **kwargs):
            nonlocal calls
            calls += 1
            if calls == die_on and not after:
                os.kill(os.getpid(), signal.SIGKILL)
            result = original(self, *args, **kwargs)
            if calls == die_on and after:
                os.kill(os.getpid(), signal.SIGKILL)
            return result

        setattr(AnchorLog, name, wrapped)

    if mode == "after_commit":
        dying("after_commit", after=False)
    elif mode == "before_commit":
        dying("before_commit", after=True)
    led = Ledger(path)
    os.write(out, b"ready\n")
    i = 0
    while True:
        i += 1
        if i % 3:
            e = led.record_incident(f"{os.getpid()}-{i}", "crash test", "low")
        else:
            e = led.add_next_step(f"{os.getpid()} step {i}")
        os.write(out, f"{e.seq} {e.hash}\n".encode())


class Writer:
    def __init__(self, path: Path, mode: str, die_on: int = 0) -> None:
        self.read_end, write_end = os.pipe()
        self.proc = CTX.Process(target=writer, args=(str(path), mode, die_on, write_end), daemon=True)
        self.proc.start()
        os.close(write_end)
        self.data = b""
        while b"\n" not in self.data:
            self._read()
        assert self.data.startswith(b"ready\n"), self.data

    def _read(self) -> bool:
        chunk = os.read(self.read_end, 65536)
        self.data += chunk
        return bool(chunk)

    def wait_for_first_append(self) -> None:
        while self.data.count(b"\n") < 2 and self._read():
            pass

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)

    def reported(self) -> dict[int, str]:
        """Once it is dead: what it was told it appended (a line cut off by the kill is no report)."""
        self.proc.join(30)
        assert self.proc.exitcode == -signal.SIGKILL
        while self._read():
            pass
        os.close(self.read_end)
        out = {}
        for line in self.data.decode().splitlines()[1:]:
            parts = line.split()
            if len(parts) == 2 and parts[0].isdigit() and len(parts[1]) == 64:
                out[int(parts[0])] = parts[1]
        return out


def check(led: Ledger, appended: dict[int, str]) -> None:
    report = led.verify()
    assert report.ok, report.problems
    stored = {e.seq: e.hash for e in led.all_entries()}
    lost = {seq for seq, h in appended.items() if stored.get(seq) != h}
    assert not lost, f"entries reported as appended but not in the ledger: {sorted(lost)}"


def test_writers_killed_between_commit_and_anchor_and_at_random_never_make_verify_fail(tmp_path):
    started = time.monotonic()
    rng = random.Random(8)
    path = tmp_path / ".hotpass" / "ledger.db"
    led = Ledger(path)
    appended: dict[int, str] = {}
    kills = {"after_commit": 0, "before_commit": 0, "random": 0}

    for round_ in range(30):
        mode = "before_commit" if round_ % 6 == 5 else "after_commit"
        die_on = rng.randint(1, 25)
        before = led.head()[0]
        got = Writer(path, mode, die_on).reported()
        assert len(got) == die_on - 1
        appended.update(got)
        count = led.head()[0]
        if mode == "after_commit":  # the entry it died on was committed, unanchored: verify must take it
            assert count == before + die_on and led.read_anchor()["count"] == count - 1
        else:  # the entry it died on never committed
            assert count == before + die_on - 1
        kills[mode] += 1
        check(led, appended)

    for _ in range(10):  # two writers at once, each killed at a random moment of its loop
        writers = [Writer(path, "loop") for _ in range(2)]
        for w in writers:
            w.wait_for_first_append()
        for w in writers:
            time.sleep(rng.uniform(0.0, 0.03))
            w.kill()
        for w in writers:
            appended.update(w.reported())
            kills["random"] += 1
        check(led, appended)

    after = led.record_incident("after-the-crashes", "the next append", "low")
    check(led, appended)
    anchor = led.read_anchor()
    assert "mismatches" not in anchor, anchor["mismatches"][:3]
    assert (anchor["count"], anchor["head_hash"]) == (after.seq, after.hash)
    assert kills == {"after_commit": 25, "before_commit": 5, "random": 20}
    assert time.monotonic() - started < 60
    led.close()


def test_writers_killed_while_creating_a_fresh_ledger_leave_one_that_opens_and_verifies(tmp_path):
    import sqlite_utils  # noqa: F401 - loaded once here, so a forked child migrates in ms, not after a 2 s import

    rng = random.Random(12)
    for n in range(12):
        path = tmp_path / f"fresh-{n}" / "ledger.db"
        read_end, write_end = os.pipe()
        proc = CTX.Process(target=writer, args=(str(path), "loop", 0, write_end), daemon=True)
        proc.start()
        os.close(write_end)
        time.sleep(rng.uniform(0.0, 0.2))  # creation takes ~0.1 s: a kill lands before, in or after it
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(30)
        os.close(read_end)
        if not path.exists():
            continue
        led = Ledger(path)  # never "not a Hotpass ledger": a half-made one is finished, not refused
        report = led.verify()
        assert report.ok, (n, report.problems)
        led.record_incident("INC-1", "after the crash", "low")
        assert led.verify().ok and "mismatches" not in led.read_anchor()
        led.close()


# -- the same moments in process, one at a time, with what verify says about each -----------------


class Died(BaseException):
    """Stands in for a SIGKILL: nothing after it runs, and nothing catches it."""


def die_in(monkeypatch: pytest.MonkeyPatch, name: str, after: bool) -> None:
    original = getattr(AnchorLog, name)

    def wrapped(self, *args, **kwargs):
        if not after:
            raise Died
        original(self, *args, **kwargs)
        raise Died

    monkeypatch.setattr(AnchorLog, name, wrapped)


@pytest.fixture
def led(tmp_path: Path) -> Ledger:
    ledger = Ledger(tmp_path / "ledger.db")
    for i in range(4):
        ledger.record_incident(f"INC-{i}", "x", "low")
    yield ledger
    ledger.close()


def anchor_lines(led: Ledger) -> list[dict]:
    return [json.loads(x) for x in led.anchor_path.read_text().splitlines()]


def test_died_after_commit_the_entry_is_kept_and_the_next_append_anchors_it(led, monkeypatch):
    die_in(monkeypatch, "after_commit", after=False)
    with pytest.raises(Died):
        led.record_incident("INC-5", "committed, never anchored", "low")
    monkeypatch.undo()
    assert led.head()[0] == 5 and led.read_anchor()["count"] == 4
    assert led.verify().ok
    led.record_incident("INC-6", "next", "low")
    lines = anchor_lines(led)
    assert [(x["type"], x["count"]) for x in lines[-4:]] == [("pending", 5), ("anchor", 5), ("pending", 6),
                                                             ("anchor", 6)]
    assert led.verify().ok and "mismatches" not in led.read_anchor()


def test_died_before_commit_nothing_is_kept_and_nothing_is_reported(led, monkeypatch):
    die_in(monkeypatch, "before_commit", after=True)
    with pytest.raises(Died):
        led.record_incident("INC-5", "never committed", "low")
    monkeypatch.undo()
    assert led.head()[0] == 4 and anchor_lines(led)[-1]["type"] == "pending"
    assert led.verify().ok
    e = led.record_incident("INC-5", "again", "low")
    assert e.seq == 5 and led.verify().ok and "mismatches" not in led.read_anchor()


def test_deleting_the_entry_a_dead_writer_committed_is_tampering_once_it_was_anchored(led, monkeypatch):
    import sqlite3

    die_in(monkeypatch, "after_commit", after=False)
    with pytest.raises(Died):
        led.record_incident("INC-5", "committed", "low")
    monkeypatch.undo()
    led.record_incident("INC-6", "anchors #5 and #6", "low")
    con = sqlite3.connect(led.path)
    con.execute("DROP TRIGGER entries_no_delete")
    con.execute("DELETE FROM entries WHERE seq >= 5")
    con.commit()
    con.close()
    report = led.verify()
    assert not report.ok and report.problems[0].startswith("entries #5–#6 missing: the newest entries were deleted")


def test_a_pending_record_never_covers_a_different_entry_added_outside_hotpass(led, monkeypatch):
    import sqlite3

    die_in(monkeypatch, "before_commit", after=True)
    with pytest.raises(Died):
        led.record_incident("INC-5", "never committed", "low")
    monkeypatch.undo()
    last = led.all_entries()[-1]
    row = {"seq": 5, "kind": "incident", "at": last.at, "who": "mallory", "host": last.host, "case_id": None,
           "subject": "INC-X"}
    payload = {"ticket_id": "INC-X", "summary": "forged", "severity": "low"}
    forged = {**row, "payload": canonical_json(payload), "prev_hash": last.hash,
              "hash": entry_hash(last.hash, record_of(row, payload))}
    con = sqlite3.connect(led.path)
    con.execute(f"INSERT INTO entries ({', '.join(forged)}) VALUES ({', '.join('?' * len(forged))})",
                list(forged.values()))
    con.commit()
    con.close()
    report = led.verify()
    assert report.problems == ["entry #5 not covered by the anchor log ledger.db.anchors.jsonl: added outside "
                               "Hotpass (or the anchor was replaced)"]


def test_a_torn_last_line_is_ignored_by_verify_and_cut_by_the_next_writer(led):
    with open(led.anchor_path, "ab") as fh:
        fh.write(b'{"at":"2026-')  # a write cut short (a full disk)
    assert led.verify().ok
    led.record_incident("INC-5", "after the torn line", "low")
    assert led.anchor_path.read_bytes().endswith(b"\n")
    report = led.verify()
    assert report.ok, report.problems


def test_every_writer_holds_the_writers_lock_from_begin_to_anchor(led):
    import fcntl

    fd = os.open(led.anchor_lock_path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        other = Ledger(led.path, busy_timeout=0.3)
        from core.errors import LedgerError

        with pytest.raises(LedgerError, match="stayed locked"):
            other.record_incident("INC-9", "waits for the lock", "low")
        assert led.head()[0] == 4
        other.close()
    finally:
        os.close(fd)
    assert oct(os.stat(led.anchor_lock_path).st_mode & 0o777) == "0o600"
