"""The enriched workbook: the refined sheets as they were, Data with provenance, and Enrichment.

Refuses to write a Data sheet without every provenance column, or with a row lacking one: the
quality gate reads these columns, and a workbook without them would pass off guesses as facts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import OutputFailed
from core.write import atomic_path, neutralise

if TYPE_CHECKING:
    import pandas as pd

PROVENANCE_COLUMNS = ("provenance_source", "provenance_timestamp", "provenance_confidence",
                      "provenance_strategy", "provenance_network_status")
ENRICHMENT_SHEET = "Enrichment"


def check_provenance(data: "pd.DataFrame") -> None:
    missing = [c for c in PROVENANCE_COLUMNS if c not in data.columns]
    if missing:
        raise OutputFailed(f"refusing to write an enriched workbook without {', '.join(missing)}",
                           key=missing[0], hint="this is a bug in enrich: every row must carry its provenance")
    for column in PROVENANCE_COLUMNS:
        blank = data[column].isna() | (data[column].astype(str) == "")
        if blank.any():
            raise OutputFailed(f"refusing to write an enriched workbook: {int(blank.sum())} rows have no {column}",
                               key=column, hint="this is a bug in enrich: every row must carry its provenance")


def write_enriched(target: Path, order: list[str], data: "pd.DataFrame", others: dict[str, list[list]],
                   enrichment: "pd.DataFrame", data_sheet: str = "Data") -> None:
    """Sheets in the refined workbook's order, then Enrichment (replacing one an earlier run left)."""
    import xlsxwriter

    check_provenance(data)
    with atomic_path(target) as temp:
        book = xlsxwriter.Workbook(str(temp), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "strings_to_numbers": False})
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        for name in [n for n in order if n != ENRICHMENT_SHEET]:
            sheet = book.add_worksheet(name)
            if name == data_sheet:
                _rows(sheet, [list(data.columns)], date_format)
                _rows(sheet, data.itertuples(index=False, name=None), date_format, start=1)
            else:
                _rows(sheet, others[name], date_format)
        sheet = book.add_worksheet(ENRICHMENT_SHEET)
        _rows(sheet, [list(enrichment.columns)], date_format)
        _rows(sheet, enrichment.itertuples(index=False, name=None), date_format, start=1)
        book.close()


def _rows(sheet, rows, date_format, start: int = 0) -> None:
    for r, row in enumerate(rows, start=start):
        for c, value in enumerate(row):
            if value is None or value == "" or (isinstance(value, float) and value != value):
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, neutralise(value))
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            elif isinstance(value, (dt.datetime, dt.date)):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, dt.time):
                sheet.write_string(r, c, value.isoformat())
            else:
                sheet.write_string(r, c, neutralise(str(value)))
