"""Entity resolution: rows that describe one organisation become one cluster (SPEC §4 step 6).

The names below load on first use: profiles import `core.resolve.settings`, and `hotpass profiles
list` must not wait for the engine's pandas and rapidfuzz.
"""

from __future__ import annotations

import importlib

_HOMES = {"Resolution": "engine", "resolve": "engine", "ReviewPair": "review", "pair_id": "review",
          "PairEvidence": "scoring", "EvidenceWeights": "settings", "ResolutionSettings": "settings"}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'core.resolve' has no attribute {name!r}")
    return getattr(importlib.import_module(f"core.resolve.{_HOMES[name]}"), name)
