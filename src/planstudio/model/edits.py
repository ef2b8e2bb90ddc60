"""The only ways a plan changes: small edit operations, each undoable.

An operation is plain data (kinds, ids, values; never a live ORM object), so
the window can keep it on a `QUndoStack` long after the objects it touched
have been deleted and brought back.  Applying one returns a `Change` (what
moved, for the views) and the operation that undoes it.  Undoing a delete
brings the whole branch back with the same ids, times and links.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from planstudio.model.entities import Item, Plan, new_id, utc_now
from planstudio.model.errors import PlanError
from planstudio.model.kinds import (
    KINDS,
    LINK_KINDS,
    Field,
    Kind,
    kind_named,
    kind_of,
    label_for,
)
from planstudio.model.validation import field_problem

ChangeAction = Literal["added", "updated", "removed", "moved"]


class EditError(PlanError, ValueError):
    """An edit that cannot be made; nothing was changed."""


@dataclass(frozen=True)
class Change:
    """What an applied operation changed, for whoever shows the plan."""

    action: ChangeAction
    kind: str
    item_id: str
    parent_id: str | None = None
    previous_parent_id: str | None = None
    fields: frozenset[str] = frozenset()
    # Other items whose contents changed with it: the steps that lose a deleted
    # catalog entry, or regain it on undo.
    touched: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Applied:
    change: Change
    inverse: EditOp


class EditOp:
    """Base of every operation; `apply` either changes the plan or raises EditError."""

    kind: str

    def apply(self, session: Session, plan: Plan) -> Applied:
        raise NotImplementedError

    def describe(self, plan: Plan | None = None) -> str:
        raise NotImplementedError


# ---------------------------------------------------------------------------- helpers


def _get(session: Session, kind: Kind, item_id: str) -> Any:
    item = session.get(kind.cls, item_id)
    if item is None:
        raise EditError(f"there is no {kind.label.lower()} with id {item_id!r} in this plan")
    return item


def _collection(parent: Any, kind: Kind) -> list[Any]:
    assert kind.collection is not None
    collection: list[Any] = getattr(parent, kind.collection)
    return collection


def _normalise(kind: Kind, spec: Field, value: Any) -> Any:
    """Empty means absent (schema: "absent means empty"), except where a value is required."""
    if isinstance(value, tuple):
        value = list(value)
    if value == "" or value == []:
        value = None
    if value is None:
        if spec.required and spec.is_list:
            return []
        if spec.required and spec.ref is None:
            return ""
        if spec.required:
            raise EditError(f"{kind.label} needs a value for {spec.name}")
        return None
    problem = field_problem(spec.pointer, value)
    if problem is not None:
        raise EditError(f"{kind.label} {spec.name.replace('_', ' ')}: {problem}")
    return copy.deepcopy(value)


def _checked_values(session: Session, kind: Kind, values: Mapping[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name, value in values.items():
        spec = kind.field(name)
        if spec is None:
            raise EditError(f"{kind.label} has no field called {name!r}")
        checked[name] = _normalise(kind, spec, value)
        if spec.ref is not None and checked[name] is not None:
            _get(session, KINDS[spec.ref], checked[name])
    return checked


def _check_link_unique(parent: Any, kind: Kind, values: Mapping[str, Any]) -> None:
    # A role or a method is either responsible for a step or not; funding may
    # repeat, once per school year.
    if kind.name == "funding_link":
        return
    ref_field = kind.fields[0].name
    wanted = values.get(ref_field)
    if any(getattr(link, ref_field) == wanted for link in _collection(parent, kind)):
        raise EditError(f"that {KINDS[kind.fields[0].ref or ''].label.lower()} is already assigned")


def _check_index(index: int | None, size: int) -> int:
    if index is None:
        return size
    if not 0 <= index <= size:
        raise EditError(f"position {index} is outside 0..{size}")
    return index


def _columns(item: Item) -> dict[str, Any]:
    mapper = item.__mapper__
    return {attr.key: copy.deepcopy(getattr(item, attr.key)) for attr in mapper.column_attrs}


@dataclass(frozen=True)
class Snapshot:
    """A whole branch, as column values, so it can be rebuilt exactly."""

    kind: str
    columns: Mapping[str, Any]
    children: tuple[Snapshot, ...] = ()


def take_snapshot(item: Item) -> Snapshot:
    kind = kind_of(item)
    children: list[Snapshot] = []
    for child_kind_name in kind.children:
        child_kind = KINDS[child_kind_name]
        children.extend(take_snapshot(child) for child in _collection(item, child_kind))
    return Snapshot(kind.name, _columns(item), tuple(children))


def _build(snapshot: Snapshot) -> Item:
    kind = KINDS[snapshot.kind]
    item = kind.cls(**copy.deepcopy(dict(snapshot.columns)))
    for child in snapshot.children:
        _collection(item, KINDS[child.kind]).append(_build(child))
    return item


# ---------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class AddItem(EditOp):
    """Add an item under a parent; for link kinds this assigns a catalog entry to a step."""

    kind: str
    parent_id: str
    values: Mapping[str, Any] = field(default_factory=dict)
    index: int | None = None
    item_id: str | None = None

    def apply(self, session: Session, plan: Plan) -> Applied:
        kind = kind_named(self.kind)
        if kind.parent is None or kind.collection is None:
            raise EditError(f"a {kind.label.lower()} cannot be added")
        parent = _get(session, KINDS[kind.parent], self.parent_id)
        siblings = _collection(parent, kind)
        index = _check_index(self.index, len(siblings))
        values = _checked_values(session, kind, self.values)
        for spec in kind.fields:
            if spec.required and spec.name not in values:
                values[spec.name] = _normalise(kind, spec, None)
        if kind.is_link:
            _check_link_unique(parent, kind, values)
        item_id = self.item_id or new_id()
        if session.get(kind.cls, item_id) is not None:
            raise EditError(f"id {item_id!r} is already used in this plan")
        now = utc_now()
        item = kind.cls(id=item_id, created_at=now, modified_at=now, **values)
        siblings.insert(index, item)
        change = Change("added", kind.name, item_id, self.parent_id, fields=frozenset(values))
        return Applied(change, DeleteItem(kind.name, item_id))

    def describe(self, plan: Plan | None = None) -> str:
        kind = kind_named(self.kind)
        verb = "Assign" if kind.is_link else "Add"
        return f"{verb} {label_for(kind, plan)}"


@dataclass(frozen=True)
class UpdateItem(EditOp):
    """Set fields of one item.  `modified_at` is given only when undoing, to restore it."""

    kind: str
    item_id: str
    values: Mapping[str, Any]
    modified_at: datetime | None = None

    def apply(self, session: Session, plan: Plan) -> Applied:
        kind = kind_named(self.kind)
        item = _get(session, kind, self.item_id)
        values = _checked_values(session, kind, self.values)
        before = {name: copy.deepcopy(getattr(item, name)) for name in values}
        previous_modified = item.modified_at
        for name, value in values.items():
            setattr(item, name, value)
        item.modified_at = self.modified_at or utc_now()
        parent_id = getattr(item, kind.parent_key) if kind.parent_key else None
        change = Change("updated", kind.name, self.item_id, parent_id, fields=frozenset(values))
        return Applied(change, UpdateItem(kind.name, self.item_id, before, previous_modified))

    def describe(self, plan: Plan | None = None) -> str:
        kind = kind_named(self.kind)
        if kind.name in {"role", "funding_source"} and set(self.values) <= {"title", "name"}:
            return f"Rename {label_for(kind, plan)}"
        return f"Edit {label_for(kind, plan)}"


@dataclass(frozen=True)
class DeleteItem(EditOp):
    """Delete an item with everything below it; a catalog entry also leaves every step."""

    kind: str
    item_id: str

    def apply(self, session: Session, plan: Plan) -> Applied:
        kind = kind_named(self.kind)
        if kind.parent is None or kind.collection is None:
            raise EditError(f"a {kind.label.lower()} cannot be deleted")
        item = _get(session, kind, self.item_id)
        assert kind.parent_key is not None
        parent_id: str = getattr(item, kind.parent_key)
        parent = _get(session, KINDS[kind.parent], parent_id)
        siblings = _collection(parent, kind)
        index = siblings.index(item)
        links: list[tuple[str, int, Snapshot]] = []
        if kind.is_catalog:
            links = _detach_links(session, kind, self.item_id)
            # The links go first: the database would otherwise cascade them away itself.
            session.flush()
        snapshot = take_snapshot(item)
        siblings.remove(item)
        touched = tuple(dict.fromkeys(("action_step", step_id) for step_id, _, _ in links))
        change = Change("removed", kind.name, self.item_id, parent_id, touched=touched)
        return Applied(change, RestoreItem(snapshot, parent_id, index, tuple(links)))

    def describe(self, plan: Plan | None = None) -> str:
        kind = kind_named(self.kind)
        verb = "Unassign" if kind.is_link else "Delete"
        return f"{verb} {label_for(kind, plan)}"


def _detach_links(session: Session, kind: Kind, entry_id: str) -> list[tuple[str, int, Snapshot]]:
    """Take every link to a catalog entry off its step, remembering where each stood."""
    detached: list[tuple[str, int, Snapshot]] = []
    step_kind = KINDS["action_step"]
    for link_kind_name in LINK_KINDS:
        link_kind = KINDS[link_kind_name]
        ref = link_kind.fields[0]
        if ref.ref != kind.name:
            continue
        column = getattr(link_kind.cls, ref.name)
        assert link_kind.parent_key is not None
        for link in session.scalars(select(link_kind.cls).where(column == entry_id)).all():
            step = _get(session, step_kind, getattr(link, link_kind.parent_key))
            links = _collection(step, link_kind)
            position = links.index(link)
            detached.append((step.id, position, take_snapshot(link)))
            links.remove(link)
    return detached


@dataclass(frozen=True)
class RestoreItem(EditOp):
    """Bring back a deleted branch exactly as it was: the undo of DeleteItem."""

    snapshot: Snapshot
    parent_id: str
    index: int
    links: tuple[tuple[str, int, Snapshot], ...] = ()

    @property
    def kind(self) -> str:  # type: ignore[override]
        return self.snapshot.kind

    def apply(self, session: Session, plan: Plan) -> Applied:
        kind = kind_named(self.snapshot.kind)
        assert kind.parent is not None
        parent = _get(session, KINDS[kind.parent], self.parent_id)
        item_id = self.snapshot.columns["id"]
        if session.get(kind.cls, item_id) is not None:
            raise EditError(f"id {item_id!r} is already used in this plan")
        siblings = _collection(parent, kind)
        siblings.insert(_check_index(self.index, len(siblings)), _build(self.snapshot))
        if self.links:
            # Links name the entry by id only, so it must be in the database first.
            session.flush()
        step_kind = KINDS["action_step"]
        for step_id, position, link in reversed(self.links):
            step = _get(session, step_kind, step_id)
            _collection(step, KINDS[link.kind]).insert(position, _build(link))
        touched = tuple(dict.fromkeys(("action_step", step_id) for step_id, _, _ in self.links))
        change = Change("added", kind.name, item_id, self.parent_id, touched=touched)
        return Applied(change, DeleteItem(kind.name, item_id))

    def describe(self, plan: Plan | None = None) -> str:
        return f"Restore {label_for(kind_named(self.snapshot.kind), plan)}"


@dataclass(frozen=True)
class MoveItem(EditOp):
    """Reorder an item, or move it under another parent of the level above it.

    `index` counts the new parent's children without the moved item.
    """

    kind: str
    item_id: str
    parent_id: str
    index: int

    def apply(self, session: Session, plan: Plan) -> Applied:
        kind = kind_named(self.kind)
        if kind.parent is None or kind.collection is None or kind.parent_key is None:
            raise EditError(f"a {kind.label.lower()} cannot be moved")
        item = _get(session, kind, self.item_id)
        parent_kind = KINDS[kind.parent]
        new_parent = session.get(parent_kind.cls, self.parent_id)
        if new_parent is None:
            raise EditError(
                f"a {label_for(kind, plan)} can only be moved under a "
                f"{label_for(parent_kind, plan)}"
            )
        old_parent_id: str = getattr(item, kind.parent_key)
        old_siblings = _collection(_get(session, parent_kind, old_parent_id), kind)
        old_index = old_siblings.index(item)
        new_siblings = _collection(new_parent, kind)
        size = len(new_siblings) - (1 if new_siblings is old_siblings else 0)
        index = _check_index(self.index, size)
        if kind.is_link and new_siblings is not old_siblings:
            _check_link_unique(
                new_parent, kind, {f.name: getattr(item, f.name) for f in kind.fields}
            )
        old_siblings.remove(item)
        new_siblings.insert(index, item)
        change = Change("moved", kind.name, self.item_id, self.parent_id, old_parent_id)
        return Applied(change, MoveItem(kind.name, self.item_id, old_parent_id, old_index))

    def describe(self, plan: Plan | None = None) -> str:
        return f"Move {label_for(kind_named(self.kind), plan)}"


# ---------------------------------------------------------------------------- shorthands


def assign(
    step_id: str, link_kind: str, entry_id: str, index: int | None = None, **values: Any
) -> AddItem:
    """Assign a catalog entry to an action step, e.g. ``assign(s, "role_link", role_id)``."""
    ref = kind_named(link_kind).fields[0].name
    return AddItem(link_kind, step_id, {ref: entry_id, **values}, index)


def find_link(session: Session, step_id: str, link_kind: str, entry_id: str) -> str | None:
    """The id of the first link from a step to a catalog entry, if there is one."""
    kind = kind_named(link_kind)
    ref = kind.fields[0].name
    step = session.get(KINDS["action_step"].cls, step_id)
    if step is None:
        return None
    for link in _collection(step, kind):
        if getattr(link, ref) == entry_id:
            return str(link.id)
    return None
