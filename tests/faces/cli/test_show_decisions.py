"""`hotpass review split-out` and `hotpass show` between two refines: the split is planned by the same core
function the organisation card calls, and the card as text says it waits for the next refine."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_hotpass
from tests.faces.cli.test_review_cli import CASE, write_case


def hotpass(workspace: Path, *args: str):
    result = run_hotpass(*args, cwd=workspace, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_show_says_a_split_out_waits_for_the_next_refine(tmp_path: Path) -> None:
    write_case(tmp_path)
    hotpass(tmp_path, "refine", "--case", CASE)
    before = hotpass(tmp_path, "show", "360-aviation", "--case", CASE)
    assert "Decisions on its rows\n  none yet" in before
    assert "hotpass review split-out 360-aviation FILE:SHEET:ROW --case air" in before

    said = hotpass(tmp_path, "review", "split-out", "360-aviation", "suppliers.xlsx:Suppliers:3", "--case", CASE,
                   "-m", "a supplier, not the operator")
    [recorded, applies] = said.strip().splitlines()
    assert recorded.startswith("recorded split ") and recorded.endswith(": suppliers.xlsx:Suppliers:3 out of 360-aviation")
    assert applies == "Decisions apply on the next `hotpass refine` of this case."
    pair = recorded.split()[2].rstrip(":")

    after = hotpass(tmp_path, "show", "360-aviation", "--case", CASE)
    assert "  suppliers.xlsx › Suppliers › row 3 (suppliers) · split recorded" in after
    assert "  split out: suppliers.xlsx:Suppliers:3 from directory.xlsx:Operators:4 (360-aviation)\n" \
           f"      recorded; the next refine applies it (pair {pair})" in after
    log = hotpass(tmp_path, "ledger", "log", "--kind", "review_decision", "--json")
    assert pair in log and "a supplier, not the operator" in log
