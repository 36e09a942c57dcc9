"""A row split out of an organisation (planned in core.org_decisions, as `hotpass review split-out` and the
organisation card plan it) is its own organisation after the next refine, and the card says so: before it,
that the split waits for that refine; after it, which organisation kept its id and which row got a new one;
undone, the rows merge again and the card names the id that merge retired.

Real refines (the runbook's refine step, validation off) of real workbooks, with a real ledger.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import UsageError
from core.org_card import org_card
from core.org_card_text import card_lines
from core.org_decisions import force, ledger_decisions, split_out
from core.runbook.context import Actor, StepContext
from core.runbook.runner import run_step
from core.runbook.steps.refine import RefineOptions
from core.workspace import Workspace
from tests.conftest import write_xlsx

CASE = "air"
HEADER = ["Company", "Phone", "E-mail", "Web", "Province"]


def write_case(workspace: Path) -> None:
    folder = workspace / "data" / CASE
    write_xlsx(folder / "directory.xlsx", {"Operators": [
        HEADER, ["360 Aviation", "011 555 0101", None, "https://360aviation.co.za", "Gauteng"],
        ["Kestrel Aero Club", None, None, None, "Western Cape"]]})
    write_xlsx(folder / "suppliers.xlsx", {"Suppliers": [
        HEADER, ["360 Aviation (Pty) Ltd", "+27115550101", None, None, "GP"]]})


def refine(workspace: Workspace):
    ctx = StepContext(workspace, workspace.case(CASE), Actor("cli", ("refine", "--case", CASE)))
    result = run_step("refine", ctx, RefineOptions(validate=False))
    assert result.status == "ok", result.error
    data = result.payload.organisations
    return {slug: ids for slug, ids in zip(data["organization_slug"], data["source_record_ids"])}, data


def card(workspace: Workspace, slug: str):
    case = workspace.case(CASE)
    return org_card(case, slug, decisions=ledger_decisions(workspace.open_ledger(), CASE))


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    write_case(tmp_path)
    return Workspace(tmp_path, tmp_path / ".hotpass" / "ledger.db")


def test_a_split_waits_for_the_next_refine_which_makes_the_row_its_own_organisation(workspace: Workspace) -> None:
    before, data = refine(workspace)
    assert before["360-aviation"] == "directory.xlsx#Operators!2; suppliers.xlsx#Suppliers!2"
    kept_id = data.set_index("organization_slug").loc["360-aviation", "organization_id"]

    planned = split_out(workspace.case(CASE), "360-aviation", "suppliers.xlsx:Suppliers:2")
    assert planned.decision == "split" and planned.summary == "suppliers.xlsx:Suppliers:2 out of 360-aviation"
    ledger = workspace.open_ledger()
    ledger.record_review_decision(CASE, planned.pair_id, planned.decision, comment="a supplier's row",
                                  summary=planned.summary)

    waiting = card(workspace, "360-aviation")
    [line] = waiting.review.decisions
    assert (line.decision, line.row, line.applied) == ("split", "suppliers.xlsx:Suppliers:2", False)
    text = "\n".join(card_lines(waiting))
    assert "suppliers.xlsx › Suppliers › row 2 (suppliers) · split recorded" in text
    assert f"recorded; the next refine applies it (pair {planned.pair_id})" in text

    after, data = refine(workspace)
    assert after["360-aviation"] == "directory.xlsx#Operators!2"  # the row that stayed keeps the slug
    [(new_slug, _)] = [(s, ids) for s, ids in after.items() if ids == "suppliers.xlsx#Suppliers!2"]
    ids = data.set_index("organization_slug")["organization_id"]
    assert ids["360-aviation"] == kept_id and ids[new_slug] != kept_id

    rest = "\n".join(card_lines(card(workspace, "360-aviation")))
    assert "split out of it: suppliers.xlsx:Suppliers:2" in rest
    assert f"the row is now {new_slug} ({ids[new_slug]}); this one kept its id" in rest
    by_row = card(workspace, "suppliers.xlsx#Suppliers!2")  # the review queue names rows so: their organisation
    assert by_row.slug == new_slug and [m.record_id for m in by_row.members] == ["suppliers.xlsx#Suppliers!2"]
    left = "\n".join(card_lines(card(workspace, new_slug)))
    assert f"a new id for this row; 360-aviation kept {kept_id}, no id retired" in left

    # Undone, the rows merge again on the next refine: the split-off organisation's id is retired into it.
    ledger.record_review_decision(CASE, planned.pair_id, "undo", summary=planned.summary)
    again, _ = refine(workspace)
    assert again["360-aviation"] == before["360-aviation"] and new_slug not in again
    merged = card(workspace, "360-aviation")
    assert [(r["id"], r["slug"]) for r in merged.review.absorbed] == [(ids[new_slug], new_slug)]
    assert f"{ids[new_slug]} ({new_slug}), retired by run" in "\n".join(card_lines(merged))


def test_a_row_that_is_not_the_organisations_or_a_one_row_organisation_is_refused(workspace: Workspace) -> None:
    refine(workspace)
    with pytest.raises(UsageError) as wrong:
        split_out(workspace.case(CASE), "360-aviation", "other.xlsx:S:9")
    assert "directory.xlsx:Operators:2" in wrong.value.hint and "nothing was recorded" in wrong.value.hint
    with pytest.raises(UsageError) as alone:
        split_out(workspace.case(CASE), "kestrel-aero-club", "directory.xlsx:Operators:3")
    assert "no other row" in alone.value.message



def test_a_forced_merge_is_on_both_cards_until_the_next_refine_applies_it(workspace: Workspace) -> None:
    refine(workspace)
    planned = force(workspace.case(CASE), "kestrel-aero-club", "360-aviation", "force_together")
    assert planned.summary == "kestrel-aero-club and 360-aviation"
    workspace.open_ledger().record_review_decision(CASE, planned.pair_id, planned.decision, summary=planned.summary)
    [line] = card(workspace, "kestrel-aero-club").review.decisions
    assert (line.decision, line.other_slug, line.applied) == ("force_together", "360-aviation", False)
    assert "forced together: directory.xlsx:Operators:3 with directory.xlsx:Operators:2 (360-aviation)" in \
        "\n".join(card_lines(card(workspace, "kestrel-aero-club")))
    after, _ = refine(workspace)
    [merged] = [ids for ids in after.values() if "directory.xlsx#Operators!3" in ids]
    assert "directory.xlsx#Operators!2" in merged  # one organisation now
    with pytest.raises(UsageError):
        force(workspace.case(CASE), "360-aviation", "360-aviation", "force_apart")
