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
from core.staging import operator_mode

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
        # The pid in the name lets core.staging.settle remove what a killed process left behind.
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.hp{os.getpid()}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
        os.chmod(temp_name, operator_mode())  # mkstemp makes 0600; outputs get the operator's umask
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


EXCEL_MAX_ROWS = 1_048_576  # a worksheet's rows, the header included


def write_workbook(target: Path, sheets: dict[str, pd.DataFrame],
                   on_rows: Callable[[int], None] | None = None) -> None:
    """Stream the sheets (core.xlsx_stream: XML built column by column); text is always written as text.

    A sheet longer than Excel's limit continues on "<title> (2)", "<title> (3)"…, each with the header.
    """
    from core.xlsx_stream import write_xlsx

    with atomic_path(target) as temp:
        write_xlsx(temp, split_sheets(sheets), neutralise, on_rows)


def split_sheets(sheets: dict[str, pd.DataFrame], max_rows: int = EXCEL_MAX_ROWS) -> dict[str, pd.DataFrame]:
    """Sheets of at most `max_rows` rows with their header: "Sources", "Sources (2)", …"""
    out: dict[str, pd.DataFrame] = {}
    per_sheet = max_rows - 1
    for title, frame in sheets.items():
        if len(frame) <= per_sheet:
            out[title] = frame
            continue
        for part, start in enumerate(range(0, len(frame), per_sheet), start=1):
            out[title if part == 1 else f"{title} ({part})"] = frame.iloc[start:start + per_sheet]
    return out


def parquet_paths(workbook: Path) -> dict[str, Path]:
    """Where the Parquet copies of a workbook's Data and Sources go: beside it, named after it."""
    return {sheet: workbook.with_name(f"{workbook.stem}.{sheet.lower()}.parquet") for sheet in ("Data", "Sources")}


def write_parquet(target: Path, frame: pd.DataFrame) -> None:
    """A Parquet copy of a frame for machines, atomically: text as UTF-8 strings, dates as dates.

    Columns of mixed types (tuples, numbers among text) are written as text, so every reader gets
    one type per column. Cells are not neutralised: Parquet is not opened by spreadsheets.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {}
    for name in frame.columns:
        column = frame[name]
        try:
            columns[str(name)] = pa.array(column, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[str(name)] = pa.array([None if _missing(v) else str(v) for v in column.tolist()], pa.string())
    with atomic_path(target) as temp:
        pq.write_table(pa.table(columns), temp, compression="zstd")


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _csv_cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.date().isoformat() if isinstance(value, (pd.Timestamp, dt.datetime)) else value.isoformat()
    return neutralise(str(value)) if isinstance(value, str) else value
