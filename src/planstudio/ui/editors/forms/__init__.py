"""The forms of the editor pane, one module per level of the plan; `FORMS` finds one by kind."""

from __future__ import annotations

from planstudio.ui.editors.forms.action_step import ActionStepForm
from planstudio.ui.editors.forms.base import Form
from planstudio.ui.editors.forms.goal_area import GoalAreaForm
from planstudio.ui.editors.forms.objective import ObjectiveForm
from planstudio.ui.editors.forms.plan import PlanForm
from planstudio.ui.editors.forms.strategy import StrategyForm

FORMS: dict[str, type[Form]] = {
    form.kind: form
    for form in (PlanForm, GoalAreaForm, ObjectiveForm, StrategyForm, ActionStepForm)
}
