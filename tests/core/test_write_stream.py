"""The streamed workbook holds exactly what xlsxwriter's cell-by-cell writing held, sheets stay within
Excel's row limit, and the Parquet copies hold the same rows."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from core.write import EXCEL_MAX_ROWS, neutralise, parquet_paths, split_sheets, write_parquet, write_workbook


def reference_workbook(target: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """How Hotpass wrote workbooks before: xlsxwriter, constant memory, one typed call per cell."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_formulas": False,
                                             "strings_to_urls": False, "strings_to_numbers": False})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for title, frame in sheets.items():
        sheet = book.add_worksheet(title)
        sheet.write_row(0, 0, [str(c) for c in frame.columns])
        for r, row in enumerate(frame.itertuples(index=False, name=None), start=1):
            for c, value in enumerate(row):
                if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, neutralise(value))
                elif isinstance(value, (bool, np.bool_)):
                    sheet.write_boolean(r, c, bool(value))
                elif isinstance(value, (int, float, np.integer, np.floating)):
                    sheet.write_number(r, c, value)
                elif isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
                    stamp = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
                    sheet.write_datetime(r, c, stamp, date_format)
                else:
                    sheet.write_string(r, c, neutralise(str(value)))
    book.close()


def cells(path: Path) -> dict[str, list[list[tuple[object, str, str]]]]:
    """Every cell's value, type and number format, sheet by sheet, as openpyxl reads them."""
    book = load_workbook(path)
    return {sheet.title: [[(c.value, c.data_type, c.number_format if c.value is not None else "") for c in row]
                          for row in sheet.iter_rows()] for sheet in book.worksheets}


AWKWARD = ["Acme (Pty) Ltd", "=HYPERLINK(\"http://x\")", "+27821234567", "+27 82 / =1", "@SUM(A1)", "-2+3",
           " leading and trailing ", "a & b < c > d", "tab\tand\nnewline", "bell\x07 and nul\x00", "_x0041_ literal",
           "", "Ünïcödé 中文 🚀", "x" * 40_000, "\ufffe odd", None, "\t=1"]


