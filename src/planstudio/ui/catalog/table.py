"""The catalog tables' cells and views: the cell editors, the table with its keys, its buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QWidget,
)

from planstudio.ui.catalog.models import ModelIndex, RowsModel
from planstudio.ui.catalog.values import MONEY_PATTERN
from planstudio.ui.editing import PlanEditing

# Editor properties: the undo index when an amount editor opened, and that Escape was pressed.
_UNDO_START = "planstudioUndoStart"
_REVERTING = "planstudioReverting"


class CellDelegate(QStyledItemDelegate):
    """Editors for catalog cells: text, dollars stored as they are typed, and choice lists.

    Amounts and choices are stored as they change (see `RowsModel.live`); the
    plan's editing merges those edits into one undo step, and Escape takes it back.
    """

    def __init__(
        self, editing: Callable[[], PlanEditing | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._editing = editing

    def _model(self, index: ModelIndex) -> RowsModel | None:
        model = index.model()
        return model if isinstance(model, RowsModel) else None

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        model = self._model(index)
        editing = self._editing()
        if editing is not None:
            editing.end_typing()
        kind = model.editor_kind(index) if model is not None else "text"
        editor: QWidget
        if kind == "choice" and model is not None:
            combo = QComboBox(parent)
            for label, value in model.choices(index):
                combo.addItem(label, value)
            if model.live(index):
                combo.activated.connect(lambda _row, c=combo: self.commitData.emit(c))
            editor = combo
        else:
            line = QLineEdit(parent)
            line.setFrame(False)
            if kind == "money":
                line.setValidator(QRegularExpressionValidator(MONEY_PATTERN, line))
                line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if model is not None and model.live(index):
                line.textEdited.connect(lambda _text, e=line: self.commitData.emit(e))
            editor = line
        header = index.model().headerData(index.column(), Qt.Orientation.Horizontal)
        editor.setAccessibleName(str(header or "Value"))
        if model is not None:
            model.editing_cell = QPersistentModelIndex(index)
            if editing is not None and model.live(index):
                editor.setProperty(_UNDO_START, editing.undo_stack.index())
        return editor

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            found = editor.findData(value)
            editor.setCurrentIndex(max(found, 0))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        if editor.property(_REVERTING):
            return
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> None:
        editor.setGeometry(option.rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and watched.property(_UNDO_START) is not None
        ):
            watched.setProperty(_REVERTING, True)
        return super().eventFilter(watched, event)

    def destroyEditor(self, editor: QWidget, index: ModelIndex) -> None:
        start = editor.property(_UNDO_START)
        reverting = bool(editor.property(_REVERTING))
        model = self._model(index)
        if model is not None:
            model.editing_cell = None
        editing = self._editing()
        if editing is not None:
            if reverting and start is not None:
                # Escape after values were stored as typed: take those edits back.
                while editing.undo_stack.index() > start:
                    editing.undo_stack.undo()
            editing.end_typing()
        super().destroyEditor(editor, index)
        if model is not None and index.isValid():
            model.refresh_cells([index.row()], [index.column()])


class KeyTable(QTableView):
    """A table that keeps Insert, Delete and F2 for itself while it has the focus.

    The main window binds Delete and F2 to the tree; taking the shortcut
    override here means the key acts on what the user is looking at.
    """

    insert_pressed = Signal()
    delete_pressed = Signal()

    _OWN_KEYS = (Qt.Key.Key_Insert, Qt.Key.Key_Delete, Qt.Key.Key_F2)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fill_column: int | None = None
        self._fill_minimum = 0
        self._fit_through: int | None = None
        self._fitting = False
        self.horizontalHeader().sectionResized.connect(self._section_resized)

    def fill_with(self, column: int, minimum: int, fit_through: int | None = None) -> None:
        """Give one column the width the others leave, but never less than `minimum`.

        Unlike a stretched section, a narrow dock then scrolls sideways rather than
        squeezing the name to nothing. With `fit_through`, only the columns up to that
        one are made to fit: those after it are a scroll away.
        """
        self._fill_column = column
        self._fill_minimum = minimum
        self._fit_through = fit_through
        self._fit()

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        if section != self._fill_column:
            self._fit()

    def _fit(self) -> None:
        if self._fill_column is None or self._fitting:
            return
        header = self.horizontalHeader()
        last = header.count() - 1 if self._fit_through is None else self._fit_through
        others = sum(
            header.sectionSize(i)
            for i in range(last + 1)
            if i != self._fill_column and not header.isSectionHidden(i)
        )
        spare = self.viewport().width() - others
        self._fitting = True
        try:
            header.resizeSection(self._fill_column, max(self._fill_minimum, spare))
        finally:
            self._fitting = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in self._OWN_KEYS
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.state() != QAbstractItemView.State.EditingState
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() == Qt.KeyboardModifier.NoModifier:
            if event.key() == Qt.Key.Key_Insert:
                self.insert_pressed.emit()
                return
            if event.key() == Qt.Key.Key_Delete:
                self.delete_pressed.emit()
                return
        super().keyPressEvent(event)


def catalog_table(name: str, description: str) -> KeyTable:
    view = KeyTable()
    view.setAccessibleName(name)
    view.setAccessibleDescription(description)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.SelectedClicked
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)  # not a column a step
    view.setTabKeyNavigation(False)  # Tab leaves the table, as in the rest of the form
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    return view


def tool_button(text: str, accessible: str, tooltip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setAccessibleName(accessible)
    button.setToolTip(tooltip)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setAutoRaise(True)
    return button
