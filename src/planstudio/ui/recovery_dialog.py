"""After a crash: offer the edits the last Plan Studio did not get to save."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planstudio.model.recovery import RecoverableSession


class RecoveryDialog(QDialog):
    """Recover chosen sessions, discard the rest, or decide later (keep them for next time)."""

    def __init__(self, sessions: list[RecoverableSession], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recover unsaved changes")
        self.sessions = sessions
        self.to_recover: list[RecoverableSession] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "Plan Studio stopped before these plans were saved. Their changes were kept.\n"
            "Choose the ones to recover; you can then save them."
        ))  # fmt: skip
        self.choices = QListWidget()
        self.choices.setAccessibleName("Plans with unsaved changes")
        for session in sessions:
            where = str(session.original_path) if session.original_path else "never saved"
            when = f", last change {session.last_edit}" if session.last_edit else ""
            item = QListWidgetItem(
                f"{session.title} ({where}): {session.unsaved_edits} unsaved change(s){when}"
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.choices.addItem(item)
        layout.addWidget(self.choices)
        buttons = QDialogButtonBox()
        self.recover_button = buttons.addButton("Recover", QDialogButtonBox.ButtonRole.AcceptRole)
        self.discard_button = buttons.addButton(
            "Discard Unchecked", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.later_button = buttons.addButton("Later", QDialogButtonBox.ButtonRole.RejectRole)
        self.recover_button.clicked.connect(self._recover)
        self.discard_button.clicked.connect(self._discard_unchecked)
        self.later_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def _checked(self) -> list[RecoverableSession]:
        return [
            session
            for row, session in enumerate(self.sessions)
            if self.choices.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _recover(self) -> None:
        self.to_recover = self._checked()
        self._discard_unchecked(close=False)
        self.accept()

    def _discard_unchecked(self, close: bool = True) -> None:
        chosen = self._checked()
        for session in self.sessions:
            if session not in chosen:
                session.discard()
        if close:
            self.to_recover = chosen
            self.accept()