def awkward_frames() -> dict[str, pd.DataFrame]:
    n = len(AWKWARD)
    data = pd.DataFrame({
        "text": AWKWARD,
        "score": [0.8, 1.0, np.nan, 0.1 + 0.2, 1e16, -3.5, 0.0] + [0.25] * (n - 7),
        "count": np.arange(n, dtype="int64"),
        "flag": [True, False] * (n // 2) + [True] * (n % 2),
        "when": pd.to_datetime(["2024-02-29", None, "1999-12-31", "2025-01-01 13:30"] + ["2020-06-01"] * (n - 4), format="ISO8601"),
        "tuple_like": [("a", "b"), None] + ["x"] * (n - 2),
        "na": pd.Series([pd.NA] * n, dtype="string"),
        "arrow_text": pd.Series(["p", None] * (n // 2) + ["q"] * (n % 2), dtype="str"),
    })
    summary = pd.DataFrame([("Run id", "abc"), ("Input rows", 100_000), ("Mean score", 0.734),
                            ("Generated", dt.datetime(2026, 12, 1, 22, 0)), ("Formula", "=cmd"), ("Empty", None)],
                           columns=["Metric", "Value"])
    return {"Data": data, "Sources": data[["text", "count"]], "Summary": summary}


def test_streamed_workbook_holds_what_cell_by_cell_writing_held(tmp_path: Path) -> None:
    frames = awkward_frames()
    reference_workbook(tmp_path / "reference.xlsx", frames)
    write_workbook(tmp_path / "streamed.xlsx", frames)
    assert cells(tmp_path / "streamed.xlsx") == cells(tmp_path / "reference.xlsx")


def test_streamed_workbook_reads_the_same_in_calamine(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    frames = awkward_frames()
    reference_workbook(tmp_path / "reference.xlsx", frames)
    write_workbook(tmp_path / "streamed.xlsx", frames)
    ours, theirs = (CalamineWorkbook.from_path(str(tmp_path / f)) for f in ("streamed.xlsx", "reference.xlsx"))
    assert ours.sheet_names == theirs.sheet_names == ["Data", "Sources", "Summary"]
    for name in ours.sheet_names:
        assert ours.get_sheet_by_name(name).to_python() == theirs.get_sheet_by_name(name).to_python()


def test_progress_counts_every_row(tmp_path: Path) -> None:
    seen = []
    frame = pd.DataFrame({"a": [f"row {i}" for i in range(120_000)]})
    write_workbook(tmp_path / "big.xlsx", {"Data": frame, "Summary": frame.head(3)}, on_rows=seen.append)
    assert seen[-1] == 120_003 and seen == sorted(seen)


def test_a_wide_sheet_written_in_small_blocks_holds_the_same_cells(tmp_path: Path, monkeypatch) -> None:
    import core.xlsx_stream as xlsx_stream

    # 6,800 rows a sheet: seven blocks each, more than are built at once, so they come back in order
    frames = {name: pd.concat([frame] * 400, ignore_index=True) for name, frame in awkward_frames().items()
              if name != "Summary"}
    write_workbook(tmp_path / "one-block.xlsx", frames)
    monkeypatch.setattr(xlsx_stream, "BLOCK_CELLS", 8)  # 1,000 rows a block: rows cut across blocks
    seen = []
    write_workbook(tmp_path / "blocks.xlsx", frames, on_rows=seen.append)
    assert len(seen) == 14 > 2 * xlsx_stream.BUILDERS and seen[-1] == 2 * len(frames["Data"])
    assert cells(tmp_path / "blocks.xlsx") == cells(tmp_path / "one-block.xlsx")
    # Readers here find cells by reference; Excel refuses a sheet whose rows are out of order
    with zipfile.ZipFile(tmp_path / "blocks.xlsx") as book:
        rows = [int(r) for r in re.findall(rb'<row r="(\d+)"', book.read("xl/worksheets/sheet1.xml"))]
    assert rows == list(range(1, len(frames["Data"]) + 2))


def test_sheets_deflated_by_isa_l_hold_the_bytes_zlib_would_have_written(tmp_path: Path, monkeypatch) -> None:
    import core.xlsx_stream as xlsx_stream

    frames = {name: pd.concat([frame] * 400, ignore_index=True) for name, frame in awkward_frames().items()}
    write_workbook(tmp_path / "isal.xlsx", frames)
    monkeypatch.setattr(xlsx_stream, "_deflate_fast", lambda entry: None)
    write_workbook(tmp_path / "zlib.xlsx", frames)
    with zipfile.ZipFile(tmp_path / "isal.xlsx") as fast, zipfile.ZipFile(tmp_path / "zlib.xlsx") as plain:
        assert fast.testzip() is None  # every entry's CRC and size as its header says
        assert fast.namelist() == plain.namelist()
        sheets = [name for name in fast.namelist() if name.startswith("xl/worksheets/")]
        assert len(sheets) == 3
        for name in sheets:  # (docProps holds the time it was written)
            assert fast.read(name) == plain.read(name), name
        # ISA-L's stream, not zlib's: the same XML deflated another way (zipfile read it back with zlib)
        sheet = "xl/worksheets/sheet1.xml"
        assert fast.getinfo(sheet).compress_size != plain.getinfo(sheet).compress_size
    assert cells(tmp_path / "isal.xlsx") == cells(tmp_path / "zlib.xlsx")


def test_a_sheet_over_the_limit_continues_on_numbered_sheets() -> None:
    frame = pd.DataFrame({"row": range(25)})
    parts = split_sheets({"Data": frame.head(3), "Sources": frame}, max_rows=11)
    assert list(parts) == ["Data", "Sources", "Sources (2)", "Sources (3)"]
    assert [len(p) for p in parts.values()] == [3, 10, 10, 5]
    assert pd.concat(list(parts.values())[1:])["row"].tolist() == list(range(25))


@pytest.mark.slow
def test_sources_past_a_million_rows_continue_on_sources_2(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    rows = EXCEL_MAX_ROWS + 10  # the header of the first sheet takes one, so 11 rows go on
    sources = pd.DataFrame({"organization_slug": np.full(rows, "acme"), "source_row": np.arange(rows)})
    write_workbook(tmp_path / "refined.xlsx", {"Data": sources.head(2), "Sources": sources})
    book = CalamineWorkbook.from_path(str(tmp_path / "refined.xlsx"))
    assert book.sheet_names == ["Data", "Sources", "Sources (2)"]
    first = book.get_sheet_by_name("Sources").to_python()
    second = book.get_sheet_by_name("Sources (2)").to_python()
    assert len(first) == EXCEL_MAX_ROWS and len(second) == 12
    assert first[0] == second[0] == ["organization_slug", "source_row"]
    assert [int(r[1]) for r in second[1:]] == list(range(EXCEL_MAX_ROWS - 1, rows))


def test_parquet_copies_hold_the_same_rows(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    data = awkward_frames()["Data"]
    paths = parquet_paths(tmp_path / "refined.xlsx")
    assert paths == {"Data": tmp_path / "refined.data.parquet", "Sources": tmp_path / "refined.sources.parquet"}
    write_parquet(paths["Data"], data)
    back = pq.read_table(paths["Data"]).to_pandas()
    assert list(back.columns) == list(data.columns) and len(back) == len(data)
    assert back["text"].tolist()[:3] == AWKWARD[:3]  # as they are: Parquet is not opened by spreadsheets
    assert back["count"].tolist() == data["count"].tolist()
    assert back["when"].iloc[0] == pd.Timestamp("2024-02-29")
    assert back["tuple_like"].iloc[0] == "('a', 'b')"  # a column of mixed types becomes text
    assert list(tmp_path.iterdir()) == [paths["Data"]]
