"""The normalise stage: apply the column normalisers to every record at once, collect what failed."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.normalize import (
    clean_text, join_person_name, normalize_emails, normalize_phones, normalize_provinces, normalize_websites,
)
from core.normalize.result import Normalized
from core.profiles import Profile
from core.results import InvalidValueReport

ORGANISATION_FIELDS = [
    "organization_name", "organization_id", "province", "area", "address", "category", "organization_type",
    "status", "website", "planes", "description", "notes", "last_interaction_date", "priority",
]
CONTACT_FIELDS = ["contact_name", "contact_role", "phones", "emails"]
RAW_ONLY_FIELDS = ["contact_first_name", "contact_last_name", "contact_phone", "contact_email"]
# The fields whose failures are reported, in the order the reports come out.
REPORTED_FIELDS = ["contact_phone", "contact_email", "website", "province", "last_interaction_date"]


def normalise_records(records: pd.DataFrame, profile: Profile) -> tuple[pd.DataFrame, list[InvalidValueReport]]:
    """Return records with clean ORGANISATION_FIELDS + CONTACT_FIELDS, and every value that failed."""
    from core.ingest.prepared import prepared_normalisation

    prepared = prepared_normalisation(records, profile, REPORTED_FIELDS)
    if prepared is not None:  # normalised file by file by the flow's workers (core.ingest.prepared)
        normalised, invalid = prepared
        return normalised.reindex(columns=output_columns(records)), invalid
    raw = records.reindex(columns=[*records.columns, *_missing(records)])
    out = records[[c for c in records.columns if c not in set(ORGANISATION_FIELDS) | set(RAW_ONLY_FIELDS)]].copy()
    placeholders = profile.ingest.placeholders
    for name in ORGANISATION_FIELDS + ["contact_role"]:
        if name not in ("website", "province", "last_interaction_date"):
            out[name] = clean_text(raw[name], placeholders, _as_text)
    person = join_person_name(clean_text(raw["contact_first_name"], placeholders, _as_text),
                              clean_text(raw["contact_last_name"], placeholders, _as_text))
    out["contact_name"] = clean_text(raw["contact_name"], placeholders, _as_text).fillna(person)
    invalid: list[InvalidValueReport] = []
    results = {
        "phones": ("contact_phone", normalize_phones(clean_text(raw["contact_phone"], placeholders, _as_text), profile.country)),
        "emails": ("contact_email", normalize_emails(clean_text(raw["contact_email"], placeholders, _as_text))),
        "website": ("website", normalize_websites(clean_text(raw["website"], placeholders, _as_text))),
        "province": ("province", normalize_provinces(
            clean_text(raw["province"], placeholders, _as_text), profile.provinces.canonical, profile.provinces.aliases)),
    }
    for target, (field, normalized) in results.items():
        out[target] = normalized.values
        invalid += _reports(records, field, normalized)
    dates, bad_dates = _dates(raw["last_interaction_date"])
    out["last_interaction_date"] = dates
    invalid += _reports(records, "last_interaction_date", bad_dates)
    return out, invalid


def output_columns(records: pd.DataFrame) -> list[str]:
    """The normalise stage's columns, in order, for these raw records."""
    kept = [c for c in records.columns if c not in set(ORGANISATION_FIELDS) | set(RAW_ONLY_FIELDS)]
    text = [n for n in ORGANISATION_FIELDS + ["contact_role"] if n not in ("website", "province", "last_interaction_date")]
    added = text + ["contact_name", "phones", "emails", "website", "province", "last_interaction_date"]
    return kept + [c for c in added if c not in kept]


def _missing(records: pd.DataFrame) -> list[str]:
    wanted = ORGANISATION_FIELDS + RAW_ONLY_FIELDS + ["contact_name", "contact_role"]
    return [c for c in wanted if c not in records.columns]


def _as_text(value: object) -> str:
    """Dates that landed in text fields read as ISO dates, not as Python reprs."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _dates(series: pd.Series) -> tuple[pd.Series, Normalized]:
    text_like = pd.Series([isinstance(v, str) for v in series.tolist()], index=series.index, dtype=bool)
    parsed = pd.to_datetime(series.where(~text_like), errors="coerce")
    from_text = pd.to_datetime(series.where(text_like), errors="coerce", dayfirst=True, format="mixed")
    values = parsed.fillna(from_text)
    failed = text_like & values.isna()
    from core.normalize.result import InvalidValue

    invalid = [InvalidValue(i, str(series[i]), "not a date") for i in series.index[failed]]
    return values, Normalized(values, invalid)


def _reports(records: pd.DataFrame, field: str, normalized: Normalized) -> list[InvalidValueReport]:
    return [
        InvalidValueReport(
            file=str(records.at[item.index, "source_file"]),
            sheet=str(records.at[item.index, "source_sheet"]),
            row=int(records.at[item.index, "source_row"]),
            column=field,
            field=field,
            reason=item.reason,
            value=item.raw,
        )
        for item in normalized.invalid
    ]
