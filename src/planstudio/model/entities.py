"""The plan as ORM classes mapped onto the tables of `schema`: the tree, the catalogs, the links.

The tables themselves (columns, keys, indexes) are declared once in `schema`,
so that a reader that never edits can use them without building this mapping.
Here each class names its table and says, for the type checker, which columns
it has; relationships give the tree and the ordered lists, kept numbered by
`ordering_list` so that a move or a delete leaves no gaps.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from planstudio.model import kinds, schema
from planstudio.model.kinds import DEFAULT_LEVEL_LABELS
from planstudio.model.schema import new_id, utc_now

__all__ = ["DEFAULT_LEVEL_LABELS", "new_id", "utc_now"]


class Base(DeclarativeBase):
    metadata = schema.metadata


class Item(Base):
    """Anything with a stable identity: kept across save, dump and import."""

    __abstract__ = True

    id: Mapped[str]
    created_at: Mapped[datetime]
    modified_at: Mapped[datetime]


class Positioned(Item):
    __abstract__ = True

    position: Mapped[int]


def _children(target: str, order_by: str) -> Any:
    return relationship(
        target,
        order_by=order_by,
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )


class DocumentInfo(Base):
    """Facts about the file rather than the plan: written by Plan Studio, never edited."""

    __table__ = schema.document_info

    key: Mapped[str]
    value: Mapped[str | None]


class Plan(Item):
    __table__ = schema.plan

    title: Mapped[str]
    organization: Mapped[str | None]
    state: Mapped[str | None]
    layout: Mapped[str | None]
    first_year: Mapped[str | None]
    last_year: Mapped[str | None]
    status: Mapped[str | None]
    team_lead: Mapped[str | None]
    mission: Mapped[str | None]
    vision: Mapped[str | None]
    core_beliefs: Mapped[list[Any] | None]
    level_labels: Mapped[list[Any] | None]

    ga_general: Mapped[GaGeneral] = relationship(
        back_populates="plan", cascade="all, delete-orphan", uselist=False
    )
    goal_areas: Mapped[list[GoalArea]] = _children("GoalArea", "GoalArea.position")
    funding_sources: Mapped[list[FundingSource]] = _children(
        "FundingSource", "FundingSource.position"
    )
    roles: Mapped[list[Role]] = _children("Role", "Role.position")
    monitoring_methods: Mapped[list[MonitoringMethod]] = _children(
        "MonitoringMethod", "MonitoringMethod.position"
    )

    @property
    def labels(self) -> tuple[str, str, str, str]:
        """What this plan calls its four levels."""
        return kinds.level_labels(self.level_labels)


class GaGeneral(Item):
    """Georgia DIP section 1 (General Improvement Plan Information) and 2 (ED-Flex Waiver)."""

    __table__ = schema.ga_general

    plan_id: Mapped[str]
    funding_options: Mapped[list[Any] | None]
    title_ii_a_transfer_to: Mapped[str | None]
    title_ii_a_transfer_percent: Mapped[float | None]
    title_iv_a_transfer_to: Mapped[str | None]
    title_iv_a_transfer_percent: Mapped[float | None]
    poverty_factors: Mapped[list[Any] | None]
    poverty_factors_other: Mapped[str | None]
    ed_flex_waiver: Mapped[bool | None]
    ed_flex_waiver_detail: Mapped[str | None]

    plan: Mapped[Plan] = relationship(back_populates="ga_general")


# ---------------------------------------------------------------------------- catalogs


class FundingSource(Positioned):
    __table__ = schema.funding_source

    plan_id: Mapped[str]
    name: Mapped[str]
    code: Mapped[str | None]
    kind: Mapped[str | None]
    allocation: Mapped[float | None]


class Role(Positioned):
    __table__ = schema.role

    plan_id: Mapped[str]
    title: Mapped[str]
    department: Mapped[str | None]
    person: Mapped[str | None]


class MonitoringMethod(Positioned):
    __table__ = schema.monitoring_method

    plan_id: Mapped[str]
    text: Mapped[str]
    kind: Mapped[str | None]


# ---------------------------------------------------------------------------- the tree


class GoalArea(Positioned):
    """Level 1: Goal Area, Pillar, Overarching Need, Priority."""

    __table__ = schema.goal_area

    plan_id: Mapped[str]
    title: Mapped[str]
    description: Mapped[str | None]
    need: Mapped[str | None]
    is_equity_gap: Mapped[bool | None]
    root_causes: Mapped[list[Any] | None]
    goal: Mapped[str | None]
    equity_gap_description: Mapped[str | None]
    equity_gap_content_areas: Mapped[list[Any] | None]
    equity_gap_grade_levels: Mapped[list[Any] | None]
    equity_gap_subgroups: Mapped[list[Any] | None]
    equity_gap_interventions: Mapped[list[Any] | None]

    objectives: Mapped[list[Objective]] = _children("Objective", "Objective.position")


class Objective(Positioned):
    """Level 2: Objective, Performance Objective, Priority, Goal."""

    __table__ = schema.objective

    goal_area_id: Mapped[str]
    statement: Mapped[str]

    measures: Mapped[list[Measure]] = _children("Measure", "Measure.position")
    strategies: Mapped[list[Strategy]] = _children("Strategy", "Strategy.position")


class Measure(Positioned):
    __table__ = schema.measure

    objective_id: Mapped[str]
    name: Mapped[str]
    student_group: Mapped[str | None]
    unit: Mapped[str | None]
    direction: Mapped[str | None]
    data_source: Mapped[str | None]
    baseline_year: Mapped[str | None]
    baseline_value: Mapped[float | None]
    baseline_note: Mapped[str | None]

    targets: Mapped[list[MeasureTarget]] = _children("MeasureTarget", "MeasureTarget.position")
    actuals: Mapped[list[MeasureActual]] = _children("MeasureActual", "MeasureActual.position")


class _Point(Positioned):
    __abstract__ = True

    year: Mapped[str]
    value: Mapped[float | None]
    note: Mapped[str | None]


class MeasureTarget(_Point):
    __table__ = schema.measure_target

    measure_id: Mapped[str]


class MeasureActual(_Point):
    __table__ = schema.measure_actual

    measure_id: Mapped[str]


class Strategy(Positioned):
    """Level 3: Strategy, Major Improvement Strategy, Equity Intervention."""

    __table__ = schema.strategy

    objective_id: Mapped[str]
    text: Mapped[str]
    evidence_level: Mapped[str | None]
    evidence_citation: Mapped[str | None]

    phases: Mapped[list[StrategyPhase]] = _children("StrategyPhase", "StrategyPhase.position")
    action_steps: Mapped[list[ActionStep]] = _children("ActionStep", "ActionStep.position")


class StrategyPhase(Positioned):
    __table__ = schema.strategy_phase

    strategy_id: Mapped[str]
    year: Mapped[str]
    phase: Mapped[str]


class ActionStep(Positioned):
    """Level 4: Action Step, Key Lever, Activity, Task."""

    __table__ = schema.action_step

    strategy_id: Mapped[str]
    text: Mapped[str]
    subgroups: Mapped[list[Any] | None]
    systems: Mapped[list[Any] | None]
    evidence_level: Mapped[str | None]
    timeline: Mapped[str | None]
    start: Mapped[str | None]
    end: Mapped[str | None]
    supports_equity_intervention: Mapped[bool | None]
    partnerships: Mapped[str | None]
    status: Mapped[str | None]

    reviews: Mapped[list[ActionStepReview]] = _children(
        "ActionStepReview", "ActionStepReview.position"
    )
    funding: Mapped[list[FundingLink]] = _children("FundingLink", "FundingLink.position")
    role_links: Mapped[list[RoleLink]] = _children("RoleLink", "RoleLink.position")
    implementation_links: Mapped[list[ImplementationMonitoringLink]] = _children(
        "ImplementationMonitoringLink", "ImplementationMonitoringLink.position"
    )
    effectiveness_links: Mapped[list[EffectivenessMonitoringLink]] = _children(
        "EffectivenessMonitoringLink", "EffectivenessMonitoringLink.position"
    )


class ActionStepReview(Positioned):
    """A dated look at how far a step has come, reported twice a year."""

    __table__ = schema.action_step_review

    action_step_id: Mapped[str]
    date: Mapped[str]
    status: Mapped[str]
    percent_complete: Mapped[float | None]
    note: Mapped[str | None]


# ---------------------------------------------------------------------------- links


class FundingLink(Positioned):
    """A funding source paying for an action step, with the amount and school year."""

    __table__ = schema.funding_link

    action_step_id: Mapped[str]
    funding_source_id: Mapped[str]
    amount: Mapped[float | None]
    year: Mapped[str | None]


class RoleLink(Positioned):
    __table__ = schema.role_link

    action_step_id: Mapped[str]
    role_id: Mapped[str]


class ImplementationMonitoringLink(Positioned):
    __table__ = schema.implementation_monitoring_link

    action_step_id: Mapped[str]
    monitoring_method_id: Mapped[str]


class EffectivenessMonitoringLink(Positioned):
    __table__ = schema.effectiveness_monitoring_link

    action_step_id: Mapped[str]
    monitoring_method_id: Mapped[str]


class PlanVersion(Base):
    """One saved version of the plan: who saved it, when, why, and how to rebuild it.

    Not an item of the plan: edits never touch it; Save adds one (see `history`).
    """

    __table__ = schema.plan_version

    id: Mapped[str]
    parent_id: Mapped[str | None]
    # The other copy's version a merge brought in, so that its history is shared too.
    merged_id: Mapped[str | None]
    saved_at: Mapped[datetime]
    author: Mapped[str]
    comment: Mapped[str | None]
    # A whole row map (keyframe) or the change from the parent's, zlib-compressed JSON.
    keyframe: Mapped[bool]
    data: Mapped[bytes]


# Every class of item by its table's name, for `kinds.Kind.cls`.
ENTITIES: dict[str, type[Item]] = {
    mapper.local_table.name: mapper.class_  # type: ignore[attr-defined]
    for mapper in Base.registry.mappers
    if issubclass(mapper.class_, Item)
}
