"""Files that are not a usable ledger: a clear LedgerError (exit 8) naming the path, and the file left as it was."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
from pathlib import Path

import pytest

from core.errors import ExitCode, LedgerError
from ledger import Ledger

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def fingerprint(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns, st.st_mode


def open_fails(path: Path, *words: str) -> LedgerError:
    with pytest.raises(LedgerError) as info:
        Ledger(path)
    err = info.value
    assert err.exit_code == ExitCode.LEDGER_ERROR == 8
    assert str(err.file) in (str(path), str(path.parent))
    text = err.one_line()
    for word in words:
        assert word in text, text
    return err


def test_random_bytes_are_refused_untouched(tmp_path):
    path = tmp_path / "ledger.db"
    path.write_bytes(random.Random(1).randbytes(8192))
    before = fingerprint(path)
    open_fails(path, "not a Hotpass ledger", "not an SQLite database", "left untouched")
    assert fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.db"]


def test_a_short_text_file_is_refused(tmp_path):
    path = tmp_path / "ledger.db"
    path.write_text("hello\n")
    before = fingerprint(path)
    open_fails(path, "not an SQLite database")
    assert fingerprint(path) == before


def test_a_corrupt_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "ledger.db"
    data = bytearray(b"SQLite format 3\x00" + random.Random(2).randbytes(4096 - 16))
    data[18:20] = b"\x01\x01"  # legacy journal: nothing to recover
    path.write_bytes(bytes(data))
    before = fingerprint(path)
    open_fails(path, "not a usable Hotpass ledger", "left untouched")
    assert fingerprint(path) == before


def test_a_damaged_ledger_is_refused_untouched(tmp_path):
    path = tmp_path / "ledger.db"
    led = Ledger(path)
    for i in range(50):
        led.add_next_step(f"step {i}")
    led.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = random.Random(3).randbytes(3996)  # the schema page
    path.write_bytes(bytes(data))
    before = fingerprint(path)
    open_fails(path, "not a usable Hotpass ledger")
    assert fingerprint(path) == before


def test_a_foreign_sqlite_database_is_refused_and_not_switched_to_wal(tmp_path):
    path = tmp_path / "crm.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO customers (name) VALUES ('Acme')")
    con.commit()
    con.close()
    before = fingerprint(path)
    open_fails(path, "not a Hotpass ledger (tables: customers)", "left untouched")
    assert fingerprint(path) == before
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def test_a_database_claiming_another_app_is_refused(tmp_path):
    path = tmp_path / "ledger.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE hotpass_meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO hotpass_meta VALUES ('app', 'something-else')")
    con.commit()
    con.close()
    before = fingerprint(path)
    open_fails(path, "app='something-else'")
    assert fingerprint(path) == before


def test_a_ledger_from_a_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "ledger.db"
    led = Ledger(path)
    led.add_next_step("x")
    led.close()
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER hotpass_meta_no_update")
    con.execute("UPDATE hotpass_meta SET value = '7' WHERE key = 'schema_version'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = fingerprint(path)
    err = open_fails(path, "newer Hotpass (schema version 7", "understands up to 1", "left untouched")
    assert "upgrade" in err.hint
    assert fingerprint(path) == before


def test_an_empty_file_becomes_a_ledger(tmp_path):
    path = tmp_path / "ledger.db"
    path.touch()
    led = Ledger(path)
    assert led.add_next_step("x").seq == 1
    led.close()


def test_a_folder_at_the_ledger_path_is_refused(tmp_path):
    path = tmp_path / "ledger.db"
    path.mkdir()
    open_fails(path, "is a folder")


def test_a_parent_that_is_a_file_is_refused(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("keep me")
    open_fails(blocker / "ledger.db", "is a file, not a folder")
    open_fails(blocker / "deeper" / "ledger.db", "cannot create the ledger folder")
    assert blocker.read_text() == "keep me"


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs, where no one may create files")
def test_a_folder_nobody_can_write_to_is_refused():
    # /sys refuses new files even to root, so this is a real read-only folder under any user
    open_fails(Path("/sys/hotpass-ledger-test.db"), "cannot create the ledger file")


@pytest.mark.skipif(IS_ROOT, reason="root ignores folder permissions; the sysfs test covers the refusal")
def test_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    Ledger(folder / "ledger.db").close()
    folder.chmod(0o500)
    try:
        open_fails(folder / "other.db", "cannot create the ledger file")
        open_fails(folder / "ledger.db", "read-only")
    finally:
        folder.chmod(0o700)


@pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions")
def test_a_read_only_ledger_file_is_refused(tmp_path):
    path = tmp_path / "ledger.db"
    Ledger(path).close()
    path.chmod(0o400)
    open_fails(path, "read-only")


def test_errors_name_the_file_in_one_line(tmp_path):
    path = tmp_path / "ledger.db"
    path.write_bytes(b"\x00" * 64)
    err = open_fails(path)
    assert err.one_line().startswith(str(path) + ": ")
    assert "--ledger" in err.hint
