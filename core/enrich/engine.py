"""The enrich orchestrator: read, derive, look up, research (behind its gates), write.

Deterministic strategies run first and in a fixed order; the first to fill a cell wins it, and no
cell that held a value is ever written. Research only sees the cells still empty after them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.enrich.lookups import LookupReport, lookup_proposals, name_keys, read_table, resolve_path
from core.enrich.proposals import FILL_COLUMNS, Filler, Proposal, confidence_of
from core.enrich.research.gates import Gate, closed_status
from core.enrich.result import COVERAGE_FIELDS, EnrichResult
from core.enrich.strategies import (excluded_host, primary_from_secondary, province_from_area_code,
                                    province_from_text, website_from_email)
from core.enrich.workbook import RefinedBook
from core.enrich.writer import PROVENANCE_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

    from core.enrich.research.provider import ResearchProvider
    from core.profiles import Profile
    from core.progress import Reporter


@dataclass
class EnrichInputs:
    book: RefinedBook
    profile: "Profile"
    workspace_root: Path
    gates: list[Gate]
    provider: "ResearchProvider | None"  # None unless every gate is open
    max_research: int = 500


@dataclass
class Enriched:
    data: "pd.DataFrame"  # Data with the provenance columns
    fills: "pd.DataFrame"  # the Enrichment sheet
    lookups: list[LookupReport]
    network_status: "pd.Series"
    coverage_before: dict[str, int]
    stamp: str


def excluded_hosts(profile: "Profile") -> set[str]:
    return {d.lower() for d in [*profile.resolution.free_mail_domains, *profile.enrichment.directory_domains]}


def enrich_frame(inputs: EnrichInputs, reporter: "Reporter", warn: Callable[[str], None],
                 on_read: Callable[[Path], None]) -> Enriched:
    data = inputs.book.data
    profile = inputs.profile
    coverage_before = coverage(data)
    filler = Filler(data)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()

    reporter.stage("lookup", total=len(profile.enrichment.lookups))
    lookups = _lookups(inputs, filler, warn, on_read, reporter)

    reporter.stage("derive", total=4)
    excluded = excluded_hosts(profile)
    steps: list[Callable[[], list[Proposal]]] = [
        lambda: primary_from_secondary(data, profile),
        lambda: [p for p in [website_from_email(data, profile, excluded)] if p],
        lambda: province_from_text(data, profile),
        lambda: [p for p in [province_from_area_code(data, profile)] if p],
    ]
    for done, step in enumerate(steps, start=1):
        for proposal in step():
            filler.apply(proposal)
        reporter.advance(done, len(steps))

    network_status = _research(inputs, filler, reporter, excluded, warn)
    fills = filler.filled()
    _provenance(data, fills, network_status, stamp)
    return Enriched(data, fills[FILL_COLUMNS], lookups, network_status, coverage_before, stamp)


def coverage(data: "pd.DataFrame") -> dict[str, int]:
    return {f: int(data[f].notna().sum()) for f in COVERAGE_FIELDS if f in data}


def _lookups(inputs: EnrichInputs, filler: Filler, warn, on_read, reporter) -> list[LookupReport]:
    profile, data = inputs.profile, inputs.book.data
    reports, keys = [], None
    for done, table in enumerate(profile.enrichment.lookups, start=1):
        path = resolve_path(table, inputs.workspace_root)
        report = LookupReport(table.label, path, "missing")
        reports.append(report)
        if not path.is_file():
            report.note = "file not found"
            warn(f"lookup table {table.label!r} not found at {path}: nothing was looked up in it")
            continue
        on_read(path)
        records, why = read_table(path, profile)
        if records is None:
            report.status, report.note = "unusable", why
            warn(f"lookup table {table.label!r} at {path} was not used: {why}")
            continue
        report.status, report.rows = "used", len(records)
        if keys is None and "organization_name" in data:
            keys = name_keys(data["organization_name"], profile)
        for proposal in lookup_proposals(data, records, table, profile, keys if keys is not None else data.iloc[:0, 0],
                                         report):
            filler.apply(proposal)
        reporter.advance(done, len(profile.enrichment.lookups))
    return reports


def _research(inputs: EnrichInputs, filler: Filler, reporter, excluded: set[str], warn) -> "pd.Series":
    import pandas as pd

    data = filler.data
    closed = closed_status(inputs.gates)
    if inputs.provider is None or closed:
        reporter.stage("research", total=0, message="skipped: " + (closed or "no provider"))
        return pd.Series(closed or "closed: no provider", index=data.index, dtype=object)
    from core.enrich.research.provider import FIELDS, OrgQuery
    status = pd.Series("not needed: nothing empty to research", index=data.index, dtype=object)
    wanted = [f for f in FIELDS if f in data]
    website = data["website"] if "website" in data else pd.Series(None, index=data.index, dtype=object)
    empty_any = data[wanted].isna().any(axis=1) if wanted else pd.Series(False, index=data.index)
    status[empty_any & website.isna()] = "skipped: no website"
    candidates = data.index[empty_any & website.notna()]
    if len(candidates) > inputs.max_research:
        warn(f"research is limited to {inputs.max_research:,} organisations a run; "
             f"{len(candidates) - inputs.max_research:,} more were not researched")
        status[candidates[inputs.max_research:]] = "skipped: over the per-run limit"
        candidates = candidates[:inputs.max_research]
    reporter.stage("research", total=len(candidates))
    found: list[tuple[int, str, str, str, str]] = []  # row, column, value, strategy, source
    for done, row in enumerate(candidates, start=1):
        reporter.check_cancelled()
        site = str(website[row])
        host = site.split("://", 1)[-1].split("/", 1)[0]
        if excluded_host(host, excluded):
            status[row] = "skipped: not the organisation's own site"
        else:
            wants = tuple(f for f in wanted if pd.isna(data.at[row, f]))
            name = str(data.at[row, "organization_name"]) if "organization_name" in data else ""
            finding = inputs.provider.research(OrgQuery(int(row), name, site, wants))
            status[row] = finding.status
            found += [(row, column, value, kind, url) for column, (value, kind, url) in finding.values.items()]
        reporter.advance(done, len(candidates))
    overrides = inputs.profile.enrichment.confidence
    if found:
        frame = pd.DataFrame(found, columns=["row", "column", "value", "strategy", "source"]).set_index("row")
        for (column, strategy), part in frame.groupby(["column", "strategy"], sort=False):
            filler.apply(Proposal(column, strategy, "research: " + part["source"],
                                  confidence_of(strategy, overrides), part["value"]))
    return status


def _provenance(data: "pd.DataFrame", fills: "pd.DataFrame", network_status: "pd.Series", stamp: str) -> None:
    import pandas as pd

    for column in PROVENANCE_COLUMNS:  # an enriched workbook enriched again: this run's provenance only
        if column in data:
            del data[column]
    sources: dict = {}
    strategies: dict = {}
    lowest: dict = {}
    # Plain loops: a row has a handful of fills, and a groupby with Python aggregations costs more here.
    for row, src, strat, conf in zip(fills["row"].tolist(), fills["source"].tolist(), fills["strategy"].tolist(),
                                     fills["confidence"].tolist()):
        sources.setdefault(row, {})[src] = None
        strategies.setdefault(row, {})[strat] = None
        lowest[row] = min(float(conf), lowest.get(row, 1.0))
    source = pd.Series({row: "; ".join(v) for row, v in sources.items()}, dtype=object)
    strategy = pd.Series({row: "; ".join(v) for row, v in strategies.items()}, dtype=object)
    confidence = pd.Series(lowest, dtype=float).round(2)
    data["provenance_source"] = source.reindex(data.index).fillna("refine").to_numpy()
    data["provenance_timestamp"] = stamp
    # A row with nothing filled holds refine's values only: as certain as its sources.
    data["provenance_confidence"] = confidence.reindex(data.index).fillna(1.0).astype(float).to_numpy()
    data["provenance_strategy"] = strategy.reindex(data.index).fillna("none").to_numpy()
    data["provenance_network_status"] = network_status.reindex(data.index).to_numpy()
    was_used = fills.loc[fills["strategy"].str.startswith("research"), "row"].unique() if len(fills) else []
    if len(was_used):
        data.loc[was_used, "provenance_network_status"] = "used"


def summarise(enriched: Enriched) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    fills = enriched.fills
    by_field: dict[str, dict[str, int]] = {}
    for (field_name, strategy), count in fills.groupby(["field", "strategy"]).size().items():
        by_field.setdefault(str(field_name), {})[str(strategy)] = int(count)
    sources = fills["source"].astype(str).str.replace(r"^research: .*", "research: organisations' own websites",
                                                     regex=True)
    return by_field, {str(k): int(v) for k, v in sources.value_counts().items()}


def timed(reporter: "Reporter") -> dict[str, float]:
    reporter.finish()
    return dict(reporter.timings)


def build_result(enriched: Enriched, base: dict, gates: list[Gate], requests: int, timings: dict[str, float]) -> EnrichResult:
    by_field, by_source = summarise(enriched)
    status = enriched.network_status
    counts = {str(k): int(v) for k, v in enriched.data["provenance_network_status"].value_counts().items()}
    return EnrichResult(**base, organisations=len(enriched.data), cells_filled=len(enriched.fills),
                        filled=by_field, by_source=by_source, coverage_before=enriched.coverage_before,
                        coverage_after=coverage(enriched.data), gates=gates,
                        network_used=not closed_status(gates) and len(status) > 0, network_status=counts,
                        lookups=enriched.lookups, research_requests=requests, timings=timings)

