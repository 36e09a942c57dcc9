"""Province cells -> one canonical spelling, from the profile's names and aliases."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from core.normalize.result import Normalized, map_unique

SOUTH_AFRICA_PROVINCES: tuple[str, ...] = (
    "Eastern Cape",
    "Free State",
    "Gauteng",
    "KwaZulu-Natal",
    "Limpopo",
    "Mpumalanga",
    "North West",
    "Northern Cape",
    "Western Cape",
)

# Abbreviations, older names and Afrikaans names seen in South African workbooks. Spellings that
# differ from a canonical name only in case, spaces, hyphens or a trailing "Province" need no
# entry. "Transvaal" is left out on purpose: it became four provinces, so it names none of them.
SOUTH_AFRICA_ALIASES: Mapping[str, str] = {
    "EC": "Eastern Cape",
    "E Cape": "Eastern Cape",
    "Oos-Kaap": "Eastern Cape",
    "FS": "Free State",
    "OFS": "Free State",
    "Orange Free State": "Free State",
    "Vrystaat": "Free State",
    "GP": "Gauteng",
    "GT": "Gauteng",
    "GAU": "Gauteng",
    "PWV": "Gauteng",
    "KZN": "KwaZulu-Natal",
    "Natal": "KwaZulu-Natal",
    "KwaZulu": "KwaZulu-Natal",
    "LP": "Limpopo",
    "LIM": "Limpopo",
    "Northern Province": "Limpopo",
    "Northern Transvaal": "Limpopo",
    "MP": "Mpumalanga",
    "MPU": "Mpumalanga",
    "Eastern Transvaal": "Mpumalanga",
    "NW": "North West",
    "Noordwes": "North West",
    "NC": "Northern Cape",
    "N Cape": "Northern Cape",
    "Noord-Kaap": "Northern Cape",
    "WC": "Western Cape",
    "W Cape": "Western Cape",
    "Wes-Kaap": "Western Cape",
}

_NOT_ALNUM = re.compile(r"[\W_]+")
_WORDS = re.compile(r"[^\W_]+")
_SUFFIX = "province"


def normalize_provinces(
    series: pd.Series, canonical: Sequence[str], aliases: Mapping[str, str]
) -> Normalized:
    """Every cell becomes one of `canonical` or NA; values that match nothing are reported.

    Matching ignores case, spaces and punctuation (`"kwa-zulu natal"`, `"NORTH WEST"`) and a
    trailing "Province". Canonical names map to themselves, so the result is idempotent.
    Raises ValueError when an alias points outside `canonical` (a profile mistake).
    """
    table = _lookup_table(canonical, aliases)
    return map_unique(series, lambda text: _normalize_cell(text, table), pd.NA)


def _normalize_cell(text: str, table: Mapping[str, str]) -> tuple[object, list[tuple[str, str]]]:
    key = _key(text)
    found = table.get(key)
    if found is None and key.endswith(_SUFFIX):
        found = table.get(key.removesuffix(_SUFFIX))
    if found is None:
        found = _shortened(text, set(table.values()))
    if found is None:
        return pd.NA, [(text.strip(), "not a known province")]
    return found, []


def _shortened(text: str, canonical: set[str]) -> str | None:
    """`W. Cape`, `W Cape`, `E.Cape`, `N West`, `Gaut`: each word the start of the same word of
    exactly one canonical name, and the words not all single letters (`N W` could be anything)."""
    words = _WORDS.findall(text.casefold())
    if words and words[-1] == _SUFFIX:
        words.pop()
    if not words or all(len(w) == 1 for w in words) or (len(words) == 1 and len(words[0]) < 4):
        return None
    matches = [name for name in canonical if _starts_each(words, _WORDS.findall(name.casefold()))]
    return matches[0] if len(matches) == 1 else None


def _starts_each(words: list[str], name_words: list[str]) -> bool:
    return len(words) == len(name_words) and all(n.startswith(w) for w, n in zip(words, name_words))


def _lookup_table(canonical: Sequence[str], aliases: Mapping[str, str]) -> dict[str, str]:
    table = {_key(name): name for name in canonical}
    for alias, target in aliases.items():
        name = table.get(_key(target))
        if name is None:
            raise ValueError(f"province alias {alias!r} points to {target!r}, not a known province")
        previous = table.setdefault(_key(alias), name)
        if previous != name:
            raise ValueError(f"province alias {alias!r} is ambiguous: {previous!r} or {name!r}")
    return table


def _key(text: str) -> str:
    # "Kwa-Zulu Natal", "KWAZULU NATAL" and "kwazulu-natal" must all meet at one key.
    return _NOT_ALNUM.sub("", text.casefold())
