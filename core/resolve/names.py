"""Comparing two organisations' names: a weight, and the words that explain it."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Hamming
from rapidfuzz.process import extractOne

from core.resolve.keys import NameKey, _put  # _put: past a frozen dataclass's __setattr__
from core.resolve.settings import ResolutionSettings
from core.resolve.vocabulary import EMPTY, FILLER, KIND_CHANGE_SEEN, Vocabulary

_VOWELS = frozenset("aeiou")  # a skeleton keeps its y: "Physthrpy"
MAX_NAMES = 6  # a group with more spellings than this is compared on its first few
MEMO_LIMIT = 2_000_000  # verdicts kept per case, so memory stays bounded on the largest cases
RECURRING = 2  # groups whose names use a word before it counts as a name of its own (_two_names)
SLIP_SIMILARITY = 0.6  # 'Nylh' / 'Nyalo', 'Knudo' / 'Kunod'; not 'Durban' / 'Cape' (0.17)
SHORT_SLIP = 4  # letters of a word whose one slip leaves it below token_similarity (_short_slip)


@dataclass(frozen=True, init=False, slots=True)  # one per pair of spellings compared: ~1M at 1M rows
class NameVerdict:
    weight: float
    reason_for: str | None = None
    reasons_against: tuple[str, ...] = ()
    distinct: bool = False  # positive evidence of two different organisations
    level: str = "none"  # which kind of likeness: the evidence a case-learned weight attaches to
    penalty: float = 0.0  # the part of `weight` that is not the level's ("Clinic 1" / "Clinic 2")
    kind_confirmed: bool = False  # only a kind change this case's organisations make in their own rows
    branches: bool = False  # the names name different places of the case: two branches of one brand

    # Its own __init__, the setter bound once: the frozen dataclass's calls object.__setattr__ through a
    # global per field, 1 s of scoring at 1M rows. A new field goes here too (test_resolve_names_verdict).
    def __init__(self, weight: float, reason_for: str | None = None, reasons_against: tuple[str, ...] = (),
                 distinct: bool = False, level: str = "none", penalty: float = 0.0, kind_confirmed: bool = False,
                 branches: bool = False) -> None:
        put = _put
        put(self, "weight", weight)
        put(self, "reason_for", reason_for)
        put(self, "reasons_against", reasons_against)
        put(self, "distinct", distinct)
        put(self, "level", level)
        put(self, "penalty", penalty)
        put(self, "kind_confirmed", kind_confirmed)
        put(self, "branches", branches)

    def fields(self) -> tuple:
        """What NameVerdict(*fields) builds again: plain values, so that a verdict worked out in another
        process travels back by marshal (core.resolve.verdict_helper)."""
        return (self.weight, self.reason_for, self.reasons_against, self.distinct, self.level, self.penalty,
                self.kind_confirmed, self.branches)


NO_NAME = NameVerdict(0.0)


def compare_names(names_a, names_b, settings: ResolutionSettings, vocab: Vocabulary = EMPTY,
                  remember: bool = True) -> NameVerdict:
    """Best verdict over both groups' spellings. A legal name found behind "t/a" is only held
    against a plain name: two trading names of one company are two businesses. Nor is it when the
    trading name names another branch ('X Holdings t/a X Piketberg' / 'X Mthatha'): the company
    behind a chain is every branch's, and says nothing about which branch a row is.

    `remember`: keep the verdicts in the case's memo (vocab.verdicts) for the next pairs that meet them."""
    # Spellings recur across rows: each pair of them is compared once per case (one settings per case)
    memo = vocab.verdicts if vocab is not EMPTY else {}
    if len(names_a) == 1 and len(names_b) == 1 and len(names_a[0][1]) == 1 and len(names_b[0][1]) == 1:
        # most pairs: one spelling each, with one key (no trading name behind 't/a')
        (raw_a, (ka,)), (raw_b, (kb,)) = names_a[0], names_b[0]
        return _remembered(memo, remember, raw_a, ka, raw_b, kb, settings, vocab)
    best = None
    for raw_a, keys_a in names_a[:MAX_NAMES]:
        for raw_b, keys_b in names_b[:MAX_NAMES]:
            for at, (ka, kb) in enumerate(_key_pairs(keys_a, keys_b)):
                verdict = _remembered(memo, remember, raw_a, ka, raw_b, kb, settings, vocab)
                if best is None or verdict.weight > best.weight:
                    best = verdict
                if verdict.branches and at == 0:
                    break  # the trading names are two branches: their company's name does not join them
    return best or NO_NAME


