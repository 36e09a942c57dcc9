"""Write a workbook's sheets as XML built column by column, not a Python call per cell.

xlsxwriter costs 3-30 µs a cell in Python; a million-row case has ~20 million cells. Here the
package around the sheets (content types, relationships, styles, workbook, document properties) is
still made by xlsxwriter, for sheets with the right names and a date format, and each sheet's
`<sheetData>` is put in its place: for a block of rows, every column becomes the XML of its cells
with pyarrow string kernels, the columns are joined into rows, and the block's bytes go straight
into the zip entry. Cells come out as xlsxwriter writes them in constant-memory mode: inline
strings (control characters as `_xHHHH_`, cut at Excel's 32,767 characters), numbers, booleans,
dates as serial numbers in `yyyy-mm-dd`; empty strings and missing values are no cell at all.
Formula-like text is neutralised by the same rule as every other output (core.write.neutralise).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from collections import deque
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

BLOCK_ROWS = 50_000
# A block's XML and its copies are in memory at once: a wide sheet (Data: 28 columns and the
# provenance JSON) takes fewer rows a block, so that each stays some tens of MB at any scale.
BLOCK_CELLS = 300_000
BUILDERS = 2  # blocks built at once, beside the one being compressed: each holds its XML in memory
STRING_LIMIT = 32_767  # UTF-16 code units a cell holds
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
# What needs the Python rules (RE2): formula-like starts, control characters, literal escapes.
_RISKY = r"^[=+\-@\t\r]|[\x00-\x08\x0b-\x1f\x{fffe}\x{ffff}]|_x[0-9a-fA-F]{4}_"
_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>.*?</sheetData>", re.S)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')
_EXCEL_EPOCH = np.datetime64("1899-12-30", "us")  # with Excel's 1900 leap-year quirk, for dates after March 1900


def write_xlsx(path: Path, sheets: dict[str, pd.DataFrame], neutralise: Callable[[str], str],
               on_rows: Callable[[int], None] | None = None) -> None:
    skeleton, date_style = _skeleton(list(sheets))
    frames = list(sheets.values())
    written = 0
    with zipfile.ZipFile(io.BytesIO(skeleton)) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
            if not match:
                target.writestr(item.filename, source.read(item.filename))
                continue
            frame = frames[int(match.group(1)) - 1]
            head, tail = _around_sheet_data(source.read(item.filename), frame)
            with target.open(item.filename, "w", force_zip64=True) as out:
                _deflate_fast(out)
                out.write(head)
                out.write(b"<sheetData>")
                out.write(_row_xml([str(c) for c in frame.columns], 1))
                for rows, xml in _blocks(frame, date_style, neutralise):
                    out.write(xml)
                    written += rows
                    if on_rows:
                        on_rows(written)
                out.write(b"</sheetData>")
                out.write(tail)


def _deflate_fast(entry) -> None:
    """ISA-L's deflate (python-isal) for a sheet's zip entry, a valid raw deflate stream as zlib's is:
    three times zlib's speed at level 1, for as many bytes (1M rows: 1.15 GB of sheet XML, 3.6 s of
    zlib, 1.1 s of ISA-L). zipfile takes no compressor of ours: the entry's own is swapped before its
    first byte, where the entry has one (CPython 3.11-3.13's writer); else zlib's stays."""
    if getattr(entry, "_compressor", None) is None or getattr(entry, "_compress_size", None) != 0:
        return
    try:
        from isal import isal_zlib
    except ImportError:  # a checkout installed without it: zlib's deflate, slower, the same workbook
        return
    entry._compressor = isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)


def _blocks(frame: pd.DataFrame, date_style: int, neutralise: Callable[[str], str]):
    """(rows, XML bytes) block by block, in order; the next BUILDERS blocks are built while this one
    is compressed.

    Arrow kernels and deflate both release the GIL. Building a block costs more than compressing it
    (1M rows: ~20 s of kernels against ~11 s of zlib on a slow day; ISA-L's deflate takes a third of
    zlib's time), so one builder kept the zip waiting; two keep both cores busy.
    """
    from concurrent.futures import ThreadPoolExecutor

    size = max(1_000, min(BLOCK_ROWS, BLOCK_CELLS // max(len(frame.columns), 1)))
    starts = list(range(0, len(frame), size))

    def build(start: int) -> memoryview:
        return _block(frame.iloc[start:start + size], start + 2, date_style, neutralise)

    with ThreadPoolExecutor(max_workers=BUILDERS, thread_name_prefix="xlsx-block") as pool:
        pending = deque(pool.submit(build, start) for start in starts[:BUILDERS])
        for index, start in enumerate(starts):
            xml = pending.popleft().result()
            if index + BUILDERS < len(starts):
                pending.append(pool.submit(build, starts[index + BUILDERS]))
            yield min(size, len(frame) - start), xml


def _skeleton(titles: list[str]) -> tuple[bytes, int]:
    """An xlsxwriter workbook with these sheets (empty) and the date format: the package to fill."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for index, title in enumerate(titles):
        sheet = book.add_worksheet(title)
        if index == 0:  # a cell in the format, so that the format is in styles.xml
            sheet.write_datetime(0, 0, dt.datetime(2000, 1, 1), date_format)
    book.close()
    return buffer.getvalue(), date_format.xf_index


def _around_sheet_data(xml: bytes, frame: pd.DataFrame) -> tuple[bytes, bytes]:
    found = _SHEET_DATA.search(xml)
    head, tail = xml[:found.start()], xml[found.end():]
    last = f"{_column_letter(max(len(frame.columns), 1) - 1)}{len(frame) + 1}"
    head = _DIMENSION.sub(f'<dimension ref="A1:{last}"/>'.encode(), head, count=1)
    return head, tail


def _row_xml(header: list[str], row: int) -> bytes:
    cells = "".join(f'<c r="{_column_letter(i)}{row}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{_escape(_excel_text(text))}</t></is></c>" for i, text in enumerate(header))
    return f'<row r="{row}">{cells}</row>'.encode()


def _block(frame: pd.DataFrame, first_row: int, date_style: int, neutralise: Callable[[str], str]) -> memoryview:
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = pc.cast(pa.array(np.arange(first_row, first_row + len(frame))), pa.string())
    cells = [_cells(frame.iloc[:, i], _column_letter(i), rows, date_style, neutralise)
             for i in range(len(frame.columns))]
    joined = pc.binary_join_element_wise('<row r="', rows, '">', *cells, "</row>", "")
    return _concatenated(joined)


def _concatenated(strings) -> memoryview:
    """The bytes of every string of an arrow array, one after another: a view of its data buffer
    (no copy; the view keeps the buffer alive while the zip entry takes it)."""
    import pyarrow as pa

    strings = strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)[strings.offset:strings.offset + len(strings) + 1]
    return memoryview(strings.buffers()[2])[int(offsets[0]):int(offsets[-1])]


def _cells(column: pd.Series, letter: str, rows, date_style: int, neutralise: Callable[[str], str]):
    """The XML of one column's cells for these rows; "" where a cell is empty."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind, values = _typed(column)
    if kind == "mixed":
        return pa.array([_mixed_cell(v, f"{letter}{r}", date_style, neutralise)
                         for v, r in zip(column.tolist(), rows.to_pylist())], pa.string())
    where = pc.binary_join_element_wise(f'<c r="{letter}', rows, "", "")
    if kind == "string":
        text = _string_values(values, neutralise)
        edge = [f(text, c) for f in (pc.starts_with, pc.ends_with) for c in " \t\r\n"]
        opening = pc.if_else(pc.fill_null(functools.reduce(pc.or_, edge), False),
                             pa.scalar('" t="inlineStr"><is><t xml:space="preserve">'),
                             pa.scalar('" t="inlineStr"><is><t>'))
        xml = pc.binary_join_element_wise(where, opening, text, "</t></is></c>", "")
        empty = pc.is_null(text)  # "" is a cell holding an empty text, as xlsxwriter writes it
    else:
        style = f' s="{date_style}"' if kind == "date" else ' t="b"' if kind == "bool" else ""
        xml = pc.binary_join_element_wise(where, f'"{style}><v>', values, "</v></c>", "")
        empty = pc.is_null(values)
    return pc.if_else(pc.fill_null(empty, True), pa.scalar(""), xml)


def _typed(column: pd.Series):
    """("string" | "number" | "bool" | "date", arrow strings), or ("mixed", None) for a column of
    several types (the Summary's values), which is written cell by cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pd.api.types.is_bool_dtype(column.dtype):
        return "bool", pa.array(column.map({True: "1", False: "0"}).tolist(), pa.string())
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return "date", _serials(column)
    if pd.api.types.is_numeric_dtype(column.dtype):
        return "number", _numbers(column)
    try:
        values = pa.array(column, from_pandas=True)  # zero-copy for arrow-backed strings
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        values = None
    if values is not None and (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)
                               or pa.types.is_null(values.type)):
        return "string", values.cast(pa.string())
    return "mixed", None


def _numbers(column: pd.Series):
    """Numbers as text that reads back as xlsxwriter's "%.16G" does: the shortest form where it has
    at most 16 digits (then both are the same double), "%.16G" itself for the few that need 17."""
    import pyarrow as pa
    import pyarrow.compute as pc

    numbers = column.to_numpy(dtype=float, na_value=np.nan)
    finite = np.isfinite(numbers)
    text = pc.cast(pa.array(np.where(finite, numbers, 0.0)), pa.string())
    digits = pc.utf8_length(pc.replace_substring_regex(text, "[^0-9]", ""))
    long = np.flatnonzero(pc.greater(digits, 16).to_numpy(zero_copy_only=False))
    if len(long):
        fixed = text.to_pylist()
        for position in long.tolist():
            fixed[position] = f"{numbers[position]:.16G}"
        text = pa.array(fixed, pa.string())
    return pc.if_else(pa.array(finite), text, pa.scalar(None, pa.string()))


def _serials(column: pd.Series):
    import pyarrow as pa
    import pyarrow.compute as pc

    stamps = column.dt.tz_localize(None) if getattr(column.dt, "tz", None) is not None else column
    values = stamps.to_numpy(dtype="datetime64[us]")
    days = (values - _EXCEL_EPOCH) / np.timedelta64(1, "D")
    days = np.where(values < np.datetime64("1900-03-01", "us"), days - 1, days)
    missing = np.isnat(values)
    whole = ~missing & (days == np.floor(np.where(missing, 0, days)))
    # Dates (whole days, most cells) as integers in one cast; a time of day as "%.16G", value by value
    text = pc.cast(pa.array(np.where(whole, days, 0).astype(np.int64)), pa.string())
    timed = np.flatnonzero(~missing & ~whole)
    if len(timed):
        fixed = text.to_pylist()
        for position in timed.tolist():
            fixed[position] = f"{days[position]:.16G}"
        text = pa.array(fixed, pa.string())
    return pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), text)


