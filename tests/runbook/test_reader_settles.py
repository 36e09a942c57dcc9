"""A refine killed between its commit point (the journal) and its last rename leaves the new run's
files half moved. A command that only reads the case — `hotpass review list` here, and `show`, the
card and the UI the same way, as all of them open the case through `Workspace.case` — completes that
run before it reads, so an operator never sees one run's queue beside another run's workbook."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_hotpass


def _killed_after_commit(dist: Path, queue: dict) -> Path:
    """What such a kill leaves: the journal written, the new queue still in the staging folder."""
    folder = dist / ".runs" / "20261202T040000-killed"
    staged = folder / "files" / "000-review-queue.json"
    staged.parent.mkdir(parents=True)
    staged.write_text(json.dumps(queue), encoding="utf-8")
    (folder / "journal.json").write_text(json.dumps({"moves": [[str(staged), str(dist / "review-queue.json")]],
                                                     "removes": []}), encoding="utf-8")
    return folder


def test_review_list_completes_a_run_killed_after_its_commit_point(tmp_path: Path) -> None:
    assert run_hotpass("refine", "--no-validate", cwd=tmp_path).returncode == 0
    dist = tmp_path / "dist" / "sample"
    before = json.loads((dist / "review-queue.json").read_text(encoding="utf-8"))
    assert before["pairs"], "the sample case queues pairs"
    killed = _killed_after_commit(dist, {**before, "run_id": "20261202T040000-killed", "pairs": []})

    listed = run_hotpass("review", "list", cwd=tmp_path)

    assert listed.returncode == 0, listed.stderr
    assert "score" not in listed.stdout, "the killed run's queue (empty) is what is listed, not the old one"
    assert json.loads((dist / "review-queue.json").read_text(encoding="utf-8"))["run_id"] == "20261202T040000-killed"
    assert not killed.exists() and not (dist / ".runs").exists()


def test_a_run_killed_before_its_commit_point_is_left_to_the_next_step(tmp_path: Path) -> None:
    assert run_hotpass("refine", "--no-validate", cwd=tmp_path).returncode == 0
    dist = tmp_path / "dist" / "sample"
    before = (dist / "review-queue.json").read_text(encoding="utf-8")
    uncommitted = dist / ".runs" / "20261202T040000-killed" / "files"
    uncommitted.mkdir(parents=True)
    (uncommitted / "000-review-queue.json").write_text("{}", encoding="utf-8")

    assert run_hotpass("review", "list", cwd=tmp_path).returncode == 0

    assert (dist / "review-queue.json").read_text(encoding="utf-8") == before, "no journal: the old outputs stand"
    assert run_hotpass("refine", "--no-validate", cwd=tmp_path).returncode == 0
    assert not (dist / ".runs").exists(), "the next step run removes what never reached its commit point"
