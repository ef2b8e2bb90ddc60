"""What a window shows before a plan is open: new, open, recent plans and the samples."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planstudio.paths import samples_dir


def _sample_title(path: Path) -> str:
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))["plan"]
    except (OSError, ValueError, KeyError, TypeError):
        return path.stem
    organization = plan.get("organization")
    return f"{plan.get('title', path.stem)} — {organization}" if organization else plan["title"]


class StartPage(QWidget):
    new_requested = Signal(object)  # a layout name, or None for a blank plan
    open_requested = Signal(str)
    sample_requested = Signal(str)
    browse_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 36, 48, 36)
        heading = QLabel("<h1>Plan Studio</h1><p>Write the district improvement plan, "
                         "keep it in one file, export what the state asks for.</p>")  # fmt: skip
        heading.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(heading)

        buttons = QGridLayout()
        choices = [
            ("New blank plan", None),
            ("New Georgia DIP", "ga-dip"),
            ("New strategic plan", "strategic-plan"),
        ]
        for column, (text, layout_name) in enumerate(choices):
            button = QPushButton(text)
            button.setAccessibleName(text)
            button.clicked.connect(lambda _c=False, name=layout_name: self.new_requested.emit(name))
            buttons.addWidget(button, 0, column)
        browse = QPushButton("Open a plan…")
        browse.setAccessibleName("Open a plan")
        browse.clicked.connect(self.browse_requested)
        buttons.addWidget(browse, 0, 3)
        layout.addLayout(buttons)

        layout.addWidget(QLabel("<b>Recent plans</b>"))
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent plans")
        self.recent.itemActivated.connect(
            lambda item: self.open_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        layout.addWidget(self.recent, 2)

        layout.addWidget(QLabel("<b>Sample plans</b> (open as a new, unsaved copy)"))
        self.samples = QListWidget()
        self.samples.setAccessibleName("Sample plans")
        for path in sorted(samples_dir().glob("*.json")):
            item = QListWidgetItem(_sample_title(path))
            item.setData(Qt.ItemDataRole.UserRole, path.name)
            self.samples.addItem(item)
        self.samples.itemActivated.connect(
            lambda item: self.sample_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        layout.addWidget(self.samples, 1)

    def refresh(self, recent: list[str]) -> None:
        self.recent.clear()
        for path in recent:
            item = QListWidgetItem(f"{Path(path).name}    {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent.addItem(item)
        if not recent:
            placeholder = QListWidgetItem("No recent plans yet")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(placeholder)
