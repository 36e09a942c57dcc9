"""Words for the operator: counts with their nouns (the faces' one plural helper).

The ledger keeps its own `entries_text`, since it imports nothing from core but its errors.
"""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`counted(1, "file")` → "1 file"; `counted(3, "entry", "entries")` → "3 entries"."""
    word = noun if n == 1 else (plural or f"{noun}s")
    return f"{n:,} {word}"
