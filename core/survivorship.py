"""Survivorship: one row per organisation, each field from its best record, with provenance.

Best = higher source priority, then the more complete record, then the more recent last contact
(then record id, so ties never depend on file or row order). One sort, then vectorised
`groupby.first()`, which takes the first non-empty value of each field per organisation.
"""

from __future__ import annotations

import json
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from json.encoder import encode_basestring

import numpy as np
import pandas as pd

from core.normalize.records import ORGANISATION_FIELDS
from core.profiles import Profile

SINGLE_FIELDS = [f for f in ORGANISATION_FIELDS if f not in ("organization_id", "last_interaction_date")]
QUALITY_CHECKS = {"email": "contact_primary_email", "phone": "contact_primary_phone", "website": "website",
                  "province": "province", "address": "address_primary"}
DATA_COLUMNS = [
    "organization_name", "organization_slug", "province", "country", "area", "address_primary",
    "organization_category", "organization_type", "status", "website", "planes", "description", "notes",
    "source_datasets", "source_record_ids", "contact_primary_name", "contact_primary_role",
    "contact_primary_email", "contact_primary_phone", "contact_secondary_emails", "contact_secondary_phones",
    "data_quality_score", "data_quality_flags", "selection_provenance", "last_interaction_date", "priority",
    "privacy_basis", "merge_explanation",
]
RENAMED = {"address": "address_primary", "category": "organization_category"}
PROVENANCE_ROWS = 50_000  # records per part of the provenance text (see _provenance)


def ranked(records: pd.DataFrame, clusters: pd.Series) -> pd.DataFrame:
    frame = records.assign(cluster=clusters.values, completeness=records[ORGANISATION_FIELDS].notna().sum(axis=1))
    return _sorted(frame, ["cluster", "source_priority", "completeness", "last_interaction_date", "record_id"],
                   [True, False, False, False, True])


def _sorted(frame: pd.DataFrame, by: list[str], ascending: list[bool] | None = None) -> pd.DataFrame:
    """`frame.sort_values(by, ascending=..., na_position="last", kind="stable")`, with arrow's stable sort
    when every key is whole numbers, floats, times or text (pandas factorises each key to sort: ~1 s at 1M rows).
    Text sorts by code point either way (arrow compares UTF-8 bytes, which keep code point order)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ascending = [True] * len(by) if ascending is None else ascending
    columns = {}
    for position, name in enumerate(by):
        column = frame[name]
        dtype = column.dtype
        simple = (pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype)) \
            and not isinstance(dtype, pd.api.extensions.ExtensionDtype)
        simple = simple or (isinstance(dtype, np.dtype) and dtype.kind == "M")
        simple = simple or (pd.api.types.is_string_dtype(dtype)
                            and pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"))
        if not simple or len(frame) == 0:
            return frame.sort_values(by, ascending=ascending, na_position="last", kind="stable")
        try:
            array = pa.array(column, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
            return frame.sort_values(by, ascending=ascending, na_position="last", kind="stable")
        columns[f"k{position}"] = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    order = pc.sort_indices(pa.table(columns), sort_keys=[
        (f"k{position}", "ascending" if up else "descending", "at_end") for position, up in enumerate(ascending)])
    return frame.take(order.to_numpy())


def survive(records: pd.DataFrame, clusters: pd.Series, profile: Profile,
            explanations: dict[int, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (Data, Sources) frames."""
    frame = ranked(records, clusters)
    hosts = _hosts(frame["website"])
    shared_sites = shared_by_clusters(frame.assign(website=hosts), "website", profile.resolution.shared_value_min_orgs)
    shared_phones = shared_by_clusters(frame, "phones", profile.resolution.shared_value_min_orgs)
    # A directory listing or a chain's site that many organisations list is nobody's own website:
    # it stays in the provenance as an alternative, never in `website`.
    own = frame.assign(website=frame["website"].where(~hosts.isin(list(shared_sites)).to_numpy(dtype=bool)))
    groups = own.groupby("cluster", sort=True)
    data = groups[SINGLE_FIELDS].first()
    data["last_interaction_date"] = groups["last_interaction_date"].max()
    listed = contact_values(frame, shared_phones)  # emails and phones, one row each: for the pick and the provenance
    # The provenance is mostly arrow's text kernels, which let go of the GIL: it is written in a thread
    # while the other columns are made (it only reads what is made by now)
    with ThreadPoolExecutor(1, thread_name_prefix="hotpass-provenance") as pool:
        provenance = pool.submit(_provenance, own, data.index, frame, shared_sites, shared_phones, listed=listed)
        data = _other_columns(data, frame, profile, explanations, shared_phones, listed)
        sources = frame[["cluster", "source_file", "source_sheet", "source_row", "source_label", "link_method"]]
        sources = sources.assign(organization_slug=sources["cluster"].map(data["organization_slug"]))
        sources = _sorted(sources, ["source_file", "source_sheet", "source_row"])
        data["selection_provenance"] = provenance.result()
    return data.reindex(columns=DATA_COLUMNS).reset_index(drop=True), sources.drop(columns="cluster").reindex(
        columns=["organization_slug", "source_file", "source_sheet", "source_row", "source_label", "link_method"])


