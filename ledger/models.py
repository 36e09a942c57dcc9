"""What the ledger hands back: entries, next steps, verification reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KIND_RUN = "run"
KIND_APPROVAL = "approval"
KIND_REVIEW = "review_decision"
KIND_STEP_OPENED = "next_step_opened"
KIND_STEP_DONE = "next_step_done"
KIND_INCIDENT = "incident"
KIND_HANDOFF = "handoff"

KINDS = (KIND_RUN, KIND_APPROVAL, KIND_REVIEW, KIND_STEP_OPENED, KIND_STEP_DONE, KIND_INCIDENT, KIND_HANDOFF)

DECISIONS = ("approve", "reject")

# What an approval can be about (SPEC §9): canonical name first, then accepted spellings.
SUBJECT_KINDS = {
    "contract": ("contract", "data-contract", "data_contract"),
    "enrichment": ("enrichment", "network-enrichment", "network_enrichment", "network"),
    "review": ("review", "review-decision", "review_decision"),
    "waiver": ("waiver", "quality-gate-waiver", "quality_gate_waiver", "gate-waiver", "gate_waiver", "qa-waiver"),
    "handoff": ("handoff", "hand-off", "hand_off"),
}


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
        """One line for a log view."""
        p = self.payload
        if self.kind == KIND_RUN:
            line = " ".join(p.get("argv") or [self.subject])
            line = line if len(line) <= 60 else line[:59] + "…"
            return (
                f"{line} → exit {p.get('exit_code')} "
                f"({len(p.get('inputs', []))} in, {len(p.get('outputs', []))} out, {p.get('duration_s', 0):.1f} s)"
            )
        if self.kind == KIND_APPROVAL:
            sha = (p.get("artefact_sha256") or "")[:12]
            text = f"{p.get('decision')} {p.get('subject_kind')} {p.get('subject')}"
            if sha:
                text += f" (sha256 {sha}…)"
            return text + (f" — {p['comment']}" if p.get("comment") else "")
        if self.kind == KIND_REVIEW:
            return f"{p.get('decision')} pair {p.get('pair_id')}" + (f" — {p['comment']}" if p.get("comment") else "")
        if self.kind == KIND_STEP_OPENED:
            extra = ", ".join(x for x in (f"owner {p['owner']}" if p.get("owner") else "", f"due {p['due']}" if p.get("due") else "") if x)
            return f"{self.subject} opened: {p.get('text')}" + (f" ({extra})" if extra else "")
        if self.kind == KIND_STEP_DONE:
            return f"{self.subject} done" + (f" — {p['comment']}" if p.get("comment") else "")
        if self.kind == KIND_INCIDENT:
            return f"{p.get('ticket_id')} [{p.get('severity')}] {p.get('summary')}"
        if self.kind == KIND_HANDOFF:
            return f"hand-off of {self.case_id} (manifest sha256 {str(p.get('manifest_sha256'))[:12]}…)" + (
                f" — {p['comment']}" if p.get("comment") else ""
            )
        return self.subject


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
