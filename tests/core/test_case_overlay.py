"""The case overlay data/<case>/hotpass.yaml: it extends the profile, ingest honours it, and bad ones are refused."""

from pathlib import Path

import pytest

from core.case_overlay import CaseOverlay, OverlaySource, apply_overlay, lint_overlays, load_case_profile
from core.errors import ExitCode, ProfileError
from core.profiles import load_profile
from core.progress import Reporter
from tests.conftest import write_xlsx

# A register whose title sits above the header and whose headers no profile knows.
ROWS = [["Client register 2026"], [], ["Practice", "E-pos", "Foon", "Gebied", "Kontak"],
        ["Acme Vets", "info@acme.co.za", "082 123 4567", "Gauteng", "Ann Smit"],
        ["Beta Coop", "hello@beta.co.za", "083 765 4321", "Limpopo", "Ben Botha"]]


def _case(tmp_path: Path, overlay: str | None) -> Path:
    folder = tmp_path / "data" / "vets"
    write_xlsx(folder / "clients.xlsx", {"List": ROWS, "People": [["Name", "Practice"], ["Ann", "Acme Vets"]]})
    if overlay is not None:
        (folder / "hotpass.yaml").write_text(overlay)
    return folder


def _ingest(folder: Path):
    from core.ingest.case_reader import ingest_case

    loaded = load_case_profile("generic", None, folder)
    return loaded, ingest_case(folder, loaded.profile, Reporter(["discover", "read"]))


OVERLAY = """extends: generic
sources:
  - pattern: clients.xlsx
    header_rows: {List: 3}
    columns:
      List: {E-pos: contact_email, Foon: contact_phone, Gebied: province, Kontak: null}
"""


def test_overlay_maps_the_columns_the_profile_cannot(tmp_path: Path) -> None:
    folder = _case(tmp_path, None)
    _, before = _ingest(folder)
    sheet = before.preview.files[0].sheets[0]
    assert "contact_email" not in sheet.mapping.values()

    (folder / "hotpass.yaml").write_text(OVERLAY)
    loaded, after = _ingest(folder)
    assert loaded.overlay_path == folder / "hotpass.yaml"
    sheet = after.preview.files[0].sheets[0]
    assert sheet.header_row == 3
    assert sheet.mapping == {"Practice": "organization_name", "E-pos": "contact_email", "Foon": "contact_phone",
                             "Gebied": "province"}
    assert "Kontak (unassigned by the case overlay)" in sheet.unmapped
    records = after.records()
    assert records["contact_email"].tolist() == ["info@acme.co.za", "hello@beta.co.za"]
    assert records["source_row"].tolist() == [4, 5]


def test_removing_the_overlay_returns_to_the_profile(tmp_path: Path) -> None:
    folder = _case(tmp_path, OVERLAY)
    (folder / "hotpass.yaml").unlink()
    loaded = load_case_profile("generic", None, folder)
    assert loaded.overlay_path is None
    assert loaded.profile == load_profile("generic")


def test_use_and_skip_sheets_primary_keys_and_link_method(tmp_path: Path) -> None:
    folder = _case(tmp_path, OVERLAY + "    skip_sheets: {People: not ours}\n    primary_keys: {List: [contact_email]}\n")
    loaded, ingested = _ingest(folder)
    people = ingested.preview.files[0].sheets[1]
    assert people.status == "skipped" and "not ours" in people.reason
    assert loaded.profile.source_for("clients.xlsx").primary_keys == {"List": ["contact_email"]}

    base = load_profile("generic")
    overlay = CaseOverlay(sources=[OverlaySource(pattern="clients.xlsx", skip_sheets={"People": "x"})])
    skipped = apply_overlay(base, overlay, folder / "hotpass.yaml")
    overlay.sources[0].use_sheets.append("People")
    overlay.sources[0].link_by["People"] = "name"
    used = apply_overlay(skipped, overlay, folder / "hotpass.yaml")
    assert used.source_for("clients.xlsx").skip_sheets == {}
    assert used.source_for("clients.xlsx").link_by == {"People": "name"}


@pytest.mark.parametrize(("text", "key", "says"), [
    (OVERLAY.replace("contact_email", "emial"), "sources[0].columns.List.E-pos", "no field 'emial'"),
    (OVERLAY.replace("Gebied: province", "Gebied: website").replace("E-pos: contact_email", "E-pos: website"),
     "sources[0].columns.List.Gebied", "columns 'E-pos' and 'Gebied' both assigned to 'website'"),
    (OVERLAY + "    colour: red\n", "sources.0.colour", "Extra inputs are not permitted"),
    (OVERLAY.replace("{List: 3}", "{List: 0}"), "sources.0.header_rows.List", "greater than 0"),
    ("sources: [unclosed\n", None, "not valid YAML"),
])
def test_a_bad_overlay_is_refused_naming_file_and_key(tmp_path: Path, text: str, key: str | None, says: str) -> None:
    folder = _case(tmp_path, text)
    with pytest.raises(ProfileError) as caught:
        load_case_profile("generic", None, folder)
    error = caught.value
    assert error.exit_code == ExitCode.BAD_PROFILE
    assert Path(error.file) == folder / "hotpass.yaml"
    assert error.key == key
    assert says in error.message


def test_two_phone_columns_may_share_the_phone_field(tmp_path: Path) -> None:
    folder = _case(tmp_path, OVERLAY.replace("Gebied: province", "Gebied: contact_phone"))
    assert load_case_profile("generic", None, folder).overlay_path is not None


def test_a_header_row_past_the_end_of_the_sheet(tmp_path: Path) -> None:
    folder = _case(tmp_path, OVERLAY.replace("{List: 3}", "{List: 40}"))
    with pytest.raises(ProfileError) as caught:
        _ingest(folder)
    assert "header row 40 is past the end of sheet 'List' of clients.xlsx (5 rows)" in caught.value.message
    count, problems = lint_overlays(tmp_path / "data")
    assert count == 1 and len(problems) == 1
    assert problems[0].key == "sources[0].header_rows.List" and Path(problems[0].file) == folder / "hotpass.yaml"


def test_an_overlay_for_another_profile_is_refused(tmp_path: Path) -> None:
    folder = _case(tmp_path, OVERLAY.replace("extends: generic", "extends: aviation"))
    with pytest.raises(ProfileError) as caught:
        load_case_profile("generic", None, folder)
    assert caught.value.key == "extends"


def test_to_yaml_holds_only_the_changes() -> None:
    overlay = CaseOverlay(extends="generic")
    overlay.source("clients.xlsx").header_rows["List"] = 3
    overlay.source("other.xlsx")  # touched but unchanged: not written
    import yaml

    assert yaml.safe_load(overlay.to_yaml()) == {"extends": "generic",
                                                "sources": [{"pattern": "clients.xlsx", "header_rows": {"List": 3}}]}
