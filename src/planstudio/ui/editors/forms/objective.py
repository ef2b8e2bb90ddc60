"""The objective form: its statement, links to its measures, and the embedded measure editor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planstudio.ui.deferred import deferred
from planstudio.ui.editors.forms.base import Form
from planstudio.ui.measure_editor import MeasureEditor

if TYPE_CHECKING:
    from planstudio.model import edits, entities
else:
    edits = deferred("planstudio.model.edits")
    entities = deferred("planstudio.model.entities")


class ObjectiveForm(Form):
    kind = "objective"

    def build(self) -> None:
        self.text(self.body, "objective", "statement", "Statement")
        self.measures = self.links(self.body, "measures", "Measures", "No measures yet.")
        _, layout = self.group("Measures and targets")
        self.measure_editor = MeasureEditor()
        self.measure_editor.setAccessibleName("Measures and targets")
        layout.addRow(self.measure_editor)
        self._focus_chain.append(self.measure_editor)
        self.widgets["measure_editor"] = self.measure_editor

    def ancestors(self, item: Any) -> list[tuple[str, entities.Item]]:
        area = self.pane.get(entities.GoalArea, item.goal_area_id)
        return [("goal_area", area)] if area is not None else []

    def fill_extra(self, item: Any) -> None:
        entries = []
        for measure in item.measures:
            group = measure.student_group or "All students"
            entries.append(("measure", measure.id, measure.name or "(unnamed)", f"  ({group})"))
        self.measures.set_entries(entries)
        self.measure_editor.set_objective(self.pane.editing, item.id)

    def refresh_related(self, change: edits.Change) -> None:
        if change.kind == "measure" and self.item_id in (
            change.parent_id,
            change.previous_parent_id,
        ):
            item = self.item()
            if item is not None:
                self.fill_extra(item)
        elif change.kind in ("target", "actual") and change.parent_id in {
            measure.id for measure in getattr(self.item(), "measures", ())
        }:
            self.measure_editor.refresh()
