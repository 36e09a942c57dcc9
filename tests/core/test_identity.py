"""Organisations keep their slug and id from one run of a case to the next.

Each run goes through the real pipeline up to survivorship on real workbooks, then reads and writes
the index beside the outputs as refine does.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.ingest.case_reader import ingest_case
from core.normalize.records import normalise_records
from core.profiles import load_profile
from core.progress import Reporter
from core.resolve import resolve
from core.resolve.identity import index_path, save_index, stable_identity
from core.resolve.review import decisions_for_run
from core.results import REFINE_STAGES
from core.review_queue import review_items
from core.survivorship import survive
from tests.conftest import write_xlsx
from tests.core.test_review_decisions import skyline_pair, write_case


def run(case: Path, out: Path, decisions: dict[str, str] | None = None):
    profile = load_profile("generic")
    records, _ = normalise_records(ingest_case(case, profile, Reporter(REFINE_STAGES)).records(), profile)
    decided = decisions_for_run(records, decisions)
    resolution = resolve(records, profile.resolution, decided)
    data, sources = survive(records, resolution.cluster_ids, profile)
    data, sources, identity = stable_identity(out, records, resolution.cluster_ids, data, sources, "run")
    save_index(index_path(out), identity.index)
    named = {name: (slug, oid) for name, slug, oid in
             zip(data["organization_name"], data["organization_slug"], data["organization_id"])}
    return named, sources, identity, review_items(records, resolution, decided)


def test_a_new_file_keeps_every_unchanged_organisations_slug_and_attaches_to_known_ones(tmp_path: Path) -> None:
    case, out = write_case(tmp_path / "case"), tmp_path / "dist"
    before, _, _, _ = run(case, out)
    write_xlsx(case / "crm.xlsx", {"Accounts": [
        ["Company", "Phone", "E-mail", "Web", "Province"],
        ["SKYLINE CHARTERS (PTY) LTD", None, "ops@skyline.co.za", None, "Gauteng"],  # a known organisation
        ["Brand New Aero", None, None, None, "Limpopo"],
    ]})
    after, sources, identity, _ = run(case, out)
    # every organisation keeps slug and id, even the one whose best name now comes from the new file
    assert set(before.values()) <= set(after.values())
    assert after["Brand New Aero"][0] == "brand-new-aero" and after["Brand New Aero"][1] not in {
        oid for _, oid in before.values()}
    skyline = before["Skyline Charters"][0]
    crm_rows = sources[sources["source_file"] == "crm.xlsx"]
    assert skyline in set(crm_rows["organization_slug"])  # the new row joined the organisation it had
    assert identity.retired == [] and identity.split_from == {}


def test_rows_reordered_keep_ids_and_a_merge_says_which_id_it_retired(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    before, _, _, items = run(write_case(tmp_path / "one"), out)
    moved, _, _, _ = run(write_case(tmp_path / "two", reorder=True, extra_column=True), out)
    assert moved == before
    pair_id = skyline_pair(items).pair_id
    merged, _, identity, _ = run(write_case(tmp_path / "two", reorder=True), out, {pair_id: "approve"})
    [retired] = identity.retired
    kept = merged["Skyline Charters"]
    gone = before["Skyline Air Charters"]
    assert (retired.id, retired.slug, retired.reason, retired.into) == (gone[1], gone[0], "merged", kept[1])
    assert kept == before["Skyline Charters"]
    saved = json.loads(index_path(out).read_text(encoding="utf-8"))
    assert saved["retired"][0]["id"] == gone[1] and saved["retired"][0]["into"] == kept[1]
    # split again: the part that left gets a new id (its old one stays retired) and says where it came from
    split, _, identity, _ = run(write_case(tmp_path / "two"), out, {pair_id: "split"})
    assert split["Skyline Charters"] == kept
    new_id = split["Skyline Air Charters"][1]
    assert new_id != gone[1] and identity.split_from == {new_id: kept[1]}
    assert split["Skyline Air Charters"][0] != gone[0]  # a retired slug is not handed out again
