"""What the case itself says about its words: how many organisations use each name word, and
which words are places (they appear in an area or town column).

A word that many organisations share ("Clinic", "Services", a surname) says less than a rare one
(the brand), in the spirit of term-frequency adjustments; a kind word may then be added, dropped
or swapped between two spellings, while a place word that differs still marks another branch.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

FILLER = frozenset({"and", "of", "the", "for", "en", "van"})  # words that name nothing on their own
# A kind word added, dropped or swapped with the brand's words all equal is a question for the operator
# (names.compare_keys) once this many brands of the case show that change in pairs sharing an own
# website, email domain or phone
KIND_CHANGE_SEEN = 2
KIND_CHANGE_VALUE_USERS = 8  # values listed by more groups (directories, chains) confirm nothing
KIND_CHANGE_PAIRS = 20_000  # pairs looked at per case: the counts settle long before
KIND_SETS_PER_BRAND = 4  # a brand written with more kinds than this is several businesses' name
KIND_CHANGE_EVIDENCE = 30  # changes seen before one never seen says anything
# A town the case's rows put in one province (at least this many organisations, this share of them)
# places a row that names only the town in that province
TOWN_PROVINCE_MIN = 2
TOWN_PROVINCE_SHARE = 0.9


@dataclass
class Vocabulary:
    frequency: Counter = field(default_factory=Counter)  # word -> organisations (groups) using it
    names: int = 0
    places: frozenset[str] = frozenset()
    common_share: float = 0.01
    common_min: int = 3
    # word -> the words after it where it starts a name (or follows "and")
    leading: Counter = field(default_factory=Counter)
    brands: Counter = field(default_factory=Counter)  # word -> first words of the other names it follows
    verdicts: dict = field(default_factory=dict)  # name comparisons already made in this case (names.py)
    _kind_like: dict = field(default_factory=dict, repr=False)  # word -> kind_like(word), once per case
    _common: dict | None = field(default=None, repr=False)
    # (kind words only one name has, kind words only the other has) -> brands of the case with pairs that share an
    # own value and whose names differ only so: which kind words its organisations write either way
    kind_changes: Counter = field(default_factory=Counter)
    _parts: dict = field(default_factory=dict, repr=False)  # key text -> (brand words, kind words)
    # Each distinct (brand words, kind words) and word set of _parts once: at 100k rows 61k names have
    # 52k of the one and 7k kind sets; a frozenset costs 216 bytes however few its words (~0.15 GB at 1M)
    _interned: dict = field(default_factory=dict, repr=False)
    _canonical: dict = field(default_factory=dict, repr=False)
    _changes_total: int | None = field(default=None, repr=False)
    _place_of: dict = field(default_factory=dict, repr=False)  # word -> the place it names, or ""
    _places_by_letter: dict | None = field(default=None, repr=False)  # first letter -> places of letters, sorted
    _kind_position: dict = field(default_factory=dict, repr=False)
    _word_part: dict = field(default_factory=dict, repr=False)  # word -> (a kind word?, as read)
    # brand words -> how many sets of kind words the case writes it with
    brand_kinds: Counter = field(default_factory=Counter, repr=False)
    town_province: dict = field(default_factory=dict, repr=False)  # area as written, case-folded -> its province
    _contested_brands: dict = field(default_factory=dict, repr=False)

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
                and any(_slip_of(word, other) for other in self._candidates(word)))
            self._kind_like[word] = found
        return found

    def kind_position(self, word: str) -> bool:
        """A word other organisations use too, in a kind's place (not first, not after "and"),
        that is not a place: "Clinic" where the case has it seldom, or a kind word typed badly."""
        found = self._kind_position.get(word)
        if found is None:
            count = self.frequency[word]
            # after two brands at least: a brand's own second word ("Botha Kukuse") follows only its first
            found = self._kind_position[word] = word not in self.places and not word.isdigit() and (
                (count >= 2 and self.leading[word] < LEAD_SHARE * count and self.brands[word] >= 2)
                or self.kind_like(word))
        return found

    def brand_agrees(self, shared: list[str]) -> bool:
        """The words both names share say which organisation it is: two words that are not kind
        words ("Steyn", "Naidoo"), or one that few organisations use and that is not a place."""
        own = [t for t in shared if not t.isdigit() and not self.kind_like(t)]
        return len(own) >= 2 or (len(own) == 1 and own[0] not in self.places and len(own[0]) >= 3)

    def canonical(self, word: str) -> str:
        """The kind word that `word` is a slip or a short form of ("Srvcs" -> "services"), else itself."""
        found = self._canonical.get(word)
        if found is None:
            found = word
            if len(word) >= 3 and word.isalpha() and word not in self.places:
                # a form clerks write often ("Servi.", "Phys") is read too, as the word written in full
                # more often still
                count = self.frequency[word]
                read = [other for other in self._candidates(word)
                        if self.frequency[other] >= 3 * count and _slip_of(word, other)]
                if read:  # "Prec" is "Precision" cut short before it is "Practice" with a slip
                    found = max(read, key=lambda other: (other.startswith(word), self.frequency[other], other))
            self._canonical[word] = found
        return found

    def _candidates(self, word: str) -> list[str]:
        """The kind words `word` may be a slip or a short form of: same first letter (or the
        second, two letters swapped), not more than one letter shorter."""
        common = self._common_words()
        # longer by two letters or more, it can only be cut short: its first two letters, or (a
        # word without vowels after its first letter) its consonants
        skeleton = not any(c in "aeiou" for c in word[1:])
        return [o for o in common.get(word[0], ()) + common.get(word[1], ()) if len(o) >= len(word) - 1
                and (len(o) <= len(word) + 1 or skeleton or o.startswith(word[:2]))]

    def name_parts(self, key) -> tuple[frozenset[str], frozenset[str]]:
        """A name's brand words (not in a kind's place: the first word, places, numbers, rare words)
        and its kind words, those written short or with a slip read as the word they stand for."""
        found = self._parts.get(key.key)
        if found is None:
            brand, kinds = set(), set()
            word_of = self._word_part
            for t in key.tokens:
                part = word_of.get(t)
                if part is None:  # once per word of the case: (True, the kind word it reads as) or (False, t)
                    part = word_of[t] = (True, self.canonical(t)) if t not in FILLER and self.kind_position(t) \
                        else (False, t)
                if part[0]:
                    kinds.add(part[1])
                elif t not in FILLER:
                    brand.add(t)
            one = self._interned.setdefault
            brand, kinds = frozenset(brand), frozenset(kinds)
            parts = (one(brand, brand), one(kinds, kinds))
            found = self._parts[key.key] = one(parts, parts)
        return found

    def kind_change(self, ka, kb, brand_agrees: bool = True) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The kind words each name has and the other lacks, when their brand words are the same
        (or whatever they are, without `brand_agrees`)."""
        brand_a, kinds_a = self.name_parts(ka)
        brand_b, kinds_b = self.name_parts(kb)
        if kinds_a == kinds_b or (brand_agrees and (not brand_a or brand_a != brand_b)):
            return None
        only_a, only_b = tuple(sorted(kinds_a - kinds_b)), tuple(sorted(kinds_b - kinds_a))
        return (only_a, only_b) if only_a <= only_b else (only_b, only_a)

    def kind_change_unseen(self, ka, kb) -> bool:
        """The case shows plenty of kind changes in its organisations' own rows, never this one:
        "Aircraft Maintenance" / "Dental Studio" is more likely two businesses of one family name."""
        if self._changes_total is None:
            self._changes_total = sum(self.kind_changes.values())
        if self._changes_total < KIND_CHANGE_EVIDENCE:
            return False
        change = self.kind_change(ka, kb, brand_agrees=False)
        return change is not None and all(change) and not self.kind_changes[change]

    def kind_change_seen(self, ka, kb) -> int:
        """How many brands of the case show the kind change between ka and kb in their own rows
        (none for a brand several businesses share)."""
        if not self.kind_changes:
            return 0
        change = self.kind_change(ka, kb)
        if change is None or self._contested(self.name_parts(ka)[0]):
            return 0
        return self.kind_changes[change]

    def _contested(self, brand: frozenset[str]) -> bool:
        """The case writes this brand with more sets of kind words than one organisation's rows
        do ('Lanseria Flight School', 'Lanseria Charter Services', 'Lanseria Fuel Depot'...): several
        businesses of one name, so a kind change says nothing alone about which of them a row is."""
        found = self._contested_brands.get(brand)
        if found is None:
            found = self.brand_kinds[brand] > KIND_SETS_PER_BRAND
            self._contested_brands[brand] = found
        return found

    def provinces_of(self, group) -> tuple[frozenset[str], bool]:
        """The group's provinces, or where it gives none, those the case's other rows
        put its towns in ('Pinetown' -> KwaZulu-Natal); and whether they were read from its towns."""
        if group.provinces:
            return group.provinces, False
        if not group.area_text or not self.town_province:
            return frozenset(), False
        return frozenset(p for a in group.area_text if (p := self.town_province.get(a.casefold()))), True

    def places_named(self, words) -> frozenset[str]:
        """The places of the case that `words` name, written in full, cut short or with a slip
        ("Kimbreley", "Upng" for Upington)."""
        return frozenset(place for word in words if (place := self.place_of(word)))

    def place_of(self, word: str) -> str:
        """The place of the case one word names (places_named), or "": asked per word of the
        scored pairs' names, so a word's answer is looked up, not a set built for it."""
        place = self._place_of.get(word)
        if place is None:
            place = word if word in self.places else ""
            # a word many names use ('Wool' in 'Wool Growers') is itself, not a town cut short
            if not place and len(word) >= 3 and word.isalpha() and not self.common(word):
                from core.resolve.names import abbreviates, typo_of  # names imports this module
                place = next((p for p in self._places_starting(word[0]) if
                              abbreviates(word, p) or (len(word) >= 5 and typo_of(word, p))), "")
            self._place_of[word] = place
        return place

    def _places_starting(self, letter: str) -> list[str]:
        """The case's places of letters only that start with `letter`, in sorted order: made once, not
        sorted again for every word that is not a place (at 1M rows some 100k words, thousands of places)."""
        if self._places_by_letter is None:
            self._places_by_letter = {}
            for place in sorted(self.places):
                if place.isalpha():
                    self._places_by_letter.setdefault(place[0], []).append(place)
        return self._places_by_letter.get(letter, [])

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

    if len(common) < len(word) - 1:  # neither a slip nor a short form of it
        return False
    typed = len(word) >= 5 and abs(len(word) - len(common)) <= 1
    if word[0] != common[0]:  # only two first letters swapped
        return typed and word[:2] == common[1::-1][:2] and OSA.distance(word, common) <= 1
    if typed and OSA.distance(word, common) <= 1:
        return True
    return abbreviates(word, common)


