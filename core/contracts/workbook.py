"""The Data sheet of a refined or enriched workbook, read as cells (python-calamine, no pandas)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import InputNotFound, UnreadableInput

DATA_SHEET = "Data"


@dataclass
class DataSheet:
    path: Path
    header: list[str]
    rows: list[list[Any]]  # cells below the header; '' or None is an empty cell
    sheets: list[str]

    def column(self, name: str) -> list[Any]:
        index = self.header.index(name)
        return [row[index] if index < len(row) else None for row in self.rows]


def excel_row(index: int) -> int:
    """The row number Excel shows for the index-th row below the header."""
    return index + 2


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def read_data_sheet(path: Path, header_only: bool = False) -> DataSheet:
    from python_calamine import CalamineError, CalamineWorkbook

    path = Path(path)
    if not path.is_file():
        raise InputNotFound("the workbook does not exist", file=str(path), hint="run refine first: hotpass refine")
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if DATA_SHEET not in names:
            raise UnreadableInput("the workbook has no Data sheet", file=str(path), sheet=DATA_SHEET,
                                  hint="check a refined.xlsx or enriched.xlsx written by hotpass")
        sheet = book.get_sheet_by_name(DATA_SHEET)
        cells = sheet.to_python(skip_empty_area=False, nrows=1) if header_only else sheet.to_python(
            skip_empty_area=False)
    except CalamineError as exc:
        raise UnreadableInput(f"not a readable workbook: {exc}", file=str(path),
                              hint="a .xlsx written by hotpass refine or enrich") from None
    except (OSError, ValueError) as exc:
        raise UnreadableInput(f"not a readable workbook: {exc}", file=str(path)) from None
    header = ["" if h is None else str(h).strip() for h in (cells[0] if cells else [])]
    while header and header[-1] == "":
        header.pop()
    return DataSheet(path, header, [list(r) for r in cells[1:]], names)