def _remembered(memo: dict, remember: bool, raw_a: str, ka: NameKey, raw_b: str, kb: NameKey,
                settings: ResolutionSettings, vocab: Vocabulary) -> NameVerdict:
    """The verdict of two spellings' keys: from the memo when it holds it, else compared (and kept)."""
    seen = (raw_a, ka.key, raw_b, kb.key)
    verdict = memo.get(seen)
    if verdict is None:
        verdict = compare_keys(raw_a, ka, raw_b, kb, settings, vocab)
        if remember and len(memo) < MEMO_LIMIT:
            memo[seen] = verdict
    return verdict


def _key_pairs(keys_a: tuple[NameKey, ...], keys_b: tuple[NameKey, ...]):
    yield keys_a[0], keys_b[0]
    if len(keys_b) == 1:
        yield from ((k, keys_b[0]) for k in keys_a[1:])
    if len(keys_a) == 1:
        yield from ((keys_a[0], k) for k in keys_b[1:])


def compare_keys(raw_a: str, ka: NameKey, raw_b: str, kb: NameKey, settings: ResolutionSettings,
                 vocab: Vocabulary = EMPTY) -> NameVerdict:
    w = settings.weights
    if ka.compact == kb.compact:
        return NameVerdict(w.name_equal, _equal_reason(raw_a, ka, raw_b, kb), level="equal")
    verdict = _compare_words(ka, kb, settings, vocab)
    if verdict.weight >= w.name_kind_confirmed or verdict.distinct:
        return verdict
    seen = vocab.kind_change_seen(ka, kb)
    if seen < KIND_CHANGE_SEEN:
        return verdict
    # The brand's words all agree and the rest is a kind change this case's organisations make in
    # their own rows (as pairs sharing their own website, email domain or phone show). Alone it asks
    # the operator; read as a spelling it cost precision on unseen cases, where twins differ so.
    only_a, only_b = vocab.kind_change(ka, kb)
    return NameVerdict(w.name_kind_confirmed, f"names differ only in kind words ('{' '.join(only_a) or '-'}' / "
                       f"'{' '.join(only_b) or '-'}'), which {seen} of this case's organisations write both ways",
                       level="kind swapped", kind_confirmed=True)


