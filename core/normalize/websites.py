"""Website cells -> `https://host/path`: one spelling per site so that domains can be compared."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pandas as pd

from core.normalize.result import Normalized, map_unique

# A scheme needs "://" here: "example.co.za:8080" is a host with a port, not a scheme.
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):/+", re.IGNORECASE)
_MISSING_COLON = re.compile(r"^(https?)//", re.IGNORECASE)  # "http//example.com", a common slip
# Labels of letters (any script), digits and inner hyphens; at least two labels; the last one
# alphabetic or punycode, which rules out IP addresses and "example.123".
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_HOST = re.compile(rf"(?:{_LABEL}\.)+(?:[^\W\d_]{{2,}}|xn--[a-z0-9-]+)")
# Tracking parameters change per click; keeping them would split one site into many spellings.
_TRACKING = re.compile(r"^(?:utm_[^=]*|fbclid|gclid|msclkid)(?:=|$)", re.IGNORECASE)
_DEFAULT_PORTS = {"80", "443"}
# Sentence punctuation that sticks to a pasted address ("see example.com/about.").
_TRAILING = "/.,;&"


def normalize_websites(series: pd.Series) -> Normalized:
    """Every cell becomes `https://host[:port][/path][?query]` or NA; bad cells are reported.

    The host is lower-cased without `www.`; the path keeps its case (servers may care) but loses
    its trailing slash; fragments and `utm_*`-style tracking parameters are dropped. Idempotent.
    Plain addresses are decided in bulk (core.normalize.websites_fast).
    """
    from core.normalize.websites_fast import plain_cells

    return map_unique(series, _normalize_cell, pd.NA, plain_cells)


def website_domain(url: str | None) -> str:
    """`"https://www.Example.co.za/about"` -> `"example.co.za"`; `""` when it is not a website.

    Goes through the same rules as `normalize_websites`, so raw and normalised spellings of one
    site always give the same domain.
    """
    if not isinstance(url, str):
        return ""
    normalized, reason = _to_url(_prepare(url))
    return "" if reason else urlsplit(normalized).hostname or ""


def _normalize_cell(text: str) -> tuple[object, list[tuple[str, str]]]:
    url, reason = _to_url(_prepare(text))
    if reason:
        return pd.NA, [(text.strip(), reason)]
    return url, []


def _prepare(text: str) -> str:
    return _MISSING_COLON.sub(r"\1://", text.strip().rstrip(".,;"))


def _to_url(text: str) -> tuple[str, str]:
    """(normalised url, "") or ("", reason it is not a website)."""
    if any(ch.isspace() for ch in text):
        return "", "not a website: it contains spaces"
    scheme = _SCHEME.match(text)
    if scheme and scheme.group(1).lower() not in {"http", "https"}:
        return "", "not a website: only http and https addresses are kept"
    rest = text[scheme.end() :] if scheme else text
    if "@" in re.split(r"[/?#]", rest, maxsplit=1)[0]:
        return "", "not a website: it looks like an email address"
    try:
        parts = urlsplit("https://" + rest)
        port = parts.port
    except ValueError:
        return "", "not a website: the address cannot be parsed"
    host = _strip_www((parts.hostname or "").rstrip("."))
    if not _HOST.fullmatch(host):
        return "", "not a website: the host name is not valid"
    netloc = host if port is None or str(port) in _DEFAULT_PORTS else f"{host}:{port}"
    query = "&".join(p for p in parts.query.split("&") if p and not _TRACKING.match(p))
    # Stripping both parts makes the output end in a clean character, so that a second pass
    # strips nothing (idempotence).
    path, query = parts.path.rstrip(_TRAILING), query.rstrip(_TRAILING)
    return f"https://{netloc}{path}" + (f"?{query}" if query else ""), ""


def _strip_www(host: str) -> str:
    # Repeatedly, so that the output never starts with "www." again (idempotence); but "www.com"
    # stays, because "com" alone is not a host.
    host = host.lower()
    while host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    return host
