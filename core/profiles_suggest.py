"""What Hotpass would put in a case overlay by itself: header rows, and fields for columns read by their values.

For every sheet of the case: the header row (the first row near the top that is as wide as the rows below
it and holds only short distinct labels, no emails, phones or URLs), and for each column the profile
leaves unmapped, a field chosen by what the column holds, judged with core.normalize's own parsers on a
sample: emails, websites, phones, provinces. What it cannot decide is listed, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.case_overlay import CaseOverlay
from core.profiles import Profile

SAMPLE_ROWS = 200  # a column is judged on its first values below the header
SHARE_NEEDED = 0.6  # of its non-empty sampled cells that must parse as the kind
VALUE_KINDS = ("email", "website", "phone", "province")  # tried in this order: an email is not a website


@dataclass
class SheetSuggestion:
    file: str
    sheet: str
    header_row: int | None  # Excel row (CSV line); None: no header found
    header_row_changed: bool  # not the row the profile finds by itself
    by_values: dict[str, tuple[str, float]] = field(default_factory=dict)  # header -> (field, share that parsed)
    undecided: list[str] = field(default_factory=list)  # what it could not decide, in words


@dataclass
class Suggestion:
    overlay: CaseOverlay
    sheets: list[SheetSuggestion]

    @property
    def undecided(self) -> list[str]:
        return [f"{s.file} › {s.sheet or '(csv)'}: {text}" for s in self.sheets for text in s.undecided]


def suggest_overlay(input_dir: Path, profile: Profile) -> Suggestion:
    from core.ingest.discover import discover
    from core.ingest.mapping import ColumnMapper
    from core.ingest.read import read_file

    files, _ = discover(input_dir)
    mapper = ColumnMapper(profile)
    overlay = CaseOverlay(extends=profile.name)
    sheets = []
    for path in files:
        spec = profile.source_for(path.name)
        for raw in read_file(path):
            if spec and raw.name in spec.skip_sheets:
                continue
            suggestion = _suggest_sheet(path.name, raw, profile, mapper, spec)
            sheets.append(suggestion)
            entry = overlay.source(_pattern(path.name))
            if suggestion.header_row_changed and suggestion.header_row is not None:
                entry.header_rows[raw.name] = suggestion.header_row
            if suggestion.by_values:
                entry.columns[raw.name] = {header: name for header, (name, _) in suggestion.by_values.items()}
    overlay.sources = [s for s in overlay.sources if s.header_rows or s.columns]
    return Suggestion(overlay, sheets)


def _suggest_sheet(file_name: str, raw, profile: Profile, mapper, spec) -> SheetSuggestion:
    from core.ingest.mapping import find_header

    ignored = spec.ignore_columns.get(raw.name, []) if spec else []
    settings = profile.ingest
    found, _ = find_header(raw.rows, mapper, settings.header_scan_rows, settings.min_header_fields, ignored)
    index = _header_by_shape(raw.rows, settings.header_scan_rows)
    suggestion = SheetSuggestion(file_name, raw.name, None, False)
    if index is None:
        index = found
    if index is None:
        suggestion.undecided.append(f"no header row in the top {settings.header_scan_rows} rows")
        return suggestion
    suggestion.header_row = raw.row_numbers[index]
    suggestion.header_row_changed = index != found
    headers = [c if isinstance(c, str) else None for c in raw.rows[index]]
    mapping = mapper.map_headers(headers, ignored)
    taken = set(mapping.fields)
    body = raw.rows[index + 1:index + 1 + SAMPLE_ROWS]
    for column, header in enumerate(headers):
        if header is None or not header.strip() or column in mapping.columns:
            continue
        values = [row[column] for row in body if column < len(row) and isinstance(row[column], str) and row[column].strip()]
        if not values:
            suggestion.undecided.append(f"column {header.strip()!r}: no values to judge")
            continue
        name, share = _field_by_values(values, profile, taken)
        if name is None:
            suggestion.undecided.append(f"column {header.strip()!r}: its values are not emails, phones, websites "
                                        "or provinces")
            continue
        suggestion.by_values[header.strip()] = (name, share)
        taken.add(name)
    if not taken & {"organization_name", "organization_id"}:
        suggestion.undecided.append("which column is the organisation's name (or ID)")
    return suggestion


def _header_by_shape(rows: list[list[object]], scan_rows: int) -> int | None:
    """The first row of only short, distinct text labels that is about as wide as the rows under it."""
    for index, row in enumerate(rows[:scan_rows]):
        cells = [c for c in row if c is not None and (not isinstance(c, str) or c.strip())]
        if len(cells) < 2 or not all(isinstance(c, str) for c in cells):
            continue
        labels = [c.strip() for c in cells]
        if len(set(labels)) != len(labels) or any(len(t) > 40 or _looks_like_value(t) for t in labels):
            continue
        below = [sum(c is not None for c in r) for r in rows[index + 1:index + 21]]
        if not any(below) or len(cells) >= 0.6 * max(below):  # a header with no rows under it is still one
            return index
    return None


def _looks_like_value(text: str) -> bool:
    lowered = text.lower()
    return "@" in text or lowered.startswith(("http", "www.")) or sum(ch.isdigit() for ch in text) >= 6


def _field_by_values(values: list[str], profile: Profile, taken: set[str]) -> tuple[str | None, float]:
    from core.ingest.mapping import MULTI_COLUMN_KINDS

    for kind in VALUE_KINDS:
        share = _share_parsed(values, kind, profile)
        if share < SHARE_NEEDED:
            continue
        for name, spec in profile.fields.items():
            if spec.kind == kind and (name not in taken or kind in MULTI_COLUMN_KINDS):
                return name, share
        return None, share  # the field is there but already has its one column
    return None, 0.0


def _share_parsed(values: list[str], kind: str, profile: Profile) -> float:
    import pandas as pd

    from core.normalize.emails import normalize_emails
    from core.normalize.phones import normalize_phones
    from core.normalize.provinces import normalize_provinces
    from core.normalize.websites import normalize_websites

    series = pd.Series(values, dtype=object)
    if kind == "email":
        parsed = normalize_emails(series).values.map(bool)
    elif kind == "phone":
        parsed = normalize_phones(series, profile.country).values.map(bool)
    elif kind == "website":
        if series.str.contains("@", regex=False).mean() > 0.2:  # addresses, not sites
            return 0.0
        parsed = normalize_websites(series).values.notna()
    else:
        parsed = normalize_provinces(series, profile.provinces.canonical, profile.provinces.aliases).values.notna()
    return float(parsed.mean())


def _pattern(file_name: str) -> str:
    """The file's own name as a glob: the characters fnmatch reads specially are bracketed."""
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in file_name)


def suggestion_yaml(suggestion: Suggestion) -> str:
    """The overlay, then what it could not decide as comments: the whole text stays a valid overlay."""
    lines = [suggestion.overlay.to_yaml().rstrip("\n")]
    decided = [(s, h, f, share) for s in suggestion.sheets for h, (f, share) in s.by_values.items()]
    if decided:
        lines += ["", "# mapped by their values:"]
        lines += [f"#   {s.file} › {s.sheet or '(csv)'} › {h} -> {f} ({share:.0%} of the sampled cells parse)"
                  for s, h, f, share in decided]
    if suggestion.undecided:
        lines += ["", "# not decided (assign these in the Prepare pane, or here by hand):"]
        lines += [f"#   {text}" for text in suggestion.undecided]
    return "\n".join(lines) + "\n"
