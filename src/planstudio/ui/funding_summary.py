"""Plan ▸ Funding Summary: for each funding source what it has, what the steps spend, and where.

`model.reading.funding_summary` works the numbers out (one SQL statement over
the funding links, the same sums as the exports' appendix and
`queries.funding_totals`); the dialog shows them, and clicking a number lists
the action steps behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

from planstudio.model.formatting import money_or_blank, plural, plural_noun
from planstudio.ui.deferred import deferred
from planstudio.ui.editing import Changes, PlanEditing
from planstudio.ui.widgets.accessible import describe_controls

if TYPE_CHECKING:
    from planstudio.model import edits, kinds, queries, reading
else:
    edits = deferred("planstudio.model.edits")
    kinds = deferred("planstudio.model.kinds")
    queries = deferred("planstudio.model.queries")
    reading = deferred("planstudio.model.reading")

STEP_ROLE = Qt.ItemDataRole.UserRole


class FundingSummaryDialog(QDialog):
    """The table of sources; a click on a number lists its steps; double-click one to go there."""

    navigate = Signal(str, str)  # kind, id

    FIXED = ("Funding Source", "Allocation", "Assigned", "Balance", "Action Steps")
    TOTAL_ROW = -1  # the footer's row, as `step_ids` and `show_steps` know it

    def __init__(self, editing: PlanEditing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Funding Summary")
        self.resize(860, 520)  # within a 1366×768 laptop's screen, task bar and title included
        self.editing = editing
        self.table = QTableWidget()
        self.table.setAccessibleName("Funding by source")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.currentCellChanged.connect(lambda row, column, *_: self.show_steps(row, column))
        # The Total row stays in view below the sources, however many there are.
        self.footer = QTableWidget()
        self.footer.setAccessibleName("Total of every funding source")
        self.footer.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.footer.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.footer.horizontalHeader().hide()
        self.footer.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.footer.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.footer.currentCellChanged.connect(
            lambda _row, column, *_: self.show_steps(self.TOTAL_ROW, column)
        )
        self.table.horizontalScrollBar().valueChanged.connect(
            self.footer.horizontalScrollBar().setValue
        )
        self.table.horizontalHeader().sectionResized.connect(
            lambda column, _old, new: self.footer.setColumnWidth(column, new)
        )
        self.heads_note = QLabel()
        self.heads_note.setWordWrap(True)
        self.steps_label = QLabel("Click a number to list the action steps behind it.")
        self.steps = QListWidget()
        self.steps.setAccessibleName("Action steps behind the number")
        self.steps.itemActivated.connect(self._step_chosen)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.steps_label)
        lower_layout.addWidget(self.steps)
        self.upper = upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.setSpacing(0)
        upper_layout.addWidget(self.heads_note)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.footer)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
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
        describe_controls(self, "the funding summary")

    def on_changes(self, changes: Changes) -> None:
        """Work the table out again, once, when a step can change a number or a heading."""
        if any(self._concerns(change) for change in changes.items):
            self.refresh()

    @staticmethod
    def _concerns(change: edits.Change) -> bool:
        funding = change.kind in ("funding_link", "funding_source") or bool(change.touched)
        tree = change.kind in kinds.TREE_KINDS and (
            change.action != "updated" or change.kind == "goal_area"
        )
        return funding or tree

    def refresh(self) -> None:
        plan = self.editing.plan
        self.sources, self.total = reading.funding_summary(self.editing.document)
        self.areas = list(plan.goal_areas)
        labels = plan.labels
        # Short heads, the area's number as in the outline; its title is in the head's tooltip.
        area_headers = [f"{labels[0]} {n}" for n in range(1, len(self.areas) + 1)]
        fixed = [*self.FIXED[:4], plural_noun(labels[3])]
        self.table.clear()
        self.footer.clear()
        columns = len(self.FIXED) + len(self.areas)
        self.table.setColumnCount(columns)
        self.footer.setColumnCount(columns)
        self.table.setHorizontalHeaderLabels([*fixed, *area_headers])
        for column, area in enumerate(self.areas, start=len(self.FIXED)):
            head = self.table.horizontalHeaderItem(column)
            if head is not None:
                head.setToolTip(f"{labels[0]} {column - len(self.FIXED) + 1}: {area.title}")
        self.heads_note.setText(
            f"Each {labels[0]} column is numbered as in the outline; point at its head for its "
            "title."
            if self.areas
            else ""
        )
        self.heads_note.setVisible(bool(self.areas))
        self.table.setRowCount(len(self.sources))
        self.footer.setRowCount(1)
        self.steps_label.setText(self._steps_hint())
        for row, summary in enumerate([*self.sources, self.total]):
            target = self.table if row < len(self.sources) else self.footer
            row = row if row < len(self.sources) else 0
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
                target.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.footer.resizeColumnsToContents()
        for column in range(columns):
            width = max(self.table.columnWidth(column), self.footer.columnWidth(column))
            self.table.setColumnWidth(column, width)
            self.footer.setColumnWidth(column, width)
        self.footer.verticalHeader().hide()
        self.table.verticalHeader().hide()
        self.footer.setFixedHeight(self.footer.rowHeight(0) + 2 * self.footer.frameWidth())
        # A few sources take the height they need; the list of steps below gets the rest.
        table = self.table
        rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
        wanted = rows + table.horizontalHeader().height() + 2 * table.frameWidth() + 4
        if table.horizontalScrollBar().isVisible():
            wanted += table.horizontalScrollBar().height()
        note = self.heads_note.sizeHint().height() if self.heads_note.isVisibleTo(self) else 0
        self.upper.setMaximumHeight(max(wanted, 4 * 30) + self.footer.height() + note)

    def _steps_hint(self) -> str:
        noun = self.editing.plan.labels[3].lower()
        return f"Click a number to list the {plural_noun(noun)} behind it."

    def step_ids(self, row: int, column: int) -> list[str]:
        """The action steps behind a cell: the source's (or every) step, or one goal area's."""
        rows = [*self.sources, self.total]
        if row == self.TOTAL_ROW:
            row = len(rows) - 1
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

    def show_steps(self, row: int, column: int) -> list[queries.StepUse]:
        self.steps.clear()
        uses = reading.step_uses(self.editing.document, self.step_ids(row, column))
        for use in uses:
            item = QListWidgetItem(use.label())
            item.setData(STEP_ROLE, use.step_id)
            self.steps.addItem(item)
        if uses:
            said = plural(len(uses), self.editing.plan.labels[3].lower())
            self.steps_label.setText(f"{said}; double-click one to go to it.")
        else:
            self.steps_label.setText(self._steps_hint())
        return uses

    def _step_chosen(self, item: QListWidgetItem) -> None:
        self.navigate.emit("action_step", item.data(STEP_ROLE))
