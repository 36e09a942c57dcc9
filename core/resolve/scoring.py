"""Evidence between two groups of rows -> a score and the reasons for and against, in plain words.

Weights are log-odds: they add up from the profile's prior, and a logistic turns the sum into a
0..1 score that the profile's thresholds cut. Conflicts (other province, other website) add
negative weight rather than veto, because real workbooks hold wrong values too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from core.resolve.groups import Group
from core.resolve.names import NameVerdict, abbreviates, compare_names, typo_of
from core.resolve.settings import ResolutionSettings
from core.resolve.shared import SharedValues
from core.resolve.vocabulary import EMPTY, Vocabulary


@dataclass(slots=True)  # one per merge and per kept link: hundreds of thousands at 1M rows
class PairEvidence:
    record_a: str
    record_b: str
    score: float
    reasons_for: list[str]
    reasons_against: list[str]
    explanation: str
    weighed_most: str | None = None  # the evidence that added the most weight, in words


@dataclass(slots=True)
class Scored:
    weight: float  # log-odds
    reasons_for: list[str] = field(default_factory=list)
    reasons_against: list[str] = field(default_factory=list)
    distinct: bool = False  # evidence of two different organisations: a merge must not chain past it
    levels: dict[str, str] = field(default_factory=dict)  # feature -> level, for weights learned from the case
    fixed: float = 0.0  # weight outside the learned features (numbers in names, bracketed parts)
    contributions: dict[str, float] = field(default_factory=dict)  # feature -> weight it added
    learned: bool = False  # weighed with weights estimated from the case (core.resolve.learn)
    kind_confirmed: bool = False  # the names differ only by a kind change the case confirms (names.compare_keys)

    @property
    def score(self) -> float:
        return 1 / (1 + math.exp(-self.weight))


# (kind, what to call it, whether its value may be shown: phones and addresses belong to people, its
# family: a website and its page are one piece of evidence, as are an email and its domain)
_IDENTIFIERS = (("website", "website domain", True, "web"), ("page", "web page", True, "web"),
                ("email", "email address", False, "mail"), ("domain", "email domain", True, "mail"),
                ("phone", "phone number", False, "phone"))
_SITE_OR_MAIL = frozenset({"web", "mail", "web-weak", "mail-weak"})
_UNASKED = object()  # the pair's named branch, before anything has needed it


_NO_PLACE: frozenset[str] = frozenset()


class Scorer:
    def __init__(self, settings: ResolutionSettings, shared: SharedValues, vocab: Vocabulary = EMPTY) -> None:
        self.settings = settings
        self.shared = shared
        self.vocab = vocab
        self._place_words: dict[int, frozenset[str]] = {}
        self._place_written: dict[tuple[int, str], bool] = {}
        self._provinces: dict[int, tuple[frozenset[str], bool]] = {}  # group -> vocab.provinces_of
        w = settings.weights
        self._weight = {"website": w.website, "page": w.website, "email": w.email, "domain": w.email_domain,
                        "phone": w.phone}

    def score(self, a: Group, b: Group, names: NameVerdict | None = None) -> Scored:
        w = self.settings.weights
        names = names or compare_names(a.names, b.names, self.settings, self.vocab)  # the engine's, when it has it
        scored = Scored(w.prior + names.weight, [names.reason_for] if names.reason_for else [],
                        list(names.reasons_against), names.distinct)
        scored.levels = {"name": names.level, "web": "none", "mail": "none", "phone": "none", "province": "none",
                         "area": "none"}
        scored.fixed = names.penalty
        scored.kind_confirmed = names.kind_confirmed
        scored.contributions = {"name": names.weight - names.penalty}
        self._identifiers(a, b, scored)
        self._conflicts(a, b, scored)
        if self.learned is not None:
            self.learned.apply(scored)
        return scored

    learned = None  # a LearnedWeights once the case's own weights are estimated (core.resolve.learn)

    def _identifiers(self, a: Group, b: Group, scored: Scored) -> None:
        strong, weak = 0.0, 0.0
        found: set[str] = set()  # families with strong evidence, and "<family>-weak"
        branch = _UNASKED  # asked only of a value many organisations share: most pairs share none
        values_a, values_b, levels, contributions = a.values, b.values, scored.levels, scored.contributions
        for kind, label, show, family in _IDENTIFIERS:
            mine = values_a[kind]
            if not mine:
                continue
            theirs = values_b[kind]
            if not theirs or family in found:
                continue
            common = mine & theirs
            if not common:
                continue
            shared = self.shared[kind]
            own = sorted(v for v in common if v not in shared)
            if own:
                found.add(family)
                strong += self._weight[kind]
                levels[family] = "strong"
                contributions[family] = self._weight[kind]
                scored.reasons_for.append(f"same {label} ({own[0]})" if show else f"same {label}")
                continue
            value = min(common, key=lambda v: (shared[v], v))
            count = shared[value]
            what = f"{label} {value}" if show else f"a {label}"
            if branch is _UNASKED:
                branch = self._named_branch(a, b)
            if branch:
                # A chain's site or switchboard, and both names name the same branch's place: the
                # value no longer says "one of the chain" but "this branch of it"
                found.add(family)
                strong += self._weight[kind]
                levels[family] = "strong"
                contributions[family] = self._weight[kind]
                scored.reasons_for.append(f"both list {what}, which {count} organisations share, and both names "
                                          f"say '{branch}'")
                continue
            if family + "-weak" not in found:
                found.add(family + "-weak")
                weak += self.settings.weights.weak_value
                levels[family] = "weak"
                contributions[family] = self.settings.weights.weak_value
                scored.reasons_for.append(f"both list {what}, shared by {count} organisations (weak evidence)")
        if _SITE_OR_MAIL.isdisjoint(found):
            crossed = self._site_is_domain(a, b)
            if crossed:
                strong += self._weight["domain"]
                levels["mail"] = "strong"
                contributions["mail"] = self._weight["domain"]
                scored.reasons_for.append(f"one's website is the other's email domain ({crossed})")
        scored.weight += min(strong, self.settings.weights.identifier_cap) + weak

    def _site_is_domain(self, a: Group, b: Group) -> str | None:
        """An own website host of one that is an own email domain of the other: www.x.co.za / info@x.co.za."""
        values_a, values_b = a.values, b.values
        if not ((values_a["website"] and values_b["domain"]) or (values_a["domain"] and values_b["website"])):
            return None  # most pairs: no site on one side and domain on the other to meet
        sites, domains = self.shared["website"], self.shared["domain"]
        found = sorted(v for v in (values_a["website"] & values_b["domain"]) | (values_a["domain"] & values_b["website"])
                       if v not in sites and v not in domains)
        return found[0] if found else None

    def _named_branch(self, a: Group, b: Group) -> str | None:
        """The place words (ones the case's area column holds) of both groups' names, when they
        are the same: 'Sunrise Pharmacy Sandton' twice, not 'Springbok Motors Bellville' / 'George'."""
        if not self.vocab.places:
            return None
        words_a, words_b = self._places_named(a), self._places_named(b)
        if not words_a and not words_b:
            return None
        if words_a == words_b:
            return " ".join(sorted(words_a))
        # one of them wrote the town short or with a slip: 'Upi.' / 'Upington'
        if all(self._written_in(b, p) for p in words_a - words_b) and all(self._written_in(a, p)
                                                                            for p in words_b - words_a):
            return " ".join(sorted(words_a | words_b))
        return None

    def _written_in(self, group: Group, place: str) -> bool:
        """A word of the group's name is the place cut short or typed with a slip."""
        key = (group.idx, place)
        found = self._place_written.get(key)
        if found is None:
            found = self._place_written[key] = any(
                abbreviates(t, place, t in keys[0].dotted) or (len(t) >= 5 and typo_of(t, place))
                for _, keys in group.names for t in keys[0].tokens)
        return found

    def _places_named(self, group: Group) -> frozenset[str]:
        found = self._place_words.get(group.idx)
        if found is None:
            # most name no place: one empty set shared, not one per group (216 bytes each, ~130 MB at 1M rows)
            found = frozenset(t for _, keys in group.names for t in keys[0].tokens) & self.vocab.places or _NO_PLACE
            self._place_words[group.idx] = found
        return found

    def _conflicts(self, a: Group, b: Group, scored: Scored) -> None:
        w = self.settings.weights
        if a.provinces and b.provinces:
            scored.levels["province"] = "agree"
            if not _casefold(a.provinces) & _casefold(b.provinces):
                self._against(scored, w.province_conflict,
                              f"provinces differ ({_show(a.provinces)} / {_show(b.provinces)})", "province")
                scored.distinct = True
        elif (a.provinces or a.area_text) and (b.provinces or b.area_text) and self.vocab.town_province:
            self._town_in_other_province(a, b, scored)
        if a.areas and b.areas:
            scored.levels["area"] = "agree"
            if not a.areas & b.areas:
                self._against(scored, w.area_conflict, f"areas differ ({_show(a.area_text)} / {_show(b.area_text)})",
                              "area")
        qa, qb = a.qualifiers, b.qualifiers
        if qa and qb and not qa & qb:
            self._against(scored, w.qualifier_conflict, f"bracketed parts of the names differ ({_show(qa)} / {_show(qb)})")
            scored.fixed += w.qualifier_conflict
            scored.distinct = True  # "(Johannesburg)" / "(Bethlehem)": branches, not to be chained together
        for kind, label, weight in (("website", "websites", w.website_conflict),
                                    ("domain", "email domains", w.email_domain_conflict)):
            if not a.values[kind] or not b.values[kind] or a.values[kind] & b.values[kind]:
                continue
            own_a = [v for v in a.values[kind] if v not in self.shared[kind]]
            own_b = [v for v in b.values[kind] if v not in self.shared[kind]]
            if own_a and own_b:
                self._against(scored, weight, f"{label} differ ({_show(own_a)} / {_show(own_b)})",
                              "web" if kind == "website" else "mail")

    def _town_in_other_province(self, a: Group, b: Group, scored: Scored) -> None:
        """One row gives only its town, and the case's other rows put that town in another province
        than the other row's ('Groothoek Veterinary Clinic, Gauteng' / '..., Pinetown'): twins of one
        name in two provinces, as surely as two provinces written out."""
        province_a, town_a = self._province_of(a)
        province_b, town_b = self._province_of(b)
        if not province_a or not province_b or not _casefold(province_a).isdisjoint(_casefold(province_b)):
            return
        side_a = f"{_show(a.area_text)}, in {_show(province_a)}" if town_a else _show(a.provinces)
        side_b = f"{_show(b.area_text)}, in {_show(province_b)}" if town_b else _show(b.provinces)
        self._against(scored, self.settings.weights.province_conflict,
                      f"provinces differ ({side_a} / {side_b}, as the case's other rows place the town)", "province")
        scored.distinct = True

    def _province_of(self, group: Group) -> tuple[frozenset[str], bool]:
        found = self._provinces.get(group.idx)
        if found is None:
            found = self._provinces[group.idx] = self.vocab.provinces_of(group)
        return found

    @staticmethod
    def _against(scored: Scored, weight: float, reason: str, feature: str | None = None) -> None:
        scored.weight += weight
        scored.reasons_against.append(reason)
        if feature is not None and scored.levels.get(feature) in ("none", "agree"):
            scored.levels[feature] = "conflict"
            scored.contributions[feature] = weight


def evidence(a: Group, b: Group, scored: Scored, extra_for: list[str] | None = None,
             extra_against: list[str] | None = None) -> PairEvidence:
    """The pair as the outside world sees it: the two organisation rows, sorted."""
    first, second = sorted((a.anchor, b.anchor))
    reasons_for = [*(extra_for or []), *scored.reasons_for]
    reasons_against = [*scored.reasons_against, *(extra_against or [])]
    most = weighed_most(scored)
    explanation = "; ".join([*reasons_for, *reasons_against]) or "no evidence either way"
    if scored.learned and most:  # with the case's own weights, which evidence decided is not obvious
        explanation += f" (weighed most: {most})"
    return PairEvidence(first, second, round(scored.score, 4), reasons_for, reasons_against, explanation, most)


FEATURE_WORDS = {"name": "the names", "web": "the website", "mail": "the email", "phone": "the phone number",
                 "province": "the province", "area": "the area"}


def weighed_most(scored: Scored) -> str | None:
    """The feature that added the most weight, in words."""
    if not scored.contributions:
        return None
    feature, weight = max(scored.contributions.items(), key=lambda item: (item[1], item[0]))
    return FEATURE_WORDS.get(feature, feature) if weight > 0 else None


def _casefold(values: frozenset[str]) -> set[str]:
    return {v.casefold() for v in values}


def _show(values) -> str:
    """At most two values, so a long list does not drown the explanation."""
    ordered = sorted(values)
    return ", ".join(ordered[:2]) + (" …" if len(ordered) > 2 else "")
