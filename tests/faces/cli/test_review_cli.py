"""`hotpass review list|approve|reject` as an operator uses it between two refines: the pair and
its evidence in plain words, the decision in the ledger, and the next refine obeying it."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from ledger import Ledger
from tests.conftest import run_hotpass, write_xlsx

CASE = "air"
HEADER = ["Company", "Phone", "E-mail", "Web", "Province"]
# "Skyline Charters" (two spellings, two files) and "Skyline Air Charters" share only an email
# domain: the pair lands in the review band. The 360 Aviation rows merge on their own.
EXPLANATION = "one name adds 'air'; same email domain (skyline.co.za)"


def write_case(workspace: Path) -> None:
    folder = workspace / "data" / CASE
    write_xlsx(folder / "directory.xlsx", {"Operators": [
        ["Aviation operators"], HEADER,
        ["Skyline Charters", None, "info@skyline.co.za", None, "Gauteng"],
        ["360 Aviation", "011 555 0101", None, "https://360aviation.co.za", "Gauteng"],
        ["Kestrel Aero Club", None, None, None, "Western Cape"],
    ]})
    write_xlsx(folder / "suppliers.xlsx", {"Suppliers": [
        HEADER,
        ["Skyline Air Charters", None, "bookings@skyline.co.za", None, "GP"],
        ["360 Aviation (Pty) Ltd", "+27115550101", None, None, "GP"],
    ]})
    write_xlsx(folder / "crm.xlsx", {"Accounts": [
        HEADER, ["SKYLINE CHARTERS (PTY) LTD", None, "ops@skyline.co.za", None, "Gauteng"],
    ]})


def hotpass(workspace: Path, *args: str):
    return run_hotpass(*args, cwd=workspace, env={"COLUMNS": "250"})


def refine(workspace: Path) -> dict:
    result = hotpass(workspace, "refine", "--case", CASE)
    assert result.returncode == 0, result.stderr
    return json.loads((workspace / "dist" / CASE / "review-queue.json").read_text(encoding="utf-8"))


def organisations(workspace: Path) -> dict[str, dict]:
    rows = list(load_workbook(workspace / "dist" / CASE / "refined.xlsx", read_only=True)["Data"].iter_rows(values_only=True))
    return {row["source_record_ids"]: row for row in (dict(zip(rows[0], r)) for r in rows[1:])}


def skyline_groups(workspace: Path) -> list[str]:
    return sorted(ids for ids in organisations(workspace) if "crm.xlsx" in ids or "Suppliers!2" in ids)


def first_refine(workspace: Path) -> str:
    write_case(workspace)
    queue = refine(workspace)
    [pair] = queue["pairs"]
    assert pair["decision"] is None
    assert pair["explanation"] == EXPLANATION
    assert {pair["left"]["organization_name"], pair["right"]["organization_name"]} <= {
        "Skyline Charters", "SKYLINE CHARTERS (PTY) LTD", "Skyline Air Charters"}
    return pair["pair_id"]


def test_review_list_shows_the_pair_with_the_queues_words(tmp_path: Path) -> None:
    pair_id = first_refine(tmp_path)
    assert skyline_groups(tmp_path) == ["crm.xlsx#Accounts!2; directory.xlsx#Operators!3",
                                        "suppliers.xlsx#Suppliers!2"]
    listing = hotpass(tmp_path, "review", "list", "--case", CASE)
    assert listing.returncode == 0, listing.stderr
    assert pair_id in listing.stdout and EXPLANATION in listing.stdout
    assert "Skyline Air Charters" in listing.stdout
    assert "file      suppliers.xlsx\n     sheet     Suppliers\n     row       2\n" in listing.stdout
    # the merge refine made on its own carries its words into the Data sheet
    merged = organisations(tmp_path)["directory.xlsx#Operators!4; suppliers.xlsx#Suppliers!3"]
    assert merged["merge_explanation"] == "names equal after removing '(Pty) Ltd'; same phone number"


def test_approve_merges_on_the_next_refine_and_is_in_the_ledger(tmp_path: Path) -> None:
    pair_id = first_refine(tmp_path)
    approved = hotpass(tmp_path, "review", "approve", pair_id, "--case", CASE, "--comment", "one operator")
    assert approved.returncode == 0, approved.stderr
    assert f"approved {pair_id}: {EXPLANATION}" in approved.stdout

    queue = refine(tmp_path)
    assert skyline_groups(tmp_path) == ["crm.xlsx#Accounts!2; directory.xlsx#Operators!3; suppliers.xlsx#Suppliers!2"]
    explanation = organisations(tmp_path)[skyline_groups(tmp_path)[0]]["merge_explanation"]
    assert explanation.startswith(f"approved by the operator; {EXPLANATION}")
    assert [(p["pair_id"], p["decision"]) for p in queue["pairs"]] == [(pair_id, "approve")]

    assert "No pairs wait for review" in hotpass(tmp_path, "review", "list", "--case", CASE).stdout
    everything = hotpass(tmp_path, "review", "list", "--case", CASE, "--all").stdout
    assert pair_id in everything and "approve" in everything
    log = hotpass(tmp_path, "ledger", "log", "--kind", "review_decision", "--case", CASE, "--json")
    [entry] = [json.loads(line) for line in log.stdout.splitlines()]
    assert entry["payload"] == {"pair_id": pair_id, "decision": "approve", "comment": "one operator",
                                "summary": EXPLANATION}


def test_reject_keeps_them_apart_and_never_asks_again(tmp_path: Path) -> None:
    pair_id = first_refine(tmp_path)
    rejected = hotpass(tmp_path, "review", "reject", pair_id, "--case", CASE)
    assert rejected.returncode == 0, rejected.stderr
    assert f"rejected {pair_id}: {EXPLANATION}" in rejected.stdout
    assert Ledger(tmp_path / ".hotpass" / "ledger.db").review_decisions(CASE) == {pair_id: "reject"}
    queue = refine(tmp_path)
    assert skyline_groups(tmp_path) == ["crm.xlsx#Accounts!2; directory.xlsx#Operators!3",
                                        "suppliers.xlsx#Suppliers!2"]
    # the organisation's other row (directory.xlsx) must not bring the question back
    assert [(p["pair_id"], p["decision"]) for p in queue["pairs"]] == [(pair_id, "reject")]
    assert "No pairs wait for review" in hotpass(tmp_path, "review", "list", "--case", CASE).stdout
    again = hotpass(tmp_path, "refine", "--case", CASE)
    assert again.returncode == 0 and "pairs wait for review" not in again.stdout
    assert len(skyline_groups(tmp_path)) == 2


def test_the_latest_decision_wins(tmp_path: Path) -> None:
    pair_id = first_refine(tmp_path)
    assert hotpass(tmp_path, "review", "approve", pair_id, "--case", CASE).returncode == 0
    assert hotpass(tmp_path, "review", "reject", pair_id, "--case", CASE).returncode == 0
    refine(tmp_path)
    assert len(skyline_groups(tmp_path)) == 2


def test_unknown_pair_is_refused_clearly_and_nothing_is_recorded(tmp_path: Path) -> None:
    pair_id = first_refine(tmp_path)
    result = hotpass(tmp_path, "review", "approve", pair_id, "0000-1111", "--case", CASE)
    assert result.returncode == 2
    assert "no such pair in the review queue: 0000-1111" in result.stderr
    assert f"review list --case {CASE}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert Ledger(tmp_path / ".hotpass" / "ledger.db").review_decisions(CASE) == {}


def test_review_before_any_refine_says_what_to_do(tmp_path: Path) -> None:
    result = hotpass(tmp_path, "review", "list", "--case", "never-refined")
    assert result.returncode == 3
    assert "no review queue for this case yet" in result.stderr and "hotpass refine" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_damaged_queue_file_is_named_not_a_crash(tmp_path: Path) -> None:
    queue = tmp_path / "dist" / CASE / "review-queue.json"
    queue.parent.mkdir(parents=True)
    queue.write_text('{"case_id": "air", "pairs": [', encoding="utf-8")
    result = hotpass(tmp_path, "review", "list", "--case", CASE)
    assert result.returncode == 4
    assert "review-queue.json" in result.stderr and "cannot be read" in result.stderr
    assert "hotpass refine" in result.stderr and "internal error" not in result.stderr


def test_a_pair_undone_after_refine_applied_it_waits_again_in_the_list(tmp_path: Path) -> None:
    pair_id = first_refine(tmp_path)
    assert hotpass(tmp_path, "review", "approve", pair_id, "--case", CASE).returncode == 0
    applied = hotpass(tmp_path, "refine", "--case", CASE)  # the queue file now says "approve"
    assert "review pairs 0 waiting, 1 decided" in applied.stdout and "wait for review" not in applied.stdout
    undone = hotpass(tmp_path, "review", "undo", "--case", CASE)  # no id: the case's last decision
    assert undone.returncode == 0, undone.stderr
    assert f"undone {pair_id}" in undone.stdout
    listing = hotpass(tmp_path, "review", "list", "--case", CASE).stdout
    assert pair_id in listing and "1 waiting" in listing  # not "No pairs wait": the ledger withdrew it
    again = hotpass(tmp_path, "review", "undo", "--case", CASE)
    assert again.returncode == 2 and "nothing to undo" in again.stderr and "Traceback" not in again.stderr


def test_undo_before_any_decision_says_there_is_nothing_to_undo(tmp_path: Path) -> None:
    first_refine(tmp_path)
    result = hotpass(tmp_path, "review", "undo", "--case", CASE)
    assert result.returncode == 2
    assert f"no decision stands in case {CASE}: there is nothing to undo" in result.stderr
    assert "review list" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert Ledger(tmp_path / ".hotpass" / "ledger.db").review_decisions(CASE) == {}
