"""Run slow work (opening or saving a large plan) off the interface thread, or in slices on it.

The window keeps painting while the work runs; the user's clicks and keys
are held back meanwhile, so nothing edits a plan that is being saved.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from planstudio.model.collection import collection_paused
from planstudio.ui import turns

T = TypeVar("T")
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planstudio-io")
_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
    QEvent.Type.Drop,
    QEvent.Type.Close,
}


class _HoldInput(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            event.ignore()
            return True
        return event.type() in _INPUT


def _without_collection(work: Callable[[], T]) -> T:
    """`work` with the cyclic collector paused; what it leaves alive is frozen after.

    A collection on the worker holds the interpreter lock, freezing the window for as
    long as it scans; and a plan just loaded, left in the young generation, would be
    scanned whole by the first collection after, on whichever thread.  Frozen, it is
    scanned never (it is long-lived; its objects are still freed when unreferenced).
    """
    with collection_paused():
        try:
            return work()
        finally:
            gc.freeze()


# How long a thread that wants the interpreter lock waits before the holder must hand it
# over.  Painting calls Python once per cell, role and event filter, each call taking the
# lock anew; with Python's 5 ms a paint under a busy worker waited 5 ms a call: 0.2-1.6 s.
# A busy thread is asked to hand over only when another waits, so a short wait costs
# the worker nothing while the window is idle.
_WINDOW_WAIT_S = 0.0005
_switch_lock = threading.Lock()
_workers = 0
_usual_wait_s = sys.getswitchinterval()


@contextmanager
def window_served_first() -> Iterator[None]:
    """While a worker runs, the window's thread gets the interpreter lock within 0.5 ms."""
    global _workers, _usual_wait_s
    with _switch_lock:
        if _workers == 0:
            _usual_wait_s = sys.getswitchinterval()
            sys.setswitchinterval(min(_usual_wait_s, _WINDOW_WAIT_S))
        _workers += 1
    try:
        yield
    finally:
        with _switch_lock:
            _workers -= 1
            if _workers == 0:
                sys.setswitchinterval(_usual_wait_s)


def show_before_work(dialog: QProgressDialog) -> None:
    """Show `dialog` (window-modal) and let the window settle before a worker starts.

    A window-modal dialog deactivates its window, and every item view then repaints
    (Qt updates a view's viewport on each activation change): some 2,000 calls into Python
    for the outline and the editor's tables.  Each call takes the interpreter lock anew;
    with a worker holding it, each waited its turn, and the window froze 120-340 ms when
    the dialog appeared mid-export.  Painted first, the same repaint took 15-30 ms.
    """
    dialog.setMinimumDuration(0)
    dialog.setValue(0)
    dialog.show()
    # Activation arrives from the window system as an event, and the repaint it asks for
    # as another: two passes let both through.
    for _ in range(2):
        QApplication.sendPostedEvents()
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)


# A plan file this large takes longer to save or open than the busy dialog's delay (about
# 30 ms a megabyte here: 1.4-2.1 s for the 10,000-step plan's 47 MB).
LONG_WORK_BYTES = 10 * 2**20


def is_long_work(path: Path | None) -> bool:
    """Whether saving or opening the plan file at `path` is known to take a while."""
    try:
        return path is not None and path.stat().st_size >= LONG_WORK_BYTES
    except OSError:
        return False


def run_busy(parent: QWidget | None, label: str, work: Callable[[], T], *, long: bool = False) -> T:
    """Run `work` in a worker thread, keep the interface painting, return its result.

    `long`: the work is known to outlast the dialog's delay (a large plan, `is_long_work`).
    Its dialog, modal to the whole application, is then shown, and the window repainted,
    before the worker starts (`show_before_work`): appearing 400 ms in, with the worker
    holding the interpreter, the dialog's repaint of the window froze it (91 ms once,
    saving 10,000 steps).
    """
    with window_served_first():
        return _run_busy(parent, label, work, long)


def _busy_dialog(
    parent: QWidget | None, label: str, modality: Qt.WindowModality = Qt.WindowModality.WindowModal
) -> QProgressDialog:
    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowModality(modality)
    progress.setMinimumDuration(400)
    return progress


def _run_busy(parent: QWidget | None, label: str, work: Callable[[], T], long: bool) -> T:
    progress: QProgressDialog | None = None
    if long:
        # Modal to the whole application, shown before the work: Qt itself then holds back
        # every window's input.  The input guard below is a Python call for every event of
        # every widget, each waiting for the lock behind the worker: 40-50 ms of freeze
        # while a large plan was read.
        progress = _busy_dialog(parent, label, Qt.WindowModality.ApplicationModal)
        show_before_work(progress)
    future: Future[T] = _executor.submit(_without_collection, work)
    app = QApplication.instance()
    guard: _HoldInput | None = None
    if progress is None:
        try:
            # A small plan's save is done by now (no wait cursor flickers); the wait is a
            # freeze added to whatever this turn of the event loop did before: kept short.
            return future.result(timeout=0.010)
        except TimeoutError:
            pass
        # Input waits while the dialog waits for its delay (most saves end before it).
        progress = _busy_dialog(parent, label)
        guard = _HoldInput()
        if app is not None:
            app.installEventFilter(guard)
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    loop = QEventLoop()
    timer = QTimer(interval=15)

    def quit_when_done() -> None:
        if future.done():
            loop.quit()

    timer.timeout.connect(quit_when_done)
    timer.start()
    try:
        if not future.done():
            loop.exec()
    finally:
        timer.stop()
        progress.reset()
        progress.deleteLater()
        QGuiApplication.restoreOverrideCursor()
        if app is not None and guard is not None:
            app.removeEventFilter(guard)
    return future.result()


def run_in_slices(
    parent: QWidget | None, label: str, steps: Iterator[float], slice_s: float = turns.TURN_S
) -> None:
    """Run `steps` (each yielding the share done, 0 … 1) on this thread, a slice of
    `slice_s` at each turn of the event loop: for work on the plan's own objects,
    which no other thread may touch.  Input is held back until it is done."""
    app = QApplication.instance()
    guard = _HoldInput()
    if app is not None:
        app.installEventFilter(guard)
    progress = QProgressDialog(label, "", 0, 100, parent)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)
    loop = QEventLoop()
    timer = QTimer(interval=0)
    finished = False

    def run_a_slice() -> None:
        nonlocal finished
        allowed = turns.allowance(slice_s)
        if allowed is None:
            return  # the window's other work has spent this turn
        deadline = time.perf_counter() + allowed
        # A collection midway would scan the whole plan.
        with collection_paused(), turns.counted():
            try:
                while True:  # at least one step a turn, however short the slice
                    progress.setValue(int(next(steps) * 100))
                    if time.perf_counter() >= deadline:
                        break
            except StopIteration:
                finished = True
                loop.quit()

    timer.timeout.connect(run_a_slice)
    timer.start()
    try:
        if not finished:
            loop.exec()
    finally:
        timer.stop()
        progress.reset()
        progress.deleteLater()
        if app is not None:
            app.removeEventFilter(guard)
