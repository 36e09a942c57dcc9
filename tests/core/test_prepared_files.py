"""Files a worker read and normalised ahead are taken as they were handed back, and only while the
file and the profile are the ones they were made from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.ingest.case_reader import ingest_case
from core.ingest.discover import discover
from core.ingest.prepared import prepare_file, using_prepared
from core.normalize.records import normalise_records
from core.profiles import load_profile
from core.progress import Reporter
from core.results import REFINE_STAGES
from tests.conftest import write_xlsx


def case(folder: Path) -> Path:
    write_xlsx(folder / "a.xlsx", {"Orgs": [["Company", "Phone", "Email"], ["Acme", "082 555 0100", "x@"],
                                            ["Bolt", "12", "b@bolt.co.za"]]})
    (folder / "b.csv").write_text("Business name,Cell\nCirrus,083 555 0101\nDelta,9\n", encoding="utf-8")
    return folder


def read(folder: Path, profile) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    raw = ingest_case(folder, profile, Reporter(REFINE_STAGES, None, None)).records()
    return (raw, *normalise_records(raw, profile))


def test_prepared_files_give_the_direct_result(tmp_path: Path) -> None:
    profile = load_profile("generic")
    folder = case(tmp_path / "case")
    direct = read(folder, profile)
    with using_prepared([prepare_file(p, profile) for p in discover(folder)[0]]):
        via = read(folder, profile)
    pd.testing.assert_frame_equal(direct[0], via[0])
    pd.testing.assert_frame_equal(direct[1], via[1])
    assert [(v.file, v.row, v.field) for v in direct[2]] == [(v.file, v.row, v.field) for v in via[2]]
    assert [v.field for v in direct[2]] == ["contact_phone", "contact_phone", "contact_email"]


def test_prepared_files_are_used_and_a_changed_file_is_read_again(tmp_path: Path) -> None:
    profile = load_profile("generic")
    folder = case(tmp_path / "case")
    prepared = [prepare_file(p, profile) for p in discover(folder)[0]]
    prepared[0].normalised.loc[0, "organization_name"] = "Handed back"  # only a prepared part says this
    with using_prepared(prepared):
        assert read(folder, profile)[1]["organization_name"].tolist()[0] == "Handed back"
        (folder / "b.csv").write_text("Business name,Cell\nEcho,083 555 0102\n", encoding="utf-8")
        raw, records, _ = read(folder, profile)
    assert records["organization_name"].tolist() == ["Acme", "Bolt", "Echo"]  # b.csv changed: all read again


def read_ahead(folder: Path, profile) -> tuple[pd.DataFrame, pd.DataFrame, list, list]:
    """As refine reads: files read and normalised by forked copies first, then taken from them."""
    ingested = ingest_case(folder, profile, Reporter(REFINE_STAGES, None, None), read_ahead=True)
    raw, ahead = ingested.records(), ingested.take_ahead()
    with using_prepared(ahead):
        return (raw, *normalise_records(raw, profile), ahead)


def test_files_read_ahead_in_copies_give_the_direct_result(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOTPASS_WORKERS", "2")
    profile = load_profile("generic")
    folder = case(tmp_path / "case")
    write_xlsx(folder / "c.xlsx", {"Orgs": [["Company", "Phone"], ["Foxtrot", "021 555 0199"]]})
    direct = read(folder, profile)
    raw, records, invalid, ahead = read_ahead(folder, profile)
    assert sorted(f.name for f in ahead) == ["a.xlsx", "b.csv", "c.xlsx"]  # each was read ahead
    pd.testing.assert_frame_equal(direct[0], raw)
    pd.testing.assert_frame_equal(direct[1], records)
    assert [(v.file, v.row, v.field) for v in direct[2]] == [(v.file, v.row, v.field) for v in invalid]


def test_a_broken_file_read_ahead_still_stops_refine_with_its_name(tmp_path: Path, monkeypatch) -> None:
    from core.errors import HotpassError

    monkeypatch.setenv("HOTPASS_WORKERS", "2")
    folder = case(tmp_path / "case")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    try:
        ingest_case(folder, load_profile("generic"), Reporter(REFINE_STAGES, None, None), read_ahead=True)
    except HotpassError as exc:
        assert exc.file == "broken.xlsx" and "not a readable spreadsheet" in exc.message
    else:
        raise AssertionError("a broken workbook was read without a word")
