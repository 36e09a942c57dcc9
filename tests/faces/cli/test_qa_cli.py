"""`hotpass qa …` and `hotpass incident …` as an operator runs them (subprocesses, real files and ledger)."""

from __future__ import annotations

import json
from pathlib import Path

from ledger import Ledger
from tests.conftest import AVIATION, needs_shared, run_hotpass
from tests.core.contracts_helpers import refined_workbook

NARROW = {"COLUMNS": "80"}


def test_qa_all_on_a_case_with_no_outputs_prints_the_whole_table(tmp_path: Path) -> None:
    done = run_hotpass("qa", "all", "--case", "fresh", cwd=tmp_path, env=NARROW)
    assert done.returncode == 11
    lines = done.stdout.splitlines()
    for target in ("cli", "data-quality", "contracts", "enrichment", "ledger", "docs"):
        assert any(line.split()[1:2] == [target] or f" {target} " in line for line in lines), target
    assert done.stdout.count("no output yet: run refine") == 3
    long = [line for line in lines if len(line) > 80 and " " in line.strip()]  # a lone path may run on, uncut
    assert long == []
    assert "quality gate" in done.stderr


def test_a_waived_gate_shows_in_the_json_table_and_qa_passes(tmp_path: Path) -> None:
    out = tmp_path / "dist" / "demo"
    refined_workbook(out / "refined.xlsx")
    refined_workbook(out / "enriched.xlsx")  # provenance missing
    failed = run_hotpass("qa", "enrichment", "--case", "demo", "--json", cwd=tmp_path)
    assert failed.returncode == 11
    assert json.loads(failed.stdout)["gates"][0]["status"] == "fail"
    waive = run_hotpass("ledger", "approve", "waiver", "demo/enrichment", "-m", "registry offline", "--case", "demo",
                        cwd=tmp_path)
    assert waive.returncode == 0, waive.stderr
    waived = run_hotpass("qa", "enrichment", "--case", "demo", "--json", cwd=tmp_path)
    assert waived.returncode == 0
    gate = json.loads(waived.stdout)["gates"][0]
    assert gate["status"] == "waived" and gate["waiver"]["comment"] == "registry offline"
    table = run_hotpass("qa", "enrichment", "--case", "demo", cwd=tmp_path, env=NARROW)
    assert table.returncode == 0 and "waived" in table.stdout and "registry offline" in table.stdout


def test_incident_open_list_show_close(tmp_path: Path) -> None:
    refined_workbook(tmp_path / "dist" / "demo" / "refined.xlsx")
    opened = run_hotpass("incident", "open", "INC-42", "--summary", "phones lost", "--severity", "high",
                         "--case", "demo", cwd=tmp_path)
    assert opened.returncode == 0, opened.stderr
    folder = tmp_path / "dist" / "incidents" / "INC-42"
    assert (folder / "SHA256SUMS").is_file() and (folder / "outputs" / "refined.xlsx").is_file()
    listed = run_hotpass("incident", "list", "--json", cwd=tmp_path)
    assert [(i["ticket_id"], i["status"], i["severity"]) for i in json.loads(listed.stdout)] == [
        ("INC-42", "open", "high")]
    shown = run_hotpass("incident", "show", "INC-42", cwd=tmp_path)
    assert shown.returncode == 0 and "SHA256SUMS verify" in shown.stdout
    closed = run_hotpass("incident", "close", "INC-42", "--comment", "re-exported", cwd=tmp_path)
    assert closed.returncode == 0
    states = Ledger(tmp_path / ".hotpass" / "ledger.db").incident_states()
    assert [(i.ticket_id, i.status, i.comment) for i in states] == [("INC-42", "closed", "re-exported")]


def test_a_ticket_id_with_a_path_in_it_is_refused(tmp_path: Path) -> None:
    for ticket in ("../escape", "a/b"):
        done = run_hotpass("incident", "open", ticket, "--summary", "x", cwd=tmp_path)
        assert done.returncode == 2, done.stderr
    assert not (tmp_path / "escape").exists() and not (tmp_path / "dist").exists()


@needs_shared
def test_qa_all_on_the_refined_and_enriched_real_case(tmp_path: Path) -> None:
    import sqlite3

    from openpyxl import load_workbook

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "aviation").symlink_to(AVIATION)
    for step in (("refine", "--profile", "aviation", "--case", "aviation"),
                 ("enrich", "--profile", "aviation", "--case", "aviation"),
                 ("contracts", "emit", "--profile", "aviation", "--case", "aviation")):
        done = run_hotpass(*step, cwd=tmp_path, timeout=900)
        assert done.returncode == 0, (step, done.stderr)
    passed = run_hotpass("qa", "all", "--case", "aviation", "--json", cwd=tmp_path, timeout=300)
    assert passed.returncode == 0, passed.stdout
    enriched = tmp_path / "dist" / "aviation" / "enriched.xlsx"
    book = load_workbook(enriched)
    sheet = book["Data"]
    sheet.delete_cols([c.value for c in sheet[1]].index("provenance_source") + 1)
    book.save(enriched)
    failed = run_hotpass("qa", "all", "--case", "aviation", "--json", cwd=tmp_path, timeout=300)
    assert failed.returncode == 11
    assert [g["target"] for g in json.loads(failed.stdout)["gates"] if g["status"] == "fail"] == ["enrichment"]
    con = sqlite3.connect(tmp_path / ".hotpass" / "ledger.db")
    con.execute("DROP TRIGGER entries_no_update")
    con.execute("UPDATE entries SET who = 'someone else' WHERE seq = 1")
    con.commit()
    con.close()
    tampered = run_hotpass("qa", "ledger", "--case", "aviation", "--json", cwd=tmp_path)
    assert tampered.returncode == 11 and json.loads(tampered.stdout)["gates"][0]["status"] == "fail"
