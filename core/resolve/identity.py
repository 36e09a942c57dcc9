"""Who a row is, by what it says, and organisation ids that last from one run of a case to the next.

A row's content key hashes what the row says about its organisation (name, identifier, website,
emails, phones, province, area, address, contact name), never its file, sheet or row number: a
re-sorted sheet, an added column or a re-exported file leaves it as it was. Review decisions and
organisation ids are both keyed by it.

An organisation keeps its id and slug while it keeps rows it had: each new cluster takes the id of
the previous organisation it shares most rows with. A merge retires the ids it absorbed; a split
keeps the id for the larger part and gives the other part a new one. The state for this lives in
`organisations-index.json` beside the case's outputs.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

KEY_FIELDS = ("organization_name", "organization_id", "website", "emails", "phones", "province", "area",
              "address", "contact_name")
INDEX_NAME = "organisations-index.json"
INDEX_VERSION = 1
MEMBER_CHARS = 16  # of a content key, kept in the index: 64 bits, plenty for one case
_WORD = re.compile(r"[a-z0-9]+")


def fold(value: Any) -> str:
    """Lower-case ASCII words: 'ACME  Aviation (Pty)' and 'Acme Aviation (PTY)' fold alike."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode().lower()
    return " ".join(_WORD.findall(text))


def _column(records, field: str):
    """One field of every row as key text (arrow): lists sorted and joined, text folded as `fold` does."""
    import pyarrow as pa

    if field not in records:
        return pa.scalar("", pa.large_string())
    column = records[field]
    if field in ("emails", "phones"):  # normalised already: only their order may differ
        joined = _joined_lists(column)
        if joined is not None:
            return joined
        return pa.array(column.map(
            lambda v: ",".join(sorted({str(x) for x in v})) if isinstance(v, (tuple, list, set, frozenset))
            else ("" if v is None or v is pd.NA or v != v else str(v))).tolist(), pa.large_string())
    text = column.astype("string").fillna("")
    other = ~text.str.isascii().to_numpy(dtype=bool)
    if other.any():
        # what encoding to ASCII ignoring the rest drops, for the rows that are not ASCII already
        text = text.copy()
        text[other] = text[other].str.normalize("NFKD").str.replace(r"[^\x00-\x7f]", "", regex=True)
    import pyarrow.compute as pc

    arrow = pa.array(text, type=pa.large_string(), from_pandas=True)
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    # ASCII by now: lower-casing and trimming spaces are what Python's lower and strip do to it
    return pc.utf8_trim(pc.replace_substring_regex(pc.ascii_lower(arrow), r"[^a-z0-9]+", " "), " ")


def _joined_lists(column: pd.Series):
    """Each row's tuple of text, distinct values sorted and joined with ",", missing as "" (arrow);
    None when a cell is anything else (then each is made text as it always was)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    values = column.tolist()
    if not all(type(v) is tuple or v is None or v is pd.NA or (type(v) is float and v != v) for v in values):
        return None
    try:
        lists = pa.array(values, type=pa.large_list(pa.large_string()), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # an item that is not text
        return None
    flat = pc.list_flatten(lists)
    if len(flat) == 0:
        return pa.array(np.full(len(values), "", dtype=object), pa.large_string())
    parent = pc.list_parent_indices(lists)
    # Sorted by (row, value): code point order, as Python sorts text; equal neighbours dropped
    order = pc.sort_indices(pa.table({"row": parent, "value": flat}),
                            sort_keys=[("row", "ascending"), ("value", "ascending")])
    rows, items = parent.take(order).to_numpy(), flat.take(order)
    keep = np.ones(len(rows), dtype=bool)
    keep[1:] = (rows[1:] != rows[:-1]) | pc.not_equal(items.slice(1), items.slice(0, len(items) - 1)).to_numpy(
        zero_copy_only=False)
    rows, items = rows[keep], items.filter(pa.array(keep))
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(values)), out=offsets[1:])
    return pc.binary_join(pa.LargeListArray.from_arrays(pa.array(offsets), items), pa.scalar(",", pa.large_string()))


def content_keys(records) -> list[str]:
    """One 40-hex key per row of `records`, in row order (vectorised: ~0.3 s for 100,000 rows)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(records) == 0:
        return []
    columns = [_column(records, f) for f in KEY_FIELDS]
    joined = pc.binary_join_element_wise(*columns, pa.scalar("\x1f", pa.large_string()))
    if isinstance(joined, pa.Scalar):  # no field present at all
        joined = pa.array([joined.as_py()] * len(records), pa.large_string())
    sha1 = hashlib.sha1
    return [sha1(row).hexdigest() for row in joined.cast(pa.large_binary()).to_pylist()]


def keys_by_record(records, record_ids: set[str] | None = None) -> dict[str, str]:
    """record_id -> content key, for the rows named (all rows when None)."""
    if record_ids is not None:
        records = records[records["record_id"].astype(str).isin(record_ids)]
    return dict(zip(records["record_id"].astype(str), content_keys(records)))


