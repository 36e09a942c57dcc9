"""Writing outputs safely: atomic replace, and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from core.errors import OutputFailed

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Values made only of digits and phone punctuation cannot call a function: "+27821234567" and
# "+27821234567; +27831234567" stay as they are.
_PLAIN_NUMBER = re.compile(r"[+-]?[\d ().-]+(?:[;,/] ?[+-]?[\d ().-]+)*")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would evaluate (=, +, -, @) with an apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it into place only if the block succeeds."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
    except OSError as exc:
        raise OutputFailed(f"cannot write here: {exc.strerror}", file=target.parent,
                           hint="choose another --output-path or free the folder") from None
    temp = Path(temp_name)
    try:
        yield temp
        os.replace(temp, target)
    except OSError as exc:
        raise OutputFailed(f"could not write output: {exc.strerror}", file=target,
                           hint="check free disk space and permissions; the previous output is unchanged") from None
    finally:
        temp.unlink(missing_ok=True)


def write_csv(target: Path, frame: pd.DataFrame) -> None:
    with atomic_path(target) as temp:
        with temp.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([neutralise(c) for c in frame.columns])
            for row in frame.itertuples(index=False, name=None):
                writer.writerow([_csv_cell(v) for v in row])


def write_workbook(target: Path, sheets: dict[str, pd.DataFrame],
                   on_rows: Callable[[int], None] | None = None) -> None:
    """Stream sheets with xlsxwriter (5x faster than openpyxl here); text is always written as text."""
    import xlsxwriter

    with atomic_path(target) as temp:
        book = xlsxwriter.Workbook(str(temp), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "strings_to_numbers": False})
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        written = 0
        for title, frame in sheets.items():
            sheet = book.add_worksheet(title)
            sheet.write_row(0, 0, [str(c) for c in frame.columns])
            for row_index, row in enumerate(frame.itertuples(index=False, name=None), start=1):
                for column_index, value in enumerate(row):
                    _write_cell(sheet, row_index, column_index, value, date_format)
                written += 1
                if on_rows and written % 5000 == 0:
                    on_rows(written)
        book.close()


def _write_cell(sheet, row: int, column: int, value: object, date_format) -> None:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return
    if isinstance(value, str):
        sheet.write_string(row, column, neutralise(value))
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, column, value)
    elif isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        stamp = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        sheet.write_datetime(row, column, stamp, date_format)
    else:
        sheet.write_string(row, column, neutralise(str(value)))


def _csv_cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.date().isoformat() if isinstance(value, (pd.Timestamp, dt.datetime)) else value.isoformat()
    return neutralise(str(value)) if isinstance(value, str) else value
