"""`hotpass show ORG --case aviation` on the real aviation case: the phone's file, sheet and row, and what lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import AVIATION, needs_shared, run_hotpass

pytestmark = needs_shared


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    ws = tmp_path_factory.mktemp("aviation")
    result = run_hotpass("refine", "--profile", "aviation", "--input-dir", str(AVIATION), "--case", "aviation",
                         cwd=ws, timeout=300)
    assert result.returncode == 0, result.stderr
    return ws


def _digits(text: object) -> str:
    return re.sub(r"\D", "", str(text or ""))


def _cells(file: str, sheet: str, row: int) -> list:
    from openpyxl import load_workbook

    book = load_workbook(AVIATION / file, read_only=True, data_only=True)
    return list(next(book[sheet].iter_rows(min_row=row, max_row=row, values_only=True)))


def test_the_card_names_where_the_phone_came_from_and_the_phone_that_lost(workspace: Path) -> None:
    from core.case import Case
    from core.org_card import org_card

    card = org_card(Case("aviation", workspace, input_dir_override=AVIATION), "43 air school")
    phone = card.field("contact_primary_phone")
    assert phone.value.startswith("+27") and phone.source_file and phone.source_row
    # The row it names really holds that number (as the workbook writes it: national, spaced, or +27).
    national = _digits(phone.value)[2:]
    assert any(national in _digits(cell) for cell in _cells(phone.source_file, phone.source_sheet, phone.source_row))
    assert phone.alternatives, "43 Air School lists a second number in another workbook"
    for alternative in phone.alternatives:
        assert alternative.value != phone.value
        held = _cells(alternative.source_file, alternative.source_sheet, alternative.source_row)
        assert any(_digits(alternative.value)[2:] in _digits(cell) for cell in held)
        assert "kept in secondary phones" in alternative.why
    assert len(card.members) >= 2 and card.merge_explanation
    member_places = {(m.source_file, m.source_sheet, m.source_row) for m in card.members}
    assert (phone.source_file, phone.source_sheet, phone.source_row) in member_places


def test_hotpass_show_prints_the_same(workspace: Path) -> None:
    from core.case import Case
    from core.org_card import org_card

    card = org_card(Case("aviation", workspace, input_dir_override=AVIATION), "43 air school")
    phone = card.field("contact_primary_phone")
    shown = run_hotpass("show", card.slug, "--case", "aviation", "--input-dir", str(AVIATION), cwd=workspace)
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    assert f"contact_primary_phone: {phone.value}" in text
    assert f"from {phone.source_file} › {phone.source_sheet} › row {phone.source_row}" in text
    alternative = phone.alternatives[0]
    assert f"lost: {alternative.value} ({alternative.source_file} › {alternative.source_sheet} › " \
           f"row {alternative.source_row})\n        why: {alternative.why}" in text
    assert "Why these rows are one organisation" in text


def test_a_name_shared_by_several_or_by_none_is_refused_naming_them(workspace: Path) -> None:
    several = run_hotpass("show", "starlite", "--case", "aviation", cwd=workspace)
    assert several.returncode == 2
    assert "starlite-maintenance" in several.stderr and "starlite-aviation-training-academy" in several.stderr
    none = run_hotpass("show", "no such organisation", "--case", "aviation", cwd=workspace)
    assert none.returncode == 2 and "no organisation" in none.stderr
    assert "Data sheet lists every organization_slug" in " ".join(none.stderr.split())  # where the names are
    unrefined = run_hotpass("show", "x", "--case", "other", cwd=workspace)
    assert unrefined.returncode == 3 and "not been refined" in unrefined.stderr
