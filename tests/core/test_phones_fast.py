"""The bulk path for South African phones gives what libphonenumber gives, or leaves the cell to it.

Proved over every phone value the test suites and the sample case use (read the way refine reads
them), over generated messy cases, over the aviation reference data when it is present, and over
numbers hypothesis writes in the shapes people type.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.normalize.phones import _normalize_cell, normalize_phones
from core.normalize.phones_fast import south_african_cells
from tests.conftest import AVIATION, PROJECT_ROOT, needs_shared

PHONE_FIELDS = ("contact_phone",)


def full_parser(text: str) -> tuple[tuple[str, ...], list]:
    return _normalize_cell(text, "ZA")


def assert_agrees(values: list[str]) -> int:
    """Every value the bulk path decides is what the full parser gives, with nothing to report."""
    distinct = sorted(set(values))
    decided = south_african_cells(pd.Series(distinct, dtype=object)).tolist()
    disagreements = []
    for text, fast in zip(distinct, decided):
        if fast is None:
            continue
        numbers, issues = full_parser(text)
        if fast != numbers or issues:
            disagreements.append((text, fast, numbers, issues))
    assert disagreements == []
    return sum(fast is not None for fast in decided)


def phones_read_by_refine(folder: Path, profile_name: str = "generic") -> list[str]:
    from core.ingest.case_reader import ingest_case
    from core.profiles import load_profile
    from core.progress import Reporter
    from core.results import REFINE_STAGES

    records = ingest_case(folder, load_profile(profile_name), Reporter(REFINE_STAGES, None, None)).records()
    return [str(v) for v in records.get("contact_phone", pd.Series(dtype=object)).dropna()]


def string_constants_with_digits() -> list[str]:
    """Every string literal with three digits or more in the tests: the phone cells they write."""
    found = []
    for path in (PROJECT_ROOT / "tests").rglob("*.py"):
        if "bench" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(re.findall(r"\d", node.value)) >= 3:
                found.append(node.value)
    return found


def test_agrees_on_every_string_in_the_tests() -> None:
    values = [v for v in string_constants_with_digits() if len(v) < 200]
    assert assert_agrees(values) >= 20  # the bulk path does decide the plain ones


def test_agrees_on_the_sample_case(tmp_path: Path) -> None:
    from core.sample import ensure_sample_case

    folder = ensure_sample_case(tmp_path)
    values = phones_read_by_refine(folder)
    assert values
    assert assert_agrees(values) > 0


def test_agrees_on_generated_messy_cases(tmp_path: Path) -> None:
    from tests.faces.cli.sector_case import build_sector_case
    from tests.generators.messy_case import build_case

    values = []
    for seed in (1, 2):
        build_case(tmp_path / f"messy{seed}", rows=3000, seed=seed)
        values += phones_read_by_refine(tmp_path / f"messy{seed}")
    build_sector_case(tmp_path / "sector")
    values += phones_read_by_refine(tmp_path / "sector")
    decided = assert_agrees(values)
    assert decided > len(set(values)) * 0.8  # most real-looking cells never reach libphonenumber


@needs_shared
def test_agrees_on_the_aviation_reference_data() -> None:
    values = phones_read_by_refine(AVIATION, "aviation")
    assert assert_agrees(values) > 0


def test_whole_columns_come_out_as_before() -> None:
    cells = ["082 555 0100", "Tel: 082 555 0100", "27825550100", "123", None, "-", "082 555 0100 / 011 555 0123",
             "+44 20 7946 0958", "0825550100; 0825550100", "(011) 555-0123", "082 555 0100 ext 4"]
    fast = normalize_phones(pd.Series(cells, dtype=object))
    slow_values = [() if c is None or c == "-" else full_parser(c)[0] for c in cells]
    assert fast.values.tolist() == slow_values
    assert [(i.index, i.raw) for i in fast.invalid] == [(3, "123")]


# ---------------------------------------------------------------------------------------------
# numbers written the ways people write them

national = st.one_of(
    st.from_regex(r"\A8[1-4][0-9]{7}\Z"),  # mobile
    st.from_regex(r"\A(?:1[0-8]|2[1-378]|3[1-69]|4[0-9]|5[1346-8])[0-9]{7}\Z"),  # landline
    st.from_regex(r"\A(?:80|86|87|9[0-2])[0-9]{7}\Z"),  # toll free, shared cost, voip, premium
    st.from_regex(r"\A[0-9]{7,11}\Z"),  # anything at all: mostly invalid
)
prefix = st.sampled_from(["0", "+27", "+27 ", "27", "0027 ", "0027", "", "+27 (0)", "(0", "+", "00"])
gap = st.sampled_from(["", " ", "-", ".", "  ", " - "])


@st.composite
def written_number(draw) -> str:
    digits = draw(national)
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=3)))
    parts = [digits[i:j] for i, j in zip([0, *cuts], [*cuts, len(digits)])]
    head = draw(prefix)
    if head == "(0" and len(parts) > 1:
        parts[0] += ")"
    body = parts[0] + "".join(draw(gap) + p for p in parts[1:])
    return head + body


cell = st.lists(written_number(), min_size=1, max_size=3).flatmap(
    lambda numbers: st.sampled_from([" / ", "; ", ",", "\n", " | ", "/"]).map(lambda sep: sep.join(numbers)))


@settings(max_examples=200, deadline=None)
@given(st.lists(cell, min_size=1, max_size=20))
def test_agrees_on_numbers_written_any_common_way(cells: list[str]) -> None:
    assert_agrees(cells)


@pytest.mark.parametrize("text", ["082 555 0100", "+27 82 555 0100", "0027 82 555 0100", "27825550100",
                                  "825550100", "(011) 555-0123", "082.555.0100", "082 555 0100 / 011 555 0123"])
def test_the_common_shapes_are_decided_in_bulk(text: str) -> None:
    assert south_african_cells(pd.Series([text], dtype=object)).iloc[0] == full_parser(text)[0]
