"""The real aviation case reviewed from an 80-column terminal (issue 17's check): every id refine
prints is accepted, `review list` shows whole ids and whole words, a prefix that names two pairs is
refused naming both, and a second refine keeps every organisation's slug and id."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from ledger import Ledger
from tests.conftest import AVIATION, needs_shared, run_hotpass

pytestmark = [needs_shared, pytest.mark.shared]
NARROW = {"COLUMNS": "80", "NO_COLOR": "1"}


def test_the_aviation_queue_is_walked_at_80_columns(tmp_path: Path) -> None:
    refine = run_hotpass("refine", "--profile", "aviation", "--input-dir", str(AVIATION), "--case", "aviation",
                         cwd=tmp_path, env=NARROW, timeout=600)
    assert refine.returncode == 0, refine.stderr
    printed = re.findall(r"review ([0-9a-f]{12})\s", refine.stdout)
    queue = json.loads((tmp_path / "dist" / "aviation" / "review-queue.json").read_text(encoding="utf-8"))
    ids = [pair["pair_id"] for pair in queue["pairs"]]
    assert printed and set(printed) <= set(ids)
    index_before = (tmp_path / "dist" / "aviation" / "organisations-index.json").read_text(encoding="utf-8")

    listing = run_hotpass("review", "list", "--case", "aviation", cwd=tmp_path, env=NARROW)
    assert listing.returncode == 0, listing.stderr
    assert re.findall(r"^pair ([0-9a-f]{12})  score", listing.stdout, re.MULTILINE) == ids
    assert all(len(line) <= 80 for line in listing.stdout.splitlines())
    flat = set(" ".join(listing.stdout.split()).split())
    for pair in queue["pairs"]:
        assert all(word in flat for word in pair["explanation"].split()), pair["pair_id"]

    shared = [prefix for prefix, n in Counter(pid[:6] for pid in ids).items() if n > 1]
    for prefix in shared:  # one row in two pairs: its six characters name both
        refused = run_hotpass("review", "approve", prefix, "--case", "aviation", cwd=tmp_path, env=NARROW)
        assert refused.returncode == 2 and "is ambiguous" in refused.stderr
        assert all(pid in refused.stderr for pid in ids if pid.startswith(prefix))
    unique = [pid for pid in printed if pid[:6] not in shared]
    approved = run_hotpass("review", "approve", *[pid[:6] for pid in unique[:3]], *printed[3:], "--case", "aviation",
                           cwd=tmp_path, env=NARROW)
    assert approved.returncode == 0, approved.stderr
    decided = Ledger(tmp_path / ".hotpass" / "ledger.db").review_decisions("aviation")
    assert set(decided) == set(unique[:3]) | set(printed[3:]) and set(decided.values()) == {"approve"}

    # the same inputs with the approvals applied: every organisation no approval merged keeps slug and id
    again = run_hotpass("refine", "--profile", "aviation", "--input-dir", str(AVIATION), "--case", "aviation",
                        cwd=tmp_path, env=NARROW, timeout=600)
    assert again.returncode == 0, again.stderr
    first = {o["id"]: o["slug"] for o in json.loads(index_before)["organisations"]}
    index_after = json.loads((tmp_path / "dist" / "aviation" / "organisations-index.json").read_text(encoding="utf-8"))
    after = {o["id"]: o["slug"] for o in index_after["organisations"]}
    retired = {r["id"] for r in index_after["retired"]}
    assert all(after.get(oid) == slug for oid, slug in first.items() if oid not in retired)
    assert all(r["reason"] == "merged" for r in index_after["retired"])  # approvals only merge