def case_vocabulary(groups, common_share: float, common_min: int, kind_changes: bool = True) -> Vocabulary:
    """The case's words; with `kind_changes`, also the kind changes its organisations make
    (learn_kind_changes), which only the bound and scoring read: resolve learns them beside blocking."""
    places: set[str] = set()
    follows: set[tuple[str, str]] = set()  # (word, the first word of a name it is in, not first)
    # (a name's first word, or one after "and", the word after it): a chain's branches ('Landbou
    # Sentraal Animal Hospital Upington', '... Germiston') open their names one way between them, so
    # a kind word a chain's name starts with ('Landbou') still reads as the kind word it is elsewhere
    openings: set[tuple[str, str]] = set()
    for g in groups:
        for _, keys in g.names:
            for k in keys:
                tokens = k.tokens
                openings.add((tokens[0], tokens[1] if len(tokens) > 1 else ""))
                follows.update((t, tokens[0]) for t in tokens[1:])
                if "and" in tokens:
                    openings.update((tokens[i + 1], tokens[i + 2] if i + 2 < len(tokens) else "")
                                    for i, t in enumerate(tokens[:-1]) if t == "and")
        places.update(g.areas)
    frequency = Counter(_organisations_per_word(groups))
    leading = Counter(word for word, _ in openings)
    vocab = Vocabulary(frequency, len(groups), frozenset(places), common_share, common_min, leading,
                       Counter(word for word, _ in follows))
    vocab.town_province = _town_provinces(groups)
    if kind_changes:
        learn_kind_changes(vocab, groups)
    return vocab


