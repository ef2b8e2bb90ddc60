"""Loading the whole plan at once, for readers that visit every part of it (dump, export)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload

from planstudio.model.collection import collection_paused
from planstudio.model.entities import ActionStep, GoalArea, Measure, Objective, Plan, Strategy

__all__ = ["collection_paused", "load_everything"]

_STEP_PARTS = ("reviews", "funding", "role_links", "implementation_links", "effectiveness_links")


def load_everything(plan: Plan) -> Plan:
    """Fill every collection of the plan with one query per table instead of one per item."""
    session: Session | None = object_session(plan)
    if session is None:
        return plan
    objectives = selectinload(Plan.goal_areas).selectinload(GoalArea.objectives)
    measures = objectives.selectinload(Objective.measures)
    steps = objectives.selectinload(Objective.strategies).selectinload(Strategy.action_steps)
    with collection_paused():
        session.scalars(
            select(Plan)
            .where(Plan.id == plan.id)
            .options(
                selectinload(Plan.ga_general),
                measures.selectinload(Measure.targets),
                measures.selectinload(Measure.actuals),
                objectives.selectinload(Objective.strategies).selectinload(Strategy.phases),
                *(steps.selectinload(getattr(ActionStep, part)) for part in _STEP_PARTS),
            )
        ).one()
    return plan
