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
