"""Name keys: what is left of an organisation's name once the parts that vary between workbooks
are gone — legal forms, a leading "The", trading-as, brackets, case, punctuation, abbreviations.

Each key remembers the original text it dropped, so an explanation can say "names equal after
removing '(Pty) Ltd'" in the operator's own spelling.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from core.resolve.settings import ResolutionSettings

_BRACKETED = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
# Apostrophes and dots join ("O'Brien" -> "obrien", "S.A." -> "sa"); other punctuation splits words.
_JOINERS = re.compile(r"['\u2019`.]")
_SPLITTERS = re.compile(r"[^\w&]+|_")
_AMPERSAND = re.compile(r"&")
_DIGIT = re.compile(r"\d")
_DOTTED = re.compile(r"([^\W\d_]{2,})\.(?![^\W_])")
# Most keys have no qualifiers, numbers or dotted words: one empty frozenset for all (216 bytes each)
_NONE: frozenset[str] = frozenset()
# For ASCII text, byte tables (a C lookup each, unlike str.translate's dict): lower case, and
# other splitters than "&" as spaces; the joiners are deleted first.
_ASCII_LOWER = bytes.maketrans(bytes(range(65, 91)), bytes(range(97, 123)))
_ASCII_SPACED = bytes(c if chr(c).isalnum() or c == 38 else 32 for c in _ASCII_LOWER)
_ASCII_JOINERS = b"'`."
# What may sit between the letters of a legal form ("(P.T.Y) Ltd,"): squeezed out, the letters meet.
_SQUEEZED = b"()[].," + bytes(c for c in range(128) if chr(c).isspace())
_SQUEEZE = str.maketrans("", "", _SQUEEZED.decode())


_PLAIN_LEGAL_WORDS = frozenset({"company", "organisation", "organization", "profit"})

_put = object.__setattr__  # past the frozen dataclass's __setattr__, which refuses every change


@dataclass(frozen=True, init=False, slots=True)
class NameKey:
    key: str  # normalised words joined by one space
    tokens: tuple[str, ...]
    compact: str  # without spaces, so "4 Aviators" meets "4aviators"
    removed: tuple[str, ...]  # original text taken away: "(Pty) Ltd", "The", "Bevrick (Pty) Ltd t/a"
    expanded: tuple[str, ...]  # abbreviations written out: "Intl"
    qualifiers: frozenset[str]  # words in brackets that are not a legal form: "(Lanseria)"
    numbers: frozenset[str] = frozenset()  # words with digits: "Clinic 24" is not "Clinic 7"
    dotted: frozenset[str] = frozenset()  # words written with a dot after them: "Hosp." is short for something

    # One key per distinct name: 734k at 1M rows, shared by every group that writes it, so frozen. In
    # slots, not a __dict__ each (~300 bytes: 0.2 GB at 1M rows). Its own __init__, with the setter
    # bound once: the dataclass's own cost 2.7x. A new field goes here too (test_resolve_keys_fast checks).
    def __init__(self, key: str, tokens: tuple[str, ...], compact: str, removed: tuple[str, ...],
                 expanded: tuple[str, ...], qualifiers: frozenset[str], numbers: frozenset[str] = frozenset(),
                 dotted: frozenset[str] = frozenset()) -> None:
        put = _put
        put(self, "key", key)
        put(self, "tokens", tokens)
        put(self, "compact", compact)
        put(self, "removed", removed)
        put(self, "expanded", expanded)
        put(self, "qualifiers", qualifiers)
        put(self, "numbers", numbers)
        put(self, "dotted", dotted)

    def fields(self) -> tuple:
        """What NameKey(*fields) builds again: plain tuples, strings and frozensets, so that keys made
        in a forked copy travel back by marshal (core.resolve.groups), 4x faster than pickle's slots."""
        return (self.key, self.tokens, self.compact, self.removed, self.expanded, self.qualifiers,
                self.numbers, self.dotted)


