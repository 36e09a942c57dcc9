"""A refine killed at any moment leaves the previous run's outputs whole, never a mix of two runs:
a kill inside the few milliseconds between a run's commit point (its journal) and its last rename
leaves that journal, and the next reader's settle completes the run. The next run leaves no staging
folder or temporary file behind."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_hotpass

KILLS = 20


def _outputs_run_ids(dist: Path) -> set[str]:
    """The run id each output names; one id means the outputs are of one run."""
    from openpyxl import load_workbook

    ids = {json.loads((dist / "review-queue.json").read_text())["run_id"],
           json.loads((dist / "reports" / "refine-report.json").read_text())["run_id"]}
    summary = (dist / "reports" / "refine-summary.md").read_text()
    ids.add(summary.split("Run `", 1)[1].split("`", 1)[0])
    book = load_workbook(dist / "refined.xlsx", read_only=True)
    ids.update(str(value) for metric, value in book["Summary"].iter_rows(values_only=True) if metric == "Run id")
    return ids


def _start_refine(workspace: Path) -> subprocess.Popen:
    env = {**os.environ, "HOTPASS_LEDGER": str(workspace / ".hotpass" / "ledger.db")}
    return subprocess.Popen([sys.executable, "-m", "hotpass_tui.cli", "refine", "--no-validate"], cwd=workspace,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _leftovers(dist_root: Path) -> list[Path]:
    return [p for p in dist_root.rglob("*") if p.name.endswith(".tmp") or ".runs" in p.parts]


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_two_runs_side_by_side(tmp_path: Path) -> None:
    first = run_hotpass("refine", "--no-validate", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    dist = tmp_path / "dist" / "sample"
    started = time.monotonic()
    timed = _start_refine(tmp_path)
    timed.wait(120)
    whole_run = time.monotonic() - started
    rng = random.Random(20261201)
    seen_ids: set[str] = set()
    for _ in range(KILLS):
        process = _start_refine(tmp_path)
        time.sleep(rng.uniform(0.35, 1.05) * whole_run)  # most kills land late, where the writing is
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        ids = _outputs_run_ids(dist)
        if len(ids) > 1:  # killed between its commit point and its last rename (a few ms under load)
            committed = {j.parent.name for j in (dist / ".runs").glob("*/journal.json")}
            assert committed & ids, f"outputs of several runs side by side and no journal to finish them: {ids}"
            from core.staging import settle

            settle(dist / ".runs")  # what the next hotpass command does first: the killed run completes
            ids = _outputs_run_ids(dist)
        assert len(ids) == 1, f"outputs of several runs side by side: {ids}"
        seen_ids |= ids
    assert len(seen_ids) > 1, "no kill landed after a commit: the test did not exercise the window"
    final = run_hotpass("refine", "--no-validate", cwd=tmp_path)
    assert final.returncode == 0, final.stderr
    assert len(_outputs_run_ids(dist)) == 1
    assert _leftovers(tmp_path / "dist") == []


def test_an_old_invalid_values_file_goes_with_the_run_that_replaces_it(tmp_path: Path) -> None:
    assert run_hotpass("refine", "--no-validate", cwd=tmp_path).returncode == 0
    invalid = tmp_path / "dist" / "sample" / "reports" / "invalid-values.csv"
    assert invalid.is_file()  # the sample has values that do not normalise
    from core.sample import ensure_sample_case

    case = ensure_sample_case(tmp_path)
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "orgs.csv").write_text("Organisation Name,Phone,Email\nAcme Clinic,011 555 0100,info@acme.co.za\n"
                                    "Beta Clinic,021 555 0101,info@beta.co.za\n")
    assert case.is_dir()
    result = run_hotpass("refine", "--no-validate", "--case", "sample", "--input-dir", str(clean), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not invalid.exists()


def test_a_temporary_left_by_a_killed_older_writer_is_removed_by_the_next_run(tmp_path: Path) -> None:
    dist = tmp_path / "dist" / "sample"
    dist.mkdir(parents=True)
    stale = dist / ".refined.xlsx.k3j9x2ab.tmp"  # what mkstemp left when a refine was killed
    stale.write_bytes(b"half a workbook")
    assert run_hotpass("refine", "--no-validate", cwd=tmp_path).returncode == 0
    assert not stale.exists()


def test_outputs_get_the_operators_umask_and_the_ledger_stays_private(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        assert run_hotpass("refine", "--no-validate", cwd=tmp_path).returncode == 0
    finally:
        os.umask(previous)
    for name in ("refined.xlsx", "review-queue.json", "reports/refine-report.json"):
        assert (tmp_path / "dist" / "sample" / name).stat().st_mode & 0o777 == 0o644, name
    assert (tmp_path / ".hotpass" / "ledger.db").stat().st_mode & 0o777 == 0o600
