"""One organisation of a refined case, as an operator asks about it: every value, where it came from, what lost.

Read from refine's own outputs (dist/<case>/refined.xlsx, or its Parquet copies beside it): the Data row
and its `selection_provenance` JSON, the Sources rows of its members, its merge explanation. Why an
alternative lost is said in the order survivorship ranks records: source priority, then completeness, then
recency; the latest contact date and the kept secondary emails and phones are said in their own words.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.case import Case
from core.errors import InputNotFound, UsageError

# Data columns that are not read from one record: what they are instead.
DERIVED = {"country": "from the profile", "privacy_basis": "from the profile", "organization_slug": "made by refine",
           "source_datasets": "every member's source", "source_record_ids": "every member row",
           "data_quality_score": "computed by refine", "data_quality_flags": "computed by refine",
           "contact_secondary_emails": "the other members' emails", "contact_secondary_phones": "the other members' phones"}
HIDDEN = {"selection_provenance", "merge_explanation", "organization_name"}
RENAMED = {"address": "address_primary", "category": "organization_category"}


@dataclass(frozen=True)
class Alternative:
    value: object
    source_file: str
    source_sheet: str
    source_row: int
    why: str  # why it lost, in words


@dataclass(frozen=True)
class FieldLine:
    field: str  # the Data column
    value: object
    source_file: str | None = None  # None: not one record's value (see `derived`)
    source_sheet: str | None = None
    source_row: int | None = None
    derived: str = ""
    alternatives: list[Alternative] = field(default_factory=list)

    @property
    def place(self) -> str:
        if self.source_file is None:
            return self.derived
        return row_place(self.source_file, self.source_sheet, self.source_row)


def row_place(file: str, sheet: str | None, row: int | None) -> str:
    """Where a value or a member row came from, as the card and `hotpass show` write it."""
    return f"{file}{f' › {sheet}' if sheet else ''} › row {row}"


@dataclass(frozen=True)
class MemberRow:
    source_file: str
    source_sheet: str
    source_row: int
    source_label: str
    link_method: str | None

    @property
    def record_id(self) -> str:
        """Refine's id of the row: what the organisations index and review decisions name it by."""
        from core.org_decisions import member_record_id

        return member_record_id(self.source_file, self.source_sheet, self.source_row)

    @property
    def place(self) -> str:
        return row_place(self.source_file, self.source_sheet, self.source_row)


@dataclass(frozen=True)
class OrgCard:
    slug: str
    name: str
    profile: str
    fields: list[FieldLine]
    members: list[MemberRow]
    merge_explanation: str | None
    review: Any = None  # core.org_decisions.CardReview: the decisions on its rows, when the ledger was read

    def field(self, name: str) -> FieldLine | None:
        return next((f for f in self.fields if f.field == name), None)


def read_refined(case: Case) -> tuple["pd.DataFrame", "pd.DataFrame", str]:  # noqa: F821
    """(Data, Sources, profile name) of the case's last refine."""
    import pandas as pd

    path = case.refined_path
    if not path.is_file():
        raise InputNotFound("the case has not been refined yet", file=path, hint=f"run `hotpass refine --case {case.case_id}`")
    data_copy, sources_copy = path.with_suffix(".data.parquet"), path.with_suffix(".sources.parquet")
    newer = all(p.is_file() and p.stat().st_mtime >= path.stat().st_mtime - 5 for p in (data_copy, sources_copy))
    if newer:  # the Parquet copies of the same run: read in milliseconds, the workbook in seconds
        data, sources = pd.read_parquet(data_copy), pd.read_parquet(sources_copy)
    else:
        data = pd.read_excel(path, "Data", engine="calamine", dtype=object)
        sources = pd.read_excel(path, "Sources", engine="calamine", dtype=object)
    summary = pd.read_excel(path, "Summary", engine="calamine", dtype=object)
    profile = next((str(v) for m, v in zip(summary.iloc[:, 0], summary.iloc[:, 1]) if m == "Profile"), "generic")
    return data, sources, profile


def find_org(data: "pd.DataFrame", query: str) -> int:  # noqa: F821
    """The Data row of the organisation `query` names: its slug, or the start of its name or slug."""
    slugs = data["organization_slug"].astype(str)
    exact = slugs[slugs == query]
    if len(exact):
        return int(exact.index[0])
    needle = query.strip().lower()
    names = data["organization_name"].astype(str).str.lower()
    hits = data.index[names.str.startswith(needle) | slugs.str.startswith(needle)].tolist()
    if len(hits) == 1:
        return int(hits[0])
    if not hits:
        raise UsageError(f"no organisation's slug or name starts with {query!r}", key=query,
                         hint="the refined workbook's Data sheet lists every organization_slug; give the start "
                              "of the name as it is written there, or the slug")
    shown = ", ".join(slugs[hits[:6]])
    raise UsageError(f"{len(hits)} organisations start with {query!r}: {shown}{', …' if len(hits) > 6 else ''}",
                     key=query, hint="give the slug, or more of the name")


