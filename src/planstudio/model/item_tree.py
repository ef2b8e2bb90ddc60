"""The plan as plain read-only objects made from its row map, for readers that walk the tree.

The checks and the spelling walk a plan as the ORM classes present it
(`plan.goal_areas[0].objectives[0].strategies`, `step.text`).  A command that
only reads (`planstudio check`) builds the same shape from the rows `rowmap`
reads with Core: one object per row, with the row's fields, its id, its
parent's key and its ordered children under the ORM's attribute names.  That
skips the ORM (its mapping, its identity map, a working copy on disk), which
costs more than the checks themselves.  Nothing here can be changed into the
database: the objects are a picture of the file.
"""

from __future__ import annotations

from types import SimpleNamespace

from planstudio.model.kinds import KINDS, level_labels
from planstudio.model.rowmap import PARENT, POSITION, RowMap, child_index, kinds_in_order


class ReadItem(SimpleNamespace):
    """One item of the plan: its fields, id, parent key, position and children as attributes."""


class ReadPlan(ReadItem):
    """The plan, with what `entities.Plan` computes from its fields."""

    @property
    def labels(self) -> tuple[str, str, str, str]:
        """What this plan calls its four levels."""
        return level_labels(self.level_labels)


def plan_from_rows(rows: RowMap) -> ReadPlan | None:
    """The plan of a row map as read-only objects shaped like the ORM's (None if it has none)."""
    items: dict[str, ReadItem] = {}
    for kind in kinds_in_order():
        made = ReadPlan if kind.name == "plan" else ReadItem
        parent_key = kind.parent_key
        collections = [KINDS[name].collection or "" for name in kind.children]
        for item_id, row in rows.get(kind.name, {}).items():
            item = made()
            # The row's own dict, moved over: far quicker than keyword arguments per row.
            values = item.__dict__
            values.update(row)
            values["id"] = item_id
            parent = values.pop(PARENT, None)
            if parent_key is not None:
                values[parent_key] = parent
            if POSITION in values:
                values["position"] = values.pop(POSITION)
            for collection in collections:
                values[collection] = []
            items[item_id] = item
    first = next((items[i] for i in rows.get("plan", {})), None)
    plan = first if isinstance(first, ReadPlan) else None
    if plan is not None:
        plan.ga_general = None  # until the children below say otherwise
    # Children in order: the index is sorted by position once for the whole plan.
    for (kind_name, parent_id), ids in child_index(rows).items():
        parent = items.get(parent_id)
        attribute = KINDS[kind_name].collection
        if parent is None:
            continue
        if attribute is None:  # the plan's one Georgia section
            parent.ga_general = items[ids[0]]
        else:
            getattr(parent, attribute).extend(items[i] for i in ids)
    return plan
