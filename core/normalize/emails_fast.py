"""Email cells in bulk: plain ASCII addresses decided without email-validator.

email-validator spends ~0.1 ms an address on Unicode domain checks, which is a minute and more for a
million distinct addresses. A cell made only of plain addresses (`jan.van-wyk+crm@mail.example.co.za`,
separated the ways people separate them) is checked here, all cells at once with pyarrow, against a
strict subset of what email-validator accepts: ASCII only, a dot-atom local part of letters, digits,
`_`, `+` and `-`, domain labels of letters, digits and inner single hyphens, a last label of letters,
no special-use name (`.local`, `.test`…), within every length limit. Everything else (display names,
`mailto:`, brackets, Unicode, invalid or unusual addresses) is left to email-validator, so reports
come out exactly as before. tests/core/test_emails_fast.py proves the two agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.normalize.result import tuples_by_cell

LOCAL = r"[a-z0-9+_-]+(?:\.[a-z0-9+_-]+)*"
LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
ADDRESS = rf"^{LOCAL}@(?:{LABEL}\.)+[a-z]{{2,63}}$"
_PLAIN_CELL = r"^[a-z0-9.@+_;,/\s-]*$"
_BETWEEN = r"[;,/\s]+"  # as email's own _SEPARATORS


def plain_cells(texts: pd.Series) -> pd.Series:
    """A tuple of addresses for each cell decided in bulk, None for the others (same 0.. index)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    out = np.full(len(texts), None, dtype=object)
    if not len(texts):
        return pd.Series(out, dtype=object)
    cells = pa.array(texts.tolist(), pa.string())
    # ASCII first: str.lower maps a few non-ASCII letters (the Kelvin sign) to ASCII ones.
    lowered = pc.utf8_lower(cells)
    plain = pc.and_(pc.string_is_ascii(cells), pc.match_substring_regex(lowered, _PLAIN_CELL))
    candidates = np.flatnonzero(pc.fill_null(plain, False).to_numpy(zero_copy_only=False))
    if not len(candidates):
        return pd.Series(out, dtype=object)
    lists = pc.split_pattern_regex(pc.utf8_trim_whitespace(lowered.take(pa.array(candidates))), _BETWEEN)
    parent = pc.list_parent_indices(lists).to_numpy()
    tokens = pc.list_flatten(lists)
    present = pc.greater(pc.utf8_length(tokens), 0).to_numpy(zero_copy_only=False)
    domain = pc.replace_substring_regex(tokens, r"^[^@]*@", "")
    valid = pc.match_substring_regex(tokens, ADDRESS)
    valid = pc.and_(valid, pc.less_equal(pc.utf8_length(tokens), 254))
    valid = pc.and_(valid, pc.less_equal(pc.utf8_length(domain), 253))
    valid = pc.and_(valid, pc.invert(pc.match_substring(domain, "--")))  # Punycode and "ab--": the full checks
    local_length = pc.subtract(pc.utf8_length(tokens), pc.add(pc.utf8_length(domain), 1))
    valid = pc.and_(valid, pc.less_equal(local_length, 64))
    for name in SPECIAL_USE_DOMAIN_NAMES:
        valid = pc.and_(valid, pc.invert(pc.or_(pc.equal(domain, name), pc.ends_with(domain, "." + name))))
    valid = pc.fill_null(valid, False).to_numpy(zero_copy_only=False)
    failing = np.bincount(parent[present & ~valid], minlength=len(candidates))
    counted = np.bincount(parent[present], minlength=len(candidates))
    decided = (failing == 0) & (counted > 0)
    chosen = np.flatnonzero(present & decided[parent])
    out[candidates] = tuples_by_cell(parent[chosen], tokens.take(pa.array(chosen)), len(candidates))
    return pd.Series(out, dtype=object)

