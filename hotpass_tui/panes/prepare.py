"""Step 1, Prepare: choose the case folder and the profile, and see how every sheet will be read."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, Static, Tree
from textual.widgets.tree import TreeNode

from core.errors import Cancelled
from core.text import counted
from hotpass_tui.messages import CaseOpened, JobCancelled, JobFailed, JobProgress, PreviewReady, SessionChanged
from hotpass_tui.panes.base import StepPane


class PreparePane(StepPane):
    STEP = "1"
    TITLE = "Prepare"
    SUMMARY = "the case folder, the profile, how each sheet reads"
    DEFAULT_FOCUS = "#preview-tree"
    BINDINGS = [
        Binding("f", "choose_folder", "Folder"),
        Binding("p", "choose_profile", "Profile"),
        Binding("u", "preview", "Preview again"),
        Binding("t", "teach", "Teach the sheet under the cursor", show=False),  # the footer is full at 80
    ]

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label("Case folder", classes="form-label")
            yield Input(id="case-folder", placeholder="data/<case-id> or any folder")
        with Horizontal(classes="form-row"):
            yield Label("Profile", classes="form-label")
            yield Select([], id="profile", allow_blank=True, prompt="loading profiles…")
        yield Static("Opening the case…", id="preview-status")
        yield Tree("case", id="preview-tree")

    def on_mount(self) -> None:
        self.query_one(Tree).show_root = False
        # After the first frame: opening the case imports the pipeline, which must not delay it.
        self.call_after_refresh(self.open_case, self.session.case_id)

    # -- opening a case and previewing it -----------------------------------------------------
    def open_case(self, case_id: str) -> None:
        service = self.service
        self.run_job("open", lambda: service.open_case(case_id),
                     lambda found: CaseOpened(case_id, found.input_dir, found.profiles, found.cases))

    @on(CaseOpened)
    def _case_opened(self, message: CaseOpened) -> None:
        message.stop()
        session = self.session
        if message.case_id != session.case_id:
            session.input_given = False  # another case: its own folder
        if not session.input_given:
            session.input_dir = message.input_dir
        session.case_id, session.profiles = message.case_id, message.profiles
        names = [name for name, _ in message.profiles]
        if session.profile not in names and names:
            self._say_unknown_profile(session.profile, names)
            session.profile = names[0]
        select = self.query_one(Select)
        with self.prevent(Select.Changed):
            select.prompt = "(keep the profile)"  # the blank entry no longer says it is loading
            select.set_options([(name, name) for name in names])
            if names:
                select.value = session.profile
        folder = self.query_one("#case-folder", Input)
        folder.suggester = SuggestFromList([f"data/{case}" for case in message.cases])
        with self.prevent(Input.Changed):
            folder.value = self._shown_path(session.input_dir)
        self.post_message(SessionChanged())
        self.action_preview()

    def stop_work(self) -> None:
        self._cancel.set()

    def action_preview(self) -> None:
        self._cancel.set()  # an older preview's result is no longer wanted
        self._cancel = threading.Event()
        service, cancel, post = self.service, self._cancel, self.progress_to("preview")
        input_dir, profile = self.session.input_dir, self.session.profile
        self.query_one("#preview-status", Static).update(Text(f"Reading {self._shown_path(input_dir)}…"))

        def progress(event: Any) -> None:
            if not cancel.is_set():
                post(event)

        def read() -> Any:
            # A superseded preview ends as cancelled whatever it did, so that neither its late
            # result nor its failure can take the place of the newer one's.
            try:
                preview = service.preview(input_dir, profile, progress, cancel)
            except Exception:
                if cancel.is_set():
                    raise Cancelled("a newer preview replaced this one") from None
                raise
            if cancel.is_set():
                raise Cancelled("a newer preview replaced this one")
            return preview

        self.run_job("preview", read, PreviewReady)

    @on(JobProgress)
    def _preview_progress(self, message: JobProgress) -> None:
        if message.job != "preview":
            return
        message.stop()
        event = message.event
        detail = f": {event.message}" if event.message else ""
        count = f" {event.done}/{event.total}" if event.total else ""
        self.query_one("#preview-status", Static).update(Text(f"Reading — {event.stage}{count}{detail}"))

    @on(PreviewReady)
    def _preview_ready(self, message: PreviewReady) -> None:
        message.stop()
        self.session.preview = message.preview
        self.query_one("#preview-status", Static).update(Text(preview_headline(message.preview)))
        fill_preview_tree(self.query_one(Tree), message.preview)

    @on(JobFailed)
    @on(JobCancelled)
    def _preview_stopped(self, message: JobFailed | JobCancelled) -> None:
        if isinstance(message, JobCancelled):
            message.stop()  # only a newer preview cancels one: not news, and the status is the newer one's
            return
        if message.job in ("open", "preview"):
            text = message.failure.text.splitlines()[-1]
            self.query_one("#preview-status", Static).update(Text(f"Preview not available: {text}"))
            self.session.preview = None  # the last folder's sheets must not pass for this one's
            self.query_one(Tree).clear()

    # -- choosing ------------------------------------------------------------------------------
    def action_teach(self) -> None:
        """Teach the sheet under the tree's cursor (hotpass_tui/screens/teach.py); a save previews again."""
        from hotpass_tui.screens.teach import TeachScreen

        node = self.query_one(Tree).cursor_node
        while node is not None and node.data is None:
            node = node.parent
        if node is None:
            self.notify("Move to a sheet in the tree first, then press t", severity="warning")
            return
        sheet = node.data

        def closed(saved: bool | None) -> None:
            if saved:
                self.action_preview()

        self.app.push_screen(TeachScreen(self.service, self.session.input_dir, self.session.profile,
                                         sheet.file, sheet.sheet), closed)

    def action_choose_folder(self) -> None:
        self.query_one("#case-folder", Input).focus()

    def action_choose_profile(self) -> None:
        self.query_one(Select).focus()

    @on(Input.Submitted, "#case-folder")
    def _folder_chosen(self, message: Input.Submitted) -> None:
        folder = Path(message.value.strip()).expanduser()
        folder = folder if folder.is_absolute() else self.service.workspace.root / folder
        if not folder.is_dir():
            self.notify(f"No such folder: {folder}. Type data/<case-id> or a full path.", severity="error",
                        markup=False)
            return
        self.session.input_dir = folder
        self.session.case_id = folder.name
        self.session.result = None
        self.post_message(SessionChanged())
        self.query_one(Tree).focus()
        self.action_preview()

    @on(Select.Changed, "#profile")
    def _profile_chosen(self, message: Select.Changed) -> None:
        if message.value == Select.NULL:  # a profile is always in use: the blank entry keeps it
            with self.prevent(Select.Changed):
                message.select.value = self.session.profile
            return
        if message.value == self.session.profile:
            return
        self.session.profile = str(message.value)
        self.post_message(SessionChanged())
        self.action_preview()

    def _say_unknown_profile(self, asked: str, names: list[str]) -> None:
        self.notify(f"No profile named {asked!r}: using {names[0]!r}. The profiles: {', '.join(names)}.",
                    severity="warning", markup=False)

    def _shown_path(self, folder: Path) -> str:
        try:
            return str(folder.relative_to(self.service.workspace.root))
        except ValueError:
            return str(folder)