def _compare_words(ka: NameKey, kb: NameKey, settings: ResolutionSettings, vocab: Vocabulary) -> NameVerdict:
    """The verdict of two different spellings by their words."""
    w = settings.weights
    against: list[str] = []
    penalty = 0.0
    if ka.numbers and kb.numbers and ka.numbers != kb.numbers:
        penalty += w.number_conflict
        against.append(f"numbers in the names differ ({_words(ka.numbers)} / {_words(kb.numbers)})")
    # Sorted words for names written in another order; plain order too, because a typo in a word
    # can move it in the sort ("Physiotherapy" / "Pysiotherapy" after "Pretorius").
    similarity = max(fuzz.token_sort_ratio(ka.key, kb.key), fuzz.ratio(ka.key, kb.key)) / 100
    percent = f"{similarity:.0%} alike"
    extra_a, extra_b, short_for, typos = _align(ka, kb, settings.token_similarity)
    if _is_acronym(ka, kb) or _is_acronym(kb, ka):
        short, long_ = (ka, kb) if len(ka.tokens) == 1 else (kb, ka)
        return NameVerdict(w.name_acronym + penalty, f"'{short.key}' is the initials of '{long_.key}'",
                           tuple(against), bool(against), "acronym", penalty)
    if not extra_a and not extra_b:
        if short_slips(typos, settings.token_similarity):
            # 'Somerset Wets' / 'Somerset West': one slip in a short word is as likely another name
            # ('Vaal' / 'Vaat'); with other evidence one organisation
            return NameVerdict(w.name_partial + penalty, f"names alike but for a short word typed badly "
                               f"({', '.join(f'{a!r} / {b!r}' for a, b in typos)})", tuple(against),
                               bool(against), "alike", penalty)
        if short_for:
            # "Med" for "Medical" is a common abbreviation; a brand word cut short is only a hint
            reading = " and ".join(f"'{s}' as '{l}'" for s, l in short_for)
            rare = [l for _, l in short_for if not vocab.common(l)]
            tier = w.name_partial if rare else w.name_near
            return NameVerdict(tier + penalty, f"names equal reading {reading}", tuple(against), bool(against),
                               "abbreviated brand" if rare else "abbreviated", penalty)
        if similarity >= settings.near_similarity and not _swapped_letter_in_rare_word(typos, vocab) \
                and not _two_names(typos, vocab):
            # A slip only in kind words ('Landbiou' / 'Landbou') leaves the brand as written: not
            # two brands of like syllables, which their own phones would tell apart (engine)
            level = "near kind words" if _slips_in_kind_words(typos, vocab) else "near"
            return NameVerdict(w.name_near + penalty, f"names differ only in spelling ({percent})",
                               tuple(against), bool(against), level, penalty)
        return NameVerdict(w.name_partial + penalty, f"names alike word by word ({percent})", tuple(against),
                           bool(against), "alike", penalty)
    if extra_a and extra_b and _misspelt(extra_a, extra_b):
        near = similarity >= settings.near_similarity and not _two_names(list(zip(extra_a, extra_b)), vocab)
        tier = w.name_near if near else w.name_partial
        return NameVerdict(tier + penalty, f"names differ only in spelling ('{' '.join(extra_a)}' / "
                           f"'{' '.join(extra_b)}')", tuple(against), bool(against), "near" if near else "alike",
                           penalty)
    longer = max(len(ka.tokens), len(kb.tokens))
    matched = min(len(ka.tokens) - len(extra_a), len(kb.tokens) - len(extra_b))
    if extra_a and extra_b and (matched * 2 >= longer or _brand_kept(ka, kb, extra_a, extra_b, vocab)) \
            and _kind_swap(ka, kb, extra_a, extra_b, vocab):
        # "Flight School" / "Flight Training Centre": one organisation if other evidence agrees
        # (two organisations can differ only there), and no sign of two organisations either
        reason = f"names differ only in common words ('{' '.join(extra_a)}' / '{' '.join(extra_b)}')"
        if vocab.kind_change_unseen(ka, kb):
            return NameVerdict(w.name_partial + penalty, reason + ", a change no organisation of the case makes in "
                               "its own rows", tuple(against), bool(against), "alike", penalty)
        return NameVerdict(w.name_kind_word + penalty, reason, tuple(against), bool(against), "kind swapped", penalty)
    if (not extra_a or not extra_b) and (matched * 2 >= longer or _brand_kept(ka, kb, extra_a, extra_b, vocab)):
        added = extra_a or extra_b
        # a word many organisations of the case use ("Services", "Practice") added or dropped says
        # less against one organisation than a word of its own would
        kind_word = all(vocab.kind_like(word) for side in _without_own_town(ka, kb, extra_a, extra_b, vocab)
                        for word in side)
        return NameVerdict((w.name_kind_word if kind_word else w.name_partial) + penalty,
                           f"one name adds '{' '.join(added)}'", tuple(against), bool(against), "adds words", penalty)
    if extra_a and extra_b and _town_brand_swap(ka, kb, extra_a, extra_b, vocab):
        # 'Tzaneen Animal Hospital' / 'Tzaneen Veterinary Practice': a practice named after its town,
        # its kind written two ways. Other practices of that town may be named so too: the names say
        # so only with other evidence, and keep others that lack it apart
        town = " ".join(t for t in _kept(ka, extra_a) if not vocab.kind_like(t))
        if vocab.kind_change_unseen(ka, kb):
            return NameVerdict(w.name_partial + penalty, f"names share only the town '{town}', and their other "
                               f"words ('{' '.join(extra_a)}' / '{' '.join(extra_b)}') change as no organisation of "
                               "the case changes its own", tuple(against), True, "alike", penalty)
        return NameVerdict(w.name_kind_word + penalty, f"names share the town '{town}' and differ only in common words "
                           f"('{' '.join(extra_a)}' / '{' '.join(extra_b)}')", tuple(against), True, "kind swapped",
                           penalty)
    places_a, places_b = vocab.places_named(extra_a), vocab.places_named(extra_b)
    if places_a and places_b and places_a.isdisjoint(places_b):
        # "Cele Technical Claremont" / "Cele Technical Paarl": two branches, whatever else they share
        against.insert(0, f"names name different places ('{' '.join(sorted(places_a))}' / "
                          f"'{' '.join(sorted(places_b))}')")
        return NameVerdict(w.name_unrelated + penalty, None, tuple(against), True, "unrelated", penalty,
                           branches=True)
    if similarity < settings.unrelated_below:
        against.insert(0, f"names are unrelated ({percent})")
        return NameVerdict(w.name_unrelated + penalty, None, tuple(against), True, "unrelated", penalty)
    against.insert(0, f"names differ: '{' '.join(extra_a) or '-'}' / '{' '.join(extra_b) or '-'}'")
    if not penalty and _slips_or_kinds(extra_a, extra_b, vocab) and _slips_or_kinds(extra_b, extra_a, vocab):
        # What clerks do to one name: no sign of two organisations, and too little to merge on alone
        return NameVerdict(w.name_slips, f"names alike but for words typed badly, cut short or of a kind "
                           f"('{' '.join(extra_a) or '-'}' / '{' '.join(extra_b) or '-'}')", level="alike")
    return NameVerdict(w.name_differ + penalty, None, tuple(against), True, "differ", penalty)


