"""The anchor log: a file beside the ledger with the count and head hash after every append.

One JSON line per record, written with O_APPEND while the writer holds the writers' lock
(writelock.py), so lines are in chain order. An append is ~20 µs where rewriting a file and
os.replace costs ~400 µs on ext4 (the rename flushes the data). The history it keeps lets verify
notice a chain rewritten from any remembered point, not only at the head. It is compacted to its
header, mismatch records and last anchor when it passes COMPACT_AT bytes.

Crash order. Before COMMIT a writer appends a *pending* record (the count and hash it is about to
commit); after COMMIT the *anchor*. A writer killed in between leaves either a pending record the
database never got (it rolled back: ignored) or one the database holds (committed, not yet
anchored: verify accepts exactly that entry, and the next append writes its anchor). So a crash
never reads as tampering, while an entry appended with no record of it, or an anchor ahead of the
database, still does. A torn last line (a write cut short) is cut off by the next writer.

Lines: {"type":"header","ledger_id":…}, {"type":"pending","count":N,"head_hash":H,"at":T},
{"type":"anchor","count":N,"head_hash":H,"at":T}, {"type":"mismatch",…} (an append found the
file and the anchor disagreeing: kept for good).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from . import chain
from .chain import canonical_json

COMPACT_AT = 4 << 20
TAIL_BYTES = 2048


class AnchorLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return self.path.exists()

    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def tail_state(self) -> dict[str, Any] | None:
        """{"anchor": the newest anchor ({} if none), "pending": a pending record after it, or None}.

        None if the file is missing.
        """
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        try:
            return self._tail_of(fd)
        finally:
            os.close(fd)

    def _tail_of(self, fd: int, cut_torn: bool = False) -> dict[str, Any]:
        size = os.fstat(fd).st_size
        data = os.pread(fd, min(size, TAIL_BYTES), max(0, size - TAIL_BYTES))
        lines = data.split(b"\n")
        if cut_torn and lines[-1] and (len(lines) > 1 or size <= TAIL_BYTES):  # a write cut short
            os.ftruncate(fd, size - len(lines[-1]))
        pending = None
        for raw in reversed(lines[:-1]):
            try:
                obj = json.loads(raw)
            except ValueError:
                continue
            kind = obj.get("type") if isinstance(obj, dict) else None
            if kind == "anchor":
                return {"anchor": obj, "pending": pending}
            if kind == "pending" and pending is None:
                pending = obj
            # a mismatch or header line between them changes nothing
        if size > TAIL_BYTES:  # no anchor near the end: fall back to reading it all
            state = self.read_all()
            return {"anchor": state["anchors"][-1] if state["anchors"] else {}, "pending": state["pending"]}
        return {"anchor": {}, "pending": pending}

    def tail(self) -> dict[str, Any] | None:
        """The newest anchor line; None if the file is missing; {} if it holds no anchor."""
        state = self.tail_state()
        return None if state is None else state["anchor"]

    def before_commit(self, ledger_id: str, prev_seq: int, prev_hash: str, seq: int, head: str, at: str) -> int:
        """Under the writers' lock, before COMMIT: catch up, note a disagreement, write the pending record.

        Catching up: the previous writer committed (the file's head is its pending record) but died
        before writing the anchor; that anchor is written now, and is no mismatch. Returns the
        descriptor after_commit writes the anchor to and closes: one open per append, since nothing
        can replace the file while the lock is held. A torn last line is cut off first.
        """
        self.compact_if_large()
        try:
            fd: int = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CLOEXEC)
        except FileNotFoundError:
            fd, state = self._open(), None
        else:
            try:
                state = self._tail_of(fd, cut_torn=True)
            except BaseException:
                os.close(fd)
                raise
        records: list[dict[str, Any]] = []
        if state is None:
            records.append({"type": "header", "ledger_id": ledger_id, "created_at": at})
            if prev_seq > 0:
                records.append({"type": "mismatch", "found_at": at, "before_seq": seq, "anchor": "missing",
                                "file_count": prev_seq, "file_head": prev_hash})
        else:
            before, pending = state["anchor"], state["pending"]
            if pending and pending.get("count") == prev_seq and pending.get("head_hash") == prev_hash:
                before = {"type": "anchor", "count": prev_seq, "head_hash": prev_hash, "at": pending.get("at")}
                records.append(before)
            if before.get("count", 0) != prev_seq or before.get("head_hash", chain.GENESIS_HASH) != prev_hash:
                records.append({"type": "mismatch", "found_at": at, "before_seq": seq,
                                "anchor_count": before.get("count", 0), "anchor_head": before.get("head_hash"),
                                "file_count": prev_seq, "file_head": prev_hash})
        records.append({"type": "pending", "count": seq, "head_hash": head, "at": at})
        try:
            _write(fd, records)
        except BaseException:
            os.close(fd)
            raise
        return fd

    def after_commit(self, fd: int, seq: int, head: str, at: str) -> None:
        """After COMMIT, still under the writers' lock: the anchor of the entry just committed; closes ``fd``."""
        try:
            _write(fd, [{"type": "anchor", "count": seq, "head_hash": head, "at": at}])
        finally:
            os.close(fd)

    def append(self, records: list[dict[str, Any]]) -> None:
        fd = self._open()
        try:
            _write(fd, records)
        finally:
            os.close(fd)

    def _open(self) -> int:
        return os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)

    def read_all(self) -> dict[str, Any]:
        """{"header", "anchors" (dicts, in order), "mismatches", "pending" (a pending record after the last
        anchor, or None), "bad_lines" (1-based, not counting a torn end), "torn_end"}."""
        out: dict[str, Any] = {"header": None, "anchors": [], "mismatches": [], "pending": None, "bad_lines": []}
        with open(self.path, "rb") as fh:
            data = fh.read()
        lines = data.split(b"\n")
        torn = lines[-1]
        for n, raw in enumerate(lines[:-1], 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except ValueError:
                out["bad_lines"].append(n)
                continue
            kind = obj.get("type") if isinstance(obj, dict) else None
            if kind == "anchor":
                out["anchors"].append(obj)
                out["pending"] = None
            elif kind == "pending":
                out["pending"] = obj
            elif kind == "mismatch":
                out["mismatches"].append(obj)
            elif kind == "header" and out["header"] is None:
                out["header"] = obj
            else:
                out["bad_lines"].append(n)
        out["torn_end"] = bool(torn.strip())
        return out

    def compact_if_large(self) -> None:
        """Keep the header, mismatch records, the newest anchor and a pending record after it (under the lock)."""
        if self.size() <= COMPACT_AT:
            return
        state = self.read_all()
        keep = ([state["header"]] if state["header"] else []) + state["mismatches"] + state["anchors"][-1:]
        keep += [state["pending"]] if state["pending"] else []
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("".join(canonical_json(r) + "\n" for r in keep))
        os.replace(tmp, self.path)


def _write(fd: int, records: list[dict[str, Any]]) -> None:
    data = "".join(canonical_json(r) + "\n" for r in records).encode("utf-8")
    written = os.write(fd, data)
    while written < len(data):
        written += os.write(fd, data[written:])
