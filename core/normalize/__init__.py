"""Column normalisers (SPEC §4.4). Each takes a whole Series and returns `Normalized`.

Per-value libraries run once per distinct value, so cost grows with distinct values, not rows.
"""

from core.normalize.emails import email_domain, normalize_emails
from core.normalize.names import PLACEHOLDERS_DEFAULT, clean_text, join_person_name
from core.normalize.phones import normalize_phones
from core.normalize.provinces import (
    SOUTH_AFRICA_ALIASES,
    SOUTH_AFRICA_PROVINCES,
    normalize_provinces,
)
from core.normalize.result import InvalidValue, Normalized
from core.normalize.websites import normalize_websites, website_domain

__all__ = [
    "PLACEHOLDERS_DEFAULT",
    "SOUTH_AFRICA_ALIASES",
    "SOUTH_AFRICA_PROVINCES",
    "InvalidValue",
    "Normalized",
    "clean_text",
    "email_domain",
    "join_person_name",
    "normalize_emails",
    "normalize_phones",
    "normalize_provinces",
    "normalize_websites",
    "website_domain",
]
