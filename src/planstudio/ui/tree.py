"""The plan tree: goal areas → objectives → strategies → action steps, numbered as printed.

The model keeps a mirror of the tree's shape (ids only) so that it can tell
the view what is about to change before it changes; what an item says is read
from the plan itself.  Edits made here (rename in place, drag and drop) go
through the plan's editing like every other edit.
"""

from __future__ import annotations

import json
import weakref
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from planstudio.model import measures
from planstudio.ui.deferred import deferred
from planstudio.ui.editing import Changes, PlanEditing
from planstudio.ui.mime import MIME_BRANCH, MIME_CATALOG_ENTRY, MIME_ITEMS

if TYPE_CHECKING:
    from planstudio.model import clipboard, edits, entities, kinds, numbering, reading
else:
    clipboard = deferred("planstudio.model.clipboard")
    edits = deferred("planstudio.model.edits")
    entities = deferred("planstudio.model.entities")
    kinds = deferred("planstudio.model.kinds")
    numbering = deferred("planstudio.model.numbering")
    reading = deferred("planstudio.model.reading")

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
FULL_TEXT_ROLE = Qt.ItemDataRole.UserRole + 3
_TEXT_ROLES = {
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.EditRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole,
    FULL_TEXT_ROLE,
}

ModelIndex = QModelIndex | QPersistentModelIndex


class Node:
    """A place in the tree: kind and id only; the plan holds the rest."""

    __slots__ = ("children", "id", "kind", "parent")

    def __init__(self, kind: str, item_id: str, parent: Node | None) -> None:
        self.kind = kind
        self.id = item_id
        self.parent = parent
        self.children: list[Node] = []

    def row(self) -> int:
        return 0 if self.parent is None else self.parent.children.index(self)

    @property
    def level(self) -> int:
        return 0 if self.kind == "plan" else kinds.TREE_KINDS.index(self.kind) + 1


def _levels_below() -> dict[str, tuple[str, str]]:
    """For each level of the tree but the last: the kind of its children and where they are."""
    order = kinds.TREE_KINDS
    return {kind: (child, kinds.KINDS[child].collection or "") for kind, child in pairwise(order)}


def _one_line(text: str | None, limit: int = 140) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def outline_of(plan: Any) -> tuple[Node, dict[str, Node]]:
    """The tree's shape for `plan`: its root node, and every node by item id."""
    root = Node("plan", plan.id, None)
    nodes = {plan.id: root}
    root.children = [_branch("goal_area", area, root, nodes) for area in plan.goal_areas]
    return root, nodes


def _branch(kind: str, item: Any, parent: Node, nodes: dict[str, Node]) -> Node:
    """The node of `item` with its whole branch below it, each entered in `nodes`.

    A 10,000-step plan is 13,000 nodes, so each plan attribute is read once and the
    levels are looked up once, not per node.
    """
    below = _levels_below()

    def build(kind: str, item: Any, parent: Node) -> Node:
        node = Node(kind, item.id, parent)
        nodes[node.id] = node
        level = below.get(kind)
        if level is not None:
            child_kind, collection = level
            if child_kind in below:
                node.children = [
                    build(child_kind, child, node) for child in getattr(item, collection)
                ]
            else:  # the last level: leaves, made without a call each
                node.children = [
                    Node(child_kind, child.id, node) for child in getattr(item, collection)
                ]
                nodes.update((leaf.id, leaf) for leaf in node.children)
        return node

    return build(kind, item, parent)


class _Ahead(NamedTuple):
    plan: weakref.ref[Any]
    root: Node
    nodes: dict[str, Node]
    counts: dict[str, Counter[str]]  # each objective's on-track counts


# The outline of a plan being opened, built ahead on the opening's worker thread: built on
# the window's thread, a 10,000-step plan's held it 40 ms in the turn that first shows it,
# and reading its objectives' counts as their rows were first painted, 20-30 ms a turn.
_ahead: _Ahead | None = None


def build_outline_ahead(document: Any) -> None:
    """Build the outline of `document`'s plan now, with its objectives' counts, for the tree
    that shows it next (call off the window's thread, before the window has the plan;
    nothing may edit it in between)."""
    global _ahead
    plan = document.plan
    root, nodes = outline_of(plan)
    objectives = [node.id for node in nodes.values() if node.kind == "objective"]
    counts = dict(reading.measure_counts(document, objectives))
    _ahead = _Ahead(weakref.ref(plan), root, nodes, counts)


def _outline_for(plan: Any) -> _Ahead:
    """The outline built ahead for `plan`, else one built now (its counts read as painted)."""
    global _ahead
    ahead, _ahead = _ahead, None
    if ahead is not None and ahead.plan() is plan:
        return ahead
    return _Ahead(weakref.ref(plan), *outline_of(plan), {})