def one_organisation_by_name(ka: NameKey, kb: NameKey, settings: ResolutionSettings, vocab: Vocabulary) -> bool:
    """Two spellings of one organisation's name on their own: equal but for slips, words cut
    short and kind words, with the words that name it agreeing. Branches ('Sunrise Pharmacy
    Sandton' / 'Midrand') and numbered or bracketed names are not."""
    if ka.compact == kb.compact:
        return True
    if ka.numbers != kb.numbers or (ka.qualifiers and kb.qualifiers and not ka.qualifiers & kb.qualifiers):
        return False
    first_a, first_b = ka.tokens[0], kb.tokens[0]
    if first_a[0] != first_b[0] and first_a[:2] != first_b[1::-1]:  # the brand's first letter, or two swapped
        return False
    extra_a, extra_b, _, _ = _align(ka, kb, settings.token_similarity)
    if not extra_a and not extra_b:
        return True
    return all(vocab.kind_like(word) for word in extra_a + extra_b) and vocab.brand_agrees(_kept(ka, extra_a))


def _slips_in_kind_words(typos: list[tuple[str, str]], vocab: Vocabulary) -> bool:
    """Every word typed badly is, written right on one side, a word many names of the case use."""
    return bool(typos) and all(vocab.common(a) or vocab.common(b) for a, b in typos)


def _swapped_letter_in_rare_word(typos: list[tuple[str, str]], vocab: Vocabulary) -> bool:
    """'Jeneya'/'Jeseya': one letter for another in a word few organisations use is as likely a
    second brand as a slip; letters swapped, doubled or dropped are slips."""
    return any(len(a) == len(b) and OSA.distance(a, b) == Hamming.distance(a, b) and not vocab.common(a)
               and not vocab.common(b) and vocab.frequency[a] + vocab.frequency[b] > 0 for a, b in typos)


