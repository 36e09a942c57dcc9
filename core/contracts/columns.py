"""The refined Data columns and what each one means, for the contract.

The column list is read from the code that writes Data (core/survivorship.py's DATA_COLUMNS, plus
the lasting `organization_id` that core/resolve/identity.py inserts after the slug), not kept here
a second time. Importing core.survivorship costs pandas (seconds on a busy machine), so its source
is parsed instead; tests compare the result with a real refine's Data header.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SURVIVORSHIP_SOURCE = Path(__file__).resolve().parent.parent / "survivorship.py"
ID_AFTER = ("organization_slug", "organization_id")  # identity.py: the id goes right after the slug
PERSONAL = "personal"  # the classification of a column that holds personal data


@dataclass(frozen=True)
class ColumnMeaning:
    logical: str  # ODCS logicalType
    physical: str  # the cell type in the workbook
    description: str
    required: bool = False  # always filled by refine
    unique: bool = False
    personal: bool = False


_TEXT = ("string", "text")
MEANINGS: dict[str, ColumnMeaning] = {
    "organization_name": ColumnMeaning(*_TEXT, "The organisation's name, from the best source row.", required=True),
    "organization_slug": ColumnMeaning(*_TEXT, "URL-safe key of the organisation; kept from run to run while its "
                                       "rows are unchanged.", required=True, unique=True),
    "organization_id": ColumnMeaning(*_TEXT, "Lasting id of the organisation (org-<hex>).", required=True,
                                     unique=True),
    "province": ColumnMeaning(*_TEXT, "Canonical province name (the profile's provinces)."),
    "country": ColumnMeaning(*_TEXT, "Country name from the profile.", required=True),
    "area": ColumnMeaning(*_TEXT, "Town or area."),
    "address_primary": ColumnMeaning(*_TEXT, "Postal or street address."),
    "organization_category": ColumnMeaning(*_TEXT, "Category of the organisation, as the sources name it."),
    "organization_type": ColumnMeaning(*_TEXT, "Type of the organisation, as the sources name it."),
    "status": ColumnMeaning(*_TEXT, "Status as the sources give it (e.g. active)."),
    "website": ColumnMeaning(*_TEXT, "https://host/path, host lower-case without www."),
    "planes": ColumnMeaning(*_TEXT, "Aircraft the organisation operates, as the sources give them."),
    "description": ColumnMeaning(*_TEXT, "Free-text description from the sources."),
    "notes": ColumnMeaning(*_TEXT, "Operators' notes from the sources."),
    "source_datasets": ColumnMeaning(*_TEXT, "Source labels that contributed, separated by '; '.", required=True),
    "source_record_ids": ColumnMeaning(*_TEXT, "file#sheet!row of every contributing row, separated by '; '.",
                                       required=True),
    "contact_primary_name": ColumnMeaning(*_TEXT, "Name of the primary contact person.", personal=True),
    "contact_primary_role": ColumnMeaning(*_TEXT, "Role of the primary contact person."),
    "contact_primary_email": ColumnMeaning(*_TEXT, "Primary email address, lower-case.", personal=True),
    "contact_primary_phone": ColumnMeaning(*_TEXT, "Primary phone number in E.164 (+27821234567).", personal=True),
    "contact_secondary_emails": ColumnMeaning(*_TEXT, "Other email addresses, separated by '; '.", personal=True),
    "contact_secondary_phones": ColumnMeaning(*_TEXT, "Other phone numbers in E.164, separated by '; '.",
                                              personal=True),
    "data_quality_score": ColumnMeaning("number", "number", "Share of the checks email, phone, website, province, "
                                        "address that are present and valid (0 to 1).", required=True),
    "data_quality_flags": ColumnMeaning(*_TEXT, "The checks that fail, separated by '; ' (empty when none do)."),
    "selection_provenance": ColumnMeaning(*_TEXT, "JSON: for each field its value, source file, sheet, row and the "
                                          "alternatives that lost.", required=True, personal=True),
    "last_interaction_date": ColumnMeaning("date", "date", "Latest contact date any contributing row records."),
    "priority": ColumnMeaning(*_TEXT, "Outreach priority as the sources give it."),
    "privacy_basis": ColumnMeaning(*_TEXT, "Lawful basis for processing the row's personal data (the profile's).",
                                   required=True),
    "merge_explanation": ColumnMeaning(*_TEXT, "Why the rows of this organisation were merged, in words."),
}
UNKNOWN = ColumnMeaning(*_TEXT, "A column of the refined Data sheet.")


@lru_cache(maxsize=1)
def data_columns() -> tuple[str, ...]:
    """The refined Data sheet's columns, in the order refine writes them."""
    tree = ast.parse(SURVIVORSHIP_SOURCE.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DATA_COLUMNS" for t in node.targets):
            columns = list(ast.literal_eval(node.value))
            break
    else:  # pragma: no cover - survivorship.py changed shape: fail loudly, never emit a wrong contract
        raise RuntimeError(f"DATA_COLUMNS not found as a literal list in {SURVIVORSHIP_SOURCE}")
    after, inserted = ID_AFTER
    if inserted not in columns and after in columns:
        columns.insert(columns.index(after) + 1, inserted)
    return tuple(columns)


def meaning(column: str) -> ColumnMeaning:
    return MEANINGS.get(column, UNKNOWN)
