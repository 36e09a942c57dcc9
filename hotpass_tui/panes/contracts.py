"""Step 4, Contracts: emit the data contract (`e`), review its fields, its YAML (highlighted, scrolls)
and what changed since the last approved one; `a` approves and `x` rejects it with a comment, and the
ledger records the contract's SHA-256. Emitting runs the step in a worker; reading the file and the
ledger happens in workers too."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from rich.syntax import Syntax
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from hotpass_tui.messages import JobFailed, LedgerChanged
from hotpass_tui.panes.base import StepPane
from hotpass_tui.screens.approval import Approval, ApprovalModal


class ContractRead(Message):
    def __init__(self, review: Any) -> None:  # core.contracts.review.ContractReview | None
        super().__init__()
        self.review = review


def _read_review(service: Any, case_id: str, profile: str) -> Any:
    from core.contracts.approval import contract_subject
    from core.contracts.emit import contract_path
    from core.contracts.review import review_contract

    path = contract_path(service.workspace.case(case_id), profile)
    if not path.is_file():
        return None
    return review_contract(path, contract_subject(case_id, profile), service.ledger_snapshot().decisions)


class ContractsPane(StepPane):
    STEP = "4"
    DEFAULT_FOCUS = "#contract-fields"
    BINDINGS = [
        Binding("e", "emit", "Emit"),
        Binding("a", "approve", "Approve"),
        Binding("x", "reject", "Reject"),
        Binding("f", "tab('fields')", "Fields tab", show=False),  # the tab labels name these keys
        Binding("y", "tab('yaml')", "YAML tab", show=False),
        Binding("d", "tab('diff')", "Diff tab", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.review: Any = None
        self.busy = False

    def compose_body(self) -> ComposeResult:
        yield Static("Reading the contract…", id="contract-headline")
        with TabbedContent(id="contract-tabs", initial="fields"):
            with TabPane("Fields f", id="fields"):
                yield DataTable(id="contract-fields", cursor_type="row", zebra_stripes=True)
            with TabPane("YAML y", id="yaml"):
                with VerticalScroll(id="contract-yaml", can_focus=True):
                    yield Static("", id="contract-yaml-text")
            with TabPane("Diff d", id="diff"):
                with VerticalScroll(id="contract-diff", can_focus=True):
                    yield Static("", id="contract-diff-text")

    def on_mount(self) -> None:
        table = self.query_one("#contract-fields", DataTable)
        table.add_columns("column", "type", "req", "uniq", "pii", "rules")
        self.action_reload()

    def activated(self) -> None:
        super().activated()
        self.action_reload()

    def session_changed(self) -> None:
        self.action_reload()

    # -- reading -------------------------------------------------------------------------------
    def action_reload(self) -> None:
        service, case_id, profile = self.service, self.session.case_id, self.session.profile
        self.run_job("contract-read", lambda: _read_review(service, case_id, profile), ContractRead)

    @on(ContractRead)
    def _read(self, message: ContractRead) -> None:
        message.stop()
        self.busy = False
        self.review = review = message.review
        headline = self.query_one("#contract-headline", Static)
        table = self.query_one("#contract-fields", DataTable)
        table.clear()
        if review is None:
            case, profile = self.session.case_id, self.session.profile
            headline.update(Text.assemble(("No contract emitted yet", "bold"), f" for {case} / {profile}. ",
                                          "Press e to emit it."))
            self.query_one("#contract-yaml-text", Static).update("")
            self.query_one("#contract-diff-text", Static).update("Nothing to compare yet.")
            return
        state = {"approve": ("approved", "green"), "reject": ("rejected", "red")}.get(
            review.decision, ("not approved yet: a approves, x rejects", "yellow"))
        headline.update(Text.assemble(
            (f"{len(review.fields)} columns", "bold"), f", {sum(f.rules for f in review.fields)} rules · ",
            (state[0], state[1]), f"\n{_short(review.path)}  sha256 {review.sha256[:16]}…"))
        for row in review.fields:
            table.add_row(row.name, row.logical, "yes" if row.required else "", "yes" if row.unique else "",
                          "yes" if row.classification == "personal" else row.classification,
                          str(row.rules) if row.rules else "")
        self.query_one("#contract-yaml-text", Static).update(
            Syntax(review.text, "yaml", theme="ansi_dark", line_numbers=False, word_wrap=True))
        self.query_one("#contract-diff-text", Static).update(_diff_text(review))

    @on(JobFailed)
    def _failed(self, message: JobFailed) -> None:  # the app shows the error; the pane is free again
        self.busy = False
        self.query_one("#contract-headline", Static).update("The last action failed (see the message); e emits again.")

    # -- keys ------------------------------------------------------------------------------------
    def action_tab(self, tab: str) -> None:
        self.query_one("#contract-tabs", TabbedContent).active = tab
        target = {"fields": "#contract-fields", "yaml": "#contract-yaml", "diff": "#contract-diff"}[tab]
        self.screen.set_focus(self.query_one(target))

    def action_emit(self) -> None:
        from core.runbook.steps.contracts import ContractsOptions

        if self.busy:
            return
        self.busy = True
        self.query_one("#contract-headline", Static).update("Emitting the contract…")
        service, case_id, profile = self.service, self.session.case_id, self.session.profile
        self.run_step_job("contracts", threading.Event(),
                          lambda _result: ContractRead(_read_review(service, case_id, profile)), ContractsOptions())

    def action_approve(self) -> None:
        self._decide("approve")

    def action_reject(self) -> None:
        self._decide("reject")

    def _decide(self, decision: str) -> None:
        review = self.review
        if review is None:
            self.notify("Emit the contract first (e).", severity="warning")
            return
        verb = "Approve" if decision == "approve" else "Reject"
        body = (f"{_short(review.path)}\nsha256 {review.sha256}\n"
                "The ledger records your decision, your comment and this hash; the hand-off needs an approved "
                "contract with exactly these bytes.")
        modal = ApprovalModal(f"{verb} the data contract for {self.session.case_id}", body, confirm=verb)
        self.app.push_screen(modal, lambda answer: self._record(decision, review, answer))

    def _record(self, decision: str, review: Any, answer: Approval | None) -> None:
        if answer is None:
            return
        from core.contracts.approval import contract_subject
        from core.contracts.review import keep_approved_copy

        service, case_id, profile = self.service, self.session.case_id, self.session.profile

        def call() -> Any:
            if decision == "approve":
                keep_approved_copy(review.path, review.sha256)  # for the next diff
            service.approve("contract", contract_subject(case_id, profile), review.sha256, decision, answer.comment,
                            case_id)
            return _read_review(service, case_id, profile)

        self.run_job("contract-decide", call, ContractRead)
        word = "approved" if decision == "approve" else "rejected"
        self.post_message(LedgerChanged(f"Contract {word} for {case_id} (sha256 {review.sha256[:12]}…)."))


def _short(path: Path) -> str:
    parts = Path(path).parts
    return str(Path(*parts[-4:])) if len(parts) > 4 else str(path)


def _diff_text(review: Any) -> Text:
    if review.changes is None:
        return Text(review.note or "Nothing to compare.")
    if not review.changes:
        return Text("Same as the contract last approved for this case and profile.")
    text = Text()
    broken = sum(c.breaking for c in review.changes)
    text.append(f"{len(review.changes)} changes since the last approved contract, {broken} breaking\n", style="bold")
    for change in review.changes:
        text.append("breaking " if change.breaking else "ok       ", style="red" if change.breaking else "green")
        where = f"{change.column}: " if change.column else ""
        text.append(f"{change.kind}: {where}{change.detail}\n")
    return text
