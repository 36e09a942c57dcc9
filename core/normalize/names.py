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
    `as_text` makes each distinct value that is not text already text first (the normalise stage
    writes dates as ISO dates); text is taken as it is.
    """
    import pyarrow as pa

    # Cleaned per distinct value: name columns repeat a lot (roles, provinces, categories); the
    # result is taken from the cleaned values in arrow, not built again from Python strings.
    encoded = _text_codes(series)
    if encoded is not None:  # all text (or missing): distinct values found by arrow, no Python str each
        codes, distinct = encoded
        taken = _clean_distinct(distinct, placeholders).take(codes)
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        texts = [v if type(v) is str else as_text(v) for v in uniques.tolist()]
        taken = _clean_distinct(pa.array(texts, pa.large_string()), placeholders).take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.arrays.ArrowStringArray(taken), index=series.index, name=series.name)


def _text_codes(series: pd.Series):
    """(codes with nulls for missing cells, distinct texts) when every present cell is text, else None."""
    import pyarrow as pa

    if len(series) == 0 or pd.api.types.infer_dtype(series, skipna=True) not in ("string", "empty"):
        return None  # numbers, dates, bytes or a mix: made text one distinct value at a time
    try:
        arrow = pa.array(series, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    encoded = arrow.dictionary_encode()
    return encoded.indices, encoded.dictionary


def _clean_distinct(values, placeholders: Iterable[str]):
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    # Spaces with pyarrow, all values at once (a Python re.sub per value cost seconds at 1M rows).
    values = values.cast(pa.large_string())
    ascii_text = pc.fill_null(pc.string_is_ascii(values), True).to_numpy(zero_copy_only=False)
    if not ascii_text.all():  # zero-width characters are not ASCII: nothing to remove from ASCII text
        values = pc.replace_substring_regex(values, _ZERO_WIDTH_RE2, "")
    values = pc.utf8_trim(pc.replace_substring_regex(values, _SPACE_RUN_RE2, " "), " ")
    known = sorted({" ".join(p.split()).casefold() for p in placeholders})
    # Placeholders and punctuation-only cells: ASCII text with arrow (there casefold is lower-casing and
    # Python's [\W_] is anything but a letter or digit), other text per value with Python's own Unicode classes.
    # (Text that was ASCII before the clean-up is ASCII after it; the rest always goes to Python.)
    empty = pc.or_(pc.is_in(pc.ascii_lower(values), value_set=pa.array(known, pa.large_string())),
                   pc.match_substring_regex(values, r"^[^A-Za-z0-9]*$"))
    empty = pc.fill_null(empty, False).to_numpy(zero_copy_only=False).copy()
    others = np.flatnonzero(~ascii_text)
    if len(others):
        known_set = set(known)
        texts = values.take(pa.array(others)).to_pylist()
        empty[others] = [v.casefold() in known_set or _ONLY_PUNCTUATION.fullmatch(v) is not None for v in texts]
    return pc.if_else(pa.array(empty, pa.bool_()), pa.scalar(None, pa.large_string()), values)


def join_person_name(first: pd.Series, last: pd.Series) -> pd.Series:
    """`"Jan"` + `"van Wyk"` -> `"Jan van Wyk"`; either part may be missing; both missing -> NA."""
    first_clean = clean_text(first).fillna("")
    last_clean = clean_text(last).fillna("")
    joined = (first_clean + " " + last_clean).str.strip()
    return joined.mask(joined == "", pd.NA)
