"""The places a name's words name (Vocabulary.place_of / places_named): a town written in full, cut
short or typed with a slip, read from the case's own area column. Words are looked up against the
places that start with their letter, sorted once per case, not sorted again for every word."""

from __future__ import annotations

import random
import string
from collections import Counter

from core.resolve.names import abbreviates, typo_of
from core.resolve.vocabulary import Vocabulary

TOWNS = ["upington", "kimberley", "pinetown", "polokwane", "potchefstroom", "piketberg", "mthatha", "midrand",
         "sandton", "secunda", "stellenbosch", "somerset", "george", "germiston", "durban", "bellville"]


def plain_place_of(vocab: Vocabulary, word: str) -> str:
    """The rule as written before the letter index: every place, sorted, for every word."""
    if word in vocab.places:
        return word
    if len(word) >= 3 and word.isalpha() and not vocab.common(word):
        return next((p for p in sorted(vocab.places) if p[0] == word[0] and p.isalpha() and (
            abbreviates(word, p) or (len(word) >= 5 and typo_of(word, p)))), "")
    return ""


def test_towns_cut_short_or_typed_badly_name_their_place() -> None:
    vocab = Vocabulary(Counter({"clinic": 50, "pharmacy": 40}), 200, frozenset(TOWNS))
    assert vocab.place_of("upington") == "upington"
    assert vocab.place_of("upng") == "upington"  # its consonants
    assert vocab.place_of("kimbreley") == "kimberley"  # two letters swapped
    assert vocab.place_of("pot") == "potchefstroom"  # cut short: the first place of that start, sorted
    assert vocab.place_of("clinic") == "" and vocab.place_of("24") == ""
    assert vocab.places_named(["sunrise", "pharmacy", "sandtn"]) == frozenset({"sandton"})


def test_the_letter_index_names_the_places_the_plain_rule_names() -> None:
    rng = random.Random(5)
    towns = set(TOWNS)
    while len(towns) < 3_000:  # a national directory's towns, and words that are none of them
        towns.add("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 11))))
    places = frozenset(towns | {"24hr", "n1"})  # area words with digits are places, never one cut short
    vocab = Vocabulary(Counter({"clinic": 50}), 200, places)
    words = [t[:k] for t in sorted(towns)[:400] for k in (3, 4, 6)]
    words += [t[1] + t[0] + t[2:] for t in sorted(towns)[400:800]]
    words += ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9))) for _ in range(800)]
    found = [vocab.place_of(w) for w in words]
    assert found == [plain_place_of(vocab, w) for w in words]
    assert sum(map(bool, found)) > 1_000  # most of them name a place: the rule was exercised
