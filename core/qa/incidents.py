"""Incidents: the case's latest evidence copied to dist/incidents/<ticket-id>/ with a SHA256SUMS, and
the incident recorded in the ledger (ledger.Ledger.record_incident / record_incident_closed).

The folder is built beside its final place and renamed into it, so a reader never sees half of it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import UsageError

if TYPE_CHECKING:
    from core.case import Case
    from ledger import Ledger

SEVERITIES = ("low", "medium", "high")
SUMS = "SHA256SUMS"
LEDGER_EXCERPT = "ledger-excerpt.jsonl"
_TICKET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


@dataclass
class IncidentBundle:
    ticket_id: str
    folder: Path
    files: list[str] = field(default_factory=list)  # relative to the folder, SHA256SUMS included last
    entry_seq: int = 0
    missing: list[str] = field(default_factory=list)  # evidence the case does not have yet


def check_ticket(ticket_id: str) -> str:
    """A ticket id names a folder: no path separator, no `..`, nothing hidden."""
    if ("/" in ticket_id or "\\" in ticket_id or ".." in ticket_id or os.sep in ticket_id
            or not _TICKET.match(ticket_id)):
        raise UsageError(f"ticket id {ticket_id!r} cannot name a folder", key="TICKET",
                         hint="letters, digits, '.', '_' and '-' only (e.g. INC-1042), no path separator or '..'")
    return ticket_id


def incidents_root(case: "Case") -> Path:
    return case.dist_root / "incidents"


def incident_folder(case: "Case", ticket_id: str) -> Path:
    return incidents_root(case) / check_ticket(ticket_id)


def _evidence(case: "Case") -> tuple[list[tuple[str, Path]], list[str]]:
    """(name in the bundle, file) for the case's latest outputs, reports, notices and lineage events."""
    out: list[tuple[str, Path]] = []
    missing = []
    for name, path in (("outputs/refined.xlsx", case.refined_path),
                       ("outputs/enriched.xlsx", case.output_dir / "enriched.xlsx"),
                       ("outputs/review-queue.json", case.review_queue_path)):
        (out.append((name, path)) if path.is_file() else missing.append(name))
    for folder, prefix in ((case.output_dir / "contracts", "contracts"), (case.reports_dir, "reports"),
                           (case.output_dir / "lineage", "lineage")):
        files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
        out += [(f"{prefix}/{p.relative_to(folder).as_posix()}", p) for p in files]
        if not files:
            missing.append(prefix + "/")
    run_id = _refine_run_id(case)
    notices = case.notices_dir(run_id) if run_id else None
    if notices is not None and notices.is_dir():
        out += [(f"notices/{p.relative_to(notices).as_posix()}", p) for p in sorted(notices.rglob("*")) if p.is_file()]
    else:
        missing.append("notices/")
    return out, missing


def _refine_run_id(case: "Case") -> str | None:
    try:
        report = json.loads((case.reports_dir / "refine-report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    run_id = report.get("run_id") if isinstance(report, dict) else None
    return str(run_id) if run_id and "/" not in str(run_id) and ".." not in str(run_id) else None


def _sha256(path: Path) -> str:
    from core.staging import sha256_of

    return sha256_of(path)


def open_incident(case: "Case", ledger: "Ledger", ticket_id: str, summary: str, severity: str = "medium",
                  who: str | None = None) -> IncidentBundle:
    check_ticket(ticket_id)
    if severity not in SEVERITIES:
        raise UsageError(f"severity must be low, medium or high, not {severity!r}", key="--severity")
    if not summary.strip():
        raise UsageError("an incident needs a summary", key="--summary", hint='--summary "what went wrong"')
    final = incident_folder(case, ticket_id)
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = final.parent / f".{ticket_id}.{os.getpid()}.tmp"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    try:
        evidence, missing = _evidence(case)
        bundle = IncidentBundle(ticket_id, final, missing=missing)
        for name, source in evidence:
            target = temp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            bundle.files.append(name)
        entries = ledger.entries(case_id=case.case_id, limit=500)
        anchor = ledger.anchor()
        with open(temp / LEDGER_EXCERPT, "w", encoding="utf-8") as out:
            out.write(json.dumps({"ledger_anchor": anchor, "case": case.case_id}, sort_keys=True) + "\n")
            for entry in sorted(entries, key=lambda e: e.seq):
                out.write(json.dumps(entry.to_dict(), sort_keys=True, default=str) + "\n")
        bundle.files.append(LEDGER_EXCERPT)
        now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        lines = [f"# Incident {ticket_id}", "", f"* Summary: {summary}", f"* Severity: {severity}",
                 f"* Case: {case.case_id}", f"* Filed: {now} by {who or 'unknown'}",
                 f"* Ledger: {anchor['count']} entries, head {anchor['head_hash']}", "", "## Evidence", ""]
        lines += [f"* {name}" for name in bundle.files]
        lines += ["", "## Not available when filed", ""] + [f"* {name}" for name in missing] if missing else []
        (temp / "INCIDENT.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        bundle.files.append("INCIDENT.md")
        sums = "".join(f"{_sha256(temp / name)}  {name}\n" for name in sorted(bundle.files))
        (temp / SUMS).write_text(sums, encoding="utf-8")
        bundle.files.append(SUMS)
        if final.exists():  # filed again: the new evidence replaces the old folder whole
            old = final.parent / f".{ticket_id}.{os.getpid()}.old"
            os.replace(final, old)
            os.replace(temp, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temp, final)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    entry = ledger.record_incident(ticket_id, summary, severity, case_id=case.case_id, who=who)
    bundle.entry_seq = entry.seq
    return bundle


def verify_sums(folder: Path) -> list[str]:
    """What in the folder no longer matches its SHA256SUMS (empty when everything does)."""
    sums = folder / SUMS
    if not sums.is_file():
        return [f"{SUMS} missing"]
    problems, listed = [], set()
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        listed.add(name)
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif _sha256(path) != digest:
            problems.append(f"{name}: changed")
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name != SUMS and name not in listed:
            problems.append(f"{name}: not in {SUMS}")
    return problems
