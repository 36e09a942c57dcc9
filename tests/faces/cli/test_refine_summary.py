"""The refine report in words: the console and `reports/refine-summary.md` carry each review pair's
explanation, the same words as `hotpass review list`, and no person's phone or email."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_hotpass


def test_review_pairs_are_explained_alike_in_report_summary_and_review_list(tmp_path: Path) -> None:
    refine = run_hotpass("refine", cwd=tmp_path)
    assert refine.returncode == 0, refine.stderr
    reports = tmp_path / "dist" / "sample" / "reports"
    summary = (reports / "refine-summary.md").read_text(encoding="utf-8")
    report = json.loads((reports / "refine-report.json").read_text(encoding="utf-8"))
    queue = json.loads((tmp_path / "dist" / "sample" / "review-queue.json").read_text(encoding="utf-8"))
    listing = run_hotpass("review", "list", cwd=tmp_path, env={"COLUMNS": "400"})
    assert len(queue["pairs"]) == 2
    flat_console = " ".join(refine.stdout.split())
    flat_listing = " ".join(listing.stdout.replace("│", " ").split())
    for pair in queue["pairs"]:
        words = pair["explanation"]
        assert words and words in summary
        assert " ".join(words.split()) in flat_console
        assert {"pair_id": pair["pair_id"], "explanation": words}.items() <= next(
            r for r in report["review"] if r["pair_id"] == pair["pair_id"]).items()
        assert pair["pair_id"] in summary
    assert "same website domain (bayphysio.co.za)" in flat_listing
    assert "provinces differ (KwaZulu-Natal / Western Cape)" in summary  # why a same-named pair waits
    assert "2 pairs wait for review" in refine.stdout
    # where resolve's time went, phase by phase, for whoever tunes a large case
    assert list(report["resolve_timings"]) == ["groups", "shared values", "blocking", "bound", "scoring",
                                               "learning", "clustering"]
    assert all(seconds >= 0 for seconds in report["resolve_timings"].values())


def test_summary_counts_sheets_and_names_no_personal_data(tmp_path: Path) -> None:
    assert run_hotpass("refine", cwd=tmp_path).returncode == 0
    summary = (tmp_path / "dist" / "sample" / "reports" / "refine-summary.md").read_text(encoding="utf-8")
    assert "Rows in: 24; organisations out: 13" in summary
    assert "clinic-directory.xlsx › Practices: header row 4, 11 rows" in summary
    assert "Sheet3: empty sheet" in summary and "~$clinic-directory.xlsx: Office lock file" in summary
    for personal in ("thandi@sunrisemed.co.za", "+27825550201", "0825550201", "Mokoena"):
        assert personal not in summary