def learn_kind_changes(vocab: Vocabulary, groups) -> None:
    """The kind changes the case's organisations make in their own rows (_kind_changes), and how many
    sets of kind words each brand is written with. Nothing the shared values read depends on them."""
    vocab.kind_changes = _kind_changes(groups, vocab)
    if vocab.kind_changes:  # the kind sets of each brand, counted: (brand, kinds) pairs are interned
        parts = {vocab.name_parts(g.primary) for g in groups if g.primary is not None}
        vocab.brand_kinds = Counter(brand for brand, _ in parts)


def _organisations_per_word(groups) -> dict[str, int]:
    """How many groups' names use each word: counted from build_groups' codes (each group's words
    once), not from a set per group (1.3 s of Python at 1M rows)."""
    import numpy as np

    from core.resolve.groups import group_columns

    words = group_columns(groups).words
    counts = np.bincount(words.flat, minlength=len(words.vocabulary)).tolist()
    return {word: n for word, n in zip(words.vocabulary, counts) if n}


def _town_provinces(groups) -> dict[str, str]:
    """Each town (area as written) that the case's rows with one province put in one province, nearly
    always: a row giving only 'Pinetown' is then in KwaZulu-Natal, and one organisation's name in
    Gauteng and in Pinetown is two organisations (twins of one name in two provinces)."""
    seen: dict[str, Counter] = {}
    for g in groups:
        if len(g.provinces) == 1 and g.area_text:
            province = next(iter(g.provinces))  # as normalised: one spelling per province
            for area in g.area_text:
                seen.setdefault(area.casefold(), Counter())[province] += 1
    found = {}
    for area, provinces in seen.items():
        province, count = provinces.most_common(1)[0]
        total = provinces.total()
        if total >= TOWN_PROVINCE_MIN and count >= TOWN_PROVINCE_SHARE * total:
            found[area] = province
    return found


