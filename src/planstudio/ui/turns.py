"""One budget per turn of the event loop, shared by all the work the window does in steps.

The problems check, the spelling dictionaries, the funding totals, the problems list and
the steps of showing a plan each run a few milliseconds a turn from timers of their own.
Qt fires every timer that is due in the same turn, one after the other, so each keeping
to its own slice still added up: a check slice, a dictionary step and an opening step
together held a 10,000-step plan's window 40-60 ms.  Each such job asks `allowance` how
long it may run now and runs inside `counted`; what one has spent in a turn, the others
in that turn do not get, and wait for the next.  `in_later_turns` runs work that can
wait (freeing what the window no longer needs) within the same budget.

Qt's own work counts too: a window `watch`ed says when Qt starts laying it out or painting
it, and from then on the turn's spending is the time gone by.  A repaint of the 10,000-step
plan's window takes 10-16 ms, and Qt paints in the same turn, just before the timers fire:
uncounted, a check slice or a funding sum then ran its whole budget after the paint and the
window answered 26-36 ms late.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QObject, QTimer

# The window's step-wise work per turn, all jobs together: half a frame.  A turn's budget
# resets each time the event loop wakes, so two jobs may run back to back across a wake:
# at 14 ms that pair held a 10,000-step plan's window 28-30 ms through a whole check; at
# 8 ms, 20-26 ms, and the check took about as long in all.
TURN_S = 0.008
_LEAST_S = 0.001  # less left than this: the turn is spent

_spent = 0.0  # counted work in this turn so far
_qt_began: float | None = None  # when Qt began laying out or painting a window in this turn
_spent_before_qt = 0.0  # counted work in this turn before that
_listening = False  # whether the event loop tells us when a turn begins


def _new_turn() -> None:
    global _spent, _qt_began
    _spent = 0.0
    _qt_began = None


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
    left = TURN_S - _spent_this_turn()
    if left < _LEAST_S:
        return None
    return min(own_s, left)


def _spent_this_turn() -> float:
    if _qt_began is None:
        return _spent
    # Everything since Qt began is the window's work: its paint, and any job after it.
    return _spent_before_qt + (time.perf_counter() - _qt_began)


class _QtWork(QObject):
    """Notes when Qt starts laying out or painting the window it watches.

    A top-level window's whole repaint starts with its UpdateRequest, and its layout with
    its LayoutRequest; both are handled in full right after this filter lets them through.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        global _qt_began, _spent_before_qt
        if _qt_began is None and event.type() in _QT_WORK:
            _qt_began = time.perf_counter()
            _spent_before_qt = _spent
        return False


_QT_WORK = frozenset({QEvent.Type.UpdateRequest, QEvent.Type.LayoutRequest})
_watcher: _QtWork | None = None


def watch(window: QObject) -> None:
    """Count Qt's layouts and paints of `window` against each turn's budget."""
    global _watcher
    if not _listen():
        return  # no event loop to tell turns apart: nothing would end Qt's share of one
    if _watcher is None:
        _watcher = _QtWork()
    window.installEventFilter(_watcher)


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
