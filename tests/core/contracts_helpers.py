"""Workbooks shaped like refine's Data sheet, for the contract and qa tests (real files, openpyxl)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import write_xlsx

PROVENANCE = ["provenance_source", "provenance_timestamp", "provenance_confidence", "provenance_strategy",
              "provenance_network_status"]


def data_row(columns: list[str], n: int) -> list:
    values = {
        "organization_name": f"Org {n} (Pty) Ltd", "organization_slug": f"org-{n}-pty-ltd",
        "organization_id": f"org-{n:010x}", "province": "Gauteng", "country": "South Africa",
        "website": f"https://org{n}.co.za", "source_datasets": "directory", "source_record_ids": f"a.xlsx#S!{n + 1}",
        "contact_primary_email": f"info@org{n}.co.za", "contact_primary_phone": "+27115550101",
        "data_quality_score": 0.8, "data_quality_flags": "address", "selection_provenance": "{}",
        "last_interaction_date": dt.datetime(2025, 9, 1), "privacy_basis": "legitimate_interest",
    }
    return [values.get(c) for c in columns]


def refined_workbook(path: Path, rows: int = 4, drop: tuple[str, ...] = (), extra: tuple[str, ...] = (),
                     provenance: bool = False, edit=None) -> Path:
    from core.contracts.columns import data_columns

    columns = [c for c in data_columns() if c not in drop] + list(extra)
    body = [data_row(columns, n) for n in range(1, rows + 1)]
    if provenance:
        columns = columns + PROVENANCE
        body = [r + ["registry", "2026-12-01T00:00:00Z", 0.85, "lookup", "skipped"] for r in body]
    if edit is not None:
        edit(columns, body)
    return write_xlsx(path, {"Data": [columns, *body], "Sources": [["organization_slug"], ["org-1-pty-ltd"]]})