def preview_headline(preview: Any) -> str:
    sheets = preview.sheets
    used = sum(1 for sheet in sheets if sheet.status == "used")
    skipped_files = f", {counted(len(preview.skipped_files), 'file')} skipped" if preview.skipped_files else ""
    return (f"{counted(len(preview.files), 'file')}, {counted(len(sheets), 'sheet')}: {used} used, "
            f"{len(sheets) - used} skipped{skipped_files} · profile {preview.profile}")


def fill_preview_tree(tree: Tree, preview: Any) -> None:
    """Files, their sheets, and per sheet the header row, the mapping and what is ignored."""
    tree.clear()
    for report in preview.files:
        label = Text.assemble((report.file, "bold"), f"  {report.format} · source {report.source_label}"
                              f" · priority {report.priority}")
        file_node = tree.root.add(label, expand=True)
        for sheet in report.sheets:
            _add_sheet(file_node, sheet)
    for name, reason in preview.skipped_files:
        tree.root.add_leaf(Text.assemble(("✗ ", "bold"), (name, "bold"), f"  skipped: {reason}"))


def _add_sheet(file_node: TreeNode, sheet: Any) -> None:
    name = sheet.sheet or "(csv)"
    if sheet.status != "used":
        file_node.add_leaf(Text.assemble(("✗ ", "bold"), name, f"  skipped: {sheet.reason}"), data=sheet)
        return
    used = f"{sheet.rows_used:,} of " if sheet.rows_used else ""  # a preview may not count used rows
    summary = f"  {sheet.role or 'sheet'} · header row {sheet.header_row} · {used}{sheet.data_rows:,} rows"
    node = file_node.add(Text.assemble(("✓ ", "bold"), (name, "bold"), summary), expand=True, data=sheet)
    for column, field in sheet.mapping.items():
        node.add_leaf(Text(f"{column} → {field}"))  # a str label would be read as markup
    if sheet.unmapped:
        node.add_leaf(Text.assemble(("ignored: ", "italic"), ", ".join(sheet.unmapped)))
    if sheet.blank_rows:
        node.add_leaf(Text(f"{sheet.blank_rows:,} blank rows skipped", style="italic"))
