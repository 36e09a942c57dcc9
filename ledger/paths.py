"""Where the ledger and its anchor files live.

Beside ``ledger.db`` (all 0600): ``-wal`` and ``-shm`` (SQLite's), ``.anchors.jsonl`` (count and
head hash after every append), ``.anchors.lock`` (the writers' lock, empty), ``.exports.jsonl``
(the anchor each export carried).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "HOTPASS_LEDGER"
DEFAULT_RELATIVE = Path(".hotpass") / "ledger.db"


def resolve_ledger_path(explicit: Path | str | None, cwd: Path | None = None) -> Path:
    """`--ledger PATH`, then `$HOTPASS_LEDGER`, then `./.hotpass/ledger.db`; absolute, `~` expanded.

    Relative paths are taken from ``cwd`` (default: the current folder). Nothing is created here.
    """
    base = Path(cwd) if cwd is not None else Path.cwd()
    if explicit is not None and str(explicit) != "":
        chosen = Path(explicit)
    elif os.environ.get(ENV_VAR, "").strip():
        chosen = Path(os.environ[ENV_VAR].strip())
    else:
        chosen = DEFAULT_RELATIVE
    chosen = chosen.expanduser()
    if not chosen.is_absolute():
        chosen = base / chosen
    return Path(os.path.abspath(chosen))


def anchor_path(db_path: Path) -> Path:
    """The anchor log beside the ledger: count and head hash after every append (see anchorlog.py)."""
    return db_path.with_name(db_path.name + ".anchors.jsonl")


def export_anchors_path(db_path: Path) -> Path:
    """One JSON line per export: the count and head hash the export carried."""
    return db_path.with_name(db_path.name + ".exports.jsonl")


def anchor_lock_path(db_path: Path) -> Path:
    """The file every writer flocks before its transaction, so anchors follow commits in order.

    A file of its own because the anchor log is compacted by rename, and a flock belongs to an inode.
    """
    return db_path.with_name(db_path.name + ".anchors.lock")
