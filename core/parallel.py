"""Work shared with forked copies of this process, so that a long stage uses the machine's other cores.

Resolve's bound and scoring are pure Python over what is already in memory (the groups, the case's
vocabulary). A copy made by fork() reads all of it without pickling or rebuilding anything: each copy
computes its shares and sends back, pickled through a pipe, only what they kept. Processes rather
than threads because the work holds the GIL; fork rather than spawn because spawn would rebuild a
million rows' groups in each worker.

The result never depends on how many copies ran: shares are numbered, each is computed by exactly one
process, and they come back in order. A copy that fails (an exception, the kernel's OOM killer)
costs only time: its shares are computed again here. Where fork is missing, one core is usable, or
HOTPASS_WORKERS=1, everything runs here in order. Cancelling stops the copies at once (SIGKILL).

A copy is not free in memory: CPython writes a reference count into every object it reads, so each
page of the groups a copy reads becomes its own (measured at 1M rows: 1.6-2.1 GB per copy beside a
3.5 GB parent). Copies are forked only while the whole run, this process with its children (the GX
worker) and the copies, is expected to stay within HOTPASS_MEMORY_MB (4096 by default).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import warnings
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

WORKERS_ENV = "HOTPASS_WORKERS"
MEMORY_ENV = "HOTPASS_MEMORY_MB"
DEFAULT_MEMORY_MB = 4096
MAX_WORKERS = 4  # each copy holds its own share of the stage's temporaries; beyond 4 memory, not time, binds
_POLL_SECONDS = 0.2  # how often a wait for a copy checks for cancel


def usable_workers() -> int:
    """Processes a stage may use: HOTPASS_WORKERS when set (an operator sharing a bastion may want 1),
    else the cores this process may run on, at most MAX_WORKERS."""
    setting = os.environ.get(WORKERS_ENV, "").strip()
    if setting.isdigit() and int(setting) >= 1:
        return min(int(setting), MAX_WORKERS)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def affordable_workers(wanted: int, copy_share: float) -> int:
    """Of `wanted` processes, as many as fit the memory budget when each copy is expected to take
    `copy_share` of this process's resident memory; at least 1 (this process)."""
    if wanted <= 1:
        return 1
    own = _resident_mb(os.getpid())
    if own is None:
        return wanted  # no /proc to read: nothing to go by
    spare = _budget_mb() - own - sum(_resident_mb(pid) or 0.0 for pid in _children())
    return max(1, min(wanted, 1 + int(spare // max(1.0, copy_share * own))))


def _budget_mb() -> float:
    setting = os.environ.get(MEMORY_ENV, "").strip()
    return float(setting) if setting.isdigit() and int(setting) > 0 else float(DEFAULT_MEMORY_MB)


def _resident_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


def _children() -> list[int]:
    """This process's children (started by any of its threads): the GX worker, earlier copies."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{os.getpid()}/task"):
            with open(f"/proc/{os.getpid()}/task/{task}/children", encoding="ascii") as children:
                found += [int(pid) for pid in children.read().split()]
    except (OSError, ValueError):
        pass
    return found


def run_shares(work: Callable[[int], T], shares: int, workers: int | None = None,
               progress: Callable[[int], None] | None = None, check: Callable[[], None] | None = None,
               weights: Sequence[float] | None = None) -> list[T]:
    """[work(0), work(1), ..., work(shares - 1)], with shares spread over `workers` processes.

    This process takes shares 0, w, 2w...; copy k takes k, k + w, ... With `weights` (a share's
    expected cost: a file's size), the heaviest go first, each to the process with least so far.
    After each share done here, `progress(shares done in all, estimated)` is called; `check()` is
    called while waiting for the copies (whatever it raises, a cancel, stops them and propagates;
    `work` checks for itself)."""
    workers = max(1, min(workers or usable_workers(), shares))
    if workers == 1 or not hasattr(os, "fork"):
        return _here(work, range(shares), progress, shares)
    plan = _by_weight(weights, workers) if weights is not None else [range(k, shares, workers) for k in range(workers)]
    copies = [_Copy(work, plan[k]) for k in range(1, workers)]
    results: dict[int, T] = {}
    try:
        mine = plan[0]
        for i, result in zip(mine, _here(work, mine, progress, shares, step=workers)):
            results[i] = result
        for copy in copies:
            results.update(copy.collect(check))
    finally:
        for copy in copies:
            copy.stop()
    missing = [i for i in range(shares) if i not in results]  # a copy failed: its shares are done here
    for i, result in zip(missing, _here(work, missing, None, shares)):
        results[i] = result
    return [results[i] for i in range(shares)]


def _by_weight(weights: Sequence[float], workers: int) -> list[list[int]]:
    """Shares for each process, heaviest first to whichever has least so far (each list ascending)."""
    loads, plan = [0.0] * workers, [[] for _ in range(workers)]
    for i in sorted(range(len(weights)), key=lambda i: -weights[i]):
        k = loads.index(min(loads))
        plan[k].append(i)
        loads[k] += weights[i]
    return [sorted(indices) for indices in plan]


def _here(work: Callable[[int], T], indices: Sequence[int], progress, shares: int, step: int = 1) -> list[T]:
    results = []
    for n, i in enumerate(indices, 1):
        results.append(work(i))
        if progress:
            progress(min(shares, n * step))
    return results


class _Copy:
    """One forked copy computing `indices`; its results come back as one pickle when it is done."""

    def __init__(self, work: Callable[[int], T], indices: Sequence[int]) -> None:
        read_end, write_end = os.pipe()
        with warnings.catch_warnings():
            # Python 3.12+ warns on fork in a threaded process (the UI's); the copy runs only `work`,
            # which takes no lock another thread could hold, and leaves with os._exit.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _serve(work, indices, write_end)
        os.close(write_end)
        self.pid, self._read_end, self._done = pid, read_end, False

    def collect(self, check: Callable[[], None] | None) -> dict[int, T]:
        """Its results, or {} if it failed; waits for it, calling check() now and then."""
        data = bytearray()
        while True:
            ready, _, _ = select.select([self._read_end], [], [], _POLL_SECONDS)
            if check:
                check()
            if ready:
                chunk = os.read(self._read_end, 1 << 20)
                if not chunk:
                    break
                data += chunk
        status = self._reap()
        if status != 0 or not data:
            return {}
        try:
            return pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, ValueError):
            return {}

    def stop(self) -> None:
        """Kill the copy if it is still running, and release its pipe and process entry."""
        if not self._done:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()
        try:
            os.close(self._read_end)
        except OSError:
            pass

    def _reap(self) -> int:
        if self._done:
            return self._status
        _, status = os.waitpid(self.pid, 0)
        self._done, self._status = True, status
        return status


def _serve(work: Callable[[int], T], indices: Sequence[int], write_end: int) -> None:
    """In the copy: compute, send, and leave without running the parent's exit handlers or flushing
    its buffered output a second time."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops the copies
        results = {i: work(i) for i in indices}
        with os.fdopen(write_end, "wb") as out:
            pickle.dump(results, out, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    except BaseException:  # noqa: BLE001 - nothing may escape a forked copy: the parent redoes its shares
        code = 1
    finally:
        os._exit(code)