def _kind_changes(groups, vocab: Vocabulary) -> Counter:
    """Kind changes between the names of groups that share an own website, email domain or phone
    (one a few groups list, not a directory's or a chain's): the case's own evidence of which kind
    words its organisations add, drop or swap ("Flight School" / "Flight Training Centre"), in the
    spirit of m-probabilities estimated from likely matches."""
    users: dict[str, list[int]] = {}
    for position, g in enumerate(groups):
        for kind in ("website", "domain", "phone"):
            for value in g.values.get(kind, ()):
                listed = users.setdefault(value, [])  # a website's host may be its email domain too
                if not listed or listed[-1] != position:
                    listed.append(position)
    seen: set[tuple[int, int]] = set()
    brands: dict[tuple, set[frozenset[str]]] = {}  # change -> the brands showing it
    pairs = ((a, b) for members in users.values() if 2 <= len(members) <= KIND_CHANGE_VALUE_USERS
             for i, a in enumerate(members) for b in members[i + 1:])
    for a, b in pairs:
        if len(seen) >= KIND_CHANGE_PAIRS:
            break
        if (a, b) in seen:
            continue
        seen.add((a, b))
        ka, kb = groups[a].primary, groups[b].primary  # positions in `groups`
        if ka is not None and kb is not None and ka.compact != kb.compact:
            change = vocab.kind_change(ka, kb)
            if change is not None:
                brands.setdefault(change, set()).add(vocab.name_parts(ka)[0])
    # Counted once per brand: a chain's branches ("X Sandton" / "X Midrand") share its website, and
    # all its pairs are one brand's word, not the case's habit
    return Counter({change: len(shown) for change, shown in brands.items()})
