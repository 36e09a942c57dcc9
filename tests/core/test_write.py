"""Outputs never run as formulas and never half-replace an earlier output."""

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from core.errors import OutputFailed
from core.write import atomic_path, neutralise, write_csv, write_workbook


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("@SUM(A1)", "'@SUM(A1)"), ("-2+cmd|' /C calc'!A0", "'-2+cmd|' /C calc'!A0"),
    ("+27821234567", "+27821234567"), ("+27821234567; +27831234567", "+27821234567; +27831234567"), ("-5", "-5"), ("Acme", "Acme"), (42, 42),
])
def test_neutralise(value, expected) -> None:
    assert neutralise(value) == expected


def test_workbook_cells_are_text_not_formulas(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    write_workbook(target, {"Data": pd.DataFrame({"a": ["=1+1", "+27821234567", None]})})
    sheet = load_workbook(target)["Data"]
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "+27821234567" and sheet["A3"].data_type == "s"
    assert sheet["A4"].value is None


def test_csv_is_neutralised(tmp_path: Path) -> None:
    target = tmp_path / "n.csv"
    write_csv(target, pd.DataFrame({"note": ["@cmd", "plain"]}))
    assert target.read_text().splitlines() == ["note", "'@cmd", "plain"]


def test_failed_write_leaves_previous_output(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("previous")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as temp:
            temp.write_text("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "previous"
    assert list(tmp_path.iterdir()) == [target]


def test_unwritable_folder_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputFailed) as caught:
        with atomic_path(blocker / "out.xlsx"):
            pass
    assert caught.value.file == blocker
