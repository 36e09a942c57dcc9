"""Appending to the hash chain: one typed method per entry kind, all through ``_append``.

Order inside ``_append``, under the writers' lock (connection.py): BEGIN IMMEDIATE, read the head,
insert, a pending record in the anchor log, COMMIT, the anchor. A writer killed anywhere in that
order leaves a ledger that verifies (anchorlog.py says why); no step is skipped on any path.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from core.errors import UsageError

from . import chain
from .connection import LedgerFile
from .kinds import (
    KIND_APPROVAL,
    KIND_DEVIATION,
    KIND_HANDOFF,
    KIND_HANDOFF_PUSH,
    KIND_INCIDENT,
    KIND_INCIDENT_CLOSED,
    KIND_REVIEW,
    KIND_RUN,
    KIND_STEP_DONE,
    KIND_STEP_OPENED,
    KINDS,
)
from .models import Entry, derive_incidents
from .schema import COLUMNS, ENTRIES
from .kinds import DECISIONS
from .values import (HOST, default_user, file_facts, iso_utc, need_text, norm_decision, norm_sha, norm_step_id,
                     norm_subject_kind, now_utc, redact_argv, redact_url, row_to_entry, rows_of)

RUN_KEYS = ("command", "argv", "started_at", "ended_at", "duration_s", "exit_code", "inputs", "outputs")
FACT_KEYS = {"path", "sha256", "bytes", "type", "missing", "error"}


def _facts_of(item: Path | str | Mapping[str, Any]) -> dict[str, Any]:
    """A file as a run records it: hashed here from a path, or facts the caller already has (staged files)."""
    if not isinstance(item, Mapping):
        return file_facts(item)
    unknown = set(item) - FACT_KEYS
    if "path" not in item or unknown:
        raise ValueError(f"file facts need 'path' and may hold {sorted(FACT_KEYS)}; got {sorted(item)}")
    facts: dict[str, Any] = {"path": str(item["path"]), "sha256": norm_sha(item.get("sha256"), "sha256")}
    if item.get("bytes") is not None:
        facts["bytes"] = int(item["bytes"])
    facts.update({k: item[k] for k in ("type", "missing", "error") if k in item})
    return facts


class Appending(LedgerFile):
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
        if kind not in KINDS:
            raise ValueError(f"ledger entry kind {kind!r} is not registered (ledger/kinds.py)")
        conn = self._conn()
        with self._writer_lock():
            self._begin_immediate(conn)
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
                try:
                    anchor_fd = self._anchors.before_commit(self.ledger_id, prev_seq, prev_hash, row["seq"],
                                                            row["hash"], row["at"])
                except OSError as exc:
                    raise self._error(f"cannot write the ledger's anchor log: {exc.strerror or exc}",
                                      file=self.anchor_path) from exc
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    os.close(anchor_fd)
                    raise
            except BaseException as exc:
                self._rollback(conn)  # a pending record of an entry that never committed is ignored
                if isinstance(exc, sqlite3.Error):
                    raise self._sqlite_error(f"appending a {kind} entry", exc) from exc
                raise
            try:
                self._anchors.after_commit(anchor_fd, row["seq"], row["hash"], row["at"])
            except OSError:
                pass  # the entry is committed; its pending record stands in, and the next append anchors it
        row["payload"] = payload
        return Entry(**row)

    def record_run(
        self,
        command: str,
        argv: list[str],
        started_at: datetime,
        ended_at: datetime,
        exit_code: int,
        inputs: Iterable[Path | str | Mapping[str, Any]],
        outputs: Iterable[Path | str | Mapping[str, Any]],
        case_id: str | None = None,
        who: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> Entry:
        """A Hotpass command or runbook step ran: argv (secrets redacted), times, exit code, its files.

        ``inputs``/``outputs``: paths (hashed here) or facts already taken, ``{"path", "sha256",
        "bytes"}`` (a step hashes its staged files itself). ``details`` go into the payload beside
        those keys: run_id, step, face, status, warnings, deviations, approvals, timings, error
        (kind, exit code, location) — never personal data, since exports carry the payload.
        """
        start, end = iso_utc(started_at), iso_utc(ended_at)
        duration = 0.0
        if isinstance(started_at, datetime) and isinstance(ended_at, datetime):
            try:
                duration = max(0.0, (ended_at - started_at).total_seconds())
            except TypeError:  # naive and aware mixed
                duration = 0.0
        payload: dict[str, Any] = {
            "command": command,
            "argv": redact_argv(argv),
            "started_at": start,
            "ended_at": end,
            "duration_s": round(duration, 6),
            "exit_code": int(exit_code),
            "inputs": [_facts_of(p) for p in inputs or []],
            "outputs": [_facts_of(p) for p in outputs or []],
        }
        if details:
            clash = sorted(set(details) & set(RUN_KEYS))
            if clash:
                raise ValueError(f"run details may not replace the run's own keys: {clash}")
            extra = dict(details)
            chain.canonical_json(extra)  # not JSON (a Path, NaN…): fail here, not halfway through the append
            payload.update(extra)
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
            "decision": norm_decision(decision, allowed=DECISIONS),  # a review's "split" is no approval
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
        payload = {"pair_id": pair, "decision": norm_decision(decision), "comment": comment or "",
                   "summary": summary or ""}
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

    def record_handoff(self, case_id: str, manifest_sha256: str, who: str | None = None, comment: str = "",
                       ledger_head: dict[str, Any] | None = None) -> Entry:
        """A sign-off: the bundle's manifest hash and the ledger's head (count, hash) it was built on."""
        case = need_text(case_id, "case_id")
        sha = norm_sha(manifest_sha256, "manifest_sha256")
        if sha is None:
            raise UsageError("manifest_sha256 must not be empty", key="manifest_sha256")
        payload: dict[str, Any] = {"manifest_sha256": sha, "comment": comment or ""}
        if ledger_head:
            payload["ledger_head"] = {"count": int(ledger_head["count"]), "head_hash": str(ledger_head["head_hash"])}
        return self._append(KIND_HANDOFF, case, payload, who=who, case_id=case)

    def record_incident_closed(self, ticket_id: str, comment: str = "", who: str | None = None) -> Entry:
        """Close an open incident: a new entry carrying the incident's case (the filing is never edited)."""
        ticket = need_text(ticket_id, "ticket_id")

        def prepare(conn: sqlite3.Connection) -> dict[str, Any]:
            found = [row_to_entry(r) for r in rows_of(conn.execute(
                f"SELECT * FROM {ENTRIES} WHERE kind IN (?, ?) AND subject = ? ORDER BY seq",
                (KIND_INCIDENT, KIND_INCIDENT_CLOSED, ticket)))]
            state = derive_incidents(found)
            if not state:
                raise UsageError(f"there is no incident {ticket}", hint="see: hotpass ledger incidents",
                                 key=ticket, file=str(self.path))
            if state[0].status == "closed":
                raise UsageError(f"incident {ticket} is already closed (entry #{state[0].closed_seq})",
                                 key=ticket, file=str(self.path))
            return {"case_id": state[0].case_id}

        return self._append(KIND_INCIDENT_CLOSED, ticket, {"ticket_id": ticket, "comment": comment or ""}, who=who,
                            prepare=prepare)

    def record_deviation(self, case_id: str, what: str, why: str, who: str | None = None) -> Entry:
        """An operator's deviation from the runbook (a step skipped, a warning accepted), for the hand-off."""
        case = need_text(case_id, "case_id")
        payload = {"what": need_text(what, "what"), "why": need_text(why, "why")}
        return self._append(KIND_DEVIATION, case, payload, who=who, case_id=case)

    def record_handoff_push(self, case_id: str, destination: str, manifest_sha256: str, objects: int,
                            who: str | None = None) -> Entry:
        """A hand-off bundle pushed to an evidence store (credentials in the destination are redacted)."""
        case = need_text(case_id, "case_id")
        sha = norm_sha(manifest_sha256, "manifest_sha256")
        if sha is None:
            raise UsageError("manifest_sha256 must not be empty", key="manifest_sha256")
        if isinstance(objects, bool) or not isinstance(objects, int) or objects < 0:
            raise UsageError(f"objects must be a count of objects, not {objects!r}", key="objects")
        payload = {"destination": redact_url(need_text(destination, "destination")), "manifest_sha256": sha,
                   "objects": objects}
        return self._append(KIND_HANDOFF_PUSH, case, payload, who=who, case_id=case)
