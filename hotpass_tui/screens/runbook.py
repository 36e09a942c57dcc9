"""The runbook screen: the status strip, the steps as a list, the current step's pane, the keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ContentSwitcher, OptionList
from textual.widgets.option_list import Option

from core.text import counted
from hotpass_tui.messages import LedgerChanged, LedgerState, SessionChanged
from hotpass_tui.panes.base import StepPane
from hotpass_tui.widgets.key_strip import KeyStrip
from hotpass_tui.widgets.status_strip import StatusStrip


class RunbookScreen(Screen):
    def __init__(self, panes: list[StepPane], clock: Callable[[], datetime], host: str) -> None:
        super().__init__()
        self.panes = {pane.STEP: pane for pane in panes}
        self._clock, self._host = clock, host

    def compose(self) -> ComposeResult:
        yield StatusStrip(self._clock, self._host, id="status")
        with Horizontal(id="runbook-body"):
            yield OptionList(*[Option(_nav_label(pane), id=f"nav-{pane.STEP}") for pane in self.panes.values()],
                             id="nav")
            # Only the first pane mounts now; the others mount when first shown, which keeps
            # the widgets (and the styling work) before the first frame to a minimum.
            with ContentSwitcher(initial="step-1", id="panes"):
                yield next(iter(self.panes.values()))
        yield KeyStrip(id="keys")

    def on_mount(self) -> None:
        self._update_strip()
        self.query_one("#nav", OptionList).highlighted = 0
        # Focus now, so that the first frame already shows the pane's keys in the footer.
        self.current_pane.activated()
        self.call_after_refresh(self._read_ledger_state)  # after the first frame: it imports the ledger

    @property
    def current_pane(self) -> StepPane:
        return self.panes[self.query_one(ContentSwitcher).current.removeprefix("step-")]

    async def show_step(self, step: str, focus: bool = True) -> None:
        switcher = self.query_one(ContentSwitcher)
        target = f"step-{step}"
        if not self.panes[step].is_mounted:
            await switcher.mount(self.panes[step])
        if switcher.current != target:
            switcher.current = target
            self.query_one("#nav", OptionList).highlighted = list(self.panes).index(step)
        if focus:
            self.panes[step].activated()
        self.refresh_bindings()

    @on(OptionList.OptionHighlighted, "#nav")
    async def _nav_moved(self, event: OptionList.OptionHighlighted) -> None:
        await self.show_step(event.option.id.removeprefix("nav-"), focus=False)

    @on(OptionList.OptionSelected, "#nav")
    async def _nav_chosen(self, event: OptionList.OptionSelected) -> None:
        await self.show_step(event.option.id.removeprefix("nav-"), focus=True)

    # -- what workers report -----------------------------------------------------------------
    @on(SessionChanged)
    def _session_changed(self, message: SessionChanged) -> None:
        message.stop()
        self._update_strip()
        for pane in self.panes.values():
            if pane.is_mounted:
                pane.session_changed()

    @on(LedgerChanged)
    def _ledger_changed(self, message: LedgerChanged) -> None:
        message.stop()
        if message.note:
            self.notify(message.note, markup=False)  # notes quote what the operator typed
        ledger_pane = self.panes.get("8")
        if ledger_pane is not None and ledger_pane.is_mounted and hasattr(ledger_pane, "reload"):
            ledger_pane.reload()
        self._read_ledger_state()

    @on(LedgerState)
    def _ledger_state(self, message: LedgerState) -> None:
        strip = self.query_one(StatusStrip)
        strip.ledger = (f"{counted(message.count, 'entry', 'entries')} #{message.head[:7]}" if message.count >= 0
                        else message.head)

    def _update_strip(self) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        strip = self.query_one(StatusStrip)
        strip.case_id, strip.profile = session.case_id, session.profile
        strip.last_run, strip.busy = session.last_run, session.busy

    def _read_ledger_state(self) -> None:
        service = self.app.service  # type: ignore[attr-defined]

        def read() -> None:
            try:
                count, head = service.ledger_head()
                self.post_message(LedgerState(count, head or "empty"))
            except Exception as exc:  # noqa: BLE001 - the strip says so; the Ledger pane shows the detail
                self.post_message(LedgerState(-1, f"unavailable ({type(exc).__name__})"))

        self.run_worker(read, thread=True, group="ledger-state", exclusive=True, exit_on_error=False)


def _nav_label(pane: StepPane) -> Text:
    label = Text.assemble((f"{pane.STEP} ", "bold"), pane.TITLE)
    if not pane.BUILT:
        label.append(" ○", style="dim")  # "not built yet", explained in the help screen
    return label
