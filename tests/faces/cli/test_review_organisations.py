"""Organisations as the operator names them between refines: slugs and ids that last when a file is
added, two organisations forced together, one row split out, and the ids each change retired."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import run_hotpass, write_xlsx
from tests.faces.cli.test_review_cli import CASE, HEADER, write_case


def hotpass(workspace: Path, *args: str):
    result = run_hotpass(*args, cwd=workspace, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    return result


def refine(workspace: Path) -> dict[str, tuple[str, str]]:
    """organization_slug -> (organization_id, source_record_ids) of the Data sheet."""
    hotpass(workspace, "refine", "--case", CASE)
    rows = list(load_workbook(workspace / "dist" / CASE / "refined.xlsx", read_only=True)["Data"].iter_rows(values_only=True))
    data = [dict(zip(rows[0], r)) for r in rows[1:]]
    return {row["organization_slug"]: (row["organization_id"], row["source_record_ids"]) for row in data}


def retired(workspace: Path) -> list[dict]:
    return json.loads((workspace / "dist" / CASE / "organisations-index.json").read_text(encoding="utf-8"))["retired"]


def test_a_new_file_keeps_every_slug_and_id_and_decisions_on_organisations_apply(tmp_path: Path) -> None:
    write_case(tmp_path)
    first = refine(tmp_path)
    assert all(oid.startswith("org-") for oid, _ in first.values())
    write_xlsx(tmp_path / "data" / CASE / "late.xlsx", {"Late": [
        HEADER, ["Kestrel Aero Club", None, None, None, "Western Cape"], ["Brand New Aero", None, None, None, "Limpopo"]]})
    second = refine(tmp_path)
    for slug, (oid, _) in first.items():
        assert second[slug][0] == oid, slug
    assert "late.xlsx#Late!2" in second["kestrel-aero-club"][1]  # the new row joined the organisation it had
    assert "brand-new-aero" in second and retired(tmp_path) == []

    hotpass(tmp_path, "review", "force-together", "kestrel-aero-club", "brand-new-aero", "--case", CASE)
    third = refine(tmp_path)
    assert "brand-new-aero" not in third and third["kestrel-aero-club"][0] == first["kestrel-aero-club"][0]
    assert [(r["slug"], r["reason"], r["into"]) for r in retired(tmp_path)] == [
        ("brand-new-aero", "merged", first["kestrel-aero-club"][0])]

    [aviation] = [slug for slug, (_, ids) in third.items() if "suppliers.xlsx#Suppliers!3" in ids]
    assert "directory.xlsx#Operators!4" in third[aviation][1]
    listed = hotpass(tmp_path, "review", "split-out", aviation, "suppliers.xlsx:Suppliers:3", "--case", CASE)
    assert f"suppliers.xlsx:Suppliers:3 out of {aviation}" in listed.stdout
    fourth = refine(tmp_path)
    assert fourth[aviation] == (third[aviation][0], "directory.xlsx#Operators!4")  # the rest keeps the id
    [(split_slug, (split_id, _))] = [(s, v) for s, v in fourth.items() if v[1] == "suppliers.xlsx#Suppliers!3"]
    assert split_id not in {oid for oid, _ in third.values()} and split_slug != aviation


def test_naming_an_organisation_or_row_that_is_not_there_records_nothing(tmp_path: Path) -> None:
    write_case(tmp_path)
    refine(tmp_path)
    wrong = run_hotpass("review", "force-together", "kestrel-aero-club", "no-such-org", "--case", CASE, cwd=tmp_path)
    assert wrong.returncode == 2 and "no organisation 'no-such-org'" in wrong.stderr
    row = run_hotpass("review", "split-out", "kestrel-aero-club", "other.xlsx:S:9", "--case", CASE, cwd=tmp_path)
    assert row.returncode == 2 and "directory.xlsx:Operators:" in row.stderr  # its real rows are named
    log = run_hotpass("ledger", "log", "--kind", "review_decision", "--json", cwd=tmp_path)
    assert log.stdout.strip() == ""
