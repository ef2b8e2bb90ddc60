"""What shows a new user the way: the empty outline's next step, the toolbar, the outline's menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QPushButton, QToolBar, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from planstudio.ui.main_window import MainWindow


class EmptyOutlineGuide(QWidget):
    """Shown in place of an empty outline: what to add first, in the plan's own words."""

    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("The outline is empty")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton()
        self.button.clicked.connect(self.add_requested)
        self.shortcut = QLabel()
        self.shortcut.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.shortcut.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.shortcut)
        layout.addStretch(2)

    def set_level(self, level: str, plan_title: str, shortcut: QKeySequence) -> None:
        """Word the guide for a plan whose first level is called `level`."""
        self.message.setText(
            f"{plan_title or 'This plan'} has no {level} yet. "
            f"Each {level} holds the rest of the plan beneath it."
        )
        self.button.setText(f"Add the first {level}")
        self.button.setAccessibleName(f"Add the first {level}")
        keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
        self.shortcut.setText(f"or press {keys}" if keys else "")
        self.button.setAccessibleDescription(self.shortcut.text())


def build_toolbar(window: MainWindow) -> QToolBar:
    """The common commands, with text: a first-time user reads them rather than guess icons."""
    bar = QToolBar("Toolbar", window)
    bar.setObjectName("MainToolbar")
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    bar.setMovable(False)
    bar.addActions([window.new_action, window.open_action, window.save_action])
    bar.addSeparator()
    bar.addActions([window.undo_action, window.redo_action])
    bar.addSeparator()
    # The toolbar's "add beneath" is its own button, hidden where nothing can go beneath (no row
    # selected, or the fourth level), so the toolbar never shows the same command twice.
    bar.addAction(window.add_sibling_action)
    window.toolbar_child_action = bar.addAction("Add Beneath", window.add_child)
    window.toolbar_child_action.setObjectName("Add Beneath (toolbar)")
    bar.addSeparator()
    bar.addActions([window.export_action, window.check_action])
    bar.setAccessibleName("Toolbar")
    return bar


def outline_menu(window: MainWindow, position: QPoint) -> QMenu:
    """The outline's right-click menu for the row under the pointer (the plan, on empty space)."""
    tree = window.tree
    index = tree.indexAt(position)
    if index.isValid():
        tree.setCurrentIndex(index)
    else:
        tree.setCurrentIndex(tree.rootIndex())
    window.update_level_words()
    menu = QMenu(tree)
    menu.addActions([window.add_sibling_action, window.add_child_action])
    menu.addSeparator()
    if index.isValid():
        menu.addActions([window.rename_action, window.delete_action])
        menu.addSeparator()
        menu.addActions([window.move_up_action, window.move_down_action])
        menu.addSeparator()
        menu.addActions([window.cut_action, window.copy_action])
    menu.addAction(window.paste_action)
    menu.addSeparator()
    if index.isValid() and tree.model().hasChildren(index):
        expand = menu.addAction("Expand Everything Below")
        expand.triggered.connect(lambda: tree.expandRecursively(index))
    menu.addActions([window.expand_action, window.collapse_action])
    return menu
