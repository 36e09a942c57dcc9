"""Sheets are read as stored: text stays text, numbers become exact strings, broken files are named."""

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from core.errors import ExitCode, InputNotFound, UnreadableInput
from core.ingest.discover import discover
from core.ingest.read import read_file
from tests.conftest import write_xlsx


def test_text_stays_text_and_numbers_are_exact(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"S": [["ID", "Phone", "When", "Ratio"],
                                                  ["0012", 27821234567, dt.datetime(2025, 3, 4), 0.5],
                                                  ["+27 82 123 4567", 821234567, None, 3.0]]})
    sheet = read_file(path)[0]
    assert sheet.rows[1][:2] == ["0012", "27821234567"]
    assert sheet.rows[2][:2] == ["+27 82 123 4567", "821234567"]
    assert isinstance(sheet.rows[1][2], (dt.date, dt.datetime)) and sheet.rows[1][3] == "0.5"
    assert sheet.rows[2][3] == "3"
    assert sheet.row_numbers[:3] == [1, 2, 3]


def test_leading_blank_rows_keep_excel_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"S": [[None], [None], ["Company", "Phone"], ["Acme", "011"]]})
    sheet = read_file(path)[0]
    acme = next(i for i, row in enumerate(sheet.rows) if row and row[0] == "Acme")
    assert sheet.row_numbers[acme] == 4


def test_csv_rows_carry_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('Company,Notes\nAcme,"two\nlines"\nBeta,x\n', encoding="utf-8")
    sheet = read_file(path)[0]
    assert sheet.name == "" and sheet.rows[2][0] == "Beta" and sheet.row_numbers == [1, 2, 4]


def test_semicolon_csv_in_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("Company;Phone\nCafé Médical;011 555 0101\n".encode("cp1252"))
    assert read_file(path)[0].rows[1] == ["Café Médical", "011 555 0101"]


def test_corrupt_workbook_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(UnreadableInput) as caught:
        read_file(path)
    assert caught.value.file == "broken.xlsx" and caught.value.exit_code == ExitCode.UNREADABLE_INPUT


def test_zip_without_a_workbook_is_named(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableInput, match="not a readable spreadsheet"):
        read_file(path)


def test_encrypted_workbook_says_so(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(UnreadableInput, match="encrypted"):
        read_file(path)


def test_binary_renamed_to_csv(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(UnreadableInput, match="binary"):
        read_file(path)


def test_discover_skips_lock_hidden_and_other_files(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "b.xlsx", {"S": [["x"]]})
    (tmp_path / "a.csv").write_text("Company\nAcme\n")
    (tmp_path / "~$b.xlsx").write_bytes(b"lock")
    (tmp_path / ".hidden.xlsx").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("hi")
    files, skipped = discover(tmp_path)
    assert [f.name for f in files] == ["a.csv", "b.xlsx"]
    assert dict(skipped) == {"~$b.xlsx": "Office lock file", ".hidden.xlsx": "hidden file",
                             "notes.txt": "not a supported spreadsheet (.txt)"}


def test_discover_missing_and_empty_folders(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound, match="does not exist"):
        discover(tmp_path / "nope")
    (tmp_path / "readme.md").write_text("x")
    with pytest.raises(InputNotFound, match="no spreadsheets") as caught:
        discover(tmp_path)
    assert caught.value.exit_code == ExitCode.INPUT_NOT_FOUND
