"""The Hotpass ledger (SPEC §9): an append-only, hash-chained SQLite file per workspace.

No textual, rich or hotpass_tui imports here: the pipeline and every face use this package.
"""

from .chain import GENESIS_HASH, canonical_json, sha256_file
from .export import load_anchor_file, parse_anchor_arg
from .models import DECISIONS, KINDS, SUBJECT_KINDS, Entry, NextStep, VerifyReport
from .paths import ENV_VAR, anchor_path, resolve_ledger_path
from .schema import SCHEMA_VERSION
from .store import Ledger
from .values import redact_argv

__all__ = [
    "DECISIONS",
    "ENV_VAR",
    "GENESIS_HASH",
    "KINDS",
    "SCHEMA_VERSION",
    "SUBJECT_KINDS",
    "Entry",
    "Ledger",
    "NextStep",
    "VerifyReport",
    "anchor_path",
    "canonical_json",
    "load_anchor_file",
    "parse_anchor_arg",
    "redact_argv",
    "resolve_ledger_path",
    "sha256_file",
]
