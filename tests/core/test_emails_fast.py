"""The bulk path for plain email addresses gives what email-validator gives, or leaves the cell to it."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from core.normalize.emails import _normalize_cell, normalize_emails
from core.normalize.emails_fast import plain_cells
from tests.conftest import AVIATION, PROJECT_ROOT, needs_shared


def assert_agrees(values: list[str]) -> int:
    distinct = sorted(set(values))
    decided = plain_cells(pd.Series(distinct, dtype=object)).tolist()
    disagreements = []
    for text, fast in zip(distinct, decided):
        if fast is not None:
            addresses, issues = _normalize_cell(text)
            if fast != addresses or issues:
                disagreements.append((text, fast, addresses, issues))
    assert disagreements == []
    return sum(fast is not None for fast in decided)


def emails_read_by_refine(folder: Path, profile_name: str = "generic") -> list[str]:
    from core.ingest.case_reader import ingest_case
    from core.profiles import load_profile
    from core.progress import Reporter
    from core.results import REFINE_STAGES

    records = ingest_case(folder, load_profile(profile_name), Reporter(REFINE_STAGES, None, None)).records()
    return [str(v) for v in records.get("contact_email", pd.Series(dtype=object)).dropna()]


def test_agrees_on_every_string_with_an_at_sign_in_the_tests() -> None:
    values = []
    for path in (PROJECT_ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "@" in node.value:
                values.append(node.value)
    assert assert_agrees(values) >= 10


def test_agrees_on_the_sample_and_generated_cases(tmp_path: Path) -> None:
    from core.sample import ensure_sample_case
    from tests.faces.cli.sector_case import build_sector_case
    from tests.generators.messy_case import build_case

    values = emails_read_by_refine(ensure_sample_case(tmp_path / "sample"))
    build_case(tmp_path / "messy", rows=3000, seed=3)
    values += emails_read_by_refine(tmp_path / "messy")
    build_sector_case(tmp_path / "sector")
    values += emails_read_by_refine(tmp_path / "sector")
    assert assert_agrees(values) > len(set(values)) * 0.8


@needs_shared
def test_agrees_on_the_aviation_reference_data() -> None:
    assert assert_agrees(emails_read_by_refine(AVIATION, "aviation")) > 0


def test_whole_columns_come_out_as_before() -> None:
    cells = ["Jan@Example.co.za", "a@b.com; A@B.com", None, "not an email", "x@y.local", "Jan <jan@x.co.za>",
             "jan@x.co.za, piet@y.com"]
    result = normalize_emails(pd.Series(cells, dtype=object))
    assert result.values.tolist() == [("jan@example.co.za",), ("a@b.com",), (), (), (), ("jan@x.co.za",),
                                      ("jan@x.co.za", "piet@y.com")]
    assert [i.index for i in result.invalid] == [3, 4]


local = st.from_regex(r"\A[a-zA-Z0-9._+\-]{1,70}\Z")
label = st.from_regex(r"\A[a-zA-Z0-9\-]{1,65}\Z")
address = st.builds(lambda l, labels, tld: f"{l}@{'.'.join(labels)}.{tld}", local,
                    st.lists(label, min_size=1, max_size=3),
                    st.sampled_from(["com", "co.za", "org", "local", "test", "x", "c0m", "ZA", "xn--p1ai", "info"]))
cell = st.lists(address, min_size=1, max_size=3).flatmap(
    lambda parts: st.sampled_from(["; ", ",", " ", "/", "\n"]).map(lambda sep: sep.join(parts)))


@settings(max_examples=120, deadline=None)
@given(st.lists(cell, min_size=1, max_size=20))
def test_agrees_on_addresses_written_any_common_way(cells: list[str]) -> None:
    assert_agrees(cells)
