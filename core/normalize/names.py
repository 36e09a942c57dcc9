"""Free text (organisation and person names, roles, notes): whitespace and placeholder clean-up."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

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

# What Python's `\s` matches on str (NBSP, em spaces, line and paragraph separators, tabs,
# newlines), written out for RE2 (pyarrow), whose `\s` is ASCII only; a test checks they agree.
SPACE_CHARACTERS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACE_RUN_RE2 = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in SPACE_CHARACTERS) + "]+"
# Zero-width characters come along with text copied from web pages; they are not spaces, so
# they are removed rather than turned into one.
_ZERO_WIDTH_RE2 = r"[\x{200b}\x{200c}\x{200d}\x{2060}\x{feff}]"
_ONLY_PUNCTUATION = re.compile(r"[\W_]*")


def clean_text(series: pd.Series, placeholders: Iterable[str] = PLACEHOLDERS_DEFAULT,
               as_text: Callable[[object], str] = str) -> pd.Series:
    """Collapse whitespace, strip, and turn placeholders and punctuation-only cells into NA.

    Placeholders are compared case-insensitively after the same clean-up, so `" N/A "` matches
    `n/a`. Returns a `string` Series with `pd.NA` for empty cells, on the input's index.
    `as_text` makes each distinct value text first (the normalise stage writes dates as ISO dates).
    """
    import pyarrow as pa

    # Cleaned per distinct value: name columns repeat a lot (roles, provinces, categories); the
    # result is taken from the cleaned values in arrow, not built again from Python strings.
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    cleaned = _clean_distinct([as_text(v) for v in uniques.tolist()], placeholders)
    taken = cleaned.take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.arrays.ArrowStringArray(taken), index=series.index, name=series.name)


def _clean_distinct(texts: list[str], placeholders: Iterable[str]):
    import pyarrow as pa
    import pyarrow.compute as pc

    # Spaces with pyarrow, all values at once (a Python re.sub per value cost seconds at 1M rows);
    # placeholders and punctuation-only cells per value, with Python's own Unicode classes.
    values = pa.array(texts, pa.large_string())
    values = pc.replace_substring_regex(values, _ZERO_WIDTH_RE2, "")
    values = pc.utf8_trim(pc.replace_substring_regex(values, _SPACE_RUN_RE2, " "), " ")
    known = {" ".join(p.split()).casefold() for p in placeholders}
    empty = [v.casefold() in known or _ONLY_PUNCTUATION.fullmatch(v) is not None for v in values.to_pylist()]
    return pc.if_else(pa.array(empty, pa.bool_()), pa.scalar(None, pa.large_string()), values)


def join_person_name(first: pd.Series, last: pd.Series) -> pd.Series:
    """`"Jan"` + `"van Wyk"` -> `"Jan van Wyk"`; either part may be missing; both missing -> NA."""
    first_clean = clean_text(first).fillna("")
    last_clean = clean_text(last).fillna("")
    joined = (first_clean + " " + last_clean).str.strip()
    return joined.mask(joined == "", pd.NA)
