"""How long pipeline work behaves towards the rest of the process it runs in."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while any block like this one runs, in any thread.

    With millions of live objects (resolution's scored pairs), each full collection held the GIL
    for about a second: it froze the UI thread beside a refine worker and added a third to the run.
    The pipeline's data is freed by reference counting all the same. The pause is process-wide, so
    it is counted: two workers overlapping (a preview during a refine) turn collection back on only
    when the last of them leaves, and only if it was on before the first came in.
    """
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()


_libc = None


def give_back_memory() -> None:
    """Return the memory the last stage freed to the operating system, so that the next stage's peak
    does not stack on pages the process no longer uses.

    glibc keeps freed blocks of its heap mapped; after resolve at 100k rows the process held
    ~400 MB of freed memory this way (tracemalloc: 0.2 MB still allocated), and inside resolve at
    1M rows each phase left 0.2-0.4 GB (groups, blocking, the bound). malloc_trim hands it back in
    milliseconds; arrow's own pool is asked the same. Where there is no glibc, nothing happens.
    """
    global _libc
    import sys

    try:
        if _libc is None:
            import ctypes

            _libc = ctypes.CDLL("libc.so.6")
        if _libc:
            _libc.malloc_trim(0)
    except (OSError, AttributeError):
        _libc = False  # not glibc: nothing to ask
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
