"""`hotpass enrich` as an operator runs it: real refine first, then enrich, as subprocesses."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from core.enrich.settings import DIRECTORY_DEFAULT
from core.resolve.settings import FREE_MAIL_DEFAULT
from tests.conftest import AVIATION, needs_shared, run_hotpass
from tests.core.enrich_sites import GOOD_PHONE, SiteServer
from tests.faces.cli.sector_case import build_sector_case
from tests.runbook.enrich_case import CASE, refined_workspace

PROVENANCE = ["provenance_source", "provenance_timestamp", "provenance_confidence", "provenance_strategy",
              "provenance_network_status"]
SNAPSHOT = AVIATION / "SACAA Flight Schools - Refined copy__CLEANED.xlsx"


def data_of(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name="Data", dtype=object, engine="calamine")


def host_of(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].lower().removeprefix("www.")


def test_enrich_of_the_sample_case_with_the_defaults(workspace: Path) -> None:
    assert run_hotpass("refine", cwd=workspace).returncode == 0
    result = run_hotpass("enrich", cwd=workspace)
    assert result.returncode == 0, result.stderr
    assert "dist/sample/enriched.xlsx" in result.stdout
    assert "Network research: skipped" in result.stdout
    data = data_of(workspace / "dist" / "sample" / "enriched.xlsx")
    assert all(c in data.columns for c in PROVENANCE)
    assert data[PROVENANCE].notna().all().all()
    assert (workspace / "dist" / "sample" / "reports" / "enrich-summary.md").exists()
    assert "@" not in result.stdout  # counts and field names, never an email


def test_enrich_finds_the_workbook_refine_wrote_to_its_output_path(workspace: Path) -> None:
    assert run_hotpass("refine", "--output-path", "out/custom.xlsx", cwd=workspace).returncode == 0
    result = run_hotpass("enrich", "--case", "sample", cwd=workspace)
    assert result.returncode == 0, result.stderr
    assert (workspace / "out" / "enriched.xlsx").exists()


def test_explicit_input_and_output(workspace: Path) -> None:
    assert run_hotpass("refine", cwd=workspace).returncode == 0
    result = run_hotpass("enrich", "--input", "dist/sample/refined.xlsx", "--output", "elsewhere/e.xlsx",
                         "--allow-network=false", cwd=workspace)
    assert result.returncode == 0, result.stderr
    assert (workspace / "elsewhere" / "e.xlsx").exists()
    shutil.copy(workspace / "dist" / "sample" / "refined.xlsx", workspace / "elsewhere" / "in.xlsx")
    beside = run_hotpass("enrich", "--input", "elsewhere/in.xlsx", cwd=workspace)
    assert beside.returncode == 0, beside.stderr
    assert (workspace / "elsewhere" / "enriched.xlsx").exists()  # beside the workbook read
    assert (workspace / "elsewhere" / "reports" / "enrich-summary.md").exists()


def test_a_missing_refined_workbook_exits_3_naming_it(workspace: Path) -> None:
    result = run_hotpass("enrich", "--input", "nowhere/refined.xlsx", cwd=workspace)
    assert result.returncode == 3
    assert "nowhere/refined.xlsx" in result.stderr and "Traceback" not in result.stderr


def test_a_file_that_is_not_a_workbook_exits_4(workspace: Path) -> None:
    (workspace / "notes.xlsx").write_text("hello", encoding="utf-8")
    result = run_hotpass("enrich", "--input", "notes.xlsx", cwd=workspace)
    assert result.returncode == 4
    assert "notes.xlsx" in result.stderr


def test_allow_network_takes_true_or_false_only(workspace: Path) -> None:
    assert run_hotpass("enrich", "--allow-network=perhaps", cwd=workspace).returncode == 2


def test_with_all_four_gates_open_it_reaches_the_loopback_server(tmp_path: Path) -> None:
    root = refined_workspace(tmp_path)
    (root / "p").mkdir()
    (root / "p" / "quick.yaml").write_text(
        "name: quick\nextends: generic\ndescription: quick research\nenrichment:\n  research:\n"
        "    read_timeout_s: 0.5\n    backoff_s: 0.01\n    per_host_interval_s: 0\n    max_bytes: 200000\n",
        encoding="utf-8")
    with SiteServer() as sites:
        env = {"FEATURE_ENABLE_REMOTE_RESEARCH": "1", "ALLOW_NETWORK_RESEARCH": "1",
               "HOTPASS_RESEARCH_HOST_MAP": sites.host_map_env()}
        args = ("enrich", "--case", CASE, "--profile", "quick", "--profile-search-path", "p", "--allow-network=true")
        refused = run_hotpass(*args, cwd=root, env=env)
        assert refused.returncode == 10 and "enrichment" in refused.stderr
        assert sites.requests == []
        approved = run_hotpass("ledger", "approve", "enrichment", CASE, "-m", "compliance: yes", "--case", CASE,
                               cwd=root)
        assert approved.returncode == 0, approved.stderr
        result = run_hotpass(*args, cwd=root, env=env)
        assert result.returncode == 0, result.stderr
        assert "Network research: used" in result.stdout
        assert sites.requests
    data = data_of(root / "dist" / CASE / "enriched.xlsx").set_index("organization_name")
    assert data.loc["Good Flight School", "contact_primary_phone"] == GOOD_PHONE
    assert data.loc["Good Flight School", "provenance_network_status"] == "used"
    assert data.loc["Robots Air", "provenance_network_status"] == "blocked: robots.txt"


def test_on_another_sector_derived_websites_never_name_free_mail_or_a_directory(tmp_path: Path) -> None:
    build_sector_case(tmp_path / "data" / "vets")
    assert run_hotpass("refine", "--case", "vets", cwd=tmp_path).returncode == 0
    result = run_hotpass("enrich", "--case", "vets", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    book = pd.read_excel(tmp_path / "dist" / "vets" / "enriched.xlsx", sheet_name=None, dtype=object,
                         engine="calamine")
    derived = book["Enrichment"][book["Enrichment"]["strategy"] == "website-from-email"]["new_value"]
    banned = {d.lower() for d in [*FREE_MAIL_DEFAULT, *DIRECTORY_DEFAULT]}
    hosts = {host_of(url) for url in derived}
    assert not {h for h in hosts if h in banned or any(h.endswith("." + b) for b in banned)}


@pytest.fixture(scope="module")
def aviation(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("aviation-enrich")
    result = run_hotpass("refine", "--profile", "aviation", "--input-dir", str(AVIATION), "--case", "aviation",
                         cwd=root)
    assert result.returncode == 0, result.stderr
    return root


@needs_shared
@pytest.mark.shared
def test_the_real_aviation_case_without_its_snapshot_warns_with_the_path(aviation: Path) -> None:
    snapshot = aviation / "registry" / "sacaa-flight-schools.xlsx"
    if snapshot.exists() or snapshot.is_symlink():
        snapshot.unlink()
    result = run_hotpass("enrich", "--profile", "aviation", "--case", "aviation", cwd=aviation)
    assert result.returncode == 0, result.stderr
    assert str(snapshot) in result.stderr.replace("\n", "")


@needs_shared
@pytest.mark.shared
def test_the_real_aviation_case_fills_only_empty_cells_with_the_snapshot(aviation: Path) -> None:
    snapshot = aviation / "registry" / "sacaa-flight-schools.xlsx"
    snapshot.parent.mkdir(exist_ok=True)
    if not snapshot.is_symlink():
        os.symlink(SNAPSHOT, snapshot)  # the reference file stays where it is: linked, never copied
    result = run_hotpass("enrich", "--profile", "aviation", "--case", "aviation", cwd=aviation)
    assert result.returncode == 0, result.stderr
    refined = load_workbook(aviation / "dist" / "aviation" / "refined.xlsx", read_only=True)
    enriched = load_workbook(aviation / "dist" / "aviation" / "enriched.xlsx", read_only=True)
    for name in refined.sheetnames:
        before = list(refined[name].iter_rows(values_only=True))
        after = list(enriched[name].iter_rows(values_only=True))
        assert len(after) == len(before)
        for old, new in zip(before, after):
            assert all(o in (None, "") or o == n for o, n in zip(old, new)), name
    data = data_of(aviation / "dist" / "aviation" / "enriched.xlsx")
    assert data[PROVENANCE].notna().all().all()
    summary = (aviation / "dist" / "aviation" / "reports" / "enrich-summary.md").read_text(encoding="utf-8")
    assert "SACAA registry snapshot" in summary and "| province |" in summary
    assert "lookup: SACAA registry snapshot" in result.stdout or "SACAA registry snapshot" in summary
