"""The real `hotpass ledger` in subprocesses, the way an operator (or an attacker with sqlite3) meets it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SQLITE3 = shutil.which("sqlite3")


def hotpass(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k != "HOTPASS_LEDGER"}
    full.update({"COLUMNS": "250", "NO_COLOR": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "hotpass_tui.cli", *args], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=120)


def shell(db: Path, sql: str) -> None:
    """What an attacker would type: the sqlite3 shell if installed, else the same SQL through the module."""
    if SQLITE3:
        subprocess.run([SQLITE3, str(db)], input=sql, text=True, check=True, capture_output=True)
    else:
        con = sqlite3.connect(db)
        con.executescript(sql)
        con.close()


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    for i in range(1, 7):
        r = hotpass("ledger", "next-steps", "add", f"step {i}", "--owner", "bob", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    return tmp_path  # 6 entries, one per step: a ledger command is its own record, not a run


def test_first_use_creates_a_private_ledger_and_export_lists_open_steps(ws):
    db = ws / ".hotpass" / "ledger.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    for side in (Path(f"{db}-wal"), Path(f"{db}-shm"), ws / ".hotpass" / "ledger.db.anchors.jsonl"):
        if side.exists():
            assert stat.S_IMODE(side.stat().st_mode) == 0o600, side
    assert hotpass("ledger", "next-steps", "done", "NS-2", "-m", "finished", cwd=ws).returncode == 0
    r = hotpass("ledger", "export", cwd=ws)
    assert r.returncode == 0, r.stderr
    text = (ws / "Next_Steps_Log.md").read_text(encoding="utf-8")
    assert "## Open (5)" in text and "| NS-1 | step 1 | bob |" in text and "| NS-6 | step 6 |" in text
    assert "## Done (1)" in text and "| NS-2 | step 2 |" in text and "finished" in text
    r = hotpass("ledger", "next-steps", "list", cwd=ws)
    assert "NS-1" in r.stdout and "NS-2" not in r.stdout
    r = hotpass("ledger", "verify", cwd=ws)
    assert r.returncode == 0 and "ledger verifies" in r.stdout


def test_edited_entry_is_named(ws):
    shell(ws / ".hotpass" / "ledger.db",
          "DROP TRIGGER entries_no_update; UPDATE entries SET payload = replace(payload, 'step 3', 'step 33') "
          "WHERE seq = 3;")
    r = hotpass("ledger", "verify", cwd=ws)
    assert r.returncode == 9
    assert "entry #3 (next_step_opened" in r.stdout and "was edited" in r.stdout
    assert "trigger entries_no_update was dropped" in r.stdout
    assert "ledger does not verify: entry #3" in r.stderr


def test_deleted_entry_is_named(ws):
    shell(ws / ".hotpass" / "ledger.db", "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq = 4;")
    r = hotpass("ledger", "verify", cwd=ws)
    assert r.returncode == 9 and "entry #4 missing: deleted (entry #5 no longer follows #3)" in r.stdout


def test_deleting_the_newest_entries_is_named(ws):
    shell(ws / ".hotpass" / "ledger.db", "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq >= 4;")
    r = hotpass("ledger", "verify", cwd=ws)
    assert r.returncode == 9
    assert "entries #4–#6 missing: the newest entries were deleted" in r.stdout


def test_deleting_the_newest_entries_and_the_anchor_log_is_caught_by_an_export(ws, tmp_path):
    assert hotpass("ledger", "export", "--out", str(tmp_path / "kept-elsewhere"), cwd=ws).returncode == 0
    db = ws / ".hotpass" / "ledger.db"
    shell(db, "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq >= 6;")
    (ws / ".hotpass" / "ledger.db.anchors.jsonl").unlink()
    (ws / ".hotpass" / "ledger.db.exports.jsonl").unlink()
    r = hotpass("ledger", "verify", "--anchor", str(tmp_path / "kept-elsewhere" / "Next_Steps_Log.md"), cwd=ws)
    assert r.returncode == 9
    assert "entry #6 missing: the newest entries were deleted" in r.stdout


def test_two_processes_appending_2000_each(tmp_path):
    db = tmp_path / "shared.db"
    script = textwrap.dedent(f"""
        import sys
        from ledger import Ledger
        led = Ledger({str(db)!r})
        for i in range(2000):
            led.record_incident(f"{{sys.argv[1]}}-{{i}}", "load", "low")
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, tag], stderr=subprocess.PIPE, text=True)
             for tag in ("A", "B")]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert not any("locked" in e for e in errors)
    r = hotpass("--ledger", str(db), "ledger", "verify", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "ledger verifies: 4000 entries" in r.stdout


def test_unusable_files_exit_8_untouched(tmp_path):
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(os.urandom(4096))
    newer = tmp_path / "newer.db"
    assert hotpass("--ledger", str(newer), "ledger", "next-steps", "add", "x", cwd=tmp_path).returncode == 0
    shell(newer, "DROP TRIGGER hotpass_meta_no_update; UPDATE hotpass_meta SET value = '9' "
                 "WHERE key = 'schema_version'; PRAGMA wal_checkpoint(TRUNCATE);")
    for path, words in ((corrupt, "not an SQLite database"), (newer, "newer Hotpass (schema version 9")):
        before = path.read_bytes()
        r = hotpass("--ledger", str(path), "ledger", "log", cwd=tmp_path)
        assert r.returncode == 8 and str(path) in r.stderr and words in r.stderr, r.stderr
        assert path.read_bytes() == before
    r = hotpass("ledger", "log", cwd=tmp_path, env={"HOTPASS_LEDGER": str(corrupt / "x.db")})
    assert r.returncode == 8 and "is a file, not a folder" in r.stderr


def test_a_reader_that_leaves_early_is_a_quiet_exit(tmp_path: Path) -> None:
    """`hotpass ledger log --json | head -1`: the closed pipe is not an internal error."""
    import os
    import subprocess
    import sys

    from ledger import Ledger

    env = {**os.environ, "HOTPASS_LEDGER": str(tmp_path / "ledger.db")}
    ledger = Ledger(tmp_path / "ledger.db")
    for n in range(600):  # far more than a pipe's 64 KiB buffer, so the writer meets the closed end
        ledger.add_next_step(f"step {n}: " + "call the data owner about the duplicates " * 3)
    pipeline = subprocess.run(f"{sys.executable} -m hotpass_tui.cli ledger log --json -n 0 | head -1; "
                              "echo \"exit=${PIPESTATUS[0]}\"", shell=True, executable="/bin/bash",
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert pipeline.stdout.count("\n") == 2 and "exit=0" in pipeline.stdout, pipeline.stdout
    assert "internal error" not in pipeline.stderr and "Traceback" not in pipeline.stderr
