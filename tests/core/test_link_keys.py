"""Link keys in bulk are the per-value rule: people link to the same organisation rows as before."""

import datetime as dt

import pandas as pd

from core.ingest.link import link_key, link_keys


def test_link_keys_in_bulk_equal_the_rule_for_each_value() -> None:
    cells = ["Acme (Pty) Ltd", "ACME pty-LTD", "  acme  ", None, pd.NA, "", "Café Été", "İstanbul Air",
             "Straße 1", "0012", "C-ID 17", "a_b", "tab\there", dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 9, 30),
             "K-9 Kelvin", "中文 Air", "Acme (Pty) Ltd"]
    series = pd.Series(cells, dtype=object, index=range(10, 10 + len(cells)))
    keys = link_keys(series)
    assert keys.index.tolist() == series.index.tolist()
    assert keys.tolist() == [link_key(cell) for cell in cells]
    assert keys.iloc[0] == keys.iloc[1] == "acmeptyltd"  # the spellings a contact sheet uses link alike
