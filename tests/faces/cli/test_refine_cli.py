"""`hotpass refine` as an operator runs it: the sample case, clear errors, earlier outputs kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import run_hotpass, write_xlsx


def test_first_command_works_with_nothing_prepared(tmp_path: Path) -> None:
    result = run_hotpass("refine", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    refined = tmp_path / "dist" / "sample" / "refined.xlsx"
    book = load_workbook(refined, read_only=True)
    assert book.sheetnames == ["Data", "Sources", "Summary"]
    assert "Wrote" in result.stdout and "~$clinic-directory.xlsx: Office lock file" in result.stdout
    data = list(book["Data"].iter_rows(values_only=True))
    header = data[0]
    names = [dict(zip(header, r))["organization_name"] for r in data[1:]]
    # "Sunrise Medical Centre (Pty) Ltd" (xlsx) and "SUNRISE MEDICAL CENTRE" (csv) are one organisation
    assert sum("sunrise" in n.lower() for n in names) == 1
    # every written cell that would run as a formula is neutralised
    for row in book["Data"].iter_rows(values_only=True):
        assert not any(isinstance(v, str) and v.startswith(("=", "@")) for v in row)
    assert (tmp_path / ".hotpass" / "ledger.db").exists()


def test_report_names_skipped_sheets_and_notices(tmp_path: Path) -> None:
    result = run_hotpass("refine", cwd=tmp_path)
    assert "Lookups" in result.stdout and "empty sheet" in result.stdout
    notices = list((tmp_path / "dist" / "contract-notices").rglob("*.csv"))
    text = notices[0].read_text()
    assert "repeats the primary key of its sheet" in text and "Practices" in text


def test_missing_folder(tmp_path: Path) -> None:
    result = run_hotpass("refine", "--input-dir", "nowhere", cwd=tmp_path)
    assert result.returncode == 3
    assert "nowhere" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_folder_without_spreadsheets(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("hello")
    result = run_hotpass("refine", "--input-dir", "in", cwd=tmp_path)
    assert result.returncode == 3 and "no spreadsheets" in result.stderr
    assert "notes.txt" in result.stderr


@pytest.mark.parametrize("name, content, message", [
    ("broken.xlsx", b"PK\x03\x04garbage", "not a readable spreadsheet"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "encrypted"),
    ("renamed.csv", b"\x00\x01\x02\x03", "binary"),
])
def test_broken_file_is_named_and_earlier_output_kept(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    folder = tmp_path / "in"
    write_xlsx(folder / "good.xlsx", {"Orgs": [["Company", "Phone"], ["Acme", "011 555 0101"]]})
    output = tmp_path / "out" / "refined.xlsx"
    assert run_hotpass("refine", "--input-dir", "in", "--output-path", str(output), cwd=tmp_path).returncode == 0
    before = output.read_bytes()
    (folder / name).write_bytes(content)
    result = run_hotpass("refine", "--input-dir", "in", "--output-path", str(output), cwd=tmp_path)
    assert result.returncode == 4
    assert name in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    assert output.read_bytes() == before


def test_no_sheet_with_an_organisation_column(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "in" / "people.xlsx", {"People": [["First Name", "Surname", "Phone"], ["Ann", "Lee", "0821234567"]]})
    result = run_hotpass("refine", "--input-dir", "in", cwd=tmp_path)
    assert result.returncode == 5
    assert "no sheet has an organisation name column" in result.stderr
    assert "people.xlsx › People" in result.stderr


def test_bad_profile_names_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "clinics.yaml").write_text("name: clinics\nextends: generic\ndescription: x\ncountry: ZAF\n")
    result = run_hotpass("refine", "--profile-search-path", "profiles", "--profile", "clinics", cwd=tmp_path)
    assert result.returncode == 6
    assert "clinics.yaml" in result.stderr and "country" in result.stderr


def test_unwritable_output(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where a folder should be")
    result = run_hotpass("refine", "--output-path", "blocker/refined.xlsx", cwd=tmp_path)
    assert result.returncode == 7 and "blocker" in result.stderr


def test_people_linked_by_id_and_by_name(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "in" / "crm.xlsx", {
        "Organisations": [["Org ID", "Organisation Name", "Province"], ["A1", "Acme Clinic", "GP"], ["B2", "Beta Vets", "WC"]],
        "People": [["Org ID", "Company", "First Name", "Surname", "Cell"],
                   ["A1", None, "Ann", "Lee", 27821110001],
                   [None, "Beta Vets", "Bob", "Ngema", "083 111 0002"],
                   [None, None, "Cee", "Orphan", "083 111 0003"]],
    })
    result = run_hotpass("refine", "--input-dir", "in", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Contacts linked by ID 1, by name 1" in result.stdout
    sources = list(load_workbook(tmp_path / "dist" / "in" / "refined.xlsx")["Sources"].iter_rows(values_only=True))
    placed = {(r[2], r[3]): r[0] for r in sources[1:]}
    assert placed[("People", 2)] == placed[("Organisations", 2)] == "acme-clinic"
    assert placed[("People", 3)] == placed[("Organisations", 3)] == "beta-vets"
    notice = next((tmp_path / "dist" / "contract-notices").rglob("*.csv")).read_text()
    assert "People,4,names no organisation" in notice


def test_batch_mode_prints_json_lines_that_follow_the_documented_schema(tmp_path: Path) -> None:
    import jsonschema

    from core.runbook.batch import SCHEMA_PATH

    result = run_hotpass("--batch", "--steps", "prepare,refine", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))
    for event in events:
        validator.validate(event)
    kinds = [e["event"] for e in events]
    assert kinds[0] == "run_started" and kinds[-1] == "summary"
    assert {"progress", "step_started", "step_finished"} <= set(kinds)
    assert [e["step"] for e in events if e["event"] == "step_finished"] == ["prepare", "refine"]
    assert "hotpass --batch finished" in result.stderr


def test_batch_error_is_a_json_event(tmp_path: Path) -> None:
    result = run_hotpass("--batch", "refine", "--input-dir", "nowhere", cwd=tmp_path)
    assert result.returncode == 3
    event = json.loads(result.stdout.strip().splitlines()[-1])
    assert event["event"] == "error" and event["exit_code"] == 3 and "nowhere" in event["file"]


def test_the_report_reads_at_80_columns_with_long_mappings(tmp_path: Path) -> None:
    headers = ["Name of Organisation", "Contact Number", "Contact Email Address", "Province"]
    write_xlsx(tmp_path / "data" / "long" / "a-workbook-with-a-rather-long-file-name-indeed.xlsx", {
        "Organisations registered in the province": [headers,
                                                     ["Acme Clinic", "011 555 0100", "info@acme.co.za", "GP"],
                                                     ["Beta Clinic", "021 555 0101", "info@beta.co.za", "WC"]]})
    for argv in (["refine", "--case", "long"], ["refine", "--case", "long", "--verbose"]):
        result = run_hotpass(*argv, "--no-validate", cwd=tmp_path, env={"COLUMNS": "80", "TERM": "dumb"})
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
        tokens = set(result.stdout.split())
        if "--verbose" in argv:  # each mapping on a line of its own, header and field whole
            for header in headers:
                [line] = [line for line in lines if line.strip().startswith(header + " → ")]
                assert line.split(" → ")[1].strip().isidentifier(), line
        else:
            assert not any(line.strip().startswith(f"{h} → ") for h in headers for line in lines)
        # the sheet's line names the file and sheet whole
        assert "a-workbook-with-a-rather-long-file-name-indeed.xlsx" in tokens
