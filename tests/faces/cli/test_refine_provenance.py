"""Survivorship as refined.xlsx shows it: each field from the best record (source priority, then
completeness, then recency), `selection_provenance` naming where every value came from and what
lost, and `Sources` / `source_record_ids` placing every input row exactly (SPEC §4 steps 7, 9)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import run_hotpass, write_xlsx

PROFILE = """\
name: ranked
extends: generic
description: the CRM is trusted most, then the suppliers' export, then anything else
sources:
  - label: CRM
    pattern: "crm*"
    priority: 3
  - label: Suppliers
    pattern: "suppliers*"
    priority: 2
"""

CSV = (
    "Company,Phone,E-mail,Web,Province,Notes\n"
    'Skyline Charters (Pty) Ltd,+27115550199,,https://www.skyline.co.za/,GP,"Met at the expo\nsecond line"\n'
    "360 Aviation (Pty) Ltd,+27115550101,,,GP,\n"
)


@pytest.fixture(scope="module")
def refined(tmp_path_factory: pytest.TempPathFactory) -> dict:
    workspace = tmp_path_factory.mktemp("provenance")
    folder = workspace / "data" / "ranked"
    write_xlsx(folder / "directory.xlsx", {"Operators": [
        ["Aviation operators"], ["Exported from the shared drive"], [],
        ["Company", "Phone", "E-mail", "Web", "Province", "Last Contact", "Physical Address"],
        ["Skyline Charters", "011 555 0199", "info@skyline.co.za", "https://skyline.co.za", "Gauteng",
         dt.datetime(2025, 6, 1), "1 Hangar Rd, Lanseria"],
        [],
        ["360 Aviation", "011 555 0101", None, "https://360aviation.co.za", "Gauteng", None, None],
        ["Kestrel Aero Club", None, None, None, "Western Cape", None, None],
    ]})
    (folder / "suppliers.csv").write_text(CSV, encoding="utf-8")
    write_xlsx(folder / "crm.xlsx", {"Accounts": [
        ["Company", "Province", "Last Contact"],
        ["SKYLINE CHARTERS CC", "GP", dt.datetime(2024, 1, 1)],
    ]})
    (workspace / "profiles").mkdir()
    (workspace / "profiles" / "ranked.yaml").write_text(PROFILE, encoding="utf-8")
    result = run_hotpass("refine", "--case", "ranked", "--profile-search-path", "profiles", "--profile", "ranked",
                         cwd=workspace)
    assert result.returncode == 0, result.stderr
    book = load_workbook(workspace / "dist" / "ranked" / "refined.xlsx", read_only=True)
    sheets = {}
    for name in ("Data", "Sources"):
        rows = list(book[name].iter_rows(values_only=True))
        sheets[name] = [dict(zip(rows[0], r)) for r in rows[1:]]
    return sheets


def skyline(refined: dict) -> dict:
    [row] = [r for r in refined["Data"] if "crm.xlsx" in (r["source_record_ids"] or "")]
    return row


def test_sources_place_every_input_row_exactly(refined: dict) -> None:
    placed = sorted((r["source_file"], r["source_sheet"] or "", r["source_row"], r["organization_slug"])
                    for r in refined["Sources"])
    slug = skyline(refined)["organization_slug"]
    assert placed == [
        ("crm.xlsx", "Accounts", 2, slug),
        ("directory.xlsx", "Operators", 5, slug),             # under two title rows, a blank row, the header
        ("directory.xlsx", "Operators", 7, "360-aviation-pty-ltd"),  # below a blank row
        ("directory.xlsx", "Operators", 8, "kestrel-aero-club"),
        ("suppliers.csv", "", 2, slug),
        ("suppliers.csv", "", 4, "360-aviation-pty-ltd"),  # the quoted note above spans lines 2-3
    ]


def test_source_record_ids_match_the_sources_sheet(refined: dict) -> None:
    for row in refined["Data"]:
        ids = set(row["source_record_ids"].split("; "))
        expected = {f"{s['source_file']}#{s['source_sheet']}!{s['source_row']}" if s["source_sheet"]
                    else f"{s['source_file']}!{s['source_row']}"
                    for s in refined["Sources"] if s["organization_slug"] == row["organization_slug"]}
        assert ids == expected
    assert skyline(refined)["source_record_ids"] == (
        "crm.xlsx#Accounts!2; directory.xlsx#Operators!5; suppliers.csv!2")


def test_fields_come_from_the_best_record(refined: dict) -> None:
    row = skyline(refined)
    assert row["organization_name"] == "SKYLINE CHARTERS CC"       # priority 3, though least complete
    assert row["website"] == "https://skyline.co.za"                # the CRM has none: the suppliers' export
    assert row["address_primary"] == "1 Hangar Rd, Lanseria"        # only the directory has one
    assert row["last_interaction_date"] == dt.datetime(2025, 6, 1)  # the latest contact, from any record
    assert row["source_datasets"] == "CRM; Suppliers; directory"


def test_selection_provenance_names_value_file_sheet_row_and_what_lost(refined: dict) -> None:
    row = skyline(refined)
    provenance = json.loads(row["selection_provenance"])
    assert provenance["organization_name"] == {
        "value": "SKYLINE CHARTERS CC", "source_file": "crm.xlsx", "source_sheet": "Accounts", "source_row": 2,
        "alternatives": [
            {"value": "Skyline Charters (Pty) Ltd", "source_file": "suppliers.csv", "source_sheet": "", "source_row": 2},
            {"value": "Skyline Charters", "source_file": "directory.xlsx", "source_sheet": "Operators", "source_row": 5},
        ]}
    # one value spelled alike in two files is one value, not a loser
    assert provenance["website"] == {"value": "https://skyline.co.za", "source_file": "suppliers.csv",
                                     "source_sheet": "", "source_row": 2, "alternatives": []}
    assert provenance["province"]["value"] == "Gauteng" and provenance["province"]["alternatives"] == []
    # the date shown is the one the provenance names, though a better-ranked record has an older one
    assert provenance["last_interaction_date"] == {
        "value": "2025-06-01", "source_file": "directory.xlsx", "source_sheet": "Operators", "source_row": 5,
        "alternatives": [{"value": "2024-01-01", "source_file": "crm.xlsx", "source_sheet": "Accounts",
                          "source_row": 2}]}


def test_provenance_agrees_with_every_cell_it_explains(refined: dict) -> None:
    renamed = {"address": "address_primary", "category": "organization_category"}
    for row in refined["Data"]:
        provenance = json.loads(row["selection_provenance"])
        assert provenance, row["organization_name"]
        for field, chosen in provenance.items():
            cell = row[renamed.get(field, field)]
            shown = cell.date().isoformat() if isinstance(cell, dt.datetime) else cell
            assert shown == chosen["value"], (row["organization_name"], field)
            assert {"value", "source_file", "source_sheet", "source_row", "alternatives"} == set(chosen)
            assert all(alt["value"] != chosen["value"] for alt in chosen["alternatives"])
