"""One review pair side by side: each field of the left and right record, and the evidence.

Differences are marked with a glyph as well as a colour, so they read in 16 colours and with
NO_COLOR too.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

DECISION_LABELS = {None: "undecided", "approve": "approved (merge)", "reject": "rejected (keep apart)",
                   "unsure": "unsure (asked again last)", "split": "split (B kept out of A's organisation)",
                   "force_together": "forced together", "force_apart": "forced apart"}
FIELD_PREFIXES = ("organization_", "contact_primary_")
# Every review key in words, in the pane: the footer at 80 columns has room for only some of them.
KEY_LINE = Text.assemble(*[part for key, what in (("a", "merge"), ("x", "keep apart"), ("m", "unsure"),
                                                    ("k", "split"), ("u", "undo"), ("n/p", "move"))
                           for part in ((key, "bold"), f" {what}  ")])


class ReviewPairView(Vertical):
    """Shows `items[index]`; the pane owns the list and the keys."""

    def compose(self) -> ComposeResult:
        yield Static("No pairs to review. Run refine (r) first.", classes="review-headline")
        # A rich Table, not a DataTable: its columns share the width and long values wrap,
        # so both records stay whole side by side at 80 columns.
        with VerticalScroll(classes="review-fields"):
            yield Static("", classes="review-table")
        yield Static("", classes="review-evidence")
        yield Static("", classes="review-keys")

    def show(self, items: list[Any], index: int) -> None:
        headline = self.query_one(".review-headline", Static)
        table = self.query_one(".review-table", Static)
        evidence = self.query_one(".review-evidence", Static)
        keys = self.query_one(".review-keys", Static)
        table.update("")
        if not items:
            headline.update("No pairs to review: refine found no borderline matches, or has not run yet (r).")
            evidence.update("")
            keys.update("")
            return
        keys.update(KEY_LINE)
        item = items[index]
        open_count = sum(1 for entry in items if entry.decision is None)
        unsure = sum(1 for entry in items if entry.decision == "unsure")
        headline.update(Text.assemble(
            (f"Pair {index + 1} of {len(items)}", "bold"),
            f" · score {item.score:.2f} · ",
            (DECISION_LABELS.get(item.decision, str(item.decision)), "bold reverse" if item.decision else "bold"),
            f" · {open_count} undecided" + (f", {unsure} unsure" if unsure else ""),
        ))
        table.update(_side_by_side(item.left, item.right))
        # The id as `hotpass review` and the ledger show it, so a pair can be found again from a terminal.
        evidence.update(Text.assemble(("Evidence", "bold"), f" (pair {item.pair_id}): ",
                                      item.explanation or "(none given)"))


def _side_by_side(left: dict[str, Any], right: dict[str, Any]) -> Table:
    table = Table(expand=True, box=None, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column(" ", width=1, no_wrap=True)
    table.add_column("field", no_wrap=True, style="italic")
    table.add_column("left", ratio=1, overflow="fold")
    table.add_column("right", ratio=1, overflow="fold")
    for name in dict.fromkeys([*left.keys(), *right.keys()]):
        left_text, right_text = _text(left.get(name)), _text(right.get(name))
        same = left_text.casefold() == right_text.casefold()
        style = "dim" if same else "bold"
        table.add_row(Text("=" if same else "≠", style=style), _label(name),
                      Text(left_text, style=style), Text(right_text, style=style))
    return table


def _label(field: str) -> str:
    """`contact_primary_phone` → `phone`: the prefixes repeat on every row and cost width."""
    for prefix in FIELD_PREFIXES:
        if field.startswith(prefix):
            field = field[len(prefix):]
    return field.replace("_", " ")


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).split())
