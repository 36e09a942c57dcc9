"""The ledger's schema: its tables, the triggers that keep entries append-only, and migrations.

Each migration takes the sqlite-utils Database inside an open ``BEGIN IMMEDIATE`` transaction, so
several processes creating one fresh ledger at once apply it exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from . import chain

if TYPE_CHECKING:  # sqlite-utils imports pandas when it is installed: only migrations load it
    import sqlite_utils

SCHEMA_VERSION = 1
APP_ID = "hotpass-ledger"
META = "hotpass_meta"
ENTRIES = "entries"
SQLITE_HEADER = b"SQLite format 3\x00"
TRIGGERS = (
    "entries_no_update",
    "entries_no_delete",
    "entries_append_at_head",
    "hotpass_meta_no_delete",
    "hotpass_meta_no_update",
)
COLUMNS = ("seq", "kind", "at", "who", "host", "case_id", "subject", "payload", "prev_hash", "hash")
HINT_PATH = "choose another file with --ledger PATH or $HOTPASS_LEDGER"


def _migration_1(db: "sqlite_utils.Database") -> None:
    db.create_table(META, {"key": str, "value": str}, pk="key", not_null={"value"})
    db.create_table(
        ENTRIES,
        {
            "seq": int,
            "kind": str,
            "at": str,
            "who": str,
            "host": str,
            "case_id": str,
            "subject": str,
            "payload": str,
            "prev_hash": str,
            "hash": str,
        },
        pk="seq",
        not_null={"kind", "at", "who", "host", "subject", "payload", "prev_hash", "hash"},
    )
    db[ENTRIES].create_index(["kind", "seq"], index_name="entries_kind_seq")
    db[ENTRIES].create_index(["case_id", "kind"], index_name="entries_case_kind")
    db.execute(
        f"""CREATE TRIGGER entries_no_update BEFORE UPDATE ON {ENTRIES}
        BEGIN SELECT RAISE(ABORT, 'hotpass ledger entries are append-only: UPDATE refused'); END"""
    )
    db.execute(
        f"""CREATE TRIGGER entries_no_delete BEFORE DELETE ON {ENTRIES}
        BEGIN SELECT RAISE(ABORT, 'hotpass ledger entries are append-only: DELETE refused'); END"""
    )
    db.execute(
        f"""CREATE TRIGGER entries_append_at_head BEFORE INSERT ON {ENTRIES}
        WHEN NEW.seq IS NOT (SELECT IFNULL(MAX(seq), 0) + 1 FROM {ENTRIES})
          OR NEW.prev_hash IS NOT IFNULL((SELECT hash FROM {ENTRIES} ORDER BY seq DESC LIMIT 1), '{chain.GENESIS_HASH}')
        BEGIN SELECT RAISE(ABORT, 'hotpass ledger: entries are appended at the head of the chain only'); END"""
    )
    db.execute(
        f"""CREATE TRIGGER hotpass_meta_no_delete BEFORE DELETE ON {META}
        BEGIN SELECT RAISE(ABORT, 'hotpass ledger metadata cannot be deleted'); END"""
    )
    db.execute(
        f"""CREATE TRIGGER hotpass_meta_no_update BEFORE UPDATE ON {META}
        WHEN OLD.key IS NOT 'schema_version' OR NEW.key IS NOT OLD.key
          OR CAST(NEW.value AS INTEGER) <= CAST(OLD.value AS INTEGER)
        BEGIN SELECT RAISE(ABORT, 'hotpass ledger metadata is fixed (only the schema version may rise)'); END"""
    )


MIGRATIONS: dict[int, Callable[["sqlite_utils.Database"], None]] = {1: _migration_1}
