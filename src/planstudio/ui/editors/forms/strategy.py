"""The strategy form: its text, its evidence level and citation, its phases by school year."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel

from planstudio.model import vocabulary
from planstudio.ui.deferred import deferred
from planstudio.ui.editors.forms.base import Form
from planstudio.ui.widgets.choices import PhaseRow
from planstudio.ui.widgets.values import options

if TYPE_CHECKING:
    from planstudio.model import edits, entities
else:
    edits = deferred("planstudio.model.edits")
    entities = deferred("planstudio.model.entities")


class StrategyForm(Form):
    kind = "strategy"

    def build(self) -> None:
        self.text(self.body, "strategy", "text", "Text")
        self.combo(
            self.body, "strategy", "evidence_level", "Evidence level",
            options(vocabulary.EVIDENCE_LEVELS),
        )  # fmt: skip
        self.text(self.body, "strategy", "evidence_citation", "Evidence citation", 2)
        self.phases = PhaseRow(self.pane.wheel_guard)
        self.phases.edited.connect(self._phase_edited)
        label = QLabel("Implementation phases")
        self.body.addRow(label, self.phases)
        self.phases.setAccessibleName("Implementation phases")
        self._focus_chain.append(self.phases)
        self.widgets["phases"] = self.phases
        self._phase_label = label

    def ancestors(self, item: Any) -> list[tuple[str, entities.Item]]:
        objective = self.pane.get(entities.Objective, item.objective_id)
        if objective is None:
            return []
        area = self.pane.get(entities.GoalArea, objective.goal_area_id)
        found: list[tuple[str, entities.Item]] = [("goal_area", area)] if area is not None else []
        return [*found, ("objective", objective)]

    def fill_extra(self, item: Any) -> None:
        plan = self.pane.plan
        phases: dict[str, str] = {}
        for phase in item.phases:
            phases.setdefault(phase.year, phase.phase)
        years = vocabulary.school_years(plan.first_year, plan.last_year) if plan else []
        shown = sorted(set(years) | set(phases))
        if self.phases.set_phases(shown, phases):
            self.apply_tab_order()
            if shown:
                self._phase_label.setBuddy(self.phases.combos[shown[0]])

    def _phase_edited(self, year: str, code: str | None) -> None:
        strategy = self.item()
        if strategy is None or self.filling:
            return
        existing = next((phase for phase in strategy.phases if phase.year == year), None)
        operation: edits.EditOp
        if existing is not None and code is None:
            operation = edits.DeleteItem("phase", existing.id)
        elif existing is not None:
            operation = edits.UpdateItem("phase", existing.id, {"phase": code})
        elif code is None:
            return
        else:
            index = sum(1 for phase in strategy.phases if phase.year < year)
            operation = edits.AddItem("phase", strategy.id, {"year": year, "phase": code}, index)
        self.pane.push(operation, text=f"Set Implementation Phase for {year}")
        item = self.item()
        if item is not None:
            self.fill_extra(item)

    def refresh_related(self, change: edits.Change) -> None:
        phase_change = change.kind == "phase" and self.item_id in (
            change.parent_id,
            change.previous_parent_id,
        )
        years_change = change.kind == "plan" and (
            not change.fields or {"first_year", "last_year"} & change.fields
        )
        if phase_change or years_change:
            item = self.item()
            if item is not None:
                self.fill_extra(item)
