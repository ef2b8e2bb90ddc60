"""Pausing Python's cyclic garbage collector around work that makes many long-lived objects.

The collector's switch is one for the whole process, so a pause is counted: the
window's thread and a worker may each pause it, and it resumes only when the
last pause ends.  Turning it back on when one's own pause ends (as a bare
`gc.disable()`/`gc.enable()` pair does) would resume it under a worker still
exporting or saving; its first pass there would scan everything made since,
holding the interpreter lock, and so freeze the window, for 100s of ms.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_resume = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """No collection until this and every other pause in the process have ended."""
    global _pauses, _resume
    with _lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()


def collection_is_paused() -> bool:
    """True while some thread holds a pause."""
    return _pauses > 0
