"""Shared fixtures: where the reference data is, and writers of real workbooks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HOTPASS_SHARED", PROJECT_ROOT.parent / "shared"))
AVIATION = SHARED / "data" / "aviation"

needs_shared = pytest.mark.skipif(
    not AVIATION.is_dir(),
    reason=f"reference data not found at {AVIATION} (only CI and the team's machines have ../shared)",
)


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A real workbook written by openpyxl: {sheet name: rows}."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def run_hotpass(*args: str, cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command in a subprocess, as an operator would run it."""
    full_env = {**os.environ, "HOTPASS_LEDGER": str(cwd / ".hotpass" / "ledger.db"), **(env or {})}
    full_env.pop("NO_COLOR", None) if env is None or "NO_COLOR" not in env else None
    return subprocess.run([sys.executable, "-m", "hotpass_tui.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty workspace folder as the current directory, with its own ledger."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOTPASS_LEDGER", str(tmp_path / ".hotpass" / "ledger.db"))
    return tmp_path

# The bastion (a real sshd) and the Prefect/Marquez stand-ins, once per session for every layer.
from tests.net_fixtures import sshd, stand_ins  # noqa: E402,F401
