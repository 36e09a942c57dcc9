"""Run history as a chart in the terminal: one bar per refine run, oldest at the top.

A bar is as long as the run's input rows (scaled to the widest run); its solid part is the
organisations that came out, its light part the rows that were merged or dropped. Mean quality
follows as a one-character level and its value. Plain block characters, so it reads the same in
16 colours, with NO_COLOR, and in `tmux capture-pane`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

LEVELS = "▁▂▃▄▅▆▇█"
STAMP = 11  # "11-25 18:32"


def quality_level(value: float) -> str:
    return LEVELS[min(len(LEVELS) - 1, max(0, round(value * (len(LEVELS) - 1))))]


def chart_text(points: Sequence, width: int) -> Text:
    """`points`: core.net.dashboard.RunPoint, oldest first."""
    if not points:
        return Text("no refine runs of this case in the ledger yet", style="dim")
    numbers = [p.rows_in or 0 for p in points]
    widest = max(numbers) or 1
    digits = max(len(f"{max(numbers):,}"), 3)
    bar_width = max(8, width - STAMP - 1 - (digits * 2 + 4) - 8)
    text = Text()
    text.append("█ organisations out  ░ rows in  q mean quality\n", style="dim")
    for index, point in enumerate(points):
        if index:
            text.append("\n")
        text.append(_stamp(point.at) + " ")
        if point.rows_in is None:
            why = "failed" if point.status not in ("ok", "0") else "numbers replaced before they were read"
            text.append(why, style="dim" if point.status in ("ok", "0") else "red")
            continue
        full = max(1, round(bar_width * point.rows_in / widest))
        solid = min(full, round(bar_width * (point.rows_out or 0) / widest))
        text.append("█" * solid, style="green")
        text.append("░" * (full - solid), style="dim green")
        text.append(" " * (bar_width - full))
        text.append(f" {point.rows_in:>{digits},}→{point.rows_out or 0:<{digits},}")
        if point.mean_quality is not None:
            text.append(f" q{quality_level(point.mean_quality)}{point.mean_quality:.2f}")
    return text


def _stamp(at: str) -> str:
    """`2026-11-25T18:32:05…` → `11-25 18:32` (UTC, as the ledger keeps it)."""
    return f"{at[5:10]} {at[11:16]}" if len(at) >= 16 else at.ljust(STAMP)


class RunChart(Static):
    """Redraws at its own width, so the bars use whatever room the pane has."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._points: list = []

    def show(self, points: Sequence) -> None:
        self._points = list(points)
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = self.size.width or 56
        self.update(chart_text(self._points, width))
