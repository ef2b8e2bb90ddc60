"""Starting the desktop application."""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from planstudio import __version__


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


def run(plan: str | None = None) -> int:
    """Open the main window (with `plan` if given) and run until the last window closes."""
    app = create_application()
    sys.excepthook = _report_unexpected
    from planstudio.ui.main_window import MainWindow, recent_files

    window = MainWindow()
    window.start_page.refresh(recent_files())
    window.show()
    if plan:
        QTimer.singleShot(0, lambda: window.open_path(Path(plan)))
    QTimer.singleShot(0, window.offer_recovery)
    return app.exec()
