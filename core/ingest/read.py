"""Read every sheet of a spreadsheet as it is stored: text stays text, numbers become exact strings.

python-calamine reads xlsx, xlsm, xls and ods with typed cells and cached formula values, so an ID
`0012` stays text and a phone stored as the number 27821234567 becomes "27821234567", never
"2.78e10". CSV is read with the csv module, every cell as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from core.errors import UnreadableInput

Cell = str | dt.date | dt.datetime | None
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class RawSheet:
    name: str  # "" for CSV
    rows: list[list[Cell]]
    row_numbers: list[int]  # as Excel shows them (1-based), or the CSV line each record starts on


def read_file(path: Path) -> list[RawSheet]:
    if path.suffix.lower() == ".csv":
        return [read_csv(path)]
    return read_workbook(path)


def read_workbook(path: Path) -> list[RawSheet]:
    from python_calamine import CalamineWorkbook

    _refuse_encrypted(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            # Text cells (most of them) and empty ones ("") are settled without a call each.
            cells = [[(value or None) if value.__class__ is str else _cell(value) for value in row] for row in rows]
            sheets.append(RawSheet(name, cells, list(range(1, len(cells) + 1))))
        return sheets
    except UnreadableInput:
        raise
    except Exception as exc:  # calamine raises its own error types for every malformed container
        raise UnreadableInput(
            f"not a readable spreadsheet ({_short(exc)})",
            file=path.name,
            hint="open it in a spreadsheet program and save it again as .xlsx, or remove it from the folder",
        ) from None


def read_csv(path: Path) -> RawSheet:
    text = _decode(path)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows, numbers, line = [], [], 1
    try:
        for record in reader:
            rows.append([value if value.strip() else None for value in record])
            numbers.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableInput(f"malformed CSV: {exc}", file=path.name, row=line) from None
    return RawSheet("", rows, numbers)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableInput("binary data in a .csv file", file=path.name, hint="is it a renamed workbook?")
    # UTF-16 only with its byte-order mark: without one, any even-length bytes "decode" to garbage.
    encodings = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableInput("text encoding not recognised", file=path.name, hint="save it as UTF-8 CSV")


def _refuse_encrypted(path: Path) -> None:
    """Password-protected OOXML files are OLE containers; calamine's own error would only say 'zip'."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC and path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise UnreadableInput(
            "workbook is encrypted (password-protected)",
            file=path.name,
            hint="remove the password in Excel (File › Info › Protect Workbook) and save a copy",
        )


def _cell(value: object) -> Cell:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Whole numbers below 2**53 are exact in a double: phones and IDs stored as numbers.
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    return None  # calamine's error cells (#N/A, #REF!) carry no value


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