class NameKeyer:
    """Builds keys with one profile's lists; caches by raw name because names repeat a lot."""

    def __init__(self, settings: ResolutionSettings) -> None:
        self._legal = _alternation(settings.legal_forms)
        self._trading = re.compile(
            r"\s+(?:" + "|".join(re.escape(m) for m in sorted(settings.trading_as, key=len, reverse=True)) + r")\s+",
            re.IGNORECASE,
        )
        divisions = "|".join(re.escape(m) for m in sorted(settings.division_of, key=len, reverse=True)) or r"(?!)"
        self._division = re.compile(rf"\s*,?\s+(?:{divisions})\s+", re.IGNORECASE)
        articles = "|".join(re.escape(a) for a in settings.leading_articles) or r"(?!)"
        self._article = re.compile(rf"^\s*(?:{articles})\s+(?=\S)", re.IGNORECASE)
        self._article_after = re.compile(rf"(?<=\S),\s*(?:{articles})\W*$", re.IGNORECASE)  # "Lanseria School, The"
        self._abbreviations = {fold(k).replace(".", "").replace("'", ""): fold(v).split()
                               for k, v in settings.abbreviations.items()}
        self._abbreviated = frozenset(self._abbreviations)
        # Long legal-form words, to catch them misspelt at the end of a name ("Propriietary")
        self._legal_parts = {w for f in settings.legal_forms for w in fold(f).replace(".", " ").split()}
        # ...but not words of a legal form that names use as words of their own ("Company" in "Non
        # Profit Company" is also "Co" written out: "Smith & Co" keeps it)
        plain = {w for v in self._abbreviations.values() for w in v} | _PLAIN_LEGAL_WORDS
        self._legal_words = sorted(w for w in self._legal_parts if len(w) >= 6 and w not in plain)
        self._word_once: dict[str, str] = {}  # each token as one object (_key)
        self._near_legal: dict[str, bool] = {}  # word -> whether it is a long legal word misspelt
        # Most names have no trading-as and no legal form: a substring test on the lower-cased name
        # says so in a fraction of the regex's time. Only for ASCII names and lists (case-insensitive
        # regex matching is wider than lower() beyond ASCII: "ı" matches "i"). Off: the plain steps.
        markers = [*settings.trading_as, *settings.division_of]
        self._guarded = all(m.isascii() for m in [*markers, *settings.legal_forms])
        self._marker_hint = _any_of(m.lower() for m in markers)
        self._legal_hint = _any_of(_legal_runs(settings.legal_forms))
        # A plain dict, not lru_cache(self._keys): that is a cycle (cache -> bound method -> keyer), so
        # every cached key was left to the garbage collector, whose pass over ~500k objects at 100k
        # rows held the GIL for 1-4 s when refine ended (the UI froze); a dict goes with the keyer.
        self._cache: dict[str, tuple[NameKey, ...]] = {}

    def keys(self, raw: str) -> tuple[NameKey, ...]:
        found = self._cache.get(raw)
        if found is None:
            found = self._cache[raw] = self._keys(raw)
        return found

    def _keys(self, raw: str) -> tuple[NameKey, ...]:
        """The trading name first (what people call it), then the legal name behind a "t/a"."""
        text = unicodedata.normalize("NFKC", raw or "").strip()
        if not text:
            return ()
        if self._guarded and text.isascii():
            if not self._marker_hint.search(text.lower()):
                return _nonempty((self._key(text, []),))
        parts = self._trading.split(text, maxsplit=1)
        division = self._division.split(text, maxsplit=1)
        if len(parts) == 2 and parts[0].strip() and parts[1].strip():
            marker = self._trading.search(text).group(0).strip()
            legal, trading = parts
            keys = (self._key(trading, [f"{legal.strip()} {marker}"]), self._key(legal, [f"{marker} {trading.strip()}"]))
        elif len(division) == 2 and division[0].strip(" ,") and division[1].strip():
            # "Y, a division of X": Y is what people call it, X the company behind it (an alias)
            marker = self._division.search(text).group(0).strip(" ,")
            trading, legal = division
            keys = (self._key(trading, [f"{marker} {legal.strip()}"]), self._key(legal, [f"{trading.strip()} {marker}"]))
        else:
            keys = (self._key(text, []),)
        return _nonempty(keys)

    def _key(self, text: str, removed: list[str]) -> NameKey:
        removed = list(removed)
        article = self._article.match(text) or ("," in text and self._article_after.search(text))
        if article:
            removed.append(article.group(0).strip(" ,"))
            text = text[:article.start()] + text[article.end():]
        text = self._strip_legal(text, removed)
        qualifiers: set[str] = set()
        if "(" in text or "[" in text:
            for inner in _BRACKETED.findall(text):
                qualifiers.update(self._words(inner)[0])
            text = _BRACKETED.sub(" ", text)
        text = text.replace("(", " ").replace(")", " ")
        tokens, expanded = self._words(text)
        dotted = frozenset(_DOTTED.findall(fold(text))) & set(tokens) \
            if "." in text or not text.isascii() else _NONE
        tokens = self._strip_misspelt_legal(tokens, removed)
        if not tokens:  # a name that is only brackets: keep what was in them
            tokens, expanded = list(sorted(qualifiers)), []
            qualifiers = set()
        numbers = [t for t in tokens if not t.isalpha() and _has_digit(t)]
        # Each word once for the case (words repeat across names, "aviation" in a tenth of them):
        # ~0.1 GB at 1M rows, and the dictionaries that look words up then compare by identity first
        tokens = list(map(self._word_once.setdefault, tokens, tokens))
        return NameKey(" ".join(tokens), tuple(tokens), "".join(tokens), tuple(removed), tuple(expanded),
                       frozenset(qualifiers) if qualifiers else _NONE, frozenset(numbers) if numbers else _NONE,
                       dotted or _NONE)

    def _strip_misspelt_legal(self, tokens: list[str], removed: list[str]) -> list[str]:
        """"Close Corpporation" at the end: the misspelt word, then the rest of its form."""
        popped: list[str] = []
        while len(tokens) > 1:
            last = tokens[-1]
            long_match = len(last) >= 6 and self._misspelt_legal(last)
            if not (long_match or (popped and last in self._legal_parts)):
                break
            popped.insert(0, tokens.pop())
        if popped:
            removed.append(" ".join(popped))
        return tokens

    def _misspelt_legal(self, word: str) -> bool:
        found = self._near_legal.get(word)
        if found is None:  # a few hundred distinct last words in 100k names
            found = self._near_legal[word] = any(fuzz.ratio(word, legal) >= 85 for legal in self._legal_words)
        return found

    def _strip_legal(self, text: str, removed: list[str]) -> str:
        """Drop legal forms anywhere except at the start ("CC Motors" keeps its "CC")."""
        if self._guarded and text.isascii():
            if not self._legal_hint.search(text.encode().translate(_ASCII_LOWER, _SQUEEZED).decode()):
                return text
        pieces, found, last = [], [], 0
        for match in self._legal.finditer(text):
            if not text[:match.start()].strip(" (["):
                continue
            pieces.append(text[last:match.start()])
            found.append(match.group(0).strip(" ,"))
            last = match.end()
        if not found:
            return text
        pieces.append(text[last:])
        stripped = " ".join(pieces)
        if not _WORDISH.search(stripped):  # the name is nothing but a legal form: keep it
            return text
        removed.extend(found)
        return stripped

    def _words(self, text: str) -> tuple[list[str], list[str]]:
        if self._guarded and text.isascii():
            words = text.encode().translate(_ASCII_SPACED, _ASCII_JOINERS).replace(b"&", b" & ").decode().split()
            if self._abbreviated.isdisjoint(words) and _PREFIXES.isdisjoint(words):
                # most names: the words are the tokens (letters, digits)
                return [w for w in words if w != "&"] if "&" in words else words, []
        else:
            folded = _JOINERS.sub("", fold(text))
            words = _SPLITTERS.split(_AMPERSAND.sub(" & ", folded))
        tokens: list[str] = []
        expanded: list[str] = []
        words = _prefixes_joined([w for w in words if w])
        for word in words:
            replacement = self._abbreviations.get(word)
            if replacement is not None:
                expanded.append(word)
                tokens.extend(replacement)
            elif word != "&":
                tokens.append(word)
        return [t for t in tokens if t.isalnum()], expanded


