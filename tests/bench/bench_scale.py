"""Scale benchmark (issue 15): the real `hotpass refine` on 10,000, 100,000 and 1,000,000 input rows.

Run on demand: `python3 -m uv run python tests/bench/bench_scale.py [rows ...] [--keep] [--no-score]`.

Each case is several real workbooks (and a CSV) with title rows, linked people sheets, phones stored
as numbers, province codes, repeated primary keys and orphans, plus its truth (file, sheet, row ->
organisation). It comes from the messy-case generator (tests/generators/messy_case.py `build_case`),
or, where that is absent, from bench_refine's layout over the unseen-sector rows of
tests/core/test_resolve_sector.py. Cases are cached under ~/.cache/hotpass-bench (or the temp
dir) and reused.

For each case the bench runs `hotpass refine` as a subprocess in its own workspace and ledger and
prints: the whole command's wall time (start to exit), time per stage (from the run report), rows per
second, the child's peak memory (the larger of its RSS from the OS, os.wait4, and the sum with its own
children, the GX worker and resolve's forked copies, sampled from /proc), pairs scored, pairwise precision and recall
against the truth, whether every input row is in Sources or a notice, the sheets and their sizes
(Excel's limit is 1,048,576 rows a sheet), and at the end the growth 100k -> 1M against the targets
(1M: < 90 s, < 4 GB, P >= 0.99, R >= 0.95; 100k: < 10 s; growth <= 11x).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import machine  # this directory's: the bench runs as a script from it

ROOT = Path(__file__).resolve().parents[2]
BENCH = Path(__file__).resolve().parent
MESSY = ROOT / "tests" / "generators" / "messy_case.py"
CACHE_VERSION = 2  # bump when a generator changes its output, so a stale cached case is not reused
# (2: the messy case writes each CSV file through its own handle; before, a 1M case's truth was wrong)
STAGES = ["discover", "read", "normalise", "notices", "resolve", "survivorship", "validate", "write"]
EXCEL_ROWS = 1_048_576
TARGETS = {1_000_000: (90.0, 4096.0), 100_000: (10.0, None)}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _cache_root() -> Path:
    home = Path.home() / ".cache" / "hotpass-bench"
    try:
        home.mkdir(parents=True, exist_ok=True)
        return home
    except OSError:
        return Path(tempfile.gettempdir())


# ---------------------------------------------------------------------------------------------
# the cases


def _generator() -> tuple[str, object]:
    """("messy-vN", A's generator) when tests/generators/messy_case.py is there, else ("sector", bench_refine)."""
    if MESSY.is_file():
        sys.path.insert(0, str(ROOT))
        messy = _load("messy_case", MESSY)
        if hasattr(messy, "build_case"):
            return f"messy{getattr(messy, 'VERSION', 0)}", messy
    return "sector", _load("bench_refine", BENCH / "bench_refine.py")


def cached_case(rows: int) -> tuple[Path, dict, str]:
    kind, generator = _generator()
    folder = _cache_root() / f"scale-{kind}-{rows}-v{CACHE_VERSION}"
    truth_file = folder.with_name(folder.name + "-truth.json")
    if not (folder.is_dir() and truth_file.is_file()):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        started = time.perf_counter()
        if kind.startswith("messy"):
            truth = generator.load_truth(generator.build_case(folder, rows, seed=rows))
        else:
            truth = generator.generate_case(folder, rows)
        truth_file.write_text(json.dumps([[*k, v] for k, v in truth.items()]), encoding="utf-8")
        print(f"  generated {folder} in {time.perf_counter() - started:.0f} s", flush=True)
    truth = {(f, s, int(r)): org for f, s, r, org in json.loads(truth_file.read_text(encoding="utf-8"))}
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    print(f"case {rows:,} rows ({kind} generator): {folder}, {len(list(folder.iterdir()))} files, {size:.0f} MB",
          flush=True)
    return folder, truth, kind


# ---------------------------------------------------------------------------------------------
# one run, measured from outside


def run_refine(workspace: Path, folder: Path) -> dict:
    if workspace.exists():
        shutil.rmtree(workspace)
    workspace.mkdir(parents=True)
    env = {**os.environ, "HOTPASS_LEDGER": str(workspace / ".hotpass" / "ledger.db"), "NO_COLOR": "1",
           "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    out, err = workspace / "stdout.txt", workspace / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "hotpass_tui.cli", "refine", "--case", "scale",
                                 "--input-dir", str(folder)], cwd=workspace, env=env, stdout=stdout, stderr=stderr)
        memory = machine.TreeMemory(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        memory.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    report_path = workspace / "dist" / "scale" / "reports" / "refine-report.json"
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.is_file() else {}
    # the peak is the larger of the OS's figure for the process and the sampled whole with its copies
    return {"code": proc.returncode, "wall": wall, "peak_mb": max(usage.ru_maxrss / 1024, memory.peak_mb),
            "process_mb": usage.ru_maxrss / 1024, "with_copies_mb": memory.with_copies_mb,
            "cpu": usage.ru_utime + usage.ru_stime, "report": report, "workspace": workspace,
            "stderr": err.read_text(errors="replace")}


# ---------------------------------------------------------------------------------------------
# what came out


def sources_rows(dist: Path) -> tuple[list[tuple[str, str, int, str]], dict[str, int]]:
    """(file, sheet, row, slug) of every Sources row, and the row count of every workbook sheet."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(dist / "refined.xlsx"))
    sizes, found = {}, []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sizes[name] = len(rows)
        if name == "Sources" or name.startswith("Sources ("):
            header = [str(c) for c in rows[0]]
            at = [header.index(c) for c in ("source_file", "source_sheet", "source_row", "organization_slug")]
            found += [(str(r[at[0]]), str(r[at[1]] or ""), int(r[at[2]]), str(r[at[3]])) for r in rows[1:]]
    return found, sizes


def notice_rows(workspace: Path) -> set[tuple[str, str, int]]:
    rows = set()
    for path in (workspace / "dist" / "contract-notices").rglob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle):
                rows.add((record["source_file"], record.get("source_sheet") or "", int(record["source_row"])))
    return rows


def pairwise(actual: list[str], predicted: list[str]) -> tuple[float, float]:
    def pairs(counts) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    both = pairs(Counter(zip(actual, predicted)).values())
    return both / max(pairs(Counter(predicted).values()), 1), both / max(pairs(Counter(actual).values()), 1)


def show(rows: int, run: dict, truth: dict, do_score: bool) -> dict:
    if run["code"] != 0:
        print(f"  refine exited {run['code']}: {run['stderr'].strip()[-800:]}", flush=True)
        return {}
    report = run["report"]
    timings = report.get("timings", {})
    rows_in = report.get("rows_in", rows)
    staged = sum(timings.values())
    copies = (f" (its own RSS {run['process_mb']:,.0f} MB; with its children, the GX worker and any copies "
              f"forked for resolve, at most {run['with_copies_mb']:,.0f} MB PSS)" if run["with_copies_mb"] else "")
    print(f"  wall {run['wall']:.1f} s (start to exit), cpu {run['cpu']:.1f} s, peak {run['peak_mb']:,.0f} MB{copies}, "
          f"{rows_in / run['wall']:,.0f} rows/s; {rows_in:,} rows in -> {report.get('organisations_out', 0):,} "
          f"organisations", flush=True)
    print("  stages (s): " + "  ".join(f"{s} {timings[s]:.2f}" for s in STAGES if s in timings)
          + f"  rest {run['wall'] - staged:.2f} (write, start-up, imports, ledger, exit)", flush=True)
    phases = report.get("resolve_timings", {})
    if phases:
        print("  resolve's phases (s): " + "  ".join(f"{k} {v:.2f}" for k, v in phases.items()), flush=True)
    print(f"  candidate pairs {report.get('pairs_compared', 0):,}, merges {report.get('merges', 0):,}, "
          f"review {len(report.get('review', [])):,}", flush=True)
    result = {"wall": run["wall"], "peak_mb": run["peak_mb"]}
    if not do_score:
        return result
    started = time.perf_counter()
    dist = run["workspace"] / "dist" / "scale"
    found, sizes = sources_rows(dist)
    over = {name: n for name, n in sizes.items() if n > EXCEL_ROWS}
    print("  sheets: " + ", ".join(f"{name} {n:,}" for name, n in sizes.items())
          + (f"  OVER EXCEL'S LIMIT: {over}" if over else ""), flush=True)
    placed = {(f, s, r) for f, s, r, _ in found} | notice_rows(run["workspace"])
    lost = [key for key in truth if key not in placed]
    predicted = [slug for f, s, r, slug in found if (f, s, r) in truth]
    actual = [truth[(f, s, r)] for f, s, r, _ in found if (f, s, r) in truth]
    precision, recall = pairwise(actual, predicted)
    print(f"  truth: {len(truth):,} rows to keep, {len(lost):,} in neither Sources nor a notice; pairwise "
          f"precision {precision:.4f} recall {recall:.4f} (scored in {time.perf_counter() - started:.0f} s)",
          flush=True)
    parquet = sorted(p.name for p in dist.glob("*.parquet"))
    print(f"  parquet copies: {', '.join(parquet) or 'none'}", flush=True)
    result.update(precision=precision, recall=recall)
    return result


def verdicts(results: dict[int, dict]) -> None:
    for rows, (seconds, megabytes) in TARGETS.items():
        got = results.get(rows)
        if not got:
            continue
        parts = [f"wall {got['wall']:.1f} s {'<' if got['wall'] < seconds else 'NOT <'} {seconds:.0f} s"]
        if megabytes:
            parts.append(f"peak {got['peak_mb']:,.0f} MB {'<' if got['peak_mb'] < megabytes else 'NOT <'} "
                         f"{megabytes:,.0f} MB")
        if "precision" in got:
            parts.append(f"P {got['precision']:.4f} {'ok' if got['precision'] >= 0.99 else 'LOW'}, "
                         f"R {got['recall']:.4f} {'ok' if got['recall'] >= 0.95 else 'LOW'}")
        print(f"target at {rows:,} rows: " + "; ".join(parts), flush=True)
    if 100_000 in results and 1_000_000 in results:
        growth = results[1_000_000]["wall"] / results[100_000]["wall"]
        print(f"growth 100k -> 1M: {growth:.1f}x ({'ok' if growth <= 11 else 'OVER'} 11x)", flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="*", type=int, help="case sizes (default 10000 100000 1000000)")
    parser.add_argument("--keep", action="store_true", help="keep the runs' workspaces")
    parser.add_argument("--no-score", action="store_true", help="skip reading the workbook back")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="hotpass-bench-scale-"))
    print(f"code under test: {ROOT}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; "
          f"{machine.describe()}", flush=True)
    results = {}
    try:
        for rows in args.rows or [10_000, 100_000, 1_000_000]:
            folder, truth, _ = cached_case(rows)
            results[rows] = show(rows, run_refine(work / f"run-{rows}", folder), truth, not args.no_score)
        verdicts(results)
    finally:
        if args.keep:
            print(f"workspaces kept in {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
