"""The read API of an open plan for the window: items, branches, uses, totals, the funding summary.

The window's views read the plan through these functions and the plan's own
attributes, never through the document's SQLAlchemy session: what a question
costs (one aggregate statement, an identity-map lookup) is decided here, beside
the tables, and "session" in the window means nothing but this one.  Each
function takes the open document (anything with `session` and `plan`, such as
`PlanDocument`) and changes nothing.

`catalog_link_kind` is a decision of the plan's, not of a view: which link a
catalog entry dropped on an action step becomes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from planstudio.model import clipboard, measures, queries
from planstudio.model.edits import EditOp
from planstudio.model.entities import (
    ActionStep,
    FundingLink,
    GoalArea,
    Measure,
    MeasureActual,
    MeasureTarget,
    MonitoringMethod,
    Objective,
    Plan,
    Strategy,
)
from planstudio.model.kinds import KINDS

T = TypeVar("T")

# The field that names an item of each level of the tree (its heading, its row, its crumb).
TITLE_FIELD = {
    "goal_area": "title",
    "objective": "statement",
    "strategy": "text",
    "action_step": "text",
}

# A catalog entry dropped on an action step becomes this link; a monitoring method
# whose kind is "effectiveness" becomes an effectiveness link instead (see below).
_LINK_FOR_CATALOG = {
    "funding_source": "funding_link",
    "role": "role_link",
    "monitoring_method": "implementation_link",
}


class OpenPlan(Protocol):
    """What these functions need of an open document: its ORM session and its plan."""

    session: Session
    plan: Plan


# ---------------------------------------------------------------------------- items


def item(document: OpenPlan, kind: str, item_id: str) -> Any:
    """The item of a kind ("goal_area", "funding_link", …) with this id, or None."""
    return document.session.get(KINDS[kind].cls, item_id)


def get(document: OpenPlan, cls: type[T], item_id: str) -> T | None:
    """The item of this class with this id, or None (typed, for callers that know the class)."""
    return document.session.get(cls, item_id)


# ---------------------------------------------------------------------------- branches


def branch(document: OpenPlan, kind: str, item_id: str) -> dict[str, Any]:
    """An item with everything under it, as the clipboard carries it (see `clipboard`)."""
    return clipboard.copy_branch(document.session, kind, item_id)


def paste_operations(
    document: OpenPlan, copied: dict[str, Any], target_kind: str, target_id: str
) -> list[EditOp]:
    """The edits that paste a copied branch at a target; ValueError where it cannot go."""
    return clipboard.paste_operations(
        document.session, document.plan, copied, target_kind, target_id
    )


def catalog_link_kind(document: OpenPlan, catalog_kind: str, entry_id: str) -> str | None:
    """Which link a catalog entry dropped on an action step becomes; None if none does.

    A monitoring method says itself whether it watches that a step is carried
    out or whether it works: an "effectiveness" method becomes an
    effectiveness link, any other an implementation link.
    """
    link_kind = _LINK_FOR_CATALOG.get(catalog_kind)
    if catalog_kind == "monitoring_method":
        method = document.session.get(MonitoringMethod, entry_id)
        if method is not None and method.kind == "effectiveness":
            return "effectiveness_link"
    return link_kind


def measure_counts(document: OpenPlan, objective_ids: Iterable[str]) -> dict[str, Counter[str]]:
    """How many measures of each objective are on track, off track and without data.

    Three statements for any number of objectives, rather than one per measure for its
    targets and one for its actuals, as reading each objective's measures would take.
    """
    wanted = list(dict.fromkeys(objective_ids))
    found: dict[str, Counter[str]] = {}
    session = document.session
    for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
        chunk = wanted[start : start + 500]
        rows = session.execute(
            select(Measure.id, Measure.objective_id, Measure.direction, Measure.unit)
            .where(Measure.objective_id.in_(chunk))
            .order_by(Measure.objective_id, Measure.position)
        ).all()
        records: dict[str, dict[str, Any]] = {
            row.id: {"direction": row.direction, "unit": row.unit, "targets": [], "actuals": []}
            for row in rows
        }
        for table, key in ((MeasureTarget, "targets"), (MeasureActual, "actuals")):
            points = session.execute(
                select(table.measure_id, table.year, table.value)
                .join(Measure, Measure.id == table.measure_id)
                .where(Measure.objective_id.in_(chunk))
                .order_by(table.measure_id, table.position)
            ).all()
            for point in points:
                records[point.measure_id][key].append({"year": point.year, "value": point.value})
        by_objective: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_objective[row.objective_id].append(records[row.id])
        for objective_id in chunk:
            found[objective_id] = measures.count_measures(by_objective.get(objective_id, []))
    return found


# ---------------------------------------------------------------------------- uses and totals


def used_by(document: OpenPlan, catalog_kind: str, entry_id: str) -> list[queries.StepUse]:
    """The action steps using a catalog entry, each once, in plan order."""
    return queries.used_by(document.session, catalog_kind, entry_id)


def step_uses(document: OpenPlan, step_ids: Iterable[str]) -> list[queries.StepUse]:
    """These action steps with their outline numbers, in plan order."""
    return queries.step_uses(document.session, step_ids)


def step_number(document: OpenPlan, step_id: str) -> str | None:
    """An action step's outline number ("2.1.3.4"), or None if it is gone."""
    return queries.step_number(document.session, step_id)


def assigned_entries(document: OpenPlan, step_id: str, link_kind: str) -> set[str]:
    """The catalog entries one action step links to through one kind of link."""
    return queries.assigned_entries(document.session, step_id, link_kind)


def link_ids(document: OpenPlan, step_id: str, link_kind: str, entry_id: str) -> list[str]:
    """Every link from a step to an entry (funding may repeat once per school year)."""
    return queries.link_ids(document.session, step_id, link_kind, entry_id)


def funding_totals(
    document: OpenPlan, source_ids: Iterable[str] | None = None
) -> dict[str, queries.FundingTotal]:
    """Allocation, assigned and what is left, for every funding source or those given."""
    return queries.funding_totals(document.session, source_ids)


def compile_ahead(document: OpenPlan) -> None:
    """Run, on the thread that opens the plan, the statements the window runs first on its
    own thread, finding nothing: SQLAlchemy compiles a statement at its first use (several
    ms for the funding totals, in a turn of the window's event loop), and keeps the
    compiled form for every later use on the same engine."""
    funding_totals(document, [])


# ---------------------------------------------------------------------------- funding summary


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


def funding_summary(document: OpenPlan) -> tuple[list[SourceSummary], SourceSummary]:
    """Every source in catalog order, and the total row (its allocation None if one is unknown).

    Amounts are summed as the exports' appendix sums them: a link without an amount counts 0,
    money is rounded to the cent, and a step is counted once however many years it is funded.
    """
    rows = document.session.execute(
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
    for source in document.plan.funding_sources:
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
    allocations = [summary.allocation for summary in sources]
    total = SourceSummary(
        None,
        "Total",
        round(sum(a for a in allocations if a is not None), 2)
        if all(a is not None for a in allocations)
        else None,
        round(sum(sums.get(summary.source_id or "", 0.0) for summary in sources), 2),
        set().union(*(summary.steps for summary in sources)) if sources else set(),
    )
    for summary in sources:
        for area, value in summary.by_area.items():
            total.by_area[area] = round(total.by_area.get(area, 0.0) + value, 2)
            total.steps_by_area.setdefault(area, set()).update(summary.steps_by_area[area])
    return sources, total
