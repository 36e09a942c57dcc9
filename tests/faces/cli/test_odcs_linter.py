"""Another project's ODCS linter accepts what `hotpass contracts emit` writes, and rejects a broken contract.

The linter is datacontract-cli's `datacontract lint` (installed by .ci/install-odcs-linter into a venv
of its own, or named by $HOTPASS_ODCS_LINTER): the ODCS JSON Schema of the contract's apiVersion, its
enum checks, Bitol's open-data-contract-standard model, and warnings for quality rules that its
engine could not run. Offline: it ships its schemas.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT_ROOT, run_hotpass

INSTALLED = PROJECT_ROOT / ".ci" / "tools" / "odcs-venv" / "bin" / "datacontract"
HOW = ("the ODCS linter (datacontract-cli) is not installed: run `bash .ci/install-odcs-linter` "
       "(CI does), or set HOTPASS_ODCS_LINTER to a `datacontract` executable")


@pytest.fixture(scope="module")
def linter() -> Path:
    path = Path(os.environ.get("HOTPASS_ODCS_LINTER") or INSTALLED)
    if not os.access(path, os.X_OK):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{HOW} (.ci/run installs it, so in CI its absence is a failure)")
        pytest.skip(HOW)
    return path


def lint(linter: Path, contract: Path) -> tuple[int, dict, str]:
    report = contract.with_suffix(".lint.json")
    done = subprocess.run([str(linter), "lint", str(contract), "--output-format", "json", "--output", str(report)],
                          cwd=contract.parent, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})
    return done.returncode, json.loads(report.read_text(encoding="utf-8")), done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_the_aviation_contract_passes_the_other_tools_lint_without_a_warning(linter: Path, tmp_path: Path,
                                                                              fmt: str) -> None:
    emitted = run_hotpass("contracts", "emit", "--profile", "aviation", "--format", fmt, "--output",
                          f"aviation.{fmt}", cwd=tmp_path)
    assert emitted.returncode == 0, emitted.stderr
    code, report, output = lint(linter, tmp_path / f"aviation.{fmt}")
    assert code == 0, output
    assert report["result"] == "passed" and report["dataContractId"] == "hotpass-aviation-refined"
    # every check passed: the ODCS v3.1.0 schema, and no rule the other tool could not run
    assert [(c["name"], c["result"]) for c in report["checks"]] == [
        ("Data contract is valid against ODCS v3.1.0", "passed")], output


@pytest.mark.slow
def test_a_broken_contract_is_rejected_naming_what_is_wrong(linter: Path, tmp_path: Path) -> None:
    emitted = run_hotpass("contracts", "emit", "--profile", "aviation", "--output", "good.yaml", cwd=tmp_path)
    assert emitted.returncode == 0, emitted.stderr
    contract = yaml.safe_load((tmp_path / "good.yaml").read_text(encoding="utf-8"))
    score = next(p for p in contract["schema"][0]["properties"] if p["name"] == "data_quality_score")
    score["logicalType"] = "numeric"  # not an ODCS logical type
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(contract, sort_keys=False), encoding="utf-8")
    code, report, output = lint(linter, tmp_path / "broken.yaml")
    assert code != 0 and report["result"] == "failed"
    reasons = " ".join(c.get("reason") or "" for c in report["checks"] if c["result"] == "failed")
    assert "data_quality_score.logicalType" in reasons and "'numeric'" in reasons, output
