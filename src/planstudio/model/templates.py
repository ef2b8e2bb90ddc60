"""What a new plan starts with, per layout: the catalog entries every such plan needs."""

from __future__ import annotations

from typing import Any

from planstudio.model.vocabulary import PLAN_LAYOUTS

_GEORGIA_FUNDS = (
    ("fs-title-i-a", "Title I, Part A", "federal"),
    ("fs-title-ii-a", "Title II, Part A", "federal"),
    ("fs-title-iii-a", "Title III, Part A", "federal"),
    ("fs-title-iv-a", "Title IV, Part A", "federal"),
    ("fs-idea", "IDEA", "federal"),
    ("fs-mckinney-vento", "McKinney-Vento", "federal"),
    ("fs-state", "State funds", "state"),
    ("fs-local", "Local funds", "local"),
)


def template(
    layout: str | None, title: str | None = None, organization: str | None = None
) -> dict[str, Any]:
    """An interchange document for a new plan written for `layout` (None: a blank plan)."""
    default_title = {"ga-dip": "District Improvement Plan", "strategic-plan": "Strategic Plan"}
    plan: dict[str, Any] = {
        "title": title or default_title.get(layout or "", "Untitled Plan"),
        "status": "draft",
    }
    if organization:
        plan["organization"] = organization
    document: dict[str, Any] = {"format": "planstudio.plan", "format_version": 1, "plan": plan}
    if layout in PLAN_LAYOUTS:
        plan["layout"] = layout
    if layout == "ga-dip":
        plan["state"] = "GA"
        plan["level_labels"] = ["Overarching Need", "Objective", "Strategy", "Action Step"]
        document["funding_sources"] = [
            {"id": source_id, "name": name, "kind": kind}
            for source_id, name, kind in _GEORGIA_FUNDS
        ]
    return document
