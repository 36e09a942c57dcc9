"""The garbage-collector pause is shared by every worker in the process."""

from __future__ import annotations

import gc
import threading

from core.runtime import collector_paused


def test_two_overlapping_workers_keep_collection_off_until_the_last_leaves() -> None:
    assert gc.isenabled()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with collector_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with collector_paused():
            second_in.set()
            first_out.wait(5)
            seen["after_first_left"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"after_first_left": False}  # the first worker's exit did not turn it back on under the second
    assert gc.isenabled()


def test_collection_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_memory_a_stage_freed_goes_back_to_the_system() -> None:
    import os
    import sys

    import pytest

    from core.runtime import give_back_memory

    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc/self/statm")
    page = os.sysconf("SC_PAGE_SIZE")

    def resident_mb() -> float:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * page / 2**20

    give_back_memory()
    before = resident_mb()
    # Blocks of a kilobyte come from the C heap, which keeps them mapped once freed while anything
    # allocated after them lives on (here the last block, as a later stage's data would)
    blocks = [bytes(1000 + i % 7) for i in range(150_000)]
    last = blocks[-1]
    del blocks
    held = resident_mb()
    give_back_memory()
    assert held - before > 100  # freed, yet still resident: what the next stage would stack on
    assert resident_mb() - before < 30
    assert len(last) >= 1000