def _slips_or_kinds(words: list[str], others: list[str], vocab: Vocabulary) -> bool:
    """Every word a kind word ('Training Centre' / 'Academy'), a town of the case on one side only
    ('Logistics' / 'Freight Secunda'; two towns that differ were read before), or badly typed or cut
    short beside one of the other name's ('Mthebmu' / 'Mhtembu', 'Ersm' / 'Eramus'): what clerks do
    to one name, not a second name ('Durban' / 'Cape Town' where the case names no towns)."""
    return all(vocab.kind_like(word) or vocab.place_of(word) or any(
        OSA.normalized_similarity(word, other) >= SLIP_SIMILARITY or _short_with_slip(word, other)
        or _short_with_slip(other, word) for other in others) for word in words)


def _short_with_slip(short: str, long_: str) -> bool:
    """Cut short (or to its consonants) with a slip on the way, even in its first letters: 'Fou' /
    'Fuorie', 'Khml' / 'Hkumalo', 'Mah' / 'Amhikeng'."""
    if len(short) < 3 or len(short) >= len(long_):
        return False
    skeleton = long_[0] + "".join(c for c in long_[1:] if c not in _VOWELS)
    return any(OSA.distance(short, form[:k]) <= 1 for form in (long_, skeleton)
               for k in range(len(short) - 1, len(short) + 2))


def _two_names(typos: list[tuple[str, str]], vocab: Vocabulary) -> bool:
    """'Vuthuwa'/'Vuthute': both spellings recur in the case's names, each about as often as a name
    does. A slip is seldom typed the same way twice; a second organisation's brand recurs."""
    return any(vocab.frequency[a] >= RECURRING and vocab.frequency[b] >= RECURRING and not vocab.common(a)
               and not vocab.common(b) for a, b in typos)


def _kind_swap(ka: NameKey, kb: NameKey, extra_a: list[str], extra_b: list[str], vocab: Vocabulary) -> bool:
    """The leftovers are words other organisations of the case use too (not places, not
    numbers), and what both names share holds a word rarer than any of them: the brand agrees,
    only the kind differs."""
    leftovers = [word for side in _without_own_town(ka, kb, extra_a, extra_b, vocab) for word in side]
    if not all(vocab.kind_position(word) for word in leftovers):
        return False
    shared = [t for t in ka.tokens if t in kb.tokens and t not in FILLER]  # as written in both: no typo
    return any(all(vocab.rarer(t, word) for word in leftovers) for t in shared) or vocab.brand_agrees(
        _kept(ka, extra_a))


def _town_brand_swap(ka: NameKey, kb: NameKey, extra_a: list[str], extra_b: list[str], vocab: Vocabulary) -> bool:
    """The words both names share are a town of the case (with kind words), the rest kind words on
    both sides: the brand would agree (vocabulary.brand_agrees) but that its one word is a place."""
    if not vocab.places or not all(vocab.kind_position(word) for word in extra_a + extra_b):
        return False  # most pairs here: a word of their own on one side
    kept = [t for t in _kept(ka, extra_a) if not t.isdigit() and not vocab.kind_like(t)]
    return bool(kept) and all(vocab.place_of(t) for t in kept)


def _kept(ka: NameKey, extra_a: list[str]) -> list[str]:
    """The words of a name that found a counterpart in the other, typos and abbreviations forgiven."""
    extra = list(extra_a)
    kept = []
    for t in ka.tokens:
        if t in extra:
            extra.remove(t)
        elif t not in FILLER:
            kept.append(t)
    return kept


def _without_own_town(ka: NameKey, kb: NameKey, extra_a: list[str], extra_b: list[str],
                      vocab: Vocabulary) -> tuple[list[str], list[str]]:
    """The leftovers without the towns of the case one name adds to the other's words ('Motshina
    Dairy Co-op - Cape Town' / 'Motshina'): clerks append where an organisation is, and it says
    nothing about which words name it. Where both names have words of their own a town stays one
    of them ('Starlite Maintenance Durban' / 'Starlite Aviation Training Academy': two businesses)
    unless the rest is a kind change this case's organisations make in their own rows ('Animal
    Hospital - Louis Trichardt' / 'Vet Clinic')."""
    towns_a = [w for w in extra_a if vocab.place_of(w)]
    towns_b = [w for w in extra_b if vocab.place_of(w)]
    if not towns_a and not towns_b:
        return extra_a, extra_b
    if extra_a and extra_b and ((towns_a and towns_b) or not _kind_change_confirmed(ka, kb, vocab)):
        return extra_a, extra_b
    return [w for w in extra_a if w not in towns_a], [w for w in extra_b if w not in towns_b]


