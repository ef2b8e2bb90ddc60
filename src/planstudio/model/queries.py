"""Read-only questions about a plan that the side panels ask on every edit.

Each answer is one or two aggregate SQL statements rather than a walk over the
ORM objects, so that asking "where is this role used?" or "what is left of
Title I?" stays in the low milliseconds on a 4,000-step plan and never loads
the links of every step into memory.

Tree numbers are worked out from the stored `position` columns, which the
ordering lists and the importer keep numbered 0, 1, 2, … under each parent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, Select, distinct, func, select, type_coerce, union
from sqlalchemy.orm import Session

from planstudio.model.entities import (
    ActionStep,
    FundingLink,
    FundingSource,
    GoalArea,
    Objective,
    Strategy,
)
from planstudio.model.kinds import CATALOG_KINDS, KINDS, LINK_KINDS
from planstudio.model.numbering import child_number

LABEL_WIDTH = 60


@dataclass(frozen=True)
class FundingTotal:
    """What one funding source has, what the plan's steps spend of it, and what is left."""

    allocation: float | None
    assigned: float  # links without an amount count as 0
    balance: float | None  # None when the source has no allocation to spend against
    steps: int  # distinct action steps funded, however many years each


@dataclass(frozen=True)
class StepUse:
    """An action step that uses a catalog entry, ready to be listed."""

    step_id: str
    number: str
    text: str

    def label(self, width: int = LABEL_WIDTH) -> str:
        return f"{self.number}  {shorten(self.text, width)}"


# ---------------------------------------------------------------------------- numbering


def outline_number(area: int, objective: int, strategy: int, step: int) -> str:
    """The printed number of an action step from the positions (0-based) on its path: 1A.1.a."""
    number = ""
    for level, index in enumerate((area, objective, strategy, step), start=1):
        number = child_number(number, level, index)
    return number


def shorten(text: str | None, width: int = LABEL_WIDTH) -> str:
    """One line of at most `width` characters, ending in … when cut."""
    flat = " ".join((text or "").split())
    if len(flat) <= width:
        return flat
    return flat[: width - 1].rstrip() + "…"


def _steps_in_order() -> Select[str, str, int, int, int, int]:
    return (
        select(
            ActionStep.id,
            ActionStep.text,
            GoalArea.position,
            Objective.position,
            Strategy.position,
            ActionStep.position,
        )
        .join(Strategy, ActionStep.strategy_id == Strategy.id)
        .join(Objective, Strategy.objective_id == Objective.id)
        .join(GoalArea, Objective.goal_area_id == GoalArea.id)
        .order_by(GoalArea.position, Objective.position, Strategy.position, ActionStep.position)
    )


def _uses(rows: Iterable[Any]) -> list[StepUse]:
    return [
        StepUse(step_id, outline_number(area, objective, strategy, step), text or "")
        for step_id, text, area, objective, strategy, step in rows
    ]


def step_uses(session: Session, step_ids: Iterable[str]) -> list[StepUse]:
    """Number and text of the given action steps, in plan order; unknown ids are left out."""
    wanted = list(dict.fromkeys(step_ids))
    if not wanted:
        return []
    return _uses(session.execute(_steps_in_order().where(ActionStep.id.in_(wanted))))


def step_number(session: Session, step_id: str) -> str | None:
    """The printed number of one action step (1A.1.a), or None when there is no such step."""
    uses = step_uses(session, [step_id])
    return uses[0].number if uses else None


def step_label(session: Session, step_id: str, width: int = LABEL_WIDTH) -> str | None:
    """A one-line name for an action step, "1A.1.a  Train K-2 teachers in…", or None."""
    uses = step_uses(session, [step_id])
    return uses[0].label(width) if uses else None


# ---------------------------------------------------------------------------- catalogs


def link_kinds_for(catalog_kind: str) -> tuple[str, ...]:
    """The link kinds that refer to entries of a catalog (two for monitoring methods)."""
    if catalog_kind not in CATALOG_KINDS:
        raise ValueError(f"{catalog_kind!r} is not a catalog")
    return tuple(name for name in LINK_KINDS if KINDS[name].fields[0].ref == catalog_kind)


def _ref_column(link_kind: str) -> Any:
    kind = KINDS[link_kind]
    return getattr(kind.cls, kind.fields[0].name)


def _step_column(link_kind: str) -> Any:
    cls: Any = KINDS[link_kind].cls
    return cls.action_step_id


def _steps_using(catalog_kind: str, entry_id: str) -> Any:
    selects = [
        select(_step_column(name)).where(_ref_column(name) == entry_id)
        for name in link_kinds_for(catalog_kind)
    ]
    return selects[0] if len(selects) == 1 else union(*selects)


def used_by(session: Session, catalog_kind: str, entry_id: str) -> list[StepUse]:
    """The action steps using a catalog entry, each once, in plan (tree) order."""
    wanted = ActionStep.id.in_(_steps_using(catalog_kind, entry_id))
    return _uses(session.execute(_steps_in_order().where(wanted)))


def usages(session: Session, catalog_kind: str, entry_id: str) -> list[str]:
    """Ids of the action steps using a catalog entry, in plan (tree) order."""
    return [use.step_id for use in used_by(session, catalog_kind, entry_id)]


def assigned_entries(session: Session, step_id: str, link_kind: str) -> set[str]:
    """The catalog entries one action step links to through one kind of link."""
    wanted = _step_column(link_kind) == step_id
    return set(session.scalars(select(_ref_column(link_kind)).where(wanted)))


def link_ids(session: Session, step_id: str, link_kind: str, entry_id: str) -> list[str]:
    """Every link from a step to an entry: funding may repeat once per school year."""
    cls: Any = KINDS[link_kind].cls
    return list(
        session.scalars(
            select(cls.id)
            .where(cls.action_step_id == step_id, _ref_column(link_kind) == entry_id)
            .order_by(cls.position)
        )
    )


def funding_totals(
    session: Session, source_ids: Iterable[str] | None = None
) -> dict[str, FundingTotal]:
    """For each funding source (every one, or those given): allocation, assigned, what is left."""
    statement = (
        select(
            FundingSource.id,
            FundingSource.allocation,
            # Never NULL: a source without links, or only links without amounts, sums to NULL
            # and coalesce makes that 0.0; type_coerce tells the type checker as much.
            type_coerce(func.coalesce(func.sum(FundingLink.amount), 0.0), Float),
            func.count(distinct(FundingLink.action_step_id)),
        )
        .outerjoin(FundingLink, FundingLink.funding_source_id == FundingSource.id)
        .group_by(FundingSource.id, FundingSource.allocation)
    )
    if source_ids is not None:
        # One source's total while an amount is typed: an index search, not a pass over all links.
        statement = statement.where(FundingSource.id.in_(list(source_ids)))
    rows = session.execute(statement)
    totals: dict[str, FundingTotal] = {}
    for source_id, allocation, assigned, steps in rows:
        # Sums of binary floats drift (0.1 + 0.2); money is shown and compared to the cent.
        spent = round(float(assigned), 2)
        balance = None if allocation is None else round(allocation - spent, 2)
        totals[source_id] = FundingTotal(allocation, spent, balance, int(steps))
    return totals
