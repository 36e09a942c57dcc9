"""What the ledger holds, as three small tables: next steps, recent runs, approvals and decisions.

It only draws what it is given (dicts read in a worker); the pane reads and writes the ledger.
"""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from hotpass_tui.widgets.table import Table


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

    def show(self, next_steps: list[dict], runs: list[dict], approvals: list[dict]) -> None:
        steps = self.query_one("#ledger-next-steps", DataTable)
        steps.clear()
        # Open steps first: they are the ones an operator acts on.
        for step in sorted(next_steps, key=lambda step: step.get("status") != "open"):
            step_id = step.get("id", step.get("step_id", step.get("seq", "")))
            cells = (str(step_id), str(step.get("status", "")), _short(step.get("text", ""), 40),
                     str(step.get("owner") or ""), str(step.get("due") or ""))
            steps.add_row(*plain(cells), key=str(step_id))
        self._fill("#ledger-runs", [_run_row(entry) for entry in runs])
        self._fill("#ledger-approvals", [_approval_row(entry) for entry in approvals])

    def selected_step(self) -> dict | None:
        """The next step under the cursor, as its table row (id first)."""
        table = self.query_one("#ledger-next-steps", DataTable)
        if not table.row_count:
            return None
        row = table.get_row_at(table.cursor_row)
        return {"id": str(row[0]), "status": str(row[1]), "text": str(row[2])}

    def _fill(self, selector: str, rows: list[tuple[str, ...]]) -> None:
        table = self.query_one(selector, DataTable)
        table.clear()
        table.add_rows([plain(row) for row in rows])


def plain(cells: tuple[str, ...]) -> tuple[Text, ...]:
    """DataTable reads a str cell as markup; what the ledger holds was typed by people."""
    return tuple(Text(cell) for cell in cells)


def _payload(entry: dict) -> dict:
    payload = entry.get("payload") or {}
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError:
            return {}
    return payload if isinstance(payload, dict) else {}


def _when(entry: dict) -> str:
    return str(entry.get("at", ""))[:16].replace("T", " ")


def _run_row(entry: dict) -> tuple[str, ...]:
    payload = _payload(entry)
    argv = payload.get("argv")
    command = " ".join(argv) if isinstance(argv, list) else payload.get("command") or entry.get("subject", "")
    return (str(entry.get("seq", "")), _when(entry), str(payload.get("exit_code", "")),
            str(entry.get("case_id") or ""), _short(command, 60))


def _approval_row(entry: dict) -> tuple[str, ...]:
    payload = _payload(entry)
    what = entry.get("summary") or f"{payload.get('decision', '')} {entry.get('subject', '')}"
    if payload.get("summary"):
        what = f"{what} ({payload['summary']})"
    return (str(entry.get("seq", "")), _when(entry), str(entry.get("who") or ""),
            str(entry.get("case_id") or ""), _short(what, 70))


def _short(value: Any, width: int) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"
