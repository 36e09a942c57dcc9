"""South African phone cells in bulk: the shapes people type most, decided without libphonenumber.

libphonenumber costs ~0.3 ms a number in Python, which is minutes for a million distinct phones. Most
cells are one or a few numbers in a handful of shapes: `082 123 4567`, `0821234567`, `+27 82 123 4567`,
`0027 82…`, `27821234567` and `821234567` (numeric cells), `(011) 312-5166`. For those the national
number is read off the digits and checked against libphonenumber's own ZA patterns (its metadata,
compiled once into two RE2 expressions), all cells at once with pyarrow. A cell is decided here
only when every number in it is valid; anything else (letters, extensions, invalid or unusual
numbers) is left to the full parser, so reports and odd spellings come out exactly as before.
tests/core/test_phones_fast.py proves the two agree on every phone value the tests and the sample use.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from core.normalize.result import tuples_by_cell

# Digits, phone punctuation and the separators between numbers; a cell with anything else (a
# letter, "&", a tab) goes to the full parser.
_PLAIN_CELL = r"^[0-9 +().\-/;,|\n\r\xa0]*$"
_BETWEEN_NUMBERS = r"[/;,|\n\r]+"
# One number: an optional "+", an optional "(" and digits with spaces, dots, hyphens and brackets
# between them, ending in a digit. Two spaces in a row may separate two numbers: not decided here.
_ONE_NUMBER = r"^\+?\(?[0-9][0-9 .()\-]*[0-9]$"
NATIONAL_LENGTH = 9


@lru_cache(maxsize=1)
def za_patterns() -> tuple[str, str]:
    """(general pattern, any-type pattern) of ZA national numbers of 9 digits, from libphonenumber.

    A number is valid when it matches the region's general description and one number type's
    pattern whose possible lengths include its length: what `is_valid_number` checks.
    """
    from phonenumbers import PhoneMetadata

    meta = PhoneMetadata.metadata_for_region("ZA")
    kinds = ["premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
             "voicemail", "fixed_line", "mobile"]
    descs = [getattr(meta, kind) for kind in kinds]
    typed = [d.national_number_pattern for d in descs
             if d is not None and d.national_number_pattern
             and (not d.possible_length or NATIONAL_LENGTH in d.possible_length)]
    return f"^(?:{meta.general_desc.national_number_pattern})$", "^(?:" + "|".join(f"(?:{p})" for p in typed) + ")$"


def south_african_cells(texts: pd.Series) -> pd.Series:
    """A tuple of E.164 numbers for each cell decided in bulk, None for the others (same 0.. index)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = np.full(len(texts), None, dtype=object)
    if not len(texts):
        return pd.Series(out, dtype=object)
    cells = pa.array(texts.tolist(), pa.string())
    plain = pc.match_substring_regex(cells, _PLAIN_CELL).to_numpy(zero_copy_only=False)
    candidates = np.flatnonzero(plain)
    if not len(candidates):
        return pd.Series(out, dtype=object)
    text = pc.replace_substring(cells.take(pa.array(candidates)), "\xa0", " ")
    lists = pc.split_pattern_regex(text, _BETWEEN_NUMBERS)
    parent = pc.list_parent_indices(lists).to_numpy()
    pieces = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    present = pc.greater(pc.utf8_length(pieces), 0).to_numpy(zero_copy_only=False)
    national = _national_numbers(pieces)
    general, typed = za_patterns()
    valid = pc.and_(pc.match_substring_regex(national, general), pc.match_substring_regex(national, typed))
    valid = pc.fill_null(valid, False).to_numpy(zero_copy_only=False)
    # A cell is decided when each of its non-empty pieces is a valid number.
    failing = np.bincount(parent[present & ~valid], minlength=len(candidates))
    numbers = np.bincount(parent[present], minlength=len(candidates))
    decided = (failing == 0) & (numbers > 0)
    chosen = np.flatnonzero(present & decided[parent])
    e164 = pc.binary_join_element_wise("+27", national.take(pa.array(chosen)), "")
    out[candidates] = tuples_by_cell(parent[chosen], e164, len(candidates))
    return pd.Series(out, dtype=object)


def _national_numbers(pieces):
    """The 9-digit national number each piece spells in a common shape, else null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    shaped = pc.match_substring_regex(pieces, _ONE_NUMBER)
    shaped = pc.and_(shaped, pc.invert(pc.match_substring(pieces, "  ")))
    digits = pc.replace_substring_regex(pieces, r"[^0-9]", "")
    length = pc.utf8_length(digits)
    plus = pc.starts_with(pieces, "+")
    no_plus = pc.invert(plus)

    def tail(count: int):
        return pc.utf8_slice_codeunits(digits, count)

    def when(condition, value, otherwise):
        return pc.if_else(condition, value, otherwise)

    null = pa.nulls(len(pieces), pa.string())
    national = null
    rules = [  # (condition, digits to drop): the shapes listed in the module docstring
        (pc.and_(plus, pc.and_(pc.equal(length, 11), pc.starts_with(digits, "27"))), 2),
        (pc.and_(no_plus, pc.and_(pc.equal(length, 13), pc.starts_with(digits, "0027"))), 4),
        (pc.and_(no_plus, pc.and_(pc.equal(length, 11), pc.starts_with(digits, "27"))), 2),
        (pc.and_(no_plus, pc.and_(pc.equal(length, 10), pc.starts_with(digits, "0"))), 1),
        (pc.and_(no_plus, pc.equal(length, 9)), 0),
    ]
    for condition, drop in reversed(rules):
        national = when(condition, tail(drop), national)
    return when(shaped, national, null)