# -- organisation ids -----------------------------------------------------------------------------

@dataclass
class Retired:
    id: str
    slug: str
    reason: str  # "merged" | "rows gone"
    into: str | None = None  # the id that absorbed it, for a merge


@dataclass
class Identity:
    ids: list[str]  # per cluster number 0..n-1
    slugs: list[str]
    retired: list[Retired] = field(default_factory=list)
    split_from: dict[str, str] = field(default_factory=dict)  # new id -> the id it was split from
    index: dict = field(default_factory=dict)  # what the next run reads


def assign_ids(records, cluster_ids: Sequence[int], names: Sequence[Any], previous_index: Mapping | None,
               run_id: str = "") -> Identity:
    """Ids and slugs for clusters 0..n-1 (`names[c]` is cluster c's organisation name)."""
    import numpy as np

    count = len(names)
    # Rows in order of (cluster, key, record_id): each cluster's members are a slice, sorted as the index keeps them
    keys = np.array([k[:MEMBER_CHARS] for k in content_keys(records)], dtype=object)
    record_ids = np.array(records["record_id"].astype(str).tolist(), dtype=object)
    clusters = np.asarray(cluster_ids, dtype=np.int64).reshape(len(keys))
    order = _order(clusters, keys, record_ids)
    keys, record_ids, clusters = keys[order], record_ids[order], clusters[order]
    bounds = np.searchsorted(clusters, np.arange(count + 1)).tolist()
    keys_list, rids_list = keys.tolist(), record_ids.tolist()

    previous = list((previous_index or {}).get("organisations", []))
    owner: dict[str, int] = {}
    for position, org in enumerate(previous):
        for member in org.get("members", []):
            owner.setdefault(member[0] if isinstance(member, list) else member, position)
    # Per row, the previous organisation that held its key (-1: none); each key counted once per cluster
    owned = np.fromiter((owner.get(k, -1) for k in keys_list), dtype=np.int64, count=len(keys_list)) if owner \
        else np.full(len(keys_list), -1, dtype=np.int64)
    first_of_key = np.ones(len(keys_list), dtype=bool)
    first_of_key[1:] = (clusters[1:] != clusters[:-1]) | (keys[1:] != keys[:-1])
    counted = np.flatnonzero(first_of_key & (owned >= 0))
    candidates = []
    if len(counted):
        pairs = pd.DataFrame({"cluster": clusters[counted], "position": owned[counted]})
        overlap = pairs.groupby(["cluster", "position"], sort=False).size()
        candidates = sorted(zip((-overlap.to_numpy()).tolist(), overlap.index.get_level_values(1).tolist(),
                                overlap.index.get_level_values(0).tolist()))
    kept: dict[int, int] = {}  # cluster -> previous position
    taken: set[int] = set()
    for _, position, cluster in candidates:  # most rows shared first: the larger part keeps the id
        if cluster not in kept and position not in taken:
            kept[cluster] = position
            taken.add(position)

    retired_before = list((previous_index or {}).get("retired", []))
    used_slugs = {org["slug"] for org in previous} | {r["slug"] for r in retired_before}
    used_ids = {org["id"] for org in previous} | {r["id"] for r in retired_before}
    ids, slugs = [""] * count, [""] * count
    for cluster, position in kept.items():
        ids[cluster], slugs[cluster] = previous[position]["id"], previous[position]["slug"]
    split_from: dict[str, str] = {}
    in_use = {slugs[c] for c in kept}
    fresh = [cluster for cluster in range(count) if cluster not in kept]
    # Each new organisation's id from its first row's key and its slug from its name, all at once;
    # taken one by one, in cluster order, so a clash resolves as it always did.
    firsts = [keys_list[bounds[c]] if bounds[c] < bounds[c + 1] else str(c) for c in fresh]
    first_ids = [f"org-{hashlib.sha1(seed.encode('utf-8')).hexdigest()[:10]}" for seed in firsts]
    bases = _slug_bases([names[c] for c in fresh])
    for cluster, first_id, base in zip(fresh, first_ids, bases):
        start, end = bounds[cluster], bounds[cluster + 1]
        if first_id in used_ids:
            keys_of = keys_list[start:end] or [str(cluster)]  # sorted already
            first_id = _new_id([keys_of[0], lambda keys_of=keys_of: "|".join(keys_of)], used_ids)
        ids[cluster] = first_id
        used_ids.add(first_id)
        slugs[cluster] = base if base not in in_use and base not in used_slugs else _new_slug(base, in_use, used_slugs)
        in_use.add(slugs[cluster])
        if owner:
            origins = owned[start:end]
            origins = origins[origins >= 0]
            if len(origins):
                split_from[ids[cluster]] = previous[int(origins.min())]["id"]

    went_to: dict[int, set[str]] = {}  # previous position -> ids of the clusters its rows are in now
    for position, cluster in zip(owned[counted].tolist(), clusters[counted].tolist()):
        went_to.setdefault(position, set()).add(ids[cluster])
    retired = []
    for position, org in enumerate(previous):
        if position in taken:
            continue
        into = sorted(went_to.get(position, ()))
        retired.append(Retired(org["id"], org["slug"], "merged" if into else "rows gone", into[0] if into else None))

    members = [list(pair) for pair in zip(keys_list, rids_list)]
    index = {
        "version": INDEX_VERSION,
        "run_id": run_id,
        "organisations": [{"id": ids[c], "slug": slugs[c], "members": members[bounds[c]:bounds[c + 1]]}
                          for c in range(count)],
        "retired": retired_before + [{**r.__dict__, "run_id": run_id} for r in retired],
    }
    return Identity(ids, slugs, retired, split_from, index)


