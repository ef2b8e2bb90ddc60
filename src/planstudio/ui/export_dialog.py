"""File ▸ Export…: choose layout, format and file; export in the background, cancellably."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEventLoop, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from planstudio.model import PlanError
from planstudio.model.loading import collection_paused
from planstudio.model.vocabulary import LAYOUTS
from planstudio.ui.editing import PlanEditing

EXPORT_LAYOUTS = {**LAYOUTS, "progress-report": "Progress Report"}
FORMATS = {"docx": "Word document (.docx)", "pdf": "PDF document (.pdf)"}
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planstudio-export")


class ExportDialog(QDialog):
    def __init__(self, editing: PlanEditing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.editing = editing
        form = QFormLayout(self)
        self.layout_box = QComboBox()
        self.layout_box.setAccessibleName("Layout")
        for key, name in EXPORT_LAYOUTS.items():
            self.layout_box.addItem(name, key)
        plan_layout = editing.plan.layout or "strategic-plan"
        self.layout_box.setCurrentIndex(max(0, self.layout_box.findData(plan_layout)))
        self.format_box = QComboBox()
        self.format_box.setAccessibleName("Format")
        for key, name in FORMATS.items():
            self.format_box.addItem(name, key)
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Export to file")
        browse = QPushButton("Browse…")
        browse.setAccessibleName("Browse for the export file")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.open_when_done = QCheckBox("Open the file when done")
        self.open_when_done.setChecked(True)
        self.as_of_edit = QDateEdit(QDate.currentDate())
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        self.as_of_edit.setAccessibleName("Progress as of")
        self.as_of_edit.setToolTip("The date the progress report reports on")
        form.addRow("&Layout", self.layout_box)
        form.addRow("As &of", self.as_of_edit)
        form.addRow("&Format", self.format_box)
        form.addRow("&Save to", path_row)
        form.addRow("", self.open_when_done)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.format_box.currentIndexChanged.connect(self._suggest_path)
        self.layout_box.currentIndexChanged.connect(self._suggest_path)
        self.layout_box.currentIndexChanged.connect(self._show_as_of)
        self._suggest_path()
        self._show_as_of()

    @property
    def chosen_format(self) -> str:
        return str(self.format_box.currentData())

    @property
    def chosen_layout(self) -> str:
        return str(self.layout_box.currentData())

    @property
    def chosen_as_of(self) -> dt.date | None:
        """The date a progress report reports on; None for the other layouts (today)."""
        if self.chosen_layout != "progress-report":
            return None
        day = self.as_of_edit.date()
        return dt.date(day.year(), day.month(), day.day())

    def _show_as_of(self) -> None:
        is_report = self.chosen_layout == "progress-report"
        self.as_of_edit.setEnabled(is_report)
        form = self.layout()
        assert isinstance(form, QFormLayout)  # built as a form in __init__
        label = form.labelForField(self.as_of_edit)
        self.as_of_edit.setVisible(is_report)
        if label is not None:
            label.setVisible(is_report)

    def _suggest_path(self) -> None:
        document = self.editing.document
        folder = document.path.parent if document.path else Path.home()
        stem = document.path.stem if document.path else (document.plan.title or "Plan")
        current = self.path_edit.text().strip()
        if current:
            folder = Path(current).parent
            stem = Path(current).stem
        self.path_edit.setText(str(folder / f"{stem}.{self.chosen_format}"))

    def _browse(self) -> None:
        suffix = self.chosen_format
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path_edit.text(), f"{FORMATS[suffix]} (*.{suffix})"
        )
        if path:
            self.path_edit.setText(path)


def run_export(
    parent: QWidget,
    editing: PlanEditing,
    fmt: str,
    layout: str,
    out: Path,
    exported: dt.date | None = None,
) -> bool:
    """Export in a worker thread behind a cancellable progress dialog; True when written.

    `exported` is the date printed (and, for a progress report, the date it reports on).
    """
    from planstudio.export import ExportCancelled, export_snapshot

    cancelled = threading.Event()
    fraction = [0.0]

    def progress(value: float) -> bool:
        fraction[0] = value
        return not cancelled.is_set()  # False stops the export; nothing is written

    def work() -> None:
        # Its own connection: the window may go on painting and the plan stays untouched.
        # No collection until the snapshot and the document made of it are gone: a pass
        # over them would hold the interpreter lock, and so freeze the window, for 100s of ms.
        with collection_paused():
            export_snapshot(
                editing.document.snapshot(), fmt, out, layout=layout, progress=progress,
                exported=exported,
            )  # fmt: skip

    future: Future[None] = _executor.submit(work)
    dialog = QProgressDialog(f"Exporting {out.name}…", "Cancel", 0, 1000, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.canceled.connect(cancelled.set)
    loop = QEventLoop()

    def tick() -> None:
        dialog.setValue(int(fraction[0] * 1000))
        if future.done():
            loop.quit()

    timer = QTimer(interval=30)
    timer.timeout.connect(tick)
    timer.start()
    if not future.done():
        loop.exec()
    timer.stop()
    dialog.reset()
    dialog.deleteLater()
    try:
        future.result()
    except ExportCancelled:
        return False
    except PlanError:
        raise
    except OSError as error:
        raise PlanError(f"Cannot write {out}: {error.strerror or error}.") from None
    return True


def open_file(path: Path) -> Any:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
