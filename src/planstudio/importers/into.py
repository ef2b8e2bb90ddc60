"""An imported document added to an open plan as edit operations (one undoable edit together).

Goal areas, objectives and strategies whose text matches one already in the
plan (tolerantly) are reused; catalog entries match by name, so an import
never makes a second "Title I, Part A".  Every operation carries its new item's
id, so the list is plain data the window can redo and undo as one step.
"""

from __future__ import annotations

from typing import Any

from planstudio.importers.matching import name_key
from planstudio.model.edits import AddItem, EditOp
from planstudio.model.entities import new_id

_STEP_FIELDS = (
    "text", "subgroups", "systems", "evidence_level", "timeline", "start", "end",
    "supports_equity_intervention", "partnerships", "status",
)  # fmt: skip
_EQUITY = ("description", "content_areas", "grade_levels", "subgroups", "interventions")
_LINKS = (
    ("roles", "role_link", "role_id"),
    ("monitoring_implementation", "implementation_link", "monitoring_method_id"),
    ("monitoring_effectiveness", "effectiveness_link", "monitoring_method_id"),
)


def _values(record: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: record[name] for name in names if record.get(name) not in (None, "", [])}


def operations_to_add(document: dict[str, Any], existing: dict[str, Any]) -> list[EditOp]:
    """Operations that add `document`'s items to the plan whose interchange form is `existing`."""
    plan_id = existing["plan"]["id"]
    operations: list[EditOp] = []
    known = {
        entry["id"]
        for catalog in ("funding_sources", "roles", "monitoring_methods")
        for entry in existing.get(catalog, [])
    }
    # Entries the importer matched to the plan's own are referred to by the plan's ids.
    ids: dict[str, str] = {entry_id: entry_id for entry_id in known}
    for catalog, kind, fields in (
        ("funding_sources", "funding_source", ("name", "code", "kind", "allocation")),
        ("roles", "role", ("title", "department", "person")),
        ("monitoring_methods", "monitoring_method", ("text", "kind")),
    ):
        for entry in document.get(catalog, []):
            if entry["id"] in known:
                ids[entry["id"]] = entry["id"]
                continue
            ids[entry["id"]] = new_id()
            operations.append(
                AddItem(kind, plan_id, _values(entry, fields), item_id=ids[entry["id"]])
            )
    areas = {name_key(a["title"]): a for a in existing.get("goal_areas", [])}
    for area in document.get("goal_areas", []):
        found = areas.get(name_key(area["title"]))
        if found is None:
            area_id = new_id()
            values = {
                "title": area["title"],
                **_values(area, ("description", "need", "is_equity_gap", "root_causes", "goal")),
                **{
                    f"equity_gap_{name}": value
                    for name, value in _values(area.get("equity_gap", {}), _EQUITY).items()
                },
            }
            operations.append(AddItem("goal_area", plan_id, values, item_id=area_id))
            found = {"id": area_id, "objectives": []}
        objectives = {name_key(o["statement"]): o for o in found.get("objectives", [])}
        for objective in area.get("objectives", []):
            match = objectives.get(name_key(objective["statement"]))
            if match is None:
                objective_id = new_id()
                operations.append(
                    AddItem("objective", found["id"], {"statement": objective["statement"]},
                            item_id=objective_id)
                )  # fmt: skip
                match = {"id": objective_id, "strategies": []}
            strategies = {name_key(s["text"]): s for s in match.get("strategies", [])}
            for strategy in objective.get("strategies", []):
                target = strategies.get(name_key(strategy["text"]))
                if target is None:
                    strategy_id = new_id()
                    operations.append(
                        AddItem("strategy", match["id"], {"text": strategy["text"]},
                                item_id=strategy_id)
                    )  # fmt: skip
                    target = {"id": strategy_id}
                for step in strategy.get("action_steps", []):
                    operations.extend(_step_operations(step, target["id"], ids))
    return operations


def _step_operations(step: dict[str, Any], strategy_id: str, ids: dict[str, str]) -> list[EditOp]:
    step_id = new_id()
    values = _values(step, _STEP_FIELDS)
    values.setdefault("text", step.get("text", ""))
    operations: list[EditOp] = [AddItem("action_step", strategy_id, values, item_id=step_id)]
    for link in step.get("funding", []):
        link_values = {
            "funding_source_id": ids[link["source"]],
            **_values(link, ("amount", "year")),
        }
        operations.append(AddItem("funding_link", step_id, link_values, item_id=new_id()))
    for key, kind, column in _LINKS:
        for ref in step.get(key, []):
            operations.append(AddItem(kind, step_id, {column: ids[ref]}, item_id=new_id()))
    for review in step.get("reviews", []):
        fields = ("date", "status", "percent_complete", "note")
        operations.append(AddItem("review", step_id, _values(review, fields), item_id=new_id()))
    return operations


def count_steps(operations: list[EditOp]) -> int:
    return sum(1 for op in operations if isinstance(op, AddItem) and op.kind == "action_step")
