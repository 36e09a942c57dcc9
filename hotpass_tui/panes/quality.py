"""Step 6, Quality gates: `r` runs every gate and `o` the selected one, in a worker; the table shows
pass, fail, waived or nothing-yet per gate, Enter opens the selected gate's detail; `w` records a
waiver for a failing gate and `i` opens an incident, each with the operator's words."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Static

from hotpass_tui.messages import JobFailed, LedgerChanged
from hotpass_tui.panes.base import StepPane
from hotpass_tui.screens.approval import Approval, ApprovalModal
from hotpass_tui.screens.form import FormModal

TARGETS = ("cli", "data-quality", "contracts", "enrichment", "ledger", "docs")  # core.qa.TARGETS
STYLE = {"pass": "green", "fail": "red", "waived": "yellow", "no output": "yellow"}
TICKET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


class GatesRan(Message):
    def __init__(self, report: Any, error: Any) -> None:  # core.qa.result.QaReport, HotpassError | None
        super().__init__()
        self.report, self.error = report, error


class IncidentFiled(Message):
    def __init__(self, bundle: Any) -> None:  # core.qa.incidents.IncidentBundle
        super().__init__()
        self.bundle = bundle


@dataclass(frozen=True)
class NewIncident:
    ticket_id: str
    summary: str
    severity: str


class IncidentModal(FormModal[NewIncident | None]):
    FIELDS = ("#incident-ticket", "#incident-summary", "#incident-severity")

    def __init__(self, case_id: str, suggestion: str) -> None:
        super().__init__()
        self._case_id, self._suggestion = case_id, suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Open an incident for case {self._case_id}", classes="dialog-title", markup=False)
            yield Static("The case's outputs, reports, notices, lineage events and a ledger excerpt are copied "
                         "to dist/incidents/<ticket>/ with SHA256SUMS.", classes="dialog-body")
            yield Input(placeholder="ticket id, e.g. INC-1042 (Enter moves on)", id="incident-ticket")
            yield Input(value=self._suggestion, placeholder="what went wrong", id="incident-summary")
            yield Input(placeholder="severity: low, medium or high (Enter files it)", id="incident-severity")
            yield Static("", id="incident-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Open incident", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def submit(self) -> None:
        ticket = self.query_one("#incident-ticket", Input).value.strip()
        summary = self.query_one("#incident-summary", Input).value.strip()
        severity = self.query_one("#incident-severity", Input).value.strip().lower() or "medium"
        problem = self.query_one("#incident-problem", Static)
        if not TICKET.match(ticket) or ".." in ticket:
            problem.update("A ticket id of letters, digits, '.', '_' or '-' (no '/' and no '..').")
            self.focus_field("#incident-ticket")
            return
        if not summary:
            problem.update("Say what went wrong.")
            self.focus_field("#incident-summary")
            return
        if severity not in ("low", "medium", "high"):
            problem.update("Severity is low, medium or high.")
            self.focus_field("#incident-severity")
            return
        self.dismiss(NewIncident(ticket, summary, severity))


class QualityPane(StepPane):
    STEP = "6"
    DEFAULT_FOCUS = "#gate-table"
    BINDINGS = [
        Binding("r", "run_all", "Run all"),
        Binding("o", "run_one", "Run one"),
        Binding("enter", "detail", "Detail", show=False),
        Binding("w", "waive", "Waive"),
        Binding("i", "incident", "Incident"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: Any = None
        self.running = False
        self.cancel_event = threading.Event()

    def compose_body(self) -> ComposeResult:
        yield Static("Press r to run every gate on this case's latest outputs.", id="gate-headline")
        yield DataTable(id="gate-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="gate-detail"):
            yield Static("", id="gate-detail-text")

    def on_mount(self) -> None:
        table = self.query_one("#gate-table", DataTable)
        for column in ("gate", "status", "checked"):
            table.add_column(column, key=column)
        for target in TARGETS:
            table.add_row(target, "—", "not run yet", key=target)

    def stop_work(self) -> None:
        self.cancel_event.set()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("run_all", "run_one"):
            return not self.running
        return True

    # -- running -------------------------------------------------------------------------------
    def action_run_all(self) -> None:
        self._run(TARGETS)

    def action_run_one(self) -> None:
        self._run((self._selected(),))

    def _run(self, targets: tuple[str, ...]) -> None:
        from core.runbook.steps.quality import QualityOptions

        if self.running:
            return
        self.running = True
        self.cancel_event = cancel = threading.Event()
        service, session = self.service, self.session
        case_id, input_dir, profile = session.case_id, session.input_dir, session.profile
        self.query_one("#gate-headline", Static).update(f"Running {', '.join(targets)}…")

        def call() -> Any:
            from hotpass_tui.cli import build_parser

            result = service.run_step("quality", case_id, input_dir, profile, lambda _event: None, cancel,
                                      QualityOptions(targets, build_parser), action="qa " + " ".join(targets))
            report = result.payload if result.payload is not None else getattr(result.error, "qa_report", None)
            if report is None and result.error is not None:
                result.raise_for_status()
            return report, result.error

        self.run_job("quality", call, lambda pair: GatesRan(*pair))

    @on(GatesRan)
    def _ran(self, message: GatesRan) -> None:
        message.stop()
        self.running = False
        self.refresh_bindings()
        report = message.report
        if self.report is not None and len(report.gates) < len(TARGETS):  # one gate run again: keep the rest
            kept = {g.target: g for g in self.report.gates}
            kept.update({g.target: g for g in report.gates})
            report.gates = [kept[t] for t in TARGETS if t in kept]
        self.report = report
        table = self.query_one("#gate-table", DataTable)
        for gate in report.gates:
            table.update_cell(gate.target, "status", Text(gate.status, style=STYLE.get(gate.status, "")),
                              update_width=True)
            table.update_cell(gate.target, "checked", gate.checked, update_width=True)
        failing = [g.target for g in report.gates if g.status in ("fail", "no output")]
        waived = [g.target for g in report.gates if g.status == "waived"]
        words = Text()
        if failing:
            words.append(f"{len(failing)} failing: {', '.join(failing)}", style="bold red")
            words.append(" · Enter shows why, w waives, i opens an incident")
        else:
            words.append("All gates pass", style="bold green")
            if waived:
                words.append(f" ({len(waived)} waived: {', '.join(waived)})")
        self.query_one("#gate-headline", Static).update(words)
        self.action_detail()

    @on(JobFailed)
    def _failed(self, message: JobFailed) -> None:
        self.running = False
        self.refresh_bindings()
        self.query_one("#gate-headline", Static).update("The gates could not run (see the message); r tries again.")

    @on(DataTable.RowHighlighted, "#gate-table")
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.action_detail()

    def action_detail(self) -> None:
        target = self._selected()
        gate = self.report.gate(target) if self.report is not None else None
        text = Text()
        if gate is None:
            text.append(f"{target}: not run yet (r runs every gate, o this one).")
        else:
            text.append(f"{gate.target}: {gate.status}\n", style=f"bold {STYLE.get(gate.status, '')}")
            text.append(f"checked: {gate.checked}\n")
            for line in gate.failed:
                text.append(f"  ✗ {line}\n")
            if gate.waiver is not None:
                text.append(f"  ↳ {gate.waiver.line()}\n", style="yellow")
        self.query_one("#gate-detail-text", Static).update(text)

    def _selected(self) -> str:
        table = self.query_one("#gate-table", DataTable)
        row = table.cursor_row if table.row_count else 0
        return TARGETS[min(max(row, 0), len(TARGETS) - 1)]

    # -- decisions on record -------------------------------------------------------------------------
    def action_waive(self) -> None:
        target, case_id = self._selected(), self.session.case_id
        gate = self.report.gate(target) if self.report is not None else None
        if gate is None or gate.status != "fail":
            self.notify(f"Only a failing gate can be waived; {target} is "
                        f"{gate.status if gate else 'not run yet'}.", severity="warning")
            return
        body = (f"{target} failed: {gate.failed[0] if gate.failed else gate.checked}\n"
                "The waiver goes in the ledger with your comment; qa then shows this gate as waived for "
                f"case {case_id}.")
        modal = ApprovalModal(f"Waive the {target} gate for {case_id}", body, confirm="Waive")
        self.app.push_screen(modal, lambda answer: self._record_waiver(target, case_id, answer))

    def _record_waiver(self, target: str, case_id: str, answer: Approval | None) -> None:
        if answer is None:
            return
        from core.qa.waivers import waiver_subject

        service = self.service
        self.run_job("quality-waiver", lambda: service.approve("waiver", waiver_subject(case_id, target), None,
                                                               "approve", answer.comment, case_id),
                     lambda _entry: LedgerChanged(f"Waiver recorded for {target} on {case_id}; r runs the gates again."))

    def action_incident(self) -> None:
        case_id = self.session.case_id
        failing = [g.target for g in self.report.gates if g.status == "fail"] if self.report is not None else []
        suggestion = f"quality gate {failing[0]} failed" if failing else ""
        self.app.push_screen(IncidentModal(case_id, suggestion), lambda answer: self._file(case_id, answer))

    def _file(self, case_id: str, answer: NewIncident | None) -> None:
        if answer is None:
            return
        service = self.service
        self.run_job("incident", lambda: service.open_incident(case_id, answer.ticket_id, answer.summary,
                                                               answer.severity), IncidentFiled)

    @on(IncidentFiled)
    def _filed(self, message: IncidentFiled) -> None:
        message.stop()
        bundle = message.bundle
        self.post_message(LedgerChanged(f"Incident {bundle.ticket_id} opened: {len(bundle.files)} files in "
                                        f"dist/incidents/{bundle.ticket_id}/ (ledger #{bundle.entry_seq})."))
