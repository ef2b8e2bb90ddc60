"""How printed plans number their items: 1, 1A, 1A.1, 1A.1.a."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planstudio.model.entities import Plan
    from planstudio.model.item_tree import ReadPlan


def letters(index: int, *, lower: bool = False) -> str:
    """0 → A, 25 → Z, 26 → AA: as spreadsheet columns, since a level may pass 26 items."""
    text = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        text = chr(ord("A") + remainder) + text
    return text.lower() if lower else text


def child_number(parent_number: str, level: int, index: int) -> str:
    """The number of the index-th child (from 0) at `level` (1-4) under `parent_number`."""
    if level == 1:
        return str(index + 1)
    if level == 2:
        return f"{parent_number}{letters(index)}"
    if level == 3:
        return f"{parent_number}.{index + 1}"
    return f"{parent_number}.{letters(index, lower=True)}"


def number_plan(plan: Plan | ReadPlan) -> dict[str, str]:
    """Every tree item's number, by id."""
    numbers: dict[str, str] = {}
    for a, area in enumerate(plan.goal_areas):
        area_number = numbers[area.id] = child_number("", 1, a)
        for o, objective in enumerate(area.objectives):
            objective_number = numbers[objective.id] = child_number(area_number, 2, o)
            for s, strategy in enumerate(objective.strategies):
                strategy_number = numbers[strategy.id] = child_number(objective_number, 3, s)
                for t, step in enumerate(strategy.action_steps):
                    numbers[step.id] = child_number(strategy_number, 4, t)
    return numbers
