"""Plans for export tests, opened as a user's plan is: from the interchange form."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bench.generate import generate_plan
from planstudio.model import PlanDocument
from planstudio.model.templates import template


@pytest.fixture
def open_plan() -> Iterator[Any]:
    """open_plan(document) → a PlanDocument built from an interchange dict, closed after."""
    opened: list[PlanDocument] = []

    def make(document: dict[str, Any]) -> PlanDocument:
        plan = PlanDocument.from_interchange(document)
        opened.append(plan)
        return plan

    yield make
    for plan in opened:
        plan.close()


def empty_plan(layout: str | None = None) -> dict[str, Any]:
    """What File → New makes: a title, a status, and nothing else."""
    return template(layout)


def goal_areas_only() -> dict[str, Any]:
    return {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {"title": "Areas Only"},
        "goal_areas": [{"title": "Literacy"}, {"title": "Numeracy"}, {"title": "Belonging"}],
    }


def generated(size: str) -> dict[str, Any]:
    return generate_plan(size, 1)
