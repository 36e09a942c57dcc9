"""The ledger: an append-only, hash-chained SQLite file per workspace (SPEC §9).

``Ledger`` is built in three layers, each in its own module: the file, its connections and
migrations (connection.py), appending (append.py), and reading, verifying and exporting
(queries.py). Callers import ``Ledger`` from ``ledger``.
"""

from __future__ import annotations

from .queries import Queries


class Ledger(Queries):
    """The workspace ledger. Thread-safe (a connection per thread) and fork-safe.

    >>> led = Ledger(resolve_ledger_path(None))
    >>> led.add_next_step("Call the client about duplicates").subject
    'NS-1'
    """