def _kind_change_confirmed(ka: NameKey, kb: NameKey, vocab: Vocabulary) -> bool:
    """The kind words the names do not share, whatever else they hold, change so in the own rows of
    several of the case's organisations (vocabulary.KIND_CHANGE_SEEN)."""
    change = vocab.kind_change(ka, kb, brand_agrees=False)
    return change is not None and all(change) and vocab.kind_changes[change] >= KIND_CHANGE_SEEN


def _brand_kept(ka: NameKey, kb: NameKey, extra_a: list[str], extra_b: list[str], vocab: Vocabulary) -> bool:
    """Fewer than half the words agree, but those that do name the organisation and those that
    do not are kind words: "Lanseria Flight" / "Lanseria Flight Training Centre"."""
    kinds_a, kinds_b = _without_own_town(ka, kb, extra_a, extra_b, vocab)
    if not all(vocab.kind_position(word) for word in kinds_a + kinds_b):
        return False
    return vocab.brand_agrees(_kept(ka, extra_a))


def _align(ka: NameKey, kb: NameKey, token_similarity: float):
    """unmatched_words, then leftovers that are abbreviations of the other side's leftovers."""
    typos: list[tuple[str, str]] = []
    left, right = unmatched_words(ka.tokens, kb.tokens, token_similarity, typos)
    short_for: list[tuple[str, str]] = []
    for short_side, long_side, dotted in ((left, right, ka.dotted), (right, left, kb.dotted)):
        for word in list(short_side):
            long_ = next((o for o in long_side if o[0] == word[0] and abbreviates(word, o, word in dotted)), None)
            if long_ is not None:
                short_side.remove(word)
                long_side.remove(long_)
                short_for.append((word, long_))
    return left, right, short_for, typos


def abbreviates(short: str, long_: str, dotted: bool = False) -> bool:
    """'hosp'/'hospital', 'maint'/'maintenance' (cut short: a dot, or at most 60% of the word),
    'svcs'/'services', 'mgmt'/'management', 'ctr'/'centre' (its consonants, in order)."""
    if len(short) < 3 or len(short) >= len(long_) or not short.isalpha() or short[0] != long_[0]:
        return False
    if long_.startswith(short):
        return True
    # cut short and a slip in what is left ("Maint" / "Maitnenance", "Hospi" / "Hosptial")
    if 4 <= len(short) <= len(long_) - 3 and short[:2] == long_[:2] and min(
            OSA.distance(short, long_[:k]) for k in range(len(short) - 1, len(short) + 2)) <= 1:
        return True
    if sum(c in _VOWELS for c in short[1:]) > (1 if dotted else 0):
        return False
    rest = iter(long_[1:])
    return all(c in rest for c in short[1:])


def unmatched_words(tokens_a, tokens_b, token_similarity: float,
                    typos: list[tuple[str, str]] | None = None) -> tuple[list[str], list[str]]:
    """Words of each name with no counterpart in the other, typos forgiven ("Clinc" ~ "Clinic");
    the pairs forgiven as typos are added to `typos` when given."""
    left = list(tokens_a)
    right = list(tokens_b)
    for word in list(left):
        if word in right:
            left.remove(word)
            right.remove(word)
    if left and right and (len(left) > 1 or len(right) > 1):
        left, right = _joined(left, right), _joined(right, left)
    for word in list(left):
        if not right or word.isdigit():  # "1" and "2" are never a typo of each other
            continue
        best = extractOne(word, right, scorer=fuzz.ratio, score_cutoff=token_similarity * 100)
        if best is None and len(word) == SHORT_SLIP:
            best = _short_slip(word, right)
        if best is not None and not best[0].isdigit() and typo_of(word, best[0]):
            right.pop(best[2])
            left.remove(word)
            if typos is not None:
                typos.append((word, best[0]))
    # "Blue Chip" and "Bluechip": the leftovers are one word written apart
    if left and right and len(left) != len(right) and typo_of("".join(left), "".join(right)):
        return [], []
    return left, right


