"""The editor pane: one form per kind of item, built once and filled again for each selection.

Every change the user makes becomes a model edit operation pushed on the
session, so that the undo stack and the recovery copy see each keystroke; the
forms never write the ORM.  Filling a form blocks its widgets' signals, so that
showing an item never edits it, and a refresh after an edit leaves alone a
widget that already shows the model's value, so that the field being typed in
keeps its text and its cursor.

Values are checked by the model (`EditError`); where a value can only be
right once it is complete (a school year, a date, a state code), a keystroke
that leaves it incomplete is held back and the value is offered to the model
when the field is left, so that the model refuses it there and the form shows
the model's value again.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QFocusEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QValidator,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from planstudio.model import AddItem, Change, DeleteItem, EditOp, UpdateItem, vocabulary
from planstudio.model.entities import (
    ActionStep,
    FundingSource,
    GoalArea,
    Item,
    MonitoringMethod,
    Objective,
    Plan,
    Role,
    Strategy,
)
from planstudio.model.kinds import CATALOG_KINDS, KINDS, LINK_KINDS, TREE_KINDS, label_for
from planstudio.model.validation import field_problem
from planstudio.ui.measure_editor import MeasureEditor
from planstudio.ui.session import DocumentSession

NOT_SET = "Not set"
_EMPTY_PAGE_TEXT = "Select an item of the plan to edit it."

# ---------------------------------------------------------------------------- values


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _same(a: Any, b: Any) -> bool:
    """Equal as the model sees values: empty text and an empty list are the same as nothing."""
    if _is_empty(a) or _is_empty(b):
        return _is_empty(a) and _is_empty(b)
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return bool(a == b)


def _text_or_none(text: str) -> str | None:
    return text or None


def _show_text(value: Any) -> str:
    return "" if value is None else str(value)


def _format_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_number(text: str) -> Any:
    """A number, or None when empty; anything else goes to the model as typed, to be refused."""
    cleaned = text.strip().removesuffix("%").strip().replace(",", "")
    if not cleaned:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _parse_date(text: str) -> str | None:
    """ISO dates as they are; 8/5/2024 (how a US district writes it) becomes 2024-08-05."""
    cleaned = text.strip()
    if not cleaned:
        return None
    us = _US_DATE.match(cleaned)
    if us is not None:
        month, day, year = us.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return cleaned


_LONG_YEAR = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$")


def _parse_school_year(text: str) -> str | None:
    """2024-25 as it is; 2024-2025 and 2024/25 are read as 2024-25.  A bare 2024 is refused."""
    cleaned = text.strip()
    if not cleaned:
        return None
    written = _LONG_YEAR.match(cleaned)
    if written is not None:
        first, second = written.groups()
        if int(second[-2:]) == (int(first) + 1) % 100:
            return f"{first}-{second[-2:]}"
    return cleaned


def _parse_state(text: str) -> str | None:
    return text.strip().upper() or None


def _money(amount: float | None) -> str:
    if amount is None:
        return ""
    return f"${amount:,.0f}" if float(amount).is_integer() else f"${amount:,.2f}"


def _elide(text: str | None, length: int = 60) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def _options(words: Mapping[str, str]) -> list[tuple[Any, str]]:
    return [(None, NOT_SET), *words.items()]


# ---------------------------------------------------------------------------- keyboard


def _key_matches(event: QKeyEvent, *keys: QKeySequence.StandardKey) -> bool:
    return any(event.matches(key) for key in keys)


def _combination(event: QKeyEvent) -> tuple[int, Qt.KeyboardModifier]:
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key(), modifiers


# Keys that mean something inside the pane (a list's Delete, Alt+Up) but that the window binds
# to tree commands: while focus is in the pane they stay in the pane, so that Delete on a
# checkbox never deletes the item being edited and Ctrl+X never cuts a branch from the tree.
_NO_MOD = Qt.KeyboardModifier.NoModifier
_ALT = Qt.KeyboardModifier.AltModifier
_PANE_KEYS = {
    (Qt.Key.Key_Delete, _NO_MOD),
    (Qt.Key.Key_Backspace, _NO_MOD),
    (Qt.Key.Key_Insert, _NO_MOD),
    (Qt.Key.Key_F2, _NO_MOD),
    (Qt.Key.Key_Up, _ALT),
    (Qt.Key.Key_Down, _ALT),
}
_PANE_STANDARD_KEYS = (
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Paste,
    QKeySequence.StandardKey.Delete,
)


class _UndoRouter(QObject):
    """Ctrl+Z in a text field undoes the plan, not the widget's private history.

    The text widgets keep no undo history of their own (every keystroke is
    already on the session's stack); their claim on the undo keys is refused,
    so the window's Undo action gets them, or, without one, the pane undoes.
    """

    def __init__(self, pane: EditorPane) -> None:
        super().__init__(pane)
        self._pane = pane

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        undo = _key_matches(event, QKeySequence.StandardKey.Undo)
        redo = _key_matches(event, QKeySequence.StandardKey.Redo)
        if not (undo or redo):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.ignore()
            return True
        self._pane.undo_or_redo(redo=redo)
        return True


class _WheelGuard(QObject):
    """A combo box under the mouse while the pane scrolls keeps its value."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        wheel = event.type() == QEvent.Type.Wheel
        if wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()
            return True
        return False


# ---------------------------------------------------------------------------- widgets


class _GrowingTextEdit(QPlainTextEdit):
    """Plain text that grows with what it holds, from a few lines up to a screenful."""

    focus_lost = Signal()

    def __init__(
        self, min_lines: int = 3, max_lines: int = 14, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._min_lines = min_lines
        self._max_lines = max_lines
        # Tab moves to the next field: a form must work by keyboard alone.
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def _fit(self, *_: object) -> None:
        lines = math.ceil(self.document().documentLayout().documentSize().height())
        shown = max(self._min_lines, min(self._max_lines, lines))
        margins = self.contentsMargins()
        height = (
            shown * self.fontMetrics().lineSpacing()
            + 2 * self.document().documentMargin()
            + margins.top()
            + margins.bottom()
            + 2
        )
        if int(height) != self.height():
            self.setFixedHeight(int(height))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class _WrapGrid(QLayout):
    """Cells of one width in as many columns as fit (up to a maximum), wrapping to more rows.

    A check box grid or a row of school years must not make the form wider than
    a narrow pane: the layout asks only for its widest cell and fills rows by width.
    """

    def __init__(self, max_columns: int, h_spacing: int = 16, v_spacing: int = 2) -> None:
        super().__init__()
        self._items: list[QLayoutItem] = []
        self._max_columns = max(1, max_columns)
        self._h_spacing = h_spacing
        self._v_spacing = v_spacing
        self._cell_size: QSize | None = None
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self._cell_size = None

    def invalidate(self) -> None:
        # Qt asks for the size many times per layout pass; work it out once per change.
        self._cell_size = None
        super().invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        self._cell_size = None
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def _cell(self) -> QSize:
        if self._cell_size is None:
            hints = [item.sizeHint() for item in self._items]
            self._cell_size = QSize(
                max((hint.width() for hint in hints), default=0),
                max((hint.height() for hint in hints), default=0),
            )
        return self._cell_size

    def _columns(self, width: int) -> int:
        cell = self._cell().width()
        if cell <= 0:
            return 1
        fitting = (width + self._h_spacing) // (cell + self._h_spacing)
        return max(1, min(self._max_columns, fitting, len(self._items) or 1))

    def minimumSize(self) -> QSize:
        cell = self._cell()
        margins = self.contentsMargins()
        return QSize(
            cell.width() + margins.left() + margins.right(),
            cell.height() + margins.top() + margins.bottom(),
        )

    def sizeHint(self) -> QSize:
        cell = self._cell()
        columns = max(1, min(self._max_columns, len(self._items)))
        width = columns * cell.width() + (columns - 1) * self._h_spacing
        return QSize(width, self.heightForWidth(width))

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        if not self._items:
            return 0
        cell = self._cell()
        columns = self._columns(rect.width())
        for index, item in enumerate(self._items):
            row, column = divmod(index, columns)
            if move:
                x = rect.x() + column * (cell.width() + self._h_spacing)
                y = rect.y() + row * (cell.height() + self._v_spacing)
                item.setGeometry(QRect(QPoint(x, y), cell))
        rows = (len(self._items) + columns - 1) // columns
        return rows * cell.height() + (rows - 1) * self._v_spacing


class _ComboBox(QComboBox):
    def __init__(self, options: Sequence[tuple[Any, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.codes: list[Any] = []
        for code, text in options:
            self.codes.append(code)
            self.addItem(text)
        # Wheel focus would let a scroll through the pane change values on the way.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def code(self) -> Any:
        index = self.currentIndex()
        return self.codes[index] if 0 <= index < len(self.codes) else None

    def set_code(self, code: Any) -> None:
        # Compared with care: True == 1 and False == 0 in Python, and None is "Not set".
        for index, candidate in enumerate(self.codes):
            if candidate is code or (
                candidate is not None
                and code is not None
                and isinstance(candidate, bool) == isinstance(code, bool)
                and candidate == code
            ):
                self.setCurrentIndex(index)
                return
        self.setCurrentIndex(0)


class _StateValidator(QValidator):
    """Two capital letters: typing "ga" gives "GA"; anything but letters is not taken."""

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        upper = text.upper()
        if len(upper) > 2 or not all("A" <= char <= "Z" for char in upper):
            return QValidator.State.Invalid, text, pos
        # Even one letter counts as finished, so that leaving the field offers it to the
        # model, which refuses it, rather than leaving a half-typed code on screen.
        return QValidator.State.Acceptable, upper, pos


class _DateField(QWidget):
    """A date typed as YYYY-MM-DD (or 8/5/2024), or picked from a calendar; empty means none."""

    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit()
        self.line.setPlaceholderText("YYYY-MM-DD")
        self.line.setMaximumWidth(140)
        self.button = QToolButton()
        self.button.setText("Calendar…")
        self.button.setToolTip("Pick the date from a calendar")
        self.button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._calendar = QCalendarWidget()
        self._calendar.setGridVisible(True)
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self._calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._before_popup)
        self.button.setMenu(menu)
        self._calendar.activated.connect(self._chosen)
        self._calendar.clicked.connect(self._chosen)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        layout.addWidget(self.button)
        layout.addStretch(1)

    def _before_popup(self) -> None:
        value = _parse_date(self.line.text())
        try:
            shown = date.fromisoformat(value) if value else date.today()
        except ValueError:
            shown = date.today()
        self._calendar.setSelectedDate(shown)
        self._calendar.setFocus()

    def _chosen(self, picked: Any) -> None:
        menu = self.button.menu()
        if menu is not None:
            menu.close()
        self.picked.emit(picked.toString(Qt.DateFormat.ISODate))
        self.line.setFocus()

    def focus_widgets(self) -> list[QWidget]:
        return [self.line, self.button]


class _RoomyDelegate(QStyledItemDelegate):
    """List rows with a little air: a list of root causes is read like a list of sentences."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 8)


class _EditableList(QListWidget):
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
        self.setItemDelegate(_RoomyDelegate(self))
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
        key, modifiers = _combination(event)
        if key == Qt.Key.Key_Insert and modifiers == _NO_MOD:
            self.add_requested.emit()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and modifiers == _NO_MOD:
            self.remove_requested.emit()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and modifiers == _ALT:
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


class _ListEditor(QWidget):
    """A list of texts: add, remove, reorder, edit in place.  `edited` carries the whole list."""

    edited = Signal(list)

    def __init__(self, noun: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        article = "an" if noun[:1].lower() in "aeiou" else "a"
        self.list = _EditableList(f"None yet: press Add (or Insert) to add {article} {noun}.")
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
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.list.add_requested.connect(self.add)
        self.list.remove_requested.connect(self.remove)
        self.list.move_requested.connect(self.move)
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

    def move(self, step: int) -> None:
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


class _CheckGroup(QWidget):
    """Several choices as check boxes in a grid; `edited` carries the checked codes.

    Enumerations keep the vocabulary's order; free lists (subgroups) keep the
    order the plan has them in and add a newly checked entry at the end, and
    take entries the user types, which appear as further check boxes.
    """

    edited = Signal(list)

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        columns: int,
        *,
        keep_order: bool = False,
        other_noun: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._keep_order = keep_order
        self._codes: list[str] = []
        self._boxes: dict[str, QCheckBox] = {}
        self._standard: set[str] = {code for code, _ in options}
        self._shown: list[str] = []
        self._grid = _WrapGrid(columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        for code, text in options:
            self._add_box(code, text)
        self.other: QLineEdit | None = None
        self.other_button: QPushButton | None = None
        if other_noun is not None:
            self.other = QLineEdit()
            self.other.setPlaceholderText(f"Another {other_noun}")
            self.other.setAccessibleName(f"Another {other_noun}")
            self.other.setMaxLength(1000)
            self.other_button = QPushButton(f"Add {other_noun}")
            self.other_button.setAccessibleName(f"Add {other_noun}")
            self.other_button.setAutoDefault(False)
            self.other.returnPressed.connect(self._add_other)
            self.other_button.clicked.connect(self._add_other)
            row = QHBoxLayout()
            row.setContentsMargins(0, 4, 0, 0)
            row.addWidget(self.other, 1)
            row.addWidget(self.other_button)
            layout.addLayout(row)

    def box(self, code: str) -> QCheckBox:
        return self._boxes[code]

    def focus_widgets(self) -> list[QWidget]:
        widgets: list[QWidget] = [self._boxes[code] for code in self._codes]
        if self.other is not None and self.other_button is not None:
            widgets += [self.other, self.other_button]
        return widgets

    def _add_box(self, code: str, text: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setAccessibleName(text)
        box.toggled.connect(self._toggled)
        previous = self._boxes[self._codes[-1]] if self._codes else None
        self._codes.append(code)
        self._boxes[code] = box
        self._grid.addWidget(box)
        if previous is not None:
            # A box made later would otherwise be the last stop of the window's tab chain.
            QWidget.setTabOrder(previous, box)
        return box

    def values(self) -> list[str]:
        checked = [code for code in self._codes if self._boxes[code].isChecked()]
        if not self._keep_order:
            return checked
        kept = [code for code in self._shown if code in checked]
        return kept + [code for code in checked if code not in kept]

    def set_values(self, values: Sequence[str], *, fresh: bool = False) -> None:
        self._shown = list(values)
        if fresh and self.other is not None:
            self._drop_custom(keep=set(values))
            self.other.clear()
        for code in values:
            if code not in self._boxes and self.other is not None:
                self._add_box(code, code)
        wanted = set(values)
        for code, box in self._boxes.items():
            if box.isChecked() != (code in wanted):
                box.blockSignals(True)
                box.setChecked(code in wanted)
                box.blockSignals(False)

    def _drop_custom(self, keep: set[str]) -> None:
        custom = [code for code in self._codes if code not in self._standard]
        if all(code in keep for code in custom):
            return
        for code in custom:
            box = self._boxes.pop(code)
            self._grid.removeWidget(box)
            box.hide()
            box.deleteLater()
        self._codes = [code for code in self._codes if code in self._standard]
        for code in custom:
            if code in keep:
                self._add_box(code, code)

    def _toggled(self, _checked: bool) -> None:
        values = self.values()
        self._shown = values
        self.edited.emit(values)

    def _add_other(self) -> None:
        assert self.other is not None
        text = self.other.text().strip()
        if not text:
            return
        existing = next((code for code in self._codes if code.casefold() == text.casefold()), None)
        self.other.clear()
        if existing is not None:
            self._boxes[existing].setChecked(True)
            return
        box = self._add_box(text, text)
        if self.other_button is not None:
            QWidget.setTabOrder(box, self.other)
        box.setChecked(True)


class _LevelNames(QWidget):
    """The four names a plan gives its levels; all four empty means the default names."""

    edited = Signal(object)
    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.lines: list[QLineEdit] = []
        for level, default in enumerate(
            ("Goal Area", "Objective", "Strategy", "Action Step"), start=1
        ):
            label = QLabel(f"Level {level}")
            line = QLineEdit()
            line.setPlaceholderText(default)
            line.setMaxLength(1000)
            line.setAccessibleName(f"Name of level {level}")
            label.setBuddy(line)
            line.textEdited.connect(self._edited)
            line.editingFinished.connect(self.finished)
            row, column = divmod(level - 1, 2)
            grid.addWidget(label, row, 2 * column)
            grid.addWidget(line, row, 2 * column + 1)
            self.lines.append(line)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

    def focus_widgets(self) -> list[QWidget]:
        return list(self.lines)

    def values(self) -> list[str] | None:
        texts = [line.text() for line in self.lines]
        return texts if any(texts) else None

    def set_values(self, values: Sequence[str] | None) -> None:
        texts = list(values or []) + [""] * 4
        for line, text in zip(self.lines, texts, strict=False):
            if line.text() != text:
                position = line.cursorPosition()
                line.blockSignals(True)
                line.setText(text)
                line.setCursorPosition(min(position, len(text)))
                line.blockSignals(False)

    def _edited(self, _text: str) -> None:
        self.edited.emit(self.values())


class _PhaseRow(QWidget):
    """The implementation phase of a strategy in each school year of the plan."""

    edited = Signal(str, object)  # year, phase code or None

    def __init__(self, wheel_guard: QObject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wheel_guard = wheel_guard
        self._grid = _WrapGrid(8, h_spacing=10, v_spacing=6)
        self._hint = QLabel("Set the plan's first and last school year to plan phases by year.")
        self._hint.setWordWrap(True)
        self._hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        layout.addWidget(self._hint)
        self.combos: dict[str, _ComboBox] = {}
        self._years: tuple[str, ...] | None = None

    def focus_widgets(self) -> list[QWidget]:
        return list(self.combos.values())

    def set_phases(self, years: Sequence[str], phases: Mapping[str, str]) -> bool:
        """Show one year per column; True when the columns were made anew."""
        rebuilt = tuple(years) != self._years
        if rebuilt:
            self._rebuild(years)
        for year, combo in self.combos.items():
            combo.blockSignals(True)
            combo.set_code(phases.get(year))
            combo.blockSignals(False)
        return rebuilt

    def _rebuild(self, years: Sequence[str]) -> None:
        while self._grid.count():
            taken = self._grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()  # gone now, not at the next turn of the event loop
                widget.deleteLater()
        self.combos = {}
        for year in years:
            cell = QWidget()
            label = QLabel(year)
            combo = _ComboBox(_options(vocabulary.PHASES))
            combo.setAccessibleName(f"Phase in {year}")
            combo.installEventFilter(self._wheel_guard)
            combo.currentIndexChanged.connect(lambda _i, y=year: self._changed(y))
            label.setBuddy(combo)
            stack = QVBoxLayout(cell)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.setSpacing(2)
            stack.addWidget(label)
            stack.addWidget(combo)
            self._grid.addWidget(cell)
            self.combos[year] = combo
        self._hint.setVisible(not years)
        self._years = tuple(years)

    def _changed(self, year: str) -> None:
        self.edited.emit(year, self.combos[year].code())


class _LinkLabel(QLabel):
    """Read-only lines of text, each entry a link that jumps to what it names."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = empty_text
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.entries: list[tuple[str, str, str, str]] = []
        self._html = ""

    def set_entries(
        self, entries: Iterable[tuple[str, str, str, str]], separator: str = "<br>"
    ) -> None:
        """Entries are (kind, id, linked text, text after the link), one a line by default."""
        self.entries = list(entries)
        if self.entries:
            lines = [
                f'<a href="{html.escape(kind)}:{html.escape(item_id)}">{html.escape(text)}</a>'
                f"{html.escape(after)}"
                for kind, item_id, text, after in self.entries
            ]
            markup = separator.join(lines)
            flags = (
                Qt.TextInteractionFlag.LinksAccessibleByMouse
                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            )
        else:
            markup = f"<i>{html.escape(self._empty_text)}</i>"
            flags = Qt.TextInteractionFlag.NoTextInteraction
        if markup != self._html:
            self._html = markup
            self.setText(markup)
            self.setTextInteractionFlags(flags)

    def plain_lines(self) -> list[str]:
        return [text + after for _, _, text, after in self.entries]


_ROLE_CODE = Qt.ItemDataRole.UserRole + 1
_TITLE_FIELDS = {"goal_area": "title", "objective": "statement", "strategy": "text"}


class _StatusDelegate(QStyledItemDelegate):
    """The status column of the reviews table is chosen from the step statuses."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = _ComboBox(list(vocabulary.STEP_STATUSES.items()), parent)
        editor.setAccessibleName("Review status")
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, _ComboBox)
        editor.set_code(index.data(_ROLE_CODE))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, _ComboBox)
        code = editor.code()
        model.setData(index, vocabulary.STEP_STATUSES.get(code, code or ""))
        model.setData(index, code, _ROLE_CODE)


class _ReviewTable(QWidget):
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
        self.table.setItemDelegateForColumn(1, _StatusDelegate(self.table))
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
            key, modifiers = _combination(event)
            if modifiers == _NO_MOD and self.table.state() != QAbstractItemView.State.EditingState:
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
                self._set_cell(row, 2, _format_number(percent))
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
            value = _parse_date(item.text())
        elif field == "status":
            value = item.data(_ROLE_CODE)
        elif field == "percent_complete":
            value = _parse_number(item.text())
        else:
            value = item.text() or None
        self.edited.emit(self.ids[row], field, value)

    def _remove_current(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.ids):
            self.remove_requested.emit(self.ids[row])


# ---------------------------------------------------------------------------- bindings


class _Binding:
    """Ties one widget to one field of one kind: shows the model's value, offers the user's."""

    def __init__(self, form: _Form, kind: str, name: str, widget: QWidget) -> None:
        spec = KINDS[kind].field(name)
        if spec is None:
            raise ValueError(f"{kind} has no field {name!r}")
        self.form = form
        self.kind = kind
        self.name = name
        self.widget = widget
        self.pointer = spec.pointer

    def read(self) -> Any:
        raise NotImplementedError

    def write(self, value: Any, fresh: bool) -> None:
        raise NotImplementedError

    def show(self, value: Any, *, fresh: bool = False) -> None:
        """Show the model's value, unless the widget already shows it (it may be typed in)."""
        if not fresh and _same(self.read(), value):
            return
        blocked = self.widget.blockSignals(True)
        try:
            self.write(value, fresh)
        finally:
            self.widget.blockSignals(blocked)

    def acceptable(self, value: Any) -> bool:
        return _is_empty(value) or field_problem(self.pointer, value) is None

    def commit(self, value: Any, *, typing: bool = False) -> None:
        self.form.commit(self, value, typing=typing)

    def model_value(self) -> Any:
        target = self.form.target(self.kind)
        return None if target is None else getattr(target, self.name)


class _LineBinding(_Binding):
    """A one-line field: each keystroke goes to the model once the value could be right."""

    def __init__(
        self,
        form: _Form,
        kind: str,
        name: str,
        widget: QLineEdit,
        parse: Callable[[str], Any] = _text_or_none,
        fmt: Callable[[Any], str] = _show_text,
    ) -> None:
        super().__init__(form, kind, name, widget)
        self.line = widget
        self.parse = parse
        self.fmt = fmt
        widget.textEdited.connect(self._edited)
        widget.editingFinished.connect(self._finished)

    def read(self) -> Any:
        return self.parse(self.line.text())

    def write(self, value: Any, fresh: bool) -> None:
        text = self.fmt(value)
        if self.line.text() == text:
            return
        position = self.line.cursorPosition()
        self.line.setText(text)
        self.line.setCursorPosition(len(text) if fresh else min(position, len(text)))

    def _edited(self, text: str) -> None:
        value = self.parse(text)
        # Half a date or half a school year is not refused on every keystroke: it waits for
        # the field to be left, and is refused then if it is still not right.
        if self.acceptable(value):
            self.commit(value, typing=True)

    def _finished(self) -> None:
        if self.form.item_id is None:
            return
        self.commit(self.read())
        model = self.model_value()
        # Tidy what was typed into the form the model keeps (ga -> GA, 8/5/2024 -> 2024-08-05).
        if _same(self.read(), model) and self.line.text() != self.fmt(model):
            self.show(model, fresh=True)
        self.form.pane.end_typing()


class _TextBinding(_Binding):
    """Long plain text: every keystroke goes to the model."""

    def __init__(self, form: _Form, kind: str, name: str, widget: _GrowingTextEdit) -> None:
        super().__init__(form, kind, name, widget)
        self.edit = widget
        widget.textChanged.connect(self._edited)
        widget.focus_lost.connect(self._finished)

    def read(self) -> Any:
        return self.edit.toPlainText() or None

    def write(self, value: Any, fresh: bool) -> None:
        text = value or ""
        cursor = self.edit.textCursor()
        position, anchor = cursor.position(), cursor.anchor()
        scroll = self.edit.verticalScrollBar().value()
        self.edit.setPlainText(text)
        if fresh:
            return
        cursor = self.edit.textCursor()
        cursor.setPosition(min(anchor, len(text)))
        cursor.setPosition(min(position, len(text)), cursor.MoveMode.KeepAnchor)
        self.edit.setTextCursor(cursor)
        self.edit.verticalScrollBar().setValue(scroll)

    def _edited(self) -> None:
        value = self.read()
        if self.acceptable(value):
            self.commit(value, typing=True)

    def _finished(self) -> None:
        if self.form.item_id is not None:
            self.commit(self.read())
        self.form.pane.end_typing()


class _ComboBinding(_Binding):
    def __init__(self, form: _Form, kind: str, name: str, widget: _ComboBox) -> None:
        super().__init__(form, kind, name, widget)
        self.combo = widget
        widget.currentIndexChanged.connect(lambda _index: self.commit(self.combo.code()))

    def read(self) -> Any:
        return self.combo.code()

    def write(self, value: Any, fresh: bool) -> None:
        self.combo.set_code(value)


class _CheckBinding(_Binding):
    def __init__(self, form: _Form, kind: str, name: str, widget: QCheckBox) -> None:
        super().__init__(form, kind, name, widget)
        self.box = widget
        widget.toggled.connect(lambda checked: self.commit(bool(checked)))

    def read(self) -> Any:
        return self.box.isChecked()

    def write(self, value: Any, fresh: bool) -> None:
        self.box.setChecked(bool(value))


class _ChecksBinding(_Binding):
    def __init__(self, form: _Form, kind: str, name: str, widget: _CheckGroup) -> None:
        super().__init__(form, kind, name, widget)
        self.group = widget
        widget.edited.connect(self.commit)

    def read(self) -> Any:
        return self.group.values()

    def write(self, value: Any, fresh: bool) -> None:
        self.group.set_values(list(value or []), fresh=fresh)

    def show(self, value: Any, *, fresh: bool = False) -> None:
        # The group remembers the plan's order even when the same entries are checked.
        if not fresh and _same(self.read(), value):
            self.group.set_values(list(value or []))
            return
        super().show(value, fresh=fresh)


class _ListBinding(_Binding):
    def __init__(self, form: _Form, kind: str, name: str, widget: _ListEditor) -> None:
        super().__init__(form, kind, name, widget)
        self.editor = widget
        widget.edited.connect(self.commit)

    def read(self) -> Any:
        return self.editor.values()

    def write(self, value: Any, fresh: bool) -> None:
        self.editor.set_values([str(text) for text in value or []])

    def show(self, value: Any, *, fresh: bool = False) -> None:
        if not fresh and _same(self.read(), value):
            self.editor.set_values([str(text) for text in value or []])
            return
        super().show(value, fresh=fresh)


class _LevelNamesBinding(_Binding):
    def __init__(self, form: _Form, kind: str, name: str, widget: _LevelNames) -> None:
        super().__init__(form, kind, name, widget)
        self.names = widget
        widget.edited.connect(lambda values: self.commit(values, typing=True))
        widget.finished.connect(form.pane.end_typing)

    def read(self) -> Any:
        return self.names.values()

    def write(self, value: Any, fresh: bool) -> None:
        self.names.set_values(value)


# ---------------------------------------------------------------------------- forms


class _Form(QWidget):
    """The form of one kind of item; built once, filled for whichever item is shown."""

    kind = ""

    def __init__(self, pane: EditorPane) -> None:
        super().__init__()
        self.pane = pane
        self.item_id: str | None = None
        self.bindings: dict[str, _Binding] = {}
        self.widgets: dict[str, QWidget] = {}
        self._focus_chain: list[QWidget] = []
        self._ancestors: list[str] = []
        self._read_only = False
        self.filling = 0  # > 0 while widgets are being set from the model
        self._edit_triggers: dict[QAbstractItemView, QAbstractItemView.EditTrigger] = {}
        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.breadcrumb = _LinkLabel("")
        self.breadcrumb.setAccessibleName("Where this item sits in the plan")
        self.breadcrumb.linkActivated.connect(pane.follow_link)
        self.breadcrumb.hide()
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(12, 10, 12, 12)
        self._outer.setSpacing(6)
        self._outer.addWidget(self.heading)
        self._outer.addWidget(self.breadcrumb)
        self.body = self.new_form_layout()
        self._outer.addLayout(self.body)
        self._focus_chain.append(self.breadcrumb)
        self.build()
        self._outer.addStretch(1)
        self.apply_tab_order()

    # ------------------------------------------------------------------ building

    @staticmethod
    def new_form_layout() -> QFormLayout:
        layout = QFormLayout()
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.setVerticalSpacing(8)
        return layout

    def build(self) -> None:
        raise NotImplementedError

    def group(self, title: str, into: QFormLayout | None = None) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        box.setAccessibleName(title)
        layout = self.new_form_layout()
        box.setLayout(layout)
        (into or self.body).addRow(box)
        return box, layout

    def row(
        self,
        layout: QFormLayout,
        text: str,
        field: QWidget | QHBoxLayout,
        buddy: QWidget,
        focus: Sequence[QWidget] | None = None,
        name: str | None = None,
    ) -> QLabel:
        """A labelled row: the label names the control for screen readers and is its buddy."""
        label = QLabel(text)
        label.setBuddy(buddy)
        buddy.setAccessibleName(text)
        layout.addRow(label, field)
        self._focus_chain.extend(focus if focus is not None else [buddy])
        if name is not None:
            self.widgets[name] = buddy
        return label

    def _bind(self, binding: _Binding) -> _Binding:
        self.bindings[binding.name] = binding
        self.widgets[binding.name] = binding.widget
        return binding

    def line(
        self,
        layout: QFormLayout,
        kind: str,
        name: str,
        text: str,
        *,
        placeholder: str = "",
        width: int | None = None,
        parse: Callable[[str], Any] = _text_or_none,
        fmt: Callable[[Any], str] = _show_text,
        validator: QValidator | None = None,
        add_row: bool = True,
    ) -> QLineEdit:
        edit = QLineEdit()
        edit.setMaxLength(1000)
        edit.setPlaceholderText(placeholder)
        if width is not None:
            edit.setMaximumWidth(width)
        if validator is not None:
            edit.setValidator(validator)
        edit.installEventFilter(self.pane.undo_router)
        edit.setAccessibleName(text)
        self._bind(_LineBinding(self, kind, name, edit, parse, fmt))
        if add_row:
            self.row(layout, text, edit, edit)
        return edit

    def text(
        self, layout: QFormLayout, kind: str, name: str, text: str, min_lines: int = 3
    ) -> _GrowingTextEdit:
        edit = _GrowingTextEdit(min_lines)
        edit.installEventFilter(self.pane.undo_router)
        self._bind(_TextBinding(self, kind, name, edit))
        self.row(layout, text, edit, edit)
        return edit

    def combo(
        self,
        layout: QFormLayout,
        kind: str,
        name: str,
        text: str,
        options: Sequence[tuple[Any, str]],
    ) -> _ComboBox:
        box = _ComboBox(options)
        box.installEventFilter(self.pane.wheel_guard)
        self._bind(_ComboBinding(self, kind, name, box))
        holder = QHBoxLayout()
        holder.addWidget(box)
        holder.addStretch(1)
        self.row(layout, text, holder, box)
        return box

    def yes_no(self, layout: QFormLayout, kind: str, name: str, text: str) -> _ComboBox:
        return self.combo(layout, kind, name, text, [(None, NOT_SET), (True, "Yes"), (False, "No")])

    def check(self, layout: QFormLayout, kind: str, name: str, text: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setAccessibleName(text)
        self._bind(_CheckBinding(self, kind, name, box))
        layout.addRow(box)
        self._focus_chain.append(box)
        return box

    def checks(
        self,
        layout: QFormLayout,
        kind: str,
        name: str,
        text: str,
        options: Sequence[tuple[str, str]],
        columns: int,
        *,
        keep_order: bool = False,
        other_noun: str | None = None,
        label_above: bool = False,
    ) -> _CheckGroup:
        group = _CheckGroup(options, columns, keep_order=keep_order, other_noun=other_noun)
        if group.other is not None:
            group.other.installEventFilter(self.pane.undo_router)
        self._bind(_ChecksBinding(self, kind, name, group))
        first = group.focus_widgets()[0]
        if label_above:
            # Long choices need the whole width; the label heads them instead.
            label = QLabel(text)
            layout.addRow(label)
            layout.addRow(group)
            self._focus_chain.append(group)
        else:
            label = self.row(layout, text, group, first, focus=[group])
        group.setAccessibleName(text)
        # The first box keeps its own name; the group's name is what the label says.
        first.setAccessibleName(group.box(options[0][0]).text())
        label.setBuddy(first)
        return group

    def strings(
        self, layout: QFormLayout, kind: str, name: str, text: str, noun: str
    ) -> _ListEditor:
        editor = _ListEditor(noun)
        self._bind(_ListBinding(self, kind, name, editor))
        self.row(layout, text, editor, editor.list, focus=[editor])
        editor.setAccessibleName(text)
        return editor

    def links(self, layout: QFormLayout, name: str, text: str, empty: str) -> _LinkLabel:
        label = _LinkLabel(empty)
        label.linkActivated.connect(self.pane.follow_link)
        self.row(layout, text, label, label, name=name)
        return label

    def apply_tab_order(self) -> None:
        """Tab goes through the form top to bottom, whatever order the widgets were made in."""
        chain: list[QWidget] = []
        for widget in self._focus_chain:
            inner = getattr(widget, "focus_widgets", None)
            chain.extend(inner() if callable(inner) else [widget])
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    # ------------------------------------------------------------------ showing

    def item(self) -> Any:
        if self.item_id is None or self.pane.session is None:
            return None
        return self.pane.session.document.get(KINDS[self.kind].cls, self.item_id)

    def target(self, kind: str) -> Any:
        """The object that holds the fields of `kind` in this form."""
        return self.item() if kind == self.kind else None

    def show_item(self, item_id: str) -> bool:
        # The item already shown is brought up to date rather than filled anew: one of its
        # fields may be being typed in (a tree re-selects its current item after an edit).
        fresh = item_id != self.item_id
        self.item_id = item_id
        item = self.item()
        if item is None:
            self.item_id = None
            return False
        self.fill(item, fresh=fresh)
        return True

    def fill(self, item: Any, *, fresh: bool = True) -> None:
        self.filling += 1
        try:
            for binding in self.bindings.values():
                target = self.target(binding.kind)
                value = None if target is None else getattr(target, binding.name)
                binding.show(value, fresh=fresh)
            self.fill_extra(item)
            self.update_heading()
            self.update_breadcrumb(item)
            self.set_read_only(self.pane.read_only)
        finally:
            self.filling -= 1

    def fill_fields(self, kind: str, names: Iterable[str]) -> None:
        target = self.target(kind)
        if target is None:
            return
        self.filling += 1
        try:
            for name in names:
                binding = self.bindings.get(name)
                if binding is not None and binding.kind == kind:
                    binding.show(getattr(target, name))
        finally:
            self.filling -= 1

    def fill_extra(self, item: Any) -> None:
        """Children and summaries that are not fields of the item itself."""

    def update_heading(self) -> None:
        plan = self.pane.plan
        self.heading.setText(label_for(KINDS[self.kind], plan))

    def ancestors(self, item: Any) -> list[tuple[str, Item]]:
        return []

    def update_breadcrumb(self, item: Any) -> None:
        found = self.ancestors(item)
        self._ancestors = [ancestor.id for _, ancestor in found]
        entries = []
        for index, (kind, ancestor) in enumerate(found):
            text = getattr(ancestor, _TITLE_FIELDS[kind])
            label = label_for(KINDS[kind], self.pane.plan)
            after = "  ›  " if index < len(found) - 1 else ""
            entries.append((kind, ancestor.id, _elide(f"{label}: {text}", 48), after))
        # One line of links rather than one a line: it reads as a path.
        self.breadcrumb.set_entries(entries, separator="")
        self.breadcrumb.setVisible(bool(entries))

    def set_read_only(self, read_only: bool) -> None:
        """A plan opened read-only is shown, not edited: nothing here offers an edit."""
        if read_only == self._read_only:
            return
        self._read_only = read_only
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(read_only)
            elif isinstance(widget, QComboBox | QCheckBox | QPushButton | QToolButton):
                widget.setEnabled(not read_only)
            elif isinstance(widget, QListWidget | QTableWidget):
                if read_only:
                    self._edit_triggers[widget] = widget.editTriggers()
                    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
                elif widget in self._edit_triggers:
                    widget.setEditTriggers(self._edit_triggers.pop(widget))
        if not read_only:
            for editor in self.findChildren(_ListEditor):
                editor.update_buttons()

    # ------------------------------------------------------------------ changes

    def refresh(self, change: Change) -> None:
        """Bring the form up to date with a change the model reports."""
        if change.kind == self.kind and change.item_id == self.item_id:
            if change.action == "updated" and change.fields:
                self.fill_fields(self.kind, change.fields)
            else:
                item = self.item()
                if item is not None:
                    self.update_breadcrumb(item)
            return
        if change.kind in TREE_KINDS and (
            change.item_id in self._ancestors or change.action != "updated"
        ):
            item = self.item()
            if item is not None:
                self.update_breadcrumb(item)
        self.refresh_related(change)

    def refresh_related(self, change: Change) -> None:
        """Changes to children, links or catalog entries that the form shows."""

    def commit(self, binding: _Binding, value: Any, *, typing: bool) -> None:
        if self.filling:
            return  # showing an item never edits it, whatever a widget says meanwhile
        target = self.target(binding.kind)
        if target is None or self.pane.session is None:
            return
        if _same(getattr(target, binding.name), value):
            return
        self.pane.push(UpdateItem(binding.kind, target.id, {binding.name: value}), typing=typing)
        # Refused, or stored in another form than typed: show what the model holds.
        binding.show(binding.model_value())


class _PlanForm(_Form):
    kind = "plan"

    def build(self) -> None:
        body = self.body
        self.line(body, "plan", "title", "Title")
        self.line(body, "plan", "organization", "Organization", placeholder="District or school")
        self.line(
            body,
            "plan",
            "state",
            "State",
            placeholder="GA",
            width=60,
            parse=_parse_state,
            validator=_StateValidator(self),
        )
        self.combo(body, "plan", "layout", "Layout", _options(vocabulary.LAYOUTS))
        years = QHBoxLayout()
        first = self.line(
            body, "plan", "first_year", "First school year", placeholder="2024-25", width=90,
            parse=_parse_school_year, add_row=False,
        )  # fmt: skip
        last = self.line(
            body, "plan", "last_year", "Last school year", placeholder="2028-29", width=90,
            parse=_parse_school_year, add_row=False,
        )  # fmt: skip
        through = QLabel("through")
        through.setBuddy(last)
        years.setSpacing(8)
        years.addWidget(first)
        years.addWidget(through)
        years.addWidget(last)
        years.addStretch(1)
        self.row(body, "School years", years, first, focus=[first, last])
        first.setAccessibleName("First school year")
        self.combo(body, "plan", "status", "Status", _options(vocabulary.PLAN_STATUSES))
        self.line(body, "plan", "team_lead", "Team lead")
        self.text(body, "plan", "mission", "Mission")
        self.text(body, "plan", "vision", "Vision")
        self.strings(body, "plan", "core_beliefs", "Core beliefs", "core belief")
        _, names_layout = self.group("Level names")
        names = _LevelNames()
        for line in names.lines:
            line.installEventFilter(self.pane.undo_router)
        self._bind(_LevelNamesBinding(self, "plan", "level_labels", names))
        names_layout.addRow(names)
        hint = QLabel("Name all four levels, or leave all four empty for the names shown.")
        hint.setWordWrap(True)
        hint.setEnabled(False)
        names_layout.addRow(hint)
        self._focus_chain.append(names)
        self.ga_box, ga = self.group("Georgia general information")
        self.checks(
            ga, "ga_general", "funding_options", "Funding options",
            list(vocabulary.FUNDING_OPTIONS.items()), 1, label_above=True,
        )  # fmt: skip
        self._transfer(ga, "title_ii_a", "Title II, Part A")
        self._transfer(ga, "title_iv_a", "Title IV, Part A")
        self.checks(
            ga, "ga_general", "poverty_factors", "Poverty factors",
            list(vocabulary.POVERTY_FACTORS.items()), 1, label_above=True,
        )  # fmt: skip
        self.text(ga, "ga_general", "poverty_factors_other", "Other poverty factors", 2)
        self.yes_no(ga, "ga_general", "ed_flex_waiver", "ED-Flex waiver")
        self.text(ga, "ga_general", "ed_flex_waiver_detail", "ED-Flex waiver details", 2)

    def _transfer(self, layout: QFormLayout, prefix: str, program: str) -> None:
        row = QHBoxLayout()
        to = self.line(
            layout, "ga_general", f"{prefix}_transfer_to", f"{program} transferred to",
            placeholder="No funds transferred", add_row=False,
        )  # fmt: skip
        percent = self.line(
            layout, "ga_general", f"{prefix}_transfer_percent", f"{program} percent transferred",
            placeholder="0–100", width=70, parse=_parse_number, fmt=_format_number,
            add_row=False,
        )  # fmt: skip
        percent_label = QLabel("Percent")
        percent_label.setBuddy(percent)
        row.setSpacing(8)
        row.addWidget(to, 1)
        row.addWidget(percent_label)
        row.addWidget(percent)
        row.addWidget(QLabel("%"))
        self.row(layout, f"{program} transferred to", row, to, focus=[to, percent])

    def item(self) -> Any:
        return self.pane.plan

    def target(self, kind: str) -> Any:
        plan = self.pane.plan
        if plan is None:
            return None
        return plan.ga_general if kind == "ga_general" else plan

    def fill_extra(self, item: Any) -> None:
        self.ga_box.setEnabled(item.ga_general is not None)

    def update_heading(self) -> None:
        self.heading.setText("Plan Properties")

    def refresh_related(self, change: Change) -> None:
        if change.kind != "ga_general":
            return
        names = change.fields or {b.name for b in self.bindings.values() if b.kind == "ga_general"}
        self.fill_fields("ga_general", names)


class _GoalAreaForm(_Form):
    kind = "goal_area"

    def build(self) -> None:
        body = self.body
        self.line(body, "goal_area", "title", "Title")
        self.text(body, "goal_area", "description", "Description")
        self.text(body, "goal_area", "need", "Need")
        self.check(body, "goal_area", "is_equity_gap", "This area addresses an equity gap")
        self.strings(body, "goal_area", "root_causes", "Root causes", "root cause")
        self.text(body, "goal_area", "goal", "Goal")
        _, gap = self.group("Equity gap")
        self.text(gap, "goal_area", "equity_gap_description", "Description", 2)
        self.strings(gap, "goal_area", "equity_gap_content_areas", "Content areas", "content area")
        grades = [(grade, grade) for grade in vocabulary.GRADE_LEVELS]
        self.checks(gap, "goal_area", "equity_gap_grade_levels", "Grade levels", grades, 7)
        self.strings(gap, "goal_area", "equity_gap_subgroups", "Subgroups", "subgroup")
        self.strings(gap, "goal_area", "equity_gap_interventions", "Interventions", "intervention")


class _ObjectiveForm(_Form):
    kind = "objective"

    def build(self) -> None:
        self.text(self.body, "objective", "statement", "Statement")
        self.measures = self.links(self.body, "measures", "Measures", "No measures yet.")
        _, layout = self.group("Measures and targets")
        self.measure_editor = MeasureEditor()
        self.measure_editor.setAccessibleName("Measures and targets")
        layout.addRow(self.measure_editor)
        self._focus_chain.append(self.measure_editor)
        self.widgets["measure_editor"] = self.measure_editor

    def ancestors(self, item: Any) -> list[tuple[str, Item]]:
        area = self.pane.get(GoalArea, item.goal_area_id)
        return [("goal_area", area)] if area is not None else []

    def fill_extra(self, item: Any) -> None:
        entries = []
        for measure in item.measures:
            group = measure.student_group or "All students"
            entries.append(("measure", measure.id, measure.name or "(unnamed)", f"  ({group})"))
        self.measures.set_entries(entries)
        self.measure_editor.set_objective(self.pane.session, item.id)

    def refresh_related(self, change: Change) -> None:
        if change.kind == "measure" and self.item_id in (
            change.parent_id,
            change.previous_parent_id,
        ):
            item = self.item()
            if item is not None:
                self.fill_extra(item)
        elif change.kind in ("target", "actual") and change.parent_id in {
            measure.id for measure in getattr(self.item(), "measures", ())
        }:
            self.measure_editor.refresh()


class _StrategyForm(_Form):
    kind = "strategy"

    def build(self) -> None:
        self.text(self.body, "strategy", "text", "Text")
        self.combo(
            self.body, "strategy", "evidence_level", "Evidence level",
            _options(vocabulary.EVIDENCE_LEVELS),
        )  # fmt: skip
        self.text(self.body, "strategy", "evidence_citation", "Evidence citation", 2)
        self.phases = _PhaseRow(self.pane.wheel_guard)
        self.phases.edited.connect(self._phase_edited)
        label = QLabel("Implementation phases")
        self.body.addRow(label, self.phases)
        self.phases.setAccessibleName("Implementation phases")
        self._focus_chain.append(self.phases)
        self.widgets["phases"] = self.phases
        self._phase_label = label

    def ancestors(self, item: Any) -> list[tuple[str, Item]]:
        objective = self.pane.get(Objective, item.objective_id)
        if objective is None:
            return []
        area = self.pane.get(GoalArea, objective.goal_area_id)
        found: list[tuple[str, Item]] = [("goal_area", area)] if area is not None else []
        return [*found, ("objective", objective)]

    def fill_extra(self, item: Any) -> None:
        plan = self.pane.plan
        phases: dict[str, str] = {}
        for phase in item.phases:
            phases.setdefault(phase.year, phase.phase)
        years = vocabulary.school_years(plan.first_year, plan.last_year) if plan else []
        shown = sorted(set(years) | set(phases))
        if self.phases.set_phases(shown, phases):
            self.apply_tab_order()
            if shown:
                self._phase_label.setBuddy(self.phases.combos[shown[0]])

    def _phase_edited(self, year: str, code: str | None) -> None:
        strategy = self.item()
        if strategy is None or self.filling:
            return
        existing = next((phase for phase in strategy.phases if phase.year == year), None)
        operation: EditOp
        if existing is not None and code is None:
            operation = DeleteItem("phase", existing.id)
        elif existing is not None:
            operation = UpdateItem("phase", existing.id, {"phase": code})
        elif code is None:
            return
        else:
            index = sum(1 for phase in strategy.phases if phase.year < year)
            operation = AddItem("phase", strategy.id, {"year": year, "phase": code}, index)
        self.pane.push(operation, text=f"Set Implementation Phase for {year}")
        item = self.item()
        if item is not None:
            self.fill_extra(item)

    def refresh_related(self, change: Change) -> None:
        phase_change = change.kind == "phase" and self.item_id in (
            change.parent_id,
            change.previous_parent_id,
        )
        years_change = change.kind == "plan" and (
            not change.fields or {"first_year", "last_year"} & change.fields
        )
        if phase_change or years_change:
            item = self.item()
            if item is not None:
                self.fill_extra(item)


class _ActionStepForm(_Form):
    kind = "action_step"

    def build(self) -> None:
        body = self.body
        self.text(body, "action_step", "text", "Text")
        self.checks(
            body, "action_step", "subgroups", "Subgroups",
            [(group, group) for group in vocabulary.STUDENT_GROUPS], 3,
            keep_order=True, other_noun="subgroup", label_above=True,
        )  # fmt: skip
        self.checks(body, "action_step", "systems", "Systems", list(vocabulary.SYSTEMS.items()), 2)
        self.combo(
            body, "action_step", "evidence_level", "Evidence level",
            _options(vocabulary.EVIDENCE_LEVELS),
        )  # fmt: skip
        self.line(
            body, "action_step", "timeline", "Timeline", placeholder="e.g. Quarterly, or Aug-May"
        )
        for name, text in (("start", "Start date"), ("end", "End date")):
            field = _DateField()
            self.bindings[name] = binding = _LineBinding(
                self, "action_step", name, field.line, _parse_date
            )
            self.widgets[name] = field.line
            field.line.installEventFilter(self.pane.undo_router)
            field.picked.connect(lambda day, b=binding: b.commit(day))
            field.button.setAccessibleName(f"Pick {text.lower()}")
            self.row(body, text, field, field.line, focus=[field])
        self.yes_no(
            body, "action_step", "supports_equity_intervention", "Supports equity intervention"
        )
        self.text(body, "action_step", "partnerships", "Partnerships", 2)
        self.combo(body, "action_step", "status", "Status", _options(vocabulary.STEP_STATUSES))
        _, assigned = self.group("Assigned in the side panels")
        self.funding = self.links(
            assigned, "funding", "Funding", "None: assign funding sources in the Funding panel."
        )
        self.roles = self.links(
            assigned, "roles", "Roles responsible", "None: assign roles in the Roles panel."
        )
        self.implementation = self.links(
            assigned, "monitoring_implementation", "Monitoring of implementation",
            "None: assign methods in the Monitoring panel.",
        )  # fmt: skip
        self.effectiveness = self.links(
            assigned, "monitoring_effectiveness", "Monitoring of effectiveness",
            "None: assign methods in the Monitoring panel.",
        )  # fmt: skip
        self.reviews = _ReviewTable()
        self.reviews.edited.connect(self._review_edited)
        self.reviews.add_requested.connect(self._add_review)
        self.reviews.remove_requested.connect(self._remove_review)
        _, review_layout = self.group("Reviews")
        review_layout.addRow(self.reviews)
        self.reviews.setAccessibleName("Reviews")
        self._focus_chain.append(self.reviews)
        self.widgets["reviews"] = self.reviews

    def ancestors(self, item: Any) -> list[tuple[str, Item]]:
        strategy = self.pane.get(Strategy, item.strategy_id)
        if strategy is None:
            return []
        objective = self.pane.get(Objective, strategy.objective_id)
        area = self.pane.get(GoalArea, objective.goal_area_id) if objective else None
        found: list[tuple[str, Item]] = []
        if area is not None:
            found.append(("goal_area", area))
        if objective is not None:
            found.append(("objective", objective))
        return [*found, ("strategy", strategy)]

    def fill_extra(self, item: Any) -> None:
        self.fill_assigned(item)
        self.fill_reviews(item)

    def fill_assigned(self, step: ActionStep) -> None:
        # Entries by id from the session's identity map: a step names a handful of entries,
        # a stress-sized catalog holds hundreds, and this runs on every selection.
        def name(cls: type[Any], entry_id: str, field: str, length: int = 120) -> str:
            entry = self.pane.get(cls, entry_id)
            return _elide(getattr(entry, field), length) if entry is not None else "?"

        funding = []
        for link in step.funding:
            details = ", ".join(part for part in (_money(link.amount), link.year or "") if part)
            source_id = link.funding_source_id
            after = f" — {details}" if details else ""
            funding.append(
                ("funding_source", source_id, name(FundingSource, source_id, "name"), after)
            )
        self.funding.set_entries(funding)
        self.roles.set_entries(
            ("role", link.role_id, name(Role, link.role_id, "title"), "")
            for link in step.role_links
        )
        for label, links in (
            (self.implementation, step.implementation_links),
            (self.effectiveness, step.effectiveness_links),
        ):
            label.set_entries(
                ("monitoring_method", link.monitoring_method_id,
                 name(MonitoringMethod, link.monitoring_method_id, "text"), "")
                for link in links
            )  # fmt: skip

    def fill_reviews(self, step: ActionStep) -> None:
        self.reviews.set_reviews(
            [
                (review.id, review.date, review.status, review.percent_complete, review.note)
                for review in step.reviews
            ]
        )

    def _review_edited(self, review_id: str, field: str, value: Any) -> None:
        step = self.item()
        if step is None or self.filling:
            return
        review = next((r for r in step.reviews if r.id == review_id), None)
        if review is None or _same(getattr(review, field), value):
            return
        self.pane.push(UpdateItem("review", review_id, {field: value}))
        step = self.item()
        if step is not None:
            self.fill_reviews(step)

    def _add_review(self) -> None:
        step = self.item()
        if step is None:
            return
        values = {"date": date.today().isoformat(), "status": step.status or "in_progress"}
        self.pane.push(AddItem("review", step.id, values))
        step = self.item()
        if step is not None:
            self.fill_reviews(step)
            table = self.reviews.table
            if table.rowCount():
                table.setCurrentCell(table.rowCount() - 1, 0)
                table.setFocus()

    def _remove_review(self, review_id: str) -> None:
        row = self.reviews.table.currentRow()
        self.pane.push(DeleteItem("review", review_id))
        step = self.item()
        if step is not None:
            self.fill_reviews(step)
            table = self.reviews.table
            if table.rowCount():
                table.setCurrentCell(min(row, table.rowCount() - 1), 0)

    def refresh_related(self, change: Change) -> None:
        step_id = self.item_id
        mine = step_id in (change.parent_id, change.previous_parent_id)
        if change.kind == "review" and mine:
            step = self.item()
            if step is not None:
                self.fill_reviews(step)
        elif (
            (change.kind in LINK_KINDS and mine)
            or change.kind in CATALOG_KINDS
            or ("action_step", step_id) in change.touched
        ):
            step = self.item()
            if step is not None:
                self.fill_assigned(step)


_FORMS: dict[str, type[_Form]] = {
    form.kind: form
    for form in (_PlanForm, _GoalAreaForm, _ObjectiveForm, _StrategyForm, _ActionStepForm)
}


# ---------------------------------------------------------------------------- the pane


class EditorPane(QWidget):
    """The editor of the item selected in the plan tree, or of the plan's own properties."""

    navigate = Signal(str, str)  # kind, id: a link in a form asks the window to go there

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Editor")
        self._session: DocumentSession | None = None
        self._forms: dict[str, _Form] = {}
        self._pages: dict[str, QScrollArea] = {}
        self._shown: _Form | None = None
        self.undo_router = _UndoRouter(self)
        self.wheel_guard = _WheelGuard(self)
        self._stack = QStackedWidget()
        self._empty = QLabel(_EMPTY_PAGE_TEXT)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setEnabled(False)
        self._stack.addWidget(self._empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

    # ------------------------------------------------------------------ what is shown

    @property
    def session(self) -> DocumentSession | None:
        return self._session

    @property
    def plan(self) -> Plan | None:
        return self._session.plan if self._session is not None else None

    @property
    def read_only(self) -> bool:
        return self._session is not None and self._session.document.read_only

    @property
    def shown_kind(self) -> str | None:
        return self._shown.kind if self._shown is not None else None

    @property
    def shown_id(self) -> str | None:
        return self._shown.item_id if self._shown is not None else None

    def get(self, cls: type[Any], item_id: str) -> Any:
        if self._session is None:
            return None
        return self._session.document.get(cls, item_id)

    def set_session(self, session: DocumentSession | None) -> None:
        """Edit this session's plan; call with None before the plan's document is closed."""
        self._session = session
        self._show_nothing()

    def show_item(self, kind: str | None, item_id: str | None) -> None:
        """Show the form of one item ("plan" shows the plan's properties; None shows nothing)."""
        session = self._session
        if session is None or kind is None or kind not in _FORMS:
            self._show_nothing()
            return
        if kind == "plan":
            item_id = session.plan.id
        if item_id is None:
            self._show_nothing()
            return
        session.end_typing()
        form = self._form(kind)
        moved_on = form.item_id != item_id
        if not form.show_item(item_id):
            self._show_nothing()
            return
        page = self._pages[kind]
        if moved_on:
            page.verticalScrollBar().setValue(0)
        self._shown = form
        self._stack.setCurrentWidget(page)

    def current_field_widget(self, name: str) -> QWidget | None:
        """The widget that edits a field (or shows a child list) of the shown form."""
        if self._shown is None:
            return None
        return self._shown.widgets.get(name)

    def _form(self, kind: str) -> _Form:
        form = self._forms.get(kind)
        if form is None:
            form = _FORMS[kind](self)
            page = QScrollArea()
            page.setWidgetResizable(True)
            page.setFrameShape(QFrame.Shape.NoFrame)
            page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            page.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            page.setWidget(form)
            self._stack.addWidget(page)
            self._forms[kind] = form
            self._pages[kind] = page
        return form

    def _show_nothing(self) -> None:
        if self._shown is not None:
            self._shown.item_id = None
        self._shown = None
        self._stack.setCurrentWidget(self._empty)

    # ------------------------------------------------------------------ changes

    def on_change(self, change: Change) -> None:
        """Bring the shown form up to date with an edit (made here, in the tree, or by undo)."""
        form = self._shown
        if form is None or self._session is None:
            return
        if change.action == "removed" and form.item() is None:
            self._show_nothing()
            return
        if change.kind == "plan" and (not change.fields or "level_labels" in change.fields):
            form.update_heading()
            item = form.item()
            if item is not None:
                form.update_breadcrumb(item)
        form.refresh(change)

    def on_reset(self) -> None:
        """The whole plan was replaced (open, revert): show the same item again if it is there."""
        form = self._shown
        if form is None or form.item_id is None:
            self._show_nothing()
            return
        kind, item_id = form.kind, form.item_id
        form.item_id = None
        self._shown = None
        self.show_item(kind, item_id)

    # ------------------------------------------------------------------ edits

    def push(self, operation: EditOp, *, typing: bool = False, text: str | None = None) -> bool:
        """Push one edit; anything but typing is an undo step of its own."""
        session = self._session
        if session is None:
            return False
        if not typing:
            session.end_typing()
        done = session.push(operation, text)
        if not typing:
            session.end_typing()
        return done

    def end_typing(self) -> None:
        if self._session is not None:
            self._session.end_typing()

    def undo_or_redo(self, *, redo: bool) -> None:
        if self._session is None:
            return
        self._session.end_typing()
        if redo:
            self._session.undo_stack.redo()
        else:
            self._session.undo_stack.undo()

    def follow_link(self, link: str) -> None:
        kind, _, item_id = link.partition(":")
        if kind and item_id:
            self.navigate.emit(kind, item_id)

    # ------------------------------------------------------------------ keys

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if _combination(event) in _PANE_KEYS or _key_matches(event, *_PANE_STANDARD_KEYS):
                event.accept()
                return True
        return super().event(event)


__all__ = ["EditorPane"]
