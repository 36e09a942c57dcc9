"""How one organisation's name is typed on one row: the variant classes, each named, combined at random.

Light classes (case, spacing, punctuation, legal form, `The`, `&`/`and`, Centre/Center, a dropped
diaeresis, abbreviation) leave the name unambiguous on its own. Heavy classes (typo, transposed
letters, kind word swapped or dropped, trading-name forms, a place qualifier) can make two
organisations look alike, so a row that uses one is given some of its organisation's own contact
values by the row builder: the truth stays decidable.
"""

from __future__ import annotations

import random

from tests.holdout import lexicon as L
from tests.holdout.typed import pick
from tests.holdout.world import Org

HEAVY = {"typo", "transposition", "kind_swap", "kind_drop", "trading", "place_qualifier"}
KEYBOARD = {c: n for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm") for i, c in enumerate(row)
            for n in [row[max(i - 1, 0)] + row[min(i + 1, len(row) - 1)]]}


def type_name(org: Org, rng: random.Random, *, ops: int | None = None, heavy_ok: bool = True,
              caps_rate: float = 0.08, trading_rate: float = 0.12) -> tuple[str, list[str]]:
    """The name as typed and the variant classes used."""
    used: list[str] = []
    if ops is None:
        ops = pick(rng, [(0, 30), (1, 38), (2, 22), (3, 10)])
    words = _words(org)
    legal = org.legal
    candidates = ["abbreviation", "and", "centre", "the", "legal", "diaeresis", "hyphen", "spaces", "punctuation"]
    if heavy_ok:
        candidates += ["typo", "transposition", "kind_swap", "kind_drop", "place_qualifier"]
    # Transposed letters are a kind of typo (about a third of them); one row rarely has both.
    weights = {"abbreviation": 5, "and": 2, "centre": 2, "the": 2, "legal": 5, "diaeresis": 2, "hyphen": 2,
               "spaces": 4, "punctuation": 4, "typo": 4, "transposition": 2, "kind_swap": 2.5, "kind_drop": 1,
               "place_qualifier": 0.8}
    exclusive = {"typo": "transposition", "transposition": "typo", "kind_swap": "kind_drop", "kind_drop": "kind_swap"}
    chosen: list[str] = []
    for _ in range(ops):
        options = [(c, weights[c]) for c in candidates if c not in chosen and exclusive.get(c) not in chosen]
        chosen.append(pick(rng, options))
    for op in ("kind_swap", "kind_drop", "abbreviation", "and", "centre", "diaeresis", "hyphen", "the", "typo",
               "transposition", "place_qualifier"):
        if op in chosen and _apply(op, org, words, rng):
            used.append(op)
    if "legal" in chosen:
        legal = _legal(org, rng)
        used.append("legal")
    elif legal and rng.random() < 0.5:
        legal = None  # dropping the legal form is what most rows do anyway: not counted as a variant
    text = " ".join(w for w in words if w)
    if legal:
        text = _place_legal(text, legal, org, rng)
    if heavy_ok and org.owner and rng.random() < trading_rate:
        text = _trading(text, org, rng)
        used.append("trading")
    if "spaces" in chosen:
        text = _spaces(text, rng)
        used.append("spaces")
    if "punctuation" in chosen:
        text += rng.choice([".", ",", " -", "*", ";", " .", "..", " /"])
        used.append("punctuation")
    roll = rng.random()
    if roll < caps_rate:
        text = text.upper()
        used.append("caps")
    elif roll < caps_rate + 0.03:
        text = text.lower()
        used.append("lower")
    return text, used


def _words(org: Org) -> list[str]:
    words = (["The"] if org.the else []) + org.core.split() + org.kind.split()
    if org.chain:
        words.append(org.town)
    return words


def _kind_range(org: Org, words: list[str]) -> tuple[int, int]:
    start = (1 if org.the else 0) + len(org.core.split())
    return start, start + len(org.kind.split())


