"""Teach Hotpass one sheet (t in Prepare): header row, each column's field, use or skip, primary key, link method.

Every change edits the case overlay in memory and reads the sheet again in a worker (service.sheet_view), so
the table shows what refine will make of it; w saves the overlay (only the changes) to data/<case>/hotpass.yaml.
The saved file is an input of the next refine, whose run records its SHA-256 in the ledger.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

NONE = "(no field)"
LINKS = [None, "id", "name"]


class ViewRead(Message):
    def __init__(self, view: Any = None, overlay: Any = None, error: str = "", saved: str = "") -> None:
        super().__init__()
        self.view, self.overlay, self.error, self.saved = view, overlay, error, saved


class FieldPicker(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, header: str, fields: list[str], current: str | None) -> None:
        super().__init__()
        self.header, self.fields, self.current = header, fields, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Field for column {self.header!r} — Enter chooses, Esc cancels", classes="dialog-title",
                         markup=False)
            yield OptionList(*[Option(name, id=name) for name in [NONE, *self.fields]], id="field-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = ([NONE, *self.fields].index(self.current) if self.current in self.fields else 0)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TeachScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("n", "unassign", "No field"),
        Binding("minus", "header(-1)", "Header row up", key_display="-"),
        Binding("plus,equals_sign", "header(1)", "Header row down", key_display="+"),
        Binding("s", "toggle_use", "Use/skip sheet"),
        Binding("k", "primary_key", "Primary key"),
        Binding("l", "link", "Link by id/name"),
        Binding("w", "save", "Save overlay"),
    ]

    def __init__(self, service: Any, input_dir: Any, profile: str, file: str, sheet: str) -> None:
        super().__init__()
        self.service, self.input_dir, self.profile, self.file, self.sheet = service, input_dir, profile, file, sheet
        self.view: Any = None
        self.overlay: Any = None
        self.saved = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog teach-dialog"):
            yield Static(f"Teach {self.file} › {self.sheet or '(csv)'}", classes="dialog-title", markup=False)
            yield Static("reading the sheet…", id="teach-status")
            yield DataTable(id="teach-columns", cursor_type="row", zebra_stripes=True)
            yield Static("Enter field · n none · -/+ header · s use/skip · k key · l link · w save · Esc",
                         id="teach-keys")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("column", "field", "first values")
        self.query_one(DataTable).focus()
        self._read(None)

    # -- reading and saving, in a worker ---------------------------------------------------------
    def _read(self, overlay: Any, save: bool = False) -> None:
        service, args = self.service, (self.input_dir, self.profile)
        file, sheet = self.file, self.sheet

        def work() -> None:
            try:
                saved = str(service.save_overlay(*args, overlay)) if save else ""
                view, used = service.sheet_view(*args, overlay, file, sheet)
            except Exception as exc:  # noqa: BLE001 - shown in the screen; the overlay stays as edited
                self.post_message(ViewRead(error=getattr(exc, "message", None) or type(exc).__name__))
                return
            self.post_message(ViewRead(view, used, saved=saved))

        self.run_worker(work, name="teach", group="teach", thread=True, exclusive=True, exit_on_error=False)

    def on_view_read(self, message: ViewRead) -> None:
        status = self.query_one("#teach-status", Static)
        if message.view is None:
            status.update(Text(f"Refused: {message.error}", style="bold red"))
            return
        self.view, self.overlay = message.view, message.overlay
        shown = self._status_text(message.view)
        if message.saved:
            self.saved = True
            shown.append(f"\nSaved {message.saved}: the next refine reads it", style="bold")
        status.update(shown)
        table = self.query_one(DataTable)
        row = table.cursor_row
        # The field column as wide as the longest field from the start: a width that grows with its
        # cells was left at "field"'s five letters on a loaded machine, showing 'organ'.
        table.clear(columns=True)
        table.add_column("column")
        table.add_column("field", width=max([len("field"), *(len(f) for f in message.view.fields)]))
        table.add_column("first values")
        for column in message.view.columns:
            table.add_row(column.header, column.field or "—", " | ".join(column.first_values))
        if message.view.columns:
            table.move_cursor(row=min(row, len(message.view.columns) - 1))

    def _status_text(self, view: Any) -> Text:
        report = view.report
        entry = self._entry(create=False)
        keys = (entry.primary_keys.get(self.sheet) if entry else None) or []
        link = (entry.link_by.get(self.sheet) if entry else None) or "profile's way"
        line = Text(f"header row {view.header_row} of {view.last_row} · ")
        line.append(f"{report.status}" + (f": {report.reason}" if report and report.reason else ""),
                    style="green" if report and report.status == "used" else "yellow")
        line.append(f" · {report.data_rows if report else 0} rows · key {', '.join(keys) or '—'} · link {link}")
        if view.error:
            line.append(f"\nRefused: {view.error}", style="bold red")
        return line

    # -- editing -----------------------------------------------------------------------------------
    def _entry(self, create: bool = True) -> Any:
        from core.teach import pattern_for

        if self.overlay is None:
            return None
        pattern = pattern_for(self.file)
        found = next((s for s in self.overlay.sources if s.pattern.lower() == pattern.lower()), None)
        return found if found is not None or not create else self.overlay.source(pattern)

    def _column(self) -> Any:
        table = self.query_one(DataTable)
        if self.view is None or not self.view.columns:
            return None
        return self.view.columns[min(table.cursor_row, len(self.view.columns) - 1)]

    def _assign(self, field: str | None) -> None:
        column = self._column()
        if column is None:
            return
        self._entry().columns.setdefault(self.sheet, {})[column.header] = field
        self._read(self.overlay)

    def action_assign(self) -> None:
        column = self._column()
        if column is None:
            return

        def chosen(name: str | None) -> None:
            if name is not None:
                self._assign(None if name == NONE else name)

        self.app.push_screen(FieldPicker(column.header, self.view.fields, column.field), chosen)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on a column: the table selects the row, the screen offers the fields
        self.action_assign()

    def action_unassign(self) -> None:
        self._assign(None)

    def action_header(self, step: int) -> None:
        if self.view is None or self.view.header_row is None:
            return
        self._entry().header_rows[self.sheet] = max(1, self.view.header_row + step)
        self._read(self.overlay)

    def action_toggle_use(self) -> None:
        if self.view is None:
            return
        entry = self._entry()
        if self.view.report is not None and self.view.report.status == "used":
            entry.skip_sheets[self.sheet] = "skipped when the workbook was taught"
            entry.use_sheets = [s for s in entry.use_sheets if s != self.sheet]
        else:
            entry.skip_sheets.pop(self.sheet, None)
            if self.sheet not in entry.use_sheets:
                entry.use_sheets.append(self.sheet)
        self._read(self.overlay)

    def action_primary_key(self) -> None:
        column = self._column()
        if column is None or column.field is None:
            self.notify("assign the column a field first: a primary key is a field", severity="warning")
            return
        keys = self._entry().primary_keys
        keys[self.sheet] = [] if keys.get(self.sheet) == [column.field] else [column.field]
        if not keys[self.sheet]:
            keys.pop(self.sheet)
        self._read(self.overlay)

    def action_link(self) -> None:
        entry = self._entry()
        if entry is None:
            return
        now = entry.link_by.get(self.sheet)
        following = LINKS[(LINKS.index(now) + 1) % len(LINKS)]
        if following is None:
            entry.link_by.pop(self.sheet, None)
        else:
            entry.link_by[self.sheet] = following
        self._read(self.overlay)

    def action_save(self) -> None:
        if self.overlay is not None:
            self._read(self.overlay, save=True)

    def action_close(self) -> None:
        self.dismiss(self.saved)
