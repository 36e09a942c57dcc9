"""What the telemetry dashboard shows for a case, read from the ledger and the case's outputs.

Every part may have nothing yet (no quality run, no enriched workbook, no lineage): it is then
None or empty, and the face says so in words. Values from workbooks never appear here, only
counts, names of fields and of provenance sources.

Run history: a refine run's numbers (rows in, organisations out, mean quality) come from the run's
own facts in the ledger when it records them (`facts.rows_in`…); else they are read from its
outputs while they are still the current ones (their SHA-256 matches the ledger's record of the
run) and kept in `.hotpass/cache/run-history.json`, since the next run replaces those files.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COVERAGE_FIELDS = ("contact_primary_email", "contact_primary_phone", "website", "province", "address_primary",
                   "contact_primary_name")
HISTORY_RUNS = 12
LINEAGE_TAIL_BYTES = 1 << 20


@dataclass(frozen=True)
class QualityStatus:
    status: str  # ok | failed | …: the latest `quality` run's outcome
    exit_code: int
    at: str
    warnings: int
    gates: list[tuple[str, str]] = field(default_factory=list)  # (gate, outcome) when the run lists them


@dataclass(frozen=True)
class Coverage:
    """Filled cells per field, refined → enriched."""

    rows: int
    fields: list[tuple[str, int, int]]  # (field, filled in refined, filled in enriched)


@dataclass(frozen=True)
class RunPoint:
    run_id: str
    at: str
    status: str
    rows_in: int | None = None
    rows_out: int | None = None
    mean_quality: float | None = None


@dataclass(frozen=True)
class LineageEvent:
    event_type: str
    event_time: str
    job: str
    inputs: int
    outputs: int


@dataclass
class Dashboard:
    case_id: str
    quality: QualityStatus | None = None
    coverage: Coverage | None = None
    provenance: list[tuple[str, int]] = field(default_factory=list)  # (provenance_source, rows)
    history: list[RunPoint] = field(default_factory=list)  # oldest first
    lineage_run: str | None = None
    lineage: list[LineageEvent] = field(default_factory=list)
    flow_runs: list | None = None  # core.net.probe.FlowRun, read through the tunnel; None: no tunnel up
    prefect_note: str = "no tunnel to Prefect is up"
    marquez_url: str | None = None  # where Marquez's web UI is forwarded, on this machine
    notes: list[str] = field(default_factory=list)  # parts that could not be read, in words


def read_dashboard(workspace, case, ledger, tunnels: list | None = None) -> Dashboard:
    """The case's parts, and with `tunnels` (core.net.manager.status) Prefect's runs and Marquez's URL."""
    board = Dashboard(case.case_id)
    if tunnels:
        live_parts(board, tunnels, workspace.network.timeout_s)
    runs = ledger.entries(kind="run", case_id=case.case_id, limit=200)  # newest first
    board.quality = latest_quality(runs)
    enriched = case.output_dir / "enriched.xlsx"
    if enriched.is_file():
        try:
            board.coverage, board.provenance = enrichment(case.refined_path, enriched)
        except Exception as exc:  # noqa: BLE001 - one unreadable part must not blank the dashboard
            board.notes.append(f"enriched.xlsx could not be read ({type(exc).__name__})")
    board.history = run_history(runs, case, workspace.cache_dir / "run-history.json")
    board.lineage_run, board.lineage = latest_lineage(case.output_dir / "lineage" / "events.jsonl")
    return board


def live_parts(board: Dashboard, tunnels: list, timeout: float) -> None:
    """Prefect's recent flow runs through the first live tunnel that forwards to it; Marquez's local URL."""
    from core.errors import NetworkError
    from core.net.probe import prefect_flow_runs

    for status in tunnels:
        if not status.alive or status.state.status != "up":
            continue
        ports = status.state.ports
        if board.marquez_url is None and ports.get("marquez"):
            board.marquez_url = f"http://127.0.0.1:{ports['marquez']}/"
        if board.flow_runs is None and ports.get("prefect"):
            try:
                board.flow_runs = prefect_flow_runs(ports["prefect"], timeout=timeout)
                board.prefect_note = f"through tunnel {status.state.label}, 127.0.0.1:{ports['prefect']}"
            except NetworkError as exc:
                board.prefect_note = exc.message


# -- quality gates -------------------------------------------------------------------------------
def _step_of(entry) -> str:
    return str(entry.payload.get("step") or entry.payload.get("command") or entry.subject)


def latest_quality(runs: list) -> QualityStatus | None:
    for entry in runs:
        if _step_of(entry) == "quality":
            payload = entry.payload
            facts = payload.get("facts") or {}
            gates = [(str(g.get("gate") or g.get("name")), str(g.get("outcome") or g.get("status")))
                     for g in facts.get("gates", []) if isinstance(g, dict)]
            return QualityStatus(str(payload.get("status") or ("ok" if payload.get("exit_code") == 0 else "failed")),
                                 int(payload.get("exit_code", 0)), entry.at, len(payload.get("warnings") or []), gates)
    return None


