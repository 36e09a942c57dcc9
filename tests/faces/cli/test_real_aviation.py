"""The three real aviation workbooks, refined with the aviation profile, lose nothing the earlier system lost."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import phonenumbers
import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from tests.conftest import AVIATION, needs_shared, run_hotpass

pytestmark = [needs_shared, pytest.mark.shared]


@pytest.fixture(scope="module")
def refined(tmp_path_factory) -> dict:
    workspace = tmp_path_factory.mktemp("aviation")
    result = run_hotpass("refine", "--profile", "aviation", "--input-dir", str(AVIATION),
                         "--output-path", "dist/aviation/refined.xlsx", cwd=workspace)
    assert result.returncode == 0, result.stderr
    book = load_workbook(workspace / "dist" / "aviation" / "refined.xlsx", read_only=True)
    sheets = {name: _rows(book[name]) for name in ("Data", "Sources", "Summary")}
    notices = [row for path in (workspace / "dist" / "contract-notices").rglob("*.csv")
               for row in csv.DictReader(path.open(encoding="utf-8"))]
    return {"workspace": workspace, "stdout": result.stdout, "notices": notices, **sheets}


def _rows(sheet) -> list[dict]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    return [dict(zip(header, row)) for row in rows]


def _input_rows(file: str, sheet: str) -> list[list]:
    rows = CalamineWorkbook.from_path(str(AVIATION / file)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return rows


def _valid_za_numbers(cell: object) -> set[str]:
    """An oracle independent of Hotpass's normaliser: libphonenumber's own matcher on the raw cell."""
    if isinstance(cell, float):
        cell = str(int(cell))
    text = str(cell or "")
    if re.fullmatch(r"\d{9,12}", text):
        text = ("+" + text) if text.startswith("27") else ("0" + text if len(text) == 9 else text)
    found = set()
    for match in phonenumbers.PhoneNumberMatcher(text, "ZA", leniency=phonenumbers.Leniency.VALID):
        found.add(phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164))
    return found


def _output_phones(data: list[dict]) -> set[str]:
    phones = set()
    for row in data:
        phones.update(p for p in [row["contact_primary_phone"]] if p)
        phones.update(p.strip() for p in (row["contact_secondary_phones"] or "").split(";") if p.strip())
    return phones


@pytest.mark.parametrize("file, sheet, columns", [
    ("Reachout Database.xlsx", "Contact Info", ("Phone", "WhatsApp")),
    ("SACAA Flight Schools - Refined copy__CLEANED.xlsx", "Cleaned", ("Contact Number",)),
])
def test_every_valid_phone_reaches_the_output(refined: dict, file: str, sheet: str, columns: tuple) -> None:
    rows = _input_rows(file, sheet)
    indexes = [rows[0].index(c) for c in columns]
    expected = {n for row in rows[1:] for i in indexes for n in _valid_za_numbers(row[i])}
    assert len(expected) > 50
    assert expected - _output_phones(refined["Data"]) == set()


def _sources_of(refined: dict, sheet: str) -> list[dict]:
    return [s for s in refined["Sources"] if s["source_sheet"] == sheet]


def test_company_contacts_attach_to_organisations(refined: dict) -> None:
    contacts = _sources_of(refined, "Company_Contacts")
    organisation_rows = {s["organization_slug"] for s in _sources_of(refined, "Company_Cat")}
    attached = [c for c in contacts if c["organization_slug"] in organisation_rows]
    assert len(contacts) == 69
    assert len(attached) >= 60


def test_reachout_contacts_without_an_id_are_kept_and_attach(refined: dict) -> None:
    """The earlier system dropped them. Each is in Sources; those naming an organisation row join it."""
    contacts = _input_rows("Reachout Database.xlsx", "Contact Info")
    without_id = {n + 1: str(row[1]) for n, row in enumerate(contacts) if n and not row[0] and str(row[1]).strip()}
    assert without_id, "the reference data has contacts without an ID"
    placed = {s["source_row"]: s["organization_slug"] for s in _sources_of(refined, "Contact Info")}
    assert set(without_id) <= set(placed)
    organisations = _input_rows("Reachout Database.xlsx", "Organisation")
    org_row_by_key = {_key(row[0]): n + 1 for n, row in enumerate(organisations) if n and str(row[0]).strip()}
    org_slug = {s["source_row"]: s["organization_slug"] for s in _sources_of(refined, "Organisation")}
    naming_an_org = {row: org_row_by_key[_key(name)] for row, name in without_id.items() if _key(name) in org_row_by_key}
    assert len(naming_an_org) > 30
    assert {row for row, org_row in naming_an_org.items() if placed[row] != org_slug[org_row]} == set()


def _key(name: object) -> str:
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def _slugs_named(refined: dict, file: str, sheet: str, column: int, names: set[str]) -> set[str]:
    rows = _input_rows(file, sheet)
    wanted = {n + 1 for n, row in enumerate(rows) if str(row[column]).strip().lower() in names}
    return {s["organization_slug"] for s in _sources_of(refined, sheet) if s["source_row"] in wanted}


def test_legal_form_variants_are_one_organisation(refined: dict) -> None:
    names = {"360 aviation", "360 aviation (pty) ltd"}
    from_contact_db = _slugs_named(refined, "Contact Database.xlsx", "Company_Cat", 1, names)
    from_reachout = _slugs_named(refined, "Reachout Database.xlsx", "Organisation", 0, names)
    assert from_contact_db and from_reachout
    assert len(from_contact_db | from_reachout) == 1


def test_slugs_are_unique(refined: dict) -> None:
    slugs = [row["organization_slug"] for row in refined["Data"]]
    assert len(slugs) == len(set(slugs))


def test_every_data_row_of_a_mapped_sheet_is_accounted_for(refined: dict) -> None:
    placed = {(s["source_file"], s["source_sheet"], s["source_row"]) for s in refined["Sources"]}
    placed |= {(n["source_file"], n["source_sheet"], int(n["source_row"])) for n in refined["notices"]}
    for file, sheet, name_column in [("Reachout Database.xlsx", "Organisation", 0),
                                     ("Reachout Database.xlsx", "Contact Info", 1),
                                     ("Contact Database.xlsx", "Company_Cat", 1),
                                     ("Contact Database.xlsx", "Company_Contacts", 1),
                                     ("SACAA Flight Schools - Refined copy__CLEANED.xlsx", "Cleaned", 0)]:
        rows = _input_rows(file, sheet)
        with_name = {n + 1 for n, row in enumerate(rows) if n and str(row[name_column]).strip()}
        missing = {r for r in with_name if (file, sheet, r) not in placed}
        assert missing == set(), f"{file} › {sheet}: rows {sorted(missing)[:10]} are neither in Sources nor in a notice"


def test_sacaa_repeated_names_are_in_a_notice(refined: dict) -> None:
    rows = _input_rows("SACAA Flight Schools - Refined copy__CLEANED.xlsx", "Cleaned")
    seen, repeats = set(), set()
    for n, row in enumerate(rows[1:], start=2):
        key = re.sub(r"[^0-9a-z]", "", str(row[0]).lower())
        if key and key in seen:
            repeats.add(n)
        seen.add(key)
    noticed = {int(n["source_row"]) for n in refined["notices"] if n["source_sheet"] == "Cleaned"}
    assert repeats and repeats <= noticed


def test_directory_site_does_not_merge_its_listings(refined: dict) -> None:
    # Since issue 14 item 3 a site that many organisations list is no one's `website`: it stays in
    # each one's provenance as an alternative, with how many list it.
    by_site: dict[str, int] = {}
    for row in refined["Data"]:
        website = json.loads(row["selection_provenance"]).get("website", {})
        for alternative in website.get("alternatives", []):
            if alternative.get("shared_by"):
                by_site[alternative["value"]] = by_site.get(alternative["value"], 0) + 1
                assert row["website"] != alternative["value"]
    shared = [site for site, n in by_site.items() if n >= 3]
    assert shared, "the reference data lists a directory site as the website of several organisations"


def test_review_queue_is_under_a_tenth_of_organisations(refined: dict) -> None:
    pairs = re.search(r"review pairs (\d+)", refined["stdout"])
    assert pairs and int(pairs.group(1)) < 0.1 * len(refined["Data"])
