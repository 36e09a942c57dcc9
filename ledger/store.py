"""The ledger file: opening it, migrating it (schema.py), appending to the hash chain, reading it.

One SQLite file per workspace. WAL, a busy timeout, and every writer opens its transaction with
``BEGIN IMMEDIATE`` (a deferred transaction that reads the head and then writes fails with
"database is locked" under contention, busy timeout or not — see NOTES.md "SQLite").

Files that are not ours — random bytes, someone else's SQLite database, a ledger written by a
newer Hotpass — raise ``LedgerError`` before anything is written to them.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from core.errors import LedgerError, UsageError

from . import chain
from .models import (
    KIND_APPROVAL,
    KIND_HANDOFF,
    KIND_INCIDENT,
    KIND_REVIEW,
    KIND_RUN,
    KIND_STEP_DONE,
    KIND_STEP_OPENED,
    KINDS,
    Entry,
    NextStep,
    VerifyReport,
    derive_next_steps,
)
from .anchorlog import AnchorLog
from .paths import anchor_path, export_anchors_path
from .schema import APP_ID, COLUMNS, ENTRIES, HINT_PATH, META, MIGRATIONS, SCHEMA_VERSION, SQLITE_HEADER
from .values import (HOST, default_user, file_facts, is_busy, iso_utc, need_text, norm_decision, norm_sha,
                     norm_step_id, norm_subject_kind, now_utc, redact_argv, row_to_entry, rows_of)


class Ledger:
    """The workspace ledger. Thread-safe (a connection per thread) and fork-safe.

    >>> led = Ledger(resolve_ledger_path(None))
    >>> led.add_next_step("Call the client about duplicates").subject
    'NS-1'
    """

    def __init__(self, path: Path | str, *, busy_timeout: float = 60.0) -> None:
        self.path = Path(os.path.abspath(Path(path).expanduser()))
        self.anchor_path = anchor_path(self.path)
        self._anchors = AnchorLog(self.anchor_path)
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

    def __enter__(self) -> Ledger:
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
        import sqlite_utils

        db = sqlite_utils.Database(conn, execute_plugins=False, recursive_triggers=False)
        fresh = False
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
                if not self._anchors.exists():
                    at = now_utc()
                    self._write_anchor_records([{"type": "header", "ledger_id": ledger_id, "created_at": at},
                                                {"type": "anchor", "count": 0, "head_hash": chain.GENESIS_HASH,
                                                 "at": at}])
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback(conn)
            raise self._sqlite_error("preparing the ledger", exc) from exc
        except BaseException:
            self._rollback(conn)
            raise

    def _tighten_modes(self) -> None:
        for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"), self.anchor_path):
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

    # -- the anchor log beside the file -----------------------------------------------------------

    def read_anchor(self) -> dict[str, Any] | None:
        """The newest anchor beside the file: ledger_id, count, head_hash, at, and any recorded mismatches.

        None if the anchor log is missing.
        """
        try:
            state = self._anchors.read_all()
        except FileNotFoundError:
            return None
        except OSError as exc:
            return {"_unreadable": str(exc)}
        last = state["anchors"][-1] if state["anchors"] else {}
        out = {"ledger_id": (state["header"] or {}).get("ledger_id"), "count": last.get("count"),
               "head_hash": last.get("head_hash"), "at": last.get("at")}
        if state["mismatches"]:
            out["mismatches"] = state["mismatches"]
        return out

    def _anchor_records(self, ledger_id: str, before: dict[str, Any] | None, prev_seq: int, prev_hash: str,
                        seq: int, head: str, at: str) -> list[dict[str, Any]]:
        """The lines to append: a header for a new log, a mismatch record if the log disagrees, the anchor."""
        records: list[dict[str, Any]] = []
        if before is None:
            records.append({"type": "header", "ledger_id": ledger_id, "created_at": at})
            if prev_seq > 0:
                records.append({"type": "mismatch", "found_at": at, "before_seq": seq, "anchor": "missing",
                                "file_count": prev_seq, "file_head": prev_hash})
        elif before.get("count", 0) != prev_seq or before.get("head_hash", chain.GENESIS_HASH) != prev_hash:
            records.append({"type": "mismatch", "found_at": at, "before_seq": seq,
                            "anchor_count": before.get("count", 0), "anchor_head": before.get("head_hash"),
                            "file_count": prev_seq, "file_head": prev_hash})
        records.append({"type": "anchor", "count": seq, "head_hash": head, "at": at})
        return records

    def _write_anchor_records(self, records: list[dict[str, Any]]) -> int:
        try:
            self._anchors.compact_if_large()
            return self._anchors.append(records)
        except OSError as exc:
            raise self._error(f"cannot write the ledger's anchor log: {exc.strerror or exc}",
                              file=self.anchor_path) from exc

    # -- appending ------------------------------------------------------------------------------

    def _append(
        self,
        kind: str,
        subject: str,
        payload: dict[str, Any],
        *,
        who: str | None = None,
        case_id: str | None = None,
        prepare: Callable[[sqlite3.Connection], dict[str, Any]] | None = None,
    ) -> Entry:
        assert kind in KINDS, kind
        conn = self._conn()
        self._begin_immediate(conn)
        size_before: int | None = None
        try:
            if prepare is not None:  # reads that must happen under the write lock (ids, state checks)
                changes = prepare(conn)
                subject = changes.get("subject", subject)
                payload = changes.get("payload", payload)
                case_id = changes.get("case_id", case_id)
            last = conn.execute(f"SELECT seq, hash FROM {ENTRIES} ORDER BY seq DESC LIMIT 1").fetchone()
            prev_seq, prev_hash = (last[0], last[1]) if last else (0, chain.GENESIS_HASH)
            row = {
                "seq": prev_seq + 1,
                "kind": kind,
                "at": now_utc(),
                "who": who or default_user(),
                "host": HOST,
                "case_id": case_id,
                "subject": subject,
            }
            record = chain.record_of(row, payload)
            row["payload"] = chain.canonical_json(payload)
            row["prev_hash"] = prev_hash
            row["hash"] = chain.entry_hash(prev_hash, record)
            conn.execute(
                f"INSERT INTO {ENTRIES} ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                [row[c] for c in COLUMNS],
            )
            # The anchor goes beside the file while we hold the write lock, so anchors stay in order.
            records = self._anchor_records(self.ledger_id, self._anchors.tail(), prev_seq, prev_hash,
                                           row["seq"], row["hash"], row["at"])
            size_before = self._write_anchor_records(records)
            conn.execute("COMMIT")
        except BaseException as exc:
            self._rollback(conn)
            if size_before is not None:  # the entry was not committed: take its anchor back
                try:
                    self._anchors.truncate(size_before)
                except OSError:
                    pass
            if isinstance(exc, sqlite3.Error):
                raise self._sqlite_error(f"appending a {kind} entry", exc) from exc
            raise
        row["payload"] = payload
        return Entry(**row)

    def record_run(
        self,
        command: str,
        argv: list[str],
        started_at: datetime,
        ended_at: datetime,
        exit_code: int,
        inputs: list[Path],
        outputs: list[Path],
        case_id: str | None = None,
        who: str | None = None,
    ) -> Entry:
        """A Hotpass command ran: argv (secrets redacted), times, exit code, SHA-256 of its files."""
        start, end = iso_utc(started_at), iso_utc(ended_at)
        duration = 0.0
        if isinstance(started_at, datetime) and isinstance(ended_at, datetime):
            try:
                duration = max(0.0, (ended_at - started_at).total_seconds())
            except TypeError:  # naive and aware mixed
                duration = 0.0
        payload = {
            "command": command,
            "argv": redact_argv(argv),
            "started_at": start,
            "ended_at": end,
            "duration_s": round(duration, 6),
            "exit_code": int(exit_code),
            "inputs": [file_facts(p) for p in inputs or []],
            "outputs": [file_facts(p) for p in outputs or []],
        }
        return self._append(KIND_RUN, need_text(command, "command"), payload, who=who, case_id=case_id)

    def record_approval(
        self,
        subject_kind: str,
        subject: str,
        artefact_sha256: str | None,
        decision: str,
        who: str | None = None,
        comment: str = "",
        case_id: str | None = None,
    ) -> Entry:
        """Approve or reject a contract, network enrichment, review, quality-gate waiver or hand-off."""
        kind = norm_subject_kind(subject_kind)
        subj = need_text(subject, "subject")
        payload = {
            "subject_kind": kind,
            "subject": subj,
            "artefact_sha256": norm_sha(artefact_sha256, "artefact_sha256"),
            "decision": norm_decision(decision),
            "comment": comment or "",
        }
        return self._append(KIND_APPROVAL, f"{kind}:{subj}", payload, who=who, case_id=case_id)

    def record_review_decision(
        self,
        case_id: str,
        pair_id: str,
        decision: str,
        who: str | None = None,
        comment: str = "",
        summary: str = "",
    ) -> Entry:
        case = need_text(case_id, "case_id")
        pair = need_text(str(pair_id), "pair_id")
        payload = {"pair_id": pair, "decision": norm_decision(decision), "comment": comment or "", "summary": summary or ""}
        return self._append(KIND_REVIEW, pair, payload, who=who, case_id=case)

    def add_next_step(
        self, text: str, owner: str | None = None, due: str | None = None, case_id: str | None = None,
        who: str | None = None,
    ) -> Entry:
        """Open a next step; the entry's ``subject`` (and ``step_id``) is its id, ``NS-<n>``."""
        body = need_text(text, "text")
        payload = {"text": body, "owner": owner or None, "due": due or None}

        def prepare(conn: sqlite3.Connection) -> dict[str, Any]:
            n = conn.execute(f"SELECT COUNT(*) FROM {ENTRIES} WHERE kind = ?", (KIND_STEP_OPENED,)).fetchone()[0]
            return {"subject": f"NS-{n + 1}"}

        return self._append(KIND_STEP_OPENED, "", payload, who=who, case_id=case_id, prepare=prepare)

    def complete_next_step(self, step_id: str, who: str | None = None, comment: str = "") -> Entry:
        """Mark a step done: a new entry (the opening entry is never edited)."""
        sid = norm_step_id(step_id)

        def prepare(conn: sqlite3.Connection) -> dict[str, Any]:
            opened = conn.execute(
                f"SELECT case_id FROM {ENTRIES} WHERE kind = ? AND subject = ? ORDER BY seq LIMIT 1",
                (KIND_STEP_OPENED, sid),
            ).fetchone()
            if opened is None:
                raise UsageError(f"there is no next step {sid}", hint="see: hotpass ledger next-steps list",
                                 key=sid, file=str(self.path))
            done = conn.execute(
                f"SELECT seq FROM {ENTRIES} WHERE kind = ? AND subject = ? LIMIT 1", (KIND_STEP_DONE, sid)
            ).fetchone()
            if done is not None:
                raise UsageError(f"next step {sid} is already done (entry #{done[0]})", key=sid, file=str(self.path))
            # the done entry carries the step's case, read under the same write lock
            return {"subject": sid, "payload": {"comment": comment or ""}, "case_id": opened[0]}

        return self._append(KIND_STEP_DONE, sid, {}, who=who, prepare=prepare)

    def record_incident(self, ticket_id: str, summary: str, severity: str, case_id: str | None = None,
                        who: str | None = None) -> Entry:
        payload = {
            "ticket_id": need_text(ticket_id, "ticket_id"),
            "summary": need_text(summary, "summary"),
            "severity": need_text(severity, "severity").lower(),
        }
        return self._append(KIND_INCIDENT, payload["ticket_id"], payload, who=who, case_id=case_id)

    def record_handoff(self, case_id: str, manifest_sha256: str, who: str | None = None, comment: str = "") -> Entry:
        case = need_text(case_id, "case_id")
        sha = norm_sha(manifest_sha256, "manifest_sha256")
        if sha is None:
            raise UsageError("manifest_sha256 must not be empty", key="manifest_sha256")
        return self._append(KIND_HANDOFF, case, {"manifest_sha256": sha, "comment": comment or ""}, who=who,
                            case_id=case)

    # -- reading --------------------------------------------------------------------------------

    def _select(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        try:
            return rows_of(self._conn().execute(sql, list(params)))
        except sqlite3.Error as exc:
            raise self._sqlite_error("reading the ledger", exc) from exc

    def entries(self, kind: str | None = None, limit: int | None = 50, case_id: str | None = None) -> list[Entry]:
        """Newest first."""
        where, params = [], []
        if kind:
            if kind not in KINDS:
                raise UsageError(f"unknown entry kind {kind!r}", hint="one of: " + ", ".join(KINDS), key="kind")
            where.append("kind = ?")
            params.append(kind)
        if case_id:
            where.append("case_id = ?")
            params.append(case_id)
        sql = f"SELECT * FROM {ENTRIES}" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY seq DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [row_to_entry(r) for r in self._select(sql, params)]

    def all_entries(self) -> list[Entry]:
        """Oldest first, every entry."""
        return [row_to_entry(r) for r in self._select(f"SELECT * FROM {ENTRIES} ORDER BY seq")]

    def head(self) -> tuple[int, str]:
        """(count, head hash); (0, GENESIS_HASH) for an empty ledger."""
        rows = self._select(f"SELECT seq, hash FROM {ENTRIES} ORDER BY seq DESC LIMIT 1")
        return (rows[0]["seq"], rows[0]["hash"]) if rows else (0, chain.GENESIS_HASH)

    def anchor(self) -> dict[str, Any]:
        """What an export or hand-off manifest should carry: ledger id, count and head hash."""
        count, head = self.head()
        return {"ledger_id": self.ledger_id, "count": count, "head_hash": head}

    def approvals(self, subject_kind: str | None = None, subject: str | None = None,
                  case_id: str | None = None, limit: int | None = None) -> list[Entry]:
        """Approval entries, newest first."""
        where, params = ["kind = ?"], [KIND_APPROVAL]
        if subject_kind:
            k = norm_subject_kind(subject_kind)
            if subject:
                where.append("subject = ?")
                params.append(f"{k}:{subject}")
            else:
                where.append("subject LIKE ?")
                params.append(f"{k}:%")
        if case_id:
            where.append("case_id = ?")
            params.append(case_id)
        sql = f"SELECT * FROM {ENTRIES} WHERE {' AND '.join(where)} ORDER BY seq DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [row_to_entry(r) for r in self._select(sql, params)]

    def latest_approval(self, subject_kind: str, subject: str, artefact_sha256: str | None = None) -> Entry | None:
        """The newest approve/reject for this subject (and this artefact hash, if given)."""
        sha = norm_sha(artefact_sha256, "artefact_sha256")
        for e in self.approvals(subject_kind, subject):
            if sha is None or e.payload.get("artefact_sha256") == sha:
                return e
        return None

    def is_approved(self, subject_kind: str, subject: str, artefact_sha256: str | None = None) -> bool:
        e = self.latest_approval(subject_kind, subject, artefact_sha256)
        return e is not None and e.payload.get("decision") == "approve"

    def review_decisions(self, case_id: str) -> dict[str, str]:
        """pair_id -> latest decision for a case."""
        out: dict[str, str] = {}
        for r in self._select(
            f"SELECT subject, payload FROM {ENTRIES} WHERE kind = ? AND case_id = ? ORDER BY seq", (KIND_REVIEW, case_id)
        ):
            try:
                out[r["subject"]] = json.loads(r["payload"])["decision"]
            except (ValueError, KeyError, TypeError):
                continue
        return out

    def next_steps(self, status: str | None = None, case_id: str | None = None) -> list[NextStep]:
        """Derived from the opened/done entries, oldest first. status: None/'all', 'open' or 'done'."""
        if status in (None, "", "all"):
            status = None
        elif status not in ("open", "done"):
            raise UsageError(f"status must be open, done or all, not {status!r}", key="status")
        out = derive_next_steps([row_to_entry(r) for r in self._select(
            f"SELECT * FROM {ENTRIES} WHERE kind IN (?, ?) ORDER BY seq", (KIND_STEP_OPENED, KIND_STEP_DONE)
        )])
        if case_id:
            out = [s for s in out if s.case_id == case_id]
        if status:
            out = [s for s in out if s.status == status]
        return out

    def incidents(self, case_id: str | None = None, limit: int | None = None) -> list[Entry]:
        return self.entries(KIND_INCIDENT, limit=limit, case_id=case_id)

    # -- verification and export ----------------------------------------------------------------

    def snapshot(self, lock: bool = True) -> dict[str, Any]:
        """Rows, triggers, meta and anchors read in one transaction.

        With ``lock`` the read happens under the write lock, so no writer is between writing its
        anchor and committing its entry while we look.
        """
        conn = self._conn()
        locked = False
        try:
            if lock:
                try:
                    self._begin_immediate(conn)
                    locked = True
                except LedgerError:
                    conn.execute("BEGIN")
            else:
                conn.execute("BEGIN")
            rows = rows_of(conn.execute(f"SELECT * FROM {ENTRIES} ORDER BY seq"))
            triggers = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
            meta = dict(conn.execute(f"SELECT key, value FROM {META}").fetchall())
            check = [r[0] for r in conn.execute("PRAGMA quick_check")]
            try:
                sidecar = self._anchors.read_all()
            except FileNotFoundError:
                sidecar = None
            except OSError as exc:
                sidecar = {"_unreadable": str(exc)}
            exports = self._read_export_anchors()
        except sqlite3.Error as exc:
            raise self._sqlite_error("reading the ledger", exc) from exc
        finally:
            self._rollback(conn)
        return {"rows": rows, "triggers": triggers, "meta": meta, "quick_check": check,
                "sidecar": sidecar, "exports": exports, "locked": locked}

    def _read_export_anchors(self) -> list[dict[str, Any]]:
        out = []
        try:
            text = self.export_anchors_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return out
        except OSError as exc:
            return [{"_unreadable": str(exc)}]
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except ValueError:
                    out.append({"_unreadable": f"line {n} is not JSON"})
        return out

    def verify(self, anchor: Any = None, reference: list[dict[str, Any]] | None = None) -> VerifyReport:
        """Walk the chain; also check the anchor log, export anchors beside the ledger, and ``anchor``.

        ``anchor`` may be ``(count, head_hash)``, a dict with ``count`` and ``head_hash``, or a list of those.
        ``reference``: exported entries (ledger.jsonl) used to name the fields of an edited entry; by
        default the newest export remembered beside the ledger, if its ledger.jsonl is still there.
        """
        from .verify import verify_snapshot

        snap = self.snapshot()
        if reference is None:
            reference = self._latest_export_entries(snap.get("exports") or [])
        return verify_snapshot(snap, path=self.path, ledger_id=self.ledger_id, anchor=anchor,
                               anchor_file=self.anchor_path, exports_file=self.export_anchors_path,
                               reference=reference)

    def _latest_export_entries(self, exports: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        from .export import JSONL_FILE, load_anchor_file

        for ex in reversed(exports):
            jsonl = Path(str(ex.get("out_dir", ""))) / JSONL_FILE
            if ex.get("out_dir") and jsonl.is_file():
                try:
                    return load_anchor_file(jsonl)[1]
                except Exception:  # noqa: BLE001 - a reference is a nicety, never a reason to fail
                    return None
        return None

    def export(self, out_dir: Path | str, *, allow_tampered: bool = False) -> list[Path]:
        """Write Next_Steps_Log.md, governance-log.md, ledger.jsonl and ledger-anchor.json.

        The chain is verified first; a ledger that does not verify raises LedgerTampered unless
        ``allow_tampered`` (then every file says so, and the anchor is not remembered).
        """
        from .export import export_ledger

        return export_ledger(self, Path(out_dir), allow_tampered=allow_tampered)
