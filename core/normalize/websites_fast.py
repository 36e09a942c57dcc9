"""Website cells in bulk: plain addresses (`www.Example.co.za`, `https://example.co.za/about/`) at once.

`urlsplit` and the host checks cost ~0.1 ms a value in Python. A cell that is one plain ASCII
address, with an optional http(s) scheme and `www.`, labels of letters, digits and inner hyphens, a
last label of letters and a path of letters, digits and `._~-/` (no port, query, fragment, `@`,
percent-escape or space) gets the same `https://host/path` here, with pyarrow; anything else is left
to the full rules in websites.py. tests/core/test_websites_fast.py proves the two agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
PLAIN = rf"^(?i:https?://)?(?i:(?:{LABEL}\.)+[a-z]{{2,63}})(?:/[A-Za-z0-9._~/-]*)?$"
SCHEME = r"^(?i:https?://)"


def plain_cells(texts: pd.Series) -> pd.Series:
    """The normalised address of each cell decided in bulk, None for the others (same 0.. index)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = np.full(len(texts), None, dtype=object)
    if not len(texts):
        return pd.Series(out, dtype=object)
    raw = pa.array(texts.tolist(), pa.string())
    # ASCII only, so that trimming here and str.strip there remove the same characters.
    cells = pc.ascii_trim_whitespace(raw)
    plain = pc.and_(pc.string_is_ascii(raw), pc.match_substring_regex(cells, PLAIN))
    # The second "www." rule (strip again while a dot is left) is the full path's business.
    plain = pc.and_(plain,
                    pc.invert(pc.match_substring_regex(cells, r"^(?i:https?://)?(?i:www\.www\.)")))
    plain = pc.and_(plain, pc.invert(pc.ends_with(cells, ".")))
    candidates = np.flatnonzero(pc.fill_null(plain, False).to_numpy(zero_copy_only=False))
    if not len(candidates):
        return pd.Series(out, dtype=object)
    rest = pc.replace_substring_regex(cells.take(pa.array(candidates)), SCHEME, "")
    host = pc.utf8_lower(pc.replace_substring_regex(rest, r"/.*$", ""))
    path = pc.utf8_rtrim(pc.replace_substring_regex(rest, r"^[^/]*", ""), characters="/.")
    # "www." goes only when a dot is left after it: "www.com" is a host of its own.
    drop_www = pc.and_(pc.starts_with(host, "www."),
                       pc.match_substring(pc.utf8_slice_codeunits(host, 4), "."))
    host = pc.if_else(drop_www, pc.utf8_slice_codeunits(host, 4), host)
    urls = pc.binary_join_element_wise("https://", host, path, "").to_pylist()
    for position, url in zip(candidates.tolist(), urls):
        out[position] = url
    return pd.Series(out, dtype=object)
