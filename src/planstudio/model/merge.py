"""Three-way merge of two copies of a plan, and the edits that bring a plan to a given state.

Both work on row maps (see `rowmap`).  `merge(base, mine, theirs)` takes every
change only one side made and lists what both changed differently as a
`Conflict`, resolved by choosing mine, theirs or a typed value; `result()` is
then the merged plan.  `edits_to_reach(current, target)` turns any target
state into ordinary edit operations, so a merge, a restored version or an
`apply` is one undo step like any other edit.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from planstudio.model.diff import Difference, _Outline, compare
from planstudio.model.edits import AddItem, DeleteItem, EditOp, MoveItem, UpdateItem
from planstudio.model.kinds import KINDS
from planstudio.model.rowmap import (
    PARENT,
    POSITION,
    Row,
    RowMap,
    align_plan,
    child_index,
    copy_rows,
    kinds_in_order,
)

Choice = Literal["mine", "theirs", "value"]
ConflictKind = Literal[
    "field", "moved", "edited-deleted", "deleted-edited", "only-theirs", "only-mine"
]

_DESCRIBE = {
    "field": "changed differently in both copies",
    "moved": "moved to different places in the two copies",
    "edited-deleted": "changed here, deleted in the other copy",
    "deleted-edited": "deleted here, changed in the other copy",
    "only-theirs": "only in the other copy",
    "only-mine": "only in this plan",
}


@dataclass
class Conflict:
    """One thing the two copies disagree on; `choice` says which side wins (mine by default)."""

    what: ConflictKind
    kind: str
    item_id: str
    place: str
    subject: str
    field: str | None = None
    base: Any = None
    mine: Any = None
    theirs: Any = None
    # For whole items: every row that goes with the choice (the item's branch).
    members: tuple[tuple[str, str], ...] = ()
    choice: Choice = "mine"
    value: Any = None
    # How mine and theirs read when the values are ids (a move: the places it went to).
    shown: tuple[str, str] | None = None
    # The row's key the choice is written to (`field` is how it reads: "student group").
    key: str | None = None

    @property
    def description(self) -> str:
        return _DESCRIBE[self.what]

    def line(self) -> str:
        from planstudio.model.diff import show

        if self.field is not None:
            mine, theirs = self.shown or (show(self.mine), show(self.theirs))
            return (f"{self.place}  {self.field}: {self.description} (mine {mine}, "
                    f"theirs {theirs})")  # fmt: skip
        return f"{self.place}  {self.subject}: {self.description}"

    def resolve(self, choice: Choice, value: Any = None) -> None:
        if choice == "value" and self.field is None:
            raise ValueError("only a field can take a typed value")
        self.choice = choice
        self.value = value


@dataclass
class Merge:
    """The outcome of comparing two copies against their common version."""

    base: RowMap | None
    mine: RowMap
    theirs: RowMap
    conflicts: list[Conflict]
    # Rows as both sides agree or as only one side changed them, before conflicts.
    merged: RowMap
    _taken: list[Difference] | None = field(default=None, repr=False)
    _results: dict[tuple[tuple[str, str], ...], RowMap] = field(default_factory=dict, repr=False)
    _child_indexes: tuple[_Index, _Index, _Index] | None = field(default=None, repr=False)

    @property
    def taken(self) -> list[Difference]:
        """What the merge changes in this plan, as chosen so far (worked out when asked)."""
        if self._taken is None:
            self._taken = compare(self.mine, self.result())
        return self._taken

    @property
    def has_common_version(self) -> bool:
        return self.base is not None

    def result(self) -> RowMap:
        """The merged plan, with every conflict resolved as chosen (worked out once per set
        of choices: a large plan's merge is asked for its result more than once)."""
        choices = tuple((c.choice, repr(c.value)) for c in self.conflicts)
        cached = self._results.get(choices)
        if cached is None:
            rows = copy_rows(self.merged)
            for conflict in self.conflicts:
                _resolve_into(rows, conflict, self.mine, self.theirs)
            _order(rows, self._indexes(), self.base is not None, self.mine)
            _drop_dangling(rows)
            self._results = {choices: rows}
            self._taken = None
            cached = rows
        return copy_rows(cached)

    def _indexes(self) -> tuple[_Index, _Index, _Index]:
        if self._child_indexes is None:
            self._child_indexes = (
                child_index(self.base) if self.base is not None else {},
                child_index(self.mine),
                child_index(self.theirs),
            )
        return self._child_indexes


_Index = dict[tuple[str, str], list[str]]


def _resolve_into(rows: RowMap, conflict: Conflict, mine: RowMap, theirs: RowMap) -> None:
    if conflict.field is not None:
        row = rows.get(conflict.kind, {}).get(conflict.item_id)
        if row is None:
            return
        name = conflict.key or conflict.field
        if conflict.choice == "value":
            row[name] = conflict.value
        else:
            row[name] = conflict.mine if conflict.choice == "mine" else conflict.theirs
        return
    source = mine if conflict.choice == "mine" else theirs
    for kind, item_id in conflict.members:
        if item_id in source.get(kind, {}):
            rows.setdefault(kind, {})[item_id] = dict(source[kind][item_id])
        else:
            rows.get(kind, {}).pop(item_id, None)


# ---------------------------------------------------------------------------- merging


def merge(base: RowMap | None, mine: RowMap, theirs: RowMap) -> Merge:
    """Merge `theirs` into `mine`; without a `base` every difference is a choice."""
    theirs = align_plan(mine, theirs)
    base = align_plan(mine, base) if base is not None else None
    indexes = (
        child_index(base) if base is not None else {},
        child_index(mine),
        child_index(theirs),
    )
    outline = _Outline(mine, indexes[1])
    theirs_outline = _Outline(theirs, indexes[2])
    merged: RowMap = {}
    conflicts: list[Conflict] = []
    reference = base if base is not None else {}
    touched_mine = _touched(reference, mine) if base is not None else set()
    touched_theirs = _touched(reference, theirs) if base is not None else set()
    handled: set[tuple[str, str]] = set()
    mine_branch, theirs_branch = _Branches(mine, indexes[1]), _Branches(theirs, indexes[2])

    for kind in kinds_in_order():
        b_rows, m_rows, t_rows = (
            reference.get(kind.name, {}),
            mine.get(kind.name, {}),
            theirs.get(kind.name, {}),
        )
        out = merged.setdefault(kind.name, {})
        for item_id in m_rows.keys() | t_rows.keys() | b_rows.keys():
            key = (kind.name, item_id)
            if key in handled:
                continue
            m, t, b = m_rows.get(item_id), t_rows.get(item_id), b_rows.get(item_id)
            if m is not None and t is not None:
                out[item_id] = _merge_row(kind.name, item_id, b, m, t, base is not None,
                                          conflicts, outline, theirs_outline)  # fmt: skip
            elif m is not None:
                if base is None or b is None:
                    if base is None:
                        branch = mine_branch(kind.name, item_id)
                        handled.update(branch)
                        conflicts.append(_whole("only-mine", kind.name, item_id, branch, outline))
                    _copy_branch_rows(out, merged, mine, [(kind.name, item_id)])
                elif (kind.name, item_id) in touched_mine:
                    branch = mine_branch(kind.name, item_id)
                    handled.update(branch)
                    conflicts.append(_whole("edited-deleted", kind.name, item_id, branch, outline))
                    _copy_branch_rows(out, merged, mine, branch)
                # else: deleted in theirs, untouched here: it goes
            elif t is not None:
                if base is None or b is None:
                    branch = theirs_branch(kind.name, item_id)
                    if base is None:
                        handled.update(branch)
                        conflicts.append(
                            _whole("only-theirs", kind.name, item_id, branch, theirs_outline)
                        )
                    else:
                        out[item_id] = dict(t)
                elif (kind.name, item_id) in touched_theirs:
                    branch = theirs_branch(kind.name, item_id)
                    handled.update(branch)
                    conflicts.append(
                        _whole("deleted-edited", kind.name, item_id, branch, theirs_outline)
                    )
                # else: deleted here, untouched there: it stays deleted
    result = Merge(base, mine, theirs, conflicts, merged)
    result._child_indexes = indexes
    return result


def _merge_row(
    kind: str, item_id: str, base: Row | None, mine: Row, theirs: Row, has_base: bool,
    conflicts: list[Conflict], outline: _Outline, theirs_outline: _Outline,
) -> Row:  # fmt: skip
    if mine == theirs:
        return dict(mine)
    row = dict(mine)
    names = [spec.name for spec in KINDS[kind].fields] + [PARENT]
    for name in names:
        m, t = mine.get(name), theirs.get(name)
        if m == t:
            continue
        b = base.get(name) if base is not None else None
        if has_base and base is not None and m == b:
            row[name] = t
        elif has_base and base is not None and t == b:
            continue
        else:
            what: ConflictKind = "moved" if name == PARENT else "field"
            label = "place" if name == PARENT else name.replace("_", " ")
            place, subject = outline.place(kind, item_id), outline.subject(kind, item_id)
            conflict = Conflict(what, kind, item_id, place, subject, label, b, m, t, key=name)
            if name == PARENT:
                conflict.shown = (f"at {outline.place(kind, item_id)}",
                                  f"at {theirs_outline.place(kind, item_id)}")  # fmt: skip
            conflicts.append(conflict)
    return row


def _whole(what: ConflictKind, kind: str, item_id: str, branch: list[tuple[str, str]],
           outline: _Outline) -> Conflict:  # fmt: skip
    return Conflict(what, kind, item_id, outline.place(kind, item_id),
                    outline.subject(kind, item_id), members=tuple(branch))  # fmt: skip


def _copy_branch_rows(out: dict[str, Row], merged: RowMap, source: RowMap,
                      branch: Iterable[tuple[str, str]]) -> None:  # fmt: skip
    for kind, item_id in branch:
        row = source.get(kind, {}).get(item_id)
        if row is not None:
            merged.setdefault(kind, {})[item_id] = dict(row)


class _Branches:
    """An item and everything below it (children, links, points), parents first; the child
    lists are worked out once per plan, as a merge asks for many branches."""

    def __init__(self, rows: RowMap, index: _Index) -> None:
        self.rows = rows
        self.index = index
        self.links_to: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for kind in KINDS.values():
            if kind.is_link and kind.fields[0].ref is not None:
                ref_kind, ref = kind.fields[0].ref, kind.fields[0].name
                for link_id, row in rows.get(kind.name, {}).items():
                    key = (ref_kind, str(row.get(ref)))
                    self.links_to.setdefault(key, []).append((kind.name, link_id))

    def __call__(self, kind: str, item_id: str) -> list[tuple[str, str]]:
        found = [(kind, item_id)]
        for current_kind, current_id in found:
            for child_kind in KINDS[current_kind].children:
                found.extend(
                    (child_kind, child) for child in self.index.get((child_kind, current_id), [])
                )
        found.extend(self.links_to.get((kind, item_id), []))
        return found


def _touched(base: RowMap, side: RowMap) -> set[tuple[str, str]]:
    """Rows a side added, changed or removed, and every item above them."""
    touched: set[tuple[str, str]] = set()
    for kind in KINDS:
        b_rows, s_rows = base.get(kind, {}), side.get(kind, {})
        for item_id, row in s_rows.items():
            if b_rows.get(item_id) != row:
                touched.update(_with_owners(side, kind, item_id))
                if item_id in b_rows:
                    touched.update(_with_owners(base, kind, item_id))
        for item_id in b_rows.keys() - s_rows.keys():
            touched.update(_with_owners(base, kind, item_id))
    return touched


def _with_owners(rows: RowMap, kind: str, item_id: str) -> list[tuple[str, str]]:
    chain = [(kind, item_id)]
    current_kind, current_id = kind, item_id
    while True:
        parent_kind = KINDS[current_kind].parent
        parent_id = rows.get(current_kind, {}).get(current_id, {}).get(PARENT)
        if parent_kind is None or parent_kind == "plan" or parent_id is None:
            return chain
        current_kind, current_id = parent_kind, parent_id
        chain.append((current_kind, current_id))


# ---------------------------------------------------------------------------- order


def _order(rows: RowMap, indexes: tuple[_Index, _Index, _Index], has_base: bool,
           mine: RowMap) -> None:  # fmt: skip
    """Number the children of every parent whose children changed: mine's order, or theirs'
    where only they reordered; items from the other side go after their neighbour there."""
    base_index, mine_index, theirs_index = indexes
    dirty: set[tuple[str, str]] = set()
    arrivals: dict[tuple[str, str], list[str]] = {}
    for kind, by_id in rows.items():
        mine_rows = mine.get(kind, {})
        for item_id, row in by_id.items():
            old = mine_rows.get(item_id)
            parent = row.get(PARENT)
            if parent is not None and (old is None or old.get(PARENT) != parent):
                dirty.add((kind, parent))
                arrivals.setdefault((kind, parent), []).append(item_id)
                if old is not None and old.get(PARENT) is not None:
                    dirty.add((kind, old[PARENT]))
        for item_id, old in mine_rows.items():
            if item_id not in by_id and old.get(PARENT) is not None:
                dirty.add((kind, old[PARENT]))
    dirty.update(key for key, order in theirs_index.items() if base_index.get(key) != order)
    for key in dirty:
        kind, parent = key
        table = rows.get(kind, {})
        candidates = [*mine_index.get(key, []), *theirs_index.get(key, []), *arrivals.get(key, [])]
        members = list(dict.fromkeys(i for i in candidates
                                     if i in table and table[i].get(PARENT) == parent))  # fmt: skip
        present = set(members)
        mine_order = [i for i in mine_index.get(key, []) if i in present]
        theirs_order = [i for i in theirs_index.get(key, []) if i in present]
        in_both = set(mine_order) & set(theirs_order)
        base_common = [i for i in base_index.get(key, []) if i in in_both]
        mine_common = [i for i in mine_order if i in in_both]
        only_they_reordered = has_base and base_common == mine_common
        primary, secondary = (
            (theirs_order, mine_order) if only_they_reordered else (mine_order, theirs_order)
        )
        order = list(primary)
        placed = set(order)
        for position, item_id in enumerate(secondary):
            if item_id in placed:
                continue
            before = next((secondary[j] for j in range(position - 1, -1, -1)
                           if secondary[j] in placed), None)  # fmt: skip
            order.insert(order.index(before) + 1 if before is not None else 0, item_id)
            placed.add(item_id)
        order.extend(i for i in members if i not in placed)
        for number, item_id in enumerate(order):
            if POSITION in table[item_id]:
                table[item_id][POSITION] = number


def _drop_dangling(rows: RowMap) -> None:
    """Rows whose parent or catalog entry did not survive the merge, and doubled links."""
    for kind in kinds_in_order():
        if kind.parent is None or kind.parent_key is None:
            continue
        parents = rows.get(kind.parent, {})
        table = rows.get(kind.name, {})
        for item_id in [i for i, row in table.items() if row.get(PARENT) not in parents]:
            del table[item_id]
        if kind.is_link:
            ref = kind.fields[0]
            assert ref.ref is not None
            entries = rows.get(ref.ref, {})
            seen: set[tuple[Any, Any]] = set()
            for item_id, row in sorted(table.items(), key=lambda pair: pair[1].get(POSITION, 0)):
                pair = (row.get(PARENT), row.get(ref.name))
                doubled = kind.name != "funding_link" and pair in seen
                if row.get(ref.name) not in entries or doubled:
                    del table[item_id]
                seen.add(pair)


# ---------------------------------------------------------------------------- edits


def edits_to_reach(current: RowMap, target: RowMap) -> list[EditOp]:
    """Edit operations that turn `current` into `target`, ids kept, in an order that applies."""
    operations: list[EditOp] = []
    kinds = list(kinds_in_order())
    plan_id = next(iter(current.get("plan", {})), None)
    # Deletions: only the top of each removed branch (a delete takes the branch with it).
    removed = {(k.name, i) for k in kinds for i in current.get(k.name, {})
               if i not in target.get(k.name, {})}  # fmt: skip
    for kind in kinds:
        if kind.parent is None or kind.collection is None:
            continue
        for item_id, row in current.get(kind.name, {}).items():
            if (kind.name, item_id) not in removed:
                continue
            if (kind.parent, row.get(PARENT)) in removed:
                continue
            if kind.is_link and (kind.fields[0].ref, row.get(kind.fields[0].name)) in removed:
                continue  # deleting the catalog entry takes its links along
            operations.append(DeleteItem(kind.name, item_id))
    # Simulated child lists, to know where things stand as the edits go.
    lists = {key: [i for i in ids if (key[0], i) not in removed]
             for key, ids in child_index(current).items()}  # fmt: skip
    # Additions, parents first; moves to another parent; field changes.
    for kind in kinds:
        fields = [spec.name for spec in kind.fields]
        existing = current.get(kind.name, {})
        for item_id, row in target.get(kind.name, {}).items():
            old = existing.get(item_id)
            if old is not None and (old == row or _same_but_position(old, row)):
                continue  # most rows: nothing to do, and no values to copy
            values = {name: copy.deepcopy(row.get(name)) for name in fields}
            if old is None:
                if kind.parent is None or kind.collection is None:
                    continue  # the plan itself, or its one Georgia section
                parent = str(row.get(PARENT))
                operations.append(AddItem(kind.name, parent, _present(values), None, item_id))
                lists.setdefault((kind.name, parent), []).append(item_id)
                continue
            if kind.parent_key is not None and old.get(PARENT) != row.get(PARENT):
                parent = str(row.get(PARENT))
                if kind.name == "ga_general" or plan_id is None:
                    continue
                size = len(lists.get((kind.name, parent), []))
                operations.append(MoveItem(kind.name, item_id, parent, size))
                lists.get((kind.name, str(old.get(PARENT))), []).remove(item_id)
                lists.setdefault((kind.name, parent), []).append(item_id)
            changed = {name: value for name, value in values.items() if old.get(name) != value}
            if changed:
                operations.append(UpdateItem(kind.name, item_id, changed))
    # Order: move each child to its place, first to last.
    for key, wanted in child_index(target).items():
        kind_name, parent = key
        have = lists.get(key, [])
        for place, item_id in enumerate(wanted):
            if place < len(have) and have[place] == item_id:
                continue
            if item_id not in have:
                continue
            have.remove(item_id)
            have.insert(place, item_id)
            operations.append(MoveItem(kind_name, item_id, parent, place))
    return operations


def _same_but_position(old: Row, new: Row) -> bool:
    # Order is settled by the moves at the end; a renumbered row needs no update.
    return {**old, POSITION: None} == {**new, POSITION: None}


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}
