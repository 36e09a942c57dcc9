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
    verdicts: dict = field(default_factory=dict)  # name comparisons already made in this case (names.py)

    def common(self, word: str) -> bool:
        """A word too many organisations use to tell them apart, and that is not a place."""
        if word in self.places or word.isdigit():
            return False
        return self.frequency[word] >= max(self.common_min, self.common_share * self.names)

    def rarer(self, word: str, than: str) -> bool:
        return self.frequency[word] < self.frequency[than]


EMPTY = Vocabulary()


def case_vocabulary(groups, common_share: float, common_min: int) -> Vocabulary:
    frequency: Counter = Counter()
    places: set[str] = set()
    for g in groups:
        frequency.update({t for _, keys in g.names for k in keys for t in k.tokens})
        places.update(g.areas)
    return Vocabulary(frequency, len(groups), frozenset(places), common_share, common_min)