def org_card(case: Case, query: str, search_path: list[Path] | None = None,
             decisions: Mapping[str, str] | None = None) -> OrgCard:
    """The card of the organisation `query` names; with `decisions` (the ledger's review decisions of the
    case) also what was decided on its rows and the queued pairs it is in (core.org_decisions)."""
    from core.case_overlay import load_case_profile

    data, sources, profile_name = read_refined(case)
    row = data.loc[find_org(data, _slug_of_row(sources, query) or query)]
    try:
        profile = load_case_profile(profile_name, search_path, case.input_dir).profile
    except Exception:  # noqa: BLE001 - the card still reads without priorities if the profile changed since
        profile = None
    provenance = json.loads(row.get("selection_provenance") or "{}")
    ranks = _Ranks(profile, provenance)
    lines = []
    for column in data.columns:
        value = _plain(row[column])
        if column in HIDDEN or value is None or value == "":
            continue
        chosen = provenance.get(_provenance_key(column))
        lines.append(_line(column, value, chosen, ranks) if chosen else FieldLine(column, value, derived=DERIVED.get(column, "")))
    # A shared website left out of `website` is told too: it lost for being everyone's.
    for key, chosen in provenance.items():
        if chosen.get("value") is None and chosen.get("alternatives"):
            lines.append(_line(RENAMED.get(key, key), None, chosen, ranks))
    slug = str(row["organization_slug"])
    members = sources[sources["organization_slug"].astype(str) == slug]
    member_rows = [MemberRow(str(r.source_file), "" if _plain(r.source_sheet) is None else str(r.source_sheet),
                             int(r.source_row), str(r.source_label), _plain(r.link_method))
                   for r in members.itertuples(index=False)]
    name_line = _line("organization_name", row["organization_name"], provenance.get("organization_name"), ranks) \
        if provenance.get("organization_name") else FieldLine("organization_name", row["organization_name"])
    review = None
    if decisions is not None:
        from core.org_decisions import card_review

        review = card_review(case, slug, decisions)
    return OrgCard(slug, str(row["organization_name"]), profile_name, [name_line, *lines], member_rows,
                   _plain(row.get("merge_explanation")), review)


def _slug_of_row(sources: "pd.DataFrame", query: str) -> str | None:  # noqa: F821
    """The organisation a record id (FILE#SHEET!ROW, as the review queue names its rows) is in now."""
    if "!" not in query:
        return None
    from core.org_decisions import member_record_id

    for slug, file, sheet, row in zip(sources["organization_slug"], sources["source_file"], sources["source_sheet"],
                                      sources["source_row"]):
        if member_record_id(str(file), "" if _plain(sheet) is None else str(sheet), int(row)) == query:
            return str(slug)
    return None


class _Ranks:
    """What the card knows of each record's rank: its source's priority (profile), its last contact (provenance)."""

    def __init__(self, profile, provenance: dict) -> None:
        self.profile = profile
        self.dates: dict[tuple, str] = {}
        dated = provenance.get("last_interaction_date")
        for entry in [dated, *(dated or {}).get("alternatives", [])] if dated else []:
            self.dates[_where(entry)] = entry["value"]

    def priority(self, file: str) -> int | None:
        if self.profile is None:
            return None
        spec = self.profile.source_for(file)
        return spec.priority if spec else self.profile.default_source_priority

    def why(self, column: str, chosen: dict, alternative: dict) -> str:
        if "shared_by" in alternative:
            return f"listed by {alternative['shared_by']} organisations: a directory's or chain's, not its own"
        if column == "last_interaction_date":
            return "an older contact: the latest date is shown"
        kept = {"contact_primary_email": "secondary emails", "contact_primary_phone": "secondary phones"}.get(column)
        reason = self._ranked(chosen, alternative)
        return f"kept in {kept}; {reason}" if kept else reason

    def _ranked(self, chosen: dict, alternative: dict) -> str:
        high, low = self.priority(chosen["source_file"]), self.priority(alternative["source_file"])
        if high is not None and low is not None and high != low:
            return f"lower source priority ({low} < {high})" if low < high else f"ranked lower (priority {low})"
        same = f"same source priority ({high}); " if high is not None else ""
        mine, theirs = self.dates.get(_where(chosen)), self.dates.get(_where(alternative))
        if _where(chosen) == _where(alternative):
            return "the same record lists it after the chosen one"
        if mine and theirs and mine != theirs:
            return f"{same}the chosen record is more complete, or as complete and more recent ({theirs} < {mine})"
        return f"{same}the chosen record is more complete, or as complete and more recent"


def _line(column: str, value: object, chosen: dict | None, ranks: _Ranks) -> FieldLine:
    if chosen is None:
        return FieldLine(column, value)
    alternatives = [Alternative(a["value"], a["source_file"], a.get("source_sheet") or "", int(a["source_row"]),
                                ranks.why(column, chosen, a)) for a in chosen.get("alternatives", [])]
    if chosen.get("source_file") is None:  # nothing chosen: only the losers are known
        return FieldLine(column, value, derived="none of its own", alternatives=alternatives)
    return FieldLine(column, value, chosen["source_file"], chosen.get("source_sheet") or "", int(chosen["source_row"]),
                     alternatives=alternatives)


def _where(entry: dict) -> tuple:
    return entry.get("source_file"), entry.get("source_sheet") or "", entry.get("source_row")


def _provenance_key(column: str) -> str:
    return {v: k for k, v in RENAMED.items()}.get(column, column)


def _plain(value: object) -> object:
    """A cell as the card shows it: None for empty, dates as ISO text, whole floats as ints."""
    import datetime as dt

    import pandas as pd

    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat() if value == pd.Timestamp(value).normalize() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return value
    if hasattr(value, "item"):  # numpy scalars from Parquet
        return value.item()
    return value