# -- enrichment and provenance -------------------------------------------------------------------
def _data_sheet(path: Path) -> tuple[list[str], list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    name = "Data" if "Data" in book.sheet_names else book.sheet_names[0]
    rows = book.get_sheet_by_name(name).to_python()
    if not rows:
        return [], []
    return [str(h) for h in rows[0]], rows[1:]


def _filled(header: list[str], rows: list[list[Any]], column: str) -> int:
    if column not in header:
        return 0
    at = header.index(column)
    return sum(1 for row in rows if at < len(row) and row[at] not in ("", None))


def enrichment(refined: Path, enriched: Path) -> tuple[Coverage, list[tuple[str, int]]]:
    header, rows = _data_sheet(enriched)
    before_header, before_rows = _data_sheet(refined) if refined.is_file() else ([], [])
    fields = [(name, _filled(before_header, before_rows, name), _filled(header, rows, name))
              for name in COVERAGE_FIELDS if name in header]
    counts: dict[str, int] = {}
    if "provenance_source" in header:
        at = header.index("provenance_source")
        for row in rows:
            source = str(row[at]) if at < len(row) and row[at] not in ("", None) else "(none)"
            counts[source] = counts.get(source, 0) + 1
    return Coverage(len(rows), fields), sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# -- run history ---------------------------------------------------------------------------------
def _output_hashes(payload: dict) -> dict[str, str]:
    return {Path(o["path"]).name: o.get("sha256") for o in payload.get("outputs", []) if o.get("path")}


def _current_numbers(case, hashes: dict[str, str]) -> dict[str, Any] | None:
    from core.staging import sha256_of

    report = case.reports_dir / "refine-report.json"
    if not report.is_file() or hashes.get(report.name) != sha256_of(report):
        return None
    data = json.loads(report.read_text(encoding="utf-8"))
    numbers = {"rows_in": data.get("rows_in"), "rows_out": data.get("organisations_out"),
               "mean_quality": data.get("mean_quality")}
    refined = case.refined_path
    if numbers["mean_quality"] is None and refined.is_file() and hashes.get(refined.name) == sha256_of(refined):
        numbers["mean_quality"] = _summary_mean_quality(refined)
    return numbers


def _summary_mean_quality(path: Path) -> float | None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    if "Summary" not in book.sheet_names:
        return None
    for row in book.get_sheet_by_name("Summary").to_python():
        if row and row[0] == "Mean data quality score" and len(row) > 1:
            try:
                return float(row[1])
            except (TypeError, ValueError):
                return None
    return None


def run_history(runs: list, case, cache_path: Path) -> list[RunPoint]:
    refines = [e for e in runs if _step_of(e) == "refine"][:HISTORY_RUNS]
    cache = _read_cache(cache_path)
    changed = False
    points = []
    for entry in reversed(refines):
        payload = entry.payload
        run_id = str(payload.get("run_id") or entry.seq)
        key = f"{case.case_id}/{run_id}"
        facts = payload.get("facts") or {}
        numbers = cache.get(key) or ({"rows_in": facts["rows_in"], "rows_out": facts.get("organisations_out"),
                                      "mean_quality": facts.get("mean_quality")} if "rows_in" in facts else None)
        if numbers is None and payload.get("exit_code") == 0:
            try:
                numbers = _current_numbers(case, _output_hashes(payload))
            except (OSError, ValueError):
                numbers = None
            if numbers is not None:
                cache[key], changed = numbers, True
        numbers = numbers or {}
        points.append(RunPoint(run_id, entry.at, str(payload.get("status") or payload.get("exit_code")),
                               numbers.get("rows_in"), numbers.get("rows_out"), numbers.get("mean_quality")))
    if changed:
        _write_cache(cache_path, cache)
    return points


def _read_cache(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_cache(path: Path, cache: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".run-history.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(cache, handle, sort_keys=True)
        os.replace(temp, path)
    except OSError:
        pass  # a cache: the next read tries again


# -- lineage -------------------------------------------------------------------------------------
def latest_lineage(path: Path) -> tuple[str | None, list[LineageEvent]]:
    """The events of the newest run in events.jsonl (its tail is enough: runs append in order)."""
    if not path.is_file():
        return None, []
    with open(path, "rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - LINEAGE_TAIL_BYTES))
        lines = handle.read().decode("utf-8", errors="replace").splitlines()
    events = []
    for line in lines:
        try:
            events.append(json.loads(line))
        except ValueError:
            continue  # the first, cut line of the tail, or a torn last one
    if not events:
        return None, []
    run_id = (events[-1].get("run") or {}).get("runId")
    chosen = [e for e in events if (e.get("run") or {}).get("runId") == run_id]
    return run_id, [LineageEvent(str(e.get("eventType", "")), str(e.get("eventTime", "")),
                                 f"{(e.get('job') or {}).get('namespace', '')}/{(e.get('job') or {}).get('name', '')}",
                                 len(e.get("inputs") or []), len(e.get("outputs") or [])) for e in chosen]
