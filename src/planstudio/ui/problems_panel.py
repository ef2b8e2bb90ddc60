"""The Problems dock: what the chosen layout requires and the plan lacks, kept current.

The main window hands every edit's Change to `on_change`; the panel collects
them and checks again a moment after the last one (a QTimer), so that typing
on a 4,000-step plan never waits for the check.  Activating a row (double-click
or Enter) emits `navigate(kind, id, field)`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planstudio.model import Change
from planstudio.model.checks import Checker, Finding, layout_of
from planstudio.model.formatting import plain_number, plural
from planstudio.model.vocabulary import LAYOUTS
from planstudio.ui.editing import Changes, PlanEditing

DELAY_MS = 250  # after the last edit: long enough to let a typist finish a word
MAX_ROWS = 2000  # a plan with more problems than this shows the first ones and says so
OWN_LAYOUT = ""


def problems_text(count: int) -> str:
    """ "No problems", "1 problem", "1,200 problems": a count of none is said in words."""
    if count == 0:
        return "No problems"
    return plural(count, "problem")


class ProblemsPanel(QDockWidget):
    navigate = Signal(str, str, str)  # kind, id, field
    count_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Problems", parent)
        self.setObjectName("ProblemsPanel")
        self.editing: PlanEditing | None = None
        self.checker: Checker | None = None
        self._pending: list[Change] = []
        self._full = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self.refresh)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(QLabel("Check against"))
        self.layout_box = QComboBox()
        self.layout_box.setAccessibleName("Layout to check against")
        self.layout_box.addItem("The plan's own layout", OWN_LAYOUT)
        for key, name in LAYOUTS.items():
            self.layout_box.addItem(name, key)
        self.layout_box.currentIndexChanged.connect(lambda _i: self.recheck())
        top.addWidget(self.layout_box, 1)
        layout.addLayout(top)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setAccessibleName("Problems")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._activated)
        layout.addWidget(self.list)
        self.setWidget(body)

    # ------------------------------------------------------------------ state

    @property
    def layout_name(self) -> str:
        """The layout checked against: the one chosen, or the plan's own."""
        chosen = self.layout_box.currentData()
        if chosen:
            return str(chosen)
        return layout_of(self.editing.plan) if self.editing is not None else "strategic-plan"

    def set_layout(self, layout: str | None) -> None:
        """Check against a layout (None or "": the plan's own)."""
        index = self.layout_box.findData(layout or OWN_LAYOUT)
        self.layout_box.setCurrentIndex(max(index, 0))
        self.refresh()

    @property
    def findings(self) -> list[Finding]:
        self.flush()
        return self.checker.findings if self.checker is not None else []

    @property
    def count(self) -> int:
        return self.checker.count if self.checker is not None else 0

    # ------------------------------------------------------------------ from the window

    def set_editing(self, editing: PlanEditing | None) -> None:
        """A plan was opened (checked a moment later, so that it opens no slower) or closed."""
        self.editing = editing
        self.checker = None
        self._pending.clear()
        self._full = True
        if editing is None:
            self.refresh()
        else:
            self.timer.start()

    def on_reset(self) -> None:
        self.recheck()

    def on_changes(self, changes: Changes) -> None:
        """Note what a step changed; the check runs a moment after the last step (typing)."""
        if self.editing is None:
            return
        self._pending.extend(changes.items)
        self.timer.start()

    def recheck(self) -> None:
        """Check everything again now (a new plan, another layout, a revert)."""
        self._pending.clear()
        self._full = True
        self.refresh()

    def flush(self) -> None:
        """Check now what the edits since the last check changed, if anything waits."""
        if self._pending or self._full:
            self.refresh()

    def refresh(self) -> None:
        self.timer.stop()
        editing = self.editing
        if editing is None:
            self.checker = None
            self._pending.clear()
            self._full = False
            self._show([])
            return
        layout = self.layout_name
        checker = self.checker
        stale = checker is None or checker.plan is not editing.plan or checker.layout != layout
        pending, self._pending = self._pending, []
        if stale or self._full:
            self.checker = checker = Checker(editing.plan, layout)
            findings = checker.run()
        else:
            assert checker is not None
            findings = checker.findings
            for change in pending:
                findings = checker.update(change)
        self._full = False
        self._show(findings)

    # ------------------------------------------------------------------ showing

    def _show(self, findings: list[Finding]) -> None:
        self.list.setUpdatesEnabled(False)
        self.list.clear()
        for finding in findings[:MAX_ROWS]:
            item = QListWidgetItem(f"{finding.place}\n{finding.message}")
            item.setData(Qt.ItemDataRole.UserRole, (finding.kind, finding.item_id, finding.field))
            item.setToolTip(finding.rule)
            self.list.addItem(item)
        self.list.setUpdatesEnabled(True)
        count = len(findings)
        shown = f" (the first {plain_number(MAX_ROWS)} are listed)" if count > MAX_ROWS else ""
        layout = LAYOUTS.get(self.layout_name, self.layout_name) if self.editing else ""
        self.summary.setText(f"{problems_text(count)} for {layout}{shown}" if layout else "")
        self.setWindowTitle(f"Problems ({plain_number(count)})" if count else "Problems")
        self.count_changed.emit(count)

    def _activated(self, item: QListWidgetItem) -> None:
        kind, item_id, field = item.data(Qt.ItemDataRole.UserRole)
        self.navigate.emit(kind, item_id, field)

    def activate_row(self, row: int) -> None:
        item = self.list.item(row)
        if item is not None:
            self.list.setCurrentItem(item)
            self._activated(item)
