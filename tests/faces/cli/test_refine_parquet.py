"""Refine leaves Parquet copies of Data and Sources beside the workbook, with the same rows."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_hotpass


def test_refine_writes_parquet_copies_of_data_and_sources(tmp_path: Path) -> None:
    import pyarrow.parquet as pq
    from python_calamine import CalamineWorkbook

    done = run_hotpass("refine", "--no-validate", cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    dist = tmp_path / "dist" / "sample"
    book = CalamineWorkbook.from_path(str(dist / "refined.xlsx"))
    for sheet in ("Data", "Sources"):
        rows = book.get_sheet_by_name(sheet).to_python()
        table = pq.read_table(dist / f"refined.{sheet.lower()}.parquet")
        assert table.column_names == rows[0]
        assert table.num_rows == len(rows) - 1
        slugs = table.column("organization_slug").to_pylist()
        assert slugs == [r[rows[0].index("organization_slug")] for r in rows[1:]]
