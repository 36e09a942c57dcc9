"""The enriched workbook: the refined sheets as they were, Data with provenance, and Enrichment.

Refuses to write a Data sheet without every provenance column, or with a row lacking one: the
quality gate reads these columns, and a workbook without them would pass off guesses as facts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import OutputFailed

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
    """Sheets in the refined workbook's order, then Enrichment (replacing one an earlier run left).

    Written by core.write as refine writes, so a cell enrich did not fill comes out as it went in.
    """
    import pandas as pd

    from core.write import write_workbook

    check_provenance(data)
    sheets: dict[str, pd.DataFrame] = {}
    for name in [n for n in order if n != ENRICHMENT_SHEET]:
        if name == data_sheet:
            sheets[name] = data
            continue
        rows = others[name]
        header = ["" if h is None else str(h) for h in (rows[0] if rows else [])]
        width = len(header)
        body = [(list(r) + [None] * width)[:width] for r in rows[1:]]
        sheets[name] = pd.DataFrame(body, columns=header, dtype=object)
    sheets[ENRICHMENT_SHEET] = enrichment
    write_workbook(target, sheets)
