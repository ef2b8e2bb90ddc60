"""Names and descriptions for screen readers, given to every control a person can tab to.

A control that was given its own name or description keeps it; the rest are named from
their text and described as what they are and whose they are ("Check box “K” in
Grades, of the Overarching Need"), in the plan's own level names. Descriptions made
here are marked, so that they follow the level names when another plan is shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTabBar,
    QTableView,
    QTextEdit,
    QWidget,
)

MADE_HERE = "planstudio_described"  # a dynamic property on the controls described here

# What a control is, said before its name: the first class in this list it is one of.
_WHAT: list[tuple[type[QWidget], str]] = [
    (QCheckBox, "Check box"),
    (QRadioButton, "Option"),
    (QAbstractButton, "Button"),
    (QComboBox, "Choice list"),
    (QLineEdit, "Text field"),
    (QPlainTextEdit, "Text box"),
    (QTextEdit, "Text box"),
    (QAbstractSpinBox, "Number field"),
    (QTableView, "Table"),
    (QAbstractItemView, "List"),
    (QTabBar, "Tabs"),
    (QLabel, "Text"),
]


def _what(widget: QWidget) -> str:
    for cls, word in _WHAT:
        if isinstance(widget, cls):
            return word
    return "Control"


def _own_text(widget: QWidget) -> str:
    """What a control shows of itself: a button's or box's text, a field's placeholder."""
    text = ""
    if isinstance(widget, QAbstractButton):
        text = widget.text() or widget.toolTip()
    elif isinstance(widget, QLineEdit):
        text = widget.placeholderText()
    elif isinstance(widget, QComboBox):
        text = widget.currentText()
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _group_of(widget: QWidget, root: QWidget) -> str:
    """The name of the nearest named container between a control and the root, if any."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        name = parent.accessibleName()
        if name and name != widget.accessibleName():
            return name
        parent = parent.parentWidget()
    return ""


def focusable(root: QWidget) -> list[QWidget]:
    """The controls of `root` that Tab can reach (shown or not, enabled or not)."""
    return [
        child
        for child in root.findChildren(QWidget)
        if child.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]


def describe_controls(root: QWidget, owner: str) -> None:
    """Name each unnamed control of `root` from its text, and describe each undescribed one.

    `owner` is whose controls they are, as a screen reader should say it: "the Key Lever",
    "the funding summary".
    """
    for widget in focusable(root):
        name = widget.accessibleName()
        if not name:
            name = _own_text(widget) or _group_of(widget, root) or _what(widget)
            widget.setAccessibleName(name)
        if widget.accessibleDescription() and not widget.property(MADE_HERE):
            continue  # described where it was made, in its own words
        group = _group_of(widget, root)
        within = f" in {group}," if group else ""
        description = f"{_what(widget)} “{name}”{within} of {owner}"
        if widget.accessibleDescription() != description:
            widget.setAccessibleDescription(description)
            widget.setProperty(MADE_HERE, True)
