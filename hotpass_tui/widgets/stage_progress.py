"""One progress bar per refine stage, and the name of the stage that is running.

Drawn as text rather than nine ProgressBar widgets: block characters stay legible in 16 colours
and with NO_COLOR (done and remaining differ by glyph, not only by colour), and nothing animates,
so snapshots are stable.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from core.progress import ProgressEvent

BAR_WIDTH = 20
MARKERS = {"done": "✓", "running": "▶", "waiting": "·", "failed": "✗", "cancelled": "■"}


class StageProgress(Widget):
    """Feed it core ProgressEvents (on the UI thread) and the final timings."""

    def __init__(self, stages: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.stages = list(stages)
        self.reset()

    def reset(self) -> None:
        self.state = {stage: "waiting" for stage in self.stages}
        self.fraction = {stage: 0.0 for stage in self.stages}
        self.counts = {stage: "" for stage in self.stages}
        self.running = ""
        self.message = ""
        self.refresh(layout=True)

    def advance(self, event: ProgressEvent) -> None:
        if event.stage not in self.state:
            return
        for stage in self.stages[: self.stages.index(event.stage)]:
            self._finish_stage(stage)
        self.state[event.stage] = "running"
        self.fraction[event.stage] = event.fraction
        self.counts[event.stage] = f"{event.done:,}/{event.total:,}" if event.total else ""
        self.running = event.stage
        self.message = event.message
        self.refresh()

    def finish(self, timings: dict[str, float] | None = None) -> None:
        for stage in self.stages:
            self._finish_stage(stage)
            if timings and stage in timings:
                self.counts[stage] = f"{timings[stage]:.1f}s"
        self.running = ""
        self.message = ""
        self.refresh()

    def stop(self, how: str) -> None:
        """Mark the running stage failed or cancelled; the others keep what they reached."""
        if self.running:
            self.state[self.running] = how
        self.running = ""
        self.refresh()

    def _finish_stage(self, stage: str) -> None:
        self.state[stage] = "done"
        self.fraction[stage] = 1.0

    @property
    def headline(self) -> str:
        if not self.running:
            return ""
        number = self.stages.index(self.running) + 1
        detail = f" — {self.message}" if self.message else ""
        return f"Running {self.running} ({number}/{len(self.stages)}){detail}"

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.stages)

    def render(self) -> Table:
        grid = Table.grid(padding=(0, 1))
        for _ in range(4):
            grid.add_column(no_wrap=True)
        for stage in self.stages:
            state = self.state[stage]
            filled = round(self.fraction[stage] * BAR_WIDTH)
            bar = Text("█" * filled, style="bold") + Text("░" * (BAR_WIDTH - filled), style="dim")
            style = {"running": "bold", "failed": "bold red", "waiting": "dim"}.get(state, "")
            grid.add_row(Text(MARKERS[state], style=style), Text(f"{stage:<12}", style=style), bar,
                         Text(self.counts[stage], style="dim"))
        return grid
