"""Values that many organisations share — a directory site, a chain's switchboard, info@ of a
group — say little about whether two rows are one organisation. Count, for every website,
page, email, email domain and phone, how many differently named organisations list it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from core.resolve.groups import VALUE_KINDS, Group, distinct_sorted, group_columns
from core.resolve.keys import NameKey
from core.resolve.names import one_organisation_by_name
from core.resolve.settings import ResolutionSettings
from core.resolve.vocabulary import Vocabulary, case_vocabulary

SharedValues = dict[str, dict[str, int]]  # kind -> value -> organisations listing it (only the shared ones)


def shared_values(groups: list[Group], settings: ResolutionSettings, vocab: Vocabulary | None = None) -> SharedValues:
    minimum = settings.shared_value_min_orgs
    shared: SharedValues = {}
    alike: dict[tuple[str, str], bool] = {}  # one organisation's names meet again under each kind of value
    # A chain's names meet again under its website, email, domain and phone: with `alike` shared, the
    # families of one set of names are the same whichever value they list (the NameKeys only feed `alike`)
    families_of: dict[tuple[str, ...], int] = {}
    columns = group_columns(groups)
    # Each group's name ("#anchor" when it has none) as a code, so (value, name) pairs are integers
    name_code, names_of = pd.factorize(pd.Series(
        [g.primary.key if g.primary else f"#{g.anchor}" for g in groups], dtype=object))
    name_text = np.asarray(names_of, dtype=object).tolist()
    width = max(len(name_text), 1)
    for kind in VALUE_KINDS:
        sets = columns.values[kind]
        # (value, name) once each, with the last group listing them (its NameKey stands for the name)
        pair = sets.flat * width + name_code[sets.owner]
        order = np.lexsort((sets.owner, pair))
        pair, owner = pair[order], sets.owner[order]
        last = np.flatnonzero(np.append(pair[1:] != pair[:-1], True)) if len(pair) else pair
        value_of = pair[last] // width
        count = np.bincount(value_of, minlength=len(sets.vocabulary))
        weak = {}
        for code in np.flatnonzero(count >= minimum).tolist():
            value = sets.vocabulary[code]
            if count[code] > 4 * minimum:
                weak[value] = int(count[code])
                continue
            rows = last[np.searchsorted(value_of, code):np.searchsorted(value_of, code, side="right")]
            listed = (pair[rows] % width).tolist()
            known = tuple(sorted(name_text[p] for p in listed))
            # Spelling variants of one name are one organisation; fold them only where the
            # count is near the limit, as far above it the value is shared whatever we fold.
            families = families_of.get(known)
            if families is None:
                names = {name_text[p]: groups[g].primary for p, g in zip(listed, owner[rows].tolist())}
                if vocab is None:
                    vocab = case_vocabulary(groups, settings.common_word_share, settings.common_word_min)
                families = families_of[known] = _families(names, settings, vocab, alike)
            if families >= minimum:
                weak[value] = families
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