def _apply(op: str, org: Org, words: list[str], rng: random.Random) -> bool:
    start, end = _kind_range(org, words)
    if op == "kind_swap":
        swaps = L.VET_KIND_SWAPS if org.family == "vet" else L.COOP_KIND_SWAPS
        new = rng.choice([s for s in swaps if s != org.kind])
        words[start:end] = new.split()
        return True
    if op == "kind_drop":
        if org.chain or org.core in L.TOWNS:  # "PawsPlus Hillcrest" keeps its town; "Hillcrest" alone says too little
            return False
        for i in range(start, end):
            words[i] = ""
        return True
    if op == "abbreviation":
        spots = [i for i, w in enumerate(words) if w in L.ABBREVIATIONS]
        if not spots:
            return False
        i = rng.choice(spots)
        words[i] = rng.choice(L.ABBREVIATIONS[words[i]])
        return True
    if op == "and":
        spots = [i for i, w in enumerate(words) if w in {"&", "and"}]
        if not spots:
            return False
        for i in spots:
            words[i] = rng.choice(["and", "And", "+", "n"]) if words[i] == "&" else "&"
        return True
    if op == "centre":
        spots = [i for i, w in enumerate(words) if w in {"Centre", "Center"}]
        for i in spots:
            words[i] = "Center" if words[i] == "Centre" else "Centre"
        return bool(spots)
    if op == "diaeresis":
        spots = [i for i, w in enumerate(words) if "ö" in w]
        for i in spots:
            words[i] = words[i].replace("ö", rng.choice(["o", "o", "-o"]))
        return bool(spots)
    if op == "hyphen":
        spots = [i for i, w in enumerate(words) if "-" in w or w in {"Cooperative", "Coop"}]
        for i in spots:
            words[i] = words[i].replace("-", rng.choice(["", " "])) if "-" in words[i] else words[i].replace("Coop", "Co-op")
        return bool(spots)
    if op == "the":
        if words and words[0] == "The":
            words[0] = ""
        else:
            words.insert(0, rng.choice(["The", "THE", "the"]))
        return True
    if op in {"typo", "transposition"}:
        spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if not spots:
            return False
        i = rng.choice(spots)
        words[i] = _typo(words[i], rng) if op == "typo" else _transpose(words[i], rng)
        return True
    if op == "place_qualifier":
        if org.chain:
            return False
        words.append(rng.choice([f"- {org.town}", f"({org.town})", f", {org.town}", f"({org.province})"]))
        return True
    return False


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word))  # people rarely get the first letter wrong
    kind = rng.choice(["substitute", "delete", "double", "insert"])
    if kind == "delete":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    near = KEYBOARD.get(word[i].lower(), "e")
    letter = rng.choice(near)
    letter = letter.upper() if word[i].isupper() else letter
    return word[:i] + letter + (word[i + 1:] if kind == "substitute" else word[i:])


def _transpose(word: str, rng: random.Random) -> str:
    spots = [i for i in range(len(word) - 1) if word[i] != word[i + 1]]
    if not spots:
        return word
    # The first two letters too: 'oLwveld' for 'Lowveld' happens when a fast typist's hands race.
    i = 0 if rng.random() < 0.25 else rng.choice(spots)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _legal(org: Org, rng: random.Random) -> str:
    base = org.legal or rng.choice(L.VET_LEGAL if org.family == "vet" else L.COOP_LEGAL)
    return rng.choice(L.LEGAL_SPELLINGS[base])


def _place_legal(text: str, legal: str, org: Org, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.8:
        return f"{text} {legal}"
    if roll < 0.9:
        return f"{text} {legal}, {org.town}"
    core = " ".join(((["The"] if org.the else []) + org.core.split()))
    if text.startswith(core):  # "Botha (Pty) Ltd Veterinary Clinic": the legal form in the middle
        return f"{core} {legal}{text[len(core):]}"
    return f"{text} {legal}"


def _trading(name: str, org: Org, rng: random.Random) -> str:
    owner = org.owner or ""
    if rng.random() < 0.35:  # "Botha Practice Mgmt", "VetNet Intl"
        owner = " ".join(rng.choice(L.ABBREVIATIONS[w]) if w in L.ABBREVIATIONS else w for w in owner.split())
    legal = rng.choice(["(Pty) Ltd", "(PTY) LTD", "CC", ""]) if not owner.endswith(("International", "Intl", "Int'l")) else ""
    holder = f"{owner} {legal}".strip()
    return pick(rng, [(f"{holder} t/a {name}", 5), (f"{holder} T/A {name}", 3), (f"{holder} trading as {name}", 3),
                      (f"{name}, a division of {owner}", 2), (f"{name} (a division of {owner})", 1),
                      (f"{holder} t/a {name}".replace(" t/a ", " t/a: "), 1)])


def _spaces(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    if len(words) > 1 and rng.random() < 0.6:
        i = rng.randrange(1, len(words))
        words[i] = " " + words[i]
    text = " ".join(words)
    return pick(rng, [(text, 3), (f" {text}", 2), (f"{text} ", 3), (f"{text}  ", 1)])
