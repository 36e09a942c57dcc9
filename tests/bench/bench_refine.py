"""Refine benchmark: wall time and peak memory of the real `hotpass refine`, measured from outside.

Run on demand: `python3 -m uv run python tests/bench/bench_refine.py [rows ...] [--repeat N] [--no-real] [--keep]`.

(a) The three real aviation workbooks with `--profile aviation` (skipped, saying so, when
    ../shared/data/aviation is absent), with validation and with --no-validate. Aim: under 4 s wall
    with validation (Great Expectations' import alone is about 3 s; it overlaps the reading).
(b) A generated case of `rows` input rows (default 100,000) written as real workbooks: several
    files, several sheets per file, title rows above the headers, people sheets linked to their
    organisation by ID and by name, phones stored as numbers, a lookup sheet and a CSV. The rows come
    from the resolver's unseen-sector generator (tests/core/test_resolve_sector.py `make_case`), so
    pairwise precision and recall against the truth are printed too: a faster refine that merged
    worse would show it. The folder is cached in the temp dir and reused by later runs.

Each run is `hotpass refine` in a subprocess with its own workspace and ledger; wall time is measured
around it and peak memory is the larger of the child's own ru_maxrss (os.wait4) and the sampled sum of
its and its children's (machine.TreeMemory: the GX worker, the verdict helper). Per-stage timings come from the
run's refine-report.json; the report is written during the write stage, so "rest" is what no stage
covers: interpreter start-up and imports, the write stage and the ledger entry.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import machine  # this directory's: the bench runs as a script from it

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("HOTPASS_SHARED", ROOT.parent / "shared"))
AVIATION = SHARED / "data" / "aviation"
GENERATOR_VERSION = 2  # bump when the layout below changes, so a stale cached folder is not reused
STAGES = ["discover", "read", "normalise", "notices", "resolve", "survivorship", "validate"]


# ---------------------------------------------------------------------------------------------
# measuring one run from outside


def run_refine(workspace: Path, args: list[str], keep_cache: bool = False) -> dict:
    """`hotpass refine ARGS` in `workspace`: exit code, wall seconds, peak RSS of the child, its report.

    The workspace starts empty, but with `keep_cache` its .hotpass/cache/ (compiled Data Docs
    templates, as an operator's workspace has them after its first refine) is kept from the run before."""
    cache = workspace / ".hotpass" / "cache"
    kept = workspace.with_name(workspace.name + "-cache")
    if keep_cache and cache.is_dir():
        shutil.rmtree(kept, ignore_errors=True)
        cache.rename(kept)
    if workspace.exists():
        shutil.rmtree(workspace)
    workspace.mkdir(parents=True)
    if keep_cache and kept.is_dir():
        cache.parent.mkdir(parents=True)
        kept.rename(cache)
    env = {**os.environ, "HOTPASS_LEDGER": str(workspace / ".hotpass" / "ledger.db"), "NO_COLOR": "1",
           "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    out, err = workspace / "stdout.txt", workspace / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "hotpass_tui.cli", "refine", *args], cwd=workspace,
                                env=env, stdout=stdout, stderr=stderr)
        memory = machine.TreeMemory(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        memory.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    reports = list(workspace.rglob("refine-report.json"))
    report = json.loads(reports[0].read_text(encoding="utf-8")) if reports else {}
    return {"code": proc.returncode, "wall": wall, "load": os.getloadavg()[0], "peak_mb": max(usage.ru_maxrss / 1024, memory.peak_mb),
            "cpu": usage.ru_utime + usage.ru_stime, "report": report, "stderr": err.read_text(errors="replace")}


def show(label: str, runs: list[dict]) -> dict:
    """Best of the runs by wall time; the load average is printed with it (other work on the
    machine stretches wall time far more than CPU time)."""
    bad = [r for r in runs if r["code"] != 0]
    if bad:
        print(f"{label}: refine exited {bad[0]['code']}: {bad[0]['stderr'].strip()[-600:]}", flush=True)
        return bad[0]
    walls = [r["wall"] for r in runs]
    best = min(runs, key=lambda r: r["wall"])
    report = best["report"]
    print(f"{label}: {report.get('rows_in', 0):,} rows in -> {report.get('organisations_out', 0):,} organisations; "
          f"wall {best['wall']:.2f} s (best of {len(runs)}; median {statistics.median(walls):.2f} s, "
          f"all {', '.join(f'{w:.2f}' for w in walls)}), cpu {best['cpu']:.2f} s, "
          f"peak memory {max(r['peak_mb'] for r in runs):,.0f} MB; load average {best['load']:.2f}", flush=True)
    timings = report.get("timings", {})
    if timings:
        stages = "  ".join(f"{name} {timings[name]:.2f}" for name in STAGES if name in timings)
        rest = best["wall"] - sum(timings.values())
        print(f"    stages (s, best run): {stages}  rest {rest:.2f} (start-up, imports, write, ledger)", flush=True)
        print(f"    pairs compared {report.get('pairs_compared', 0):,}, merges {report.get('merges', 0):,}, "
              f"review {len(report.get('review', [])):,}", flush=True)
    return best


# ---------------------------------------------------------------------------------------------
# (a) the real aviation workbooks


def bench_real(work: Path, repeat: int) -> None:
    """With validation (the default) and with --no-validate, alternating, so load hits both alike."""
    if not AVIATION.is_dir():
        print(f"real aviation case: SKIPPED, reference data not found at {AVIATION} "
              f"(only CI and the team's machines have ../shared)", flush=True)
        return
    args = ["--profile", "aviation", "--case", "aviation", "--input-dir", str(AVIATION)]
    runs: dict[str, list[dict]] = {"with validation": [], "without validation (--no-validate)": []}
    for _ in range(repeat):  # the first run of each starts with an empty .hotpass/cache, later ones with its cache
        runs["with validation"].append(run_refine(work / "real", args, keep_cache=True))
        runs["without validation (--no-validate)"].append(run_refine(work / "real-nv", [*args, "--no-validate"],
                                                                      keep_cache=True))
    best = {}
    for label, found in runs.items():
        best[label] = show(f"real aviation case (3 workbooks, --profile aviation), {label}", found)
    validated = best["with validation"]
    if validated["code"] == 0:
        worker = validated["report"].get("validation", {}).get("timings", {})
        if worker:
            print("    GX process (s): " + "  ".join(f"{k} {v:.2f}" for k, v in worker.items())
                  + "  (its import overlaps reading the workbooks)", flush=True)
        plain = best["without validation (--no-validate)"]
        if plain["code"] == 0:
            print(f"    validation adds {validated['wall'] - plain['wall']:+.2f} s wall, "
                  f"{validated['cpu'] - plain['cpu']:+.2f} s cpu (both processes)", flush=True)
        cold = runs["with validation"][0]
        if cold["code"] == 0:
            print(f"    first run, empty .hotpass/cache (Data Docs templates compiled): wall {cold['wall']:.2f} s, "
                  f"cpu {cold['cpu']:.2f} s", flush=True)
        verdict = "under" if validated["wall"] < 4.0 else "OVER"
        print(f"    aim: under 4 s wall with validation -> {verdict} ({validated['wall']:.2f} s)", flush=True)


def compile_bytecode() -> None:
    """The figures are for compiled bytecode (PYTHONDONTWRITEBYTECODE=1 here would recompile every run)."""
    import compileall

    for package in ("core", "hotpass_tui", "ledger"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


# ---------------------------------------------------------------------------------------------
# (b) a generated case written as real workbooks


def _generator():
    spec = importlib.util.spec_from_file_location("sector_case", ROOT / "tests/core/test_resolve_sector.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIRST = ["Thandi", "Pieter", "Ayesha", "John", "Lerato", "Sipho", "Elna", "Ruan", "Fatima", "Tebogo"]
LAST = ["Mokoena", "van Wyk", "Naidoo", "Botha", "Dlamini", "Ndlovu", "Nel", "Patel", "Zulu", "Venter"]
ROLES = ["Practice Manager", "Owner", "Doctor", "Reception", "Buyer", "-"]
ABBREV = {"Gauteng": "GP", "Western Cape": "WC", "KwaZulu-Natal": "KZN", "Eastern Cape": "EC", "Free State": "FS",
          "Limpopo": "LP"}
COASTAL = {"Western Cape", "KwaZulu-Natal", "Eastern Cape"}
PARTS = 3  # practice registers and CRM exports are each split over this many workbooks


def _text(value) -> str | None:
    missing = value is None or (isinstance(value, float) and value != value) or str(value) == "<NA>"
    return None if missing else str(value)


def _national(phone: str) -> str:  # +27821234567 -> 082 123 4567
    digits = "0" + phone[3:]
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def _number(phone: str, with_country: bool) -> int:  # stored as a number: the leading 0 is gone
    return int(phone[1:]) if with_country else int(phone[3:])


class Book:
    """An xlsxwriter workbook in constant-memory mode: rows must be written in order, sheet by sheet."""

    def __init__(self, path: Path) -> None:
        import xlsxwriter

        self.book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                                    "strings_to_formulas": False, "strings_to_urls": False})

    def sheet(self, name: str, rows: list[list]) -> None:
        ws = self.book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)

    def close(self) -> None:
        self.book.close()


def generate_case(folder: Path, rows: int) -> dict[tuple[str, str, int], str]:
    """Write the case; return the truth: (file, sheet, Excel row or CSV line) -> organisation."""
    sector = _generator()
    # 1 row in 200 is for contract notices: a register row repeating its sheet's primary key, or a
    # person naming no organisation and linked to none. They are dropped, so they have no truth.
    extras = rows // 200
    records, truth_series = sector.make_case(int(rows / 2.2) + 50, seed=rows)
    records = records.iloc[:rows - extras]
    truth_of = dict(zip(records["record_id"], truth_series.iloc[:rows - extras]))
    repeats, orphans = extras // 2, extras - extras // 2
    seen = 0  # register rows and CRM organisations written so far, to spread the extras evenly
    rng = random.Random(rows)
    truth: dict[tuple[str, str, int], str] = {}
    by_file: dict[str, list] = {"file0.xlsx": [], "file1.xlsx": [], "file2.xlsx": []}
    for rec in records.itertuples(index=False):
        by_file[rec.source_file].append(rec)

    # file0: the practice register, split over PARTS workbooks, inland and coastal sheets, two title rows
    register = by_file["file0.xlsx"]
    repeat_every = max(1, len(register) // max(repeats, 1))
    for part in range(PARTS):
        name = f"practice-register-{part + 1}.xlsx"
        sheets = {"Inland": [], "Coastal": []}
        for i, rec in enumerate(register[part::PARTS]):
            province = _text(rec.province)
            sheet = "Coastal" if province in COASTAL else "Inland"
            if not sheets[sheet]:
                sheets[sheet] = [[f"Practice register ({sheet.lower()})"], ["Compiled by the regional office"],
                                 ["Practice Name", "Practice No", "Province", "Town", "Telephone", "Email Address",
                                  "Website"]]
            province = ABBREV[province] if province and rng.random() < 0.5 else province
            sheets[sheet].append([_text(rec.organization_name), f"P{part}{i:07d}", province, _text(rec.area),
                                  " / ".join(_national(p) for p in rec.phones) or None, "; ".join(rec.emails) or None,
                                  _text(rec.website)])
            truth[(name, sheet, len(sheets[sheet]))] = truth_of[rec.record_id]
            seen += 1
            if seen % repeat_every == 0 and repeats:  # the same practice again, same Practice No
                sheets[sheet].append(list(sheets[sheet][-1]))
                repeats -= 1
        book = Book(folder / name)
        for sheet, content in sheets.items():
            book.sheet(sheet, content)
        book.sheet("Lists", [["Province codes"], *[[code] for code in ABBREV.values()]])
        book.close()

    # file1: CRM exports; people follow their organisation's row, linked by ID or by name in the same workbook
    crm = by_file["file1.xlsx"]
    groups: list[list] = []
    for rec in crm:
        if _text(rec.link_record_id) and groups:
            groups[-1].append(rec)
        else:
            groups.append([rec])
    orphan_every, seen = max(1, len(groups) // max(orphans, 1)), 0
    for part in range(PARTS):
        name = f"crm-export-{part + 1}.xlsx"
        orgs = [["CRM export"], [], ["Org ID", "Company", "Phone", "E-mail", "URL", "Region", "City"]]
        people = [["Org ID", "Company", "First Name", "Last Name", "Role", "Mobile", "E-mail"]]
        for g, group in enumerate(groups[part::PARTS]):
            org, members = group[0], group[1:]
            org_id = f"C{part}{g:07d}"
            orgs.append([org_id, _text(org.organization_name), _number(org.phones[0], False) if org.phones else None,
                         "; ".join(org.emails) or None, _text(org.website), _text(org.province), _text(org.area)])
            truth[(name, "Organisations", len(orgs))] = truth_of[org.record_id]
            for person in members:
                by_name = _text(person.organization_name) and rng.random() < 0.5
                people.append([None if by_name else org_id, _text(org.organization_name) if by_name else None,
                               rng.choice(FIRST), rng.choice(LAST), rng.choice(ROLES),
                               _number(person.phones[0], True) if person.phones else None,
                               "; ".join(person.emails) or None])
                truth[(name, "People", len(people))] = truth_of[person.record_id]
            seen += 1
            if seen % orphan_every == 0 and orphans:
                people.append([None, None, rng.choice(FIRST), rng.choice(LAST), "Volunteer", None, None])
                orphans -= 1
        book = Book(folder / name)
        book.sheet("Organisations", orgs)
        book.sheet("People", people)
        book.close()

    # file2: sales leads by year in one workbook (phones as numbers), the last tenth as a CSV
    leads = by_file["file2.xlsx"]
    cut = len(leads) * 9 // 10
    header = ["Company", "Contact", "Phone", "Email", "Web", "Province", "Notes"]
    book, name = Book(folder / "sales-leads.xlsx"), "sales-leads.xlsx"
    for sheet, chunk in (("Leads 2024", leads[:cut // 2]), ("Leads 2025", leads[cut // 2:cut])):
        content = [header]
        for rec in chunk:
            content.append([_text(rec.organization_name), None, _number(rec.phones[0], True) if rec.phones else None,
                            "; ".join(rec.emails) or None, _text(rec.website), _text(rec.province),
                            rng.choice([None, None, "follow up", "=1+1", "@call"])])
            truth[(name, sheet, len(content))] = truth_of[rec.record_id]
        book.sheet(sheet, content)
    book.sheet("Pivot", [])
    book.close()
    with (folder / "association-members.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Business name", "Contact person", "Cell", "Email", "Web", "Region"])
        for line, rec in enumerate(leads[cut:], start=2):
            writer.writerow([_text(rec.organization_name), f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                             _national(rec.phones[0]) if rec.phones else "", "; ".join(rec.emails),
                             _text(rec.website) or "", _text(rec.province) or ""])
            truth[("association-members.csv", "", line)] = truth_of[rec.record_id]
    return truth


def cached_case(rows: int) -> tuple[Path, dict]:
    folder = Path(tempfile.gettempdir()) / f"hotpass-bench-refine-{rows}-v{GENERATOR_VERSION}"
    truth_file = folder.with_name(folder.name + "-truth.json")
    if folder.is_dir() and truth_file.is_file():
        print(f"generated case: {folder} (cached)", flush=True)
    else:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        started = time.perf_counter()
        truth = generate_case(folder, rows)
        truth_file.write_text(json.dumps([[*k, v] for k, v in truth.items()]), encoding="utf-8")
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"generated case: {folder}: {len(list(folder.iterdir()))} files, {size:.1f} MB, "
              f"{rows:,} rows ({len(truth):,} to keep, the rest for contract notices), "
              f"written in {time.perf_counter() - started:.1f} s", flush=True)
    truth = {(f, s, r): org for f, s, r, org in json.loads(truth_file.read_text(encoding="utf-8"))}
    return folder, truth


def score(refined: Path, truth: dict) -> None:
    """Pairwise precision and recall over input rows, from the Sources sheet of refined.xlsx."""
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(refined, read_only=True)
    rows = book["Sources"].iter_rows(values_only=True)
    header = next(rows)
    at = {name: header.index(name) for name in ("organization_slug", "source_file", "source_sheet", "source_row")}
    predicted, actual, unknown = [], [], 0
    for row in rows:
        key = (Path(str(row[at["source_file"]])).name, row[at["source_sheet"]] or "", int(row[at["source_row"]]))
        if key not in truth:
            unknown += 1
            continue
        predicted.append(row[at["organization_slug"]])
        actual.append(truth[key])
    book.close()

    def pairs(counts) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    both = pairs(Counter(zip(actual, predicted)).values())
    precision = both / max(pairs(Counter(predicted).values()), 1)
    recall = both / max(pairs(Counter(actual).values()), 1)
    print(f"    against the truth: {len(predicted):,} of {len(truth):,} input rows in Sources"
          + (f" ({unknown:,} not recognised)" if unknown else "")
          + f", {len(set(actual)):,} true organisations; pairwise precision {precision:.4f} recall {recall:.4f} "
          f"(scored in {time.perf_counter() - started:.1f} s)", flush=True)


def bench_generated(work: Path, rows: int, repeat: int, do_score: bool) -> None:
    folder, truth = cached_case(rows)
    runs = [run_refine(work / f"gen-{rows}", ["--case", "bench", "--input-dir", str(folder)]) for _ in range(repeat)]
    best = show(f"generated case ({rows:,} rows, profile generic)", runs)
    if best["code"] == 0 and do_score:
        score(work / f"gen-{rows}" / "dist" / "bench" / "refined.xlsx", truth)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="*", type=int, help="generated case sizes (default: 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the real case (default 3)")
    parser.add_argument("--repeat-generated", type=int, default=1, help="runs of each generated case (default 1)")
    parser.add_argument("--no-real", action="store_true", help="skip the real aviation case")
    parser.add_argument("--no-generated", action="store_true", help="skip the generated case")
    parser.add_argument("--no-score", action="store_true", help="skip precision/recall of the generated case")
    parser.add_argument("--keep", action="store_true", help="keep the runs' workspaces (outputs, ledger, logs)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="hotpass-bench-refine-work-"))
    print(f"code under test: {ROOT} (PYTHONPATH of every run); {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.2f}; {machine.describe()}", flush=True)
    compile_bytecode()
    try:
        if not args.no_real:
            bench_real(work, args.repeat)
        for rows in [] if args.no_generated else (args.rows or [100_000]):
            bench_generated(work, rows, args.repeat_generated, not args.no_score)
    finally:
        if args.keep:
            print(f"workspaces kept in {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
