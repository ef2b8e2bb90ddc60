"""Spelling as the user types: unknown words underlined; corrections and "Add to Dictionary"."""

from __future__ import annotations

import weakref
from functools import cache

from PySide6.QtCore import QTimer
from PySide6.QtGui import (
    QAction,
    QColor,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit
from shiboken6 import isValid

from planstudio.model.spelling import Speller, words

_highlighters: weakref.WeakSet[SpellHighlighter] = weakref.WeakSet()


@cache
def speller() -> Speller:
    """The one speller of the program: the user's dictionary is shared by every field."""
    return Speller()


LOAD_DELAY_MS = 1500


def load_soon() -> None:
    """Read the dictionaries a moment after a plan is shown, once (a fifth of a second).

    Not at start-up, which it would slow, nor in a thread: decoding the word list holds
    Python's lock, so a thread would slow every selection made meanwhile instead of one.
    """
    if not speller().loaded:
        QTimer.singleShot(LOAD_DELAY_MS, speller().load)


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines, with the platform's spelling squiggle, each word the speller does not know."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.unknown_format = QTextCharFormat()
        self.unknown_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self.unknown_format.setUnderlineColor(QColor("#d11"))
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
    for at, word in words(block.text()):
        if at <= offset <= at + len(word):
            start = block.position() + at
            return start, start + len(word), word
    return None


def add_spelling_actions(edit: QPlainTextEdit, menu: QMenu, cursor: QTextCursor) -> list[str]:
    """Put the corrections of the word under the cursor, and "Add to Dictionary", atop a menu."""
    checker = speller()
    found = word_at(edit, cursor)
    if found is None or not checker.loaded or checker.known(found[2]):
        return []
    start, end, word = found
    standard = menu.actions()
    offered = checker.suggestions(word)
    added: list[QAction] = []
    for suggestion in offered:
        action = QAction(suggestion, menu)
        action.triggered.connect(lambda _=False, s=suggestion: _replace(edit, start, end, s))
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
