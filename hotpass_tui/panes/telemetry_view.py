"""The telemetry dashboard's parts as text, each saying plainly when it has nothing yet.

Pure functions of core.net's dataclasses, so the pane only places them (and tests read them).
"""

from __future__ import annotations

from core.text import counted

from rich.text import Text


def tunnel_row(status) -> tuple[str, Text, str, str]:
    """(label, state, prefect, marquez) for the tunnels table; `status`: core.net.manager.TunnelStatus."""
    state = status.state
    words = status.words
    style = {"up": "green", "stopped": "dim", "reconnecting": "yellow"}.get(words.split(" ")[0], "red")
    answers = {p.name: p for p in status.probes}

    def cell(name: str) -> str:
        port = state.ports.get(name)
        if port is None:
            return "—"
        probe = answers.get(name)
        if probe is None:
            return f":{port}"
        return f":{port} {probe.rtt_ms:.0f}ms" if probe.ok else f":{port} no answer"

    return state.label, Text(words.split(" (")[0], style=style), cell("prefect"), cell("marquez")


def tunnel_detail(status) -> str:
    if status is None:
        return "No tunnels yet: n opens one through the bastion."
    state = status.state
    lines = [f"{state.label}: {state.spec.user + '@' if state.spec.user else ''}{state.spec.where}"
             f"  host key {state.fingerprint or 'not checked'}"]
    if state.last_error and state.status != "up":
        lines.append(f"last error: {state.last_error}")
    return "\n".join(lines)


def quality_text(quality) -> str:
    if quality is None:
        return "no quality gates run yet (step 6 runs them)"
    line = f"latest run {quality.status} (exit {quality.exit_code}) at {quality.at[:16].replace('T', ' ')}"
    if quality.warnings:
        line += f", {counted(quality.warnings, 'warning')}"
    gates = [f"  {gate}: {outcome}" for gate, outcome in quality.gates]
    return "\n".join([line, *gates])


def coverage_text(coverage) -> str:
    if coverage is None:
        return "no enriched workbook yet (step 3 writes dist/<case>/enriched.xlsx)"
    if not coverage.fields:
        return f"{coverage.rows:,} rows; none of the contact fields are in enriched.xlsx"
    width = max(len(_short(name)) for name, _before, _after in coverage.fields)
    lines = [f"{coverage.rows:,} rows, filled cells refined → enriched"]
    for name, before, after in coverage.fields:
        share = after / coverage.rows if coverage.rows else 0.0
        gain = f" (+{after - before:,})" if after > before else ""
        lines.append(f"  {_short(name):<{width}} {before:>6,} → {after:<6,} {share:>4.0%}{gain}")
    return "\n".join(lines)


def provenance_text(provenance: list[tuple[str, int]], enriched: bool) -> str:
    if not provenance:
        return ("no provenance_source column in enriched.xlsx" if enriched
                else "no provenance yet (enrich records where each row's values came from)")
    total = sum(count for _source, count in provenance) or 1
    width = max(len(source) for source, _count in provenance[:8])
    lines = [f"  {source:<{width}} {count:>7,} {count / total:>4.0%}" for source, count in provenance[:8]]
    if len(provenance) > 8:
        lines.append(f"  … {len(provenance) - 8} more sources")
    return "rows by provenance_source\n" + "\n".join(lines)


def lineage_text(run_id: str | None, events: list) -> str:
    if not events:
        return "no lineage events yet (refine writes dist/<case>/lineage/events.jsonl)"
    namespace = events[-1].job.partition("/")[0]
    lines = [f"run {run_id}" + (f" ({namespace})" if namespace else "")]
    for event in events[-6:]:
        job = event.job.partition("/")[2] or event.job
        lines.append(f"  {event.event_time[11:19]} {event.event_type:<8} {job}  {event.inputs}→{event.outputs}")
    return "\n".join(lines)


def prefect_text(flow_runs, note: str) -> str:
    if flow_runs is None:
        return f"{note}: bring a tunnel up (u) to read Prefect's flow runs"
    if not flow_runs:
        return f"no flow runs in Prefect yet ({note})"
    lines = [note]
    for run in flow_runs[:6]:
        started = (run.started or "not started")[:16].replace("T", " ")
        lines.append(f"  {started}  {run.state:<10} {run.flow}/{run.name}")
    return "\n".join(lines)


def marquez_text(url: str | None) -> str:
    return f"Marquez web UI: {url}" if url else "Marquez web UI: no tunnel to Marquez is up"


def _short(name: str) -> str:
    return name.removeprefix("contact_primary_").removesuffix("_primary")
