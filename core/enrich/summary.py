"""enrich-summary.md: what was filled, by field and strategy, and from where — counts and names of
fields and sources only, never a value from the workbook."""

from __future__ import annotations

from core.enrich.result import EnrichResult


def summary_markdown(result: EnrichResult, warnings: list[str], when: str) -> str:
    lines = [f"# Enrich summary: case {result.case_id}", "",
             f"* run {result.run_id} at {when}, profile {result.profile}",
             f"* read {result.input_path.name}, wrote {result.output_path.name}",
             f"* {result.organisations:,} organisations; {result.cells_filled:,} empty cells filled", ""]
    lines += ["## Filled, by field and strategy", ""]
    if result.filled:
        lines += ["| field | strategy | cells |", "|---|---|---:|"]
        for field_name, strategies in sorted(result.filled.items()):
            for strategy, count in sorted(strategies.items(), key=lambda kv: -kv[1]):
                lines.append(f"| {field_name} | {strategy} | {count:,} |")
    else:
        lines.append("Nothing was filled: no strategy had a value for an empty cell.")
    lines += ["", "## Filled, by source", ""]
    lines += [f"* {source}: {count:,} cells" for source, count in sorted(result.by_source.items(), key=lambda kv: -kv[1])] \
        or ["* none"]
    lines += ["", "## Coverage (non-empty cells)", "", "| field | before | after |", "|---|---:|---:|"]
    for field_name, before in result.coverage_before.items():
        lines.append(f"| {field_name} | {before:,} | {result.coverage_after.get(field_name, before):,} |")
    lines += ["", "## Network research", ""]
    if result.network_used:
        lines.append(f"All four gates were open; {result.research_requests:,} requests reached the network.")
    else:
        lines.append("Skipped: " + "; ".join(g.closed_because for g in result.closed_gates) + ".")
    lines += [f"* {status}: {count:,} rows" for status, count in sorted(result.network_status.items())]
    lines += ["", "## Lookup tables", ""]
    lines += [f"* {r.label} ({r.path}): {r.status}" + (f", {r.rows:,} rows, {r.matched:,} organisations matched"
                                                         if r.status == "used" else f" — {r.note}")
              for r in result.lookups] or ["* none named by the profile"]
    if warnings:
        lines += ["", "## Warnings", ""] + [f"* {w}" for w in warnings]
    return "\n".join(lines) + "\n"
