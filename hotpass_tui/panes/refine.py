"""Step 2, Refine: run it with progress per stage, read the report, page through the result,
see the contract notices, and decide the review queue.

The keys `a` `x` `n` `p` act on the review queue only while its tab is open; while a run is going
`x` cancels it, whatever the tab (cancelling is the safer reading of an ambiguous key).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from core.results import REFINE_STAGES
from hotpass_tui.messages import (JobCancelled, JobFailed, LedgerChanged, RefineFinished,
                                  ReviewDecided, SessionChanged)
from hotpass_tui.panes.base import RunningStepPane
from hotpass_tui.panes.refine_checks import ChecksView
from hotpass_tui.panes.refine_report import notice_rows, report_text, shown_path
from hotpass_tui.widgets.paged_table import PagedTable
from hotpass_tui.widgets.review_pair import ReviewPairView
from hotpass_tui.widgets.stage_progress import StageProgress
from hotpass_tui.widgets.table import Table

TABLE_COLUMNS = ["organization_name", "province", "contact_primary_phone", "contact_primary_email",
                 "website", "data_quality_score", "organization_slug"]
SEARCH_COLUMNS = ["organization_name", "organization_slug", "province", "area", "website",
                  "contact_primary_name", "contact_primary_email", "contact_primary_phone"]
REVIEW_ACTIONS = {"approve", "reject", "unsure", "split", "undo", "next_pair", "previous_pair"}
OPEN = (None, "unsure")  # pairs still to answer: those never answered first, then those put aside


class RefinePane(RunningStepPane):
    STEP = "2"
    TITLE = "Refine"
    SUMMARY = "one clean row per organisation"
    DEFAULT_FOCUS = "#refine-tabs Tabs"
    HEADLINE = "#run-headline"
    CANCELLING = "Cancelling at the end of the current step…"
    BINDINGS = [
        Binding("r", "run", "Run refine"),
        Binding("x", "cancel", "Cancel"),
        Binding("ctrl+c", "cancel", "Cancel (ctrl+c)", show=False),
        # The tab labels show these keys; the footer keeps its room for the actions.
        Binding("s", "show_tab('tab-run')", "Summary tab", show=False),
        Binding("o", "show_tab('tab-orgs')", "Organisations tab", show=False),
        Binding("c", "show_tab('tab-notices')", "Notices tab", show=False),
        Binding("v", "show_tab('tab-review')", "Review tab", show=False),
        Binding("e", "show_tab('tab-checks')", "Checks tab (expectations)", show=False),
        Binding("slash", "search", "Search organisations", show=False),
        # Paging works from the tab strip too, not only once the focus is inside the table.
        Binding("right_square_bracket", "page(1)", show=False),
        Binding("left_square_bracket", "page(-1)", show=False),
        Binding("a", "approve", "Approve"),
        Binding("x", "reject", "Reject"),
        Binding("n", "next_pair", "Next pair"),
        Binding("p", "previous_pair", "Prev pair"),
        # The footer has no room left at 80 columns: the review view's own key line shows these.
        Binding("m", "unsure", "Unsure: ask again last", show=False),
        Binding("k", "split", "Split: keep B out of A's organisation", show=False),
        Binding("u", "undo", "Undo the last decision", show=False),
        Binding("enter", "open_card", "Card of A's organisation (review tab)", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.review_items: list[Any] = []
        self.review_index = 0
        # (pair id, what it was before) for each decision of this session, newest last: what `u` undoes.
        self.undo_stack: list[tuple[str, str | None]] = []
        self.undoing: set[str] = set()
        self.outcome = ""  # how the last run that left no result ended (cancelled, failed)

    def compose_body(self) -> ComposeResult:
        with TabbedContent(id="refine-tabs"):
            with TabPane("Summary (s)", id="tab-run"):
                with VerticalScroll(classes="run-view"):
                    yield Static("", id="run-headline")
                    yield StageProgress(REFINE_STAGES, id="stages")
                    yield Static("", id="run-report")
            with TabPane("Organisations (o)", id="tab-orgs"):
                yield PagedTable(TABLE_COLUMNS, SEARCH_COLUMNS, id="organisations")
            with TabPane("Notices (c)", id="tab-notices"):
                yield Static("", id="notices-headline")
                yield Table(cursor_type="row", zebra_stripes=True, id="notices")
            with TabPane("Review (v)", id="tab-review"):
                yield ReviewPairView(id="review")
            with TabPane("Checks (e)", id="tab-checks"):
                yield ChecksView(id="checks-view")

    def on_mount(self) -> None:
        self.query_one("#notices", DataTable).add_columns("source", "rows", "reasons", "file")
        self.session_changed()

    def session_changed(self) -> None:
        if not self.running and self.session.result is None:
            # A cancelled or failed run says so until the next run, above what r would do now.
            idle = self._idle_text()
            self.query_one("#run-headline", Static).update(f"{self.outcome}\n{idle}" if self.outcome else idle)

    def _idle_text(self) -> str:
        session = self.session
        return (f"Ready: press [b]r[/b] to refine [b]{escape(session.case_id)}[/b] with profile "
                f"[b]{escape(session.profile)}[/b]. Cancel a run with [b]x[/b] or [b]ctrl+c[/b].")

    # -- which keys apply now ---------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.running
        if action in REVIEW_ACTIONS or action == "open_card":
            on_review = self.query_one(TabbedContent).active == "tab-review"
            if action == "undo":
                return on_review and not self.running and bool(self.undo_stack)
            return on_review and not self.running and bool(self.review_items)
        if action == "run":
            return not self.running
        if action == "page":
            return self.query_one(TabbedContent).active == "tab-orgs"
        return True

    def prepare_for(self, action: str) -> None:
        if action in REVIEW_ACTIONS:
            self.action_show_tab("tab-review")

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.refresh_bindings()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def action_search(self) -> None:
        self.action_show_tab("tab-orgs")
        self.query_one(PagedTable).action_search()

    def action_page(self, step: int) -> None:
        self.query_one(PagedTable).action_page(step)

    # -- running -----------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#organisations .table-page")
    def _open_card(self, event: DataTable.RowSelected) -> None:
        """Enter on an organisation: its card, where each value came from (hotpass_tui/screens/org_card.py)."""
        from hotpass_tui.screens.org_card import OrgCardScreen

        slug = str(event.data_table.get_row(event.row_key)[TABLE_COLUMNS.index("organization_slug")])
        self.app.push_screen(OrgCardScreen(self.service, self.session.case_id, self.session.input_dir, slug),
                             self._card_closed)

    def _card_closed(self, taken: list | None) -> None:
        """Decisions taken on the card join this pane's: the review tab shows them and u takes them back."""
        for decided in taken or []:
            self.undo_stack.append((decided.pair_id, decided.before))
            for item in self.review_items:
                item.decision = decided.decision if item.pair_id == decided.pair_id else item.decision
        self._show_pair()

    def action_open_card(self) -> None:
        """Enter on a review pair: the card of A's organisation, where the pair with B is one of its rows."""
        from hotpass_tui.screens.org_card import OrgCardScreen

        side = self.review_items[self.review_index].left
        row = side.get("record_id") or side.get("organization_name") or ""
        self.app.push_screen(OrgCardScreen(self.service, self.session.case_id, self.session.input_dir, str(row)),
                             self._card_closed)

    def action_run(self) -> None:
        if not self.running:
            self.outcome = ""
            self.start_run("refining…", RefineFinished)  # progress and x: RunningStepPane (panes/base.py)
            self.action_show_tab("tab-run")

    @on(RefineFinished)
    def _finished(self, message: RefineFinished) -> None:
        result = message.result.payload
        self.stop_running()
        self.notify_warnings(message.result)
        self.session.result = result
        self.session.last_run = f"{self.app.clock():%H:%M} ok, {result.organisations_out:,} orgs"  # type: ignore[attr-defined]
        self.query_one(StageProgress).finish(result.timings)
        self.query_one("#run-headline", Static).update(
            f"Refined {result.rows_in:,} rows into {result.organisations_out:,} organisations. "
            "o organisations · c notices · v review")
        self.query_one("#run-report", Static).update(report_text(result, self.service.workspace.root))
        self.query_one(PagedTable).load(result.organisations)
        self._show_notices(result)
        self.query_one(ChecksView).show(result, self.service.workspace.root)
        self.review_items = list(result.review)
        self.review_index = 0
        self.undo_stack = []  # a new queue: the decisions before it are in its pairs already
        self._show_pair()
        self.post_message(SessionChanged())
        self.post_message(LedgerChanged())

    @on(JobFailed)
    @on(JobCancelled)
    def _stopped(self, message: JobFailed | JobCancelled) -> None:
        if message.job != "refine":
            return
        cancelled = isinstance(message, JobCancelled)
        self.stop_running()
        self.query_one(StageProgress).stop("cancelled" if cancelled else "failed")
        text = "Cancelled: nothing was written; the previous outputs are as they were." if cancelled else \
            f"Refine stopped: {escape(message.failure.text.splitlines()[-1])}"  # type: ignore[union-attr]
        self.outcome = text
        self.query_one("#run-headline", Static).update(text)
        self.session.last_run = f"{self.app.clock():%H:%M} {'cancelled' if cancelled else 'failed'}"  # type: ignore[attr-defined]
        self.post_message(SessionChanged())
        self.post_message(LedgerChanged())

    def _show_notices(self, result: Any) -> None:
        workspace = self.service.workspace.root
        rows = notice_rows(result, workspace)
        table = self.query_one("#notices", DataTable)
        table.clear()
        table.add_rows([tuple(Text(cell) for cell in row) for row in rows])  # str cells are markup
        dropped = sum(notice.rows for notice in result.notices)
        invalid = len(result.invalid_values)
        where = f" (listed in {shown_path(result.invalid_values_path, workspace)})" if result.invalid_values_path else ""
        self.query_one("#notices-headline", Static).update(Text(  # the path is the operator's: not markup
            f"{dropped:,} rows dropped for repeated primary keys, written for the data owners below. "
            f"{invalid:,} invalid values{where}."))

    # -- the review queue --------------------------------------------------------------------
    def _show_pair(self) -> None:
        self.query_one(ReviewPairView).show(self.review_items, self.review_index)
        self.refresh_bindings()

    def action_next_pair(self) -> None:
        self.review_index = min(self.review_index + 1, len(self.review_items) - 1)
        self._show_pair()

    def action_previous_pair(self) -> None:
        self.review_index = max(self.review_index - 1, 0)
        self._show_pair()

    def action_approve(self) -> None:
        self._decide("approve")

    def action_reject(self) -> None:
        self._decide("reject")

    def action_unsure(self) -> None:
        self._decide("unsure")

    def action_split(self) -> None:
        """Keep the second row out of the organisation the first is in (a cannot-link, as the ledger says)."""
        self._decide("split")

    def action_undo(self) -> None:
        """Withdraw this session's last decision: the pair gets back what it had, and is shown again."""
        if not self.undo_stack:
            return
        pair_id, before = self.undo_stack.pop()
        index = next((i for i, item in enumerate(self.review_items) if item.pair_id == pair_id), None)
        if index is None:  # a split taken on an organisation's card: no pair of the queue shows it
            service, case_id, back = self.service, self.session.case_id, before or "undo"
            self.run_job(f"review-{pair_id}", lambda: service.decide(case_id, pair_id, back, "undone from Refine"),
                         lambda done: ReviewDecided(pair_id, back))
            self.app.notify(f"Undone: the card's decision on pair {pair_id}; the next refine reads the ledger as now.")
            return
        self.review_index = index
        # The ledger keeps every entry: an earlier answer comes back as a new entry, else "undo" clears it.
        self._decide(before or "undo", undoing=True)

    def _decide(self, decision: str, undoing: bool = False) -> None:
        item = self.review_items[self.review_index]
        if not undoing:
            self.undo_stack.append((item.pair_id, item.decision))
        service, case_id = self.service, self.session.case_id
        summary = f"{item.left.get('organization_name', '?')} ~ {item.right.get('organization_name', '?')}"

        def write() -> tuple[str, str]:
            service.decide(case_id, item.pair_id, decision, summary)
            return item.pair_id, decision

        if undoing:
            self.undoing.add(item.pair_id)
        self.run_job(f"review-{item.pair_id}", write, lambda done: ReviewDecided(*done))

    @on(ReviewDecided)
    def _decided(self, message: ReviewDecided) -> None:
        undone = message.pair_id in self.undoing  # an undone pair stays selected, to be answered again
        self.undoing.discard(message.pair_id)
        for index, item in enumerate(self.review_items):
            if item.pair_id == message.pair_id:
                item.decision = None if message.decision == "undo" else message.decision
                if index == self.review_index and not undone:
                    self._advance_to_open()
        self._show_pair()
        self.post_message(LedgerChanged())

    def _advance_to_open(self) -> None:
        """The next pair never answered; when none is left, the next one put aside as unsure."""
        count = len(self.review_items)
        for wanted in OPEN:
            for step in range(1, count + 1):
                candidate = (self.review_index + step) % count
                if self.review_items[candidate].decision == wanted:
                    self.review_index = candidate
                    return

