"""What the ledger holds, as three small tables: next steps, recent runs, approvals and decisions.

It only draws what it is given (the ledger's own Entry and NextStep, read in a worker); the pane
reads and writes the ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from hotpass_tui.widgets.table import Table

if TYPE_CHECKING:
    from hotpass_tui.service import LedgerSnapshot
    from ledger.models import Entry, NextStep


class LedgerView(Vertical):
    def compose(self) -> ComposeResult:
        yield Static("Next steps", classes="section-title")
        yield Table(cursor_type="row", zebra_stripes=True, id="ledger-next-steps")
        yield Static("Recent runs", classes="section-title")
        yield Table(cursor_type="row", zebra_stripes=True, id="ledger-runs")
        yield Static("Approvals and review decisions", classes="section-title")
        yield Table(cursor_type="row", zebra_stripes=True, id="ledger-approvals")

    def on_mount(self) -> None:
        self.query_one("#ledger-next-steps", DataTable).add_columns("id", "status", "next step", "owner", "due")
        self.query_one("#ledger-runs", DataTable).add_columns("#", "when", "exit", "case", "command")
        self.query_one("#ledger-approvals", DataTable).add_columns("#", "when", "who", "case", "what")

    def show(self, snapshot: "LedgerSnapshot") -> None:
        steps = self.query_one("#ledger-next-steps", DataTable)
        steps.clear()
        self._steps = {step.id: step for step in snapshot.next_steps}
        # Open steps first: they are the ones an operator acts on.
        for step in sorted(snapshot.next_steps, key=lambda step: step.status != "open"):
            cells = (step.id, step.status, _short(step.text, 40), step.owner or "", step.due or "")
            steps.add_row(*plain(cells), key=step.id)
        self._fill("#ledger-runs", [_run_row(entry) for entry in snapshot.runs])
        self._fill("#ledger-approvals", [_approval_row(entry) for entry in snapshot.decisions])

    def selected_step(self) -> "NextStep | None":
        """The next step under the cursor."""
        table = self.query_one("#ledger-next-steps", DataTable)
        if not table.row_count:
            return None
        step_id = str(table.get_row_at(table.cursor_row)[0])
        return getattr(self, "_steps", {}).get(step_id)

    def _fill(self, selector: str, rows: list[tuple[str, ...]]) -> None:
        table = self.query_one(selector, DataTable)
        table.clear()
        table.add_rows([plain(row) for row in rows])


def plain(cells: tuple[str, ...]) -> tuple[Text, ...]:
    """DataTable reads a str cell as markup; what the ledger holds was typed by people."""
    return tuple(Text(cell) for cell in cells)


def _when(entry: "Entry") -> str:
    return entry.at[:16].replace("T", " ")


def _run_row(entry: "Entry") -> tuple[str, ...]:
    payload = entry.payload
    if payload.get("step"):  # runs of the step path: which step, from which face (the argv is in `ledger log`)
        command = f"{payload['step']} · {payload.get('face', '')} · {payload.get('status', '')}"
    else:
        argv = payload.get("argv")
        command = " ".join(argv) if isinstance(argv, list) else payload.get("command") or entry.subject
    return (str(entry.seq), _when(entry), str(payload.get("exit_code", "")), entry.case_id or "", _short(command, 60))


def _approval_row(entry: "Entry") -> tuple[str, ...]:
    # The ledger words its own entries best; a review decision reads better by the names it joined.
    payload = entry.payload
    what = entry.summary()
    if entry.kind == "review_decision" and payload.get("summary"):
        what = f"{payload.get('decision')} {payload['summary']} (pair {payload.get('pair_id')})"
    return (str(entry.seq), _when(entry), entry.who or "", entry.case_id or "", _short(what, 70))


def _short(value: Any, width: int) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"
