"""Review decisions are keyed by what the two rows say: they still apply after the rows move.

The pipeline up to the review queue runs on real workbooks (ingest, normalise, resolve), with the
decisions handed in as the ledger hands them to refine: content pair id -> decision.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.ingest.case_reader import ingest_case
from core.normalize.records import normalise_records
from core.profiles import load_profile
from core.progress import Reporter
from core.resolve import resolve
from core.resolve.review import decisions_for_run
from core.results import REFINE_STAGES
from core.review_queue import review_items
from tests.conftest import write_xlsx

HEADER = ["Company", "Phone", "E-mail", "Web", "Province"]
SKYLINE = [["Skyline Charters", None, "info@skyline.co.za", None, "Gauteng"],
           ["Kestrel Aero Club", None, None, None, "Western Cape"],
           ["360 Aviation", "011 555 0101", None, "https://360aviation.co.za", "Gauteng"]]
SUPPLIERS = [["Skyline Air Charters", None, "bookings@skyline.co.za", None, "GP"],
             ["360 Aviation (Pty) Ltd", "+27115550101", None, None, "GP"]]


def write_case(folder: Path, reorder: bool = False, extra_column: bool = False) -> Path:
    header, directory, suppliers = list(HEADER), [list(r) for r in SKYLINE], [list(r) for r in SUPPLIERS]
    if reorder:
        directory.reverse()
        suppliers.reverse()
    if extra_column:  # a column the first export did not have
        header.append("Notes")
        directory = [row + [f"note {i}"] for i, row in enumerate(directory)]
    write_xlsx(folder / "directory.xlsx", {"Operators": [["Aviation operators"], header, *directory]})
    write_xlsx(folder / "suppliers.xlsx", {"Suppliers": [HEADER, *suppliers]})
    return folder


def queue(folder: Path, decisions: dict[str, str] | None = None):
    profile = load_profile("generic")
    records, _ = normalise_records(ingest_case(folder, profile, Reporter(REFINE_STAGES)).records(), profile)
    decided = decisions_for_run(records, decisions)
    resolution = resolve(records, profile.resolution, decided)
    names = dict(zip(records["record_id"], records["organization_name"]))
    together = {}
    for rid, cluster in zip(records["record_id"], resolution.cluster_ids):
        together.setdefault(cluster, set()).add(names[rid])
    return review_items(records, resolution, decided), sorted(sorted(n) for n in together.values())


def skyline_pair(items):
    [item] = [i for i in items if "Skyline Air Charters" in (i.left["organization_name"], i.right["organization_name"])]
    return item


def test_the_pair_id_is_short_and_the_same_after_rows_move_and_a_column_is_added(tmp_path: Path) -> None:
    first, _ = queue(write_case(tmp_path / "a"))
    moved, _ = queue(write_case(tmp_path / "b", reorder=True, extra_column=True))
    pair_id = skyline_pair(first).pair_id
    assert len(pair_id) == 12 and all(c in "0123456789abcdef" for c in pair_id)
    assert skyline_pair(moved).pair_id == pair_id
    # the rows themselves did move: a record-id key would not have found them
    assert skyline_pair(first).left["source_row"] != skyline_pair(moved).left["source_row"] or \
        skyline_pair(first).right["source_row"] != skyline_pair(moved).right["source_row"]


@pytest.mark.parametrize("decision, together", [("approve", True), ("force_together", True),
                                                ("reject", False), ("split", False)])
def test_a_decision_still_applies_after_re_sorting_and_a_new_column(tmp_path: Path, decision, together) -> None:
    first, _ = queue(write_case(tmp_path / "a"))
    pair_id = skyline_pair(first).pair_id
    items, organisations = queue(write_case(tmp_path / "b", reorder=True, extra_column=True), {pair_id: decision})
    joined = ["Skyline Air Charters", "Skyline Charters"] in organisations
    assert joined is together
    assert skyline_pair(items).decision == decision  # shown as the operator said it, not as merge/apart
    assert items[-1].pair_id == pair_id  # answered pairs go to the end of the queue


def test_unsure_and_undo_leave_the_pair_open(tmp_path: Path) -> None:
    folder = write_case(tmp_path / "a")
    pair_id = skyline_pair(queue(folder)[0]).pair_id
    unsure, organisations = queue(folder, {pair_id: "unsure"})
    assert skyline_pair(unsure).decision == "unsure"
    assert ["Skyline Air Charters", "Skyline Charters"] not in organisations
    undone, _ = queue(folder, {pair_id: "undo"})
    assert skyline_pair(undone).decision is None


def test_a_decision_on_rows_no_longer_there_is_reported_not_guessed(tmp_path: Path) -> None:
    folder = write_case(tmp_path / "a")
    profile = load_profile("generic")
    records, _ = normalise_records(ingest_case(folder, profile, Reporter(REFINE_STAGES)).records(), profile)
    decided = decisions_for_run(records, {"abcdefabcdef": "approve", "0123456789ab": "reject"})
    assert dict(decided) == {}
    assert decided.unmatched == ["0123456789ab", "abcdefabcdef"]


def test_keeping_apart_wins_over_approvals_that_would_chain_two_rows_together(tmp_path: Path) -> None:
    from core.resolve.identity import keys_by_record
    from core.resolve.review import content_pair_id

    folder = write_case(tmp_path / "a")
    profile = load_profile("generic")
    records, _ = normalise_records(ingest_case(folder, profile, Reporter(REFINE_STAGES)).records(), profile)
    key = {name: keys_by_record(records)[rid] for rid, name in zip(records["record_id"], records["organization_name"])}
    charters, air, kestrel = key["Skyline Charters"], key["Skyline Air Charters"], key["Kestrel Aero Club"]
    _, organisations = queue(folder, {content_pair_id(charters, air): "approve",
                                      content_pair_id(air, kestrel): "force_together",
                                      content_pair_id(charters, kestrel): "force_apart"})
    assert not any({"Skyline Charters", "Kestrel Aero Club"} <= set(org) for org in organisations)
    assert ["Kestrel Aero Club", "Skyline Air Charters"] in organisations or \
        ["Skyline Air Charters", "Skyline Charters"] in organisations  # one approval still holds
