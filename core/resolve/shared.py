"""Values that many organisations share — a directory site, a chain's switchboard, info@ of a
group — say little about whether two rows are one organisation. Count, for every website,
page, email, email domain and phone, how many differently named organisations list it.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from core.resolve.groups import VALUE_KINDS, Group
from core.resolve.keys import NameKey
from core.resolve.names import one_organisation_by_name
from core.resolve.settings import ResolutionSettings
from core.resolve.vocabulary import Vocabulary, case_vocabulary

SharedValues = dict[str, dict[str, int]]  # kind -> value -> organisations listing it (only the shared ones)


def shared_values(groups: list[Group], settings: ResolutionSettings, vocab: Vocabulary | None = None) -> SharedValues:
    minimum = settings.shared_value_min_orgs
    shared: SharedValues = {}
    alike: dict[tuple[str, str], bool] = {}  # one organisation's names meet again under each kind of value
    for kind in VALUE_KINDS:
        users: dict[str, dict[str, NameKey | None]] = {}
        for group in groups:
            name = group.primary.key if group.primary else f"#{group.anchor}"
            for value in group.values[kind]:
                users.setdefault(value, {})[name] = group.primary
        weak = {}
        for value, names in users.items():
            if len(names) < minimum:
                continue
            # Spelling variants of one name are one organisation; fold them only where the
            # count is near the limit, as far above it the value is shared whatever we fold.
            if len(names) <= 4 * minimum and vocab is None:
                vocab = case_vocabulary(groups, settings.common_word_share, settings.common_word_min)
            count = len(names) if len(names) > 4 * minimum else _families(names, settings, vocab, alike)
            if count >= minimum:
                weak[value] = count
        shared[kind] = weak
    return shared


def _families(names: dict[str, NameKey | None], settings: ResolutionSettings, vocab: Vocabulary,
              alike: dict[tuple[str, str], bool]) -> int:
    """Names left after joining those that differ only by spelling, words cut short or kind
    words: one organisation in four workbooks is not four (connected components)."""
    ordered = sorted(names)
    parent = list(range(len(ordered)))
    near = settings.near_similarity * 100

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, left in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            if find(i) == find(j):
                continue
            same = alike.get((left, ordered[j]))
            if same is None:
                ka, kb = names[left], names[ordered[j]]
                same = alike[(left, ordered[j])] = fuzz.token_sort_ratio(left, ordered[j]) >= near or (
                    ka is not None and kb is not None and one_organisation_by_name(ka, kb, settings, vocab))
            if same:
                parent[find(j)] = find(i)
    return len({find(i) for i in range(len(ordered))})
