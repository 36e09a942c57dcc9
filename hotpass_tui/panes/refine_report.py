"""The refine run report as text, and the notices as table rows: what RefineResult says, laid out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text


def shown_path(path: Path | str | None, workspace: Path) -> str:
    """Paths under the workspace as the operator types them (dist/…); others in full."""
    if path is None:
        return ""
    try:
        return str(Path(path).relative_to(workspace))
    except ValueError:
        return str(path)


def report_text(result: Any, workspace: Path) -> Group:
    """The human summary of one run; every number comes straight from the RefineResult."""
    links = result.links
    decided = sum(1 for item in result.review if item.decision)
    skipped = [sheet for sheet in result.preview.sheets if sheet.status != "used"]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    rows = [
        ("Run", f"{result.run_id} · profile {result.profile}"),
        ("Rows", f"{result.rows_in:,} in → {result.organisations_out:,} organisations"),
        ("Merges", f"{result.merges:,} ({result.pairs_compared:,} pairs compared)"),
        ("Contacts", f"linked by id {links.by_id:,}, by name {links.by_name:,}, "
                     f"kept under own name {links.own_name:,}, unlinked {links.unlinked:,}"),
        ("Review", f"{len(result.review):,} pairs, {decided:,} decided (v)"),
        ("Notices", f"{sum(n.rows for n in result.notices):,} rows in {len(result.notices)} "
                    f"{'file' if len(result.notices) == 1 else 'files'} (c)"),
        ("Invalid", f"{len(result.invalid_values):,} values"),
        ("Skipped", f"{len(skipped)} sheets (see 1 Prepare)"),
        ("Output", shown_path(result.output_path, workspace)),
    ]
    if result.report_path:
        rows.append(("Report", shown_path(result.report_path, workspace)))
    for label, value in rows:
        grid.add_row(label, Text(value))  # paths and names as they are: a str cell is read as markup
    parts: list[Any] = [grid]
    if result.merge_explanations:
        parts.append(Text("Why rows merged (first 5):", style="bold"))
        parts.extend(Text(f"  • {line}") for line in result.merge_explanations[:5])
    return Group(*parts)


def notice_rows(result: Any, workspace: Path) -> list[tuple[str, str, str, str]]:
    rows = []
    for notice in result.notices:
        reasons = ", ".join(f"{reason} ×{count}" for reason, count in notice.reasons.items())
        rows.append((notice.source, f"{notice.rows:,}", reasons, shown_path(notice.path, workspace)))
    return rows
