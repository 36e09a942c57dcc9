"""The refined workbook as enrich reads it: every sheet as stored, and Data as a frame.

Cells are kept exactly as calamine returns them (text, float, date), so a cell enrich does not fill
is written back with the same value and type. An empty cell is None here, never "".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import InputNotFound, UnreadableInput

if TYPE_CHECKING:
    import pandas as pd

DATA_SHEET = "Data"
KEY_COLUMN = "organization_slug"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class RefinedBook:
    path: Path
    sheets: dict[str, list[list]]  # every sheet but Data, rows as stored (header first)
    data: "pd.DataFrame"  # object columns; None where a cell is empty
    order: list[str]  # sheet names as the workbook orders them


def read_refined(path: Path) -> RefinedBook:
    import pandas as pd
    from python_calamine import CalamineWorkbook

    if not path.exists():
        raise InputNotFound("the refined workbook does not exist", file=path,
                            hint="run `hotpass refine` for this case first, or name it with --input")
    if path.is_dir() or path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise UnreadableInput("not a workbook: enrich reads the .xlsx that refine writes", file=path,
                              hint="name the refined workbook with --input")
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        raw = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in names}
    except Exception as exc:  # calamine has its own error type for each broken container
        raise UnreadableInput(f"not a readable workbook ({type(exc).__name__})", file=path,
                              hint="run `hotpass refine` again to rewrite it") from None
    if DATA_SHEET not in raw:
        raise UnreadableInput(f"no {DATA_SHEET!r} sheet (sheets: {', '.join(names) or 'none'})", file=path,
                              sheet=DATA_SHEET, hint="enrich reads the workbook refine writes")
    rows = raw.pop(DATA_SHEET)
    header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
    if KEY_COLUMN not in header:
        raise UnreadableInput(f"the Data sheet has no {KEY_COLUMN} column", file=path, sheet=DATA_SHEET,
                              key=KEY_COLUMN, hint="enrich reads the workbook refine writes")
    width = len(header)
    body = rows[1:]
    if any(len(r) != width for r in body):  # calamine's rows are rectangular; a hand-made sheet may not be
        body = [(list(r) + [None] * width)[:width] for r in body]
    data = pd.DataFrame(body, columns=header, dtype=object)
    for position in range(width):  # calamine reads an empty cell as "": here it is None
        values = data.iloc[:, position]
        blank = values.eq("")
        if blank.any():
            data.isetitem(position, values.where(~blank, None))
    return RefinedBook(path, raw, data, names)
