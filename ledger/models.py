"""What the ledger hands back: entries, next steps, verification reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The kinds live in kinds.py (one registration each); re-exported for modules that import them from here.
from .kinds import (  # noqa: F401
    DECISIONS,
    KIND_APPROVAL,
    KIND_DEVIATION,
    KIND_HANDOFF,
    KIND_HANDOFF_PUSH,
    KIND_INCIDENT,
    KIND_INCIDENT_CLOSED,
    KIND_REVIEW,
    KIND_RUN,
    KIND_STEP_DONE,
    KIND_STEP_OPENED,
    KINDS,
    SUBJECT_KINDS,
    kind_of,
)


@dataclass(frozen=True)
class Entry:
    """One row of the ledger. ``payload`` is the decoded canonical JSON."""

    seq: int
    kind: str
    at: str
    who: str
    host: str
    case_id: str | None
    subject: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    @property
    def step_id(self) -> str | None:
        """For next-step entries, the step's id (``NS-3``)."""
        return self.subject if self.kind in (KIND_STEP_OPENED, KIND_STEP_DONE) else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        """One line for a log view, in the words its kind registered (kinds.py)."""
        kind = kind_of(self.kind)
        return kind.summary(self) if kind is not None else self.subject


@dataclass
class NextStep:
    """A next step as derived from its entries: opened, then maybe done."""

    id: str
    text: str
    owner: str | None
    due: str | None
    case_id: str | None
    opened_at: str
    opened_by: str
    opened_seq: int
    status: str = "open"
    done_at: str | None = None
    done_by: str | None = None
    done_seq: int | None = None
    comment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Incident:
    """An incident as derived from its entries: filed, then maybe closed (filing it again reopens it)."""

    ticket_id: str
    summary: str
    severity: str
    case_id: str | None
    opened_at: str
    opened_by: str
    opened_seq: int
    status: str = "open"
    closed_at: str | None = None
    closed_by: str | None = None
    closed_seq: int | None = None
    comment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Deviation:
    """A deviation from the runbook an operator recorded for a case's hand-off summary."""

    case_id: str
    what: str
    why: str
    at: str
    who: str
    seq: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class VerifyReport:
    """The outcome of ``Ledger.verify``. ``problems`` name the entry (``#seq``) and what changed."""

    ok: bool
    problems: list[str]
    count: int
    head_hash: str
    path: str = ""
    anchors_checked: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def raise_if_bad(self) -> None:
        """Raise ``LedgerTampered`` (exit 9) naming every problem."""
        if self.ok:
            return
        from core.errors import LedgerTampered

        first = self.problems[0] if self.problems else "the chain does not verify"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        raise LedgerTampered(
            f"ledger does not verify: {first}{more}",
            hint="keep the file as evidence; compare it with the last export (hotpass ledger verify --anchor FILE)",
            file=self.path,
            details=list(self.problems),
        )


def derive_next_steps(entries: list[Entry]) -> list[NextStep]:
    """Next steps from their entries (oldest first): opened, then the first done entry closes them."""
    steps: dict[str, NextStep] = {}
    for e in entries:
        if e.kind == KIND_STEP_OPENED and e.subject not in steps:
            steps[e.subject] = NextStep(
                id=e.subject, text=e.payload.get("text", ""), owner=e.payload.get("owner"), due=e.payload.get("due"),
                case_id=e.case_id, opened_at=e.at, opened_by=e.who, opened_seq=e.seq,
            )
        elif e.kind == KIND_STEP_DONE and e.subject in steps and steps[e.subject].status == "open":
            s = steps[e.subject]
            s.status, s.done_at, s.done_by, s.done_seq = "done", e.at, e.who, e.seq
            s.comment = e.payload.get("comment", "")
    return list(steps.values())


def derive_incidents(entries: list[Entry]) -> list[Incident]:
    """Incidents from their entries (oldest first), in the order they were first filed."""
    found: dict[str, Incident] = {}
    for e in entries:
        ticket = str(e.payload.get("ticket_id") or e.subject)
        if e.kind == KIND_INCIDENT:
            known = found.get(ticket)
            if known is None or known.status == "closed":
                found.pop(ticket, None)  # a reopened ticket moves to where it was filed again
                found[ticket] = Incident(
                    ticket_id=ticket, summary=e.payload.get("summary", ""), severity=e.payload.get("severity", ""),
                    case_id=e.case_id, opened_at=e.at, opened_by=e.who, opened_seq=e.seq,
                )
        elif e.kind == KIND_INCIDENT_CLOSED and ticket in found and found[ticket].status == "open":
            i = found[ticket]
            i.status, i.closed_at, i.closed_by, i.closed_seq = "closed", e.at, e.who, e.seq
            i.comment = e.payload.get("comment", "")
    return list(found.values())
