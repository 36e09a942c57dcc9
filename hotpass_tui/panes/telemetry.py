"""Step 5, Telemetry: the tunnels (up, down, live state) and the case's dashboard.

Tunnels are read every few seconds in a worker (state files and one HTTP probe per forward); the
dashboard (ledger, workbooks, lineage, Prefect through the tunnel) after each tunnel read that
changed something, and on `g`. Up and down are runs of the telemetry step (recorded in the
ledger); a tunnel opened here runs in its own background process, so it outlives the UI.
"""

from __future__ import annotations

import threading
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from hotpass_tui.messages import JobFailed, LedgerChanged
from hotpass_tui.panes.base import StepPane
from hotpass_tui.panes.telemetry_view import (coverage_text, lineage_text, marquez_text, prefect_text,
                                              provenance_text, quality_text, tunnel_detail, tunnel_row)
from hotpass_tui.panes.tunnel_form import NewTunnel, TunnelModal
from hotpass_tui.widgets.run_chart import RunChart
from hotpass_tui.widgets.table import Table

REFRESH_S = 5.0


class TunnelsRead(Message):
    def __init__(self, tunnels: list[Any]) -> None:  # core.net.manager.TunnelStatus
        super().__init__()
        self.tunnels = tunnels


class DashboardRead(Message):
    def __init__(self, board: Any) -> None:  # core.net.dashboard.Dashboard
        super().__init__()
        self.board = board


class TunnelChanged(Message):
    def __init__(self, result: Any) -> None:  # StepResult[NetResult]
        super().__init__()
        self.result = result


