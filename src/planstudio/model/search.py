"""Find text anywhere in a plan: every text field of every item and catalog entry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from planstudio.model.entities import Plan
from planstudio.model.kinds import CATALOG_KINDS, KINDS, Kind
from planstudio.model.numbering import number_plan


@dataclass(frozen=True)
class Hit:
    kind: str
    item_id: str
    field: str
    number: str  # the item's printed number, "" for the plan and catalog entries
    snippet: str
    place_kind: str  # where to go to see it: the tree item (or plan, catalog entry) holding it
    place_id: str


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for entry in value:
            if isinstance(entry, str):
                yield entry


def _snippet(text: str, at: int, length: int) -> str:
    start = max(0, at - 30)
    end = min(len(text), at + length + 50)
    return (
        ("…" if start else "")
        + " ".join(text[start:end].split())
        + ("…" if end < len(text) else "")
    )


def _search_item(
    kind: Kind, item: Any, needle: str, number: str, place: tuple[str, str] | None = None
) -> Iterator[Hit]:
    place_kind, place_id = place or (kind.name, item.id)
    for spec in kind.fields:
        if spec.ref is not None:
            continue
        for text in _texts(getattr(item, spec.name)):
            at = text.casefold().find(needle)
            if at >= 0:
                snippet = _snippet(text, at, len(needle))
                yield Hit(kind.name, item.id, spec.name, number, snippet, place_kind, place_id)
                break


def find_text(plan: Plan, query: str) -> list[Hit]:
    """Every field holding `query` (case-insensitive), in plan order."""
    needle = query.casefold().strip()
    if not needle:
        return []
    numbers = number_plan(plan)
    hits: list[Hit] = list(_search_item(KINDS["plan"], plan, needle, ""))
    if plan.ga_general is not None:
        hits.extend(
            _search_item(KINDS["ga_general"], plan.ga_general, needle, "", ("plan", plan.id))
        )
    for area in plan.goal_areas:
        hits.extend(_search_item(KINDS["goal_area"], area, needle, numbers[area.id]))
        for objective in area.objectives:
            hits.extend(_search_item(KINDS["objective"], objective, needle, numbers[objective.id]))
            for measure in objective.measures:
                place = ("objective", objective.id)
                hits.extend(
                    _search_item(KINDS["measure"], measure, needle, numbers[objective.id], place)
                )
            for strategy in objective.strategies:
                hits.extend(_search_item(KINDS["strategy"], strategy, needle, numbers[strategy.id]))
                for step in strategy.action_steps:
                    hits.extend(_search_item(KINDS["action_step"], step, needle, numbers[step.id]))
                    for review in step.reviews:
                        hits.extend(
                            _search_item(
                                KINDS["review"],
                                review,
                                needle,
                                numbers[step.id],
                                ("action_step", step.id),
                            )
                        )
    for catalog in CATALOG_KINDS:
        for entry in getattr(plan, KINDS[catalog].collection or ""):
            hits.extend(_search_item(KINDS[catalog], entry, needle, ""))
    return hits
