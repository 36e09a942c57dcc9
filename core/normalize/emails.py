"""Email cells -> tuples of lower-case, syntax-checked addresses (no DNS lookups)."""

from __future__ import annotations

import re

import pandas as pd
from email_validator import EmailNotValidError, validate_email

from core.normalize.result import Normalized, map_unique

# People separate addresses with ";" (Outlook), ",", "/", spaces or line breaks.
_SEPARATORS = re.compile(r"[;,/\s]+")
# Wrappers left over from "Jan <jan@example.com>", quotes, brackets and sentence punctuation.
_WRAPPING = "<>\"'()[]{}:."
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)


def normalize_emails(series: pd.Series) -> Normalized:
    """Every cell becomes a tuple of distinct valid addresses, in the order they were written.

    Empty cells give `()`. Tokens without an `@` are labels or display names and are dropped
    when the cell holds an address; a cell with no `@` at all is reported as a whole. Cells of
    plain addresses are decided in bulk (core.normalize.emails_fast); email-validator checks the rest.
    """
    from core.normalize.emails_fast import plain_cells

    return map_unique(series, _normalize_cell, (), plain_cells)


def email_domain(email: str | None) -> str:
    """`"jan@Example.co.za"` -> `"example.co.za"`; `""` when there is no address."""
    if not isinstance(email, str) or "@" not in email:
        return ""
    return email.rsplit("@", 1)[1].strip().lower()


def _normalize_cell(text: str) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    tokens = [_unwrap(t) for t in _SEPARATORS.split(text.strip().lower())]
    tokens = [t for t in tokens if t]
    candidates = [t for t in tokens if "@" in t]
    if not candidates:
        return (), [(text.strip(), "not an email address: it has no @-sign")]
    addresses: list[str] = []
    issues: list[tuple[str, str]] = []
    for token in candidates:
        try:
            address = validate_email(token, check_deliverability=False).normalized.lower()
        except EmailNotValidError as error:
            issues.append((token, _reason(error, token)))
            continue
        if address not in addresses:
            addresses.append(address)
    return tuple(addresses), issues


def _unwrap(token: str) -> str:
    token = _MAILTO.sub("", token.strip(_WRAPPING))
    # "mailto:jan@example.com?subject=Hi": the query belongs to the link, not the address.
    return token.split("?", 1)[0].strip(_WRAPPING)


def _reason(error: EmailNotValidError, token: str) -> str:
    # Reasons go to reports and logs; the address itself is already in `raw`, so any part of it
    # the library quotes back is masked to keep personal data in one place.
    reason = str(error)
    for part in sorted(token.split("@"), key=len, reverse=True):
        if len(part) >= 3:
            reason = reason.replace(part, "…")
    return reason
