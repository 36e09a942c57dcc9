"""The back of resolve made fast gives what the plain per-row rules gave.

Organisation ids (identity.assign_ids) and the order links are joined in (engine._best_first) were
rewritten over sorted arrays; each is checked here against the plain rules they replaced, on many
random cases: new ids, kept ids, merges, splits and rows gone, and links tied on weight.
"""

from __future__ import annotations

import random

import pandas as pd
import pytest

from core.resolve.blocking import name_ranks
from core.resolve.engine import _best_first, _content
from core.resolve.groups import build_groups
from core.resolve.identity import MEMBER_CHARS, _new_id, _new_slug, _present, assign_ids, content_keys
from core.resolve.keys import NameKeyer
from core.resolve.settings import ResolutionSettings
from core.survivorship import slugify

NAMES = ["Acme Aviation", "ACME Aviation (Pty) Ltd", "Blue Sky Charters", "Karoo Air", "Karoo Air Services",
         "Lanseria Flight School", "Skyline", "Skyline Charters", "Zulu Aero", ""]
PROVINCES = ["Gauteng", "Western Cape", None]


def records(rng: random.Random, n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "record_id": [f"r{rng.randrange(10**6):06d}-{i}" for i in range(n)],
        "organization_name": [rng.choice(NAMES) for _ in range(n)],
        "website": [rng.choice(["acme.co.za", "karoo.aero", None]) for _ in range(n)],
        "emails": [tuple(rng.sample(["a@acme.co.za", "ops@karoo.aero", "x@gmail.com"], rng.randrange(3)))
                   for _ in range(n)],
        "phones": [tuple(rng.sample(["+27110000001", "+27210000002"], rng.randrange(3))) for _ in range(n)],
        "province": [rng.choice(PROVINCES) for _ in range(n)],
    })


def per_row_ids(records, cluster_ids, names, previous_index, run_id=""):
    """assign_ids as it was written before it was made fast: one row, one cluster at a time."""
    keys = [k[:MEMBER_CHARS] for k in content_keys(records)]
    record_ids = records["record_id"].astype(str).tolist()
    count = len(names)
    members = [[] for _ in range(count)]
    for cluster, key, rid in zip(cluster_ids, keys, record_ids):
        members[int(cluster)].append((key, rid))
    previous = list((previous_index or {}).get("organisations", []))
    owner = {}
    for position, org in enumerate(previous):
        for member in org.get("members", []):
            owner.setdefault(member[0] if isinstance(member, list) else member, position)
    candidates = []
    for cluster, rows in enumerate(members):
        overlap = {}
        for key in {k for k, _ in rows}:
            if key in owner:
                overlap[owner[key]] = overlap.get(owner[key], 0) + 1
        candidates += [(-shared, position, cluster) for position, shared in overlap.items()]
    kept, taken = {}, set()
    for _, position, cluster in sorted(candidates):
        if cluster not in kept and position not in taken:
            kept[cluster] = position
            taken.add(position)
    retired_before = list((previous_index or {}).get("retired", []))
    used_slugs = {org["slug"] for org in previous} | {r["slug"] for r in retired_before}
    used_ids = {org["id"] for org in previous} | {r["id"] for r in retired_before}
    ids, slugs = [""] * count, [""] * count
    for cluster, position in kept.items():
        ids[cluster], slugs[cluster] = previous[position]["id"], previous[position]["slug"]
    split_from, in_use = {}, {slugs[c] for c in kept}
    for cluster in range(count):
        if cluster in kept:
            continue
        keys_of = sorted(k for k, _ in members[cluster]) or [str(cluster)]
        ids[cluster] = _new_id([keys_of[0], "|".join(keys_of)], used_ids)
        used_ids.add(ids[cluster])
        slugs[cluster] = _new_slug(slugify(names[cluster] if _present(names[cluster]) else "organisation"),
                                   in_use, used_slugs)
        in_use.add(slugs[cluster])
        origins = sorted({owner[k] for k, _ in members[cluster] if k in owner})
        if origins:
            split_from[ids[cluster]] = previous[origins[0]]["id"]
    went_to = {}
    for cluster, rows in enumerate(members):
        for key, _ in rows:
            if key in owner:
                went_to.setdefault(owner[key], set()).add(ids[cluster])
    retired = []
    for position, org in enumerate(previous):
        if position not in taken:
            into = sorted(went_to.get(position, ()))
            retired.append((org["id"], org["slug"], "merged" if into else "rows gone", into[0] if into else None))
    organisations = [{"id": ids[c], "slug": slugs[c], "members": sorted([k, r] for k, r in members[c])}
                     for c in range(count)]
    return ids, slugs, retired, split_from, organisations


def clustering(rng: random.Random, n: int) -> list[int]:
    count = rng.randrange(1, n + 1)
    clusters = [rng.randrange(count) for _ in range(n)]
    used = sorted(set(clusters))  # numbered 0.. with none empty, as resolve numbers them
    return [used.index(c) for c in clusters]


@pytest.mark.parametrize("seed", range(40))
def test_ids_slugs_and_retirements_are_those_of_the_per_row_rules(seed: int) -> None:
    rng = random.Random(seed)
    first = records(rng, rng.randrange(1, 40))
    clusters = clustering(rng, len(first))
    names = [rng.choice(NAMES) for _ in range(max(clusters) + 1)]
    before = assign_ids(first, clusters, names, None, "one")
    expected = per_row_ids(first, clusters, names, None)
    assert (before.ids, before.slugs, [o for o in before.index["organisations"]]) == \
        (expected[0], expected[1], expected[4])
    # the next run: some rows gone, some new, the rest clustered anew (merges and splits)
    second = pd.concat([first.sample(frac=0.7, random_state=seed), records(rng, rng.randrange(0, 15))])
    clusters = clustering(rng, len(second))
    names = [rng.choice(NAMES) for _ in range(max(clusters) + 1)]
    after = assign_ids(second, clusters, names, before.index, "two")
    ids, slugs, retired, split_from, organisations = per_row_ids(second, clusters, names, before.index)
    assert after.ids == ids and after.slugs == slugs and after.split_from == split_from
    assert [(r.id, r.slug, r.reason, r.into) for r in after.retired] == retired
    assert after.index["organisations"] == organisations


@pytest.mark.parametrize("seed", range(20))
def test_links_tied_on_weight_are_taken_in_the_order_of_what_their_rows_say(seed: int) -> None:
    rng = random.Random(seed)
    rows = records(rng, 60)
    groups, _ = build_groups(rows, NameKeyer(ResolutionSettings()), set())
    pairs = {(a, b) for a in range(len(groups)) for b in range(a + 1, len(groups)) if rng.random() < 0.2}
    band = [(rng.choice([0.5, 1.25, 2.0000000001, 2.0]), a, b) for a, b in sorted(pairs)]
    rng.shuffle(band)
    content = {g: _content(groups[g]) for _, a, b in band for g in (a, b)}
    expected = sorted(band, key=lambda item: (-round(item[0], 9), *sorted((content[item[1]], content[item[2]])),
                                              item[1], item[2]))
    assert _best_first(groups, band) == expected
    assert _best_first(groups, band, name_ranks(groups)) == expected  # with blocking's order of the names
