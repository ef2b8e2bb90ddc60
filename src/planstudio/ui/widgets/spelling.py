"""Spelling as the user types: unknown words underlined; corrections and "Add to Dictionary".

Multi-line fields are underlined by a `SpellHighlighter`; a QLineEdit has no highlighter,
so one-line fields are a `SpellLineEdit`, which draws the same squiggle under the words.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QTimer
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QLineEdit, QMenu, QPlainTextEdit, QWidget
from shiboken6 import isValid

from planstudio.ui import turns
from planstudio.ui.deferred import deferred

if TYPE_CHECKING:
    from planstudio.model import spelling
else:
    spelling = deferred("planstudio.model.spelling")


_highlighters: weakref.WeakSet[SpellHighlighter | SpellLineEdit] = weakref.WeakSet()
SQUIGGLE = QColor("#d11")


@cache
def speller() -> spelling.Speller:
    """The one speller of the program: the user's dictionary is shared by every field."""
    return spelling.Speller()


LOAD_DELAY_MS = 1500


def load_soon() -> None:
    """Read the dictionaries a moment after a plan is shown, once, a few milliseconds a turn.

    Not at start-up, which it would slow, nor in a thread: decoding the word list holds
    Python's lock, so a thread would freeze the window as long as reading it at once does.
    """
    if not speller().loaded:
        QTimer.singleShot(LOAD_DELAY_MS, _load_in_steps)


_loading: list[QTimer] = []  # the timer of the reading under way, if any


def _load_in_steps() -> None:
    if _loading or speller().loaded:
        return
    steps = speller().load_in_steps()
    timer = QTimer(interval=0)

    def step() -> None:
        if turns.allowance(0.0) is None:
            return  # the other work of this turn has spent it
        with turns.counted():
            more = next(steps, StopIteration) is not StopIteration
        if not more:
            timer.stop()
            _loading.clear()
            timer.deleteLater()

    timer.timeout.connect(step)
    _loading.append(timer)
    timer.start()


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines, with the platform's spelling squiggle, each word the speller does not know."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.unknown_format = QTextCharFormat()
        self.unknown_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self.unknown_format.setUnderlineColor(SQUIGGLE)
        self._waiting = False
        _highlighters.add(self)

    def highlightBlock(self, text: str) -> None:
        checker = speller()
        if not checker.loaded:
            if not self._waiting:  # shown again once the dictionaries are in
                self._waiting = True
                QTimer.singleShot(250, self._when_loaded)
            return
        for at, word in checker.misspelled(text):
            self.setFormat(at, len(word), self.unknown_format)

    def _when_loaded(self) -> None:
        if not isValid(self):
            return
        if speller().loaded:
            self._waiting = False
            self.rehighlight()
        else:
            QTimer.singleShot(250, self._when_loaded)


def rehighlight_all() -> None:
    for highlighter in list(_highlighters):
        if isValid(highlighter):  # a closed window's fields are gone with it
            highlighter.rehighlight()
        else:
            _highlighters.discard(highlighter)


def word_at(edit: QPlainTextEdit, cursor: QTextCursor) -> tuple[int, int, str] | None:
    """The word under a cursor as the speller reads it: (start, end) in the document, the word."""
    block = cursor.block()
    offset = cursor.position() - block.position()
    for at, word in spelling.words(block.text()):
        if at <= offset <= at + len(word):
            start = block.position() + at
            return start, start + len(word), word
    return None


def add_spelling_actions(edit: QPlainTextEdit, menu: QMenu, cursor: QTextCursor) -> list[str]:
    """Put the corrections of the word under the cursor, and "Add to Dictionary", atop a menu."""
    found = word_at(edit, cursor)
    if found is None:
        return []
    start, end, word = found
    return _offer(menu, word, lambda text: _replace(edit, start, end, text))


