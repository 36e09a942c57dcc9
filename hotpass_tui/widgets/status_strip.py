"""The one-line strip at the top: case, profile, last run, ledger state, host and time.

The clock and the host are injected so that snapshot tests can freeze them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

Clock = Callable[[], datetime]


class StatusStrip(Widget):
    case_id: reactive[str] = reactive("")
    profile: reactive[str] = reactive("")
    last_run: reactive[str] = reactive("none yet")
    ledger: reactive[str] = reactive("opening…")
    busy: reactive[str] = reactive("")

    def __init__(self, clock: Clock, host: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._clock = clock
        self._host = host

    def on_mount(self) -> None:
        # Minutes are all the strip shows; a 30 s tick keeps it right without busy redraws.
        self.set_interval(30, self.refresh)

    def render(self) -> Text:
        parts = self._parts(brand=True)
        if _width(parts) > self.size.width:  # narrow (80 columns): the name of the app goes first
            parts = self._parts(brand=False)
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, (label, style) in enumerate(parts):
            if index:
                text.append(SEPARATOR, style="dim")
            text.append(label, style=style)
        right = f"{self._host} {self._clock():%H:%M}"
        room = self.size.width - text.cell_len - len(right) - 1
        if room > 0:
            text.append(" " * room)
            text.append(right, style="dim")
        return text

    def _parts(self, brand: bool) -> list[tuple[str, str]]:
        parts = [("Hotpass", "bold")] if brand else []
        if self.busy:  # early, so that a narrow terminal still shows it
            parts.append((self.busy, "bold reverse"))
        return parts + [
            (f"case {self.case_id}", ""),
            (f"profile {self.profile}", ""),
            (f"run {self.last_run}", ""),
            (f"ledger {self.ledger}", ""),
        ]


SEPARATOR = " │ "


def _width(parts: list[tuple[str, str]]) -> int:
    return sum(Text(label).cell_len for label, _ in parts) + len(SEPARATOR) * (len(parts) - 1)
