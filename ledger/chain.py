"""Canonical JSON and the SHA-256 hash chain.

An entry's hash is ``sha256(prev_hash + canonical_json(record))`` where ``record`` holds every
stored column except the hashes themselves (the sequence number included, so a renumbered entry
no longer matches). Canonical JSON: keys sorted, no whitespace, UTF-8, no NaN.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of entry #1."""

HASHED_FIELDS = ("seq", "kind", "at", "who", "host", "case_id", "subject", "payload")


def canonical_json(obj: Any) -> str:
    """One fixed text for one value: sorted keys, compact separators, no NaN/Infinity."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def record_of(row: dict[str, Any], payload: Any) -> dict[str, Any]:
    """The hashed part of an entry: its columns, with the payload as a JSON value."""
    return {
        "seq": row["seq"],
        "kind": row["kind"],
        "at": row["at"],
        "who": row["who"],
        "host": row["host"],
        "case_id": row["case_id"],
        "subject": row["subject"],
        "payload": payload,
    }


def entry_hash(prev_hash: str, record: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(record)).encode("utf-8")).hexdigest()


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Stream a file through SHA-256 (large workbooks never sit in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            block = fh.read(chunk)
            if not block:
                break
            digest.update(block)
    return digest.hexdigest()


def is_sha256(text: str | None) -> bool:
    return bool(text) and len(text) == 64 and all(c in "0123456789abcdef" for c in text)
