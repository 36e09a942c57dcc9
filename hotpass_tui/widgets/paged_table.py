"""A DataFrame shown one page at a time, with a search that runs in a worker.

A DataTable with 100,000 rows builds 100,000 row objects and stalls the UI; a page of 200 costs
a few milliseconds, whatever the size of the frame. The search is one vectorised `str.contains`
per column in a thread, so typing never waits for it.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from hotpass_tui.messages import SearchDone
from hotpass_tui.widgets.table import Table

CELL_WIDTH = 40
SEARCH_DELAY = 0.25  # seconds of quiet typing before a search starts


class PagedTable(Vertical):
    BINDINGS = [
        Binding("/", "search", "Search"),
        Binding("right_square_bracket", "page(1)", "Next page", key_display="]"),
        Binding("left_square_bracket", "page(-1)", "Prev page", key_display="["),
    ]

    def __init__(self, columns: list[str], search_columns: list[str], page_size: int = 200, **kwargs) -> None:
        super().__init__(**kwargs)
        self.columns = columns
        self.search_columns = search_columns
        self.page_size = page_size
        self.frame: Any = None
        self.positions: Any = None  # row positions that match the search; None: all rows
        self.query_text = ""
        self.page = 0
        self._search_timer = None
        self._searchable: Any = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ to search names, places, contacts", classes="table-search")
        yield Table(cursor_type="row", zebra_stripes=True, classes="table-page")
        yield Static("no rows yet", classes="table-info")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*self.columns)

    # -- data --------------------------------------------------------------------------------
    def load(self, frame: Any) -> None:
        self.frame = frame
        self._searchable = None  # the search columns as arrow strings, made by the first search
        self.positions = None
        self.page = 0
        if self.query_text:
            self._start_search()
        self._show_page()

    @property
    def row_count(self) -> int:
        if self.frame is None:
            return 0
        return len(self.frame) if self.positions is None else len(self.positions)

    @property
    def page_count(self) -> int:
        return max(1, -(-self.row_count // self.page_size))

    def _page_rows(self) -> list[tuple[str, ...]]:
        if self.frame is None:
            return []
        start = self.page * self.page_size
        if self.positions is None:
            rows = self.frame.iloc[start : start + self.page_size]
        else:
            rows = self.frame.iloc[self.positions[start : start + self.page_size]]
        present = [column for column in self.columns if column in rows.columns]
        rows = rows.reindex(columns=self.columns) if len(present) < len(self.columns) else rows[self.columns]
        return [tuple(_cell(value) for value in row) for row in rows.itertuples(index=False)]

    def _show_page(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        # Text, not str: DataTable reads a str cell as markup, and the data is the operator's.
        table.add_rows([tuple(Text(cell) for cell in row) for row in self._page_rows()])
        self.query_one(".table-info", Static).update(self._info())

    def _info(self) -> str:
        if self.frame is None:
            return "no rows yet"
        total = self.row_count
        first = self.page * self.page_size + 1 if total else 0
        last = min(total, (self.page + 1) * self.page_size)
        found = f" matching “{self.query_text}”" if self.query_text else ""
        return f"rows {first:,}–{last:,} of {total:,}{found} · page {self.page + 1:,}/{self.page_count:,} · [ ] pages"

    # -- actions -----------------------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one(Input).focus()

    def action_page(self, step: int) -> None:
        self.page = min(max(0, self.page + step), self.page_count - 1)
        self._show_page()

    @on(Input.Submitted)
    def _leave_search(self) -> None:
        self.query_one(DataTable).focus()

    @on(Input.Changed)
    def _schedule_search(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._start_search)

    def _start_search(self) -> None:
        if self.frame is None:
            return
        if not self.query_text:
            self.post_message(SearchDone("", None))
            return
        self._search(self.frame, self.query_text)

    @work(thread=True, exclusive=True, group="table-search", exit_on_error=False)
    def _search(self, frame: Any, query: str) -> None:
        searchable = self._searchable
        if searchable is None or searchable[0] is not frame:
            # Converted once per frame: arrow's contains runs in C without the GIL, so the UI keeps
            # answering keys while 600,000 names are searched.
            searchable = (frame, [frame[c].astype("string[pyarrow]") for c in self.search_columns if c in frame.columns])
            self._searchable = searchable
        masks = [column.str.contains(query, case=False, regex=False, na=False) for column in searchable[1]]
        positions = reduce(lambda left, right: left | right, masks).to_numpy().nonzero()[0] if masks else []
        if not get_current_worker().is_cancelled:
            self.post_message(SearchDone(query, positions))

    @on(SearchDone)
    def _show_search(self, message: SearchDone) -> None:
        message.stop()
        if message.query != self.query_text:
            return  # a newer search is on its way
        self.positions = message.positions
        self.page = 0
        self._show_page()


def _cell(value: Any) -> str:
    """Blank for missing values (None, NaN, pandas NA), shortened so a page stays narrow."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    if text in ("<NA>", "NaT", "nan"):
        return ""
    text = " ".join(text.split())
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"
