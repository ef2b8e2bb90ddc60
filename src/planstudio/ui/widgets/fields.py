"""One-value fields: growing text, a combo box, a date with a calendar, a state, a link label."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFocusEvent, QResizeEvent, QValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from planstudio.ui.widgets.values import parse_date


class GrowingTextEdit(QPlainTextEdit):
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


class ComboBox(QComboBox):
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


class StateValidator(QValidator):
    """Two capital letters: typing "ga" gives "GA"; anything but letters is not taken."""

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        upper = text.upper()
        if len(upper) > 2 or not all("A" <= char <= "Z" for char in upper):
            return QValidator.State.Invalid, text, pos
        # Even one letter counts as finished, so that leaving the field offers it to the
        # model, which refuses it, rather than leaving a half-typed code on screen.
        return QValidator.State.Acceptable, upper, pos


class DateField(QWidget):
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
        value = parse_date(self.line.text())
        try:
            shown = date.fromisoformat(value) if value else date.today()
        except ValueError:
            shown = date.today()
        self._calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self._calendar.setFocus()

    def _chosen(self, picked: Any) -> None:
        menu = self.button.menu()
        if menu is not None:
            menu.close()
        self.picked.emit(picked.toString(Qt.DateFormat.ISODate))
        self.line.setFocus()

    def focus_widgets(self) -> list[QWidget]:
        return [self.line, self.button]


class LinkLabel(QLabel):
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