def _other_columns(data: pd.DataFrame, frame: pd.DataFrame, profile: Profile, explanations: dict[int, str] | None,
                   shared_phones: dict[str, int], listed: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Data's columns beside the first values and the provenance: contacts, sources, slug, quality."""
    data = data.join(_contacts(frame, shared_phones, listed))
    labels = frame[["cluster", "source_label"]].drop_duplicates()
    data["source_datasets"] = _joined(_sorted(labels, ["cluster", "source_label"]), "source_label")
    data["source_record_ids"] = _joined(_sorted(frame[["cluster", "record_id"]], ["cluster", "record_id"]), "record_id")
    data = data.rename(columns=RENAMED)
    data["country"] = profile.country_name
    data["privacy_basis"] = profile.privacy_basis
    data["organization_slug"] = unique_slugs(data["organization_name"])
    data["merge_explanation"] = pd.Series(explanations or {}, dtype=object).reindex(data.index)
    _score(data)
    return data


def shared_by_clusters(frame: pd.DataFrame, column: str, minimum: int, key=None) -> dict[str, int]:
    """Values (or their keys: a website's host) that at least `minimum` organisations list."""
    values = _exploded(frame[["cluster", column]], column).dropna()
    if values.empty:
        return {}
    keys = values[column].map(key) if key else values[column]
    counts = pd.DataFrame({"cluster": values["cluster"], "key": keys}).dropna().drop_duplicates()["key"].value_counts()
    return {k: int(n) for k, n in counts[counts >= minimum].items()}


def _hosts(urls: pd.Series) -> pd.Series:
    """`_host` of every value, as column operations (None where there is no text or no host)."""
    import pyarrow as pa

    import pyarrow.compute as pc

    try:  # all text (or missing): no call per value to find the text
        arrow = pa.array(urls, from_pandas=True)
        plain = pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        plain = False
    if plain:  # the kernels pandas' string methods below run, on the arrow text itself
        arrow = arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow
        host = pc.replace_substring_regex(arrow, pattern=r"^.*?://", replacement="", max_replacements=1)
        host = pc.utf8_lower(pc.list_element(pc.split_pattern(host, pattern="/", max_splits=1), 0))
        host = pc.if_else(pc.starts_with(host, pattern="www."), pc.utf8_slice_codeunits(host, 4), host)
        host = pc.if_else(pc.equal(host, ""), pa.scalar(None, host.type), host)
        return pd.Series(host.to_numpy(zero_copy_only=False), index=urls.index, dtype=object, name=urls.name)
    if not plain:
        urls = urls.where(urls.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False).astype(bool))
    text = urls.astype("string")
    host = text.str.replace(r"^.*?://", "", n=1, regex=True).str.split("/", n=1).str[0].str.lower()
    host = host.str.removeprefix("www.")
    return host.where(host != "").astype(object).where(host.notna() & (host != ""), None)


def _host(url: object) -> str | None:
    if not isinstance(url, str):
        return None
    return url.split("://", 1)[-1].split("/", 1)[0].lower().removeprefix("www.") or None


def contact_values(frame: pd.DataFrame, shared_phones: dict[str, int] | None) -> dict[str, pd.DataFrame]:
    """`_ordered_rows` of emails and phones, with where each came from."""
    return {column: _ordered_rows(frame[["cluster", column, "source_file", "source_sheet", "source_row"]], column,
                                  shared_phones if column == "phones" else None) for column in ("emails", "phones")}


