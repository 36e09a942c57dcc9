"""Phone cells -> tuples of E.164 strings, using Google's libphonenumber rules for the region."""

from __future__ import annotations

import re

import pandas as pd
import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber

from core.normalize.result import Normalized, map_unique

# Between two numbers in one cell people write "/", ";", ",", "|", a line break, "or", "and", "&".
_SEPARATORS = re.compile(r"[/;,|\n\r]+|\s+(?:or|and|&)\s+|&", re.IGNORECASE)
# Two or more spaces *may* separate two numbers ("082 123 4567   011 312 5166") or be sloppy
# typing inside one; `_split_wide_gaps` only splits when every part is a number by itself.
_WIDE_GAP = re.compile(r" {2,}")
# Extensions are not part of E.164; they are cut before parsing so that they can never be
# mistaken for digits of the number.
_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x)\s*\d{1,6}\s*$", re.IGNORECASE)
# Notes in brackets ("(office)", "(Mr Smith)"), but not area codes like "(011)".
_NOTE_IN_BRACKETS = re.compile(r"\([^)]*[^\W\d_][^)]*\)")
# Text before the number ("Tel:", "Cell -") and after it ("office", "ask for Jan").
_LEADING_TEXT = re.compile(r"^[^\d+(]+")
_TRAILING_TEXT = re.compile(r"[^\d)]+$")


def normalize_phones(series: pd.Series, region: str = "ZA") -> Normalized:
    """Every cell becomes a tuple of distinct E.164 numbers, in the order they were written.

    Empty cells give `()`. A piece that is not a valid number for `region` (or, when written with
    a `+`/`00` prefix, for its own country) is left out and reported. For South Africa the common
    shapes are decided in bulk (core.normalize.phones_fast); libphonenumber parses the rest.
    """
    fast = None
    if region == "ZA":
        from core.normalize.phones_fast import south_african_cells

        fast = south_african_cells
    return map_unique(series, lambda text: _normalize_cell(text, region), (), fast)


def _normalize_cell(text: str, region: str) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    text = text.replace("\xa0", " ").replace("\t", " ")
    pieces = [p.strip() for p in _SEPARATORS.split(text)]
    pieces = [p for p in pieces if p]
    if not any(_has_digit(p) for p in pieces):
        return (), [(text.strip(), f"not a valid {region} phone number")]
    numbers: list[str] = []
    issues: list[tuple[str, str]] = []
    # Pieces without digits are labels between numbers ("082 123 4567 / office"), not numbers.
    for piece in (p for p in pieces if _has_digit(p)):
        for part in _split_wide_gaps(piece, region):
            e164 = _to_e164(part, region)
            if e164 is None:
                issues.append((part, f"not a valid {region} phone number"))
            elif e164 not in numbers:
                numbers.append(e164)
    return tuple(numbers), issues


def _split_wide_gaps(piece: str, region: str) -> list[str]:
    parts = [p.strip() for p in _WIDE_GAP.split(piece) if p.strip()]
    if len(parts) > 1 and all(_to_e164(p, region) is not None for p in parts):
        return parts
    return [" ".join(piece.split())]


def _to_e164(piece: str, region: str) -> str | None:
    """The E.164 form of one written number, or None when it is not a valid number."""
    core = _strip_decoration(piece)
    number = _parse(core, region)
    if number is None or not phonenumbers.is_valid_number(number):
        # "27832269672": the country code was typed without "+" (or lost when the cell was a
        # number). libphonenumber copes for some regions; this makes it explicit for all.
        digits = re.sub(r"\D", "", core)
        code = str(phonenumbers.country_code_for_region(region))
        if not core.startswith("+") and digits.startswith(code):
            number = _parse("+" + digits, region)
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _strip_decoration(piece: str) -> str:
    piece = _NOTE_IN_BRACKETS.sub(" ", piece)
    piece = _EXTENSION.sub("", piece)
    piece = _LEADING_TEXT.sub("", piece)
    return _TRAILING_TEXT.sub("", piece).strip()


def _parse(text: str, region: str) -> PhoneNumber | None:
    # A national number that lost its leading 0 ("821234567", from a numeric cell) parses as
    # national in libphonenumber, which accepts numbers without the trunk prefix.
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)