def _short_slip(word: str, others: list[str]):
    """A four-letter word with one letter wrong or two swapped ('Wesr' / 'West', 'Wets' / 'West'):
    one slip, though its letters are only 75 % alike (the ratio counts a swap as two edits)."""
    for i, other in enumerate(others):
        if len(other) == SHORT_SLIP and other.isalpha() and word.isalpha() and OSA.distance(word, other) == 1:
            return other, 75.0, i
    return None


def short_slips(typos: list[tuple[str, str]], token_similarity: float) -> bool:
    """Some typo forgiven only as a four-letter slip (_short_slip): it makes names alike, not near."""
    return any(fuzz.ratio(a, b) < token_similarity * 100 for a, b in typos)


def _joined(words: list[str], others: list[str]) -> list[str]:
    """`words` with two neighbours that the other name writes as one word taken out ("Lan seria" /
    "Lanseria"), and that word out of `others`."""
    for i in range(len(words) - 1):
        both = words[i] + words[i + 1]
        if both in others:
            others.remove(both)
            return words[:i] + words[i + 2:]
    return words


def typo_of(word: str, other: str) -> bool:
    """A slip of the keys: the first letter kept and one edit (two in a long word). "Qahle" and
    "Rahle", or "Xote" and "Xotevu", are two names, however alike their letters."""
    allowed = 1 if min(len(word), len(other)) < 7 else 2
    # The first two letters swapped is one slip too ("oLwveld"): the letters are all there.
    same_start = word[0] == other[0] or (len(word) > 2 and len(other) > 2 and word[:2] == other[1::-1])
    return same_start and OSA.distance(word, other) <= allowed


def _misspelt(extra_a: list[str], extra_b: list[str]) -> bool:
    """Leftovers that are one word typed twice badly ("Kruegr" / "Kuger"), not two words
    ("North" / "South"): long enough for a typo to leave most letters standing."""
    left, right = " ".join(extra_a), " ".join(extra_b)
    # Edits (transpositions count once) per letter: a typo or two in a long word, not a new word.
    return min(len(left), len(right)) >= 5 and OSA.normalized_similarity(left, right) >= 0.65 and typo_of(left, right)


def _is_acronym(short: NameKey, long_: NameKey) -> bool:
    if len(short.tokens) != 1 or len(long_.tokens) < 2 or not 2 <= len(short.key) <= 6 or not short.key.isalpha():
        return False
    initials = "".join(t[0] for t in long_.tokens)
    content = "".join(t[0] for t in long_.tokens if t not in FILLER)
    return short.key in (initials, content)


def _equal_reason(raw_a: str, ka: NameKey, raw_b: str, kb: NameKey) -> str:
    if raw_a == raw_b:
        return "same name"
    removed = _one_sided(ka.removed, kb.removed)  # what both dropped did not make them equal
    expanded = _one_sided(ka.expanded, kb.expanded)
    steps = []
    if removed:
        steps.append("removing " + " and ".join(f"'{r}'" for r in removed))
    if expanded:
        steps.append("writing out " + " and ".join(f"'{e}'" for e in expanded))
    if not steps:
        return "names equal ignoring case and punctuation"
    return "names equal after " + "; ".join(steps)


def _one_sided(a: tuple[str, ...], b: tuple[str, ...]) -> list[str]:
    folded_a, folded_b = {x.casefold() for x in a}, {x.casefold() for x in b}
    found = [x for x in a if x.casefold() not in folded_b] + [x for x in b if x.casefold() not in folded_a]
    return list({x.casefold(): x for x in reversed(found)}.values())[::-1]


def _words(values) -> str:
    return " ".join(sorted(values))
