"""Step 3, Enrich: fill the refined workbook's empty cells, deterministic sources first; research the
web only when all four gates hold (the flag, two environment switches, a compliance approval)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core.enrich.result import ENRICH_STAGES, EnrichResult
from core.runbook.approvals import ApprovalNeed
from core.runbook.context import StepContext

HOST_MAP_ENV = "HOTPASS_RESEARCH_HOST_MAP"  # tests only: organisation hosts -> a loopback server


@dataclass
class EnrichOptions:
    input_path: Path | None = None  # default: the case's refined workbook (honours refine's --output-path)
    output_path: Path | None = None  # default: enriched.xlsx beside the workbook read
    allow_network: bool | None = None  # None: the workspace's setting (--batch)
    host_map: dict[str, str] | None = None  # tests only, as HOST_MAP_ENV


def _options(options: EnrichOptions | None) -> EnrichOptions:
    return options if options is not None else EnrichOptions()


def _paths(ctx: StepContext, options: EnrichOptions) -> tuple[Path, Path]:
    root = ctx.workspace.root
    source = options.input_path or ctx.case.refined_path
    source = source if source.is_absolute() else root / source
    # Beside the workbook read: --input dist/x/refined.xlsx alone writes dist/x/enriched.xlsx
    target = options.output_path or Path(source).parent / "enriched.xlsx"
    return Path(os.path.abspath(source)), Path(os.path.abspath(target if target.is_absolute() else root / target))


def _allow_network(ctx: StepContext, options: EnrichOptions) -> bool:
    return ctx.workspace.network.allow_network if options.allow_network is None else bool(options.allow_network)


def _environment_open(ctx: StepContext, options: EnrichOptions) -> bool:
    network = ctx.workspace.network
    return _allow_network(ctx, options) and network.remote_research_feature and network.remote_research_allowed


def needed_approvals(ctx: StepContext, options: EnrichOptions | None) -> list[ApprovalNeed]:
    """Only when the other three gates are open: offline enrich never asks anyone for anything."""
    if not _environment_open(ctx, _options(options)):
        return []
    return [ApprovalNeed("enrichment", ctx.case.case_id,
                         "network research visits organisations' own websites; compliance must allow it for the case")]


def planned_inputs(ctx: StepContext, options: EnrichOptions | None) -> list[Path]:
    options = _options(options)
    source, _ = _paths(ctx, options)
    root = ctx.workspace.root
    tables = [t.path if t.path.is_absolute() else root / t.path for t in ctx.profile.enrichment.lookups]
    return [source, *[p for p in tables if p.is_file()]]


def run(ctx: StepContext, options: EnrichOptions | None = None) -> EnrichResult:
    from core.enrich.engine import EnrichInputs, build_result, enrich_frame, timed
    from core.enrich.research.gates import network_gates
    from core.enrich.summary import summary_markdown
    from core.enrich.workbook import read_refined
    from core.enrich.writer import write_enriched

    options = _options(options)
    source, target = _paths(ctx, options)
    reporter = ctx.reporter("enrich", ENRICH_STAGES)
    reporter.stage("read", total=1)
    ctx.inputs.append(source)
    book = read_refined(source)
    reporter.advance(1, 1)
    profile = ctx.profile
    approved = any(a.get("kind") == "enrichment" for a in ctx.approvals_used) or (
        not _environment_open(ctx, options) and ctx.open_ledger().is_approved("enrichment", ctx.case.case_id))
    gates = network_gates(_allow_network(ctx, options), ctx.workspace.network, approved)
    provider, client = _provider(ctx, options, gates)
    enriched = enrich_frame(EnrichInputs(book, profile, ctx.workspace.root, gates, provider,
                                         profile.enrichment.research.max_organisations),
                            reporter, ctx.warn, ctx.inputs.append)
    closed = [g for g in gates if not g.open]
    if closed:
        ctx.deviate("network research skipped: " + "; ".join(g.closed_because for g in closed))
    reporter.stage("write", total=2)
    reports = ctx.case.reports_dir if options.input_path is None else source.parent / "reports"
    summary_path = reports / "enrich-summary.md"
    base = dict(case_id=ctx.case.case_id, run_id=ctx.run_id, profile=profile.name, input_path=source,
                output_path=target, summary_path=summary_path)
    with ctx.staging() as staging:
        write_enriched(staging.path_for(target), book.order, enriched.data, book.sheets, enriched.fills)
        reporter.advance(1, 2)
        result = build_result(enriched, base, gates, client.requests if client else 0, {})
        staged_summary = staging.path_for(summary_path)
        staged_summary.parent.mkdir(parents=True, exist_ok=True)
        staged_summary.write_text(summary_markdown(result, ctx.warnings, enriched.stamp), encoding="utf-8")
        reporter.advance(2, 2)
        reporter.check_cancelled()
        ctx.outputs.extend(staging.artefacts())
        staging.commit()
    result.timings = timed(reporter)
    return result


def _provider(ctx: StepContext, options: EnrichOptions, gates):
    """The built-in provider, only when every gate is open: no client exists otherwise."""
    if not all(g.open for g in gates):
        return None, None
    from core.enrich.engine import excluded_hosts
    from core.enrich.research.client import ResearchClient, parse_host_map
    from core.enrich.research.provider import OwnWebsiteProvider

    profile = ctx.profile
    host_map = options.host_map if options.host_map is not None else parse_host_map(os.environ.get(HOST_MAP_ENV, ""))
    client = ResearchClient(profile.enrichment.research, ctx.workspace.cache_dir, host_map, ctx.cancel,
                            timeout_cap_s=ctx.workspace.network.timeout_s)
    return OwnWebsiteProvider(client, profile.enrichment.research, excluded_hosts(profile), profile.country), client
