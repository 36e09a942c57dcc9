"""`hotpass refine` with validation, lineage and --archive as an operator runs it (issue 9), and
`hotpass archive verify`: the real command in a subprocess, on the real aviation workbooks."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import AVIATION, needs_shared, run_hotpass
from tests.core.lineage_server import closed_port_url

GX_NOISE = ("great_expectations", "Calculating Metrics", "it/s]", "DeprecationWarning", "UserWarning", "Traceback")


@pytest.fixture(scope="module")
def aviation(tmp_path_factory):
    if not AVIATION.is_dir():
        pytest.skip(f"reference data not found at {AVIATION}")
    root = tmp_path_factory.mktemp("aviation-validated")
    run = run_hotpass("refine", "--profile", "aviation", "--case", "aviation", "--input-dir", str(AVIATION),
                      "--archive", cwd=root, env={"OPENLINEAGE_URL": closed_port_url()})
    return root, run


@needs_shared
def test_real_case_validates_quietly_and_writes_reports(aviation) -> None:
    root, run = aviation
    assert run.returncode == 0, run.stderr
    for noise in GX_NOISE:
        assert noise not in run.stdout and noise not in run.stderr, noise
    assert "Validation: " in run.stdout and "0 blocking failed" in run.stdout
    reports = root / "dist" / "aviation" / "reports"
    index = (reports / "data-docs" / "index.html").read_text(encoding="utf-8")
    assert "https://" not in index.split("<body", 1)[0]  # nothing fetched from a CDN
    assert "refined" in index and "reachout-database" in index  # a suite per sheet and the output's
    results = json.loads((reports / "validation-results.json").read_text())
    assert results["summary"]["totals"]["expectations"] >= 40


@needs_shared
def test_lineage_server_down_is_a_warning_not_a_failure(aviation) -> None:
    root, run = aviation
    assert run.returncode == 0
    assert "lineage event START not delivered" in run.stderr and "127.0.0.1" in run.stderr
    events = (root / "dist" / "aviation" / "lineage" / "events.jsonl").read_text().splitlines()
    assert [json.loads(e)["eventType"] for e in events] == ["START", "COMPLETE"]


def _archive(root: Path) -> Path:
    found = sorted((root / "dist" / "aviation" / "archive").glob("refined-*.zip"))
    assert len(found) == 1
    return found[0]


@needs_shared
def test_archive_verifies_and_holds_the_outputs(aviation) -> None:
    root, run = aviation
    archive = _archive(root)
    assert f"Archive {archive}" in run.stdout.replace("\n", "")
    names = set(zipfile.ZipFile(archive).namelist())
    assert {"refined.xlsx", "review-queue.json", "reports/refine-summary.md", "reports/validation-results.json",
            "reports/data-docs/index.html", "SHA256SUMS"} <= names
    assert any(n.startswith("contract-notices/") for n in names)
    check = run_hotpass("archive", "verify", str(archive), cwd=root)
    assert check.returncode == 0, check.stderr
    assert "files match SHA256SUMS" in check.stdout


@needs_shared
def test_archive_with_a_changed_file_names_it(aviation, tmp_path: Path) -> None:
    root, _ = aviation
    original = _archive(root)
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "reports/refine-summary.md":
                data = data.replace(b"#", b"%", 1)  # one byte
            if info.filename != "review-queue.json":
                target.writestr(info.filename, data)
        target.writestr("extra.txt", b"not from refine")
    check = run_hotpass("archive", "verify", str(changed), cwd=root)
    assert check.returncode == 4
    assert "differs: reports/refine-summary.md" in check.stdout
    assert "missing: review-queue.json" in check.stdout and "added: extra.txt" in check.stdout


@needs_shared
def test_archive_with_a_flipped_byte_inside_names_the_member(aviation, tmp_path: Path) -> None:
    root, _ = aviation
    damaged = tmp_path / "damaged.zip"
    shutil.copy(_archive(root), damaged)
    with zipfile.ZipFile(damaged) as archive:
        info = archive.getinfo("refined.xlsx")
    data = bytearray(damaged.read_bytes())
    data[info.header_offset + 30 + len(info.filename) + 40] ^= 0xFF  # inside the member's compressed bytes
    damaged.write_bytes(bytes(data))
    check = run_hotpass("archive", "verify", str(damaged), cwd=root)
    assert check.returncode == 4
    assert "differs: refined.xlsx" in check.stdout


@needs_shared
@pytest.mark.parametrize("make", ["truncated", "not a zip"])
def test_truncated_or_foreign_archive_is_exit_4_naming_it(aviation, tmp_path: Path, make: str) -> None:
    root, _ = aviation
    bad = tmp_path / "bad.zip"
    bad.write_bytes(_archive(root).read_bytes()[:5000] if make == "truncated" else b"PK? just some text")
    check = run_hotpass("archive", "verify", str(bad), cwd=root)
    assert check.returncode == 4
    assert str(bad) in check.stderr.replace("\n", "") and "Traceback" not in check.stderr


def test_lint_names_file_and_key_of_a_bad_expectation(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "typo.yaml").write_text(
        "name: typo\nextends: generic\ndescription: x\nexpectations:\n  sheets:\n"
        "    - expect: expect_column_values_to_not_be_null\n      column: contact_emial\n", encoding="utf-8")
    run = run_hotpass("profiles", "--profile-search-path", str(folder), "lint", cwd=tmp_path)
    assert run.returncode == 6
    text = (run.stdout + run.stderr).replace("\n", " ")
    assert "typo.yaml" in text and "expectations.sheets.0.column" in text and "contact_emial" in text
