"""A sector Hotpass was never told about, refined with the generic profile, scored against the truth."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import run_hotpass
from tests.faces.cli.sector_case import build_sector_case


@pytest.fixture(scope="module")
def sector(tmp_path_factory) -> dict:
    workspace = tmp_path_factory.mktemp("vets")
    case = build_sector_case(workspace / "data" / "vets")
    result = run_hotpass("refine", "--case", "vets", cwd=workspace)
    assert result.returncode == 0, result.stderr
    book = load_workbook(workspace / "dist" / "vets" / "refined.xlsx", read_only=True)
    sources = list(book["Sources"].iter_rows(values_only=True))
    header = sources[0]
    placed = {}
    for row in sources[1:]:
        entry = dict(zip(header, row))
        placed[(entry["source_file"], entry["source_sheet"] or "", entry["source_row"])] = entry["organization_slug"]
    data = [dict(zip(next(book["Data"].iter_rows(values_only=True)), r)) for r in book["Data"].iter_rows(min_row=2, values_only=True)]
    return {"case": case, "placed": placed, "data": data, "stdout": result.stdout, "workspace": workspace}


def test_every_input_row_is_placed(sector: dict) -> None:
    assert set(sector["case"].truth) - set(sector["placed"]) == set()


def test_pairwise_precision_and_recall(sector: dict) -> None:
    truth, placed = sector["case"].truth, sector["placed"]
    rows = sorted(truth)
    same_truth = {(a, b) for a, b in combinations(rows, 2) if truth[a] == truth[b]}
    same_found = {(a, b) for a, b in combinations(rows, 2) if placed[a] == placed[b]}
    precision = len(same_truth & same_found) / len(same_found)
    recall = len(same_truth & same_found) / len(same_truth)
    assert precision >= 0.99, f"precision {precision:.3f}"
    assert recall >= 0.95, f"recall {recall:.3f}"


def test_chain_branches_stay_apart(sector: dict) -> None:
    branches = [row for row in sector["data"] if "paws" in row["organization_slug"]]
    assert len(branches) == 2
    assert {b["province"] for b in branches} == {"KwaZulu-Natal", "Western Cape"}


def test_numbers_stored_as_numbers_become_e164(sector: dict) -> None:
    phones = " ".join(str(r["contact_primary_phone"]) + " " + str(r["contact_secondary_phones"]) for r in sector["data"])
    assert "+27115551" in phones or "+27215551" in phones or "+27315551" in phones
    assert ".0" not in phones


def test_lookup_and_empty_sheets_are_reported_as_skipped(sector: dict) -> None:
    out = sector["stdout"]
    assert "Lists" in out and "Empty" in out and "skipped" in out


def test_slugs_unique(sector: dict) -> None:
    slugs = [r["organization_slug"] for r in sector["data"]]
    assert len(slugs) == len(set(slugs))
