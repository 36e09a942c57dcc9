"""The Refine pane's Checks tab: every expectation of the last run with pass/fail and
blocking/warning; Enter on a failing one shows its failing values (the operator's own screen, so
values from the workbooks may appear here, and nowhere else but the operator's CSV); and where the
Data Docs, the results and the archive are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from hotpass_tui.panes.refine_report import shown_path
from hotpass_tui.widgets.table import Table

COLUMNS = ("result", "severity", "checked on", "expectation", "column", "observed")


def short_type(expectation: str) -> str:
    """`expect_column_values_to_be_unique` -> `values to be unique`: fits 80 columns."""
    return expectation.removeprefix("expect_").removeprefix("column_").replace("_", " ")


class ChecksView(Vertical):
    """Shows a ValidationReport; `show(result, workspace)` after each run."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.outcomes: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("No run yet: press r to refine; its checks are listed here.", id="checks-headline")
        yield Table(cursor_type="row", zebra_stripes=True, id="checks")
        yield Static("", id="checks-detail")

    def on_mount(self) -> None:
        self.query_one("#checks", DataTable).add_columns(*COLUMNS)

    def show(self, result: Any, workspace: Path) -> None:
        report = getattr(result, "validation", None)
        table = self.query_one("#checks", DataTable)
        table.clear()
        self.outcomes = []
        detail = self.query_one("#checks-detail", Static)
        detail.update("")
        archive = getattr(result, "archive_path", None)
        archive_line = f"\nArchive: {shown_path(archive, workspace)}" if archive else ""
        if report is None or report.skipped:
            self.query_one("#checks-headline", Static).update(Text(
                "Validation was skipped (--no-validate): no expectation was checked; the ledger records the "
                "deviation." + archive_line))
            return
        totals = report.totals()
        # Failures first, blocking before warnings: what the operator must look at is at the top.
        self.outcomes = sorted(report.outcomes, key=lambda o: (o.success, not o.blocking))
        table.add_rows([(Text(o.status, style="bold red" if not o.success else "green"), Text(o.severity),
                         Text(o.target), Text(short_type(o.expectation)), Text(o.column or "(table)"),
                         Text(o.observed)) for o in self.outcomes])
        self.query_one("#checks-headline", Static).update(Text(
            f"{totals['expectations']} expectations: {totals['passed']} passed, {totals['failed_warning']} "
            f"{'warning' if totals['failed_warning'] == 1 else 'warnings'}, {totals['failed_blocking']} blocking "
            "failed. Enter on a row shows its failing values.\n"
            f"Data Docs: {shown_path(report.docs_path, workspace)}" + archive_line))

    @on(DataTable.RowSelected, "#checks")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if not 0 <= event.cursor_row < len(self.outcomes):
            return
        outcome = self.outcomes[event.cursor_row]
        lines = [f"{outcome.target} › {outcome.column or '(table)'}: {outcome.expectation} "
                 f"({outcome.severity}) — {outcome.observed}"]
        if outcome.why:
            lines.append(f"Why it matters: {outcome.why}")
        if outcome.error:
            lines.append(f"GX could not evaluate it: {outcome.error}")
        if outcome.failing_values:
            lines.append("First failing values (row as the workbook shows it):")
            lines += [f"  row {row}: {value}" for row, value in outcome.failing_values]
        elif not outcome.success:
            lines.append("No single value fails: the check is about the column or the table as a whole.")
        else:
            lines.append("Every value passes.")
        self.query_one("#checks-detail", Static).update(Text("\n".join(lines)))  # values: not markup
