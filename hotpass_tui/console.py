"""Rich output for the command face: the run report, tables and progress on stderr."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from rich.markup import escape

from core.text import counted
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


def print_refine_result(ctx: CommandContext, result, verbose: bool = False) -> None:
    out = ctx.console
    out.print(f"[bold]Refined[/] case [cyan]{escape(result.case_id)}[/] with profile [cyan]{escape(result.profile)}[/] "
              f"(run {result.run_id})")
    print_sheets(ctx, result.preview, verbose)
    links = result.links
    waiting = [item for item in result.review if not item.decision]  # decided pairs stay in the queue, answered
    decided = f", {len(result.review) - len(waiting)} decided" if len(waiting) < len(result.review) else ""
    out.print(f"Rows in: [bold]{result.rows_in}[/]  →  organisations out: [bold]{result.organisations_out}[/]  "
              f"(merges {result.merges}, review pairs {len(waiting)} waiting{decided}, "
              f"pairs compared {result.pairs_compared})")
    out.print(f"Contacts linked by ID {links.by_id}, by name {links.by_name}; kept under their own organisation "
              f"name {links.own_name}; unlinked (to notices) {links.unlinked}")
    for notice in result.notices:
        reasons = ", ".join(f"{n} {why}" for why, n in notice.reasons.items())
        out.print(f"Notice {notice.source}: {notice.rows} rows ({reasons}) → {notice.path}", markup=False)
    _print_invalid(ctx, result)
    out.print(f"[green]Wrote[/] {escape(str(result.output_path))}")
    if result.summary_path:
        out.print(f"Summary {result.summary_path}", markup=False)
    for item in waiting[:SHOWN_PAIRS]:
        out.print(f"  review {item.pair_id[:12]}  {item.score:.2f}  {item.explanation}", markup=False, highlight=False)
    if len(waiting) > SHOWN_PAIRS:
        out.print(f"  … and {len(waiting) - SHOWN_PAIRS} more")
    if waiting:
        out.print(f"{counted(len(waiting), 'pair waits', 'pairs wait')} for review: [bold]hotpass review list --case {escape(result.case_id)}[/]")


def print_preview(ctx: CommandContext, preview, verbose: bool = False) -> None:
    ctx.console.print(f"[bold]Preview[/] of {escape(str(preview.input_dir))} with profile {escape(preview.profile)}")
    print_sheets(ctx, preview, verbose)


def print_sheets(ctx: CommandContext, preview, verbose: bool) -> None:
    """One line per sheet, which fits 80 columns; each sheet's mapping only with --verbose.

    The mapping squeezed into a table column broke every header across lines ("organizatio" /
    "n_name"); the summary file and --verbose give it a line per column instead.
    """
    out = ctx.console
    out.print("[bold]Files and sheets[/]")
    for report in preview.sheets:
        where = f"{report.file} › {report.sheet}" if report.sheet else f"{report.file} (csv)"
        if report.status == "used":
            facts = f"used, header row {report.header_row}, {report.data_rows} rows, {len(report.mapping)} columns mapped"
        else:
            facts = f"skipped: {report.reason}"
        out.print(f"  {where}: {facts}", markup=False, highlight=False)
        if verbose and report.status == "used":
            for header, field in report.mapping.items():
                out.print(f"      {header} → {field}", markup=False, highlight=False)
            if report.unmapped:
                out.print(f"      not mapped: {', '.join(report.unmapped)}", markup=False, highlight=False)
    for name, reason in preview.skipped_files:
        out.print(f"  {name}: {reason}", markup=False, highlight=False)


def _print_invalid(ctx: CommandContext, result) -> None:
    if not result.invalid_values:
        return
    counts = Counter((v.field, v.reason) for v in result.invalid_values)
    ctx.console.print(f"Values not normalised: {len(result.invalid_values)} → {result.invalid_values_path}")
    for (field, reason), n in counts.most_common(8):
        ctx.console.print(f"  {n:>5}  {field}: {reason}", markup=False)
