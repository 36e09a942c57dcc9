"""The headless review path walked at 80 columns, as an operator over SSH walks it: the ids refine
prints are accepted, short prefixes work, lists keep ids, paths and words whole (issue 17)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ledger import Ledger
from tests.conftest import run_hotpass, write_xlsx
from tests.faces.cli.test_review_cli import CASE, EXPLANATION, write_case

NARROW = {"COLUMNS": "80", "NO_COLOR": "1"}


def hotpass(workspace: Path, *args: str):
    return run_hotpass(*args, cwd=workspace, env=NARROW)


def decisions(workspace: Path) -> dict[str, str]:
    return Ledger(workspace / ".hotpass" / "ledger.db").review_decisions(CASE)


def words_whole(text: str, output: str) -> bool:
    """Every word of `text` appears whole in `output` (lines may break only between words)."""
    flat = set(" ".join(output.split()).split())
    return all(word in flat for word in text.split())


def test_every_id_refine_prints_is_accepted_and_the_list_fits_80_columns(tmp_path: Path) -> None:
    write_case(tmp_path)
    refine = hotpass(tmp_path, "refine", "--case", CASE)
    assert refine.returncode == 0, refine.stderr
    printed = re.findall(r"review ([0-9a-f]+)\s", refine.stdout)
    queue = json.loads((tmp_path / "dist" / CASE / "review-queue.json").read_text(encoding="utf-8"))
    assert printed == [p["pair_id"] for p in queue["pairs"]] and len(printed[0]) == 12

    listing = hotpass(tmp_path, "review", "list", "--case", CASE)
    assert listing.returncode == 0, listing.stderr
    assert all(len(line) <= 80 for line in listing.stdout.splitlines()), listing.stdout
    assert f"pair {printed[0]}  score" in listing.stdout  # the whole id, on the pair's first line
    assert words_whole(EXPLANATION, listing.stdout)
    for name in ("suppliers.xlsx", "Skyline Air Charters", "SKYLINE CHARTERS (PTY) LTD"):
        assert name in listing.stdout

    scripted = json.loads(hotpass(tmp_path, "review", "list", "--case", CASE, "--json").stdout)
    assert [p["pair_id"] for p in scripted["pairs"]] == printed and scripted["pairs"][0]["decision"] is None

    approved = hotpass(tmp_path, "review", "approve", printed[0][:6], "--case", CASE)  # a 6-character prefix
    assert approved.returncode == 0, approved.stderr
    assert decisions(tmp_path) == {printed[0]: "approve"}
    assert f"approved {printed[0]}:" in approved.stdout and all(len(l) <= 80 for l in approved.stdout.splitlines())


def test_short_unknown_and_ambiguous_ids_are_refused_naming_the_candidates(tmp_path: Path) -> None:
    side = {"organization_name": "Acme", "source_file": "a.xlsx", "source_sheet": "S", "source_row": 2}
    pairs = [{"pair_id": pid, "left": side, "right": side, "score": 0.8, "explanation": why, "decision": None}
             for pid, why in (("abcdef111111", "same phone"), ("abcdef222222", "same phone; same name"),
                              ("123456abcdef", "same website domain"))]
    queue = tmp_path / "dist" / CASE / "review-queue.json"
    queue.parent.mkdir(parents=True)
    queue.write_text(json.dumps({"case_id": CASE, "run_id": "r1", "pairs": pairs}), encoding="utf-8")

    ambiguous = hotpass(tmp_path, "review", "reject", "abcdef", "123456", "--case", CASE)
    assert ambiguous.returncode == 2
    assert "abcdef is ambiguous: it starts abcdef111111, abcdef222222" in ambiguous.stderr
    short = hotpass(tmp_path, "review", "reject", "abcde", "--case", CASE)
    assert short.returncode == 2 and "at least 6 characters" in short.stderr
    assert decisions(tmp_path) == {}  # a refused id refuses the whole command

    several = hotpass(tmp_path, "review", "reject", "abcdef1", "123456ab", "--case", CASE)
    assert several.returncode == 0, several.stderr
    assert decisions(tmp_path) == {"abcdef111111": "reject", "123456abcdef": "reject"}
    matching = hotpass(tmp_path, "review", "unsure", "--all-matching", "SAME PHONE", "--case", CASE)
    assert matching.returncode == 0, matching.stderr
    # only pairs still waiting: the one rejected above keeps its answer
    assert decisions(tmp_path) == {"abcdef111111": "reject", "123456abcdef": "reject", "abcdef222222": "unsure"}
    undo = hotpass(tmp_path, "review", "undo", "--case", CASE)
    assert undo.returncode == 0 and "undone abcdef222222" in undo.stdout
    assert decisions(tmp_path)["abcdef222222"] == "undo"
    listing = hotpass(tmp_path, "review", "list", "--case", CASE)
    assert "pair abcdef222222  score 0.80  waiting" in listing.stdout and "abcdef111111" not in listing.stdout


def test_ledger_log_and_profiles_list_keep_ids_and_paths_whole_at_80_columns(tmp_path: Path) -> None:
    profiles = tmp_path / "a-rather-long-folder-name-for-the-team-profiles" / "kept-by-the-compliance-office"
    profiles.mkdir(parents=True)
    (profiles / "clinics-and-practices.yaml").write_text(
        "name: clinics-and-practices\nextends: generic\ndescription: Clinics, practices and hospitals "
        "of the Western Cape health department lists\n", encoding="utf-8")
    listing = hotpass(tmp_path, "profiles", "--profile-search-path", str(profiles), "list")
    assert listing.returncode == 0, listing.stderr
    path = str(profiles / "clinics-and-practices.yaml")
    assert len(path) > 80 or any(path in line for line in listing.stdout.splitlines())
    assert any(line.strip() == path or line.endswith(path) for line in listing.stdout.splitlines()), listing.stdout
    assert words_whole("Clinics, practices and hospitals of the Western Cape health department lists", listing.stdout)

    for text in ("call the Western Cape health department about the duplicate practice numbers", "short"):
        assert hotpass(tmp_path, "ledger", "next-steps", "add", text, "--case", "clinics-2026-q1").returncode == 0
    folder = tmp_path / "incoming" / "exports-from-the-regional-office-2026-q1"
    write_xlsx(folder / "x.xlsx", {"S": [["Company", "Phone"], ["Acme", "0115550101"], ["Beta", "0115550102"]]})
    assert hotpass(tmp_path, "refine", "--case", "q1", "--input-dir", str(folder)).returncode == 0
    log = hotpass(tmp_path, "ledger", "log")
    assert log.returncode == 0, log.stderr
    lines = log.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines if str(tmp_path) not in line), log.stdout
    assert any(str(tmp_path / ".hotpass" / "ledger.db") in line for line in lines)  # the ledger's path, whole
    assert sum("clinics-2026-q1" in line for line in lines) == 2  # the case id, never broken
    assert words_whole("NS-1 opened: call the Western Cape health department about the duplicate practice numbers",
                       log.stdout)
    # the run's whole command, its input folder unbroken, though the log view's own summary shortens it
    assert words_whole(f"hotpass refine --case q1 --input-dir {folder} → exit 0", log.stdout.replace("│", " "))