def _offer(menu: QMenu, word: str, replace: Callable[[str], None]) -> list[str]:
    """The corrections of an unknown word and "Add to Dictionary", atop a menu; none if known."""
    checker = speller()
    if not checker.loaded or checker.known(word):
        return []
    standard = menu.actions()
    offered = checker.suggestions(word)
    added: list[QAction] = []
    for suggestion in offered:
        action = QAction(suggestion, menu)
        action.triggered.connect(lambda _=False, s=suggestion: replace(s))
        added.append(action)
    if not offered:
        none = QAction("No suggestions", menu)
        none.setEnabled(False)
        added.append(none)
    add = QAction(f"Add “{word}” to Dictionary", menu)
    add.triggered.connect(lambda: _add(word))
    added.append(add)
    if standard:
        menu.insertActions(standard[0], added)
        menu.insertSeparator(standard[0])
    else:
        menu.addActions(added)
    return offered


def _replace(edit: QPlainTextEdit, start: int, end: int, text: str) -> None:
    cursor = edit.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(text)  # an edit as if typed: the form pushes it to the undo stack
    edit.setTextCursor(cursor)


def _add(word: str) -> None:
    speller().add(word)
    rehighlight_all()


class SpellLineEdit(QLineEdit):
    """A one-line field that underlines the words the speller does not know, as typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.misspelled: list[tuple[int, str]] = []  # (position, word), as underlined
        self._waiting = False
        self.textChanged.connect(lambda _text: self.rehighlight())
        _highlighters.add(self)

    def rehighlight(self) -> None:
        checker = speller()
        if not checker.loaded:
            if not self._waiting:  # checked again once the dictionaries are in
                self._waiting = True
                QTimer.singleShot(250, self._when_loaded)
            return
        found = checker.misspelled(self.text())
        if found != self.misspelled:
            self.misspelled = found
            self.update()

    def _when_loaded(self) -> None:
        if not isValid(self):
            return
        self._waiting = False
        self.rehighlight()

    def _x_at(self, position: int) -> float:
        """Where a character of the text begins on screen, the field's scrolling included."""
        # QLineEdit tells only where its cursor is (cursorRect, 5 px left of the caret);
        # the other positions are measured from there with the field's font.
        metrics = self.fontMetrics()
        text = self.displayText()
        caret = self.cursorRect().x() + 5
        return (
            caret
            - metrics.horizontalAdvance(text[: self.cursorPosition()])
            + metrics.horizontalAdvance(text[:position])
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.misspelled or self.echoMode() != QLineEdit.EchoMode.Normal:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(SQUIGGLE, 1))
        painter.setClipRect(self.contentsRect())
        baseline = self.cursorRect().top() + self.fontMetrics().ascent() + 2
        for at, word in self.misspelled:
            start, end = self._x_at(at), self._x_at(at + len(word))
            path = QPainterPath(QPointF(start, baseline))
            x, up = start, True
            while x < end:  # the squiggle: 2 px up and down
                x = min(x + 2, end)
                path.lineTo(QPointF(x, baseline - (1.5 if up else 0)))
                up = not up
            painter.drawPath(path)
        painter.end()

    def word_at(self, position: int) -> tuple[int, str] | None:
        """The word at a character position of the text, as the speller reads it."""
        for at, word in spelling.words(self.text()):
            if at <= position <= at + len(word):
                return at, word
        return None

    def add_spelling_actions(self, menu: QMenu, position: int) -> list[str]:
        """The corrections of the word at a position, and "Add to Dictionary", atop a menu."""
        found = self.word_at(position)
        if found is None:
            return []
        at, word = found

        def replace(text: str) -> None:
            # As if typed: textEdited reaches the form, which pushes it to the undo stack.
            self.setSelection(at, len(word))
            self.insert(text)

        return _offer(menu, word, replace)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu()
        self.add_spelling_actions(menu, self.cursorPositionAt(event.pos()))
        menu.exec(event.globalPos())
        menu.deleteLater()
