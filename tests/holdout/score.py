"""Score the real `hotpass refine` on the held-out clerk case, measured from outside.

    python -m tests.holdout.score --orgs 2000 --seed 7 [--keep DIR] [--rows 1000000] [--headers unknown]

Builds the case in a temporary workspace, runs `hotpass refine --profile generic --input-dir …` as a
subprocess (its own ledger), and prints pairwise precision / recall / F1 over input rows, the review
queue as a share of organisations, recall after an oracle reviewer answers every queued pair, Data
rows whose website is a directory listing, input rows that reached neither Sources nor a contract
notice, and the command's wall time and peak RSS. Figures only: targets are for the issues to state.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.holdout.clerk_case import CASE_ID, HOSTS_NAME, build_case, input_dir, organisations_for_rows

PROJECT_ROOT = Path(__file__).resolve().parents[2]
Key = tuple[str, str, int]  # file, sheet ("" for CSV), Excel row or CSV line


@dataclass
class Pairwise:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int


@dataclass
class Score:
    organisations: int
    input_rows: int
    generate_s: float
    exit_code: int
    wall_s: float = 0.0
    peak_rss_mb: float = 0.0
    data_rows: int = 0
    all_rows: Pairwise | None = None
    organisation_rows: Pairwise | None = None
    after_oracle: Pairwise | None = None
    review_pairs: int = 0
    review_pct_of_orgs: float = 0.0
    directory_websites: int = 0
    in_sources: int = 0
    in_notices: int = 0
    missing_rows: int = 0
    unknown_source_rows: int = 0
    missed_pairs_by_variant: dict[str, int] = field(default_factory=dict)
    false_pairs_by_negative: dict[str, int] = field(default_factory=dict)
    stderr_tail: str = ""


def run_score(organisations: int, seed: int, *, keep: Path | None = None, headers: str = "known",
              profile: str = "generic", timeout: float = 3600, source: Path = PROJECT_ROOT) -> Score:
    """`source` is the project tree whose refine runs: this one, or an exported commit for a before/after."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        return _score_in(keep, organisations, seed, headers, profile, timeout, source)
    with tempfile.TemporaryDirectory(prefix="hotpass-holdout-") as folder:
        return _score_in(Path(folder), organisations, seed, headers, profile, timeout, source)


def _score_in(workspace: Path, organisations: int, seed: int, headers: str, profile: str, timeout: float,
              source: Path) -> Score:
    started = time.perf_counter()
    truth_path = build_case(workspace / "case", organisations, seed, headers=headers)
    generate_s = time.perf_counter() - started
    truth = _read_truth(truth_path)
    score = Score(organisations, len(truth), round(generate_s, 2), exit_code=-1)
    score.exit_code, score.wall_s, score.peak_rss_mb, score.stderr_tail = _run_refine(
        workspace, input_dir(workspace / "case"), profile, timeout, source)
    if score.exit_code != 0:
        return score
    dist = workspace / "dist" / CASE_ID
    sources, data_websites = _read_refined(dist / "refined.xlsx")
    notices = _read_notices(workspace / "dist" / "contract-notices")
    queue = json.loads((dist / "review-queue.json").read_text(encoding="utf-8"))["pairs"]
    hosts = set((workspace / "case" / HOSTS_NAME).read_text(encoding="utf-8").split())

    score.data_rows = len(data_websites)
    score.in_sources = sum(1 for k in truth if k in sources)
    score.in_notices = sum(1 for k in truth if k not in sources and k in notices)
    score.missing_rows = len(truth) - score.in_sources - score.in_notices
    score.unknown_source_rows = sum(1 for k in sources if k not in truth)
    score.directory_websites = sum(1 for w in data_websites if w and _host(w) in hosts)
    score.review_pairs = len(queue)
    score.review_pct_of_orgs = round(100 * len(queue) / organisations, 2)

    placed = {k: sources[k] for k in truth if k in sources}
    score.all_rows = _pairwise(placed, truth)
    score.organisation_rows = _pairwise({k: v for k, v in placed.items() if truth[k][1] == "organisation"}, truth)
    score.after_oracle = _pairwise(_oracle(placed, truth, queue), truth)
    score.missed_pairs_by_variant, score.false_pairs_by_negative = _diagnose(placed, truth)
    return score


