"""Free text (organisation and person names, roles, notes): whitespace and placeholder clean-up."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

# What people type into a cell when they have nothing to put there. Punctuation-only values
# ("-", "- -", "...") are caught by a pattern and need not be listed. "0", "na" and "x" are left
# out on purpose: they are real values in some columns (a count, a surname, a tick).
PLACEHOLDERS_DEFAULT: tuple[str, ...] = (
    "-",
    "- -",
    "n/a",
    "n.a.",
    "#n/a",
    "nil",
    "none",
    "null",
    "nan",
    "tbd",
    "tba",
    "tbc",
    "unknown",
    "not available",
    "not applicable",
    "?",
    ".",
)

# `\s` on str patterns covers NBSP, em spaces, line and paragraph separators, tabs and newlines.
_SPACES = r"\s+"
# Zero-width characters come along with text copied from web pages; they are not spaces, so
# they are removed rather than turned into one.
_ZERO_WIDTH = "[\u200b\u200c\u200d\u2060\ufeff]"
_ONLY_PUNCTUATION = r"[\W_]*"


def clean_text(series: pd.Series, placeholders: Iterable[str] = PLACEHOLDERS_DEFAULT) -> pd.Series:
    """Collapse whitespace, strip, and turn placeholders and punctuation-only cells into NA.

    Placeholders are compared case-insensitively after the same clean-up, so `" N/A "` matches
    `n/a`. Returns a `string` Series with `pd.NA` for empty cells, on the input's index.
    """
    # Cleaned per distinct value: name columns repeat a lot (roles, provinces, categories).
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    cleaned = _clean_distinct(pd.Series(uniques, dtype=object), placeholders)
    table = np.append(cleaned.to_numpy(dtype=object, na_value=pd.NA), pd.NA)
    return pd.Series(table[codes], index=series.index, dtype="string", name=series.name)


def _clean_distinct(text: pd.Series, placeholders: Iterable[str]) -> pd.Series:
    text = text.astype("string")
    text = text.str.replace(_ZERO_WIDTH, "", regex=True)
    text = text.str.replace(_SPACES, " ", regex=True).str.strip()
    known = {" ".join(p.split()).casefold() for p in placeholders}
    empty = text.str.casefold().isin(known) | text.str.fullmatch(_ONLY_PUNCTUATION)
    return text.mask(empty.fillna(False).astype(bool), pd.NA)


def join_person_name(first: pd.Series, last: pd.Series) -> pd.Series:
    """`"Jan"` + `"van Wyk"` -> `"Jan van Wyk"`; either part may be missing; both missing -> NA."""
    first_clean = clean_text(first).fillna("")
    last_clean = clean_text(last).fillna("")
    joined = (first_clean + " " + last_clean).str.strip()
    return joined.mask(joined == "", pd.NA)