# Combined once: each `|` of Qt's flags is a few Python calls, and a repaint of the outline
# asks for an item's flags some hundred times.
_ROOT_FLAGS = Qt.ItemFlag.ItemIsDropEnabled
_ITEM_FLAGS = (
    _ROOT_FLAGS
    | Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsEditable
    | Qt.ItemFlag.ItemIsDragEnabled
)


class PlanTreeModel(QAbstractItemModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editing: PlanEditing | None = None
        self._root = Node("plan", "", None)
        self._nodes: dict[str, Node] = {}
        self._numbers: dict[str, str] = {}
        # Each objective's on-track counts, worked out once: painting a row asks for them on
        # every repaint, and working them out reads every target and actual of the objective.
        self._counts: dict[str, Counter[str]] = {}
        # Each row's text, until its item, its marks or its number change.
        self._display: dict[str, str] = {}

    # ------------------------------------------------------------------ building

    def set_editing(self, editing: PlanEditing | None) -> None:
        self.beginResetModel()
        self.editing = editing
        self._rebuild()
        self.endResetModel()

    def on_reset(self) -> None:
        self.set_editing(self.editing)

    def _rebuild(self) -> None:
        self._nodes.clear()
        self._numbers.clear()
        self._counts.clear()
        self._display.clear()
        if self.editing is None:
            self._root = Node("plan", "", None)
            return
        ahead = _outline_for(self.editing.plan)
        self._root, self._nodes = ahead.root, ahead.nodes
        self._counts.update(ahead.counts)

    # ------------------------------------------------------------------ lookups

    def node(self, index: ModelIndex) -> Node:
        if not index.isValid():
            return self._root
        node: Node = index.internalPointer()
        return node

    def index_of(self, item_id: str) -> QModelIndex:
        node = self._nodes.get(item_id)
        if node is None or node is self._root:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    def item(self, node: Node) -> Any:
        assert self.editing is not None
        return reading.item(self.editing.document, node.kind, node.id)

    def number(self, node: Node) -> str:
        if node is self._root:
            return ""
        cached = self._numbers.get(node.id)
        if cached is None:
            parent = node.parent
            assert parent is not None
            cached = numbering.child_number(self.number(parent), node.level, node.row())
            self._numbers[node.id] = cached
        return cached

    def objective_counts(self, node: Node) -> Counter[str]:
        """The on-track counts of an objective's measures; its siblings' are read at once."""
        counts = self._counts.get(node.id)
        if counts is None:
            assert self.editing is not None
            parent = node.parent
            siblings = [n.id for n in parent.children] if parent is not None else [node.id]
            wanted = [i for i in siblings if i not in self._counts] or [node.id]
            self._counts.update(reading.measure_counts(self.editing.document, wanted))
            counts = self._counts.get(node.id) or measures.objective_counts(self.item(node))
        return counts

    # ------------------------------------------------------------------ Qt model

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        owner = self.node(parent)
        if column != 0 or not 0 <= row < len(owner.children):
            return QModelIndex()
        return self.createIndex(row, 0, owner.children[row])

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        owner = self.node(index).parent
        if owner is None or owner is self._root:
            return QModelIndex()
        return self.createIndex(owner.row(), 0, owner)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.column() > 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.editing is None:
            return None
        node = self.node(index)
        if role == KIND_ROLE:
            return node.kind
        if role == ID_ROLE:
            return node.id
        if role not in _TEXT_ROLES:
            return None  # a view asks for a dozen roles per painted row: only these need the item
        if role == Qt.ItemDataRole.DisplayRole:
            cached = self._display.get(node.id)
            if cached is not None:
                return cached
        item = self.item(node)
        if item is None:
            return None
        text = getattr(item, reading.TITLE_FIELD[node.kind]) or ""
        label = self.editing.plan.labels[node.level - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            shown = _one_line(text) or f"(untitled {label.lower()})"
            if node.kind == "action_step" and item.status:
                from planstudio.model.vocabulary import STEP_STATUSES

                shown += f"  [{STEP_STATUSES.get(item.status, item.status)}]"
            if node.kind == "objective":
                marks = measures.mark_text(self.objective_counts(node))
                if marks:
                    shown += f"  [{marks}]"
            shown = self._display[node.id] = f"{self.number(node)}  {shown}"
            return shown
        if role == Qt.ItemDataRole.EditRole:
            return text
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            described = f"{label} {self.number(node)}: {_one_line(text, 600)}"
            if node.kind == "objective" and item.measures:
                counts = self.objective_counts(node)
                described += (
                    f"\nMeasures: {counts['on_track']} on track, {counts['off_track']} off track,"
                    f" {counts['no_data']} without data"
                )
            return described
        if role == FULL_TEXT_ROLE:
            return f"{self.number(node)} {text}"
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.editing is None:
            return False
        node = self.node(index)
        field = reading.TITLE_FIELD[node.kind]
        if (getattr(self.item(node), field) or "") == value:
            return False
        operation = edits.UpdateItem(node.kind, node.id, {field: value})
        label = self.editing.plan.labels[node.level - 1]
        return self.editing.push(operation, f"Rename {label}")

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _ITEM_FLAGS if index.isValid() else _ROOT_FLAGS

    # ------------------------------------------------------------------ following edits

    def on_changes(self, changes: Changes) -> None:
        """Follow one push, undo or redo: each change in the order it was applied."""
        for change in changes.items:
            self._follow(change)

    def _follow(self, change: edits.Change) -> None:
        if self.editing is None:
            return
        if change.kind == "plan":
            self._display.clear()  # "(untitled …)" says a level's name
            if "level_labels" in change.fields:
                self._all_changed()
                return
        if change.kind in ("measure", "target", "actual"):
            self._measures_changed(change)
            return
        if change.kind == "review" or change.kind not in kinds.TREE_KINDS:
            return
        if change.action == "updated":
            self._display.pop(change.item_id, None)
            index = self.index_of(change.item_id)
            if index.isValid():
                self.dataChanged.emit(index, index)
        elif change.action == "removed":
            self._remove(change.item_id)
        elif change.action == "added":
            self._insert(change.kind, change.item_id, change.parent_id)
        elif change.action == "moved":
            self._move(change.kind, change.item_id, change.parent_id)

    def _measures_changed(self, change: edits.Change) -> None:
        """A measure, target or actual changed: its objective's on-track marks may have."""
        assert self.editing is not None
        objective_ids = {change.parent_id, change.previous_parent_id}
        if change.kind != "measure":
            measure = reading.get(self.editing.document, entities.Measure, change.parent_id or "")
            objective_ids = {measure.objective_id if measure is not None else None}
        for objective_id in objective_ids - {None}:
            self._counts.pop(objective_id or "", None)
            self._display.pop(objective_id or "", None)
            index = self.index_of(objective_id or "")
            if index.isValid():
                self.dataChanged.emit(index, index)

    def _parent_index(self, node: Node) -> QModelIndex:
        return QModelIndex() if node is self._root else self.createIndex(node.row(), 0, node)

    def _forget(self, node: Node) -> None:
        self._nodes.pop(node.id, None)
        for child in node.children:
            self._forget(child)

    def _remove(self, item_id: str) -> None:
        node = self._nodes.get(item_id)
        if node is None or node.parent is None:
            return
        parent, row = node.parent, node.row()
        self.beginRemoveRows(self._parent_index(parent), row, row)
        parent.children.pop(row)
        self._forget(node)
        self.endRemoveRows()
        self._renumbered(parent, row)

    def _insert(self, kind: str, item_id: str, parent_id: str | None) -> None:
        parent = self._nodes.get(parent_id or "")
        if parent is None or item_id in self._nodes:
            return
        assert self.editing is not None
        item = reading.item(self.editing.document, kind, item_id)
        if item is None:
            return  # added and taken away again in the same step (a refused paste)
        row = min(item.position, len(parent.children))
        self.beginInsertRows(self._parent_index(parent), row, row)
        parent.children.insert(row, _branch(kind, item, parent, self._nodes))
        self.endInsertRows()
        self._renumbered(parent, row)

    def _move(self, kind: str, item_id: str, parent_id: str | None) -> None:
        node = self._nodes.get(item_id)
        new_parent = self._nodes.get(parent_id or "")
        if node is None or node.parent is None or new_parent is None:
            return
        assert self.editing is not None
        item = reading.item(self.editing.document, kind, item_id)
        if item is None:
            return
        old_parent, old_row, new_row = node.parent, node.row(), item.position
        destination = new_row + 1 if new_parent is old_parent and new_row > old_row else new_row
        if not self.beginMoveRows(
            self._parent_index(old_parent), old_row, old_row,
            self._parent_index(new_parent), destination,
        ):  # fmt: skip
            return
        old_parent.children.pop(old_row)
        new_parent.children.insert(new_row, node)
        node.parent = new_parent
        self.endMoveRows()
        self._renumbered(old_parent, min(old_row, new_row) if new_parent is old_parent else old_row)
        if new_parent is not old_parent:
            self._renumbered(new_parent, new_row)

    def _renumbered(self, parent: Node, from_row: int) -> None:
        """Numbers after an insert, removal or move shift: drop them and repaint."""
        for child in parent.children[from_row:]:
            self._drop_numbers(child)
        if from_row < len(parent.children):
            first = self.createIndex(from_row, 0, parent.children[from_row])
            last = self.createIndex(len(parent.children) - 1, 0, parent.children[-1])
            self.dataChanged.emit(first, last, [Qt.ItemDataRole.DisplayRole])
            for child in parent.children[from_row:]:
                self._descendants_changed(child)

    def _drop_numbers(self, node: Node) -> None:
        self._numbers.pop(node.id, None)
        self._display.pop(node.id, None)
        for child in node.children:
            self._drop_numbers(child)

    def _descendants_changed(self, node: Node) -> None:
        if not node.children:
            return
        first = self.createIndex(0, 0, node.children[0])
        last = self.createIndex(len(node.children) - 1, 0, node.children[-1])
        self.dataChanged.emit(first, last, [Qt.ItemDataRole.DisplayRole])
        for child in node.children:
            self._descendants_changed(child)

    def _all_changed(self) -> None:
        self._numbers.clear()
        self._display.clear()
        self._renumbered(self._root, 0)

    # ------------------------------------------------------------------ drag and drop

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [MIME_ITEMS, MIME_BRANCH, MIME_CATALOG_ENTRY]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        if self.editing is None or not indexes:
            return data
        node = self.node(indexes[0])
        source = {"document": id(self.editing), "kind": node.kind, "id": node.id}
        data.setData(MIME_ITEMS, QByteArray(json.dumps(source).encode("utf-8")))
        branch = reading.branch(self.editing.document, node.kind, node.id)
        data.setData(MIME_BRANCH, QByteArray(clipboard.dumps_branch(branch).encode("utf-8")))
        data.setText(self.data(indexes[0], FULL_TEXT_ROLE) or "")
        return data

    def _drop_plan(self, data: QMimeData, row: int, parent: ModelIndex) -> tuple[str, Any] | None:
        """What a drop would do: ("move", op), ("paste", ops), ("assign", op), or None."""
        if self.editing is None:
            return None
        target = self.node(parent)
        if data.hasFormat(MIME_CATALOG_ENTRY):
            entry = json.loads(bytes(data.data(MIME_CATALOG_ENTRY).data()).decode("utf-8"))
            if target.kind != "action_step":
                return None
            link_kind = reading.catalog_link_kind(
                self.editing.document, str(entry.get("kind")), str(entry.get("id"))
            )
            if link_kind is None:
                return None
            return "assign", edits.assign(target.id, link_kind, entry["id"])
        if data.hasFormat(MIME_ITEMS):
            source = json.loads(bytes(data.data(MIME_ITEMS).data()).decode("utf-8"))
            if source.get("document") == id(self.editing):
                return self._move_plan(source["kind"], source["id"], target, row)
        if data.hasFormat(MIME_BRANCH):
            branch = clipboard.loads_branch(bytes(data.data(MIME_BRANCH).data()))
            if branch is None or (target is self._root and branch["kind"] != "goal_area"):
                return None
            try:
                operations = reading.paste_operations(
                    self.editing.document, branch, target.kind, target.id
                )
            except ValueError:
                return None
            return "paste", operations
        return None

    def _move_plan(self, kind: str, item_id: str, target: Node, row: int) -> tuple[str, Any] | None:
        parent_kind = kinds.KINDS[kind].parent
        if target.kind == parent_kind:
            new_parent, index = target, row if row >= 0 else len(target.children)
        elif target.kind == kind and target.parent is not None:
            # Dropped onto a sibling: it goes just after it.
            new_parent, index = target.parent, target.row() + 1
        else:
            return None
        moving = self._nodes.get(item_id)
        if moving is None or moving is new_parent:
            return None
        if moving.parent is new_parent and moving.row() < index:
            index -= 1  # MoveItem counts without the moved item
        index = max(0, min(index, len(new_parent.children) - (moving.parent is new_parent)))
        if moving.parent is new_parent and moving.row() == index:
            return None
        return "move", edits.MoveItem(kind, item_id, new_parent.id, index)

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: ModelIndex) -> bool:  # fmt: skip
        return self._drop_plan(data, row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: ModelIndex) -> bool:  # fmt: skip
        plan = self._drop_plan(data, row, parent)
        if plan is None or self.editing is None:
            return False
        what, operation = plan
        if what == "paste":
            label = self.editing.plan.labels[kinds.TREE_KINDS.index(operation[-1].kind)]
            self.editing.push_many(operation, f"Paste {label}")
        else:
            self.editing.push(operation)
        # False: the edit is done; the view must not remove the dragged rows itself.
        return False


class PlanFilterModel(QSortFilterProxyModel):
    """Narrows the tree to items whose text matches, keeping their ancestors."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterRole(FULL_TEXT_ROLE)


class PlanTreeView(QTreeView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setAccessibleName("Plan outline")
        self.setWordWrap(False)
