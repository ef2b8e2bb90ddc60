"""The goal area form: title, need, root causes, goal and equity gap."""

from __future__ import annotations

from planstudio.model import vocabulary
from planstudio.ui.editors.forms.base import Form


class GoalAreaForm(Form):
    kind = "goal_area"

    def build(self) -> None:
        body = self.body
        self.line(body, "goal_area", "title", "Title")
        self.text(body, "goal_area", "description", "Description")
        self.text(body, "goal_area", "need", "Need")
        self.check(body, "goal_area", "is_equity_gap", "This area addresses an equity gap")
        self.strings(body, "goal_area", "root_causes", "Root causes", "root cause")
        self.text(body, "goal_area", "goal", "Goal")
        _, gap = self.group("Equity gap")
        self.text(gap, "goal_area", "equity_gap_description", "Description", 2)
        self.strings(gap, "goal_area", "equity_gap_content_areas", "Content areas", "content area")
        grades = [(grade, grade) for grade in vocabulary.GRADE_LEVELS]
        self.checks(gap, "goal_area", "equity_gap_grade_levels", "Grade levels", grades, 7)
        self.strings(gap, "goal_area", "equity_gap_subgroups", "Subgroups", "subgroup")
        self.strings(gap, "goal_area", "equity_gap_interventions", "Interventions", "intervention")
