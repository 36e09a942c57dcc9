"""What the case itself says about its words: how many organisations use each name word, and
which words are places (they appear in an area or town column).

A word that many organisations share ("Clinic", "Services", a surname) says less than a rare one
(the brand), in the spirit of term-frequency adjustments; a kind word may then be added, dropped
or swapped between two spellings, while a place word that differs still marks another branch.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Vocabulary:
    frequency: Counter = field(default_factory=Counter)  # word -> organisations (groups) using it
    names: int = 0
    places: frozenset[str] = frozenset()
    common_share: float = 0.01
    common_min: int = 3
    leading: Counter = field(default_factory=Counter)  # word -> organisations whose name starts with it (or "and" it)
    verdicts: dict = field(default_factory=dict)  # name comparisons already made in this case (names.py)
    _kind_like: dict = field(default_factory=dict, repr=False)  # word -> kind_like(word), once per case
    _common: dict | None = field(default=None, repr=False)

    def common(self, word: str) -> bool:
        """A word too many organisations use to tell them apart, and that is not a place."""
        if word in self.places or word.isdigit():
            return False
        return self.frequency[word] >= max(self.common_min, self.common_share * self.names)

    def rarer(self, word: str, than: str) -> bool:
        return self.frequency[word] < self.frequency[than]

    def kind_like(self, word: str) -> bool:
        """A common word, or one typed badly or cut short ("Serices", "Maint"): a clerk's slip on
        "Services" says no more than "Services" does."""
        found = self._kind_like.get(word)
        if found is None:
            found = self._kind(word) or (
                len(word) >= 3 and word.isalpha() and word not in self.places and self.frequency[word] < 3
                and any(_slip_of(word, other) for other in self._common_words().get(word[0], ())
                        + self._common_words().get(word[1], ())))
            self._kind_like[word] = found
        return found

    def kind_position(self, word: str) -> bool:
        """A word other organisations use too, in a kind's place (not first, not after "and"),
        that is not a place: "Clinic" where the case has it seldom, or a kind word typed badly."""
        if word in self.places or word.isdigit():
            return False
        count = self.frequency[word]
        return (count >= 2 and self.leading[word] < LEAD_SHARE * count) or self.kind_like(word)

    def brand_agrees(self, shared: list[str]) -> bool:
        """The words both names share say which organisation it is: two words that are not kind
        words ("Steyn", "Naidoo"), or one that few organisations use and that is not a place."""
        own = [t for t in shared if not t.isdigit() and not self.kind_like(t)]
        return len(own) >= 2 or (len(own) == 1 and own[0] not in self.places and len(own[0]) >= 3)

    def _kind(self, word: str) -> bool:
        """Common, and seldom where a name starts or after "and": "Clinic", "Services", not a
        surname many brands share ("Naidoo", "Khumalo & Naidoo")."""
        return self.common(word) and self.leading[word] < LEAD_SHARE * self.frequency[word]

    def _common_words(self) -> dict[str, tuple[str, ...]]:
        """The kind words by first letter: a slip keeps it, or swaps it with the second."""
        if self._common is None:
            by_letter: dict[str, list[str]] = {}
            for w in sorted(self.frequency):
                if w.isalpha() and len(w) >= 3 and self._kind(w):
                    by_letter.setdefault(w[0], []).append(w)
            self._common = {letter: tuple(words) for letter, words in by_letter.items()}
        return self._common


EMPTY = Vocabulary()
LEAD_SHARE = 0.2  # a word that starts more of its names than this is a brand's word, however common


def _slip_of(word: str, common: str) -> bool:
    """`word` is `common` with one letter wrong, missing, doubled or two swapped, or cut short."""
    from core.resolve.names import abbreviates  # names imports this module
    from rapidfuzz.distance import OSA

    if word[0] != common[0] and word[:2] != common[1::-1][:2]:
        return False
    if len(word) >= 5 and abs(len(word) - len(common)) <= 1 and OSA.distance(word, common) <= 1:
        return True
    return abbreviates(word, common)


def case_vocabulary(groups, common_share: float, common_min: int) -> Vocabulary:
    frequency: Counter = Counter()
    leading: Counter = Counter()
    places: set[str] = set()
    for g in groups:
        words: set[str] = set()
        leads: set[str] = set()
        for _, keys in g.names:
            for k in keys:
                words.update(k.tokens)
                leads.add(k.tokens[0])
                if "and" in words:
                    leads.update(k.tokens[i + 1] for i, t in enumerate(k.tokens[:-1]) if t == "and")
        frequency.update(words)
        leading.update(leads)
        places.update(g.areas)
    return Vocabulary(frequency, len(groups), frozenset(places), common_share, common_min, leading)
