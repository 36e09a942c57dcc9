"""Enrich benchmark: wall time, CPU and peak memory of the real `hotpass enrich`, measured from outside.

Run on demand: `python3 -m uv run python tests/bench/bench_enrich.py [organisations ...] [--repeat N]`.

(a) The refined real aviation case (../shared/data/aviation refined once with `hotpass refine
    --profile aviation`, cached in the temp folder), enriched offline with the aviation profile and
    the SACAA workbook linked in as its registry snapshot. Aim: under 2 s wall.
(b) A refined workbook of N organisations (default 100,000) made by tiling the refined aviation Data
    with unique names and slugs, a share of its emails, addresses and phones kept so that every
    strategy has work, written by core.write as refine writes. Offline, generic profile.

Each run is a subprocess with its own ledger; wall time is measured around it, CPU and peak RSS
are the child's own (os.wait4). Per-stage timings come from the ledger entry of the run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("HOTPASS_SHARED", ROOT.parent / "shared"))
AVIATION = SHARED / "data" / "aviation"
SNAPSHOT = AVIATION / "SACAA Flight Schools - Refined copy__CLEANED.xlsx"
CACHE = Path(tempfile.gettempdir()) / "hotpass-bench-enrich"


def hotpass(workspace: Path, *args: str) -> dict:
    env = {**os.environ, "HOTPASS_LEDGER": str(workspace / ".hotpass" / "ledger.db"), "NO_COLOR": "1",
           "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    env.pop("FEATURE_ENABLE_REMOTE_RESEARCH", None)
    env.pop("ALLOW_NETWORK_RESEARCH", None)
    with (workspace / "stdout.txt").open("wb") as out, (workspace / "stderr.txt").open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "hotpass_tui.cli", *args], cwd=workspace, env=env,
                                stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    return {"code": os.waitstatus_to_exitcode(status), "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "stderr": (workspace / "stderr.txt").read_text(errors="replace")}


def stage_timings(workspace: Path) -> dict:
    db = sqlite3.connect(workspace / ".hotpass" / "ledger.db")
    rows = db.execute("SELECT payload FROM entries WHERE kind = 'run' ORDER BY seq DESC").fetchall()
    for (payload,) in rows:
        facts = json.loads(payload)
        if facts.get("step") == "enrich":
            return facts.get("timings", {})
    return {}


def refined_aviation() -> Path:
    """A workspace holding dist/aviation/refined.xlsx, refined once and kept between runs."""
    workspace = CACHE / "aviation"
    if not (workspace / "dist" / "aviation" / "refined.xlsx").exists():
        shutil.rmtree(workspace, ignore_errors=True)
        workspace.mkdir(parents=True)
        result = hotpass(workspace, "refine", "--profile", "aviation", "--input-dir", str(AVIATION), "--case", "aviation")
        if result["code"] != 0:
            raise SystemExit(f"refine failed: {result['stderr']}")
    snapshot = workspace / "registry" / "sacaa-flight-schools.xlsx"
    snapshot.parent.mkdir(exist_ok=True)
    if not snapshot.is_symlink():
        os.symlink(SNAPSHOT, snapshot)  # linked, never copied
    return workspace


def tiled(organisations: int, source: Path) -> Path:
    """A refined workbook of `organisations` rows built from the refined aviation one."""
    import pandas as pd

    from core.write import write_workbook

    workspace = CACHE / f"tiled-{organisations}"
    target = workspace / "dist" / "big" / "refined.xlsx"
    if target.exists():
        return workspace
    book = pd.read_excel(source, sheet_name=None, dtype=object, engine="calamine")
    data = book["Data"]
    reps = -(-organisations // len(data))
    big = pd.concat([data] * reps, ignore_index=True).iloc[:organisations].copy()
    suffix = pd.Series(range(len(big))).astype(str)
    big["organization_name"] = big["organization_name"].astype(str) + " " + suffix
    big["organization_slug"] = big["organization_slug"].astype(str) + "-" + suffix
    for column, share in (("province", 3), ("website", 2)):  # empty a share so that strategies have work
        big.loc[big.index % share == 0, column] = None
    sources = pd.DataFrame({"organization_slug": big["organization_slug"], "source_file": "tiled.xlsx",
                            "source_sheet": "Data", "source_row": range(2, len(big) + 2)})
    target.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(target, {"Data": big.where(big.notna(), None), "Sources": sources, "Summary": book["Summary"]})
    return workspace


def measure(label: str, workspace: Path, args: list[str], repeat: int) -> None:
    runs = []
    for _ in range(repeat):
        shutil.rmtree(workspace / ".hotpass", ignore_errors=True)
        result = hotpass(workspace, "enrich", *args)
        if result["code"] != 0:
            raise SystemExit(f"{label}: enrich exited {result['code']}: {result['stderr']}")
        runs.append(result)
    wall = statistics.median(r["wall"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    rss = max(r["rss_mb"] for r in runs)
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in stage_timings(workspace).items())
    print(f"{label}: wall {wall:.2f} s (median of {repeat}; min {min(r['wall'] for r in runs):.2f}), "
          f"cpu {cpu:.2f} s, peak RSS {rss:.0f} MB")
    print(f"  stages: {stages}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("organisations", nargs="*", type=int, default=[100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    if not AVIATION.is_dir():
        raise SystemExit(f"reference data not found at {AVIATION}: both figures start from the refined aviation case")
    aviation = refined_aviation()
    measure("real aviation case (642 organisations), offline, aim < 2 s", aviation,
            ["--profile", "aviation", "--case", "aviation"], args.repeat)
    for count in args.organisations:
        workspace = tiled(count, aviation / "dist" / "aviation" / "refined.xlsx")
        measure(f"{count:,} organisations, offline", workspace, ["--case", "big"], max(1, args.repeat // 3))


if __name__ == "__main__":
    main()
