"""Two real `hotpass refine` runs, then the ledger as an auditor reads it.

The auditor's questions: is each run there, did it read the files that are in the case folder, and
are the SHA-256 sums it recorded those of the files it really wrote (not of the next run's, not of
nothing)? Is the ledger private to its owner, and does it still verify?
"""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

from tests.conftest import run_hotpass


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _hashes_now(paths: list[Path]) -> dict[str, str]:
    return {str(p): _sha(p) for p in paths}


def _refine(ws: Path) -> dict[str, str]:
    """Run refine; return the SHA-256 of every file it left in dist/ and data/, as they are right after it."""
    result = run_hotpass("refine", cwd=ws)
    assert result.returncode == 0, result.stderr
    return _hashes_now([p for p in (ws / "dist").rglob("*") if p.is_file()]
                       + [p for p in (ws / "data").rglob("*") if p.is_file()])


def test_each_refine_is_a_run_entry_with_the_hashes_of_what_it_read_and_wrote(tmp_path: Path) -> None:
    after_first = _refine(tmp_path)
    after_second = _refine(tmp_path)

    log = run_hotpass("ledger", "log", "--kind", "run", "--json", "--limit", "0", cwd=tmp_path)
    assert log.returncode == 0, log.stderr
    runs = [json.loads(line) for line in log.stdout.splitlines()][::-1]  # oldest first
    assert [(r["payload"]["command"], r["payload"]["exit_code"], r["case_id"]) for r in runs] == [
        ("refine", 0, "sample"), ("refine", 0, "sample")]

    case_inputs = sorted(str(p) for p in (tmp_path / "data" / "sample").iterdir() if not p.name.startswith("~$"))
    refined = str(tmp_path / "dist" / "sample" / "refined.xlsx")
    for run, files_then in zip(runs, (after_first, after_second)):
        inputs, outputs = run["payload"]["inputs"], run["payload"]["outputs"]
        # what it read: every workbook of the case (the Office lock file is skipped), hashed as it is
        assert sorted(i["path"] for i in inputs) == case_inputs
        for item in inputs:
            assert item["sha256"] == files_then[item["path"]], item["path"]
            assert item["bytes"] == Path(item["path"]).stat().st_size
        # what it wrote: the refined workbook, its report, review queue and notices, hashed as written
        paths = [o["path"] for o in outputs]
        assert refined in paths and str(tmp_path / "dist" / "sample" / "reports" / "refine-report.json") in paths
        assert any("/dist/contract-notices/" in p for p in paths)
        for item in outputs:
            assert item["sha256"] == files_then[item["path"]], f"{item['path']}: recorded hash is not the file's"

    # the second run rewrote refined.xlsx (new run id, new time), and its entry says so; the first keeps its own
    first_refined, second_refined = ({o["path"]: o["sha256"] for o in r["payload"]["outputs"]}[refined] for r in runs)
    assert first_refined != second_refined
    assert second_refined == _sha(Path(refined))
    # each run wrote its notices under its own run id: the first run's notice files are still there, unchanged
    first_notices = [o for o in runs[0]["payload"]["outputs"] if "/contract-notices/" in o["path"]]
    assert first_notices and all(_sha(Path(o["path"])) == o["sha256"] for o in first_notices)

    db = tmp_path / ".hotpass" / "ledger.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    verify = run_hotpass("ledger", "verify", cwd=tmp_path)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "ledger verifies: 2 entries" in verify.stdout
