"""Plan ▸ Funding Summary: for each funding source what it has, what the steps spend, and where.

`funding_summary` works the numbers out (no Qt: one SQL statement over the
funding links, the same sums as the exports' appendix and `queries.funding_totals`);
the dialog shows them, and clicking a number lists the action steps behind it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
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
from sqlalchemy import select
from sqlalchemy.orm import Session

from planstudio.model.edits import Change
from planstudio.model.entities import ActionStep, FundingLink, GoalArea, Objective, Plan, Strategy
from planstudio.model.kinds import TREE_KINDS
from planstudio.model.queries import StepUse, step_uses
from planstudio.ui.session import DocumentSession

STEP_ROLE = Qt.ItemDataRole.UserRole


@dataclass
class SourceSummary:
    """One funding source: its allocation, what the steps are given, and the split by goal area."""

    source_id: str | None  # None for the total row
    name: str
    allocation: float | None
    assigned: float = 0.0
    steps: set[str] = field(default_factory=set)
    by_area: dict[str, float] = field(default_factory=dict)  # goal area id → amount
    steps_by_area: dict[str, set[str]] = field(default_factory=dict)

    @property
    def balance(self) -> float | None:
        return None if self.allocation is None else round(self.allocation - self.assigned, 2)

    @property
    def step_count(self) -> int:
        return len(self.steps)


def funding_summary(session: Session, plan: Plan) -> tuple[list[SourceSummary], SourceSummary]:
    """Every source in catalog order, and the total row (its allocation None if one is unknown).

    Amounts are summed as the exports' appendix sums them: a link without an amount counts 0,
    money is rounded to the cent, and a step is counted once however many years it is funded.
    """
    rows = session.execute(
        select(FundingLink.funding_source_id, FundingLink.action_step_id, FundingLink.amount,
               GoalArea.id)
        .join(ActionStep, FundingLink.action_step_id == ActionStep.id)
        .join(Strategy, ActionStep.strategy_id == Strategy.id)
        .join(Objective, Strategy.objective_id == Objective.id)
        .join(GoalArea, Objective.goal_area_id == GoalArea.id)
    )  # fmt: skip
    sums: dict[str, float] = defaultdict(float)
    steps: dict[str, set[str]] = defaultdict(set)
    area_sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    area_steps: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for source_id, step_id, amount, area_id in rows:
        sums[source_id] += amount or 0.0
        steps[source_id].add(step_id)
        area_sums[source_id][area_id] += amount or 0.0
        area_steps[source_id][area_id].add(step_id)
    sources: list[SourceSummary] = []
    for source in plan.funding_sources:
        sources.append(
            SourceSummary(
                source.id,
                source.name,
                source.allocation,
                round(sums.get(source.id, 0.0), 2),
                set(steps.get(source.id, set())),
                {area: round(value, 2) for area, value in area_sums[source.id].items()},
                {area: set(ids) for area, ids in area_steps[source.id].items()},
            )
        )
    allocations = [source.allocation for source in sources]
    total = SourceSummary(
        None,
        "Total",
        round(sum(a for a in allocations if a is not None), 2)
        if all(a is not None for a in allocations)
        else None,
        round(sum(sums.get(source.source_id or "", 0.0) for source in sources), 2),
        set().union(*(source.steps for source in sources)) if sources else set(),
    )
    for source in sources:
        for area, value in source.by_area.items():
            total.by_area[area] = round(total.by_area.get(area, 0.0) + value, 2)
            total.steps_by_area.setdefault(area, set()).update(source.steps_by_area[area])
    return sources, total


def money(value: float | None) -> str:
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    amount = abs(value)
    return f"{sign}${amount:,.2f}" if not float(amount).is_integer() else f"{sign}${int(amount):,}"


class FundingSummaryDialog(QDialog):
    """The table of sources; a click on a number lists its steps; double-click one to go there."""

    navigate = Signal(str, str)  # kind, id

    FIXED = ("Funding Source", "Allocation", "Assigned", "Balance", "Action Steps")

    def __init__(self, session: DocumentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Funding Summary")
        self.resize(900, 560)
        self.session = session
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
        self.sources: list[SourceSummary] = []
        self.total: SourceSummary | None = None
        self.areas: list[Any] = []
        self.refresh()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        session.changed.connect(self.on_change)

    def on_change(self, change: Change) -> None:
        """Work the table out again when an edit can change a number or a heading."""
        funding = change.kind in ("funding_link", "funding_source") or bool(change.touched)
        tree = change.kind in TREE_KINDS and (
            change.action != "updated" or change.kind == "goal_area"
        )
        if funding or tree:
            self.refresh()

    def refresh(self) -> None:
        plan = self.session.plan
        self.sources, self.total = funding_summary(self.session.document.session, plan)
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
                money(summary.allocation),
                money(summary.assigned),
                money(summary.balance),
                str(summary.step_count),
                *(money(summary.by_area.get(area.id)) for area in self.areas),
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
        uses = step_uses(self.session.document.session, self.step_ids(row, column))
        for use in uses:
            item = QListWidgetItem(use.label())
            item.setData(STEP_ROLE, use.step_id)
            self.steps.addItem(item)
        if uses:
            self.steps_label.setText(f"{len(uses)} action steps; double-click one to go to it.")
        else:
            self.steps_label.setText("Click a number to list the action steps behind it.")
        return uses

    def _step_chosen(self, item: QListWidgetItem) -> None:
        self.navigate.emit("action_step", item.data(STEP_ROLE))
