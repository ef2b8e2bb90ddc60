"""While a save or an export runs on a worker, the window gets the interpreter lock quickly.

Painting calls Python for each cell and role, taking the lock anew each time; with
Python's usual 5 ms hand-over a worker busy exporting froze a repaint for 0.2-1.6 s.
These tests fail if the short hand-over is not in force while the worker runs, or
is left in force after.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from planstudio.ui import busy, export_dialog
from planstudio.ui.main_window import MainWindow
from tests.conftest import SAMPLES

pytestmark = pytest.mark.timeout(120)


class _WorkerStarts:
    """What the window had done when each worker was submitted: whether a progress dialog
    was showing, and whether the outline had been repainted since `clear()`."""

    def __init__(self, window: MainWindow, executor: Any, monkeypatch: Any) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QProgressDialog

        self.window = window
        self.painted = False
        self.at_start: list[tuple[bool, bool]] = []  # (dialog shown, outline painted)
        watcher = self

        class Watch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    watcher.painted = True
                return False

        real_submit = executor.submit

        def submit(*args: object, **kwargs: object) -> object:
            self.at_start.append((self.dialog_shown(), self.painted))
            return real_submit(*args, **kwargs)

        monkeypatch.setattr(executor, "submit", submit)
        self._dialog_type = QProgressDialog
        self._watch = Watch()
        window.tree.viewport().installEventFilter(self._watch)

    def dialog_shown(self) -> bool:
        return any(d.isVisible() for d in self.window.findChildren(self._dialog_type))

    def clear(self) -> None:
        self.painted = False
        self.at_start.clear()

    def stop(self) -> None:
        self.window.tree.viewport().removeEventFilter(self._watch)


def test_a_save_runs_with_a_short_hand_over(qtbot) -> None:
    usual = sys.getswitchinterval()
    seen = busy.run_busy(None, "Saving…", sys.getswitchinterval)
    assert seen <= 0.0005 < usual
    assert sys.getswitchinterval() == usual


def test_an_export_runs_with_a_short_hand_over(main_window: MainWindow, tmp_path: Path,
                                               monkeypatch) -> None:  # fmt: skip
    main_window.open_sample(next(s for s in SAMPLES if "lausd" in s.name).name)
    editing = main_window.editing
    assert editing is not None
    usual = sys.getswitchinterval()
    seen: list[float] = []
    real = editing.document.snapshot

    def snapshot() -> object:
        seen.append(sys.getswitchinterval())  # on the export's worker
        return real()

    monkeypatch.setattr(editing.document, "snapshot", snapshot)
    out = tmp_path / "plan.docx"
    assert export_dialog.run_export(main_window, editing, "docx", "strategic-plan", out)
    assert out.exists()
    assert seen and seen[0] <= 0.0005 < usual
    assert sys.getswitchinterval() == usual


def test_an_export_shows_its_dialog_and_repaints_before_the_worker_starts(
    main_window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """The dialog's arrival repaints every view of the window it deactivates; done while
    the worker already held the lock, that repaint froze the window 120-340 ms."""
    main_window.open_sample(next(s for s in SAMPLES if "lausd" in s.name).name)
    editing = main_window.editing
    assert editing is not None
    main_window.show()
    starts = _WorkerStarts(main_window, export_dialog._executor, monkeypatch)
    out = tmp_path / "plan.pdf"
    starts.clear()
    try:
        assert export_dialog.run_export(main_window, editing, "pdf", "ga-dip", out)
    finally:
        starts.stop()
    assert out.exists()
    assert starts.at_start[0][0], "the worker started before the dialog showed"
    assert starts.at_start == [(True, True)], "the worker started before the window repainted"


def test_an_export_from_the_window_draws_its_charts_on_its_own_worker(
    main_window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """Two chart threads beside the export's worker froze the window 66-456 ms at 10,000
    steps: each is one more thread the window must win the interpreter from to paint."""
    import threading

    import planstudio.export.docx.writer as writer

    main_window.open_sample(next(s for s in SAMPLES if "lausd" in s.name).name)
    editing = main_window.editing
    assert editing is not None
    real = writer.render_chart
    drawn_on: set[threading.Thread] = set()

    def render(chart: object) -> bytes:
        drawn_on.add(threading.current_thread())
        return real(chart)  # type: ignore[arg-type]

    monkeypatch.setattr(writer, "render_chart", render)
    out = tmp_path / "plan.docx"
    assert export_dialog.run_export(main_window, editing, "docx", "strategic-plan", out)
    assert len(drawn_on) == 1  # the worker that ran the export, and no other
    assert threading.main_thread() not in drawn_on


def test_saving_a_large_plan_shows_its_dialog_and_repaints_before_the_worker_starts(
    main_window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """As an export's: the busy dialog appearing 400 ms into a save, with the worker holding
    the interpreter, froze the window (91 ms once at 10,000 steps)."""
    main_window.open_sample(next(s for s in SAMPLES if "lausd" in s.name).name)
    main_window.finish_opening()
    saved_as = tmp_path / "plan.psplan"
    monkeypatch.setattr(main_window, "ask_save_path", lambda: str(saved_as))
    assert main_window.save_as()
    main_window.show()
    starts = _WorkerStarts(main_window, busy._executor, monkeypatch)
    try:
        # Small: its dialog waits for its delay, and most saves never show one.
        assert not busy.is_long_work(saved_as)
        starts.clear()
        assert main_window.save()
        assert starts.at_start == [(False, False)]
        # Large (as this file is made to count): the dialog and the repaint come first.
        monkeypatch.setattr(busy, "LONG_WORK_BYTES", saved_as.stat().st_size)
        starts.clear()
        assert main_window.save()
    finally:
        starts.stop()
    assert starts.at_start[0][0], "the worker started before the dialog showed"
    assert starts.at_start == [(True, True)], "the worker started before the window repainted"
    assert not starts.dialog_shown()


def test_long_busy_work_holds_input_back_through_qt_not_a_python_filter(qtbot, monkeypatch) -> None:
    """The input guard is a Python call for every event of every widget, each waiting for
    the lock behind the worker (25-28 ms gaps while a 10,000-step plan was read, 7-11 ms
    without it). A long work's dialog, modal to the whole application, holds input back."""
    import time

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    made: list[object] = []

    class Guard(busy._HoldInput):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(busy, "_HoldInput", Guard)
    modality: list[object] = []
    real_submit = busy._executor.submit

    def submit(*args: object, **kwargs: object) -> object:
        dialog = QApplication.activeModalWidget()
        modality.append(dialog.windowModality() if dialog is not None else None)
        return real_submit(*args, **kwargs)

    monkeypatch.setattr(busy._executor, "submit", submit)
    busy.run_busy(None, "Opening…", lambda: time.sleep(0.05), long=True)
    assert modality == [Qt.WindowModality.ApplicationModal]
    assert made == []
    # Work not known to be long still has its input held while its dialog waits its delay.
    busy.run_busy(None, "Saving…", lambda: time.sleep(0.05))
    assert len(made) == 1
    assert QApplication.activeModalWidget() is None
