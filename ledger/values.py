"""Values that go into ledger entries: times, the user and host, redacted arguments, file
hashes, checked subject kinds and decisions, and rows read back as entries."""

from __future__ import annotations

import getpass
import json
import os
import re
import socket
import sqlite3
import threading
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core.errors import UsageError

from . import chain
from .models import DECISIONS, SUBJECT_KINDS, Entry


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def iso_utc(value: datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.astimezone()  # naive means local time
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


_USER: tuple[int, str] | None = None


def default_user() -> str:
    """The OS user (looked up once per process: the passwd lookup costs more than the append)."""
    global _USER
    if _USER is None or _USER[0] != os.getpid():
        try:
            name = getpass.getuser()
        except Exception:  # noqa: BLE001 - no passwd entry in some containers
            name = os.environ.get("USER") or f"uid-{os.getuid()}"
        _USER = (os.getpid(), name)
    return _USER[1]


HOST = socket.gethostname()

_SECRET_OPT = re.compile(r"^--?[\w-]*(pass(word|wd|phrase)?|secret|token|api[-_]?key|credential|auth|private[-_]?key)[\w-]*$", re.I)
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^/:@\s]+):(?P<pw>[^/@\s]+)@", re.I)


def redact_argv(argv: Iterable[str]) -> list[str]:
    """argv without secrets: values of --password/--token/--api-key… and passwords in URLs."""
    out: list[str] = []
    hide_next = False
    for raw in argv:
        arg = str(raw)
        if hide_next:
            out.append("***")
            hide_next = False
            continue
        if arg.startswith("-") and "=" in arg:
            opt, _, _ = arg.partition("=")
            if _SECRET_OPT.match(opt):
                out.append(f"{opt}=***")
                continue
        elif _SECRET_OPT.match(arg):
            out.append(arg)
            hide_next = True
            continue
        out.append(redact_url(arg))
    return out


def redact_url(text: str) -> str:
    """A URL without the password in it (https://bob:***@host/)."""
    return _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)


def file_facts(path: Path | str) -> dict[str, Any]:
    p = Path(path)
    facts: dict[str, Any] = {"path": str(p.absolute())}
    try:
        if p.is_file():
            facts["sha256"] = chain.sha256_file(p)
            facts["bytes"] = p.stat().st_size
        elif p.is_dir():
            facts["sha256"] = None
            facts["type"] = "folder"
        else:
            facts["sha256"] = None
            facts["missing"] = True
    except OSError as exc:
        facts["sha256"] = None
        facts["error"] = exc.strerror or str(exc)
    return facts


def norm_subject_kind(kind: str) -> str:
    k = (kind or "").strip().lower()
    for canonical, spellings in SUBJECT_KINDS.items():
        if k in spellings:
            return canonical
    raise UsageError(
        f"unknown approval subject kind {kind!r}",
        hint="one of: " + ", ".join(SUBJECT_KINDS),
        key="subject_kind",
    )


# A review decision can also put a pair aside, withdraw the last answer, split a member out or force
# two organisations together or apart (core.resolve.review says what clustering does with each).
REVIEW_DECISIONS = (*DECISIONS, "unsure", "undo", "split", "force_together", "force_apart")


def norm_decision(decision: str, allowed: tuple[str, ...] = REVIEW_DECISIONS) -> str:
    d = (decision or "").strip().lower().replace("-", "_")
    d = {"approved": "approve", "rejected": "reject", "yes": "approve", "no": "reject"}.get(d, d)
    if d not in allowed:
        raise UsageError(f"decision must be one of {', '.join(allowed)}; not {decision!r}", key="decision")
    return d


def need_text(value: str | None, key: str) -> str:
    text = (value or "").strip()
    if not text:
        raise UsageError(f"{key} must not be empty", key=key)
    return text


def norm_sha(value: str | None, key: str) -> str | None:
    if value is None or value == "":
        return None
    v = value.strip().lower()
    if not chain.is_sha256(v):
        raise UsageError(f"{key} must be 64 hexadecimal characters (a SHA-256), not {value!r}", key=key)
    return v


def norm_step_id(step_id: str) -> str:
    s = (step_id or "").strip().upper()
    if s.isdigit():
        s = f"NS-{s}"
    if not re.fullmatch(r"NS-\d+", s):
        raise UsageError(f"next-step id should look like NS-3, not {step_id!r}", key="step_id")
    return s


def row_to_entry(row: dict[str, Any]) -> Entry:
    try:
        payload = json.loads(row["payload"])
    except (TypeError, ValueError):
        payload = {"_unreadable_payload": row["payload"]}
    return Entry(
        seq=row["seq"],
        kind=row["kind"],
        at=row["at"],
        who=row["who"],
        host=row["host"],
        case_id=row["case_id"],
        subject=row["subject"],
        payload=payload if isinstance(payload, dict) else {"value": payload},
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


def rows_of(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def write_json_atomic(path: Path, data: str, mode: int = 0o600) -> None:
    """Write a small file via a temp file in the same folder and os.replace."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ---------------------------------------------------------------------------------------------


def entries_text(count: int | None) -> str:
    """"1 entry", "3 entries": how many entries, in words an operator reads."""
    return f"{count} entry" if count == 1 else f"{count} entries"
