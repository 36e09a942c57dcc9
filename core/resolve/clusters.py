"""Joining groups into organisations without chaining.

Strong links are applied best first. Two clusters join only if no member of one is clearly a
different organisation from a member of the other (a different province, area or website, another
place or number in the name, bracketed parts that differ, words that name it) — so "Acme Durban" ~
"Acme" ~ "Acme Cape Town" stops at the second link. Names that differ only by what clerks do to
one name (names._slips_or_kinds: 'Ersm and Radebe' / 'ERAMUS AND RADEBE') are no such sign.
A pair the operator rejected never ends up in one cluster, directly or through a third group, nor
through pairs the operator approved: a cannot-link wins over a must-link.

What two whole clusters list is weighed too (`own_values_differ`): one organisation's rows lend
each other their websites and phones, so a name-only link between two rows can be checked against
everything both organisations have.
"""

from __future__ import annotations

from collections.abc import Callable

from core.resolve.groups import Group
from core.resolve.scoring import Scored
from core.resolve.shared import SharedValues
from core.resolve.vocabulary import FILLER

# An organisation's own values by kind. Not web pages: a directory gives each listing a page of
# its own, so a page would read as an own value of every organisation a directory lists.
OWN_SITES = ("website", "domain")
OWN_LINES = (*OWN_SITES, "phone")


class Clusters:
    def __init__(self, groups: list[Group], score: Callable[[int, int], Scored], match_logit: float,
                 max_checks: int, shared: SharedValues | None = None) -> None:
        self.groups = groups
        self.shared = shared
        self.parent = list(range(len(groups)))
        # Each joined cluster's members, by its root; a group alone is not listed (`_members`): at 1M
        # rows most of ~770k groups stay alone, and a list each held ~100 MB at clustering's peak
        self.members: dict[int, list[int]] = {}
        self.rejected: dict[int, set[int]] = {}
        self._score = score
        self._match_logit = match_logit
        self._max_checks = max_checks

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def forbid(self, a: int, b: int) -> None:
        self.rejected.setdefault(a, set()).add(b)
        self.rejected.setdefault(b, set()).add(a)

    def force(self, a: int, b: int) -> bool:
        """An operator's approval: joins whatever the evidence says. False if already joined, or if
        another decision keeps a row of one apart from a row of the other (keeping apart wins: a wrong
        merge hides an organisation, a wrong split only asks again)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self._rejected_between(ra, rb):
            return False
        self._union(ra, rb)
        return True

    def try_join(self, a: int, b: int) -> tuple[int, int] | None | bool:
        """True when joined, False when already together or rejected, else the pair that blocks it."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self._rejected_between(ra, rb):
            return False
        blocker = self._blocker(ra, rb)
        if blocker is not None:
            return blocker
        self._union(ra, rb)
        return True

    def own_values_differ(self, a: int, b: int, kinds: tuple[str, ...] = OWN_LINES) -> bool:
        """Both clusters list their own value of one of `kinds` (say websites), none in common, and
        share no own website, email domain or phone either: two organisations, not one. Values many
        organisations share (directories, switchboards, free mail) belong to no one and count for nothing."""
        own_a, own_b = self._own(self.find(a)), self._own(self.find(b))
        if not own_a["website"].isdisjoint(own_b["domain"]) or not own_b["website"].isdisjoint(own_a["domain"]):
            return False  # one's website is the other's mail domain
        if any(not own_a[kind].isdisjoint(own_b[kind]) for kind in OWN_LINES):
            return False
        return any(own_a[kind] and own_b[kind] for kind in kinds)

    def _own(self, root: int) -> dict[str, set[str]]:
        """The cluster's own values of each of OWN_LINES (phones: of its organisation rows)."""
        shared = self.shared or {}
        members = [self.groups[m] for m in self._members(root)]
        own = {kind: {v for g in members for v in (g.lines if kind == "phone" else g.values[kind])
                      if v not in shared.get(kind, ())} for kind in OWN_LINES}
        if own["website"] or own["domain"]:
            # A site or mail domain that names none of the organisation's words may be a parent's, an
            # agent's or a slip ('360 Aviation' listed at itoo.co.za, its insurer): it proves nothing apart
            words = {t for g in members for _, keys in g.names for t in keys[0].tokens
                     if len(t) >= 3 and t not in FILLER}
            for kind in OWN_SITES:
                own[kind] = {v for v in own[kind] if any(word in v for word in words)}
        return own

    def _union(self, ra: int, rb: int) -> None:
        keep, gone = (ra, rb) if len(self._members(ra)) >= len(self._members(rb)) else (rb, ra)
        self.parent[gone] = keep
        self.members.setdefault(keep, [keep]).extend(self.members.pop(gone, [gone]))

    def _members(self, root: int) -> list[int]:
        return self.members.get(root) or [root]

    def rejected_between(self, a: int, b: int) -> bool:
        """Whether the operator rejected a pair whose rows are now in a's and b's clusters."""
        return self._rejected_between(self.find(a), self.find(b))

    def _rejected_between(self, ra: int, rb: int) -> bool:
        if not self.rejected:
            return False
        small, other = (ra, rb) if len(self._members(ra)) <= len(self._members(rb)) else (rb, ra)
        return any(self.find(r) == other for g in self._members(small) for r in self.rejected.get(g, ()))

    def _blocker(self, ra: int, rb: int) -> tuple[int, int] | None:
        for x in self._representatives(ra):
            for y in self._representatives(rb):
                scored = self._score(x, y)
                if scored.distinct and scored.weight < self._match_logit:
                    return (x, y)
        return None

    def _representatives(self, root: int) -> list[int]:
        """Members that differ in name or province; a big cluster is checked through these."""
        members = sorted(self._members(root))
        if len(members) <= self._max_checks:
            return members
        seen, chosen = set(), []
        for m in members:
            g = self.groups[m]
            signature = (g.primary.compact if g.primary else "", g.provinces)
            if signature not in seen:
                seen.add(signature)
                chosen.append(m)
        return chosen[: self._max_checks]
