"""File ▸ Export… in the window: the document is written in the background, or not at all."""

from __future__ import annotations

import threading
from pathlib import Path

import docx
import pytest

from planstudio.ui import export_dialog
from planstudio.ui.main_window import MainWindow
from tests.conftest import SAMPLES


@pytest.fixture
def window(main_window: MainWindow, monkeypatch) -> MainWindow:
    main_window.open_sample(next(s for s in SAMPLES if "lausd" in s.name).name)
    # The sample lacks what both layouts require; these tests export it all the same.
    monkeypatch.setattr(main_window, "ask_export_with_problems", lambda count: "export")
    return main_window


def _answer(window: MainWindow, monkeypatch, out: Path, fmt: str, layout: str) -> None:
    def fill(dialog: export_dialog.ExportDialog) -> bool:
        dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))
        dialog.layout_box.setCurrentIndex(dialog.layout_box.findData(layout))
        dialog.path_edit.setText(str(out))
        return True

    monkeypatch.setattr(window, "ask_export", fill)


def test_export_from_the_window_writes_the_document_and_opens_it(window, tmp_path, monkeypatch):
    editing = window.editing
    assert editing is not None
    before = editing.undo_stack.count(), editing.document.revision
    opened: list[Path] = []
    monkeypatch.setattr(window, "open_exported", opened.append)
    out = tmp_path / "lausd.docx"
    _answer(window, monkeypatch, out, "docx", "strategic-plan")
    window.export_action.trigger()
    assert opened == [out]
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert editing.plan.goal_areas[0].title in text
    assert (editing.undo_stack.count(), editing.document.revision) == before
    pdf = tmp_path / "lausd.pdf"
    _answer(window, monkeypatch, pdf, "pdf", "ga-dip")
    window.export_action.trigger()
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_cancelled_export_writes_nothing(window, tmp_path, monkeypatch):
    out = tmp_path / "cancelled.pdf"
    _answer(window, monkeypatch, out, "pdf", "strategic-plan")

    class AlreadyCancelled(threading.Event):
        def __init__(self) -> None:
            super().__init__()
            self.set()  # as if Cancel were pressed before the first page

    monkeypatch.setattr(export_dialog.threading, "Event", AlreadyCancelled)
    window.export_action.trigger()
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
    assert "cancelled" in window.statusBar().currentMessage()


def test_the_progress_report_reports_on_the_date_chosen(window, tmp_path, monkeypatch):
    from PySide6.QtCore import QDate

    out = tmp_path / "progress.docx"

    def fill(dialog: export_dialog.ExportDialog) -> bool:
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("docx"))
        dialog.layout_box.setCurrentIndex(dialog.layout_box.findData("progress-report"))
        dialog.as_of_edit.setDate(QDate(2025, 11, 3))
        dialog.path_edit.setText(str(out))
        return True

    monkeypatch.setattr(window, "ask_export", fill)
    monkeypatch.setattr(window, "open_exported", lambda path: None)
    window.export_action.trigger()
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Progress as of November 3, 2025" in text


def test_the_student_groups_chart_can_be_left_out(main_window, tmp_path, monkeypatch):
    main_window.open_sample(next(s for s in SAMPLES if "charlotte" in s.name).name)
    monkeypatch.setattr(main_window, "ask_export_with_problems", lambda count: "export")
    monkeypatch.setattr(main_window, "open_exported", lambda path: None)
    pictures = {}
    for charted in (True, False):
        out = tmp_path / f"charlotte-{charted}.docx"

        def fill(dialog: export_dialog.ExportDialog, out: Path = out, charted=charted) -> bool:
            dialog.format_box.setCurrentIndex(dialog.format_box.findData("docx"))
            dialog.layout_box.setCurrentIndex(dialog.layout_box.findData("strategic-plan"))
            dialog.path_edit.setText(str(out))
            assert dialog.group_charts.isChecked()  # the default prints them
            dialog.group_charts.setChecked(charted)
            return True

        monkeypatch.setattr(main_window, "ask_export", fill)
        main_window.export_action.trigger()
        pictures[charted] = len(docx.Document(str(out)).inline_shapes)
    # Charlotte keeps several measures for eight student groups: each loses its chart.
    assert pictures[False] < pictures[True]
