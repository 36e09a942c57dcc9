"""The kinds of ledger entry, each registered once: its name, its one-line summary, its export section.

A new kind (incidents, waivers, tunnels, hand-offs…) is one ``register(EntryKind(...))`` here plus,
if callers need one, a typed append method in append.py. ``KINDS`` (the CLI's ``--kind`` choices,
``Ledger.entries(kind=…)``'s check), ``Entry.summary`` and the governance log's sections all read
this registry, so none of them is edited for a new kind.

No import of models.py at run time: models.py imports this module for the summaries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Entry


@dataclass(frozen=True)
class ExportSection:
    """A section of governance-log.md: one table row per entry of the kind, oldest first."""

    title: str
    columns: tuple[str, ...]
    row: Callable[[Entry], list[Any]]
    empty: str
    order: int  # sections are written in ascending order


@dataclass(frozen=True)
class EntryKind:
    name: str
    summary: Callable[[Entry], str]
    export_section: ExportSection | None = None  # None: not in the governance log (next steps have their own file)
    description: str = ""


_REGISTRY: dict[str, EntryKind] = {}


def register(kind: EntryKind) -> EntryKind:
    """Add a kind. Registering the same name twice is a programming error, not an override."""
    if kind.name in _REGISTRY and _REGISTRY[kind.name] is not kind:
        raise ValueError(f"ledger entry kind {kind.name!r} is already registered")
    _REGISTRY[kind.name] = kind
    return kind


def kind_of(name: str) -> EntryKind | None:
    return _REGISTRY.get(name)


def export_sections() -> list[tuple[str, ExportSection]]:
    """(kind name, section) in the order the governance log writes them."""
    found = [(k.name, k.export_section) for k in _REGISTRY.values() if k.export_section is not None]
    return sorted(found, key=lambda pair: pair[1].order)


class _KindNames(Sequence[str]):
    """The registered names, read live: a kind registered after import is in it too."""

    def __getitem__(self, index: Any) -> Any:
        return tuple(_REGISTRY)[index]

    def __len__(self) -> int:
        return len(_REGISTRY)

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(_REGISTRY))

    def __contains__(self, name: object) -> bool:
        return name in _REGISTRY

    def __repr__(self) -> str:
        return repr(tuple(_REGISTRY))


KINDS: Sequence[str] = _KindNames()

DECISIONS = ("approve", "reject")

# What an approval can be about (SPEC §9): canonical name first, then accepted spellings.
SUBJECT_KINDS: dict[str, tuple[str, ...]] = {
    "contract": ("contract", "data-contract", "data_contract"),
    "enrichment": ("enrichment", "network-enrichment", "network_enrichment", "network"),
    "review": ("review", "review-decision", "review_decision"),
    "waiver": ("waiver", "quality-gate-waiver", "quality_gate_waiver", "gate-waiver", "gate_waiver", "qa-waiver"),
    "handoff": ("handoff", "hand-off", "hand_off"),
}


def register_subject_kind(name: str, *spellings: str) -> None:
    """Something new an approval can be about (the CLI's approvals --kind choices follow)."""
    SUBJECT_KINDS[name] = (name, *spellings)


# -- the kinds ------------------------------------------------------------------------------------

KIND_RUN = "run"
KIND_APPROVAL = "approval"
KIND_REVIEW = "review_decision"
KIND_STEP_OPENED = "next_step_opened"
KIND_STEP_DONE = "next_step_done"
KIND_INCIDENT = "incident"
KIND_HANDOFF = "handoff"
KIND_INCIDENT_CLOSED = "incident_closed"
KIND_DEVIATION = "deviation"
KIND_HANDOFF_PUSH = "handoff_push"


def _comment(p: dict[str, Any]) -> str:
    return f" — {p['comment']}" if p.get("comment") else ""


def _sha(value: Any) -> str:
    return f"{str(value)[:12]}…" if value else "?"


def _run_summary(e: Entry) -> str:
    p = e.payload
    line = " ".join(p.get("argv") or [e.subject])
    line = line if len(line) <= 60 else line[:59] + "…"
    text = (f"{line} → exit {p.get('exit_code')} "
            f"({len(p.get('inputs', []))} in, {len(p.get('outputs', []))} out, {p.get('duration_s', 0):.1f} s)")
    step = " ".join(str(p[k]) for k in ("step", "status") if p.get(k))
    return f"{step}: {text}" if step else text


def _approval_summary(e: Entry) -> str:
    p = e.payload
    text = f"{p.get('decision')} {p.get('subject_kind')} {p.get('subject')}"
    if p.get("artefact_sha256"):
        text += f" (sha256 {str(p['artefact_sha256'])[:12]}…)"
    return text + _comment(p)


def _step_opened_summary(e: Entry) -> str:
    p = e.payload
    extra = ", ".join(x for x in (f"owner {p['owner']}" if p.get("owner") else "",
                                  f"due {p['due']}" if p.get("due") else "") if x)
    return f"{e.subject} opened: {p.get('text')}" + (f" ({extra})" if extra else "")


def when_text(at: str | None) -> str:
    """An ISO time as the exports show it: '2026-05-01 12:00:00 UTC'."""
    return at[:19].replace("T", " ") + " UTC" if at else "—"


register(EntryKind(
    KIND_RUN, _run_summary, description="a Hotpass command or runbook step ran",
    export_section=ExportSection(
        "Runs", ("Entry", "Started", "Who", "Host", "Command", "Step", "Status", "Case", "Exit", "Inputs", "Outputs"),
        lambda e: [f"#{e.seq}", when_text(e.payload.get("started_at")), e.who, e.host, e.subject,
                   e.payload.get("step"), e.payload.get("status"), e.case_id, e.payload.get("exit_code"),
                   len(e.payload.get("inputs", [])), len(e.payload.get("outputs", []))],
        "_No runs recorded._", 90),
))
register(EntryKind(
    KIND_APPROVAL, _approval_summary, description="an approval or rejection of an artefact",
    export_section=ExportSection(
        "Approvals", ("Entry", "When", "Who", "Decision", "Subject kind", "Subject", "Case", "Artefact SHA-256",
                      "Comment"),
        lambda e: [f"#{e.seq}", when_text(e.at), e.who, e.payload.get("decision"), e.payload.get("subject_kind"),
                   e.payload.get("subject"), e.case_id, e.payload.get("artefact_sha256"), e.payload.get("comment")],
        "_No approvals recorded._", 10),
))
register(EntryKind(
    KIND_REVIEW, lambda e: f"{e.payload.get('decision')} pair {e.payload.get('pair_id')}" + _comment(e.payload),
    description="a review pair approved (merged) or rejected (kept apart)",
    export_section=ExportSection(
        "Review decisions", ("Entry", "When", "Who", "Case", "Pair", "Decision", "Summary", "Comment"),
        lambda e: [f"#{e.seq}", when_text(e.at), e.who, e.case_id, e.payload.get("pair_id"), e.payload.get("decision"),
                   e.payload.get("summary"), e.payload.get("comment")],
        "_No review decisions recorded._", 20),
))
register(EntryKind(KIND_STEP_OPENED, _step_opened_summary, description="a next step opened (Next_Steps_Log.md)"))
register(EntryKind(KIND_STEP_DONE, lambda e: f"{e.subject} done" + _comment(e.payload),
                   description="a next step marked done (Next_Steps_Log.md)"))
register(EntryKind(
    KIND_INCIDENT, lambda e: f"{e.payload.get('ticket_id')} [{e.payload.get('severity')}] {e.payload.get('summary')}",
    description="an incident filed",
    export_section=ExportSection(
        "Incidents", ("Entry", "When", "Who", "Ticket", "Severity", "Case", "Summary"),
        lambda e: [f"#{e.seq}", when_text(e.at), e.who, e.payload.get("ticket_id"), e.payload.get("severity"),
                   e.case_id, e.payload.get("summary")],
        "_No incidents recorded._", 40),
))
register(EntryKind(
    KIND_INCIDENT_CLOSED, lambda e: f"{e.payload.get('ticket_id')} closed" + _comment(e.payload),
    description="an incident closed",
    export_section=ExportSection(
        "Incidents closed", ("Entry", "When", "Who", "Ticket", "Case", "Comment"),
        lambda e: [f"#{e.seq}", when_text(e.at), e.who, e.payload.get("ticket_id"), e.case_id,
                   e.payload.get("comment")],
        "_No incidents closed._", 45),
))
register(EntryKind(
    KIND_HANDOFF,
    lambda e: (f"hand-off of {e.case_id} (manifest sha256 {_sha(e.payload.get('manifest_sha256'))})"
               + _comment(e.payload)),
    description="a case signed off for hand-off",
    export_section=ExportSection(
        "Hand-offs", ("Entry", "When", "Who", "Case", "Manifest SHA-256", "Comment"),
        lambda e: [f"#{e.seq}", when_text(e.at), e.who, e.case_id, e.payload.get("manifest_sha256"),
                   e.payload.get("comment")],
        "_No hand-offs recorded._", 30),
))
register(EntryKind(
    KIND_DEVIATION, lambda e: f"deviation in {e.case_id}: {e.payload.get('what')} — because {e.payload.get('why')}",
    description="an operator-recorded deviation from the runbook, for the hand-off summary",
    export_section=ExportSection(
        "Deviations", ("Entry", "When", "Who", "Case", "What", "Why"),
        lambda e: [f"#{e.seq}", when_text(e.at), e.who, e.case_id, e.payload.get("what"), e.payload.get("why")],
        "_No deviations recorded._", 32),
))
register(EntryKind(
    KIND_HANDOFF_PUSH,
    lambda e: (f"hand-off of {e.case_id} pushed to {e.payload.get('destination')} ({e.payload.get('objects')} objects, "
               f"manifest sha256 {_sha(e.payload.get('manifest_sha256'))})"),
    description="a hand-off bundle pushed to an evidence store",
    export_section=ExportSection(
        "Hand-off pushes", ("Entry", "When", "Who", "Case", "Destination", "Objects", "Manifest SHA-256"),
        lambda e: [f"#{e.seq}", when_text(e.at), e.who, e.case_id, e.payload.get("destination"),
                   e.payload.get("objects"), e.payload.get("manifest_sha256")],
        "_No hand-off pushes recorded._", 35),
))
