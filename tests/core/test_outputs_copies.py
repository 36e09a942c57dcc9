"""refined.xlsx and its Parquet copies (core.outputs.DataFiles): a copy that cannot be written (a full
disk) fails the run with a message naming the file, keeps nothing of the run, and leaves no writer
thread running into a staging folder that is being removed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from openpyxl import Workbook

import core.outputs as outputs
from core.case import Case
from core.errors import OutputFailed
from core.profiles import load_profile
from core.refine import refine
from core.staging import RunStaging


def small_case(workspace: Path) -> Case:
    folder = workspace / "data" / "clinics"
    folder.mkdir(parents=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "Practices"
    sheet.append(["Organisation Name", "Website", "Province"])
    for row in (["Sunrise Pharmacy", "sunrise.co.za", "Gauteng"], ["Sunrise Pharmacy (Pty) Ltd", "sunrise.co.za", "Gauteng"],
                ["Kloof Dental Studio", "kloofdental.co.za", "KwaZulu-Natal"]):
        sheet.append(row)
    book.save(folder / "clinics.xlsx")
    return Case("clinics", workspace)


def run_refine(case: Case) -> list[Path]:
    with RunStaging(case.runs_dir, "r1") as staging:
        refine(case, load_profile("generic"), staging, run_id="r1")
        return staging.commit()


def writer_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("hotpass-write")]


def test_the_workbook_and_its_copies_are_all_written(tmp_path: Path) -> None:
    case = small_case(tmp_path)
    written = run_refine(case)
    names = {p.name for p in written}
    assert {"refined.xlsx", "refined.data.parquet", "refined.sources.parquet"} <= names
    assert writer_threads() == []


def test_a_copy_that_cannot_be_written_fails_the_run_and_keeps_nothing(tmp_path: Path, monkeypatch) -> None:
    case = small_case(tmp_path)

    def full_disk(target: Path, frame) -> None:
        raise OutputFailed("could not write output: No space left on device", file=target,
                           hint="check free disk space and permissions; the previous output is unchanged")

    monkeypatch.setattr(outputs, "write_parquet", full_disk)
    with pytest.raises(OutputFailed, match="No space left on device") as failure:
        run_refine(case)
    assert failure.value.file.name.endswith(".parquet")
    assert not case.refined_path.exists()  # the workbook written beside it is not kept either
    assert writer_threads() == []
