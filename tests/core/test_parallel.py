"""Work shared with forked copies (core/parallel.py): the same results in the same order whatever
the number of processes, a copy that dies costs only time, and a cancel leaves no process behind."""

from __future__ import annotations

import os
import signal
import time

import pytest

from core.errors import Cancelled
from core.parallel import MEMORY_ENV, WORKERS_ENV, _resident_mb, affordable_workers, run_shares, usable_workers

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked copies need os.fork (Linux, macOS)")


_forked: list[int] = []  # every copy's pid, as the copies are made


@pytest.fixture(autouse=True)
def _track_copies(monkeypatch):
    from core import parallel

    real = parallel._Copy

    def tracked(*args):
        copy = real(*args)
        _forked.append(copy.pid)
        return copy

    monkeypatch.setattr(parallel, "_Copy", tracked)
    _forked.clear()


def _no_children_left() -> bool:
    """No copy still running and none exited unreaped (a zombie). Only the copies are asked after:
    other tests on this worker may have children of their own (an sshd)."""
    for pid in _forked:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True


def test_results_come_back_in_order_from_several_processes() -> None:
    parent = os.getpid()
    results = run_shares(lambda i: (i * i, os.getpid()), 9, workers=3)
    assert [square for square, _ in results] == [i * i for i in range(9)]
    pids = {pid for _, pid in results}
    assert parent in pids and len(pids) == 3  # this process and two copies each took their shares
    assert _no_children_left()


def test_one_worker_or_one_share_runs_here() -> None:
    parent = os.getpid()
    assert {pid for pid in run_shares(lambda i: os.getpid(), 5, workers=1)} == {parent}
    assert run_shares(lambda i: os.getpid(), 1, workers=4) == [parent]
    assert run_shares(lambda i: i, 0, workers=2) == []


def test_a_copy_that_raises_has_its_shares_done_here() -> None:
    parent = os.getpid()

    def work(i: int) -> int:
        if os.getpid() != parent:
            raise MemoryError("the copy ran out")
        return i + 100

    assert run_shares(work, 6, workers=2) == [i + 100 for i in range(6)]
    assert _no_children_left()


def test_a_copy_the_kernel_kills_has_its_shares_done_here() -> None:
    parent = os.getpid()

    def work(i: int) -> str:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
        return f"share {i}"

    assert run_shares(work, 4, workers=2) == [f"share {i}" for i in range(4)]
    assert _no_children_left()


def test_cancel_while_waiting_stops_the_copies_at_once() -> None:
    parent = os.getpid()
    asked = []

    def work(i: int) -> int:
        if os.getpid() != parent:
            time.sleep(60)  # a copy still busy when the operator cancels
        return i

    def check() -> None:
        asked.append(1)
        raise Cancelled("cancelled during entity resolution")

    started = time.monotonic()
    with pytest.raises(Cancelled):
        run_shares(work, 4, workers=2, check=check)
    assert time.monotonic() - started < 10 and asked
    assert _no_children_left()


def test_progress_counts_shares_done_in_all() -> None:
    seen: list[int] = []
    run_shares(lambda i: i, 8, workers=2, progress=seen.append)
    assert seen == [2, 4, 6, 8]  # this process's four shares, each standing for one of the copy's too


def test_workers_follow_the_setting_and_the_cores(monkeypatch) -> None:
    monkeypatch.setenv(WORKERS_ENV, "1")
    assert usable_workers() == 1
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert usable_workers() == 3
    monkeypatch.setenv(WORKERS_ENV, "many")  # not a number: the machine decides
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    assert usable_workers() == 2
    monkeypatch.delenv(WORKERS_ENV)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: set(range(64)), raising=False)
    assert usable_workers() == 4


def test_copies_are_forked_only_within_the_memory_budget(monkeypatch) -> None:
    own = _resident_mb(os.getpid())
    if own is None:
        pytest.skip("no /proc to read this process's memory from")
    monkeypatch.setenv(MEMORY_ENV, str(int(own * 10)))
    assert affordable_workers(4, copy_share=1.0) == 4  # room for three more of this size
    monkeypatch.setenv(MEMORY_ENV, str(int(own * 2.5)))
    assert affordable_workers(4, copy_share=1.0) == 2
    monkeypatch.setenv(MEMORY_ENV, str(int(own * 0.5)))
    assert affordable_workers(4, copy_share=1.0) == 1  # over budget already: this process alone
    assert affordable_workers(1, copy_share=0.0) == 1


def test_weighted_shares_put_the_heaviest_alone() -> None:
    """A case whose first file is as large as the rest together: one process takes it, the other the rest."""
    results = run_shares(lambda i: os.getpid(), 5, workers=2, weights=[40.0, 10.0, 10.0, 10.0, 10.0])
    assert results[0] not in results[1:] and len(set(results[1:])) == 1
    assert _no_children_left()