def _contacts(frame: pd.DataFrame, shared_phones: dict[str, int] | None = None,
              listed: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    # Name and role come from the same record: the best one that names a person.
    named = frame.loc[frame["contact_name"].notna(), ["cluster", "contact_name", "contact_role"]]
    named = named.groupby("cluster", sort=True).head(1).set_index("cluster")
    contacts = pd.DataFrame({"contact_primary_name": named["contact_name"],
                             "contact_primary_role": named["contact_role"]})
    for column, primary, secondary in (("emails", "contact_primary_email", "contact_secondary_emails"),
                                       ("phones", "contact_primary_phone", "contact_secondary_phones")):
        rows = listed[column] if listed is not None else \
            _ordered_rows(frame[["cluster", column]], column, shared_phones if column == "phones" else None)
        clusters = rows["cluster"].to_numpy()
        starts = np.flatnonzero(np.r_[True, clusters[1:] != clusters[:-1]]) if len(rows) else np.empty(0, np.int64)
        first = pd.Series(rows[column].to_numpy(dtype=object)[starts], dtype=object, name=primary,
                          index=pd.Index(clusters[starts], dtype=rows["cluster"].dtype, name="cluster"))
        contacts = contacts.join(first, how="outer")
        contacts = contacts.join(_joined(rows, column, after_first=True).rename(secondary), how="outer")
    return contacts


def _joined(rows: pd.DataFrame, column: str, after_first: bool = False) -> pd.Series:
    """Per cluster, its values of `column` joined with "; " in row order (rows grouped by cluster,
    clusters ascending), indexed by cluster; `after_first`: all but each cluster's first (missing
    if none). A `str` column, as pandas infers one from Python strings.

    With arrow's list join, not a Python list per organisation.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    clusters = rows["cluster"].to_numpy()
    values = rows[column].tolist()
    starts = np.flatnonzero(np.r_[True, clusters[1:] != clusters[:-1]]) if len(clusters) else np.empty(0, np.int64)
    index = pd.Index(clusters[starts], dtype=rows["cluster"].dtype, name="cluster")
    try:
        text = pa.array(values, pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: as `str.join` would say
        lists = _per_cluster(rows, column)
        return lists.map(lambda v: "; ".join(v[1:] if after_first else v) or pd.NA)
    sizes = np.diff(np.r_[starts, len(values)])
    if after_first:
        rest = np.ones(len(values), dtype=bool)
        rest[starts] = False
        text, sizes = text.filter(pa.array(rest)), sizes - 1
    offsets = pa.array(np.r_[0, np.cumsum(sizes)].astype(np.int64))
    joined = pc.binary_join(pa.LargeListArray.from_arrays(offsets, text), pa.scalar("; ", pa.large_string()))
    if after_first:
        joined = pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.large_string()), joined)
    return _text_series(joined, index).rename(column)


def _ordered_rows(frame: pd.DataFrame, column: str, shared: dict[str, int] | None) -> pd.DataFrame:
    """One row per distinct value per organisation, best record's first: no phone or email is lost.
    Values many organisations share (a chain's switchboard) come after the organisation's own."""
    exploded = _exploded(frame, column)
    exploded = exploded.drop_duplicates(["cluster", column])
    if shared:
        later = exploded[column].isin(list(shared))
        if later.any():
            exploded = pd.concat([exploded[~later], exploded[later]]).sort_values("cluster", kind="stable")
    return exploded


def _exploded(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """`frame.explode(column).dropna(subset=[column])`; for a column of tuples of text, by arrow's
    flattening of the lists (pandas' explode walks them one by one: ~0.5 s a column at 1M rows)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = frame[column].tolist()
    if not values or not all(type(v) is tuple for v in values):
        return frame.explode(column).dropna(subset=[column])
    try:
        lists = pa.array(values, type=pa.large_list(pa.large_string()))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return frame.explode(column).dropna(subset=[column])
    flat = pc.list_flatten(lists)
    if flat.null_count:
        return frame.explode(column).dropna(subset=[column])
    rows = pc.list_parent_indices(lists).to_numpy()
    return frame.iloc[rows].assign(**{column: np.asarray(flat.to_numpy(zero_copy_only=False), dtype=object)})


def _per_cluster(frame: pd.DataFrame, column: str) -> pd.Series:
    """The values of `column` per cluster, as lists in frame order, indexed by cluster (sorted).

    What `groupby("cluster")[column].agg(list)` returns, without pandas building a Series per
    group (that cost 4-5 s per call for 40k organisations).
    """
    lists: dict = {}
    for cluster, value in zip(frame["cluster"].tolist(), frame[column].tolist()):
        lists.setdefault(cluster, []).append(value)
    index = pd.Index(list(lists), dtype=frame["cluster"].dtype, name="cluster")
    return pd.Series(list(lists.values()) if lists else [], index=index, dtype=object, name=column).sort_index()


def _provenance(frame: pd.DataFrame, index: pd.Index, full: pd.DataFrame | None = None,
                shared_sites: dict[str, int] | None = None, shared_phones: dict[str, int] | None = None,
                *, listed: dict[str, pd.DataFrame] | None = None) -> pd.Series:
    """Per organisation, the JSON of {field: {value, source_file, source_row, source_sheet, alternatives}}.

    Written as text with arrow kernels, not json.dumps of a dict per organisation (2 s of 5 at 100k
    rows): each value is JSON-encoded once per distinct value, the entries are sorted by organisation,
    field (by name, as sort_keys orders them) and the order they were found in, and joined. The text
    is what `json.dumps(..., ensure_ascii=False, sort_keys=True)` writes (tests/core/test_provenance_text.py).
    Made PROVENANCE_ROWS rows at a time (whole organisations; `frame` is sorted by them), so its
    intermediate text stays that size however large the case. `listed`: contact_values(full), if made.
    """
    listed = listed if listed is not None else contact_values(frame, shared_phones)
    clusters = frame["cluster"].to_numpy()
    if not len(frame) or not frame["cluster"].is_monotonic_increasing:
        return _text_series(_provenance_part(frame, index, full, shared_sites, listed), index)
    starts = np.flatnonzero(np.r_[True, clusters[1:] != clusters[:-1]])  # where each organisation begins
    cuts = np.unique(np.r_[starts[np.searchsorted(starts, np.arange(0, len(frame), PROVENANCE_ROWS))], len(frame)])
    texts = []
    for begin, end in zip(cuts[:-1].tolist(), cuts[1:].tolist()):
        part = index[index.searchsorted(clusters[begin]):index.searchsorted(clusters[end - 1], side="right")]
        first, last = clusters[begin], clusters[end - 1]
        own = {column: rows.iloc[rows["cluster"].searchsorted(first):rows["cluster"].searchsorted(last, side="right")]
               for column, rows in listed.items()}  # sorted by organisation too
        texts.append(_provenance_part(frame.iloc[begin:end], part, None if full is None else full.iloc[begin:end],
                                      shared_sites, own))
    import pyarrow as pa

    return _text_series(pa.concat_arrays(texts), index)


def _text_series(text, index: pd.Index) -> pd.Series:
    """Arrow text as the `str` column pandas makes of Python strings, without making them."""
    return pd.Series(pd.array(text, dtype="str"), index=index)


def _provenance_part(frame: pd.DataFrame, index: pd.Index, full: pd.DataFrame | None,
                     shared_sites: dict[str, int] | None, listed: dict[str, pd.DataFrame]):
    import pyarrow as pa

    entries: list[tuple[str, pd.DataFrame, pa.Array]] = []  # (field, rows, their "inner" JSON text)
    sources = _Sources(frame)
    # Where each row came from is taken from `frame` by label when its labels are unique: not copied per field
    where = [] if sources.by_label else ["source_file", "source_sheet", "source_row"]
    for field in SINGLE_FIELDS + ["last_interaction_date"]:
        present = frame.loc[frame[field].notna(), ["cluster", field, *where]]
        if field == "last_interaction_date":  # the Data sheet takes the latest, whichever record has it
            present = present.sort_values(["cluster", field], ascending=[True, False], kind="stable")
        present = present.drop_duplicates(["cluster", field])
        entries.append((field, present, sources.entry_text(present, field)))
    # The primary email and phone: the first listed is chosen, the others (kept as secondary) are alternatives.
    for column, field in (("emails", "contact_primary_email"), ("phones", "contact_primary_phone")):
        entries.append((field, listed[column], sources.entry_text(listed[column], column)))
    if full is not None and shared_sites:
        # Shared websites left out of the pick: alternatives that say how many organisations list them
        demoted = full.loc[full["website"].notna() & frame["website"].isna(),
                           ["cluster", "website", "source_file", "source_sheet", "source_row"]]
        demoted = demoted.drop_duplicates(["cluster", "website"])
        if len(demoted):
            shared_by = [str(shared_sites.get(_host(v), 0)) for v in demoted["website"].tolist()]
            text = _join("\"shared_by\": ", pa.array(shared_by, pa.large_string()), ", ",
                         sources.entry_text(demoted, "website"))
            # An organisation whose every website is shared has no pick: {"alternatives": [...], "value": null}
            picked = set(entries[SINGLE_FIELDS.index("website")][1]["cluster"].tolist())
            lacking = demoted.drop_duplicates("cluster")
            lacking = lacking[~lacking["cluster"].isin(picked)]
            entries.append(("website", lacking, pa.array(['"value": null'] * len(lacking), pa.large_string())))
            entries.append(("website", demoted, text))
    return _assembled(entries, index)


class _Sources:
    """The '"source_file": F, "source_row": R, "source_sheet": S' text of each row of `frame`, made once
    and taken for every field's rows (they are rows of `frame`, by label), not made again per field."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.by_label = frame.index.is_unique
        self._text = None

    def entry_text(self, rows: pd.DataFrame, column: str):
        """What _entry_text(rows, column) returns; `rows` (rows of `frame`) need not hold where they came from."""
        import pyarrow as pa

        if not len(rows):
            return pa.array([], pa.large_string())
        if not self.by_label:
            return _entry_text(rows, column)
        positions = self.frame.index.get_indexer(rows.index)
        if (positions < 0).any():  # not rows of `frame` after all
            return _entry_text(rows, column)
        if self._text is None:
            self._text = _source_text(self.frame)
        return _join(self._text.take(pa.array(positions)), ', "value": ', _json_values(rows[column]))


def _source_text(rows: pd.DataFrame):
    import pyarrow as pa

    source_row = pa.array(rows["source_row"].to_numpy().astype(np.int64)).cast(pa.large_string())
    return _join('"source_file": ', _json_values(rows["source_file"]), ', "source_row": ', source_row,
                 ', "source_sheet": ', _json_values(rows["source_sheet"]))


def _entry_text(rows: pd.DataFrame, column: str):
    """'"source_file": F, "source_row": R, "source_sheet": S, "value": V' for each row, as arrow text."""
    return _join(_source_text(rows), ', "value": ', _json_values(rows[column]))


def _json_values(values: pd.Series):
    """json.dumps(_plain(v), ensure_ascii=False) of every value, once per distinct value."""
    import pyarrow as pa

    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        codes, uniques = pd.factorize(values)
        texts = pa.array([json.dumps(_plain(u), ensure_ascii=False) for u in uniques], pa.large_string())
        return texts.take(pa.array(codes))
    try:
        arrow = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arrow = None
    if arrow is not None and (pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)):
        if isinstance(arrow, pa.ChunkedArray):  # arrow-backed strings come as chunks
            arrow = arrow.combine_chunks()
        encoded = arrow.dictionary_encode()
        return _json_texts(encoded.dictionary).take(encoded.indices)
    # Numbers, booleans or a mix: per value, so that 1, 1.0 and True keep their own JSON
    return pa.array([json.dumps(_plain(v), ensure_ascii=False) for v in values.tolist()], pa.large_string())


def _json_texts(texts):
    """json.dumps(text, ensure_ascii=False) of each arrow text: quoted as it is when nothing in it needs an
    escape (ensure_ascii=False escapes only '"', backslash and control characters below 0x20), by
    encode_basestring itself otherwise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = texts.cast(pa.large_string())
    special = pc.fill_null(pc.match_substring_regex(texts, r'[\x00-\x1f"\\]'), False).to_numpy(zero_copy_only=False)
    quoted = _join('"', texts, '"')
    if not special.any():
        return quoted
    positions = np.flatnonzero(special)
    escaped = [encode_basestring(t) for t in texts.take(pa.array(positions)).to_pylist()]
    # the escaped ones put back in their places
    order = np.empty(len(texts), dtype=np.int64)
    plain = np.flatnonzero(~special)
    combined = pa.concat_arrays([quoted.filter(pa.array(~special)), pa.array(escaped, pa.large_string())])
    order[plain] = np.arange(len(plain))
    order[positions] = len(plain) + np.arange(len(positions))
    return combined.take(pa.array(order))


def _join(*parts):
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [pa.scalar(p, pa.large_string()) if isinstance(p, str) else p.cast(pa.large_string()) for p in parts]
    return pc.binary_join_element_wise(*parts, pa.scalar("", pa.large_string()))


def _assembled(entries, index: pd.Index):
    """Each organisation's JSON text from its entries: grouped by field in name order, first = chosen."""
    import pyarrow as pa
    import pyarrow.compute as pc

    fields = sorted({field for field, _, _ in entries})
    clusters, ranks, texts = [], [], []
    for field, rows, text in entries:
        clusters.append(index.get_indexer(rows["cluster"]))
        ranks.append(np.full(len(rows), fields.index(field), dtype=np.int64))
        texts.append(text)
    cluster = np.concatenate(clusters) if clusters else np.empty(0, dtype=np.int64)
    rank = np.concatenate(ranks) if ranks else np.empty(0, dtype=np.int64)
    text = pa.chunked_array(texts, pa.large_string()).combine_chunks() if texts else pa.array([], pa.large_string())
    order = np.lexsort((np.arange(len(cluster)), rank, cluster))  # found order within a field
    cluster, rank, text = cluster[order], rank[order], text.take(pa.array(order))
    key = cluster * len(fields) + rank
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    # Alternatives of each (organisation, field): the rows after its first, joined with ", "
    alternatives = _join("{", text.filter(pa.array(~first)), "}")
    sizes = np.diff(np.append(starts, len(key))) - 1
    offsets = pa.array(np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64))
    joined = pc.binary_join(pa.LargeListArray.from_arrays(offsets, alternatives), pa.scalar(", ", pa.large_string()))
    names = pa.array([json.dumps(f) for f in fields], pa.large_string()).take(pa.array(rank[starts]))
    items = _join(names, ': {"alternatives": [', joined, "], ", text.take(pa.array(starts)), "}")
    per_cluster = np.bincount(cluster[starts], minlength=len(index))
    offsets = pa.array(np.concatenate([[0], np.cumsum(per_cluster)]).astype(np.int64))
    objects = pc.binary_join(pa.LargeListArray.from_arrays(offsets, items), pa.scalar(", ", pa.large_string()))
    return _join("{", objects, "}")


def _plain(value: object) -> object:
    return value.date().isoformat() if isinstance(value, pd.Timestamp) else value


def _score(data: pd.DataFrame) -> None:
    present = pd.DataFrame({check: data[column].notna() for check, column in QUALITY_CHECKS.items()})
    data["data_quality_score"] = (present.sum(axis=1) / len(QUALITY_CHECKS)).round(2)
    labels = [f"missing_{check}" for check in present.columns]
    # One text per pattern of failed checks (32 of them), picked by each organisation's pattern
    pattern = (~present.to_numpy(dtype=bool)) @ (1 << np.arange(len(labels)))
    texts = np.array(["; ".join(label for bit, label in enumerate(labels) if code >> bit & 1)
                      for code in range(1 << len(labels))], dtype=object)
    data["data_quality_flags"] = pd.Series(texts[pattern], index=data.index, dtype="str")


def slugify(text: object) -> str:
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "organisation"


def _slugs(names: pd.Series) -> pd.Series:
    """`slugify` of every name, as column operations."""
    text = names.astype(str).astype("string")
    if not text.str.isascii().all():
        text = text.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii").astype("string")
    slug = text.str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    return slug.where(slug != "", "organisation").astype(object)


def unique_slugs(names: pd.Series) -> pd.Series:
    """Slug of each name; repeats get -2, -3… in organisation order, never colliding with a real slug."""
    base = _slugs(names.fillna("organisation"))
    result = base.tolist()
    taken = set(result)
    # A slug's first holder keeps it: no "-n" made for a repeat is ever a real slug, so only repeats
    # need looking at, in order, against the real slugs and the "-n" slugs given so far.
    used = set(taken)
    for position in np.flatnonzero(base.duplicated().to_numpy(dtype=bool)).tolist():
        slug = result[position]
        candidate, count = slug, 1
        while candidate in used or (count > 1 and candidate in taken):
            count += 1
            candidate = f"{slug}-{count}"
        used.add(candidate)
        result[position] = candidate
    return pd.Series(result, index=names.index)