# "Co-op", "Co operative", "Ko-operasie": a prefix clerks write apart from its word, joined to it
# before abbreviations are read (else "Co" reads as "Company" and "op" is left a word of its own)
_PREFIXES = frozenset({"co", "ko"})


def _prefixes_joined(words: list[str]) -> list[str]:
    if _PREFIXES.isdisjoint(words):
        return words
    out: list[str] = []
    skip = False
    for word, following in zip(words, [*words[1:], ""]):
        if skip:
            skip = False
            continue
        if word in _PREFIXES and _cooperative_tail(following):
            out.append(word + following)
            skip = True
        else:
            out.append(word)
    return out


def _cooperative_tail(word: str) -> bool:
    """'op', 'operative', 'operasie', 'opperative' (a slip); not 'Operations' ('Smith & Co Operations')."""
    return word == "op" or (word.startswith(("oper", "opper")) and not word.startswith(("operation", "operating")))


def fold(text: str) -> str:
    """Lower case without accents: "Café" and "CAFE" are one word."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _nonempty(keys: tuple[NameKey, ...]) -> tuple[NameKey, ...]:
    if len(keys) == 1:
        return keys if keys[0].key else ()
    return tuple(k for k in keys if k.key)


def _has_digit(token: str) -> bool:
    # An ASCII token is letters and digits only (tokens are alnum): a digit is there unless all are letters
    # (a Unicode digit is never a letter either: callers ask isalpha() first, for speed)
    return not token.isalpha() if token.isascii() else _DIGIT.search(token) is not None


def _legal_runs(forms: list[str]) -> set[str]:
    """Each legal form's letters run together ("ptyltd"): a name whose squeezed lower-case text holds
    none of them cannot match the legal-form regex."""
    return {"".join(fold(f).replace(".", " ").split()).translate(_SQUEEZE) for f in forms} - {""}


def _any_of(texts) -> re.Pattern[str]:
    """A search for any of `texts` as they are; those holding a shorter one add nothing."""
    texts = set(texts)
    least = sorted(t for t in texts if not any(o != t and o in t for o in texts))
    return re.compile("|".join(re.escape(t) for t in least) or r"(?!)")


# A character that is neither a joiner nor a splitter (a word character but "_", or "&"): one search
# says whether a text has any, where taking both away and looking at what is left took two passes
_WORDISH = re.compile(r"[^\W_]|&")


def _alternation(forms: list[str]) -> re.Pattern[str]:
    """One regex for all legal forms, tolerant of brackets, dots and commas: "(Pty) Ltd.", "P.T.Y"."""
    patterns = []
    for form in sorted(set(forms), key=lambda f: (-len(f), f)):
        words = [_word_pattern(w) for w in fold(form).replace(".", " ").split()]
        if words:
            patterns.append(r"[\s,]*".join(rf"[(\[]?{w}\.?[)\]]?" for w in words))
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile(r"(?<![\w])(?:" + "|".join(patterns) + r")(?![\w])", re.IGNORECASE)


def _word_pattern(word: str) -> str:
    # Short forms are often dotted ("C.C.", "P.T.Y."); long ones never are.
    if len(word) <= 3:
        return r"\.?".join(re.escape(c) for c in word)
    return re.escape(word)
