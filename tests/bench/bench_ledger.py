"""Ledger benchmark: appends per second for one writer and for two processes at once, then a verify.

Run on demand: `python3 -m uv run python tests/bench/bench_ledger.py [appends-per-writer] [--dir DIR]`.
Only the public `Ledger` API is used: `record_incident` (a small entry) and `record_run` (an entry
that hashes an input and an output file, what every command appends). The two writers are separate
processes started together; the figures show how often the chain switched between them (near 0
would mean one waited for the other to finish), and the final verify must find every entry.
Files go to a temporary folder (ext4 here; a network file system would be much slower).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ledger import Ledger  # noqa: E402


def _append(led: Ledger, kind: str, tag: str, i: int, files: tuple[Path, Path]) -> None:
    if kind == "incident":
        led.record_incident(f"{tag}-{i}", "bench load", "low")
    else:
        now = dt.datetime.now(dt.timezone.utc)
        led.record_run("refine", ["refine", "--case", tag], now, now, 0, [files[0]], [files[1]], case_id=tag)


def _writer(db: str, kind: str, tag: str, n: int, files: tuple[Path, Path], go, out) -> None:
    led = Ledger(db)
    led.head()  # open the connection before the start line, so the timing is appends only
    go.wait()
    started = time.perf_counter()
    waits = []
    for i in range(n):
        t = time.perf_counter()
        _append(led, kind, tag, i, files)
        waits.append(time.perf_counter() - t)
    out.put((tag, time.perf_counter() - started, waits))
    led.close()


def _sample_files(folder: Path) -> tuple[Path, Path]:
    src, dst = folder / "input.xlsx", folder / "refined.xlsx"
    src.write_bytes(os.urandom(150_000))  # about the size of a real input workbook
    dst.write_bytes(os.urandom(160_000))
    return src, dst


def one_writer(folder: Path, kind: str, n: int, files) -> Ledger:
    led = Ledger(folder / f"one-{kind}.db")
    led.head()
    started = time.perf_counter()
    for i in range(n):
        _append(led, kind, "A", i, files)
    seconds = time.perf_counter() - started
    print(f"one writer     {kind:<8}  {n:>6,} appends  {seconds:6.2f} s  {n / seconds:>7,.0f} appends/s  "
          f"{seconds / n * 1e3:6.2f} ms each", flush=True)
    return led


def two_writers(folder: Path, kind: str, n: int, files) -> Path:
    db = folder / f"two-{kind}.db"
    Ledger(db).close()  # created and migrated once, so neither writer's time includes it
    ctx = mp.get_context("spawn")  # fresh interpreters, as two `hotpass` commands would be
    go, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(str(db), kind, tag, n, files, go, out)) for tag in ("A", "B")]
    for p in procs:
        p.start()
    time.sleep(1.5)  # let both import and open the ledger
    started = time.perf_counter()
    go.set()
    results = [out.get(timeout=600) for _ in procs]
    wall = time.perf_counter() - started
    each = {tag: seconds for tag, seconds, _ in results}
    waits = sorted(w for _, _, ws in results for w in ws)
    for p in procs:
        p.join()
    codes = [p.exitcode for p in procs]
    led = Ledger(db)
    entries = led.all_entries()
    tags = [e.subject.split("-")[0] if kind == "incident" else e.case_id for e in entries]
    switches = sum(1 for a, b in zip(tags, tags[1:]) if a != b)
    print(f"two processes  {kind:<8}  {2 * n:>6,} appends  {wall:6.2f} s  {2 * n / wall:>7,.0f} appends/s together  "
          f"(A {each['A']:.2f} s, B {each['B']:.2f} s; exit codes {codes}; "
          f"chain switched writer {switches:,}×)", flush=True)
    print(f"               one append (lock wait included): median {waits[len(waits) // 2] * 1e3:.2f} ms, "
          f"p99 {waits[int(len(waits) * 0.99)] * 1e3:.2f} ms, max {waits[-1] * 1e3:.1f} ms", flush=True)
    lost = 2 * n - len(entries)
    if lost or codes != [0, 0]:
        print(f"  !! {lost} entries missing, exit codes {codes}", flush=True)
    led.close()
    return db


def verify(db: Path, expected: int) -> bool:
    led = Ledger(db)
    started = time.perf_counter()
    report = led.verify()
    seconds = time.perf_counter() - started
    led.close()
    cli = subprocess.run([sys.executable, "-m", "hotpass_tui.cli", "--ledger", str(db), "ledger", "verify"],
                         cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    good = report.ok and report.count == expected and cli.returncode == 0
    print(f"verify         {db.name:<16}  {report.count:>6,} entries  {seconds:6.2f} s (API)  "
          f"ok={report.ok}  `hotpass ledger verify` exit {cli.returncode}"
          + ("" if good else f"  !! expected {expected} entries; problems: {report.problems[:3]}"), flush=True)
    return good


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=2000, help="appends per writer (default 2000)")
    parser.add_argument("--dir", type=Path, help="folder for the ledger files (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the ledger files afterwards")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="hotpass-bench-ledger-", dir=args.dir))
    files = _sample_files(folder)
    print(f"ledger files in {folder}; {args.n:,} appends per writer; 'run' entries hash a 150 kB input "
          f"and a 160 kB output", flush=True)
    ok = True
    for kind in ("incident", "run"):
        led = one_writer(folder, kind, args.n, files)
        led.close()
        ok &= verify(led.path, args.n)
        db = two_writers(folder, kind, args.n, files)
        ok &= verify(db, 2 * args.n)
    if not args.keep:
        shutil.rmtree(folder)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
