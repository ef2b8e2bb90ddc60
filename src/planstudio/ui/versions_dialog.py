"""The Versions dialog: the plan's saved versions, newest first, and what can be done with one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planstudio.ui.author import local_time
from planstudio.ui.deferred import deferred

if TYPE_CHECKING:
    from planstudio.model import history
else:
    history = deferred("planstudio.model.history")

COLUMNS = ("Saved", "Author", "Comment")


class VersionsDialog(QDialog):
    """Lists versions; the window does the opening, comparing and restoring on its signals."""

    open_requested = Signal(str)  # version id
    compare_requested = Signal(str)
    restore_requested = Signal(str)
    author_change_requested = Signal()

    def __init__(self, versions: Sequence[history.Version], plan_name: str, author: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.versions: list[history.Version] = []
        self.setWindowTitle(f"Versions of {plan_name}")
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.list = QTreeWidget()
        self.list.setAccessibleName("Versions")
        self.list.setColumnCount(len(COLUMNS))
        self.list.setHeaderLabels(COLUMNS)
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.list.header().setStretchLastSection(True)
        self.list.setColumnWidth(0, 140)
        self.list.setColumnWidth(1, 160)
        layout.addWidget(self.list, 1)

        actions = QHBoxLayout()
        self.open_button = QPushButton("&Open Read-Only")
        self.compare_button = QPushButton("&Compare with Current")
        self.restore_button = QPushButton("&Restore")
        for button, signal in ((self.open_button, self.open_requested),
                               (self.compare_button, self.compare_requested),
                               (self.restore_button, self.restore_requested)):  # fmt: skip
            button.clicked.connect(lambda _checked=False, s=signal: self._emit_for_current(s))
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)

        who = QHBoxLayout()
        self.author_label = QLabel()
        self.set_author(author)
        change = QPushButton("Change &Name…")
        change.setObjectName("change_author")
        change.clicked.connect(self.author_change_requested)
        who.addWidget(self.author_label, 1)
        who.addWidget(change)
        layout.addLayout(who)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self.list.itemDoubleClicked.connect(lambda *_: self._emit_for_current(self.open_requested))
        self.show_versions(versions)
        self.resize(720, 440)

    def show_versions(self, versions: Sequence[history.Version]) -> None:
        """List the versions (again, after a save while the dialog is open)."""
        self.versions = list(versions)
        if self.versions:
            count = len(self.versions)
            self.intro.setText(f"{count:,} saved {'version' if count == 1 else 'versions'}, "
                               "newest first. Restoring one is an ordinary edit: Undo takes "
                               "it back.")  # fmt: skip
        else:
            self.intro.setText("No saved versions yet: every Save from now on keeps one.")
        self.list.clear()
        for version in self.versions:
            comment = version.comment or ""
            if version.merged_id:
                comment = f"{comment} (with a merged copy)".strip()
            item = QTreeWidgetItem([local_time(version.saved_at), version.author, comment])
            item.setData(0, Qt.ItemDataRole.UserRole, version.id)
            item.setToolTip(2, comment)
            self.list.addTopLevelItem(item)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self._enable()

    def set_author(self, author: str) -> None:
        self.author_label.setText(f"Your next saves are by: <b>{author}</b>")

    def current_version(self) -> history.Version | None:
        item = self.list.currentItem()
        if item is None:
            return None
        version_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((v for v in self.versions if v.id == version_id), None)

    def select_version(self, version_id: str) -> None:
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == version_id:
                self.list.setCurrentItem(item)

    def _emit_for_current(self, signal: SignalInstance) -> None:
        version = self.current_version()
        if version is not None:
            signal.emit(version.id)

    def _enable(self) -> None:
        chosen = self.current_version() is not None
        for button in (self.open_button, self.compare_button, self.restore_button):
            button.setEnabled(chosen)
