"""The writers' lock: an exclusive flock on a file beside the ledger, taken before ``BEGIN IMMEDIATE``.

Every writer (appends, migrations) and verify's snapshot take it first, so no one else is between
a writer's COMMIT and the anchor it writes after the commit. The kernel drops it when its holder
dies, SIGKILL included, so a killed writer never leaves it held.

A flock belongs to an open file description: each thread opens its own (two threads sharing one
descriptor would both "hold" it). Re-entrant within a thread. Waiting is polled with a deadline,
like SQLite's busy timeout, so a stopped process (ctrl+z) holding it becomes an error, not a hang.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockUnavailable(Exception):
    """The lock could not be taken: held by another process past the timeout, or its file cannot be opened."""

    def __init__(self, reason: str, timed_out: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


class WriteLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._guard = threading.Lock()
        self._fds: list[tuple[int, int]] = []

    def _fd(self) -> int:
        pid = os.getpid()
        cached = getattr(self._local, "fd", None)
        if cached is not None and cached[0] == pid:
            return cached[1]
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        self._local.fd = (pid, fd)
        self._local.depth = 0
        with self._guard:
            self._fds.append((pid, fd))
        return fd

    def acquire(self, timeout: float) -> None:
        """Take the lock (re-entrant in a thread); LockUnavailable if not within ``timeout`` seconds."""
        try:
            fd = self._fd()
        except OSError as exc:
            raise LockUnavailable(f"cannot open {self.path.name}: {exc.strerror or exc}", timed_out=False) from exc
        if self._local.depth == 0:
            self._acquire(fd, timeout)
        self._local.depth += 1

    def release(self) -> None:
        self._local.depth -= 1
        if self._local.depth == 0:
            fcntl.flock(self._local.fd[1], fcntl.LOCK_UN)

    @contextmanager
    def held(self, timeout: float) -> Iterator[None]:
        self.acquire(timeout)
        try:
            yield
        finally:
            self.release()

    def _acquire(self, fd: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pause = 0.00005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise LockUnavailable(f"cannot lock {self.path.name}: {exc.strerror or exc}", False) from exc
            if time.monotonic() > deadline:
                raise LockUnavailable(f"another process held {self.path.name} for {timeout:.0f} s", timed_out=True)
            time.sleep(pause)
            pause = min(pause * 2, 0.002)

    def close(self) -> None:
        """Close every descriptor this process opened (as Ledger.close closes every connection)."""
        with self._guard:
            fds, self._fds = self._fds, []
        for pid, fd in fds:
            if pid == os.getpid():
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._local = threading.local()
