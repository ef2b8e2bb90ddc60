"""A layout that puts its widgets in as many columns as fit and wraps the rest."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem


class WrapGrid(QLayout):
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
