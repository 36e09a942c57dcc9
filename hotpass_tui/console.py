"""Rich output for the command face: the run report, tables and progress on stderr."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from rich.table import Table

from hotpass_tui.commands.base import CommandContext


@contextmanager
def progress_printer(ctx: CommandContext) -> Iterator:
    """A progress callback: JSON lines in batch mode, a transient bar on a terminal, nothing otherwise."""
    if ctx.batch:
        def emit(event) -> None:
            print(json.dumps({"event": "progress", "stage": event.stage, "done": event.done,
                              "total": event.total, "message": event.message}), flush=True)
        yield emit
        return
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description:<12}"), BarColumn(), TextColumn("{task.fields[note]}"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("starting", total=None, note="")

        def update(event) -> None:
            bar.update(task, description=event.stage, total=event.total or None, completed=event.done,
                       note=event.message[:40])
        yield update


SHOWN_PAIRS = 10  # the rest are in the summary and `hotpass review list`


def print_refine_result(ctx: CommandContext, result) -> None:
    if ctx.batch:
        print(json.dumps({"event": "result", "step": "refine", **result.summary_dict()}, default=str), flush=True)
        return
    out = ctx.console
    out.print(f"[bold]Refined[/] case [cyan]{result.case_id}[/] with profile [cyan]{result.profile}[/] "
              f"(run {result.run_id})")
    out.print(sheets_table(result.preview))
    links = result.links
    out.print(f"Rows in: [bold]{result.rows_in}[/]  →  organisations out: [bold]{result.organisations_out}[/]  "
              f"(merges {result.merges}, review pairs {len(result.review)}, pairs compared {result.pairs_compared})")
    out.print(f"Contacts linked by ID {links.by_id}, by name {links.by_name}; kept under their own organisation "
              f"name {links.own_name}; unlinked (to notices) {links.unlinked}")
    for notice in result.notices:
        reasons = ", ".join(f"{n} {why}" for why, n in notice.reasons.items())
        out.print(f"Notice [yellow]{notice.source}[/]: {notice.rows} rows ({reasons}) → {notice.path}")
    _print_invalid(ctx, result)
    for name, _ in result.preview.skipped_files:
        out.print(f"[dim]skipped file {name}: {_}[/]")
    out.print(f"[green]Wrote[/] {result.output_path}")
    if result.summary_path:
        out.print(f"Summary {result.summary_path}")
    waiting = [item for item in result.review if not item.decision]  # decided pairs stay in the queue, answered
    for item in waiting[:SHOWN_PAIRS]:
        out.print(f"  review {item.pair_id[:12]}  {item.score:.2f}  {item.explanation}", markup=False, highlight=False)
    if len(waiting) > SHOWN_PAIRS:
        out.print(f"  … and {len(waiting) - SHOWN_PAIRS} more")
    if waiting:
        noun = "pair waits" if len(waiting) == 1 else "pairs wait"
        out.print(f"{len(waiting)} {noun} for review: [bold]hotpass review list --case {result.case_id}[/]")


def sheets_table(preview) -> Table:
    table = Table(title="Files and sheets", title_justify="left", show_lines=False, expand=False)
    for column in ("file", "sheet", "status", "header", "rows", "mapped → field / why skipped"):
        table.add_column(column, overflow="fold")
    for report in preview.sheets:
        detail = ", ".join(f"{h}→{f}" for h, f in report.mapping.items()) if report.status == "used" else report.reason
        if report.status == "used" and report.unmapped:
            detail += f"  [dim](unmapped: {', '.join(report.unmapped)})[/]"
        table.add_row(report.file, report.sheet or "(csv)", report.status,
                      str(report.header_row or ""), str(report.data_rows or ""), detail)
    return table


def _print_invalid(ctx: CommandContext, result) -> None:
    if not result.invalid_values:
        return
    counts = Counter((v.field, v.reason) for v in result.invalid_values)
    ctx.console.print(f"Values not normalised: {len(result.invalid_values)} → {result.invalid_values_path}")
    for (field, reason), n in counts.most_common(8):
        ctx.console.print(f"  {n:>5}  {field}: {reason}", markup=False)
