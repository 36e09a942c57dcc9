"""A DataTable that repaints when its columns widen to fit new rows.

Textual (8.2) measures rows added with `add_row` later, when the table's message queue is idle,
and widens its auto-width columns then without repainting. A frame painted in between, which
happens when the machine is busy, shows the new rows cut at the headers' widths ("NS" for
"NS-1", "ops d" for "ops desk"), and the screen keeps it until something else changes. Seen in
the Ledger pane under load, both in tmux and in snapshot tests.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


class Table(DataTable):
    def _update_dimensions(self, *args: Any, **kwargs: Any) -> None:
        widths = [column.content_width for column in self.columns.values()]
        super()._update_dimensions(*args, **kwargs)
        if [column.content_width for column in self.columns.values()] != widths:
            self._clear_caches()  # cells rendered at the old widths
            self.refresh()
