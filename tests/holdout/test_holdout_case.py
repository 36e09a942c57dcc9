"""The held-out generator makes what it promises, and the scorer measures what it says.

Only the long-standing floor of resolution is asserted (in the one slow test); the targets of the
open issues are printed by `python -m tests.holdout.score`, never asserted here.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from tests.holdout.clerk_case import HOSTS_NAME, build_case, input_dir
from tests.holdout.layouts import BOOKS, F2
from tests.holdout.names import HEAVY, type_name
from tests.holdout.rows import OrgRow
from tests.holdout.layouts import ORG_SHEETS
from tests.holdout.score import _oracle, _pairwise
from tests.holdout.world import make_world


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("holdout")
    build_case(folder, 400, seed=3)
    return folder


def _truth(folder: Path) -> list[dict]:
    with (folder / "truth.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _cells(folder: Path) -> dict[tuple[str, str], list[tuple[int, list]]]:
    """Every non-empty row of every sheet as stored: (file, sheet) -> [(row number, values)]."""
    from python_calamine import CalamineWorkbook

    found: dict[tuple[str, str], list[tuple[int, list]]] = {}
    for file, specs in BOOKS.items():
        path = input_dir(folder) / file
        if file == F2:
            with path.open(newline="", encoding="cp1252") as handle:
                rows = list(csv.reader(handle))
            found[(file, "")] = [(i + 1, r) for i, r in enumerate(rows) if any(v.strip() for v in r)]
            continue
        book = CalamineWorkbook.from_path(str(path))
        assert book.sheet_names == [s.sheet for s in specs]
        for spec in specs:
            rows = book.get_sheet_by_name(spec.sheet).to_python(skip_empty_area=False)
            found[(file, spec.sheet)] = [(i + 1, r) for i, r in enumerate(rows) if any(v not in ("", None) for v in r)]
    return found


def test_every_data_row_is_in_the_truth_and_nothing_else(case: Path) -> None:
    truth = {(r["file"], r["sheet"], int(r["row"])) for r in _truth(case)}
    listed = set()
    for (file, sheet), rows in _cells(case).items():
        spec = next(s for s in BOOKS[file] if s.sheet == sheet)
        header_at = len(spec.titles) + 1
        assert rows[[n for n, _ in rows].index(header_at)][1][:2] == spec.headers("known")[:2]
        for number, _ in rows:
            if number > header_at and spec.role != "other":
                listed.add((file, sheet, number))
    assert listed == truth
    assert len(truth) > 1000


def test_the_case_mixes_layouts_and_types_as_clerks_do(case: Path) -> None:
    cells = _cells(case)
    values = [v for rows in cells.values() for _, row in rows for v in row]
    texts = [str(v) for v in values]
    assert any(isinstance(v, (int, float)) and str(int(v)).startswith("27") and len(str(int(v))) == 11 for v in values)
    assert any(isinstance(v, (int, float)) and len(str(int(v))) == 9 for v in values)  # a phone that lost its 0
    for fragment in ["+27 (0)", " / 0", "mailto:", "www.", "http://", "KZN", "W. Cape", "W Cape", "E.Cape", "N. Cape",
                     "Kwa-Zulu Natal", "t/a", "trading as", "a division of", "(Pty) Ltd", "PTY LTD", "Proprietary Limited",
                     "Hosp.", "Vet.", "Clin", "Ctr", "Svcs", "Agric", "Co-op", "Koöperasie", "- -",
                     "TBD", "n/a"]:
        assert any(fragment in t for t in texts), fragment
    assert any("@" in t and ("; " in t or ", " in t) and t.count("@") == 2 for t in texts)  # two emails in a cell
    assert (input_dir(case) / F2).read_bytes().count(b"\xf6")  # saved by Excel in cp1252: the o-umlaut of Kooperasie


def test_every_variant_class_appears(case: Path) -> None:
    used = Counter(v for r in _truth(case) for v in r["variants"].split(";") if v)
    for variant in ["abbreviation", "transposition", "typo", "trading", "kind_swap", "kind_drop", "legal", "and",
                    "centre", "the", "punctuation", "spaces", "caps", "diaeresis", "hyphen", "place_qualifier"]:
        assert used[variant] >= 2, variant
    roles = Counter(r["role"] for r in _truth(case))
    assert roles["people"] > 100 and roles["organisation"] > 600


def test_rare_words_are_cut_short_too() -> None:
    rng = random.Random(8)
    typed = [type_name(org, rng, ops=2, trading_rate=1.0)[0] for org in make_world(2000, rng) for _ in range(3)]
    for short in ["Intl", "Mgmt", "Svcs", "Hosp", "Ctr", "Agric", "Co-op", "Clin"]:
        assert sum(short in t for t in typed) >= 3, short


def test_hard_negatives_are_there_and_really_apart() -> None:
    orgs = make_world(2000, random.Random(5))
    chains = defaultdict(list)
    for org in orgs:
        if org.chain:
            chains[org.chain_site].append(org)
    assert len(chains) >= 5
    for branches in chains.values():
        assert len({b.switchboard for b in branches}) == 1 and len({b.town for b in branches}) == len(branches)
    twins = defaultdict(list)
    for org in orgs:
        if org.negative == "twin":
            twins[(org.core, org.kind)].append(org)
    pairs = [group for group in twins.values() if len(group) >= 2]
    assert len(pairs) >= 10
    for group in pairs:
        assert len({o.province for o in group}) == len(group)
        numbers = [n for o in group for n in (o.landline, o.mobile, o.fax) if n]
        assert len(numbers) == len(set(numbers))
        assert not set(group[0].emails) & set(group[1].emails)
    free = Counter(e.split("@")[1] for o in orgs for e in o.emails if "gmail.com" in e or "yahoo.co.za" in e)
    assert free["gmail.com"] >= 2
    listing_hosts = Counter(o.directory_url.split("//")[-1].removeprefix("www.").split("/")[0]
                            for o in orgs if o.directory_url)
    assert all(n >= 5 for n in listing_hosts.values())


def test_own_numbers_are_real_south_african_numbers() -> None:
    import phonenumbers

    orgs = make_world(300, random.Random(9))
    numbers = [n for o in orgs for n in (o.landline, o.mobile, o.fax, o.switchboard) if n]
    numbers += [p.mobile for o in orgs for p in o.people]
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(n, "ZA")) for n in numbers)


def test_a_heavy_variant_row_carries_its_own_evidence() -> None:
    rng = random.Random(4)
    orgs = make_world(400, rng)
    heavy = 0
    for org in orgs:
        for spec in ORG_SHEETS:
            row = OrgRow(org, spec, rng, None)
            if HEAVY & set(row.variants):
                heavy += 1
                assert row.evidence, (spec.key, row.variants)
    assert heavy > 200


def test_same_seed_same_case_and_unknown_headers_map_nothing(tmp_path: Path) -> None:
    from core.ingest.mapping import ColumnMapper
    from core.profiles import load_profile

    def digest(folder: Path) -> str:
        return hashlib.sha256((folder / "truth.csv").read_bytes()).hexdigest()

    build_case(tmp_path / "a", 60, seed=1)
    build_case(tmp_path / "b", 60, seed=1)
    build_case(tmp_path / "c", 60, seed=2, headers="unknown")
    assert digest(tmp_path / "a") == digest(tmp_path / "b") != digest(tmp_path / "c")
    assert (tmp_path / "a" / HOSTS_NAME).read_text().split()

    mapper = ColumnMapper(load_profile("generic"))
    for specs in BOOKS.values():
        for spec in specs:
            known = [mapper.field_for(h)[0] for h in spec.headers("known")]
            unknown = [mapper.field_for(h)[0] for h in spec.headers("unknown")]
            assert unknown == [None] * len(unknown), (spec.key, spec.headers("unknown"), unknown)
            if spec.role != "other":
                assert {"organization_name", "organization_id"} & set(known), spec.key


def test_pairwise_figures_and_the_oracle_on_a_hand_made_answer() -> None:
    truth = {("f", "", i): (org, "organisation", "", "") for i, org in enumerate("AAABBC")}
    predicted = {("f", "", i): slug for i, slug in enumerate("xxyzzw")}
    figures = _pairwise(predicted, truth)
    assert (figures.true_pairs, figures.predicted_pairs) == (4, 2)
    assert (figures.precision, figures.recall) == (1.0, 0.5)  # 0-1 and 3-4 found; 0-2 and 1-2 missed
    side = {"source_file": "f", "source_sheet": None}
    queue = [{"left": {**side, "source_row": 0}, "right": {**side, "source_row": 2}},  # same organisation: approved
             {"left": {**side, "source_row": 4}, "right": {**side, "source_row": 5}}]  # different: rejected
    after = _pairwise(_oracle(predicted, truth, queue), truth)
    assert (after.precision, after.recall, after.predicted_pairs) == (1.0, 1.0, 4)


@pytest.mark.slow
def test_refine_on_the_held_out_case_keeps_the_long_standing_floor() -> None:
    from tests.holdout.score import run_score

    score = run_score(600, seed=11, timeout=600)
    assert score.exit_code == 0, score.stderr_tail
    assert score.all_rows.precision >= 0.98, score
    assert score.all_rows.recall >= 0.85, score
