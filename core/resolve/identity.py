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


def _column(records, field: str) -> pd.Series:
    """One field of every row as key text: lists sorted and joined, text folded as `fold` does."""
    if field not in records:
        return pd.Series("", index=records.index, dtype=object)
    column = records[field]
    if field in ("emails", "phones"):  # normalised already: only their order may differ
        return column.map(lambda v: ",".join(sorted({str(x) for x in v})) if isinstance(v, (tuple, list, set, frozenset))
                          else ("" if v is None or v is pd.NA or v != v else str(v)))
    text = column.astype("string").fillna("")
    if not text.str.isascii().all():
        # what encoding to ASCII ignoring the rest drops, in one pass over the column
        text = text.str.normalize("NFKD").str.replace(r"[^\x00-\x7f]", "", regex=True)
    return text.str.lower().str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip().astype(object)


def content_keys(records) -> list[str]:
    """One 40-hex key per row of `records`, in row order (vectorised: ~0.3 s for 100,000 rows)."""
    if len(records) == 0:
        return []
    columns = [_column(records, f).tolist() for f in KEY_FIELDS]
    sha1, sep = hashlib.sha1, "\x1f"
    return [sha1(sep.join(row).encode("utf-8")).hexdigest() for row in zip(*columns)]


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

    from core.survivorship import slugify  # one slug rule for every organisation

    count = len(names)
    # Rows in order of (cluster, key, record_id): each cluster's members are a slice, sorted as the index keeps them
    keys = np.array([k[:MEMBER_CHARS] for k in content_keys(records)], dtype=object)
    record_ids = np.array(records["record_id"].astype(str).tolist(), dtype=object)
    clusters = np.asarray(cluster_ids, dtype=np.int64).reshape(len(keys))
    key_rank, rid_rank = _ranks(keys), _ranks(record_ids)
    order = np.lexsort((rid_rank, key_rank, clusters))
    keys, record_ids, clusters, key_rank = keys[order], record_ids[order], clusters[order], key_rank[order]
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
    first_of_key[1:] = (clusters[1:] != clusters[:-1]) | (key_rank[1:] != key_rank[:-1])
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
    for cluster in range(count):
        if cluster in kept:
            continue
        start, end = bounds[cluster], bounds[cluster + 1]
        keys_of = keys_list[start:end] or [str(cluster)]  # sorted already
        ids[cluster] = _new_id([keys_of[0], lambda keys_of=keys_of: "|".join(keys_of)], used_ids)
        used_ids.add(ids[cluster])
        slugs[cluster] = _new_slug(slugify(names[cluster] if _present(names[cluster]) else "organisation"),
                                   in_use, used_slugs)
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


def _ranks(values):
    """Each value's place in sorted order (equal values, equal places), as integers to sort by."""
    import numpy as np

    return np.unique(values, return_inverse=True)[1].astype(np.int64).reshape(len(values))


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
    renamed = dict(zip(data["organization_slug"], identity.slugs))
    data = data.assign(organization_slug=identity.slugs)
    data.insert(list(data.columns).index("organization_slug") + 1, "organization_id", identity.ids)
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
