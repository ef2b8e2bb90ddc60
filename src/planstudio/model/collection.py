"""Pausing Python's garbage collector around work that makes many objects, and freeing them.

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
from typing import Any

_ENTRIES_A_STEP = 2000

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


def release_in_pieces(value: Any, depth: int = 0) -> None:
    """Empty a large document of dicts and lists a part at a time.

    Dropping the last reference to a 10,000-step snapshot frees it in one cascade of
    C calls that holds the interpreter lock for 30-50 ms; emptied part by part, the lock
    can go to the window between parts.  Only for a document nobody else holds.
    """
    if isinstance(value, dict):
        while value:
            release_in_pieces(value.popitem()[1], depth + 1)
    elif isinstance(value, list) and depth < 4:
        while value:
            release_in_pieces(value.pop(), depth + 1)


def release_in_steps(*values: dict[Any, Any] | list[Any]) -> Iterator[None]:
    """Empty each dict or list an entry at a time, yielding every few thousand entries.

    For large structures of small entries that the window's thread drops (a whole check's
    facts and findings): freed at once, a 10,000-step plan's held that thread 20-40 ms;
    run a step at a turn, the window paints between.  Only for what nobody else holds.
    """
    freed = 0
    for value in values:
        while value:
            if isinstance(value, dict):
                value.popitem()
            else:
                value.pop()
            freed += 1
            if freed % _ENTRIES_A_STEP == 0:
                yield


def release_entries(*values: dict[Any, Any] | list[Any]) -> None:
    """Empty each dict or list an entry at a time, all now: on a worker thread, where
    the lock may pass to the window between entries (see `release_in_steps`)."""
    for _ in release_in_steps(*values):
        pass
