"""Step 3, Enrich: the four network gates, a run in a worker with progress and cancel, coverage by
field before and after, what was filled by source, and the compliance approval on `a`.

The network toggle (`n`) stays locked, with the reason, until the two environment switches and the
approval are in place: the operator sees what is closed before asking for research.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.widgets import DataTable, Static

from hotpass_tui.messages import JobCancelled, JobFailed, LedgerChanged, SessionChanged
from hotpass_tui.panes.base import RunningStepPane
from hotpass_tui.screens.approval import Approval, ApprovalModal
from hotpass_tui.widgets.stage_progress import StageProgress
from hotpass_tui.widgets.table import Table

STAGES = ("read", "lookup", "derive", "research", "write")  # core.enrich.result.ENRICH_STAGES, without the import


class EnrichFinished(Message):
    def __init__(self, result: Any) -> None:  # StepResult[EnrichResult]
        super().__init__()
        self.result = result


class ApprovalState(Message):
    """Whether the case has an enrichment approval in the ledger, read in a worker."""

    def __init__(self, case_id: str, approved: bool) -> None:
        super().__init__()
        self.case_id = case_id
        self.approved = approved


def approved_in(snapshot: Any, case_id: str) -> bool:
    """The newest enrichment decision for the case is an approval (snapshot decisions are newest first)."""
    for entry in snapshot.decisions:
        payload = entry.payload
        if payload.get("subject_kind") == "enrichment" and payload.get("subject") == case_id:
            return payload.get("decision") == "approve"
    return False


class EnrichPane(RunningStepPane):
    STEP = "3"
    TITLE = "Enrich"
    SUMMARY = "fill empty cells from local lookups; network only after approval"
    DEFAULT_FOCUS = "#enrich-view"
    HEADLINE = "#enrich-headline"
    BINDINGS = [
        Binding("r", "run", "Run enrich"),
        Binding("x", "cancel", "Cancel"),
        Binding("ctrl+c", "cancel", "Cancel (ctrl+c)", show=False),
        Binding("n", "toggle_network", "Network on/off"),
        Binding("a", "approve", "Approve research"),
        Binding("g", "reload_gates", "Reload gates", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.network_on = False
        self.approved = False
        self.outcome = ""
        self._gates_case = ""  # the case whose approval state is shown

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="enrich-view"):
            yield Static("", id="enrich-gates")
            yield Static("", id="enrich-headline")
            yield StageProgress(list(STAGES), id="enrich-stages")
            yield Table(cursor_type="none", zebra_stripes=True, id="enrich-coverage")
            yield Table(cursor_type="none", zebra_stripes=True, id="enrich-sources")

    def on_mount(self) -> None:
        self.query_one("#enrich-coverage", DataTable).add_columns("field", "before", "after", "filled")
        self.query_one("#enrich-sources", DataTable).add_columns("source", "cells")
        self.query_one("#enrich-coverage").display = False
        self.query_one("#enrich-sources").display = False
        self.session_changed()

    def session_changed(self) -> None:
        if self._gates_case != self.session.case_id:
            self._gates_case = self.session.case_id
            self.approved = self.network_on = False
            self.outcome = ""  # the last run was of another case
            self._show_gates()
            self.action_reload_gates()
        if not self.running:
            idle = (f"Ready: press [b]r[/b] to enrich [b]{escape(self.session.case_id)}[/b]'s refined workbook "
                    f"with profile [b]{escape(self.session.profile)}[/b]. Cancel with [b]x[/b].")
            self.query_one("#enrich-headline", Static).update(f"{self.outcome}\n{idle}" if self.outcome else idle)

    # -- gates ----------------------------------------------------------------------------------
    def _environment(self) -> tuple[bool, bool]:
        network = self.service.workspace.network
        return network.remote_research_feature, network.remote_research_allowed

    def _lock_reason(self) -> str:
        """Why the toggle is locked; empty when it may be turned on."""
        feature, allowed = self._environment()
        missing = [name for name, ok in (("FEATURE_ENABLE_REMOTE_RESEARCH=1", feature),
                                         ("ALLOW_NETWORK_RESEARCH=1", allowed),
                                         ("the approval (a)", self.approved)) if not ok]
        return "needs " + ", ".join(missing) if missing else ""

    def _show_gates(self) -> None:
        feature, allowed = self._environment()
        case = escape(self.session.case_id)
        lock = self._lock_reason()
        rows = [
            ("--allow-network", self.network_on, "on" if self.network_on else "off"),
            ("FEATURE_ENABLE_REMOTE_RESEARCH", feature, "1" if feature else "not 1"),
            ("ALLOW_NETWORK_RESEARCH", allowed, "1" if allowed else "not 1"),
            ("enrichment approval", self.approved, f"recorded for {case}" if self.approved else f"none for {case}"),
        ]
        lines = ["[b]Network research gates[/b]: all four open, or no request leaves"]
        for name, is_open, note in rows:
            mark = "[green]✓ open  [/]" if is_open else "[red]✗ closed[/]"
            lines.append(f" {mark} {name}: {note}")
        if self.network_on:
            toggle = "Network toggle (n): [b]on[/b] for the next run."
        elif lock:
            toggle = f"Network toggle (n): off, [b]locked[/b] — {escape(lock)}."
        else:
            toggle = "Network toggle (n): off; n turns it on for the next run."
        lines.append(toggle)
        self.query_one("#enrich-gates", Static).update("\n".join(lines))
        self.refresh_bindings()

    def action_reload_gates(self) -> None:
        service, case_id = self.service, self.session.case_id
        self.run_job("enrich-gates", lambda: approved_in(service.ledger_snapshot(), case_id),
                     lambda approved: ApprovalState(case_id, approved))

    @on(ApprovalState)
    def _approval_state(self, message: ApprovalState) -> None:
        if message.case_id == self.session.case_id:
            self.approved = message.approved
            if self._lock_reason():  # an approval withdrawn, a switch turned off: the toggle goes off too
                self.network_on = False
            self._show_gates()

    def action_toggle_network(self) -> None:
        if not self.network_on and self._lock_reason():
            self.notify(f"Network research is locked: {self._lock_reason()}.", severity="warning", markup=False)
            return
        self.network_on = not self.network_on
        self._show_gates()

    def action_approve(self) -> None:
        case_id = self.session.case_id
        modal = ApprovalModal(f"Approve network research for {case_id}",
                              "Research visits each organisation's own website (robots.txt honoured) to fill "
                              "empty phones and emails. The approval is recorded in the ledger with your comment.")
        self.app.push_screen(modal, lambda answer: self._record_approval(case_id, answer))

    def _record_approval(self, case_id: str, answer: Approval | None) -> None:
        if answer is None:
            return
        service = self.service
        self.run_job("enrich-approval",
                     lambda: service.approve("enrichment", case_id, None, "approve", answer.comment, case_id),
                     lambda _entry: ApprovalState(case_id, True))
        self.post_message(LedgerChanged(f"Enrichment approved for {case_id}."))

    # -- which keys apply now ---------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.running
        if action in ("run", "approve", "toggle_network"):
            return not self.running
        return True

    # -- running ------------------------------------------------------------------------------------
    def action_run(self) -> None:
        from core.runbook.steps.enrich import EnrichOptions

        if not self.running:
            self.outcome = ""
            self.start_run("enriching…", EnrichFinished, EnrichOptions(allow_network=self.network_on))

    @on(EnrichFinished)
    def _finished(self, message: EnrichFinished) -> None:
        result = message.result.payload
        self.stop_running()
        self.notify_warnings(message.result)
        self.query_one(StageProgress).finish(result.timings)
        self.session.last_run = f"{self.app.clock():%H:%M} enrich ok, {result.cells_filled:,} filled"  # type: ignore[attr-defined]
        network = f"research used, {result.research_requests:,} requests" if result.network_used else \
            f"research skipped ({len(result.closed_gates)} of 4 gates closed)"
        self.outcome = escape(
            f"Filled {result.cells_filled:,} empty cells of {result.organisations:,} organisations; {network}. "
            f"Wrote {result.output_path.name} and {result.summary_path.name}.")  # file names are not markup
        self.query_one("#enrich-headline", Static).update(self.outcome)
        self._show_tables(result)
        self.post_message(SessionChanged())
        self.post_message(LedgerChanged())

    def _show_tables(self, result: Any) -> None:
        coverage = self.query_one("#enrich-coverage", DataTable)
        coverage.clear()
        for field_name, before in result.coverage_before.items():
            after = result.coverage_after.get(field_name, before)
            coverage.add_row(Text(field_name), f"{before:,}", f"{after:,}", f"+{after - before:,}" if after > before else "")
        sources = self.query_one("#enrich-sources", DataTable)
        sources.clear()
        for source, count in sorted(result.by_source.items(), key=lambda kv: -kv[1]):
            sources.add_row(Text(source), f"{count:,}")
        coverage.display = True
        sources.display = bool(result.by_source)

    @on(JobFailed)
    @on(JobCancelled)
    def _stopped(self, message: JobFailed | JobCancelled) -> None:
        if message.job != "enrich":
            return
        cancelled = isinstance(message, JobCancelled)
        self.stop_running()
        self.query_one(StageProgress).stop("cancelled" if cancelled else "failed")
        self.outcome = "Cancelled: nothing was written; the previous outputs are as they were." if cancelled else \
            f"Enrich stopped: {escape(message.failure.text.splitlines()[-1])}"  # type: ignore[union-attr]
        self.query_one("#enrich-headline", Static).update(self.outcome)
        self.session.last_run = f"{self.app.clock():%H:%M} enrich {'cancelled' if cancelled else 'failed'}"  # type: ignore[attr-defined]
        self.post_message(SessionChanged())
        self.post_message(LedgerChanged())
