"""The name put on each saved version: asked once, kept in the settings, changeable later."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from planstudio.ui.deferred import deferred
from planstudio.ui.file_commands import settings

if TYPE_CHECKING:
    from planstudio.model import document as plan_document
else:
    plan_document = deferred("planstudio.model.document")

AUTHOR_KEY = "versions/author"


def stored_author() -> str | None:
    """The name the user gave, or None while they have not been asked."""
    value = settings().value(AUTHOR_KEY, None)
    return str(value).strip() or None if value is not None else None


def store_author(name: str) -> None:
    settings().setValue(AUTHOR_KEY, name.strip())


def author_name() -> str:
    """The name for the next version: the one given, else the account name."""
    return stored_author() or plan_document.default_author()


def local_time(saved_at: datetime) -> str:
    """A version's time as the user reads it: local, to the minute (stored as naive UTC)."""
    moment = saved_at if saved_at.tzinfo is not None else saved_at.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class AuthorDialog(QDialog):
    """Asks the name that every saved version of every plan will carry."""

    def __init__(self, current: str, parent: QWidget | None = None, *, first: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your Name on Saved Versions")
        layout = QVBoxLayout(self)
        why = (
            "Each save keeps a version of the plan with who saved it, so that the "
            "copies that come back can be compared and merged. "
            if first
            else ""
        )
        text = QLabel(f"{why}The name on the versions you save:")
        text.setWordWrap(True)
        layout.addWidget(text)
        self.name_edit = QLineEdit(current)
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.selectAll()
        layout.addWidget(self.name_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(
            lambda text: buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
                bool(text.strip())
            )
        )
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    @property
    def name(self) -> str:
        return self.name_edit.text().strip()
