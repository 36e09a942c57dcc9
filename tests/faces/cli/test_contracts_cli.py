"""`hotpass contracts emit|check|diff` as an operator runs them (subprocesses, real files)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import AVIATION, needs_shared, run_hotpass, write_xlsx
from tests.core.contracts_helpers import refined_workbook


def test_emit_writes_the_default_path_with_the_same_bytes_each_time(tmp_path: Path) -> None:
    first = run_hotpass("contracts", "emit", "--profile", "aviation", "--case", "demo", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    path = tmp_path / "dist" / "demo" / "contracts" / "aviation.yaml"
    before = path.read_bytes()
    assert "apiVersion: v3.1.0" in before.decode() and str(path) in first.stdout
    again = run_hotpass("contracts", "emit", "--profile", "aviation", "--case", "demo", cwd=tmp_path)
    assert again.returncode == 0 and path.read_bytes() == before and "Same bytes" in again.stdout
    as_json = run_hotpass("contracts", "emit", "--profile", "aviation", "--format", "json", "--output", "c.json",
                          cwd=tmp_path)
    assert as_json.returncode == 0 and (tmp_path / "c.json").read_text().startswith("{")


def test_check_passes_a_good_workbook_and_names_what_breaks_the_contract(tmp_path: Path) -> None:
    assert run_hotpass("contracts", "emit", "--profile", "generic", "--output", "c.yaml", cwd=tmp_path).returncode == 0
    good = run_hotpass("contracts", "check", "--contract", "c.yaml", str(refined_workbook(tmp_path / "good.xlsx")),
                       cwd=tmp_path)
    assert good.returncode == 0 and "passes" in good.stdout
    bad = refined_workbook(tmp_path / "bad.xlsx", drop=("organization_name",))
    failed = run_hotpass("contracts", "check", "--contract", "c.yaml", str(bad), cwd=tmp_path)
    assert failed.returncode == 11
    assert "organization_name" in failed.stdout and "missing column" in failed.stdout
    assert "organization_name" in failed.stderr


def test_check_refuses_a_contract_that_is_not_odcs_and_a_workbook_without_data(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text("apiVersion: v3.1.0\nkind: Table\nid: x\nversion: '1'\nstatus: a\n")
    book = refined_workbook(tmp_path / "r.xlsx")
    foreign = run_hotpass("contracts", "check", "--contract", "c.yaml", str(book), cwd=tmp_path)
    assert foreign.returncode == 4 and "c.yaml" in foreign.stderr and "$.kind" in foreign.stderr
    assert run_hotpass("contracts", "emit", "--output", "ok.yaml", cwd=tmp_path).returncode == 0
    other = write_xlsx(tmp_path / "other.xlsx", {"Sheet1": [["a"], [1]]})
    no_data = run_hotpass("contracts", "check", "--contract", "ok.yaml", str(other), cwd=tmp_path)
    assert no_data.returncode == 4 and "Data" in no_data.stderr


def test_diff_classes_changes_and_fails_on_breaking_when_asked(tmp_path: Path) -> None:
    assert run_hotpass("contracts", "emit", "--output", "old.yaml", cwd=tmp_path).returncode == 0
    text = (tmp_path / "old.yaml").read_text(encoding="utf-8")
    start = text.index("\n  - id: website\n")
    end = text.index("\n  - id: planes\n")
    (tmp_path / "new.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    plain = run_hotpass("contracts", "diff", "old.yaml", "new.yaml", cwd=tmp_path)
    assert plain.returncode == 0 and "column removed" in plain.stdout and "website" in plain.stdout
    strict = run_hotpass("contracts", "diff", "old.yaml", "new.yaml", "--fail-on-breaking", cwd=tmp_path)
    assert strict.returncode == 11 and "website" in strict.stderr


@needs_shared
def test_the_refined_real_case_meets_its_contract_and_fails_without_a_required_column(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "aviation").symlink_to(AVIATION)
    refined = run_hotpass("refine", "--profile", "aviation", "--case", "aviation", "--no-validate", cwd=tmp_path,
                          timeout=600)
    assert refined.returncode == 0, refined.stderr
    assert run_hotpass("contracts", "emit", "--profile", "aviation", "--case", "aviation", cwd=tmp_path).returncode == 0
    contract = "dist/aviation/contracts/aviation.yaml"
    passed = run_hotpass("contracts", "check", "--contract", contract, "dist/aviation/refined.xlsx", cwd=tmp_path)
    assert passed.returncode == 0, passed.stdout
    book = load_workbook(tmp_path / "dist" / "aviation" / "refined.xlsx")
    sheet = book["Data"]
    column = [c.value for c in sheet[1]].index("source_record_ids") + 1
    sheet.delete_cols(column)
    book.save(tmp_path / "cut.xlsx")
    failed = run_hotpass("contracts", "check", "--contract", contract, "cut.xlsx", cwd=tmp_path)
    assert failed.returncode == 11 and "source_record_ids" in failed.stdout


def test_emit_keeps_pandas_and_great_expectations_off_its_path(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    probe = ("import sys\nfrom hotpass_tui.cli import main\ncode = main(['contracts', 'emit', '--profile', 'aviation', "
             "'--output', 'c.yaml'])\nprint(code, 'pandas' in sys.modules, 'great_expectations' in sys.modules, "
             "'jsonschema' in sys.modules)\n")
    env = {**os.environ, "HOTPASS_LEDGER": str(tmp_path / ".hotpass" / "ledger.db")}
    # A ledger's first creation runs its migrations through sqlite-utils, which imports pandas when it is
    # installed: that is the ledger's first use, not emit's path, so the ledger exists before the probe.
    assert run_hotpass("ledger", "log", cwd=tmp_path).returncode == 0
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.split()[-4:] == ["0", "False", "False", "False"], done.stderr
