"""Enrich on the step path: the four network gates closed in turn, then all open against a loopback
server; the run recorded; only empty cells written; the writer's refusal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from core.errors import OutputFailed
from core.runbook.context import Actor, StepContext
from core.runbook.runner import run_step
from core.runbook.steps.enrich import EnrichOptions
from core.workspace import Workspace
from tests.conftest import write_xlsx
from tests.core.enrich_sites import GOOD_PHONE, LINKS_PHONE, SiteServer
from tests.runbook.enrich_case import CASE, copy_workspace, refined_workspace

FAST_PROFILE = """name: fast-research
extends: generic
description: generic, with research settings that make a test quick
enrichment:
  research:
    connect_timeout_s: 1
    read_timeout_s: 0.5
    backoff_s: 0.01
    per_host_interval_s: 0
    max_bytes: 200000
"""
ALL_OPEN = {"FEATURE_ENABLE_REMOTE_RESEARCH": "1", "ALLOW_NETWORK_RESEARCH": "1"}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = refined_workspace(tmp_path_factory.mktemp("enrich-template"))
    (root / "profiles").mkdir()
    (root / "profiles" / "fast-research.yaml").write_text(FAST_PROFILE, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sites():
    with SiteServer() as server:
        yield server


@pytest.fixture
def root(template: Path, tmp_path: Path) -> Path:
    return copy_workspace(template, tmp_path / "ws")


def context(root: Path, environ: dict[str, str] | None = None) -> StepContext:
    workspace = Workspace.from_env(root, root / ".hotpass" / "ledger.db", environ=environ or {})
    return StepContext(workspace, workspace.case(CASE), Actor("cli", ("hotpass", "enrich")),
                       profile_name="fast-research", profile_search_path=[root / "profiles"])


def enrich(root: Path, sites: SiteServer, allow: bool = False, environ: dict | None = None):
    return run_step("enrich", context(root, environ), EnrichOptions(allow_network=allow, host_map=sites.host_map()))


def data_of(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name="Data", dtype=object, engine="calamine").set_index("organization_name")


def approve(root: Path) -> None:
    context(root).open_ledger().record_approval("enrichment", CASE, None, "approve", who="compliance",
                                                comment="research allowed for this case", case_id=CASE)


@pytest.mark.parametrize("allow, environ, approved, closed", [
    (False, ALL_OPEN, True, "--allow-network"),
    (True, {"ALLOW_NETWORK_RESEARCH": "1"}, True, "FEATURE_ENABLE_REMOTE_RESEARCH"),
    (True, {"FEATURE_ENABLE_REMOTE_RESEARCH": "1"}, True, "ALLOW_NETWORK_RESEARCH"),
])
def test_one_closed_environment_gate_keeps_research_off(root, sites, allow, environ, approved, closed) -> None:
    if approved:
        approve(root)
    before = len(sites.requests)
    result = enrich(root, sites, allow, environ)
    assert result.status == "ok", result.error
    assert len(sites.requests) == before  # not one request
    status = set(data_of(root / "dist" / CASE / "enriched.xlsx")["provenance_network_status"])
    assert status == {f"closed: {closed}"}
    assert [g.name for g in result.payload.closed_gates] == [closed]
    assert result.approvals == []  # with a gate closed the approval is never asked for
    assert any(closed in d for d in result.deviations)


def test_without_the_approval_the_run_stops_before_any_request(root, sites) -> None:
    before = len(sites.requests)
    result = enrich(root, sites, True, ALL_OPEN)
    assert result.exit_code == 10
    assert "enrichment approval" in result.error.message
    assert len(sites.requests) == before
    assert not (root / "dist" / CASE / "enriched.xlsx").exists()


def test_offline_enrich_never_asks_for_an_approval(root, sites) -> None:
    result = enrich(root, sites)
    assert result.status == "ok"
    assert result.approvals == []
    assert {g.name for g in result.payload.closed_gates} == {
        "--allow-network", "FEATURE_ENABLE_REMOTE_RESEARCH", "ALLOW_NETWORK_RESEARCH", "enrichment approval"}


def test_with_all_four_gates_open_research_fills_a_phone_from_json_ld(root, sites) -> None:
    approve(root)
    result = enrich(root, sites, True, ALL_OPEN)
    assert result.status == "ok", result.error
    assert result.approvals and result.approvals[0]["kind"] == "enrichment"
    data = data_of(root / "dist" / CASE / "enriched.xlsx")
    good = data.loc["Good Flight School"]
    assert good["contact_primary_phone"] == GOOD_PHONE
    assert good["provenance_network_status"] == "used"
    assert "research-jsonld" in good["provenance_strategy"]
    assert data.loc["Links Aviation", "contact_primary_phone"] == LINKS_PHONE
    assert data.loc["Robots Air", "provenance_network_status"] == "blocked: robots.txt"
    assert pd.isna(data.loc["Robots Air", "contact_primary_phone"])
    assert data.loc["Slow Air", "provenance_network_status"] == "error: timeout"
    assert data.loc["Error Air", "provenance_network_status"] == "error: http-500"
    assert data.loc["Huge Air", "provenance_network_status"] == "error: too-large"
    assert data.loc["Loop Air", "provenance_network_status"] == "error: redirect-loop"
    sheet = pd.read_excel(root / "dist" / CASE / "enriched.xlsx", sheet_name="Enrichment", dtype=object,
                          engine="calamine")
    row = sheet[(sheet["field"] == "contact_primary_phone") & (sheet["strategy"] == "research-jsonld")].iloc[0]
    assert row["new_value"] == GOOD_PHONE and str(row["source"]).startswith("research: http")


def test_non_empty_cells_are_unchanged_and_only_empty_ones_filled(root, sites) -> None:
    result = enrich(root, sites)
    assert result.status == "ok"
    refined = load_workbook(root / "dist" / CASE / "refined.xlsx")
    enriched = load_workbook(root / "dist" / CASE / "enriched.xlsx")
    assert enriched.sheetnames == [*refined.sheetnames, "Enrichment"]
    for name in refined.sheetnames:
        before, after = refined[name], enriched[name]
        for row in before.iter_rows():
            for cell in row:
                if cell.value not in (None, ""):  # refine writes some empty cells as empty text
                    moved = after.cell(cell.row, cell.column)
                    assert (moved.value, moved.data_type, moved.number_format) == \
                        (cell.value, cell.data_type, cell.number_format), (name, cell.coordinate)
    filled = sum(1 for row in enriched["Enrichment"].iter_rows(min_row=2) if row[0].value)
    assert filled == result.payload.cells_filled > 0


def test_deterministic_strategies_fill_what_the_data_says(root, sites) -> None:
    enrich(root, sites)
    data = data_of(root / "dist" / CASE / "enriched.xlsx")
    karoo = data.loc["Karoo Vet Clinic"]
    assert karoo["website"] == "https://karoovets.co.za"
    assert karoo["province"] == "Western Cape"  # Oudtshoorn, from the towns table
    assert "province-from-town" in karoo["provenance_strategy"]
    assert pd.isna(data.loc["Gmail Gardens", "website"])  # free mail is nobody's website
    assert data.loc["Gmail Gardens", "province"] == "Western Cape"  # Cape Town
    assert pd.isna(data.loc["Directory Listed Plumbing", "website"])  # a directory's domain neither
    assert data.loc["Directory Listed Plumbing", "province"] == "KwaZulu-Natal"  # 031
    full = data.loc["Full House Trading"]
    assert (full["provenance_source"], full["provenance_strategy"], full["provenance_confidence"]) == \
        ("refine", "none", 1.0)


def test_the_summary_names_fields_and_strategies_but_no_values(root, sites) -> None:
    result = enrich(root, sites)
    text = (root / "dist" / CASE / "reports" / "enrich-summary.md").read_text(encoding="utf-8")
    assert "| province | province-from-town |" in text and "website-from-email" in text
    assert "karoovets" not in text and "+2744" not in text and "Karoo" not in text
    assert "FEATURE_ENABLE_REMOTE_RESEARCH is not 1" in text
    assert {a.path.name for a in result.outputs} == {"enriched.xlsx", "enrich-summary.md"}


def test_the_run_is_recorded_in_the_ledger_with_its_inputs_and_outputs(root, sites) -> None:
    result = enrich(root, sites)
    runs = context(root).open_ledger().entries(kind="run", case_id=CASE)
    last = next(e.payload for e in runs if e.payload.get("step") == "enrich")
    assert last["status"] == "ok" and last["run_id"] == result.run_id
    assert any(p["path"].endswith("refined.xlsx") for p in last["inputs"])
    assert any(p["path"].endswith("enriched.xlsx") and p["sha256"] for p in last["outputs"])


def test_a_lookup_table_fills_by_registration_number_then_by_name(tmp_path) -> None:
    root = tmp_path
    header = ["organization_name", "organization_slug", "registration_number", "province", "website",
              "contact_primary_phone"]
    write_xlsx(root / "dist" / "reg" / "refined.xlsx", {"Data": [
        header, ["Acme Flying (Pty) Ltd", "acme", "2001/123456/07", None, None, None],
        ["Blue Sky Aviation", "blue-sky", None, None, None, None],
        ["Unknown Air", "unknown", None, None, None, "+27825550000"]]})
    write_xlsx(root / "registry.xlsx", {"Schools": [
        ["Company", "Reg No", "Province", "Tel"],
        ["Totally Renamed Ltd", "2001 123456 07", "Free State", "051 555 0100"],
        ["BLUE SKY AVIATION CC", None, "Limpopo", None]]})
    write_xlsx(root / "nokeys.xlsx", {"Sheet1": [["Colour", "Size"], ["red", "L"]]})
    (root / "profiles").mkdir()
    (root / "profiles" / "reg.yaml").write_text(
        "name: reg\nextends: generic\ndescription: lookup test\nenrichment:\n  lookups:\n"
        "    - {label: Registry, path: registry.xlsx}\n    - {label: Colours, path: nokeys.xlsx}\n"
        "    - {label: Gone, path: missing.parquet}\n", encoding="utf-8")
    workspace = Workspace.from_env(root, root / ".hotpass" / "ledger.db", environ={})
    ctx = StepContext(workspace, workspace.case("reg"), Actor("cli"), profile_name="reg",
                      profile_search_path=[root / "profiles"])
    result = run_step("enrich", ctx)
    assert result.status == "ok", result.error
    data = data_of(root / "dist" / "reg" / "enriched.xlsx")
    assert data.loc["Acme Flying (Pty) Ltd", "province"] == "Free State"
    assert data.loc["Acme Flying (Pty) Ltd", "contact_primary_phone"] == "+27515550100"
    assert "lookup-by-registration" in data.loc["Acme Flying (Pty) Ltd", "provenance_strategy"]
    assert data.loc["Blue Sky Aviation", "province"] == "Limpopo"
    assert data.loc["Blue Sky Aviation", "provenance_source"] == "lookup: Registry"
    assert "lookup-by-name" in data.loc["Blue Sky Aviation", "provenance_strategy"]
    warnings = " | ".join(result.warnings)
    assert "nokeys.xlsx" in warnings and "no usable key column" in warnings
    assert str(root / "missing.parquet") in warnings


@pytest.mark.parametrize("make, code, words", [
    (lambda p: None, 3, "does not exist"),
    (lambda p: p.write_text("not a workbook", encoding="utf-8"), 4, "not a readable workbook"),
    (lambda p: write_xlsx(p, {"Other": [["a", "b"], [1, 2]]}), 4, "no 'Data' sheet"),
    (lambda p: write_xlsx(p, {"Data": [["organization_name"], ["Acme"]]}), 4, "organization_slug"),
])
def test_a_bad_refined_workbook_names_the_file_and_what_is_missing(tmp_path, make, code, words) -> None:
    target = tmp_path / "dist" / "bad" / "refined.xlsx"
    target.parent.mkdir(parents=True)
    make(target)
    workspace = Workspace.from_env(tmp_path, tmp_path / ".hotpass" / "ledger.db", environ={})
    result = run_step("enrich", StepContext(workspace, workspace.case("bad"), Actor("cli")))
    assert result.exit_code == code
    assert words in result.error.message and str(result.error.file) == str(target)


def test_the_writer_refuses_a_workbook_without_every_provenance_column(tmp_path) -> None:
    from core.enrich.writer import write_enriched

    data = pd.DataFrame({"organization_slug": ["a"], "provenance_source": ["refine"]})
    with pytest.raises(OutputFailed, match="provenance_timestamp"):
        write_enriched(tmp_path / "out.xlsx", ["Data"], data, {}, pd.DataFrame())
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_csv_and_parquet_lookup_tables_match_by_refines_name_key(tmp_path, suffix) -> None:
    root = tmp_path
    write_xlsx(root / "dist" / "t" / "refined.xlsx", {"Data": [
        ["organization_name", "organization_slug", "province", "organization_category"],
        ["The Karoo Flying Club (Pty) Ltd", "karoo", None, None]]})
    table = pd.DataFrame({"Organisation Name": ["KAROO FLYING CLUB"], "Province": ["Northern Cape"],
                          "Category": ["Flying club"]})
    path = root / f"clubs.{suffix}"
    table.to_csv(path, index=False) if suffix == "csv" else table.to_parquet(path)
    (root / "profiles").mkdir()
    (root / "profiles" / "t.yaml").write_text(
        "name: t\nextends: generic\ndescription: lookup test\nenrichment:\n  lookups:\n"
        f"    - {{label: Clubs, path: clubs.{suffix}, confidence: 0.7}}\n", encoding="utf-8")
    workspace = Workspace.from_env(root, root / ".hotpass" / "ledger.db", environ={})
    ctx = StepContext(workspace, workspace.case("t"), Actor("cli"), profile_name="t", profile_search_path=[root / "profiles"])
    result = run_step("enrich", ctx)
    assert result.status == "ok", result.error
    row = data_of(root / "dist" / "t" / "enriched.xlsx").iloc[0]
    assert (row["province"], row["provenance_source"], row["provenance_confidence"]) == \
        ("Northern Cape", "lookup: Clubs", 0.65)  # a name match counts a little less than the table's own
    assert row["organization_category"] == "Flying club"
    assert any(str(a.path).endswith(f"clubs.{suffix}") for a in result.inputs)


def test_cancel_during_research_writes_nothing(root, sites) -> None:
    approve(root)
    ctx = context(root, ALL_OPEN)

    def progress(event) -> None:
        if event.stage == "research" and event.done >= 1:
            ctx.cancel.set()

    ctx.progress = progress
    result = run_step("enrich", ctx, EnrichOptions(allow_network=True, host_map=sites.host_map()))
    assert result.status == "cancelled" and result.exit_code == 130
    assert not (root / "dist" / CASE / "enriched.xlsx").exists()
    assert not (root / "dist" / CASE / "reports" / "enrich-summary.md").exists()
