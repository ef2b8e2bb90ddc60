"""The Compare dialog: every difference between two states of a plan, each one a way to its item.

Also holds the difference table and the word-diff rendering the Merge dialog
shows its taken changes with.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planstudio.model import PlanError
from planstudio.ui.deferred import deferred

if TYPE_CHECKING:
    from planstudio.model import diff
else:
    diff = deferred("planstudio.model.diff")

COLUMNS = ("Place", "Change", "Item", "Before", "After")
_SHORT = 60  # past this, a value is cut in the table; the detail pane shows it whole


def change_text(difference: diff.Difference) -> str:
    """What happened, in the Change column: "changed timeline", "moved from 1A.1.d", "added"."""
    if difference.action == "moved":
        return f"moved from {difference.moved_from}"
    if difference.field is not None:
        return f"{difference.action} {difference.field}"
    return difference.action


def short(value: Any) -> str:
    """A value as a table cell shows it: on one line, cut past a few words."""
    return clip(diff.show(value))


def clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHORT else text[: _SHORT - 1] + "…"


def value_html(old: Any, new: Any) -> str:
    """Before and after as rich text: text as a word diff (struck out, underlined)."""
    if isinstance(old, str) and isinstance(new, str):
        parts = []
        for tag, words in diff.word_diff(old, new):
            text = html.escape(words)
            if tag == "-":
                parts.append(f'<s style="color:#a40000; background:#fde7e7">{text}</s>')
            elif tag == "+":
                parts.append(f'<u style="color:#05620a; background:#e3f6e4">{text}</u>')
            else:
                parts.append(text)
        return " ".join(parts)
    before = html.escape(diff.show(old)) if old is not None else ""
    after = html.escape(diff.show(new)) if new is not None else ""
    if before and after:
        return (f'<s style="color:#a40000">{before}</s> → '
                f'<u style="color:#05620a">{after}</u>')  # fmt: skip
    return before or after


def difference_html(difference: diff.Difference) -> str:
    place, subject = html.escape(difference.place), html.escape(difference.subject)
    head = f"<p><b>{place}</b> &nbsp; {subject}<br>{html.escape(change_text(difference))}</p>"
    if difference.action == "changed":
        return head + f"<p>{value_html(difference.old, difference.new)}</p>"
    value = difference.new if difference.action == "added" else difference.old
    if difference.field is not None and value is not None:
        return head + f"<p>{html.escape(diff.show(value))}</p>"
    return head


class DifferenceTable(QTableWidget):
    """Differences one a row: Place, Change, Item, Before, After."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.differences: list[diff.Difference] = []

    def show_differences(self, differences: Sequence[diff.Difference]) -> None:
        self.differences = list(differences)
        self.setRowCount(len(self.differences))
        for row, difference in enumerate(self.differences):
            before, after = short(difference.old), short(difference.new)
            if difference.action == "moved":
                before, after = str(difference.moved_from), difference.place
            elif difference.action != "changed":
                # An added or removed link or point has one side; a whole item has none.
                value = difference.new if difference.action == "added" else difference.old
                shown = short(value) if difference.field is not None else ""
                before, after = ("", shown) if difference.action == "added" else (shown, "")
            cells = (difference.place, change_text(difference), difference.subject,
                     before, after)  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                item.setToolTip(str(text))
                self.setItem(row, column, item)
        for column, width in enumerate((90, 170, 260, 200)):
            self.setColumnWidth(column, width)

    def current_difference(self) -> diff.Difference | None:
        row = self.currentRow()
        return self.differences[row] if 0 <= row < len(self.differences) else None


class CompareDialog(QDialog):
    """Differences from `before` (a file, a version) to `after` (usually the plan as it is now)."""

    navigate = Signal(str, str)  # (kind, id) of the item a difference is about

    def __init__(
        self, differences: Sequence[diff.Difference], before: str, after: str, title: str,
        organization: str, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.differences = list(differences)
        self.before, self.after = before, after
        self.plan_title, self.organization = title, organization
        self.setWindowTitle(f"Compare: {before} → {after}")
        layout = QVBoxLayout(self)
        count = len(self.differences)
        noun = "difference" if count == 1 else "differences"
        summary = f"{count:,} {noun} from {before} to {after}."
        if count:
            summary += " Double-click a row to go to its item."
        else:
            summary = f"No differences: {before} and {after} hold the same content."
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = DifferenceTable()
        self.table.setAccessibleName("Differences")
        self.table.show_differences(self.differences)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Difference detail")
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox()
        self.go_button = QPushButton("Go to Item")
        self.export_button = QPushButton("Export Changes…")
        buttons.addButton(self.go_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.currentCellChanged.connect(lambda *_: self._show_detail())
        self.table.cellDoubleClicked.connect(lambda *_: self.go_to_current())
        self.go_button.clicked.connect(self.go_to_current)
        self.export_button.clicked.connect(self.export_changes)
        self.go_button.setEnabled(bool(self.differences))
        if self.differences:
            self.table.selectRow(0)
        self.resize(1000, 600)

    def _show_detail(self) -> None:
        difference = self.table.current_difference()
        self.detail.setHtml(difference_html(difference) if difference else "")

    def go_to_current(self) -> None:
        difference = self.table.current_difference()
        if difference is not None and difference.goto_id:
            self.navigate.emit(difference.goto_kind, difference.goto_id)

    # ------------------------------------------------------------------ the Changes document

    def ask_changes_path(self) -> str:
        suggested = Path.home() / f"{self.plan_title or 'Plan'} - Changes.docx"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export Changes", str(suggested), "Word document (*.docx);;PDF (*.pdf)"
        )
        return path

    def tell(self, message: str) -> None:
        QMessageBox.warning(self, "Export Changes", message)

    def export_changes(self) -> Path | None:
        """Write the Changes document (.docx or .pdf, by the name chosen); its path when written."""
        from planstudio.export.changes import build_changes_document, export_changes

        chosen = self.ask_changes_path()
        if not chosen:
            return None
        out = Path(chosen).expanduser()
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("docx", "pdf"):
            out, fmt = out.with_name(out.name + ".docx"), "docx"
        document = build_changes_document(self.differences, self.before, self.after,
                                          self.plan_title, self.organization,
                                          dt.date.today())  # fmt: skip
        try:
            export_changes(document, fmt, out)
        except (PlanError, OSError) as error:
            self.tell(f"The changes could not be written to {out.name}: {error}")
            return None
        self.summary.setText(f"{self.summary.text()}  Exported to {out}.")
        return out


def run_compare(parent: QWidget, differences: Sequence[diff.Difference], before: str, after: str,
                title: str, organization: str, navigate: Callable[[str, str], None]
                ) -> CompareDialog:  # fmt: skip
    """Open a Compare dialog beside the window (not modal: the user goes to items and back)."""
    dialog = CompareDialog(differences, before, after, title, organization, parent)
    dialog.navigate.connect(navigate)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
