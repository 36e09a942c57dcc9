"""The bulk path for plain website addresses gives what the full rules give, or leaves the cell to them."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from core.normalize.websites import _normalize_cell, normalize_websites
from core.normalize.websites_fast import plain_cells
from tests.conftest import AVIATION, PROJECT_ROOT, needs_shared


def assert_agrees(values: list[str]) -> int:
    distinct = sorted(set(values))
    decided = plain_cells(pd.Series(distinct, dtype=object)).tolist()
    disagreements = []
    for text, fast in zip(distinct, decided):
        if fast is not None:
            url, issues = _normalize_cell(text)
            if fast != url or issues:
                disagreements.append((text, fast, url, issues))
    assert disagreements == []
    return sum(fast is not None for fast in decided)


def websites_read_by_refine(folder: Path, profile_name: str = "generic") -> list[str]:
    from core.ingest.case_reader import ingest_case
    from core.profiles import load_profile
    from core.progress import Reporter
    from core.results import REFINE_STAGES

    records = ingest_case(folder, load_profile(profile_name), Reporter(REFINE_STAGES, None, None)).records()
    return [str(v) for v in records.get("website", pd.Series(dtype=object)).dropna()]


def test_agrees_on_every_string_with_a_dot_in_the_tests() -> None:
    values = []
    for path in (PROJECT_ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value:
                values.append(node.value)
    assert assert_agrees([v for v in values if len(v) < 300]) >= 10


def test_agrees_on_the_sample_and_generated_cases(tmp_path: Path) -> None:
    from core.sample import ensure_sample_case
    from tests.faces.cli.sector_case import build_sector_case
    from tests.generators.messy_case import build_case

    values = websites_read_by_refine(ensure_sample_case(tmp_path / "sample"))
    build_case(tmp_path / "messy", rows=3000, seed=4)
    values += websites_read_by_refine(tmp_path / "messy")
    build_sector_case(tmp_path / "sector")
    values += websites_read_by_refine(tmp_path / "sector")
    assert assert_agrees(values) > len(set(values)) * 0.6


@needs_shared
def test_agrees_on_the_aviation_reference_data() -> None:
    assert assert_agrees(websites_read_by_refine(AVIATION, "aviation")) > 0


def test_whole_columns_come_out_as_before() -> None:
    cells = ["www.Example.co.za", "https://example.co.za/About/", None, "not a site", "x.com?utm_source=a"]
    result = normalize_websites(pd.Series(cells, dtype=object))
    assert result.values.tolist()[:2] == ["https://example.co.za", "https://example.co.za/About"]
    assert result.values.tolist()[4] == "https://x.com"
    assert [i.index for i in result.invalid] == [3]


label = st.from_regex(r"\A[a-zA-Z0-9\-_]{1,64}\Z")
site = st.builds(lambda scheme, www, labels, tld, path: f"{scheme}{www}{'.'.join(labels)}.{tld}{path}",
                 st.sampled_from(["", "http://", "https://", "HTTPS://", "ftp://", "http//"]),
                 st.sampled_from(["", "www.", "WWW.", "www.www."]),
                 st.lists(label, min_size=1, max_size=3),
                 st.sampled_from(["com", "co.za", "ORG", "x", "c0m", "xn--p1ai"]),
                 st.from_regex(r"\A(?:/[A-Za-z0-9._~%?#=&-]{0,12}){0,3}/?\Z"))


@settings(max_examples=120, deadline=None)
@given(st.lists(st.builds(lambda pad, s, end: pad + s + end, st.sampled_from(["", " "]), site,
                          st.sampled_from(["", " ", ".", "/", ","])), min_size=1, max_size=20))
def test_agrees_on_addresses_written_any_common_way(cells: list[str]) -> None:
    assert_agrees(cells)
