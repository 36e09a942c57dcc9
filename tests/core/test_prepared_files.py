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
