"""No stall at the end of a big refine in the UI.

At 100,000 rows the UI froze for 1.4-4 s as the result arrived. It was not the UI thread's own
work: refine left ~490,000 objects in reference cycles (every name key, cached by an lru_cache
around a bound method), and the garbage collector's pass over them, when refine's pause of the
collector ended, held the GIL, so the UI thread could not run. These tests catch either cause
coming back: garbage that grows with the rows, and a result handler that works per row.
"""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path

from core.runbook.steps.refine import RefineOptions
from core.workspace import Workspace
from hotpass_tui.messages import RefineFinished
from hotpass_tui.service import CoreService
from tests.conftest import write_xlsx
from tests.faces.tui.conftest import make_app, press, settle
from tests.faces.tui.fakes import FakeService

WORDS = ["Aero", "Blue", "Cape", "Delta", "Eagle", "Falcon", "Giant", "Harbour", "Ivory", "Jade"]


def organisations(count: int) -> list[list]:
    """Distinct organisations, each with its own name key (as a big case has)."""
    rows: list[list] = [["Organisation Name", "Telephone", "Email", "Province"]]
    for i in range(count):
        name = f"{WORDS[i % 10]} {WORDS[i // 10 % 10]} {WORDS[i // 100 % 10]} Flight School {i}"
        rows.append([name, f"011 555 {i:04d}", f"info@school{i}.co.za", "Gauteng"])
    return rows


def garbage_left_by_refine(root: Path, rows: int) -> int:
    """Objects in reference cycles once a real refine through the UI's service has returned."""
    write_xlsx(root / "data" / "big" / "schools.xlsx", {"Schools": organisations(rows)})
    service = CoreService(Workspace(root, root / ".hotpass" / "ledger.db"))
    gc.collect()
    gc.disable()  # refine's own pause of the collector restores this state, so the cycles stay to count
    try:
        result = service.run_step("refine", "big", root / "data" / "big", "generic", lambda event: None,
                                  threading.Event(), RefineOptions(validate=False))
        assert result.status == "ok", result.error
        assert result.payload.organisations_out == rows
        return gc.collect()
    finally:
        gc.enable()


def test_refine_leaves_no_garbage_that_grows_with_its_rows(tmp_path):
    small = garbage_left_by_refine(tmp_path / "small", 150)
    large = garbage_left_by_refine(tmp_path / "large", 1_500)
    # Before: ~5 cyclic objects per distinct name (10k rows left 36,799; 100k rows ~490,000, whose
    # collection held the GIL for seconds). Now a few, whatever the size.
    assert large - small < 150, (small, large)


async def handler_seconds(tmp_path: Path, rows: int) -> float:
    """The fastest of three: the UI thread's time to take in a finished run of `rows` organisations."""
    service = FakeService(tmp_path / f"ws{rows}", rows=rows)
    result = service.run_step("refine", "sample", service.workspace.data_dir / "sample", "generic",
                              lambda event: None, threading.Event())
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await press(pilot, app, "2", "o")  # the organisations tab in view: the table is drawn, too
        pane = app.runbook.panes["2"]
        times = []
        for _ in range(3):
            started = time.perf_counter()
            pane._finished(RefineFinished(result))  # type: ignore[attr-defined]
            await pilot.pause()
            times.append(time.perf_counter() - started)
        assert "of {:,}".format(rows) in str(pane.query_one(".table-info").render())
        return min(times)


async def test_the_result_handler_does_no_work_per_organisation(tmp_path):
    small = await handler_seconds(tmp_path, 500)
    large = await handler_seconds(tmp_path, 300_000)
    # Building rows for 300,000 organisations on the UI thread takes seconds; a page of 200 does not.
    assert large < small + 0.4, (small, large)
