"""Plan ▸ Funding Summary: for each funding source what it has, what the steps spend, and where.

`model.reading.funding_summary` works the numbers out (one SQL statement over
the funding links, the same sums as the exports' appendix and
`queries.funding_totals`); the dialog shows them, and clicking a number lists
the action steps behind it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planstudio.model import reading
from planstudio.model.edits import Change
from planstudio.model.formatting import money_or_blank, plural
from planstudio.model.kinds import TREE_KINDS
from planstudio.model.queries import StepUse
from planstudio.ui.editing import Changes, PlanEditing

STEP_ROLE = Qt.ItemDataRole.UserRole


class FundingSummaryDialog(QDialog):
    """The table of sources; a click on a number lists its steps; double-click one to go there."""

    navigate = Signal(str, str)  # kind, id

    FIXED = ("Funding Source", "Allocation", "Assigned", "Balance", "Action Steps")

    def __init__(self, editing: PlanEditing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Funding Summary")
        self.resize(900, 560)
        self.editing = editing
        self.table = QTableWidget()
        self.table.setAccessibleName("Funding by source")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.currentCellChanged.connect(lambda row, column, *_: self.show_steps(row, column))
        self.steps_label = QLabel("Click a number to list the action steps behind it.")
        self.steps = QListWidget()
        self.steps.setAccessibleName("Action steps behind the number")
        self.steps.itemActivated.connect(self._step_chosen)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.steps_label)
        lower_layout.addWidget(self.steps)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(buttons)
        self.sources: list[reading.SourceSummary] = []
        self.total: reading.SourceSummary | None = None
        self.areas: list[Any] = []
        self.refresh()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def on_changes(self, changes: Changes) -> None:
        """Work the table out again, once, when a step can change a number or a heading."""
        if any(self._concerns(change) for change in changes.items):
            self.refresh()

    @staticmethod
    def _concerns(change: Change) -> bool:
        funding = change.kind in ("funding_link", "funding_source") or bool(change.touched)
        tree = change.kind in TREE_KINDS and (
            change.action != "updated" or change.kind == "goal_area"
        )
        return funding or tree

    def refresh(self) -> None:
        plan = self.editing.plan
        self.sources, self.total = reading.funding_summary(self.editing.document)
        self.areas = list(plan.goal_areas)
        area_headers = [f"{n}. {area.title}" for n, area in enumerate(self.areas, start=1)]
        rows = [*self.sources, self.total]
        self.table.clear()
        self.table.setColumnCount(len(self.FIXED) + len(self.areas))
        self.table.setHorizontalHeaderLabels([*self.FIXED, *area_headers])
        self.table.setRowCount(len(rows))
        for row, summary in enumerate(rows):
            values = [
                summary.name,
                money_or_blank(summary.allocation),
                money_or_blank(summary.assigned),
                money_or_blank(summary.balance),
                str(summary.step_count),
                *(money_or_blank(summary.by_area.get(area.id)) for area in self.areas),
            ]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if column:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if summary.balance is not None and summary.balance < 0 and column == 3:
                    cell.setToolTip("More is assigned than the allocation.")
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()

    def step_ids(self, row: int, column: int) -> list[str]:
        """The action steps behind a cell: the source's (or every) step, or one goal area's."""
        rows = [*self.sources, self.total]
        if not 0 <= row < len(rows) or rows[row] is None:
            return []
        summary = rows[row]
        assert summary is not None
        if column in (2, 4):
            return list(summary.steps)
        area_column = column - len(self.FIXED)
        if 0 <= area_column < len(self.areas):
            return list(summary.steps_by_area.get(self.areas[area_column].id, set()))
        return []

    def show_steps(self, row: int, column: int) -> list[StepUse]:
        self.steps.clear()
        uses = reading.step_uses(self.editing.document, self.step_ids(row, column))
        for use in uses:
            item = QListWidgetItem(use.label())
            item.setData(STEP_ROLE, use.step_id)
            self.steps.addItem(item)
        if uses:
            said = plural(len(uses), "action step")
            self.steps_label.setText(f"{said}; double-click one to go to it.")
        else:
            self.steps_label.setText("Click a number to list the action steps behind it.")
        return uses

    def _step_chosen(self, item: QListWidgetItem) -> None:
        self.navigate.emit("action_step", item.data(STEP_ROLE))
