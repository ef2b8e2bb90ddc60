"""The table of an action step's reviews: date, status, percent complete and note, by keyboard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planstudio.model import vocabulary
from planstudio.ui.widgets.fields import ComboBox
from planstudio.ui.widgets.keys import NO_MODIFIER, combination
from planstudio.ui.widgets.values import format_number, parse_date, parse_number

_ROLE_CODE = Qt.ItemDataRole.UserRole + 1


class StatusDelegate(QStyledItemDelegate):
    """The status column of the reviews table is chosen from the step statuses."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = ComboBox(list(vocabulary.STEP_STATUSES.items()), parent)
        editor.setAccessibleName("Review status")
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, ComboBox)
        editor.set_code(index.data(_ROLE_CODE))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, ComboBox)
        code = editor.code()
        model.setData(index, vocabulary.STEP_STATUSES.get(code, code or ""))
        model.setData(index, code, _ROLE_CODE)


class ReviewTable(QWidget):
    """An action step's reviews: date, status, percent complete and note, edited in the cells."""

    edited = Signal(str, str, object)  # review id, field, value
    add_requested = Signal()
    remove_requested = Signal(str)

    FIELDS = ("date", "status", "percent_complete", "note")
    HEADERS = ("Date", "Status", "% Complete", "Note")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(self.FIELDS))
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        # Tab leaves the table, as it leaves every other field; arrows move between cells.
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.table.setItemDelegateForColumn(1, StatusDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        self.table.installEventFilter(self)
        self.add_button = QPushButton("Add Review")
        self.remove_button = QPushButton("Remove Review")
        for button in (self.add_button, self.remove_button):
            button.setAccessibleName(button.text())
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button.clicked.connect(self._remove_current)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.ids: list[str] = []
        self._fit()

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.table.setAccessibleName(name)

    def focus_widgets(self) -> list[QWidget]:
        return [self.table, self.add_button, self.remove_button]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, modifiers = combination(event)
            if (
                modifiers == NO_MODIFIER
                and self.table.state() != QAbstractItemView.State.EditingState
            ):
                if key == Qt.Key.Key_Delete:
                    self._remove_current()
                    return True
                if key == Qt.Key.Key_Insert:
                    self.add_requested.emit()
                    return True
        return False

    def set_reviews(self, rows: Sequence[tuple[str, str, str, float | None, str | None]]) -> None:
        """Rows are (id, date, status, percent, note); cells already right are left alone."""
        ids = [row[0] for row in rows]
        self.table.blockSignals(True)
        try:
            if ids != self.ids:
                self.table.setRowCount(len(rows))
                for row in range(len(rows)):
                    for column in range(len(self.FIELDS)):
                        if self.table.item(row, column) is None:
                            self.table.setItem(row, column, QTableWidgetItem())
                self.ids = ids
            for row, (_id, day, status, percent, note) in enumerate(rows):
                self._set_cell(row, 0, day)
                self._set_cell(row, 1, vocabulary.STEP_STATUSES.get(status, status), status)
                self._set_cell(row, 2, format_number(percent))
                self._set_cell(row, 3, note or "")
        finally:
            self.table.blockSignals(False)
        self.remove_button.setEnabled(bool(self.ids))
        self._fit()

    def _set_cell(self, row: int, column: int, text: str, code: str | None = None) -> None:
        item = self.table.item(row, column)
        assert item is not None
        if item.text() != text:
            item.setText(text)
        if code is not None and item.data(_ROLE_CODE) != code:
            item.setData(_ROLE_CODE, code)

    def _fit(self) -> None:
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(row) for row in range(self.table.rowCount()))
        minimum = 2 * max(self.table.verticalHeader().defaultSectionSize(), 24)
        height = self.table.horizontalHeader().sizeHint().height() + max(rows, minimum)
        self.table.setFixedHeight(height + 2 * self.table.frameWidth() + 2)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        row, column = item.row(), item.column()
        if not 0 <= row < len(self.ids):
            return
        field = self.FIELDS[column]
        value: Any
        if field == "date":
            value = parse_date(item.text())
        elif field == "status":
            value = item.data(_ROLE_CODE)
        elif field == "percent_complete":
            value = parse_number(item.text())
        else:
            value = item.text() or None
        self.edited.emit(self.ids[row], field, value)

    def _remove_current(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.ids):
            self.remove_requested.emit(self.ids[row])
