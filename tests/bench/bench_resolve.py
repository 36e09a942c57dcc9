"""Entity-resolution benchmark: seconds and pairs compared at 10,000 and 100,000 rows.

Run on demand: `python3 -m uv run python tests/bench/bench_resolve.py [rows ...]`.
The rows come from the unseen-sector generator of the unit tests (clinics, pharmacies and
suppliers with typos, legal forms, chains, directory sites), scaled up; the figures also show
pairwise precision and recall, so a faster resolver that got worse would show it.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.resolve import ResolutionSettings, resolve  # noqa: E402

ROWS_PER_ORG = 2.2  # what the generator emits on average, to hit a row count


def _generator():
    spec = importlib.util.spec_from_file_location("sector_case", ROOT / "tests/core/test_resolve_sector.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(rows: int, sector) -> None:
    made = time.perf_counter()
    records, truth = sector.make_case(int(rows / ROWS_PER_ORG), seed=rows)
    made = time.perf_counter() - made
    result = resolve(records, ResolutionSettings())
    precision, recall = sector.pairwise(truth, result.cluster_ids)
    print(f"{len(records):>8,} rows  {result.seconds:6.2f} s  {result.pairs_compared:>10,} pairs compared  "
          f"{result.blocks:>8,} blocks  {result.cluster_ids.nunique():>7,} organisations  "
          f"review {len(result.review):>5,}  precision {precision:.4f}  recall {recall:.4f}  "
          f"(generated in {made:.1f} s)", flush=True)


def main(argv: list[str]) -> None:
    sector = _generator()
    for rows in [int(a) for a in argv] or [10_000, 100_000]:
        run(rows, sector)


if __name__ == "__main__":
    main(sys.argv[1:])
