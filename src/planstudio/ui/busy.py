"""Run slow work (opening or saving a large plan) off the interface thread.

The window keeps painting while the work runs; the user's clicks and keys
are held back meanwhile, so nothing edits a plan that is being saved.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

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


def run_busy(parent: QWidget | None, label: str, work: Callable[[], T]) -> T:
    """Run `work` in a worker thread, keep the interface painting, return its result."""
    future: Future[T] = _executor.submit(work)
    try:
        return future.result(timeout=0.05)  # most saves are done by now: no flicker
    except TimeoutError:
        pass
    app = QApplication.instance()
    guard = _HoldInput()
    if app is not None:
        app.installEventFilter(guard)
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)
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
        if app is not None:
            app.removeEventFilter(guard)
    return future.result()
