"""The plan as SQLAlchemy tables: the tree of four levels, the catalogs and their links.

Column names follow `plan.schema.json`, so that the interchange form, the edit
operations and the exporters all speak of the same fields.  Lists of plain
values (root causes, subgroups, grade levels) are JSON columns; ordered
children and links to catalog entries are rows with a `position`, kept
numbered by `ordering_list` so that a move or a delete leaves no gaps.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

DEFAULT_LEVEL_LABELS = ("Goal Area", "Objective", "Strategy", "Action Step")


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime:
    # Naive UTC: SQLite keeps no zone, and a value must read back equal to what was written.
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        str: String,
        float: Float,
        bool: Boolean,
        datetime: DateTime,
        list[Any]: JSON(none_as_null=True),
    }


class Item(Base):
    """Anything with a stable identity: kept across save, dump and import."""

    __abstract__ = True

    id: Mapped[str] = mapped_column(String(100), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    modified_at: Mapped[datetime] = mapped_column(default=utc_now)


class Positioned(Item):
    __abstract__ = True

    position: Mapped[int] = mapped_column(Integer, default=0)


def _children(target: str, order_by: str) -> Any:
    return relationship(
        target,
        order_by=order_by,
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )


class DocumentInfo(Base):
    """Facts about the file rather than the plan: written by Plan Studio, never edited."""

    __tablename__ = "document_info"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class Plan(Item):
    __tablename__ = "plan"

    title: Mapped[str] = mapped_column(String(1000))
    organization: Mapped[str | None]
    state: Mapped[str | None]
    layout: Mapped[str | None]
    first_year: Mapped[str | None]
    last_year: Mapped[str | None]
    status: Mapped[str | None]
    team_lead: Mapped[str | None]
    mission: Mapped[str | None] = mapped_column(Text)
    vision: Mapped[str | None] = mapped_column(Text)
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
        given = self.level_labels or []
        if len(given) == 4 and all(isinstance(label, str) and label for label in given):
            return (given[0], given[1], given[2], given[3])
        return DEFAULT_LEVEL_LABELS


class GaGeneral(Item):
    """Georgia DIP section 1 (General Improvement Plan Information) and 2 (ED-Flex Waiver)."""

    __tablename__ = "ga_general"

    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), unique=True)
    funding_options: Mapped[list[Any] | None]
    title_ii_a_transfer_to: Mapped[str | None]
    title_ii_a_transfer_percent: Mapped[float | None]
    title_iv_a_transfer_to: Mapped[str | None]
    title_iv_a_transfer_percent: Mapped[float | None]
    poverty_factors: Mapped[list[Any] | None]
    poverty_factors_other: Mapped[str | None] = mapped_column(Text)
    ed_flex_waiver: Mapped[bool | None]
    ed_flex_waiver_detail: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="ga_general")


# ---------------------------------------------------------------------------- catalogs


class FundingSource(Positioned):
    __tablename__ = "funding_source"

    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str]
    code: Mapped[str | None]
    kind: Mapped[str | None]
    allocation: Mapped[float | None]


class Role(Positioned):
    __tablename__ = "role"

    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    title: Mapped[str]
    department: Mapped[str | None]
    person: Mapped[str | None]


class MonitoringMethod(Positioned):
    __tablename__ = "monitoring_method"

    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None]


# ---------------------------------------------------------------------------- the tree


class GoalArea(Positioned):
    """Level 1: Goal Area, Pillar, Overarching Need, Priority."""

    __tablename__ = "goal_area"

    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    title: Mapped[str]
    description: Mapped[str | None] = mapped_column(Text)
    need: Mapped[str | None] = mapped_column(Text)
    is_equity_gap: Mapped[bool | None]
    root_causes: Mapped[list[Any] | None]
    goal: Mapped[str | None] = mapped_column(Text)
    equity_gap_description: Mapped[str | None] = mapped_column(Text)
    equity_gap_content_areas: Mapped[list[Any] | None]
    equity_gap_grade_levels: Mapped[list[Any] | None]
    equity_gap_subgroups: Mapped[list[Any] | None]
    equity_gap_interventions: Mapped[list[Any] | None]

    objectives: Mapped[list[Objective]] = _children("Objective", "Objective.position")


class Objective(Positioned):
    """Level 2: Objective, Performance Objective, Priority, Goal."""

    __tablename__ = "objective"

    goal_area_id: Mapped[str] = mapped_column(
        ForeignKey("goal_area.id", ondelete="CASCADE"), index=True
    )
    statement: Mapped[str] = mapped_column(Text)

    measures: Mapped[list[Measure]] = _children("Measure", "Measure.position")
    strategies: Mapped[list[Strategy]] = _children("Strategy", "Strategy.position")


class Measure(Positioned):
    __tablename__ = "measure"

    objective_id: Mapped[str] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True
    )
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
    __tablename__ = "measure_target"

    measure_id: Mapped[str] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )


class MeasureActual(_Point):
    __tablename__ = "measure_actual"

    measure_id: Mapped[str] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )


class Strategy(Positioned):
    """Level 3: Strategy, Major Improvement Strategy, Equity Intervention."""

    __tablename__ = "strategy"

    objective_id: Mapped[str] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    evidence_level: Mapped[str | None]
    evidence_citation: Mapped[str | None] = mapped_column(Text)

    phases: Mapped[list[StrategyPhase]] = _children("StrategyPhase", "StrategyPhase.position")
    action_steps: Mapped[list[ActionStep]] = _children("ActionStep", "ActionStep.position")


class StrategyPhase(Positioned):
    __tablename__ = "strategy_phase"

    strategy_id: Mapped[str] = mapped_column(
        ForeignKey("strategy.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[str]
    phase: Mapped[str]


class ActionStep(Positioned):
    """Level 4: Action Step, Key Lever, Activity, Task."""

    __tablename__ = "action_step"

    strategy_id: Mapped[str] = mapped_column(
        ForeignKey("strategy.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    subgroups: Mapped[list[Any] | None]
    systems: Mapped[list[Any] | None]
    evidence_level: Mapped[str | None]
    timeline: Mapped[str | None]
    start: Mapped[str | None] = mapped_column(String(10))
    end: Mapped[str | None] = mapped_column(String(10))
    supports_equity_intervention: Mapped[bool | None]
    partnerships: Mapped[str | None] = mapped_column(Text)
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

    __tablename__ = "action_step_review"

    action_step_id: Mapped[str] = mapped_column(
        ForeignKey("action_step.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[str] = mapped_column(String(10))
    status: Mapped[str]
    percent_complete: Mapped[float | None]
    note: Mapped[str | None] = mapped_column(Text)


# ---------------------------------------------------------------------------- links


class FundingLink(Positioned):
    """A funding source paying for an action step, with the amount and school year."""

    __tablename__ = "funding_link"

    action_step_id: Mapped[str] = mapped_column(
        ForeignKey("action_step.id", ondelete="CASCADE"), index=True
    )
    funding_source_id: Mapped[str] = mapped_column(
        ForeignKey("funding_source.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[float | None]
    year: Mapped[str | None]


class RoleLink(Positioned):
    __tablename__ = "role_link"

    action_step_id: Mapped[str] = mapped_column(
        ForeignKey("action_step.id", ondelete="CASCADE"), index=True
    )
    role_id: Mapped[str] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"), index=True)


class ImplementationMonitoringLink(Positioned):
    __tablename__ = "implementation_monitoring_link"

    action_step_id: Mapped[str] = mapped_column(
        ForeignKey("action_step.id", ondelete="CASCADE"), index=True
    )
    monitoring_method_id: Mapped[str] = mapped_column(
        ForeignKey("monitoring_method.id", ondelete="CASCADE"), index=True
    )


class EffectivenessMonitoringLink(Positioned):
    __tablename__ = "effectiveness_monitoring_link"

    action_step_id: Mapped[str] = mapped_column(
        ForeignKey("action_step.id", ondelete="CASCADE"), index=True
    )
    monitoring_method_id: Mapped[str] = mapped_column(
        ForeignKey("monitoring_method.id", ondelete="CASCADE"), index=True
    )


class PlanVersion(Base):
    """One saved version of the plan: who saved it, when, why, and how to rebuild it.

    Not an item of the plan: edits never touch it; Save adds one (see `history`).
    """

    __tablename__ = "plan_version"

    id: Mapped[str] = mapped_column(String(100), primary_key=True, default=new_id)
    parent_id: Mapped[str | None] = mapped_column(String(100))
    # The other copy's version a merge brought in, so that its history is shared too.
    merged_id: Mapped[str | None] = mapped_column(String(100))
    saved_at: Mapped[datetime] = mapped_column(default=utc_now)
    author: Mapped[str] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text)
    # A whole row map (keyframe) or the change from the parent's, zlib-compressed JSON.
    keyframe: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
