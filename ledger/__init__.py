"""The Hotpass ledger (SPEC §9): an append-only, hash-chained SQLite file per workspace.

No textual, rich or hotpass_tui imports here: the pipeline and every face use this package.
Names load on first use, so `hotpass --help` can read the entry kinds (ledger.kinds) without
loading the store.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    "GENESIS_HASH": "chain", "canonical_json": "chain", "sha256_file": "chain",
    "load_anchor_file": "export", "parse_anchor_arg": "export",
    "DECISIONS": "kinds", "KINDS": "kinds", "SUBJECT_KINDS": "kinds", "EntryKind": "kinds",
    "ExportSection": "kinds", "register": "kinds", "register_subject_kind": "kinds",
    "Deviation": "models", "Entry": "models", "Incident": "models", "NextStep": "models", "VerifyReport": "models",
    "ENV_VAR": "paths", "anchor_path": "paths", "resolve_ledger_path": "paths",
    "SCHEMA_VERSION": "schema",
    "Ledger": "store",
    "redact_argv": "values",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'ledger' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


if TYPE_CHECKING:
    from .chain import GENESIS_HASH, canonical_json, sha256_file
    from .export import load_anchor_file, parse_anchor_arg
    from .kinds import DECISIONS, KINDS, SUBJECT_KINDS, EntryKind, ExportSection, register, register_subject_kind
    from .models import Deviation, Entry, Incident, NextStep, VerifyReport
    from .paths import ENV_VAR, anchor_path, resolve_ledger_path
    from .schema import SCHEMA_VERSION
    from .store import Ledger
    from .values import redact_argv
