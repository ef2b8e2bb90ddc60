"""The Problems dock: what the chosen layout requires and the plan lacks, kept current.

The main window hands every edit's Change to `on_change`; the panel collects
them and checks again a moment after the last one (a QTimer), so that typing
on a 4,000-step plan never waits for the check.  A whole check (a plan opened,
another layout, an edit that renumbers) runs in slices of a few milliseconds at
each turn of the event loop, so that the window never freezes; the summary
says how far it has come.  The list of a large check is filled a few hundred
rows a turn, and laid out by the view in batches, for the same reason.
Activating a row (double-click or Enter) emits `navigate(kind, id, field)`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planstudio.model.collection import collection_paused
from planstudio.model.formatting import plain_number, plural
from planstudio.model.vocabulary import LAYOUTS
from planstudio.ui import turns
from planstudio.ui.busy import run_in_slices
from planstudio.ui.deferred import deferred
from planstudio.ui.editing import Changes, PlanEditing

if TYPE_CHECKING:
    from planstudio.model import Change, checks
    from planstudio.model.checks import Checker, Finding
else:
    checks = deferred("planstudio.model.checks")

DELAY_MS = 250  # after the last edit: long enough to let a typist finish a word
MAX_ROWS = 2000  # a plan with more problems than this shows the first ones and says so
SLICE_S = turns.TURN_S  # a whole check's work per turn: what the turn's shared budget leaves
# Rows added to the list per turn of the event loop: making 2,000 rows at once held the
# window 30 ms, and the view's laying them out (wrapped text, each measured) as long again.
ROWS_A_TURN = 150
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
        self.dismissed = False  # closed by the user: it no longer opens itself
        self.toggleViewAction().triggered.connect(self._toggled_by_user)
        self.editing: PlanEditing | None = None
        self.checker: Checker | None = None
        self._pending: list[Change] = []
        self._full = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self._due)
        # A whole check under way in slices: the checker being built and its steps.
        self._building: tuple[Checker, Iterator[float]] | None = None
        self.slicer = QTimer(self)
        self.slicer.setInterval(0)
        self.slicer.timeout.connect(self._slice)
        # The rows still to be listed, and the timer that lists them a turn at a time.
        self._unlisted: list[Finding] = []
        self.filler = QTimer(self)
        self.filler.setInterval(0)
        self.filler.timeout.connect(self._list_some)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        # One row for the count and the layout, so that a small panel leaves its rows the room.
        top = QHBoxLayout()
        self.summary = QLabel()
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel("Check against"))
        self.layout_box = QComboBox()
        self.layout_box.setAccessibleName("Layout to check against")
        self.layout_box.addItem("The plan's own layout", OWN_LAYOUT)
        for key, name in LAYOUTS.items():
            self.layout_box.addItem(name, key)
        self.layout_box.currentIndexChanged.connect(lambda _i: self.recheck_soon())
        top.addWidget(self.layout_box)
        layout.addLayout(top)
        self.list = QListWidget()
        self.list.setAccessibleName("Problems")
        self.list.setWordWrap(True)
        # Laid out a batch of rows at a time, between turns, rather than all before a paint.
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(100)
        self.list.itemActivated.connect(self._activated)
        layout.addWidget(self.list)
        self.setWidget(body)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.dismissed = True
        super().closeEvent(event)

    def _toggled_by_user(self, shown: bool) -> None:
        self.dismissed = not shown

    # ------------------------------------------------------------------ state

    @property
    def layout_name(self) -> str:
        """The layout checked against: the one chosen, or the plan's own."""
        chosen = self.layout_box.currentData()
        if chosen:
            return str(chosen)
        return checks.layout_of(self.editing.plan) if self.editing is not None else "strategic-plan"

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

    @property
    def busy(self) -> bool:
        """Whether a whole check is under way (in slices)."""
        return self._building is not None

    @property
    def filling(self) -> bool:
        """Whether rows of the last check are still being added to the list."""
        return bool(self._unlisted)

    # ------------------------------------------------------------------ from the window

    def set_editing(self, editing: PlanEditing | None) -> None:
        """A plan was opened (checked a moment later, so that it opens no slower) or closed."""
        self._stop_building()
        self.editing = editing
        self._let_go(self.checker)
        self.checker = None
        self._pending.clear()
        self._full = True
        if editing is None:
            self.refresh()
        else:
            self.timer.start()

    def on_reset(self) -> None:
        self.recheck_soon()

    def on_changes(self, changes: Changes) -> None:
        """Note what a step changed; the check runs a moment after the last step (typing)."""
        if self.editing is None:
            return
        if self._building is not None:
            # The check under way read a plan that is no longer there: start again later.
            self._stop_building()
            self._full = True
        self._pending.extend(changes.items)
        self.timer.start()

    def recheck_soon(self) -> None:
        """Check everything again, in slices: the window goes on painting meanwhile."""
        self.timer.stop()
        self._pending.clear()
        self._full = True
        self._start_building()

    def _due(self) -> None:
        """The moment after the last edit: a whole check in slices, or the few checks again."""
        if self._needs_whole_check():
            self._pending.clear()
            self._full = True
            self._start_building()
        else:
            self.refresh()

    def _needs_whole_check(self) -> bool:
        if self.editing is None:
            return False
        checker = self.checker
        if self._full or checker is None or checker.plan is not self.editing.plan:
            return True
        if checker.layout != self.layout_name:
            return True
        return any(checker.needs_whole_check(change) for change in self._pending)

    def _start_building(self) -> None:
        self._stop_building()
        if self.editing is None:
            self.refresh()
            return
        checker = checks.Checker(self.editing.plan, self.layout_name)
        self._building = (checker, checker.run_in_steps())
        self.summary.setText("Checking the plan…")
        self.slicer.start()

    def _stop_building(self) -> None:
        if self._building is not None:
            self._let_go(self._building[0])
        self._building = None
        self.slicer.stop()

    @staticmethod
    def _let_go(checker: Checker | None) -> None:
        """Free a checker no longer needed in the turns to come: a whole check's facts and
        findings, freed at once, held a 10,000-step plan's window 20-40 ms."""
        if checker is not None:
            turns.in_later_turns(checker.release_in_steps())

    def _slice(self) -> None:
        if self._building is None:
            self.slicer.stop()
            return
        checker, steps = self._building
        allowed = turns.allowance(SLICE_S)
        if allowed is None:
            return  # the window's other work has spent this turn
        deadline = time.perf_counter() + allowed
        share = 0.0
        # No collection midway through a slice: it would scan the whole plan (see Checker.run).
        with collection_paused(), turns.counted():
            try:
                while True:  # at least one step a turn, however short the slice
                    share = next(steps)
                    if time.perf_counter() >= deadline:
                        break
            except StopIteration:
                self._building = None
                self.slicer.stop()
                self._let_go(self.checker)
                self.checker = checker
                self._full = False
                self._show(checker.findings)
                return
        self.summary.setText(f"Checking the plan… {int(share * 100)}%")

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
        """Check now, at once: what waits, or everything when that is due."""
        self.timer.stop()
        self._stop_building()
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
            self._let_go(checker)
            self.checker = checker = checks.Checker(editing.plan, layout)
            findings = checker.run()
        else:
            assert checker is not None
            findings = checker.findings
            for change in pending:
                findings = checker.update(change)
        self._full = False
        self._show(findings)

    def count_for(self, layout: str) -> int:
        """How many problems `layout` finds now, without freezing the window: the panel's
        own count when it is current for that layout, else a check run in slices."""
        if self.editing is None:
            return 0
        checker = self.checker
        current = (
            checker is not None and checker.plan is self.editing.plan and not self._full
            and not self._pending and self._building is None and checker.layout == layout
        )  # fmt: skip
        if current and checker is not None:
            return checker.count
        other = checks.Checker(self.editing.plan, layout)
        try:
            run_in_slices(self.window(), "Checking the plan…", other.run_in_steps())
            return other.count
        finally:
            self._let_go(other)

    # ------------------------------------------------------------------ showing

    def _show(self, findings: list[Finding]) -> None:
        self.list.clear()
        self._unlisted = findings[:MAX_ROWS]
        self._unlisted.reverse()  # listed from the end of this copy: each pop is cheap
        self._list_some()
        count = len(findings)
        shown = f" (the first {plain_number(MAX_ROWS)} are listed)" if count > MAX_ROWS else ""
        layout = LAYOUTS.get(self.layout_name, self.layout_name) if self.editing else ""
        self.summary.setText(f"{problems_text(count)} for {layout}{shown}" if layout else "")
        self.setWindowTitle(f"Problems ({plain_number(count)})" if count else "Problems")
        self.count_changed.emit(count)

    def _list_some(self) -> None:
        """Add the next rows to the list; the filler timer adds the rest, a turn at a time."""
        unlisted = self._unlisted
        if self.filler.isActive() and turns.allowance(0.0) is None:
            return  # the window's other work has spent this turn
        with turns.counted():
            self._list_rows(unlisted)
        if unlisted:
            self.filler.start()
        else:
            self.filler.stop()

    def _list_rows(self, unlisted: list[Finding]) -> None:
        self.list.setUpdatesEnabled(False)
        for _ in range(min(ROWS_A_TURN, len(unlisted))):
            finding = unlisted.pop()
            item = QListWidgetItem(f"{finding.place}\n{finding.message}")
            item.setData(Qt.ItemDataRole.UserRole, (finding.kind, finding.item_id, finding.field))
            item.setToolTip(finding.rule)
            self.list.addItem(item)
        self.list.setUpdatesEnabled(True)

    def _activated(self, item: QListWidgetItem) -> None:
        kind, item_id, field = item.data(Qt.ItemDataRole.UserRole)
        self.navigate.emit(kind, item_id, field)

    def activate_row(self, row: int) -> None:
        item = self.list.item(row)
        if item is not None:
            self.list.setCurrentItem(item)
            self._activated(item)
