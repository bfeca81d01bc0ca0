"""Python's cyclic garbage collector held off while an import makes its objects.

An import makes a few objects per row of the file (an ``ImportedSet``, a key, a tuple of
the row as stored): 200,000 rows are more than a million objects, none in a reference
cycle. CPython's collector runs every 700 new container objects, and each time the
survivors grow by a quarter it walks all of them again; an import of 200,000 sets spent
about 1 s of CPU in it (of 5), finding nothing to free. Reference counting frees the
objects as ever: only the search for cycles waits until the import is done.

Threads may import at the same time (the web app's workers): the collector is held off
from the first to enter until the last leaves, and only switched back on when it was on
before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holding = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with :mod:`gc`'s automatic collection off (see the module's docs)."""
    global _holding, _was_enabled
    with _lock:
        if _holding == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holding += 1
    try:
        yield
    finally:
        with _lock:
            _holding -= 1
            if _holding == 0 and _was_enabled:
                gc.enable()
