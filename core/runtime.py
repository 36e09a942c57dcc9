"""How long pipeline work behaves towards the rest of the process it runs in."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block.

    With millions of live objects (resolution's scored pairs), each full collection held the GIL
    for about a second: it froze the UI thread beside a refine worker and added a third to the run.
    The pipeline's data is freed by reference counting all the same. Nesting is safe: only the
    outermost block turns collection back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
