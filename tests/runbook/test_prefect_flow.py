"""The Prefect case flow against a real `prefect server` on 127.0.0.1 gives the direct run's rows.

The server starts once per session (its first start takes about a minute) with analytics off and
its home in a temp folder, and is stopped at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, run_hotpass, write_xlsx
from tests.faces.cli.sector_case import build_sector_case

pytestmark = pytest.mark.slow
PREFECT = Path(sys.executable).with_name("prefect")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory):
    if not PREFECT.exists():
        pytest.skip("prefect is not installed (the hotpass[prefect] extra)")
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_API_URL": api, "PREFECT_UI_ENABLED": "false"}
    log = (home / "server.log").open("wb")
    server = subprocess.Popen([str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{api}/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("prefect server did not start:\n" + (home / "server.log").read_text()[-2000:])
            time.sleep(0.5)
        yield {"api": api, "home": home, "env": {k: env[k] for k in ("PREFECT_HOME", "PREFECT_API_URL",
                                                                    "PREFECT_SERVER_ANALYTICS_ENABLED")}}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def sheet_rows(workbook: Path, sheet: str) -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name(sheet).to_python()


def flow_runs(api: str) -> list[dict]:
    request = urllib.request.Request(f"{api}/flow_runs/filter", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read())


@pytest.mark.parametrize("split", [True, False], ids=["split-by-file", "whole-case"])
def test_case_flow_gives_the_direct_runs_rows(prefect_server, tmp_path: Path, split: bool) -> None:
    case_folder = tmp_path / "vets"
    build_sector_case(case_folder)
    # A few values that cannot be normalised, in two files, so the invalid-values report's order is
    # tested too (few enough that validation lets the run through).
    good = [[f"Wildlife Vets {i}", f"082 555 {i:04d}", f"vet{i}@wildlife{i}.co.za", f"wildlife{i}.co.za"]
            for i in range(40)]
    write_xlsx(case_folder / "extra-leads.xlsx", {"Leads": [
        ["Company", "Phone", "Email", "Website"], *good[:20], ["Karoo Vets", "12345", "not-an-email", "http://"]]})
    lines = "".join(f"{name},{phone},{email}\n" for name, phone, email, _ in good[20:])
    (case_folder / "more-members.csv").write_text(
        f"Business name,Cell,Email\n{lines}Fynbos Vet Clinic,099,fynbos@\n", encoding="utf-8")
    direct, flowed = tmp_path / "direct", tmp_path / "flowed"
    for workspace in (direct, flowed):
        (workspace / "data").mkdir(parents=True)
        shutil.copytree(case_folder, workspace / "data" / "vets")

    done = run_hotpass("refine", "--case", "vets", cwd=direct, timeout=300)
    assert done.returncode == 0, done.stderr

    env = {**os.environ, **prefect_server["env"], "HOTPASS_LEDGER": str(flowed / ".hotpass" / "ledger.db"),
           "PYTHONPATH": str(PROJECT_ROOT)}
    argv = [sys.executable, "-m", "core.flows.prefect_flow", "run", "vets", "--workspace", str(flowed)]
    ran = subprocess.run(argv + (["--split-by-file"] if split else []), cwd=flowed, env=env,
                         capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "refine: ok" in ran.stdout

    for sheet in ("Data", "Sources"):
        ours = sheet_rows(flowed / "dist" / "vets" / "refined.xlsx", sheet)
        theirs = sheet_rows(direct / "dist" / "vets" / "refined.xlsx", sheet)
        assert len(ours) > 10 and ours == theirs, sheet
    direct_notices = sorted(p.name for p in (direct / "dist" / "contract-notices").rglob("*.csv"))
    assert sorted(p.name for p in (flowed / "dist" / "contract-notices").rglob("*.csv")) == direct_notices
    invalid = Path("dist/vets/reports/invalid-values.csv")
    assert (flowed / invalid).read_text() == (direct / invalid).read_text()

    runs = [r for r in flow_runs(prefect_server["api"]) if r["parameters"].get("workspace") == str(flowed)]
    assert [r["state_type"] for r in runs] == ["COMPLETED"]
    log = run_hotpass("ledger", "log", "--json", cwd=flowed)
    assert log.returncode == 0 and '"flow"' in log.stdout  # the ledger says which face ran refine


def test_deployment_serves_any_case_of_its_workspace(tmp_path: Path) -> None:
    from core.flows.prefect_flow import DEPLOYMENT_NAME, deployment

    made = deployment(str(tmp_path))
    assert made.name == DEPLOYMENT_NAME
    assert made.parameters == {"workspace": str(tmp_path.resolve()), "split_by_file": True}
    assert "case_id" not in made.parameters  # each run names its case


def test_the_normal_path_never_imports_prefect() -> None:
    code = ("import sys, core.refine, core.runbook.runner, core.runbook.steps.refine, core.ingest.prepared;"
            "print('prefect' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert shown.stdout.strip() == "False", shown.stderr
