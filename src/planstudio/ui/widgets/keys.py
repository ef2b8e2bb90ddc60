"""Reading key events: one of several standard keys, a key with its modifiers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence


def key_matches(event: QKeyEvent, *keys: QKeySequence.StandardKey) -> bool:
    return any(event.matches(key) for key in keys)


def combination(event: QKeyEvent) -> tuple[int, Qt.KeyboardModifier]:
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key(), modifiers


NO_MODIFIER = Qt.KeyboardModifier.NoModifier
ALT = Qt.KeyboardModifier.AltModifier
