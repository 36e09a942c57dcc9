"""The front of resolve works in columns (core/resolve/groups.py, shared.py, blocking.py): row groups,
shared-value counts and candidate pairs from integer codes per distinct value. They must be what the
per-row implementations they replaced gave (HEAD 2082835, kept below as the reference): every Group
attribute, each row's group, every count, every candidate pair with its flags and the capped blocks,
on a generated case read from real workbooks and on a frame of awkward cells.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from core.profiles import load_profile
from core.resolve.blocking import _CODE, _PREFIX, FLAGS, _block_keys, candidate_pairs
from core.resolve.groups import VALUE_KINDS, Group, GroupColumns, build_groups, group_columns
from core.resolve.keys import NameKeyer, fold
from core.resolve.shared import _families, shared_values
from core.resolve.vocabulary import case_vocabulary
from core.runtime import collector_paused
from tests.generators.messy_case import resolvable_records

# ---- the reference: the per-row implementation of HEAD 2082835 ----------------------------------------


def _text(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _many(value):
    if isinstance(value, (tuple, list, set, frozenset)):
        return [v for v in (_text(x) for x in value) if v]
    single = _text(value)
    return [single] if single else []


def _websites(urls):
    hosts, pages = set(), set()
    for url in urls:
        rest = url.split("://", 1)[-1].strip().lower()
        host, _, path = rest.partition("/")
        host = host.removeprefix("www.").split(":")[0]
        if not host:
            continue
        hosts.add(host)
        if path.strip("/"):
            pages.add(f"{host}/{path.strip('/')}")
    return hosts, pages


def reference_groups(records, keyer, free_mail):
    import re

    word = re.compile(r"[a-z0-9]+")
    rows = records.sort_values("record_id", kind="stable")
    ids = rows["record_id"].astype(str).tolist()
    position = {rid: i for i, rid in enumerate(ids)}
    links = [_text(v) for v in rows["link_record_id"]] if "link_record_id" in rows else [None] * len(ids)
    parent = list(range(len(ids)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, target in enumerate(links):
        if target is not None and target in position:
            ra, rb = find(i), find(position[target])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    members: dict[int, list[int]] = {}
    for i in range(len(ids)):
        members.setdefault(find(i), []).append(i)

    def anchor(rows_of):
        roots = [ids[i] for i in rows_of if links[i] is None or links[i] not in position]
        return min(roots or [ids[i] for i in rows_of])

    columns = {c: rows[c].tolist() if c in rows else [None] * len(ids)
               for c in ("organization_name", "website", "emails", "phones", "province", "area")}
    groups, group_of = [], [0] * len(ids)
    for gi, rows_of in enumerate(sorted(members.values(), key=anchor)):
        for i in rows_of:
            group_of[i] = gi
        anchor_id, record_ids = anchor(rows_of), [ids[i] for i in rows_of]
        anchor_row = rows_of[record_ids.index(anchor_id)]
        raw_names = [_text(columns["organization_name"][i]) for i in [anchor_row, *rows_of]]
        names = [(raw, keyer.keys(raw)) for raw in dict.fromkeys(n for n in raw_names if n) if keyer.keys(raw)]
        websites, emails, phones = set(), set(), set()
        for i in rows_of:
            if (site := _text(columns["website"][i])) is not None:
                websites.add(site)
            emails.update(e.lower() for e in _many(columns["emails"][i]))
            phones.update(_many(columns["phones"][i]))
        hosts, pages = _websites(websites)
        domains = {e.rsplit("@", 1)[1] for e in emails if "@" in e} - free_mail
        values = {"website": hosts, "page": pages, "email": emails, "domain": domains, "phone": phones}
        area_text = {a for i in rows_of if (a := _text(columns["area"][i]))}
        groups.append(Group(gi, anchor_id, record_ids, names, {k: frozenset(v) for k, v in values.items()},
                            frozenset(p for i in rows_of if (p := _text(columns["province"][i]))),
                            frozenset(w for a in area_text for w in word.findall(fold(a)) if len(w) > 2),
                            frozenset(area_text)))
    return groups, group_of


def reference_shared(groups, settings, vocab):
    minimum, shared, alike = settings.shared_value_min_orgs, {}, {}
    for kind in VALUE_KINDS:
        users: dict = {}
        for group in groups:
            name = group.primary.key if group.primary else f"#{group.anchor}"
            for value in group.values[kind]:
                users.setdefault(value, {})[name] = group.primary
        weak = {}
        for value, names in users.items():
            if len(names) < minimum:
                continue
            count = len(names) if len(names) > 4 * minimum else _families(names, settings, vocab, alike)
            if count >= minimum:
                weak[value] = count
        shared[kind] = weak
    return shared


def reference_block_keys(groups, settings, shared):
    def words_of(g):
        return {t for _, keys in g.names for k in keys for t in k.tokens}

    rarity = Counter(t for g in groups for t in words_of(g))
    prefix = settings.name_prefix_length
    blocks, members, kinds = [], [], []
    for g in groups:
        spelled = [key.compact for _, keys in g.names for key in keys]
        blocks += ["n:" + c for c in spelled]
        kinds += [_CODE["n"]] * len(spelled)
        if prefix:
            blocks += ["p:" + c[:prefix] for c in spelled]
            kinds += [_CODE["p"]] * len(spelled)
        rare = sorted(words_of(g), key=lambda w: (rarity[w], w))[: settings.name_block_tokens]
        blocks += ["t:" + w for w in rare]
        kinds += [_CODE["t"]] * len(rare)
        for value_kind in VALUE_KINDS:
            values = g.values[value_kind]
            blocks += [_PREFIX[value_kind] + ":" + v for v in values]
            kinds += [_CODE["x" + value_kind] if v in shared[value_kind] else _CODE["s" + value_kind] for v in values]
        members += [g.idx] * (len(blocks) - len(members))
    return blocks, members, kinds


def reference_candidates(groups, settings, shared):
    blocks, members, kinds = reference_block_keys(groups, settings, shared)
    codes = pd.factorize(pd.Series(blocks, dtype=object))[0].astype(np.int64)
    member, kind = np.asarray(members, dtype=np.int64), np.asarray(kinds, dtype=np.int64)
    _, first = np.unique(codes * (len(groups) + 1) + member, return_index=True)
    first.sort()
    codes, member, kind = codes[first], member[first], kind[first]
    rank = pd.factorize(pd.Series([g.primary.compact if g.primary else "" for g in groups]), sort=True)[0]
    order = np.lexsort((member, rank[member], codes))
    codes, member, kind = codes[order], member[order], kind[order]
    counts = np.bincount(codes)
    size = counts[codes]
    pairs = []
    reach = max(settings.max_block_size - 1, settings.neighbourhood_window)
    for d in range(1, min(reach, len(codes) - 1) + 1):
        same = codes[:-d] == codes[d:]
        if not same.any():
            break
        allowed = same & ((size[:-d] <= settings.max_block_size) | (d <= settings.neighbourhood_window))
        idx = np.flatnonzero(allowed)
        pairs.append((member[idx], member[idx + d], kind[idx]))
    left, right = np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])
    kind_of_pair = np.concatenate([p[2] for p in pairs])
    a, b = np.minimum(left, right), np.maximum(left, right)
    keys, which = np.unique(a * len(groups) + b, return_inverse=True)
    flags = {}
    for flag in FLAGS:
        hit = np.zeros(len(keys), dtype=bool)
        hit[which[kind_of_pair == _CODE[flag]]] = True
        flags[flag] = hit
    big = {int(c) for c in np.flatnonzero(counts > settings.max_block_size)}
    return keys // len(groups), keys % len(groups), flags, int((counts > 1).sum()), big, counts


# ---- the cases ---------------------------------------------------------------------------------------


def _awkward() -> pd.DataFrame:
    rows = [  # record_id, link, name, website, emails, phones, province, area
        ("b-2", "a-1", "Acme (Pty) Ltd", "https://www.Acme.co.za/", ("Info@Acme.co.za", "info@acme.co.za"), ("+27 11",),
         " Gauteng ", "Pretoria East"),
        ("a-1", None, "ACME PTY LTD", "acme.co.za/about/", ("x@",), (1,), "Gauteng", "of the"),
        ("c-3", " a-1 ", "  ", None, "solo@gmail.com", (1.0,), None, None),  # link with spaces, one email as text
        ("d-4", "c-3", None, "http://:80/x", (), (True,), pd.NA, pd.NA),  # a chain: d -> c -> a; empty host
        ("e-5", "zz-missing", "()", float("nan"), ["list@acme.co.za"], None, "Gauteng", "Rand"),
        ("f-6", "f-6", "Beta t/a Gamma", "gamma.co.za", frozenset({"a@gamma.co.za", "b@gamma.co.za"}), ("+2721",),
         "Western Cape", "Cape Town"),
        ("g-7", pd.NA, "Gamma", "GAMMA.co.za", (None, "", " a@gamma.co.za "), ("+2721", "+2721"), None, "CAPE town"),
        ("h-8", None, "The", "dir.co.za/listing/h", ("h@dir.co.za",), ("+2731",), None, None),
        ("i-9", None, "Caf\u00e9 Delta", "dir.co.za/listing/i", ("i@dir.co.za",), ("+2731",), None, None),
        ("j-10", "i-9", "Cafe Delta CC", None, ("i@dir.co.za",), (), "KwaZulu-Natal", None),
        ("k-11", None, "Delta Cafe", "dir.co.za", ("k@dir.co.za",), ("+2731",), None, None),
        ("l-12", None, "Epsilon", "dir.co.za/listing/l", ("l@dir.co.za",), ("+2731",), None, None),
    ]
    frame = pd.DataFrame(rows, columns=["record_id", "link_record_id", "organization_name", "website", "emails",
                                        "phones", "province", "area"])
    frame["organization_name"] = frame["organization_name"].astype("string")
    return frame


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> pd.DataFrame:
    return resolvable_records(tmp_path_factory.mktemp("columns") / "messy-3k", 3_000, seed=21)


def _fields(group: Group) -> tuple:
    return (group.idx, group.anchor, group.record_ids, group.names, group.values, group.provinces, group.areas,
            group.area_text, group.qualifiers, group.primary)


def _check(records: pd.DataFrame) -> None:
    settings = load_profile("generic").resolution
    free_mail = {d.lower() for d in settings.free_mail_domains}
    with collector_paused():
        groups, group_of = build_groups(records, NameKeyer(settings), free_mail)
        expected, expected_of = reference_groups(records, NameKeyer(settings), free_mail)
        assert group_of == expected_of
        assert [_fields(g) for g in groups] == [_fields(g) for g in expected]

        vocab = case_vocabulary(groups, settings.common_word_share, settings.common_word_min)
        shared = shared_values(groups, settings, vocab)
        assert shared == reference_shared(expected, settings, vocab)
        assert shared_values(list(groups), settings, vocab) == shared  # read from the Group objects

        # The same blocks (by their members and kind; the numbering of blocks is free)
        blocks: dict = {}
        for c, m, k in zip(*(x.tolist() for x in _block_keys(groups, settings, shared))):
            blocks.setdefault(c, set()).add((m, k))
        old: dict = {}
        for b, m, k in zip(*reference_block_keys(expected, settings, shared)):
            old.setdefault(b, set()).add((m, k))
        assert sorted(map(sorted, blocks.values())) == sorted(map(sorted, old.values()))

        candidates = candidate_pairs(groups, settings, shared)
        a, b, flags, count, big, sizes = reference_candidates(expected, settings, shared)
        assert np.array_equal(candidates.a, a) and np.array_equal(candidates.b, b)
        assert {f: v.tolist() for f, v in candidates.flags.items()} == {f: v.tolist() for f, v in flags.items()}
        assert candidates.blocks == count
        assert sorted(n for _, n in candidates.capped) == sorted(int(sizes[c]) for c in big)
        plain = candidate_pairs(list(groups), settings, shared)  # codes read from the Group objects
        assert np.array_equal(plain.a, a) and np.array_equal(plain.b, b) and plain.capped == candidates.capped


def test_the_columns_give_the_groups_counts_and_pairs_of_the_per_row_code(generated) -> None:
    _check(generated)


def test_pairs_made_in_many_chunks_are_the_pairs_made_at_once(generated, monkeypatch) -> None:
    import core.resolve.blocking as blocking

    monkeypatch.setattr(blocking, "_CHUNK", 997)  # a pair met through two blocks lands in two chunks
    _check(generated)


def test_awkward_cells_give_what_the_per_row_code_gave() -> None:
    _check(_awkward())


def test_the_kept_codes_hold_the_groups_own_sets(generated) -> None:
    settings = load_profile("generic").resolution
    with collector_paused():
        groups, _ = build_groups(generated, NameKeyer(settings), set())
    kept, read = group_columns(groups), GroupColumns.of_groups(list(groups))
    assert kept is groups.columns

    def as_sets(table):
        return [{table.vocabulary[c] for c in table.flat[table.offsets[g]:table.offsets[g + 1]]}
                for g in range(table.owners)]

    for kind in VALUE_KINDS:
        assert as_sets(kept.values[kind]) == as_sets(read.values[kind]) == [g.values[kind] for g in groups]
    assert as_sets(kept.spellings) == as_sets(read.spellings)
    assert as_sets(kept.words) == as_sets(read.words)
