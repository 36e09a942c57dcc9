"""The ledger file: creating and checking it, connections, migrations, the writers' lock.

One SQLite file per workspace. WAL, a busy timeout, and every writer opens its transaction with
``BEGIN IMMEDIATE`` (a deferred transaction that reads the head and then writes fails with
"database is locked" under contention, busy timeout or not — see NOTES.md "SQLite"), after
taking the writers' lock (writelock.py) that keeps anchors in commit order.

Files that are not ours — random bytes, someone else's SQLite database, a ledger written by a
newer Hotpass — raise ``LedgerError`` before anything is written to them.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from core.errors import LedgerError

from . import chain
from .anchorlog import AnchorLog
from .paths import anchor_lock_path, anchor_path, export_anchors_path
from .schema import APP_ID, HINT_PATH, META, MIGRATIONS, SCHEMA_VERSION, SQLITE_HEADER
from .values import is_busy, now_utc
from .writelock import LockUnavailable, WriteLock


class LedgerFile:
    """The file and its connections (a connection per thread, fork-safe); Ledger adds appends and queries."""

    def __init__(self, path: Path | str, *, busy_timeout: float = 60.0) -> None:
        self.path = Path(os.path.abspath(Path(path).expanduser()))
        self.anchor_path = anchor_path(self.path)
        self._anchors = AnchorLog(self.anchor_path)
        self.anchor_lock_path = anchor_lock_path(self.path)
        self._writers = WriteLock(self.anchor_lock_path)
        self.export_anchors_path = export_anchors_path(self.path)
        self.busy_timeout = busy_timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._conns: list[tuple[int, sqlite3.Connection]] = []
        self._prepare_file()
        conn = self._conn()
        meta = dict(conn.execute(f"SELECT key, value FROM {META}").fetchall())
        self.ledger_id: str = meta.get("ledger_id", "")
        self.schema_version = int(meta.get("schema_version", SCHEMA_VERSION))

    # -- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            conns, self._conns = self._conns, []
        for pid, conn in conns:
            if pid == os.getpid():
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
        self._local = threading.local()
        self._writers.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Ledger({str(self.path)!r})"

    def _error(self, message: str, hint: str = HINT_PATH, file: Path | None = None) -> LedgerError:
        return LedgerError(message, hint=hint, file=str(file or self.path))

    def _prepare_file(self) -> None:
        """Create the folder and an empty 0600 file, or check that an existing file is SQLite."""
        path, parent = self.path, self.path.parent
        if parent.exists() and not parent.is_dir():
            raise self._error(f"cannot create the ledger: {parent} is a file, not a folder", file=self.path)
        if not parent.exists():
            try:
                parent.mkdir(parents=True, mode=0o700, exist_ok=True)
            except OSError as exc:
                raise self._error(f"cannot create the ledger folder: {exc.strerror or exc}", file=parent) from exc
        if path.is_dir():
            raise self._error("the ledger path is a folder, not a file")
        if not path.exists():
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process created it first
            except OSError as exc:
                raise self._error(f"cannot create the ledger file: {exc.strerror or exc}") from exc
            else:
                try:
                    os.fchmod(fd, 0o600)
                finally:
                    os.close(fd)
                return
        try:
            with open(path, "rb") as fh:
                head = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise self._error(f"cannot read the ledger file: {exc.strerror or exc}") from exc
        if head and head != SQLITE_HEADER:
            raise self._error(
                "this file is not a Hotpass ledger (not an SQLite database: corrupt, or another kind of file); "
                "it was left untouched",
                hint="move it aside, or " + HINT_PATH,
            )
        if not os.access(path, os.R_OK | os.W_OK):
            raise self._error("the ledger file is read-only for this user", hint="fix its permissions, or " + HINT_PATH)
        if not os.access(parent, os.W_OK | os.X_OK):
            raise self._error(
                "the ledger's folder is read-only (SQLite needs to write -wal and -shm files beside it)",
                hint=HINT_PATH,
                file=parent,
            )

    # -- connections ----------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        pid = os.getpid()
        cached = getattr(self._local, "conn", None)
        if cached is not None and cached[0] == pid:
            return cached[1]
        conn = self._open_connection(first=not getattr(self, "_migrated", False))
        self._local.conn = (pid, conn)
        with self._lock:
            self._conns.append((pid, conn))
        self._migrated = True
        return conn

    def _open_connection(self, first: bool) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path.as_uri() + "?mode=rw",
                uri=True,
                timeout=self.busy_timeout,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise self._error(f"cannot open the ledger: {exc}") from exc
        try:
            if first:
                self._check_ours(conn)
                self._set_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            if first:
                self._migrate(conn)
                self._tighten_modes()
        except BaseException:
            conn.close()
            raise
        return conn

    def _check_ours(self, conn: sqlite3.Connection) -> None:
        """Refuse a foreign or newer database before anything (even WAL mode) is written to it."""
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            meta = dict(conn.execute(f"SELECT key, value FROM {META}").fetchall()) if META in tables else None
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
                raise self._error(f"the ledger stayed locked for {self.busy_timeout:.0f} s") from exc
            raise self._error(
                f"this file is not a usable Hotpass ledger ({exc}); it was left untouched",
                hint="restore it from a backup or an export, or " + HINT_PATH,
            ) from exc
        self._judge(tables, meta)

    def _judge(self, tables: list[str], meta: dict[str, str] | None) -> None:
        user_tables = [t for t in tables if not t.startswith("sqlite_")]
        if meta is None:
            if user_tables:
                raise self._error(
                    "this SQLite database is not a Hotpass ledger (tables: "
                    + ", ".join(sorted(user_tables)[:8])
                    + "); it was left untouched",
                )
            return
        if meta.get("app") != APP_ID:
            raise self._error(
                f"this SQLite database is not a Hotpass ledger ({META} says app={meta.get('app')!r}); "
                "it was left untouched",
            )
        try:
            version = int(meta.get("schema_version", "0"))
        except ValueError as exc:
            raise self._error(f"the ledger's schema version {meta.get('schema_version')!r} is not a number") from exc
        if version > SCHEMA_VERSION:
            raise self._error(
                f"this ledger was written by a newer Hotpass (schema version {version}; this Hotpass understands "
                f"up to {SCHEMA_VERSION}); it was left untouched",
                hint="upgrade Hotpass to use this ledger",
            )

    def _set_wal(self, conn: sqlite3.Connection) -> None:
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as exc:
                if not is_busy(exc) or time.monotonic() > deadline:
                    raise self._sqlite_error("switching the ledger to WAL mode", exc) from exc
                time.sleep(random.uniform(0.002, 0.02))
        if str(mode).lower() != "wal":
            raise self._error(f"the ledger cannot use WAL mode on this file system (journal mode stays {mode!r})")

    def _current_version(self, conn: sqlite3.Connection) -> int:
        try:
            row = conn.execute(f"SELECT value FROM {META} WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:  # no meta table yet
            return 0
        return int(row[0]) if row else 0

    def _migrate(self, conn: sqlite3.Connection) -> None:
        if self._current_version(conn) == SCHEMA_VERSION:
            return  # the common case: no write lock, no sqlite-utils (and so no pandas) at start-up
        with self._writer_lock():
            self._migrate_locked(conn)

    def _migrate_locked(self, conn: sqlite3.Connection) -> None:
        import sqlite_utils

        db = sqlite_utils.Database(conn, execute_plugins=False, recursive_triggers=False)
        fresh = False
        ledger_id = ""
        self._begin_immediate(conn)
        try:
            tables = db.table_names()
            meta = dict(conn.execute(f"SELECT key, value FROM {META}").fetchall()) if META in tables else None
            self._judge(tables, meta)  # again, inside the write lock
            version = int(meta["schema_version"]) if meta else 0
            for target in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[target](db)
                if target == 1:
                    fresh = True
                    conn.executemany(
                        f"INSERT INTO {META} (key, value) VALUES (?, ?)",
                        [
                            ("app", APP_ID),
                            ("ledger_id", uuid.uuid4().hex),
                            ("created_at", now_utc()),
                            ("schema_version", "1"),
                        ],
                    )
                else:
                    conn.execute(f"UPDATE {META} SET value = ? WHERE key = 'schema_version'", (str(target),))
            if fresh:
                ledger_id = conn.execute(f"SELECT value FROM {META} WHERE key='ledger_id'").fetchone()[0]
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback(conn)
            raise self._sqlite_error("preparing the ledger", exc) from exc
        except BaseException:
            self._rollback(conn)
            raise
        # after the commit, still under the writers' lock: killed before this, the first append writes it
        if fresh and not self._anchors.exists():
            at = now_utc()
            try:
                self._anchors.append([{"type": "header", "ledger_id": ledger_id, "created_at": at},
                                      {"type": "anchor", "count": 0, "head_hash": chain.GENESIS_HASH, "at": at}])
            except OSError as exc:
                raise self._error(f"cannot write the ledger's anchor log: {exc.strerror or exc}",
                                  file=self.anchor_path) from exc

    def _tighten_modes(self) -> None:
        for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"), self.anchor_path,
                  self.anchor_lock_path):
            try:
                if p.exists() and (p.stat().st_mode & 0o077):
                    os.chmod(p, 0o600)
            except OSError:
                pass

    def _rollback(self, conn: sqlite3.Connection) -> None:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _sqlite_error(self, doing: str, exc: sqlite3.Error) -> LedgerError:
        text = str(exc)
        if "readonly" in text or "read-only" in text:
            return self._error(f"{doing}: the ledger or its folder is read-only ({text})")
        if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
            return self._error(f"{doing}: the ledger stayed locked for {self.busy_timeout:.0f} s ({text})",
                               hint="another Hotpass process holds it; try again")
        return self._error(f"{doing}: {text}")

    def _begin_immediate(self, conn: sqlite3.Connection) -> None:
        """BEGIN IMMEDIATE, waiting (busy timeout, then our own retry) for other writers."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc) or time.monotonic() > deadline:
                    raise self._sqlite_error("taking the ledger's write lock", exc) from exc
                time.sleep(random.uniform(0.001, 0.01))


    @contextmanager
    def _writer_lock(self) -> Iterator[None]:
        """The writers' lock (writelock.py): taken before BEGIN IMMEDIATE by everyone who writes."""
        try:
            self._writers.acquire(self.busy_timeout)
        except LockUnavailable as exc:
            if exc.timed_out:
                raise self._error(f"the ledger stayed locked: {exc.reason}",
                                  hint="another Hotpass process holds it; try again",
                                  file=self.anchor_lock_path) from exc
            raise self._error(f"the ledger cannot be locked for writing: {exc.reason}",
                              file=self.anchor_lock_path) from exc
        try:
            yield
        finally:
            self._writers.release()