# ---- the command, measured from outside -------------------------------------------------------------
def _python() -> str:
    venv = PROJECT_ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _run_refine(workspace: Path, inputs: Path, profile: str, timeout: float,
                source: Path) -> tuple[int, float, float, str]:
    env = {**os.environ, "HOTPASS_LEDGER": str(workspace / ".hotpass" / "ledger.db"), "NO_COLOR": "1",
           "PYTHONPATH": str(source)}
    log = workspace / "refine-output.txt"
    argv = [_python(), "-m", "hotpass_tui.cli", "refine", "--profile", profile, "--input-dir", str(inputs)]
    started = time.perf_counter()
    with log.open("wb") as out:
        import subprocess

        child = subprocess.Popen(argv, cwd=workspace, env=env, stdout=out, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: stop Popen from reaping again
    wall = time.perf_counter() - started
    tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:])
    return child.returncode, round(wall, 2), round(usage.ru_maxrss / 1024, 1), tail


# ---- reading what refine wrote ---------------------------------------------------------------------
def _read_truth(path: Path) -> dict[Key, tuple[str, str, str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {(r["file"], r["sheet"], int(r["row"])): (r["org_id"], r["role"], r["variants"], r["negative"])
                for r in csv.DictReader(handle)}


def _read_refined(path: Path) -> tuple[dict[Key, str], list[str]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    sources: dict[Key, str] = {}
    for name in book.sheet_names:
        if not name.startswith("Sources"):
            continue  # "Sources (2)" continues a sheet that would pass Excel's row limit
        rows = book.get_sheet_by_name(name).to_python()
        header = [str(h) for h in rows[0]]
        at = {h: header.index(h) for h in ("organization_slug", "source_file", "source_sheet", "source_row")}
        for row in rows[1:]:
            sheet = row[at["source_sheet"]] or ""
            sources[(str(row[at["source_file"]]), str(sheet), int(float(row[at["source_row"]])))] = str(
                row[at["organization_slug"]])
    data = book.get_sheet_by_name("Data").to_python()
    column = [str(h) for h in data[0]].index("website")
    return sources, [str(r[column]) if r[column] not in (None, "") else "" for r in data[1:]]


def _read_notices(root: Path) -> set[Key]:
    runs = sorted(p for p in root.glob("*") if p.is_dir()) if root.is_dir() else []
    found: set[Key] = set()
    for path in (runs[-1].glob("*.csv") if runs else []):
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                found.add((row["source_file"], row.get("source_sheet") or "", int(float(row["source_row"]))))
    return found


def _host(url: str) -> str:
    text = url.strip().lower().split("://", 1)[-1]
    host = text.split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host


# ---- figures ---------------------------------------------------------------------------------------------
def _pairs(sizes) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def _pairwise(predicted: dict[Key, str], truth: dict) -> Pairwise:
    together = Counter((slug, truth[k][0]) for k, slug in predicted.items())
    tp = _pairs(together.values())
    pred = _pairs(Counter(predicted.values()).values())
    true = _pairs(Counter(truth[k][0] for k in predicted).values())
    precision = tp / pred if pred else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Pairwise(round(precision, 4), round(recall, 4), round(f1, 4), true, pred)


def _oracle(predicted: dict[Key, str], truth: dict, queue: list[dict]) -> dict[Key, str]:
    """Every queued pair answered correctly: approving joins the two organisations, rejecting changes nothing."""
    parent: dict[str, str] = {}

    def find(slug: str) -> str:
        while parent.get(slug, slug) != slug:
            slug = parent[slug]
        return slug

    for pair in queue:
        left, right = (_side_key(pair[s]) for s in ("left", "right"))
        if left in predicted and right in predicted and truth[left][0] == truth[right][0]:
            a, b = find(predicted[left]), find(predicted[right])
            if a != b:
                parent[a] = b
    return {k: find(slug) for k, slug in predicted.items()}


def _side_key(side: dict) -> Key:
    return (str(side.get("source_file")), str(side.get("source_sheet") or ""), int(side.get("source_row") or 0))


def _diagnose(predicted: dict[Key, str], truth: dict) -> tuple[dict[str, int], dict[str, int]]:
    """Missed true pairs by the variant classes of their rows; false pairs by hard-negative group. Counts only."""
    by_org: dict[str, list[Key]] = {}
    for k in predicted:
        by_org.setdefault(truth[k][0], []).append(k)
    missed: Counter = Counter()
    for keys in by_org.values():
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                if predicted[a] != predicted[b]:
                    classes = set(filter(None, truth[a][2].split(";") + truth[b][2].split(";"))) or {"none"}
                    missed.update(classes)
    by_slug: dict[str, list[Key]] = {}
    for k, slug in predicted.items():
        by_slug.setdefault(slug, []).append(k)
    false: Counter = Counter()
    for keys in by_slug.values():
        orgs = Counter(truth[k][0] for k in keys)
        if len(orgs) < 2:
            continue
        negatives = {truth[k][0]: truth[k][3] or "other" for k in keys}
        names = list(orgs)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                group = negatives[a] if negatives[a] == negatives[b] else "other"
                false[group] += orgs[a] * orgs[b]
    return dict(missed.most_common()), dict(false.most_common())


# ---- the command line ------------------------------------------------------------------------------------
def _print(score: Score, seed: int) -> None:
    print(f"held-out clerk case: {score.organisations} organisations, {score.input_rows} input rows, seed {seed}, "
          f"generated in {score.generate_s} s")
    print(f"refine: exit {score.exit_code}, wall {score.wall_s} s, peak RSS {score.peak_rss_mb} MB")
    if score.exit_code != 0:
        print(score.stderr_tail)
        return
    if score.in_sources == 0:
        print(f"no input row reached Sources ({score.in_notices} in notices, {score.missing_rows} in neither): "
              "no figures")
        return
    for label, figures in (("all input rows", score.all_rows), ("organisation rows", score.organisation_rows),
                           ("after oracle review", score.after_oracle)):
        print(f"{label:>22}: precision {figures.precision:.4f}  recall {figures.recall:.4f}  F1 {figures.f1:.4f}  "
              f"(true pairs {figures.true_pairs}, predicted {figures.predicted_pairs})")
    print(f"review queue: {score.review_pairs} pairs = {score.review_pct_of_orgs} % of organisations; "
          f"Data rows {score.data_rows} for {score.organisations} true organisations")
    print(f"Data rows whose website is a directory listing: {score.directory_websites}")
    print(f"input rows: {score.in_sources} in Sources, {score.in_notices} in notices, {score.missing_rows} in neither; "
          f"{score.unknown_source_rows} Sources rows not in the truth")
    print(f"missed true pairs by variant class: {score.missed_pairs_by_variant}")
    print(f"false pairs by hard-negative group: {score.false_pairs_by_negative}")


def _export(rev: str, folder: Path) -> Path:
    """The project as of one commit, to compare a change with what came before (git archive; nothing is checked out)."""
    import subprocess

    archive = subprocess.run(["git", "-C", str(PROJECT_ROOT), "archive", "--format=tar", rev], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.holdout.score", description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=2000, help="true organisations (default 2000)")
    parser.add_argument("--rows", type=int, help="size the case by input rows instead (about 3 per organisation)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build and refine in this folder and keep it")
    parser.add_argument("--headers", choices=["known", "unknown"], default="known")
    parser.add_argument("--profile", default="generic")
    parser.add_argument("--at", metavar="REV", help="run refine as of this git commit (exported to a temp folder)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    organisations = organisations_for_rows(args.rows) if args.rows else args.orgs
    with tempfile.TemporaryDirectory(prefix="hotpass-at-") as exported:
        source = _export(args.at, Path(exported)) if args.at else PROJECT_ROOT
        score = run_score(organisations, args.seed, keep=args.keep, headers=args.headers, profile=args.profile,
                          source=source)
    print(f"refine from {'commit ' + args.at if args.at else 'the working tree ' + str(PROJECT_ROOT)}")
    _print(score, args.seed)
    if args.json:
        args.json.write_text(json.dumps(asdict(score), indent=2), encoding="utf-8")
    return 0 if score.exit_code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
