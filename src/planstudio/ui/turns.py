"""One budget per turn of the event loop, shared by all the work the window does in steps.

The problems check, the spelling dictionaries, the funding totals, the problems list and
the steps of showing a plan each run a few milliseconds a turn from timers of their own.
Qt fires every timer that is due in the same turn, one after the other, so each keeping
to its own slice still added up: a check slice, a dictionary step and an opening step
together held a 10,000-step plan's window 40-60 ms.  Each such job asks `allowance` how
long it may run now and runs inside `counted`; what one has spent in a turn, the others
in that turn do not get, and wait for the next.  `in_later_turns` runs work that can
wait (freeing what the window no longer needs) within the same budget.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QAbstractEventDispatcher, QTimer

# The window's step-wise work per turn, all jobs together: half a frame.  A turn's budget
# resets each time the event loop wakes, so two jobs may run back to back across a wake:
# at 14 ms that pair held a 10,000-step plan's window 28-30 ms through a whole check; at
# 8 ms, 20-26 ms, and the check took about as long in all.
TURN_S = 0.008
_LEAST_S = 0.001  # less left than this: the turn is spent

_spent = 0.0  # counted work in this turn so far
_listening = False  # whether the event loop tells us when a turn begins


def _new_turn() -> None:
    global _spent
    _spent = 0.0


def _listen() -> bool:
    """Hear of each turn of this thread's event loop (its dispatcher wakes once a turn)."""
    global _listening
    if not _listening:
        dispatcher = QAbstractEventDispatcher.instance()
        if dispatcher is not None:
            dispatcher.awake.connect(_new_turn)
            _listening = True
    return _listening


def allowance(own_s: float) -> float | None:
    """How long a job starting now may run (at most `own_s`; 0: a single step), or None
    when this turn's budget is spent: the job should wait for the next turn."""
    if not _listen():
        return min(own_s, TURN_S)  # no event loop to share: every call is a turn of its own
    left = TURN_S - _spent
    if left < _LEAST_S:
        return None
    return min(own_s, left)


@contextmanager
def counted() -> Iterator[None]:
    """Count the work inside against this turn's budget."""
    global _spent
    began = time.perf_counter()
    try:
        yield
    finally:
        if _listening:
            _spent += time.perf_counter() - began


# Work left for the turns to come (emptying what the window no longer needs), run a step
# at a time within each turn's budget, oldest first.
LATER_S = 0.004
_later: list[Iterator[Any]] = []
_runner: QTimer | None = None


def in_later_turns(steps: Iterator[Any]) -> None:
    """Run `steps` to their end in the turns to come, within each turn's budget."""
    global _runner
    _later.append(steps)
    if _runner is None:
        _runner = QTimer()
        _runner.setInterval(0)
        _runner.timeout.connect(_run_later)
    _runner.start()


def _run_later() -> None:
    allowed = allowance(LATER_S)
    if allowed is None:
        return
    deadline = time.perf_counter() + allowed
    with counted():
        while _later:
            if next(_later[0], StopIteration) is StopIteration:
                _later.pop(0)
            if time.perf_counter() >= deadline:
                break
    if not _later and _runner is not None:
        _runner.stop()
