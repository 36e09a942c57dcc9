"""How a hurried clerk types a phone number, an email address, a website, a province and a name.

Every function takes the true value and a random source and returns what lands in the cell, which may
be a number (Excel drops a phone's leading zero) or a placeholder.
"""

from __future__ import annotations

import random

from tests.holdout import lexicon as L


def pick(rng: random.Random, weighted: list[tuple[object, float]]):
    total = sum(w for _, w in weighted)
    roll = rng.random() * total
    for value, weight in weighted:
        roll -= weight
        if roll <= 0:
            return value
    return weighted[-1][0]


# ---- phones ---------------------------------------------------------------------------------------
def phone(national: str, rng: random.Random, numbers_ok: bool = True) -> str | int:
    """One number, national form `0821234567`, typed one of a dozen ways."""
    a, b, c = (national[:4], national[4:7], national[7:]) if national.startswith("08") and len(national) == 10 and \
        national[:4] in L.SHARECALL_PREFIXES else (national[:3], national[3:6], national[6:])
    rest = national[1:]
    styles = [
        (f"{a} {b} {c}", 20), (national, 12), (f"+27 {a[1:]} {b} {c}", 8), (f"+27 (0){a[1:]}-{b}-{c}", 4),
        (f"27{rest}", 3), (f"{a}-{b}-{c}", 6), (f"({a}) {b} {c}", 6), (f"{a} {b}{c}", 5), (f"+27{rest}", 6),
        (f"0027 {a[1:]} {b} {c}", 2), (f"{a}.{b}.{c}", 2), (f"{a} {b} {c[:2]} {c[2:]}", 2), (f" {a} {b} {c} ", 2),
    ]
    if numbers_ok:
        styles += [(int(f"27{rest}"), 5), (int(rest), 6)]
    return pick(rng, styles)


def two_phones(first: str, second: str, rng: random.Random) -> str:
    one, two = str(phone(first, rng, False)).strip(), str(phone(second, rng, False)).strip()
    return pick(rng, [(f"{one} / {two}", 5), (f"{one}; {two}", 3), (f"{one}, {two}", 2), (f"{one} or {two}", 1),
                      (f"Tel {one} Cell {two}", 1), (f"{one}/{two}", 2), (f"{one}\n{two}", 1)])


def placeholder(rng: random.Random) -> str:
    return rng.choice(L.PLACEHOLDERS)


# ---- emails and websites --------------------------------------------------------------------------
def email(address: str, rng: random.Random) -> str:
    local, _, domain = address.partition("@")
    return pick(rng, [(address, 50), (address.upper(), 5), (f"{local.capitalize()}@{domain.capitalize()}", 6),
                      (f"mailto:{address}", 5), (f" {address} ", 5), (f"{address}.", 1), (f"MAILTO:{address}", 1),
                      (f"<{address}>", 1)])


def emails(addresses: list[str], rng: random.Random) -> str:
    if len(addresses) == 1:
        return email(addresses[0], rng)
    typed = [email(a, rng).strip() for a in addresses[:2]]
    return pick(rng, [("; ".join(typed), 5), (", ".join(typed), 3), (" / ".join(typed), 3), (" ".join(typed), 1),
                      (" and ".join(typed), 1)])


def website(host: str, rng: random.Random) -> str:
    """`host` is `example.co.za` or `example.co.za/path`."""
    bare, _, path = host.partition("/")
    tail = f"/{path}" if path else ""
    return pick(rng, [(f"www.{bare}{tail}", 30), (f"http://www.{bare}{tail}/", 10), (f"https://{bare}{tail}", 10),
                      (f"{bare}{tail}/", 6), (f"HTTP://WWW.{bare.upper()}{tail}", 3), (f"https://www.{bare}{tail}", 10),
                      (f"{bare}{tail}", 8), (f"www.{bare}{tail or '/contact-us'}", 3), (f"WWW.{bare.upper()}{tail}", 3),
                      (f" www.{bare}{tail} ", 2)])


def directory(url: str, rng: random.Random) -> str:
    return pick(rng, [(url, 6), (url.rstrip("/") + "/", 1), (url.upper(), 1)])


# ---- provinces --------------------------------------------------------------------------------------
def province(canonical: str, town: str, rng: random.Random) -> str:
    return pick(rng, [(canonical, 38), (rng.choice(L.PROVINCE_SPELLINGS[canonical]), 48), (town, 8),
                      (placeholder(rng), 4), (canonical.upper(), 2)])


def address(text: str, rng: random.Random) -> str:
    for long, shorts in L.STREET_KINDS.items():
        if f" {long}," in text:
            text = text.replace(f" {long},", f" {rng.choice(shorts)},")
    return pick(rng, [(text, 6), (text.replace(", ", " "), 2), (text.upper(), 1), (text.replace(",", ", ,", 1), 1)])
