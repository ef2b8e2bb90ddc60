"""Event filters of the editor: Ctrl+Z undoes the plan, the wheel leaves unfocused fields alone."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

from planstudio.ui.widgets.keys import key_matches


class UndoTarget(Protocol):
    """Whatever undoes the plan: the editor pane (a QObject, so that it owns the filter)."""

    def undo_or_redo(self, *, redo: bool) -> None: ...


class UndoRouter(QObject):
    """Ctrl+Z in a text field undoes the plan, not the widget's private history.

    The text widgets keep no undo history of their own (every keystroke is
    already on the plan's undo stack); their claim on the undo keys is refused,
    so the window's Undo action gets them, or, without one, the pane undoes.
    """

    def __init__(self, pane: UndoTarget, parent: QObject) -> None:
        super().__init__(parent)
        self._pane = pane

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        undo = key_matches(event, QKeySequence.StandardKey.Undo)
        redo = key_matches(event, QKeySequence.StandardKey.Redo)
        if not (undo or redo):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.ignore()
            return True
        self._pane.undo_or_redo(redo=redo)
        return True


class WheelGuard(QObject):
    """A combo box under the mouse while the pane scrolls keeps its value."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        wheel = event.type() == QEvent.Type.Wheel
        if wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()
            return True
        return False
