"""Values that could not be normalised may be personal data: only the operator's own
invalid-values.csv holds them. Every other report, log, lineage event and stream of a run is read
for them here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_hotpass, write_xlsx

PLANTED = ["zanele.private@@mail-example.org", "0821 PRIVATE 77", "ndlovu-at-home.example"]


def _case(workspace: Path) -> Path:
    folder = workspace / "data" / "planted"
    write_xlsx(folder / "clinics.xlsx", {"Clinics": [
        ["Organisation Name", "Phone", "Email", "Province"],
        ["Acme Clinic", "011 555 0100", "info@acme.co.za", "Gauteng"],
        ["Beta Clinic", PLANTED[1], PLANTED[0], "KZN"],
        ["Gamma Clinic", "021 555 0101", PLANTED[2], "WC"],
        ["Delta Clinic", "031 555 0102", "hello@delta.co.za", "KZN"],
    ]})
    return folder


def _everything_written(workspace: Path) -> dict[Path, str]:
    texts = {}
    for path in workspace.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".jsonl", ".md", ".html", ".log", ".txt", ".csv"):
            texts[path] = path.read_text(encoding="utf-8", errors="replace")
    return texts


@pytest.mark.parametrize("argv", [["refine", "--case", "planted"], ["--batch", "--case", "planted", "--steps",
                                                                    "prepare,refine"]])
def test_planted_invalid_values_appear_only_in_the_operators_csv(tmp_path: Path, argv: list[str]) -> None:
    _case(tmp_path)
    result = run_hotpass(*argv, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    invalid_csv = tmp_path / "dist" / "planted" / "reports" / "invalid-values.csv"
    assert all(value in invalid_csv.read_text() for value in PLANTED[:2])  # the operator's own file has them
    for value in PLANTED:
        assert value not in result.stdout and value not in result.stderr, f"{value!r} printed by {argv[0]}"
        for path, text in _everything_written(tmp_path).items():
            if path == invalid_csv or path.parent.name == "planted" and path.parent.parent.name == "data":
                continue
            assert value not in text, f"{value!r} written to {path.relative_to(tmp_path)}"
    from ledger import Ledger

    for entry in Ledger(tmp_path / ".hotpass" / "ledger.db").all_entries():
        assert not any(value in str(entry.payload) for value in PLANTED)
