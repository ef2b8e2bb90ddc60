"""File ▸ Export…: choose layout, format and file; export in the background, cancellably."""

from __future__ import annotations

import datetime as dt
import re
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
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from planstudio.model import PlanError
from planstudio.model.collection import collection_paused, release_in_pieces
from planstudio.model.vocabulary import LAYOUTS
from planstudio.ui.busy import show_before_work, window_served_first
from planstudio.ui.editing import PlanEditing
from planstudio.ui.file_commands import settings
from planstudio.ui.widgets.accessible import describe_controls

EXPORT_LAYOUTS = {**LAYOUTS, "progress-report": "Progress Report"}
FORMATS = {"docx": "Word document (.docx)", "pdf": "PDF document (.pdf)"}
# What a file name says of its layout: short, as directors name their files.
FILE_LAYOUT_NAMES = {"ga-dip": "Georgia DIP", "strategic-plan": "Strategic Plan",
                     "progress-report": "Progress Report"}  # fmt: skip
_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
FOLDER_SETTING = "export/folder"


def export_file_name(plan: Any, layout: str, fmt: str, as_of: dt.date | None = None) -> str:
    """ "Clayton County - Georgia DIP.pdf", "… - Progress Report 2026-12-02.pdf".

    Each layout has a name of its own, so that exporting one never replaces another.
    """
    owner = " ".join(str(plan.organization or plan.title or "Plan").split())
    what = FILE_LAYOUT_NAMES.get(layout, EXPORT_LAYOUTS.get(layout, layout))
    if layout == "progress-report" and as_of is not None:
        what = f"{what} {as_of.isoformat()}"
    name = " ".join(_UNSAFE_IN_NAMES.sub(" ", f"{owner} - {what}").split()).strip(" .")
    return f"{name}.{fmt}"


def default_as_of(plan: Any, today: dt.date) -> dt.date:
    """Today, unless the plan's years are over or to come: then the end of its last school year."""
    first = _year_start(plan.first_year)
    last = _year_start(plan.last_year)
    if last is None:
        return today
    end = dt.date(last + 1, 6, 30)
    start = dt.date(first if first is not None else last, 7, 1)
    return today if start <= today <= end else end


def _year_start(school_year: str | None) -> int | None:
    """2021 for "2021-22"; None when the year is not set or not a school year."""
    match = re.fullmatch(r"\s*(\d{4})-\d{2}\s*", school_year or "")
    return int(match.group(1)) if match else None


_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planstudio-export")


class ExportDialog(QDialog):
    def __init__(self, editing: PlanEditing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setAccessibleName("Export")
        self.editing = editing
        self._suggested_name = ""
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
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
        self.path_edit.setAccessibleDescription(
            "The file the export writes; Browse chooses another"
        )
        # A path is read from its start (the folder), and is wide enough to be read whole.
        self.path_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)
        self.path_edit.textChanged.connect(self._show_path_start)
        browse = QPushButton("Browse…")
        browse.setAccessibleName("Browse for the export file")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.group_charts = QCheckBox("A chart for each measure kept for several student groups")
        self.group_charts.setAccessibleName("Chart student groups")
        self.group_charts.setToolTip(
            "One chart with a panel per student group, after the measure's table; "
            "unchecked, the table alone"
        )
        self.group_charts.setChecked(True)
        self.open_when_done = QCheckBox("Open the file when done")
        self.open_when_done.setAccessibleName("Open the file when done")
        self.open_when_done.setChecked(True)
        as_of = default_as_of(editing.plan, dt.date.today())
        self.as_of_edit = QDateEdit(QDate(as_of.year, as_of.month, as_of.day))
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        self.as_of_edit.setAccessibleName("Progress as of")
        self.as_of_edit.setToolTip("The date the progress report reports on")
        form.addRow(self._label("&Layout", self.layout_box), self.layout_box)
        form.addRow(self._label("As &of", self.as_of_edit), self.as_of_edit)
        form.addRow(self._label("&Format", self.format_box), self.format_box)
        # With a layout as its field, a row's label has no buddy and would show its "&".
        form.addRow(self._label("&Save to", self.path_edit), path_row)
        form.addRow("", self.group_charts)
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
        self.as_of_edit.dateChanged.connect(lambda _d: self._suggest_path())
        self._suggest_path()
        self._show_as_of()
        describe_controls(self, "the export")

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _show_path_start(self, text: str) -> None:
        self.path_edit.setToolTip(text)
        if not self.path_edit.hasFocus():
            self.path_edit.setCursorPosition(0)

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
        """A name that says the layout, in the folder last exported to (or the plan's).

        A name the user typed is kept (with the format's suffix); one this dialog
        proposed follows the layout, format and date chosen.
        """
        document = self.editing.document
        remembered = settings().value(FOLDER_SETTING)
        if isinstance(remembered, str) and remembered and Path(remembered).is_dir():
            folder = Path(remembered)
        else:
            folder = document.path.parent if document.path else Path.home()
        suggested = export_file_name(
            document.plan, self.chosen_layout, self.chosen_format, self.chosen_as_of
        )
        current = self.path_edit.text().strip()
        name = suggested
        if current:
            folder = Path(current).parent
            typed = Path(current)
            if typed.name != self._suggested_name:
                name = f"{typed.stem}.{self.chosen_format}"
        self._suggested_name = suggested if name == suggested else self._suggested_name
        self.path_edit.setText(str(folder / name))

    def remember_folder(self) -> None:
        """The next export proposes the folder this one wrote to."""
        path = Path(self.path_edit.text().strip()).expanduser()
        if path.parent.is_dir():
            settings().setValue(FOLDER_SETTING, str(path.parent))

    def _browse(self) -> None:
        suffix = self.chosen_format
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path_edit.text(), f"{FORMATS[suffix]} (*.{suffix})",
            # The window asks before replacing a file, once, whichever way the path was chosen.
            options=QFileDialog.Option.DontConfirmOverwrite,
        )  # fmt: skip
        if path:
            self.path_edit.setText(path)


def run_export(
    parent: QWidget,
    editing: PlanEditing,
    fmt: str,
    layout: str,
    out: Path,
    exported: dt.date | None = None,
    group_charts: bool = True,
) -> bool:
    """Export in a worker thread behind a cancellable progress dialog; True when written.

    `exported` is the date printed (and, for a progress report, the date it reports on).
    """
    from planstudio.export import ExportCancelled, LayoutOptions, export_snapshot

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
            snapshot = editing.document.snapshot()
            try:
                # The charts on this thread too: every other busy Python thread is one
                # more the window must win the interpreter from to paint.
                export_snapshot(
                    snapshot, fmt, out, layout=layout, progress=progress, exported=exported,
                    options=LayoutOptions(group_charts=group_charts), chart_threads=False,
                )  # fmt: skip
            finally:
                release_in_pieces(snapshot)

    dialog = QProgressDialog(f"Exporting {out.name}…", "Cancel", 0, 1000, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.canceled.connect(cancelled.set)
    show_before_work(dialog)
    with window_served_first():
        future: Future[None] = _executor.submit(work)
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


def open_file(path: Path) -> bool:
    """True when the system handed the file to a program that opens it."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
