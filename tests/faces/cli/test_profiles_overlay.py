"""A case overlay from the command line: shown by `profiles show --case`, linted, and used (and hashed) by refine."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.conftest import run_hotpass, write_xlsx

ROWS = [["Client register 2026"], [], ["Practice", "E-pos", "Foon"],
        ["Acme Vets", "info@acme.co.za", "082 123 4567"], ["Beta Coop", "hello@beta.co.za", "083 765 4321"]]
OVERLAY = """extends: generic
sources:
  - pattern: clients.xlsx
    header_rows: {List: 3}
    columns:
      List: {E-pos: contact_email, Foon: contact_phone}
"""


def _case(ws: Path, overlay: str) -> Path:
    folder = ws / "data" / "vets"
    write_xlsx(folder / "clients.xlsx", {"List": ROWS})
    (folder / "hotpass.yaml").write_text(overlay)
    return folder / "hotpass.yaml"


def test_show_lint_and_refine_use_the_overlay(tmp_path: Path) -> None:
    overlay = _case(tmp_path, OVERLAY)
    shown = run_hotpass("profiles", "show", "generic", "--case", "vets", cwd=tmp_path, env={"COLUMNS": "100"})
    assert shown.returncode == 0, shown.stderr
    assert "extended by" in shown.stdout and "E-pos: contact_email" in shown.stdout

    lint = run_hotpass("profiles", "lint", cwd=tmp_path)
    assert lint.returncode == 0 and "1 of 1 case overlays valid" in lint.stdout

    refine = run_hotpass("refine", "--case", "vets", cwd=tmp_path)
    assert refine.returncode == 0, refine.stderr
    log = run_hotpass("ledger", "log", "--kind", "run", "--json", "--limit", "1", cwd=tmp_path)
    run = json.loads(log.stdout.splitlines()[0])
    inputs = {item["path"]: item["sha256"] for item in run["payload"]["inputs"]}
    assert inputs[str(overlay)] == hashlib.sha256(overlay.read_bytes()).hexdigest()

    from openpyxl import load_workbook

    data = load_workbook(tmp_path / "dist" / "vets" / "refined.xlsx", read_only=True)["Data"]
    header, *rows = list(data.iter_rows(values_only=True))
    emails = [row[header.index("contact_primary_email")] for row in rows]
    assert sorted(emails) == ["hello@beta.co.za", "info@acme.co.za"]


def test_a_damaged_overlay_stops_refine_and_lint_with_exit_6_naming_it(tmp_path: Path) -> None:
    _case(tmp_path, OVERLAY.replace("contact_phone", "telephone"))
    refine = run_hotpass("refine", "--case", "vets", cwd=tmp_path)
    assert refine.returncode == 6
    assert "hotpass.yaml" in refine.stderr and "sources[0].columns.List.Foon" in refine.stderr
    assert "no field 'telephone'" in refine.stderr

    lint = run_hotpass("profiles", "lint", cwd=tmp_path, env={"COLUMNS": "200"})
    assert lint.returncode == 6
    assert "data/vets/hotpass.yaml" in lint.stdout and "sources[0].columns.List.Foon" in lint.stdout


def test_suggest_prints_an_overlay_that_refine_accepts(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "vets"
    write_xlsx(folder / "clients.xlsx", {"List": ROWS})
    suggested = run_hotpass("profiles", "suggest", "--input-dir", str(folder), cwd=tmp_path)
    assert suggested.returncode == 0, suggested.stderr
    assert "E-pos: contact_email" in suggested.stdout and "Foon: contact_phone" in suggested.stdout
    assert "List: 3" in suggested.stdout
    assert "Practice:" not in suggested.stdout  # the profile maps it already: not an overlay change
    (folder / "hotpass.yaml").write_text(suggested.stdout)
    lint = run_hotpass("profiles", "lint", cwd=tmp_path)
    assert lint.returncode == 0 and "1 of 1 case overlays valid" in lint.stdout
