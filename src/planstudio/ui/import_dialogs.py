"""File ▸ Import (Word plan, spreadsheet with a column-mapping step) and New Plan for Next Year.

`install_import_menu` adds the commands to a window's File menu; the work is
done by the Qt-free importers (planstudio.importers) and model/rollover.py.
The dialogs open window-modal and go on from their `accepted` signal, so that
nothing blocks the event loop and tests drive them as a user would.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planstudio.model import PlanError
from planstudio.ui.busy import run_busy
from planstudio.ui.deferred import deferred

if TYPE_CHECKING:
    from planstudio import importers
    from planstudio.importers import spreadsheet
    from planstudio.model import document as plan_document
    from planstudio.model import rollover
else:
    importers = deferred("planstudio.importers")
    spreadsheet = deferred("planstudio.importers.spreadsheet")
    plan_document = deferred("planstudio.model.document")
    rollover = deferred("planstudio.model.rollover")

_PREVIEW_ROWS = 3


class TextReportDialog(QDialog):
    """A report to read and, if wanted, keep: the import report or the rollover summary."""

    def __init__(self, title: str, summary: str, lines: list[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("ImportReport" if "Import" in title else "RolloverSummary")
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.lines = QPlainTextEdit("\n".join(lines))
        self.lines.setReadOnly(True)
        self.lines.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.lines.setAccessibleName("Report lines")
        self.lines.setVisible(bool(lines))
        layout.addWidget(self.lines)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton("Save as Text…")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self._save)
        layout.addWidget(buttons)

    def text(self) -> str:
        body = self.lines.toPlainText()
        return f"{self.summary.text()}\n{body}\n" if body else f"{self.summary.text()}\n"

    def ask_path(self) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save Report", str(Path.home() / "report.txt"), "Text (*.txt)"
        )
        return path

    def _save(self) -> None:
        path = self.ask_path()
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        from planstudio.model.storage import write_bytes_atomically

        try:
            write_bytes_atomically(path.absolute(), self.text().encode("utf-8"))
        except PlanError as error:
            self.summary.setText(f"{self.summary.text()}\n\nNot saved: {error}")


def report_dialog(report: importers.ImportReport, parent: QWidget) -> TextReportDialog:
    return TextReportDialog("Import Report", report.summary(), report.lines(), parent)


def summary_dialog(summary: rollover.RolloverSummary, parent: QWidget) -> TextReportDialog:
    lines = summary.lines()
    return TextReportDialog("Rollover Summary", lines[0], lines[1:], parent)


class ColumnMappingDialog(QDialog):
    """The column-mapping step: each column's header, its first values, and the field it fills."""

    def __init__(
        self, table: spreadsheet.Table, source: str, can_add: bool, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.table = table
        self.setWindowTitle(f"Import {source}")
        self.setObjectName("ColumnMapping")
        self.resize(760, 460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"{len(table.rows)} rows. Check the field each column fills; columns kept as notes "
            "are added to each row's action step as a note."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.grid = QTableWidget(len(table.headers), 3)
        self.grid.setHorizontalHeaderLabels(["Column", "First values", "Fills"])
        self.grid.verticalHeader().hide()
        self.grid.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.combos: list[QComboBox] = []
        guess = spreadsheet.guess_columns(table.headers)
        for index, header in enumerate(table.headers):
            samples = [
                str(cells[index]) for _n, cells in table.rows[:_PREVIEW_ROWS]
                if index < len(cells) and str(cells[index]).strip()
            ]  # fmt: skip
            for column, shown in enumerate(
                (header or f"(column {index + 1})", " | ".join(samples))
            ):
                item = QTableWidgetItem(shown)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.grid.setItem(index, column, item)
            combo = QComboBox()
            for name, label in spreadsheet.FIELDS.items():
                combo.addItem(label, name)
            combo.setCurrentIndex(combo.findData(guess[index]))
            combo.setAccessibleName(f"Field for column {header}")
            self.grid.setCellWidget(index, 2, combo)
            self.combos.append(combo)
        self.grid.resizeColumnToContents(0)
        self.grid.setColumnWidth(2, 240)
        layout.addWidget(self.grid)
        self.add_to_open = QCheckBox("Add to the open plan (one edit you can undo)")
        self.add_to_open.setChecked(can_add)
        self.add_to_open.setEnabled(can_add)
        self.add_to_open.setVisible(can_add)
        layout.addWidget(self.add_to_open)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def columns(self) -> dict[int, str]:
        return {index: str(combo.currentData()) for index, combo in enumerate(self.combos)}

    def set_field(self, header: str, field: str) -> None:
        index = self.table.headers.index(header)
        self.combos[index].setCurrentIndex(self.combos[index].findData(field))


class RolloverDialog(QDialog):
    """The choices New Plan for Next Year offers before it makes anything."""

    def __init__(self, plan_name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Plan for Next Year")
        self.setObjectName("RolloverOptions")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Make next year's plan from {plan_name}: school years move on by one, action steps "
            "not completed are carried with their last status as history, measures keep their "
            "history and targets, catalogs come along. The new plan is a draft."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.keep_completed = QCheckBox("Also carry completed and discontinued action steps")
        self.keep_amounts = QCheckBox("Keep funding amounts and allocations")
        layout.addWidget(self.keep_completed)
        layout.addWidget(self.keep_amounts)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Make Plan")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


# ---------------------------------------------------------------------------- commands


class ImportCommands:
    """File ▸ Import and New Plan for Next Year for one window (a FileCommands main window)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.dialog: QDialog | None = None  # the one open, for tests and to keep it alive

    def _show(self, dialog: QDialog, then: Callable[[], None] | None = None) -> QDialog:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if then is not None:
            dialog.accepted.connect(then)
        dialog.open()
        return dialog

    def _ask(self, title: str, filters: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self.window, title, str(Path.home()), filters)
        return path

    def _new_window(self, document: plan_document.PlanDocument) -> Any:
        target = self.window._window_for_new_document()
        target.set_document(document)
        return target

    # --------------------------------------------------------------- Word

    def import_word_plan(self, path: str | Path | None = None) -> None:
        path = path or self._ask("Import From Word Plan", "Word documents (*.docx)")
        if not path:
            return
        from planstudio.importers import import_file

        source = Path(path)
        try:
            result: importers.ImportResult = run_busy(
                self.window, f"Reading {source.name}…", lambda: import_file(source)
            )
            document = plan_document.PlanDocument.from_interchange(result.document)
        except PlanError as error:
            self.window.tell(str(error))
            return
        target = self._new_window(document)
        target.import_commands._show(report_dialog(result.report, target))

    # --------------------------------------------------------------- spreadsheets

    def import_spreadsheet(self, path: str | Path | None = None) -> None:
        path = path or self._ask("Import From Spreadsheet", "Spreadsheets (*.xlsx *.csv)")
        if not path:
            return
        from planstudio.importers.spreadsheet import read_table

        source = Path(path)
        try:
            table = run_busy(self.window, f"Reading {source.name}…", lambda: read_table(source))
        except PlanError as error:
            self.window.tell(str(error))
            return
        editing = self.window.editing
        can_add = editing is not None and not editing.document.read_only
        dialog = ColumnMappingDialog(table, source.name, can_add, self.window)
        self._show(dialog, lambda: self._finish_spreadsheet(dialog, source))

    def _finish_spreadsheet(self, dialog: ColumnMappingDialog, source: Path) -> None:
        editing = self.window.editing
        into = dialog.add_to_open.isChecked() and editing is not None
        try:
            existing = editing.document.snapshot() if into and editing is not None else None
            result = spreadsheet.build_document(
                dialog.table, dialog.columns(), source.name, source.stem, existing
            )
            if not into:
                target = self._new_window(
                    plan_document.PlanDocument.from_interchange(result.document)
                )
                target.import_commands._show(report_dialog(result.report, target))
                return
        except PlanError as error:
            self.window.tell(str(error))
            return
        if editing is not None and existing is not None:
            from planstudio.importers.into import count_steps, operations_to_add

            operations = operations_to_add(result.document, existing)
            steps = count_steps(operations)
            if not editing.push_many(operations, f"Import {steps} action steps from {source.name}"):
                return
            result.report.counts = {"action step": steps}
            result.report.verb, result.report.into = "added", editing.document.display_name
        self._show(report_dialog(result.report, self.window))

    # --------------------------------------------------------------- rollover

    def new_plan_for_next_year(self) -> None:
        editing = self.window.editing
        if editing is None:
            self.window.tell("Open the plan to start next year's plan from.")
            return
        dialog = RolloverDialog(editing.document.display_name, self.window)
        self._show(dialog, lambda: self._roll_over(dialog))

    def _roll_over(self, dialog: RolloverDialog) -> None:
        from planstudio.model.rollover import roll_over

        editing = self.window.editing
        if editing is None:
            return
        source = editing.document
        try:
            new, summary = roll_over(
                source, source.path, keep_completed=dialog.keep_completed.isChecked(),
                keep_amounts=dialog.keep_amounts.isChecked(),
            )  # fmt: skip
        except PlanError as error:
            self.window.tell(str(error))
            return
        target = self._new_window(new)
        target.import_commands._show(summary_dialog(summary, target))


def install_import_menu(window: Any, file_menu: QMenu, before: QAction) -> None:
    """File ▸ Import ▸ …, and New Plan for Next Year…, above `before` in the File menu."""
    commands = ImportCommands(window)
    window.import_commands = commands
    menu = QMenu("&Import", file_menu)
    menu.setObjectName("ImportMenu")
    word = menu.addAction("From &Word Plan…", lambda: commands.import_word_plan())
    word.setObjectName("Import From Word Plan")
    sheet = menu.addAction("From &Spreadsheet…", lambda: commands.import_spreadsheet())
    sheet.setObjectName("Import From Spreadsheet")
    file_menu.insertMenu(before, menu)
    next_year = QAction("New Plan for &Next Year…", window)
    next_year.setObjectName("New Plan for Next Year")
    next_year.triggered.connect(lambda: commands.new_plan_for_next_year())
    file_menu.insertAction(before, next_year)
    window.next_year_action = next_year
