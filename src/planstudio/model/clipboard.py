"""Copying whole branches of the tree, within a plan and from one plan to another.

A copied branch is plain JSON: the branch's snapshot plus the catalog entries
its steps use.  Pasting gives every item a new id and maps catalog entries onto
the target plan's own (same id, else same name, else a new entry), so a branch
pasted into another plan keeps its funding, roles and monitoring methods.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from planstudio.model.edits import AddItem, EditError, EditOp, RestoreItem, Snapshot, take_snapshot
from planstudio.model.entities import Plan, Positioned, new_id, utc_now
from planstudio.model.kinds import CATALOG_KINDS, KINDS, kind_named, label_for

BRANCH_FORMAT = "planstudio.branch"
_NAME_FIELD = {"funding_source": "name", "role": "title", "monitoring_method": "text"}


def _to_json(snapshot: Snapshot) -> dict[str, Any]:
    columns = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in snapshot.columns.items()
    }
    return {
        "kind": snapshot.kind,
        "columns": columns,
        "children": [_to_json(child) for child in snapshot.children],
    }


def _catalog_refs(snapshot: Snapshot, found: dict[str, set[str]]) -> None:
    kind = KINDS[snapshot.kind]
    for spec in kind.fields:
        if spec.ref is not None and snapshot.columns.get(spec.name):
            found.setdefault(spec.ref, set()).add(snapshot.columns[spec.name])
    for child in snapshot.children:
        _catalog_refs(child, found)


def copy_branch(session: Session, kind_name: str, item_id: str) -> dict[str, Any]:
    """A branch of the tree as JSON-ready data, with the catalog entries it refers to."""
    kind = kind_named(kind_name)
    item = session.get(kind.cls, item_id)
    if item is None:
        raise EditError(f"there is no {kind.label.lower()} with id {item_id!r}")
    snapshot = take_snapshot(item)
    refs: dict[str, set[str]] = {}
    _catalog_refs(snapshot, refs)
    catalog: dict[str, list[dict[str, Any]]] = {}
    for catalog_kind, ids in refs.items():
        entries = []
        for entry_id in sorted(ids):
            entry = session.get(KINDS[catalog_kind].cls, entry_id)
            if entry is not None:
                entries.append(
                    {
                        "id": entry.id,
                        **{f.name: getattr(entry, f.name) for f in KINDS[catalog_kind].fields},
                    }
                )
        catalog[catalog_kind] = entries
    return {"format": BRANCH_FORMAT, "version": 1, "kind": kind.name,
            "branch": _to_json(snapshot), "catalog": catalog}  # fmt: skip


def dumps_branch(branch: dict[str, Any]) -> str:
    return json.dumps(branch, ensure_ascii=False)


def loads_branch(text: str | bytes) -> dict[str, Any] | None:
    """A copied branch from clipboard text, or None when the text is not one."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("format") != BRANCH_FORMAT:
        return None
    if data.get("kind") not in KINDS or not isinstance(data.get("branch"), dict):
        return None
    return data


def _normal(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def _renew(node: dict[str, Any], parent_key: str | None, parent_id: str | None,
           catalog_map: dict[str, dict[str, str]]) -> Snapshot:  # fmt: skip
    kind = kind_named(node["kind"])
    columns = dict(node["columns"])
    columns["id"] = new_id()
    now = utc_now()
    columns["created_at"] = columns["modified_at"] = now
    if parent_key is not None and parent_id is not None:
        columns[parent_key] = parent_id
    for spec in kind.fields:
        if spec.ref is not None and columns.get(spec.name) is not None:
            columns[spec.name] = catalog_map.get(spec.ref, {}).get(
                columns[spec.name], columns[spec.name]
            )
    children = tuple(
        _renew(child, kind_named(child["kind"]).parent_key, columns["id"], catalog_map)
        for child in node.get("children", [])
    )
    return Snapshot(kind.name, columns, children)


def paste_operations(
    session: Session, plan: Plan, branch: dict[str, Any], target_kind: str, target_id: str
) -> list[EditOp]:
    """The edits that paste `branch` onto (or next to) the target item, as one undo step.

    A branch of kind K goes in as the last child of a target of K's parent
    level, or just after a target of level K.
    """
    kind = kind_named(branch["kind"])
    assert kind.parent is not None and kind.parent_key is not None
    parent_kind = KINDS[kind.parent]
    if target_kind == kind.parent:
        parent = session.get(parent_kind.cls, target_id)
        index = None
    elif target_kind == kind.name:
        sibling = session.get(kind.cls, target_id)
        # Every level of the tree is ordered, so a sibling that is not Positioned is gone.
        if not isinstance(sibling, Positioned):
            raise EditError("the place to paste into is gone")
        parent = session.get(parent_kind.cls, getattr(sibling, kind.parent_key))
        index = sibling.position + 1
    else:
        raise EditError(
            f"a {label_for(kind, plan)} can only be pasted onto a "
            f"{label_for(parent_kind, plan)} or next to another {label_for(kind, plan)}"
        )
    if parent is None:
        raise EditError("the place to paste into is gone")
    operations: list[EditOp] = []
    catalog_map: dict[str, dict[str, str]] = {}
    for catalog_kind in CATALOG_KINDS:
        entries = branch.get("catalog", {}).get(catalog_kind, [])
        if not entries:
            continue
        collection = getattr(plan, KINDS[catalog_kind].collection or "")
        by_name = {_normal(getattr(e, _NAME_FIELD[catalog_kind])): e.id for e in collection}
        mapping = catalog_map.setdefault(catalog_kind, {})
        for entry in entries:
            if session.get(KINDS[catalog_kind].cls, entry["id"]) is not None:
                mapping[entry["id"]] = entry["id"]
                continue
            existing = by_name.get(_normal(entry.get(_NAME_FIELD[catalog_kind])))
            if existing is not None:
                mapping[entry["id"]] = existing
                continue
            fresh = new_id()
            values = {f.name: entry.get(f.name) for f in KINDS[catalog_kind].fields}
            operations.append(AddItem(catalog_kind, plan.id, values, item_id=fresh))
            mapping[entry["id"]] = fresh
    snapshot = _renew(branch["branch"], kind.parent_key, parent.id, catalog_map)
    size = len(getattr(parent, kind.collection or ""))
    operations.append(RestoreItem(snapshot, parent.id, size if index is None else index))
    return operations
