"""The one-line strip at the top: case, profile, last run, ledger state, host and time.

At 80 columns it cannot hold everything with its labels, so it gives up detail in a fixed order
(the app's name, the ledger's head hash, the run's counts, the labels, then whole parts from the
least important) and never cuts a word: each part is shown in one of its own shorter forms or not
at all. The clock and the host are injected so that snapshot tests can freeze them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

Clock = Callable[[], datetime]
SEPARATOR = " │ "


@dataclass(frozen=True)
class StripState:
    case_id: str
    profile: str
    last_run: str
    ledger: str  # "12 entries #abc1234", or why it cannot be read
    busy: str = ""


def run_forms(last_run: str) -> list[str]:
    """'09:30 ok, 500 orgs' → itself, then '09:30 ok': the outcome before the counts."""
    forms = [last_run]
    if ", " in last_run:
        forms.append(last_run.split(", ", 1)[0])
    return forms


def ledger_forms(ledger: str) -> list[str]:
    """'12 entries #abc1234' → itself, '12 entries', '12': the count outlives the head hash."""
    forms = [ledger]
    count = ledger.split(" #", 1)[0]
    if count != ledger:
        forms.append(count)
    words = count.split()
    if len(words) == 2 and words[0].replace(",", "").isdigit():
        forms.append(words[0])
    return forms


def strip_parts(state: StripState, width: int) -> list[tuple[str, str]]:
    """The strip's parts (text, style) at `width` columns, most detail that fits first."""
    runs, ledgers = run_forms(state.last_run), ledger_forms(state.ledger)
    # Each level gives up one more thing; the last ones drop a whole part, least important first.
    levels = [(True, True, 0, 0), (False, True, 0, 0), (False, True, 0, 1), (False, True, 0, 2),
              (False, True, 1, 2), (False, False, 1, 2)]
    candidates = [_parts(state, brand, labels, runs[min(r, len(runs) - 1)], ledgers[min(l, len(ledgers) - 1)])
                  for brand, labels, r, l in levels]
    last = candidates[-1]
    for keep in (3, 2, 1):  # without the ledger, then the run, then the profile; never the case
        candidates.append(last[: len(last) - 4 + keep])
    for parts in candidates:
        if parts_width(parts) <= width:
            return parts
    return candidates[-1]  # a case id wider than the terminal: the Text's ellipsis is the last resort


def _parts(state: StripState, brand: bool, labels: bool, run: str, ledger: str) -> list[tuple[str, str]]:
    parts = [("Hotpass", "bold")] if brand else []
    if state.busy:  # early, so that a narrow terminal still shows it
        parts.append((state.busy, "bold reverse"))
    case, profile = (f"case {state.case_id}", f"profile {state.profile}") if labels else (state.case_id, state.profile)
    return parts + [(case, ""), (profile, ""), (f"run {run}", ""), (f"ledger {ledger}", "")]


def parts_width(parts: list[tuple[str, str]]) -> int:
    return sum(Text(label).cell_len for label, _ in parts) + len(SEPARATOR) * (len(parts) - 1)


def strip_text(state: StripState, width: int, right: str) -> Text:
    """The whole line: the parts that fit, and `right` (host and time) where there is room for it."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for index, (label, style) in enumerate(strip_parts(state, width)):
        if index:
            text.append(SEPARATOR, style="dim")
        text.append(label, style=style)
    room = width - text.cell_len - len(right) - 1  # the last column stays empty
    if room >= 2:  # two spaces from the parts at least
        text.append(" " * room)
        text.append(right, style="dim")
    return text


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

    @property
    def state(self) -> StripState:
        return StripState(self.case_id, self.profile, self.last_run, self.ledger, self.busy)

    def render(self) -> Text:
        return strip_text(self.state, self.size.width, f"{self._host} {self._clock():%H:%M}")
