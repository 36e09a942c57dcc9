"""The shipped towns table (data/za_towns.csv, its source named in the file) and a matcher that finds
province names and towns in free text, for a whole column at once."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

TOWNS_PATH = Path(__file__).with_name("data") / "za_towns.csv"


@lru_cache(maxsize=1)
def za_towns() -> dict[str, str]:
    """lower-case town -> province; comment lines (#) name the source."""
    with TOWNS_PATH.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["town"].strip().lower(): row["province"].strip() for row in rows if row.get("town")}


class PlaceMatcher:
    """Finds the names of `places` (lower-case text -> province) as whole words in text."""

    def __init__(self, places: Mapping[str, str]) -> None:
        self.places = {k.lower(): v for k, v in places.items() if k.strip()}
        names = sorted(self.places, key=len, reverse=True)  # "Cape Town" before "Cape"
        self.pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])") \
            if names else None

    def province_of(self, texts: "pd.Series") -> "pd.Series":
        """The one province the text names (absent when it names none or several)."""
        import pandas as pd

        if self.pattern is None or texts.empty:
            return pd.Series(index=texts.index[:0], dtype=object)
        found = texts.fillna("").astype(str).str.lower().str.extractall(self.pattern)[0]
        provinces = found.map(self.places).reset_index(level=1, drop=True)
        distinct = provinces.groupby(level=0).nunique()
        decided = distinct.index[distinct == 1]
        return provinces.groupby(level=0).first().loc[decided]


def province_names(canonical: list[str], aliases: Mapping[str, str]) -> dict[str, str]:
    """Province names and the profile's aliases of three letters or more ("KZN", not "EC")."""
    names = {p.lower(): p for p in canonical}
    names.update({a.lower(): p for a, p in aliases.items() if len(a.strip()) >= 3})
    return names
