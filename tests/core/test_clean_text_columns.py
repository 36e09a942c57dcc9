"""clean_text decides text columns with arrow; it gives what the per-value rules gave.

The rules, as they were written per distinct value: zero-width characters removed, runs of Python's
whitespace made one space, stripped; empty, placeholder (casefolded) or punctuation-only cells are NA.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pandas as pd
import pytest

from core.normalize.names import PLACEHOLDERS_DEFAULT, SPACE_CHARACTERS, clean_text
from core.normalize.records import _as_text

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def per_value(value: object, placeholders=PLACEHOLDERS_DEFAULT, as_text=str):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = value if type(value) is str else as_text(value)
    text = " ".join(_ZERO_WIDTH.sub("", text).split())
    known = {" ".join(p.split()).casefold() for p in placeholders}
    if text.casefold() in known or re.fullmatch(r"[\W_]*", text):
        return None
    return text


PIECES = ["Acme", "acme", " ", "  ", "\t", "\n", "\xa0", "\u2003", "\u200b", "\ufeff", "-", "...", "_", "N/A",
          "n/a", "NULL", "Nil", "\u212a", "K", "Straße", "STRASSE", "ß", "é", "É", "(", ")", "?", "0", "x", "—", "·",
          "tbd", "TBC", "unknown", "Not  Available", "\u00bd", "٣", "😀", "Ⅳ"]


def cells(rng: random.Random, n: int) -> list[object]:
    out: list[object] = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.1:
            out.append(rng.choice([None, float("nan"), pd.NA]))
        else:
            out.append("".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 4))))
    return out


@pytest.mark.parametrize("seed", range(30))
def test_text_columns_clean_as_the_per_value_rules_do(seed: int) -> None:
    rng = random.Random(seed)
    values = cells(rng, 200)
    got = clean_text(pd.Series(values, dtype=object, index=range(5, 205)))
    assert list(got.index) == list(range(5, 205))
    assert [None if v is pd.NA else v for v in got.tolist()] == [per_value(v) for v in values]


def test_mixed_columns_and_other_placeholders() -> None:
    values = ["Acme", 12, 3.5, dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 10, 30), b"bytes", None, " - ", "none",
              "ACME\u200b ", "\u200b", "\xa0x\xa0"]
    got = clean_text(pd.Series(values, dtype=object), ("acme", "—"), _as_text)
    assert [None if v is pd.NA else v for v in got.tolist()] == [per_value(v, ("acme", "—"), _as_text) for v in values]
    words = pd.Series(["— ", "Ångström", "x"], dtype="string")
    assert [None if v is pd.NA else v for v in clean_text(words, ("—", "ångström")).tolist()] == [None, None, "x"]


def test_space_characters_are_pythons_whitespace() -> None:
    assert "".join(SPACE_CHARACTERS).split() == []