def _order(clusters, keys, record_ids):
    """The stable order of rows by (cluster, key, record id), text in code point order as Python sorts it."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        table = pa.table({"cluster": clusters, "key": pa.array(keys, pa.large_string()),
                          "record": pa.array(record_ids, pa.large_string())})
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):  # text arrow cannot hold (lone surrogates)
        return np.lexsort((_ranks(record_ids), _ranks(keys), clusters))
    # UTF-8 bytes sort as their code points do, and arrow's sort is stable as lexsort is
    return pc.sort_indices(table, sort_keys=[("cluster", "ascending"), ("key", "ascending"),
                                             ("record", "ascending")]).to_numpy()


def _ranks(values):
    """Each value's place in sorted order (equal values, equal places), as integers to sort by."""
    import numpy as np

    return np.unique(values, return_inverse=True)[1].astype(np.int64).reshape(len(values))


def _slug_bases(names: list) -> list[str]:
    """slugify(name), or of "organisation" when there is none, for every name (as column operations)."""
    from core.survivorship import _slugs  # slugify as column operations: one slug rule for every organisation

    present = [name if _present(name) else "organisation" for name in names]
    return _slugs(pd.Series(present, dtype=object)).tolist() if present else []


def _present(value: Any) -> bool:
    return not (value is None or value is pd.NA or (isinstance(value, float) and value != value) or str(value) == "")


def _new_id(seeds: list, used: set[str]) -> str:
    """From the organisation's first row, so a case refined afresh gets the same ids; from all its rows
    when that one is taken (a part split off keeps the first row of the organisation it left)."""
    seeds = list(seeds)
    for i, seed in enumerate(seeds):
        seed = seeds[i] = seed() if callable(seed) else seed  # all rows' keys joined only when needed
        candidate = f"org-{hashlib.sha1(seed.encode('utf-8')).hexdigest()[:10]}"
        if candidate not in used:
            return candidate
    digest = hashlib.sha1("|".join(seeds).encode("utf-8")).hexdigest()
    for width in range(11, 41):
        if (candidate := f"org-{digest[:width]}") not in used:
            return candidate
    return f"org-{digest}-{len(used)}"  # pragma: no cover - 40 colliding prefixes


def _new_slug(base: str, in_use: set[str], retired: set[str]) -> str:
    candidate, count = base, 1
    while candidate in in_use or candidate in retired:
        count += 1
        candidate = f"{base}-{count}"
    return candidate


def apply_identity(data, sources, identity: Identity):
    """Data and Sources with the lasting slugs, and `organization_id` beside the slug."""
    if len(data) != len(identity.slugs):
        raise ValueError("one id per organisation is needed")
    import numpy as np

    before = pd.Index(data["organization_slug"])
    data = data.assign(organization_slug=identity.slugs)
    data.insert(list(data.columns).index("organization_slug") + 1, "organization_id", identity.ids)
    where = before.get_indexer(sources["organization_slug"]) if before.is_unique else None
    if where is not None and len(where) and (where >= 0).all():  # each row's organisation by position
        slugs = np.asarray(identity.slugs, dtype=object)[where]
        return data, sources.assign(organization_slug=pd.Series(slugs, index=sources.index))  # inferred, as map does
    renamed = dict(zip(before, identity.slugs))
    sources = sources.assign(organization_slug=sources["organization_slug"].map(renamed))
    return data, sources


# -- the index beside the outputs -----------------------------------------------------------------

def index_path(output_dir: Path) -> Path:
    return Path(output_dir) / INDEX_NAME


def load_index(output_dir: Path) -> dict | None:
    """The previous run's index, or None when there is none or it cannot be read (ids start afresh)."""
    try:
        data = json.loads(index_path(output_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
        return None
    return data


def save_index(path: Path, index: Mapping) -> Path:
    """Write the index to `path` (refine passes its staged place: it lands with the other outputs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path


def stable_identity(output_dir: Path, records, cluster_ids, data, sources, run_id: str = ""):
    """(data, sources, identity): the organisations named as in the case's previous run."""
    identity = assign_ids(records, cluster_ids, data["organization_name"].tolist(), load_index(output_dir), run_id)
    data, sources = apply_identity(data, sources, identity)
    return data, sources, identity
