"""Editable lists of texts: the list view with its keys, and the list with its buttons."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from planstudio.ui.widgets.keys import ALT, NO_MODIFIER, combination


class RoomyDelegate(QStyledItemDelegate):
    """List rows with a little air: a list of root causes is read like a list of sentences."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 8)


class EditableList(QListWidget):
    """A list whose rows are edited in place; the keys of a list editor act on it."""

    add_requested = Signal()
    remove_requested = Signal()
    move_requested = Signal(int)

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._placeholder = placeholder
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setItemDelegate(RoomyDelegate(self))
        model = self.model()
        model.rowsInserted.connect(self.fit)
        model.rowsRemoved.connect(self.fit)
        model.dataChanged.connect(self.fit)
        model.modelReset.connect(self.fit)
        self.fit()

    def fit(self, *_: object) -> None:
        row_height = max(self.fontMetrics().height() + 8, 22)
        rows = sum(max(self.sizeHintForRow(row), row_height) for row in range(self.count()))
        height = max(rows, 2 * row_height) + 2 * self.frameWidth() + 2
        height = min(height, 16 * row_height)
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = combination(event)
        if key == Qt.Key.Key_Insert and modifiers == NO_MODIFIER:
            self.add_requested.emit()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and modifiers == NO_MODIFIER:
            self.remove_requested.emit()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and modifiers == ALT:
            self.move_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count() == 0 and self._placeholder:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.viewport().rect().adjusted(6, 0, -6, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self._placeholder,
            )


class ListEditor(QWidget):
    """A list of texts: add, remove, reorder, edit in place.  `edited` carries the whole list."""

    edited = Signal(list)

    def __init__(self, noun: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        article = "an" if noun[:1].lower() in "aeiou" else "a"
        self.list = EditableList(f"None yet: press Add (or Insert) to add {article} {noun}.")
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.up_button = QPushButton("Move Up")
        self.down_button = QPushButton("Move Down")
        for button, name in (
            (self.add_button, f"Add {noun}"),
            (self.remove_button, f"Remove {noun}"),
            (self.up_button, f"Move {noun} up"),
            (self.down_button, f"Move {noun} down"),
        ):
            button.setAccessibleName(name)
            button.setToolTip(name[0].upper() + name[1:])
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.list.add_requested.connect(self.add)
        self.list.remove_requested.connect(self.remove)
        self.list.move_requested.connect(self.move_current)
        self.list.itemDelegate().closeEditor.connect(self._editor_closed)
        self.list.currentRowChanged.connect(self.update_buttons)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._shown: list[str] = []
        self.update_buttons()

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.list.setAccessibleName(name)

    def focus_widgets(self) -> list[QWidget]:
        return [self.list, self.add_button, self.remove_button, self.up_button, self.down_button]

    def values(self) -> list[str]:
        texts = (self.list.item(row).text() for row in range(self.list.count()))
        return [text for text in texts if text.strip()]

    def set_values(self, values: Sequence[str]) -> None:
        self._shown = list(values)
        if self._texts() == self._shown:
            return
        row = self.list.currentRow()
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for text in self._shown:
                self.list.addItem(self._new_item(text))
            if self.list.count():
                self.list.setCurrentRow(max(0, min(row, self.list.count() - 1)))
        finally:
            self.list.blockSignals(False)
        self.list.fit()
        self.update_buttons()

    def _texts(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    @staticmethod
    def _new_item(text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def update_buttons(self, *_: object) -> None:
        row, count = self.list.currentRow(), self.list.count()
        self.remove_button.setEnabled(0 <= row < count)
        self.up_button.setEnabled(0 < row < count)
        self.down_button.setEnabled(0 <= row < count - 1)

    def _emit(self) -> None:
        values = self.values()
        if values != self._shown:
            self._shown = values
            self.edited.emit(values)

    def add(self) -> None:
        # The new row reaches the model once it has text; left empty, it goes away again.
        item = self._new_item("")
        self.list.addItem(item)
        self.list.setCurrentItem(item)
        self.list.setFocus()
        self.list.editItem(item)

    def remove(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < self.list.count():
            return
        self.list.takeItem(row)
        self.update_buttons()
        self._emit()

    def move_current(self, step: int) -> None:
        """Move the current text `step` places up (negative) or down; not QWidget.move."""
        row = self.list.currentRow()
        target = row + step
        if not (0 <= row < self.list.count() and 0 <= target < self.list.count()):
            return
        self.list.blockSignals(True)
        try:
            item = self.list.takeItem(row)
            self.list.insertItem(target, item)
            self.list.setCurrentRow(target)
        finally:
            self.list.blockSignals(False)
        self.update_buttons()
        self._emit()

    def _editor_closed(self, *_: object) -> None:
        self.list.blockSignals(True)
        try:
            for row in reversed(range(self.list.count())):
                if not self.list.item(row).text().strip():
                    self.list.takeItem(row)
        finally:
            self.list.blockSignals(False)
        self.update_buttons()
        self._emit()
