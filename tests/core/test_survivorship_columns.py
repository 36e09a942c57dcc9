"""Survivorship's column operations give what the plain pandas and Python forms gave."""

from __future__ import annotations

import json
import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from core.survivorship import _exploded, _host, _hosts, _json_texts, _sorted, unique_slugs

ALPHABET = ["a", "B", '"', "\\", "\n", "\x01", "é", "\u2028", " ", "\x7f", "😀", "/", ":", "w", "."]


def texts(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randrange(7))) for _ in range(n)]


@pytest.mark.parametrize("seed", range(10))
def test_json_text_is_json_dumps(seed: int) -> None:
    values = texts(random.Random(seed), 300)
    assert _json_texts(pa.array(values)).to_pylist() == [json.dumps(v, ensure_ascii=False) for v in values]


@pytest.mark.parametrize("seed", range(10))
def test_arrow_sort_is_pandas_stable_sort(seed: int) -> None:
    rng = random.Random(seed)
    n = 200
    frame = pd.DataFrame({
        "cluster": [rng.randrange(20) for _ in range(n)],
        "priority": [rng.randrange(3) for _ in range(n)],
        "when": pd.to_datetime([rng.choice([None, "2024-01-02 00:00", "2023-05-06 00:00", "2024-01-02 10:00"]) for _ in range(n)]),
        "text": pd.Series([rng.choice([None, *texts(rng, 5)]) for _ in range(n)], dtype="str"),
        "score": [rng.choice([np.nan, 0.5, 1.0, -0.0, 0.0]) for _ in range(n)],
    }, index=rng.sample(range(1000), n))
    for by, ascending in ((["cluster", "priority", "when", "text"], [True, False, False, True]),
                          (["text", "score"], [False, True]), (["when"], [True])):
        expected = frame.sort_values(by, ascending=ascending, na_position="last", kind="stable")
        got = _sorted(frame, by, ascending)
        assert got.equals(expected) and got.index.equals(expected.index)


def test_explode_of_tuples_is_pandas_explode() -> None:
    frame = pd.DataFrame({"cluster": [3, 1, 1, 2], "v": [("a", "b"), (), ("c",), ("a", "a")]}, index=[7, 5, 9, 1])
    expected = frame.explode("v").dropna(subset=["v"])
    got = _exploded(frame, "v")
    assert got.equals(expected) and got.index.equals(expected.index) and (got.dtypes == expected.dtypes).all()
    mixed = frame.assign(v=[("a",), None, "x", ("b",)])
    assert _exploded(mixed, "v").equals(mixed.explode("v").dropna(subset=["v"]))


def test_hosts_are_each_urls_host() -> None:
    # (a line break before "://" is where the two differ: normalised websites never hold one)
    urls = pd.Series(["https://www.A.com/x", "http://b.co.za", "www.", "https://", None, pd.NA, "a://b/c",
                      "WWW.x.y", "://", "x://y://z/w", float("nan"), "", "É.example/ü"], dtype=object, name="website")
    assert _hosts(urls).tolist() == [_host(u) if isinstance(u, str) else None for u in urls]


def test_repeated_slugs_take_the_next_free_number() -> None:
    names = pd.Series(["Acme", "acme-2", "ACME", "acme", "Acme 2", None, "organisation", "x", "X", "x-2"])
    assert unique_slugs(names).tolist() == ["acme", "acme-2", "acme-3", "acme-4", "acme-2-2", "organisation",
                                            "organisation-2", "x", "x-3", "x-2"]
