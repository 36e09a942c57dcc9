"""What every normaliser returns, and the one loop they share.

The per-value libraries (phonenumbers, email-validator) cost microseconds per call, so a column is
normalised by its *distinct* values: a 500k-row sheet with 3k distinct phones makes 3k calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# A cell made only of punctuation and whitespace ("-", "- -", "...") says nothing: it is empty,
# not a malformed value, so it is never reported.
_BLANK = re.compile(r"[\W_]*")

# fn(text) -> (normalised value, [(raw piece, reason), ...]) for one distinct non-blank cell.
CellFn = Callable[[str], tuple[Any, list[tuple[str, str]]]]
# fast(distinct texts) -> a value per text (on a 0.. index), or None where it cannot decide.
FastFn = Callable[[pd.Series], pd.Series]


@dataclass(frozen=True)
class InvalidValue:
    """One value the operator should look at: the row it came from, what it was, why it failed."""

    index: Hashable
    raw: str
    reason: str


@dataclass
class Normalized:
    """A normalised column (same index as the input) and the values that could not be normalised."""

    values: pd.Series
    invalid: list[InvalidValue]


def is_blank(text: str) -> bool:
    """True for text with nothing but punctuation and whitespace in it."""
    return _BLANK.fullmatch(text) is not None


def _blank(texts: list[str]) -> np.ndarray:
    """`is_blank` of each text: ASCII text with arrow (there [\\W_] is anything but a letter or digit),
    other text with Python's own Unicode classes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not texts:
        return np.zeros(0, dtype=bool)
    try:
        arrow = pa.array(texts, pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):  # text arrow cannot hold (lone surrogates)
        return np.array([_BLANK.fullmatch(text) is not None for text in texts], dtype=bool)
    blank = pc.fill_null(pc.match_substring_regex(arrow, r"^[^A-Za-z0-9]*$"), False).to_numpy(zero_copy_only=False).copy()
    others = np.flatnonzero(~pc.fill_null(pc.string_is_ascii(arrow), False).to_numpy(zero_copy_only=False))
    if len(others):
        blank[others] = [_BLANK.fullmatch(texts[i]) is not None for i in others.tolist()]
    return blank


def tuples_by_cell(cells: np.ndarray, tokens, count: int) -> np.ndarray:
    """`count` slots; slot c holds the tuple of the distinct `tokens` (arrow text) whose cell is c, in
    their order, or None when no token is in c. `cells` is non-decreasing, one per token.

    Most cells hold one token: their tuples are made in one pass, without a list per cell.
    """
    import pyarrow as pa

    out = np.full(count, None, dtype=object)
    if not len(cells):
        return out
    cells = np.asarray(cells, dtype=np.int64)
    single = np.bincount(cells, minlength=count)[cells] == 1
    alone = np.flatnonzero(single)
    texts = tokens.filter(pa.array(single)).to_pylist()
    out[cells[alone]] = np.fromiter(((t,) for t in texts), dtype=object, count=len(texts))
    shared = np.flatnonzero(~single)
    if len(shared):
        per_cell: dict[int, list[str]] = {}
        for cell, token in zip(cells[shared].tolist(), tokens.take(pa.array(shared)).to_pylist()):
            found = per_cell.setdefault(cell, [])
            if token not in found:
                found.append(token)
        for cell, found in per_cell.items():
            out[cell] = tuple(found)
    return out


def map_unique(series: pd.Series, fn: CellFn, empty: Any, fast: FastFn | None = None) -> Normalized:
    """Apply `fn` once per distinct non-blank value and spread the results back over the rows.

    `fast`, when given, first decides what it can for all distinct values at once (vectorised);
    `fn` runs only on the values it leaves undecided. NA and blank cells get `empty` and are never
    reported. Reports come out in row order.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    # One slot per distinct value plus a last slot for NA, so that code -1 indexes `empty`.
    table = np.empty(len(uniques) + 1, dtype=object)
    table[-1] = empty
    texts = pd.Series(uniques, dtype=object).astype(str)
    blank = _blank(texts.tolist())
    for code in np.flatnonzero(blank).tolist():  # one by one: `empty` may be a tuple, which numpy would unpack
        table[code] = empty
    todo = np.flatnonzero(~blank)
    if fast is not None and len(todo):
        decided = fast(texts.iloc[todo].reset_index(drop=True)).to_numpy(dtype=object)
        known = np.array([value is not None for value in decided], dtype=bool)
        table[todo[known]] = decided[known]
        todo = todo[~known]
    problems: dict[int, list[tuple[str, str]]] = {}
    text_of = texts.tolist()
    for code in todo.tolist():
        table[code], issues = fn(text_of[code])
        if issues:
            problems[code] = issues
    values = pd.Series(table[codes], index=series.index, dtype=object, name=series.name)
    return Normalized(values, _reports(series.index, codes, problems))


def _reports(
    index: pd.Index, codes: np.ndarray, problems: dict[int, list[tuple[str, str]]]
) -> list[InvalidValue]:
    if not problems:
        return []
    # Only rows holding a bad value are visited, so a clean column costs one vectorised isin.
    rows = np.flatnonzero(np.isin(codes, list(problems)))
    return [
        InvalidValue(index[row], raw, reason)
        for row in rows
        for raw, reason in problems[int(codes[row])]
    ]
