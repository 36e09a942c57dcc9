"""Map column headers to profile fields, case-, space- and punctuation-insensitively.

Precedence: an exact alias beats a keyword, a keyword beats a suffix, and among equals the
field listed first in the profile wins. Each single-valued field takes one column (the first
match); phone and email fields take every column that matches, so "Phone" and "WhatsApp" both count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.profiles import Profile

MULTI_COLUMN_KINDS = {"phone", "email"}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"[0-9a-z]+")


def normalise_header(text: object) -> str:
    return _NON_ALNUM.sub("", str(text).lower()) if text is not None else ""


def _word_starts(header: object) -> list[str]:
    """The header run together from each word on. A keyword must start at a word ("Tel." yes, "Satellite"
    no); a suffix must be whole trailing words ("Practice No" yes, "Casino" no)."""
    words = _WORD.findall(str(header).lower())
    return ["".join(words[i:]) for i in range(len(words))]


@dataclass
class SheetMapping:
    columns: dict[int, str] = field(default_factory=dict)  # column index -> field
    headers: dict[int, str] = field(default_factory=dict)  # column index -> header as written
    unmapped: list[str] = field(default_factory=list)  # "Header (why)"

    @property
    def fields(self) -> set[str]:
        return set(self.columns.values())

    def by_header(self) -> dict[str, str]:
        return {self.headers[i]: f for i, f in sorted(self.columns.items())}


class ColumnMapper:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._aliases: dict[str, str] = {}
        for name, spec in profile.fields.items():
            for alias in spec.aliases:
                self._aliases.setdefault(normalise_header(alias), name)
        self._person_words = [normalise_header(w) for w in profile.ingest.person_name_words]

    def field_for(self, header: object) -> tuple[str | None, int]:
        """The field a header maps to and the strength of the match (3 alias, 2 keyword, 1 suffix)."""
        key = normalise_header(header)
        if not key:
            return None, 0
        if key in self._aliases:
            return self._aliases[key], 3
        starts = _word_starts(header)
        for name, spec in self.profile.fields.items():
            if any(start.startswith(normalise_header(k)) for k in spec.keywords for start in starts):
                return name, 2
        for name, spec in self.profile.fields.items():
            if any(normalise_header(s) in starts for s in spec.suffixes) and not self._is_person(key):
                return name, 1
        return None, 0

    def map_headers(self, headers: list[object], ignored: list[str] = (),
                    assigned: dict[str, str | None] | None = None) -> SheetMapping:
        """`assigned`: the case overlay's header -> field (None: leave unmapped); it beats every match."""
        mapping = SheetMapping()
        ignored_keys = {normalise_header(h) for h in ignored}
        chosen = {normalise_header(h): f for h, f in (assigned or {}).items()}
        candidates = []
        for index, header in enumerate(headers):
            if header is None or not str(header).strip():
                continue
            text = str(header).strip()
            mapping.headers[index] = text
            if normalise_header(text) in chosen:
                if chosen[normalise_header(text)] is None:
                    mapping.unmapped.append(f"{text} (unassigned by the case overlay)")
                else:
                    candidates.append((-4, index, chosen[normalise_header(text)], text))
                continue
            if normalise_header(text) in ignored_keys:
                mapping.unmapped.append(f"{text} (ignored by the profile)")
                continue
            name, strength = self.field_for(text)
            if name is None:
                mapping.unmapped.append(text)
            else:
                candidates.append((-strength, index, name, text))
        for _, index, name, text in sorted(candidates):
            kind = self.profile.fields[name].kind
            if name in mapping.fields and kind not in MULTI_COLUMN_KINDS:
                mapping.unmapped.append(f"{text} (also matches {name}; an earlier column won)")
            else:
                mapping.columns[index] = name
        return mapping

    def _is_person(self, key: str) -> bool:
        return any(word in key for word in self._person_words)


def find_header(rows: list[list[object]], mapper: ColumnMapper, scan_rows: int, min_fields: int,
                ignored: list[str] = (), assigned: dict[str, str | None] | None = None) -> tuple[int | None, SheetMapping]:
    """The first row within the top `scan_rows` that maps at least `min_fields` distinct fields."""
    best = SheetMapping()
    for index, row in enumerate(rows[:scan_rows]):
        if not any(cell is not None and isinstance(cell, str) for cell in row):
            continue
        mapping = mapper.map_headers([c if isinstance(c, str) else None for c in row], ignored, assigned)
        if len(mapping.fields) >= min_fields:
            return index, mapping
        if len(mapping.fields) > len(best.fields):
            best = mapping
    return None, best
