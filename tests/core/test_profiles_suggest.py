"""`profiles suggest` on the held-out case whose headers no profile knows: header rows and fields by values.

The generator is used as a black box; its layouts say, for every column, the header the generic profile
knows, which is the truth the suggestion is scored against.
"""

from pathlib import Path

import pytest

from core.case_overlay import apply_overlay
from core.ingest.mapping import ColumnMapper
from core.profiles import load_profile
from core.profiles_suggest import suggest_overlay, suggestion_yaml
from tests.holdout.clerk_case import build_case, input_dir
from tests.holdout.layouts import BOOKS

BY_VALUE_KINDS = {"email", "phone", "website"}


@pytest.fixture(scope="module")
def suggested(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("clerk")
    build_case(folder, 60, seed=11, headers="unknown")
    profile = load_profile("generic")
    return input_dir(folder), profile, suggest_overlay(input_dir(folder), profile)


def _truth(profile):
    """(file, sheet, unknown header) -> the field the known header maps to, for every column of the case."""
    mapper = ColumnMapper(profile)
    return {(spec.file, spec.sheet, column.unknown): mapper.field_for(column.known)[0]
            for specs in BOOKS.values() for spec in specs for column in spec.columns}


def test_columns_of_emails_phones_and_websites_get_their_field_by_value(suggested) -> None:
    _, profile, suggestion = suggested
    truth = _truth(profile)
    judged = {(s.file, s.sheet, h): f for s in suggestion.sheets for h, (f, _) in s.by_values.items()}
    undecided = " ".join(suggestion.undecided)
    expected = {key: name for key, name in truth.items() if name and profile.fields[name].kind in BY_VALUE_KINDS}
    assert len(expected) >= 20
    for (file, sheet, header), name in expected.items():
        if f"column {header!r}: no values to judge" in undecided and judged.get((file, sheet, header)) is None:
            continue  # an empty column (a fax nobody filled) cannot be judged by its values
        assert judged.get((file, sheet, header)) == name, (file, sheet, header)
    # Nothing is called an email, phone or website that the truth calls something else.
    for key, name in judged.items():
        if profile.fields[name].kind in BY_VALUE_KINDS and truth.get(key) is not None:
            assert profile.fields[truth[key]].kind == profile.fields[name].kind, key


def test_header_rows_below_the_titles_are_found(suggested) -> None:
    _, _, suggestion = suggested
    rows = {(s.file, s.sheet): s.header_row for s in suggestion.sheets}
    for specs in BOOKS.values():
        for spec in specs:
            if len(spec.columns) > 1:
                assert rows[(spec.file, spec.sheet)] == len(spec.titles) + 1, (spec.file, spec.sheet)


def test_the_suggestion_is_a_valid_overlay_and_lists_what_it_could_not_decide(suggested, tmp_path: Path) -> None:
    folder, profile, suggestion = suggested
    text = suggestion_yaml(suggestion)
    (tmp_path / "hotpass.yaml").write_text(text)
    from core.case_overlay import read_overlay

    extended = apply_overlay(profile, read_overlay(tmp_path / "hotpass.yaml"), tmp_path / "hotpass.yaml")
    assert extended.source_for("SA Vet Practice List 2025.xlsx").header_rows["Practices"] == 4
    assert "# not decided" in text
    assert "SA Vet Practice List 2025.xlsx › Practices: which column is the organisation's name (or ID)" in text


def test_a_csv_suggestion_names_its_one_sheet_plainly_and_reads_back(tmp_path: Path) -> None:
    """A CSV has one sheet, named '' in an overlay: `'': 1`, not PyYAML's explicit `? ''` key."""
    from core.case_overlay import read_overlay

    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "members.csv").write_text("Ledger export\nNaam,Foon,E-pos adres\nAcme Boere,082 555 0100,a@acme.co.za\n"
                                        "Bolt Vervoer,083 555 0101,info@bolt.co.za\n", encoding="utf-8")
    profile = load_profile("generic")
    text = suggestion_yaml(suggest_overlay(folder, profile))
    assert "? ''" not in text and "'': 2" in text  # the header below the title row
    (tmp_path / "hotpass.yaml").write_text(text, encoding="utf-8")
    extended = apply_overlay(profile, read_overlay(tmp_path / "hotpass.yaml"), tmp_path / "hotpass.yaml")
    assert extended.source_for("members.csv").header_rows[""] == 2
