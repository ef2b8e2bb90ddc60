"""Window tests: offscreen Qt, settings in a temporary folder, message boxes answered."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def _release_clipboard(qapp):
    """Hand the clipboard back to Qt after each test, as the app does when it quits.

    PySide6 crashes at interpreter exit while the clipboard holds a QMimeData made in
    Python (see planstudio.ui.app.release_clipboard).
    """
    yield
    from planstudio.ui.app import release_clipboard

    release_clipboard()


@pytest.fixture
def main_window(qtbot, monkeypatch) -> Iterator[Any]:
    """A real main window in which no dialog may wait for a person.

    A message box the test did not answer fails the test; whatever the test leaves
    unsaved is discarded at the end, as the user would at the prompt.
    """
    from PySide6.QtWidgets import QMessageBox

    from planstudio.ui.main_window import MainWindow

    def unexpected(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"unexpected message box: {args[2] if len(args) > 2 else args}")

    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, unexpected)

    def unexpected_box(box: Any) -> None:
        raise AssertionError(f"unexpected message box: {box.text()}")

    monkeypatch.setattr(QMessageBox, "exec", unexpected_box)
    window = MainWindow()  # closed below: it deletes itself on close, so not via qtbot
    window.show()
    yield window
    for other in list(MainWindow.windows):
        other.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
        other.close()


@pytest.fixture(autouse=True)
def _author_answered(monkeypatch) -> None:
    """The name on saved versions is asked at the first save: answered as the user would
    who takes the suggested account name (a test may answer otherwise)."""
    from planstudio.ui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "ask_author", lambda _self, current, _first: current)