def _mixed_cell(value: object, ref: str, date_style: int, neutralise: Callable[[str], str]) -> str:
    """One cell as xlsxwriter's typed writers would write it."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = int(value) if isinstance(value, (int, np.integer)) else float(value)
        return f'<c r="{ref}"><v>{number:.16G}</v></c>' if np.isfinite(number) else ""
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        stamp = pd.Timestamp(value).tz_localize(None) if pd.Timestamp(value).tzinfo else pd.Timestamp(value)
        serial = _serials(pd.Series([stamp], dtype="datetime64[us]")).to_pylist()[0]
        return f'<c r="{ref}" s="{date_style}"><v>{serial}</v></c>'
    text = _excel_text(neutralise(str(value)))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_escape(text)}</t></is></c>'


def _string_values(values, neutralise: Callable[[str], str]):
    """Neutralised, cut to Excel's limit, control characters escaped, XML-escaped."""
    import pyarrow as pa
    import pyarrow.compute as pc

    risky = pc.or_(pc.match_substring_regex(values, _RISKY),
                   pc.greater(pc.utf8_length(values), STRING_LIMIT // 2))
    positions = np.flatnonzero(pc.fill_null(risky, False).to_numpy(zero_copy_only=False))
    if len(positions):
        # The few values that need care go through the Python rules, one by one.
        fixed = values.to_pylist()
        for position in positions.tolist():
            fixed[position] = _excel_text(neutralise(fixed[position]))
        values = pa.array(fixed, pa.string())
    if pc.any(pc.match_substring_regex(values, "[&<>]")).as_py():
        values = pc.replace_substring(values, "&", "&amp;")
        values = pc.replace_substring(values, "<", "&lt;")
        values = pc.replace_substring(values, ">", "&gt;")
    return values


def _excel_text(text: str) -> str:
    if len(text) > STRING_LIMIT // 2 and len(text.encode("utf-16-le")) // 2 > STRING_LIMIT:
        units = text.encode("utf-16-le")[:STRING_LIMIT * 2]
        text = units.decode("utf-16-le", errors="ignore")
    text = re.sub(r"(_x[0-9a-fA-F]{4}_)", r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    return text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
