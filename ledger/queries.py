"""Reading the ledger: entries, approvals, derived state (next steps, incidents, deviations), verify, export."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.errors import LedgerError, UsageError

from . import chain
from .append import Appending
from .kinds import (
    KIND_APPROVAL,
    KIND_DEVIATION,
    KIND_INCIDENT,
    KIND_INCIDENT_CLOSED,
    KIND_REVIEW,
    KIND_STEP_DONE,
    KIND_STEP_OPENED,
    KINDS,
)
from .models import Deviation, Entry, Incident, NextStep, VerifyReport, derive_incidents, derive_next_steps
from .schema import ENTRIES, META
from .values import norm_sha, norm_subject_kind, row_to_entry, rows_of
from .writelock import LockUnavailable


class Queries(Appending):
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
            f"SELECT subject, payload FROM {ENTRIES} WHERE kind = ? AND case_id = ? ORDER BY seq",
            (KIND_REVIEW, case_id),
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


    def incident_states(self, status: str | None = None, case_id: str | None = None) -> list[Incident]:
        """Incidents with their state, in the order filed. status: None/'all', 'open' or 'closed'."""
        if status in (None, "", "all"):
            status = None
        elif status not in ("open", "closed"):
            raise UsageError(f"status must be open, closed or all, not {status!r}", key="status")
        out = derive_incidents([row_to_entry(r) for r in self._select(
            f"SELECT * FROM {ENTRIES} WHERE kind IN (?, ?) ORDER BY seq", (KIND_INCIDENT, KIND_INCIDENT_CLOSED)
        )])
        if case_id:
            out = [i for i in out if i.case_id == case_id]
        if status:
            out = [i for i in out if i.status == status]
        return out

    def deviations(self, case_id: str) -> list[Deviation]:
        """The deviations recorded for a case, oldest first (what a hand-off summary lists)."""
        return [Deviation(case_id=e.case_id or case_id, what=str(e.payload.get("what", "")),
                          why=str(e.payload.get("why", "")), at=e.at, who=e.who, seq=e.seq)
                for e in (row_to_entry(r) for r in self._select(
                    f"SELECT * FROM {ENTRIES} WHERE kind = ? AND case_id = ? ORDER BY seq", (KIND_DEVIATION, case_id)))]

    # -- verification and export ----------------------------------------------------------------

    def snapshot(self, lock: bool = True) -> dict[str, Any]:
        """Rows, triggers, meta and anchors read in one transaction.

        With ``lock`` the read happens under the writers' lock and SQLite's write lock, so no writer
        is between its commit and its anchor while we look. Without them (a read-only copy, or
        held too long) the pending record still keeps a writer's in-between state from reading as
        tampering.
        """
        conn = self._conn()
        locked = flocked = False
        if lock:
            try:
                self._writers.acquire(self.busy_timeout)
                flocked = True
            except LockUnavailable:
                pass
        try:
            if lock:
                try:
                    self._begin_immediate(conn)
                    locked = flocked
                except LedgerError:
                    conn.execute("BEGIN")
            else:
                conn.execute("BEGIN")
            return self._read_snapshot(conn, locked)
        finally:
            if flocked:
                self._writers.release()

    def _read_snapshot(self, conn: sqlite3.Connection, locked: bool) -> dict[str, Any]:
        try:
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

    def export(self, out_dir: Path | str, *, allow_tampered: bool = False,
               lands_in: Path | str | None = None) -> list[Path]:
        """Write Next_Steps_Log.md, governance-log.md, ledger.jsonl and ledger-anchor.json.

        The chain is verified first; a ledger that does not verify raises LedgerTampered unless
        ``allow_tampered`` (then every file says so, and the anchor is not remembered).
        ``lands_in``: where the files will live when out_dir is a staging folder, so the anchor
        remembered beside the ledger names the folder an auditor can find.
        """
        from .export import export_ledger

        return export_ledger(self, Path(out_dir), allow_tampered=allow_tampered,
                             lands_in=Path(lands_in) if lands_in is not None else None)
