"""Starting the desktop application."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from planstudio import __version__
from planstudio.ui.plan_requests import FileOpenFilter, PlanRequestServer, forward_plan

# Hidden switch for smoke tests of a built program: with it set, the window comes up (with
# its plan, when one is named), prints "ready: <window title>" and quits as a user would.
QUIT_WHEN_READY_ENV = "PLANSTUDIO_QUIT_WHEN_READY"
READY_DEADLINE_S = 60.0


def release_clipboard() -> None:
    """Leave plain text on the clipboard instead of the QMimeData Plan Studio put there.

    PySide6 crashes at exit when the clipboard still holds mime data created from
    Python; the copied outline text stays available to other programs.
    """
    clipboard = QGuiApplication.clipboard()
    data = clipboard.mimeData()
    if data is not None and any(f.startswith("application/x-planstudio") for f in data.formats()):
        text = data.text()
        clipboard.clear()
        if text:
            clipboard.setText(text)


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Plan Studio")
    app.setOrganizationName("PlanStudio")
    app.setApplicationVersion(__version__)
    app.aboutToQuit.connect(release_clipboard)
    return app


def _report_unexpected(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """An error nobody foresaw: log it, tell the user in words, keep the window running.

    Every edit is already in the recovery copy, so the plan is safe whatever happens next.
    """
    import traceback

    from PySide6.QtWidgets import QMessageBox

    from planstudio.paths import data_dir

    log = data_dir() / "planstudio-errors.log"
    try:
        with log.open("a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(kind, error, trace)))
    except OSError:
        pass
    QMessageBox.critical(
        None,
        "Plan Studio",
        f"Something went wrong: {error}\n\nYour edits so far are kept in the recovery copy. "
        f"Details were written to {log}.",
    )


def open_from_desktop(plan: Path) -> None:
    """A plan the desktop asked for (double-clicked while Plan Studio runs): it opens in the
    front window when that has no plan, else in a new window, which comes to the front."""
    from planstudio.ui.main_window import MainWindow

    active = QApplication.activeWindow()
    shown = [window for window in MainWindow.windows if window.isVisible()]
    window = active if isinstance(active, MainWindow) else (shown[-1] if shown else MainWindow())
    window.show()
    window.open_path(plan)
    for candidate in MainWindow.windows:
        editing = candidate.editing
        if editing is not None and editing.document.path == plan.absolute():
            candidate.raise_()
            candidate.activateWindow()


class LoadPlanModulesAfterPaint(QObject):
    """Once the window has painted, imports what a plan needs on a worker thread.

    The window comes up without SQLAlchemy and the ORM (a third of its cold start); by the
    time the user has picked a plan they are loaded, and opening it does not wait for them.
    A plan opened meanwhile waits for the worker (see planstudio.ui.deferred).
    """

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.app.removeEventFilter(self)
            # Once the rest of this first frame is painted: the worker holding Python's lock
            # meanwhile would slow the painting of every widget done in Python.
            QTimer.singleShot(0, self._start)
        return False

    def _start(self) -> None:
        from planstudio.ui.deferred import start_loading_plan_modules

        start_loading_plan_modules()


def _quit_when_ready(expect_plan: bool) -> None:
    from planstudio.ui.main_window import MainWindow

    started = time.monotonic()

    def check() -> None:
        shown = [window for window in MainWindow.windows if window.isVisible()]
        with_plan = [window for window in shown if window.editing is not None]
        if not shown or (expect_plan and not with_plan):
            if time.monotonic() - started < READY_DEADLINE_S:
                QTimer.singleShot(50, check)
            else:
                sys.stderr.write("planstudio: error: the window did not come up\n")
                QApplication.exit(1)
            return
        window = (with_plan or shown)[0]
        sys.stdout.write(f"ready: {window.windowTitle().replace('[*]', '')}\n")
        sys.stdout.flush()
        window.quit_all()

    QTimer.singleShot(0, check)


def run(plan: str | None = None) -> int:
    """Open the main window (with `plan` if given) and run until the last window closes.

    When Plan Studio already runs for this user, the plan is handed to it instead (a
    second double-click on a .psplan opens a new window there) and this program exits.
    """
    app = create_application()
    if plan and forward_plan(Path(plan)):
        return 0
    sys.excepthook = _report_unexpected
    from planstudio.ui.main_window import MainWindow, recent_files

    requests = PlanRequestServer(open_from_desktop, app)
    requests.listen()
    app.installEventFilter(FileOpenFilter(open_from_desktop, app))
    LoadPlanModulesAfterPaint(app)
    window = MainWindow()
    window.start_page.refresh(recent_files())
    window.show()
    if plan:
        QTimer.singleShot(0, lambda: window.open_path(Path(plan)))
    QTimer.singleShot(0, window.offer_recovery)
    if os.environ.get(QUIT_WHEN_READY_ENV):
        _quit_when_ready(expect_plan=bool(plan))
    try:
        return app.exec()
    finally:
        requests.close()
