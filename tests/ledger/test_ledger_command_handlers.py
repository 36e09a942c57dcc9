"""`hotpass ledger …` through the real parser and runner, in process (the e2e tests run it as a subprocess)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from hotpass_tui.cli import main
from ledger import Ledger


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HOTPASS_LEDGER", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ledger_at(ws: Path) -> Ledger:
    return Ledger(ws / ".hotpass" / "ledger.db")


def test_next_steps_add_done_list(ws, capsys):
    code, out, _ = run(capsys, "ledger", "next-steps", "add", "Call the client", "--owner", "bob", "--case", "c1")
    assert code == 0 and "next step NS-1 opened: Call the client" in out
    assert run(capsys, "ledger", "next-steps", "add", "Second [bold]step[/]")[0] == 0
    code, out, _ = run(capsys, "ledger", "next-steps", "done", "NS-1", "-m", "called")
    assert code == 0 and "NS-1 done" in out
    code, _, err = run(capsys, "ledger", "next-steps", "done", "NS-1")
    assert code == 2 and "already done" in err
    code, out, _ = run(capsys, "ledger", "next-steps", "list")
    assert code == 0 and "NS-2" in out and "Second [bold]step[/]" in out and "NS-1" not in out
    code, out, _ = run(capsys, "ledger", "next-steps", "list", "--status", "all", "--json")
    steps = [json.loads(x) for x in out.splitlines()]
    assert [(s["id"], s["status"]) for s in steps] == [("NS-1", "done"), ("NS-2", "open")]
    assert (ws / ".hotpass" / "ledger.db").stat().st_mode & 0o777 == 0o600


def test_approve_and_reject_with_artefacts(ws, capsys):
    contract = ws / "contract.yaml"
    contract.write_text("fields: []\n")
    code, out, _ = run(capsys, "ledger", "approve", "contract", "aviation-v1", "--artefact", str(contract),
                       "-m", "fits")
    assert code == 0 and "approve contract aviation-v1" in out
    code, _, _ = run(capsys, "ledger", "reject", "enrichment", "c1", "--sha256", "C" * 64, "-m", "no consent")
    assert code == 0
    code, _, err = run(capsys, "ledger", "approve", "contract", "x", "--artefact", "missing.yaml")
    assert code == 3 and "missing.yaml" in err
    code, _, err = run(capsys, "ledger", "approve", "budget", "x")
    assert code == 2 and "unknown approval subject kind 'budget'" in err
    code, _, err = run(capsys, "ledger", "approve", "contract", "x", "--sha256", "nothex")
    assert code == 2
    led = ledger_at(ws)
    from ledger import sha256_file

    assert led.is_approved("contract", "aviation-v1", sha256_file(contract))
    assert led.latest_approval("enrichment", "c1").payload["artefact_sha256"] == "c" * 64
    code, out, _ = run(capsys, "ledger", "approvals")
    assert code == 0 and "aviation-v1" in out and "no consent" in out and "reject" in out
    code, out, _ = run(capsys, "ledger", "approvals", "--kind", "contract", "--json")
    assert [json.loads(x)["payload"]["subject"] for x in out.splitlines()] == ["aviation-v1"]
    # a ledger command is its own record (no run beside it): the approval carries the artefact's hash
    assert [e.kind for e in led.entries(limit=None)] == ["approval", "approval"]
    led.close()


def test_ledger_commands_add_only_their_own_entries(ws, capsys):
    run(capsys, "ledger", "next-steps", "add", "x")
    for argv in (["ledger", "log"], ["ledger", "approvals"], ["ledger", "next-steps", "list"],
                 ["ledger", "incidents"], ["ledger", "verify"]):
        assert run(capsys, *argv)[0] == 0, argv
    led = ledger_at(ws)
    assert [e.kind for e in led.entries(limit=None)] == ["next_step_opened"]
    led.close()


def test_commands_that_are_not_runbook_steps_record_no_run(ws, capsys):
    assert run(capsys, "profiles", "lint")[0] == 0  # only a step records its run (core.runbook)
    led = ledger_at(ws)
    assert led.entries(kind="run") == []
    led.close()


def test_log_shows_entries_and_json(ws, capsys):
    run(capsys, "ledger", "incidents", "add", "INC-3", "disk full", "--severity", "High", "--case", "c9")
    code, out, _ = run(capsys, "ledger", "log")
    assert code == 0 and "INC-3 [high] disk full" in out and "1 entry" in out
    code, out, _ = run(capsys, "ledger", "log", "--kind", "incident", "--json")
    lines = [json.loads(x) for x in out.splitlines()]
    assert len(lines) == 1 and lines[0]["case_id"] == "c9" and lines[0]["payload"]["severity"] == "high"
    code, out, _ = run(capsys, "ledger", "incidents")
    assert "INC-3" in out and "disk full" in out


def test_verify_ok_then_tampered_names_the_entry(ws, capsys):
    for text in ("a", "b", "c"):
        run(capsys, "ledger", "next-steps", "add", text)
    code, out, _ = run(capsys, "ledger", "verify")
    assert code == 0 and "ledger verifies: 3 entries" in out
    con = sqlite3.connect(ws / ".hotpass" / "ledger.db")
    con.execute("DROP TRIGGER entries_no_update")
    con.execute("UPDATE entries SET payload = '{\"owner\":null,\"due\":null,\"text\":\"z\"}' WHERE seq = 3")
    con.commit()
    con.close()
    code, out, err = run(capsys, "ledger", "verify")
    assert code == 9
    assert "entry #3 (next_step_opened" in out and "was edited" in out
    assert "ledger does not verify: entry #3" in err
    code, out, _ = run(capsys, "ledger", "verify", "--json")
    report = json.loads(out)
    assert code == 9 and report["ok"] is False and report["problems"][0].startswith("entry #3")
    assert ledger_at(ws).head()[0] == 3, "verify never appends"


def test_verify_with_an_export_anchor(ws, capsys):
    run(capsys, "ledger", "next-steps", "add", "a")
    assert run(capsys, "ledger", "export", "--out", "exp")[0] == 0
    count, head = ledger_at(ws).head()
    assert run(capsys, "ledger", "verify", "--anchor", "exp/ledger-anchor.json")[0] == 0
    assert run(capsys, "ledger", "verify", "--anchor", f"{count}:{head}", "--anchor", "exp/Next_Steps_Log.md")[0] == 0
    code, _, err = run(capsys, "ledger", "verify", "--anchor", "nope.json")
    assert code == 3


def test_export_writes_next_steps_log_in_the_current_folder(ws, capsys):
    run(capsys, "ledger", "next-steps", "add", "Call the client")
    run(capsys, "ledger", "next-steps", "add", "Done soon")
    run(capsys, "ledger", "next-steps", "done", "NS-2")
    code, out, _ = run(capsys, "ledger", "export")
    assert code == 0 and "Next_Steps_Log.md" in out
    text = (ws / "Next_Steps_Log.md").read_text()
    assert "## Open (1)" in text and "| NS-1 | Call the client |" in text
    for name in ("governance-log.md", "ledger.jsonl", "ledger-anchor.json"):
        assert (ws / name).is_file()
    led = ledger_at(ws)
    anchor = json.loads((ws / "ledger-anchor.json").read_text())
    assert (anchor["count"], anchor["head_hash"]) == led.head() and led.head()[0] == 3  # an export appends nothing


def test_ledger_option_and_environment_choose_the_file(ws, capsys, monkeypatch):
    assert run(capsys, "--ledger", "custom/l.db", "ledger", "next-steps", "add", "x")[0] == 0
    assert (ws / "custom" / "l.db").is_file() and not (ws / ".hotpass").exists()
    monkeypatch.setenv("HOTPASS_LEDGER", str(ws / "env.db"))
    assert run(capsys, "ledger", "next-steps", "add", "y")[0] == 0
    assert Ledger(ws / "env.db").next_steps()[0].text == "y"


def test_batch_mode_prints_json_results(ws, capsys):
    code, out, _ = run(capsys, "--batch", "ledger", "next-steps", "add", "x")
    assert code == 0
    event = json.loads(out.splitlines()[-1])
    assert event["event"] == "result" and event["recorded"]["subject"] == "NS-1"


@pytest.mark.parametrize("content", [b"garbage" * 100, None])
def test_unusable_ledger_files_exit_8_and_stay_untouched(ws, capsys, content):
    path = ws / "bad.db"
    if content is None:
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE orders (id INTEGER)")
        con.commit()
        con.close()
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    for argv in (["ledger", "log"], ["ledger", "next-steps", "add", "x"], ["ledger", "verify"]):
        code, out, err = run(capsys, "--ledger", str(path), *argv)
        assert code == 8, argv
        assert str(path) in err and "not a Hotpass ledger" in err
        assert "run not recorded" not in err
    assert path.read_bytes() == before