class TelemetryPane(StepPane):
    STEP = "5"
    TITLE = "Telemetry"
    SUMMARY = "tunnels to Prefect and Marquez, the dashboard"
    DEFAULT_FOCUS = "#tunnel-table"
    BINDINGS = [
        Binding("u", "up", "Up"),
        Binding("d", "down", "Down"),
        Binding("n", "new", "New tunnel", priority=True),
        Binding("t", "trust", "Trust new host key", show=False),
        Binding("right_square_bracket", "scroll_board(1)", "Scroll dashboard down", key_display="]"),
        Binding("left_square_bracket", "scroll_board(-1)", "Scroll dashboard up", key_display="[", show=False),
        Binding("g", "reload", "Reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tunnels: list[Any] = []
        self.board: Any = None
        self.refused: Any = None  # the spec whose unknown host key the operator may now trust (t)
        self._cancel = threading.Event()
        self._seen: tuple = ()
        self._pending: Any = None  # the spec of the tunnel being opened
        self._reading = False  # a tunnels read is on its way
        self._board_reading = self._board_again = False

    def compose_body(self) -> ComposeResult:
        table = Table(id="tunnel-table", cursor_type="row", zebra_stripes=False)
        table.add_columns("tunnel", "state", "prefect", "marquez")
        yield table
        yield Static("Reading tunnels…", id="tunnel-detail", markup=False)
        with VerticalScroll(id="telemetry-board"):
            for part, title in (("quality", "Quality gates"), ("coverage", "Enrichment coverage"),
                                ("provenance", "Provenance"), ("history", "Run history"),
                                ("lineage", "Lineage (latest run)"), ("prefect", "Prefect flow runs"),
                                ("marquez", "")):
                if title:
                    yield Static(title, classes="section-title")
                if part == "history":
                    yield RunChart(id="board-history")
                else:
                    yield Static("reading…", id=f"board-{part}", markup=False)

    def on_mount(self) -> None:
        self.read_tunnels()
        self.set_interval(REFRESH_S, self._tick)

    def activated(self) -> None:
        super().activated()
        self.read_tunnels()

    def stop_work(self) -> None:
        self._cancel.set()

    def _tick(self) -> None:
        if self.display and self.screen.is_current:  # shown, and no modal over it
            self.read_tunnels()

    # -- reads ---------------------------------------------------------------------------------
    def read_tunnels(self) -> None:
        if self._reading:
            return  # the read on its way shows the same; a second would cancel it (exclusive workers)
        service = self.service
        self._reading = True
        self._read("tunnels", service.tunnels, TunnelsRead)

    def read_board(self) -> None:
        if self._board_reading:
            self._board_again = True  # read once more when this one lands: the case or tunnels changed
            return
        self._board_reading, self._board_again = True, False
        service, case_id, tunnels = self.service, self.session.case_id, list(self.tunnels)
        self._read("dashboard", lambda: service.telemetry(case_id, tunnels), DashboardRead)

    def _read(self, job: str, call, done) -> None:
        """Never exclusive: the flags above keep one read of each kind at a time."""
        self.run_job(job, call, done, exclusive=False)

    def action_scroll_board(self, direction: int) -> None:
        board = self.query_one("#telemetry-board", VerticalScroll)
        board.scroll_to(y=board.scroll_y + direction * max(1, board.size.height - 1), animate=False)

    def action_reload(self) -> None:
        self._seen = ()
        self.read_tunnels()

    def session_changed(self) -> None:
        self.read_board()

    @on(TunnelsRead)
    def _tunnels_read(self, message: TunnelsRead) -> None:
        message.stop()
        self._reading = False
        self.tunnels = message.tunnels
        table = self.query_one("#tunnel-table", Table)
        row = table.cursor_row
        table.clear()
        for status in self.tunnels:
            table.add_row(*tunnel_row(status), key=status.state.label)
        if self.tunnels:
            table.move_cursor(row=min(max(row, 0), len(self.tunnels) - 1))
        self._show_detail()
        seen = tuple((s.state.label, s.words, tuple(sorted(s.state.ports.items()))) for s in self.tunnels)
        if seen != self._seen or self.board is None:
            self._seen = seen
            self.read_board()

    @on(Table.RowHighlighted, "#tunnel-table")
    def _moved(self, _event) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        self.query_one("#tunnel-detail", Static).update(tunnel_detail(self.selected()))

    @on(DashboardRead)
    def _board_read(self, message: DashboardRead) -> None:
        message.stop()
        self._board_reading = False
        if self._board_again:
            self.read_board()
        board = self.board = message.board
        parts = {
            "quality": quality_text(board.quality),
            "coverage": coverage_text(board.coverage),
            "provenance": provenance_text(board.provenance, board.coverage is not None),
            "lineage": lineage_text(board.lineage_run, board.lineage),
            "prefect": prefect_text(board.flow_runs, board.prefect_note),
            "marquez": marquez_text(board.marquez_url) + "".join(f"\n{note}" for note in board.notes),
        }
        for part, text in parts.items():
            self.query_one(f"#board-{part}", Static).update(text)
        self.query_one("#board-history", RunChart).show(board.history)

    def selected(self) -> Any:
        if not self.tunnels:
            return None
        row = self.query_one("#tunnel-table", Table).cursor_row
        return self.tunnels[min(max(row, 0), len(self.tunnels) - 1)]

    # -- up and down ---------------------------------------------------------------------------
    def action_up(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.action_new()
            return
        if chosen.alive:
            self.notify(f"Tunnel {chosen.state.label} is already up.", severity="warning")
            return
        self._up(chosen.state.spec)

    def action_new(self) -> None:
        self.app.push_screen(TunnelModal(), self._new)

    def _new(self, answer: NewTunnel | None) -> None:
        if answer is None:
            return
        from core.errors import HotpassError
        from core.net.spec import build_spec

        try:
            spec = build_spec("ssh-bastion", answer.host, ssh_port=answer.ssh_port, user=answer.user,
                              identity=answer.identity, label=answer.label)
        except HotpassError as exc:
            self.notify(exc.one_line(), severity="error", markup=False)
            return
        self._up(spec)

    def action_trust(self) -> None:
        if self.refused is None:
            self.notify("No refused host key to trust: t follows a refusal of an unknown key.", severity="warning")
            return
        from dataclasses import replace

        spec, self.refused = replace(self.refused, trust_new_host_key=True), None
        self._up(spec)

    def _up(self, spec: Any) -> None:
        from core.runbook.steps.telemetry import NetOptions

        self._pending = spec
        self.notify(f"Opening tunnel {spec.label} through {spec.where}…", markup=False)
        self.run_step_job("telemetry", self._cancel, TunnelChanged, NetOptions("up", spec, detach=True, launch="spawn"))

    def action_down(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen.alive:
            self.notify("No tunnel up to bring down here.", severity="warning")
            return
        from core.runbook.steps.telemetry import NetOptions

        self.run_step_job("telemetry", self._cancel, TunnelChanged, NetOptions("down", label=chosen.state.label))

    @on(TunnelChanged)
    def _changed(self, message: TunnelChanged) -> None:
        message.stop()
        payload = message.result.payload
        for state in payload.tunnels:
            if payload.action == "up":
                ports = ", ".join(f"{n} 127.0.0.1:{p}" for n, _r, p in state.forwards)
                self.notify(f"Tunnel {state.label} up: {ports}", markup=False)
            else:
                self.notify(f"Tunnel {state.label} closed.", markup=False)
        self.notify_warnings(message.result)
        self.post_message(LedgerChanged())
        self.read_tunnels()

    @on(JobFailed)
    def _failed(self, message: JobFailed) -> None:
        """An unknown host key: remember the spec so that `t` can trust it (the modal shows the fingerprint)."""
        if message.job == "tunnels":
            self._reading = False
        if message.job == "dashboard":
            self._board_reading = False
        if message.job == "telemetry" and self._pending is not None and "is not known" in message.failure.text:
            self.refused = self._pending
            self.notify("Check the fingerprint with the bastion's owner; t trusts it and retries.",
                        severity="warning", timeout=10)
