"""The editing of the open plan: its PlanDocument, its undo stack, and one batch of changes a step.

Every edit goes through `push` as a model edit operation; the undo stack wraps
it in an `EditCommand`, which keeps the operations as plain data (ids and
values), never ORM objects.  Each push, undo and redo hands the window ONE
`Changes` on `changed` (as Anki hands each operation's `OpChanges` to its
views), and the window dispatches it to the tree, the editor and the side
panels in one place, so that no widget reaches into another and none batches
the changes again on a timer of its own.

Named "editing" rather than "session" so that in this code "session" means one
thing only: the SQLAlchemy session inside the document.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from planstudio.model import PlanError
from planstudio.ui.deferred import deferred

if TYPE_CHECKING:
    from planstudio.model import document as plan_document
    from planstudio.model import edits, entities
else:
    plan_document = deferred("planstudio.model.document")
    edits = deferred("planstudio.model.edits")
    entities = deferred("planstudio.model.entities")

_merge_generation = itertools.count(1)


@dataclass(frozen=True)
class Changes:
    """What one push, undo or redo did to the plan: its model Changes, in the order applied."""

    items: tuple[edits.Change, ...]

    @property
    def structural(self) -> bool:
        """Whether an item was added, removed or moved (rows change, not just texts)."""
        return any(is_structural(change) for change in self.items)


def is_structural(change: edits.Change) -> bool:
    return change.action in ("added", "removed", "moved")


class EditCommand(QUndoCommand):
    """One user edit: the operations to redo and to undo it, as plain data (ids, values).

    The edit has already been applied when the command is pushed (so a refused
    edit never reaches the stack); the first `redo` that Qt calls on push does nothing.
    """

    def __init__(
        self,
        editing: PlanEditing,
        applied: Sequence[edits.Applied],
        operations: Sequence[edits.EditOp],
        text: str,
    ) -> None:
        super().__init__(text)
        # Weakly: the editing owns the undo stack, which owns this command; a strong reference
        # back would make a cycle of Qt wrappers that only the garbage collector could break,
        # at a moment of its choosing, after Qt may already have deleted the stack.
        self._editing = weakref.ref(editing)
        self._forward: list[edits.EditOp] = list(operations)
        self._backward: list[edits.EditOp] = [done.inverse for done in applied]
        self._applied = True
        self._merge_id = -1
        only = operations[0] if len(operations) == 1 else None
        if isinstance(only, edits.UpdateItem) and only.modified_at is None:
            key = (only.kind, only.item_id, tuple(sorted(only.values)))
            self._merge_id = hash((key, editing.merge_generation)) & 0x7FFFFFFF

    def redo(self) -> None:
        if self._applied:
            return
        editing = self._owner()
        step = _Step(editing.document)
        try:
            self._backward = [step.apply(op).inverse for op in self._forward]
        finally:
            editing.step_done(step)
        self._applied = True

    def undo(self) -> None:
        editing = self._owner()
        step = _Step(editing.document)
        try:
            forward = [step.apply(op).inverse for op in reversed(self._backward)]
        finally:
            editing.step_done(step)
        self._forward = list(reversed(forward))
        self._applied = False

    def _owner(self) -> PlanEditing:
        editing = self._editing()
        assert editing is not None, "an undo step outlived the plan it belongs to"
        return editing

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Typing in one field is one undo step: keep the first "before", take the last "after".
        if not isinstance(other, EditCommand) or self._merge_id == -1:
            return False
        if other.id() != self._merge_id:
            return False
        self._forward = other._forward
        return True


class _Step:
    """The operations of one push, undo or redo as they are applied, and what they changed."""

    def __init__(self, document: plan_document.PlanDocument) -> None:
        self._document = document
        self.changes: list[edits.Change] = []

    def apply(self, operation: edits.EditOp) -> edits.Applied:
        applied = self._document.apply(operation)
        self.changes.append(applied.change)
        return applied


class PlanEditing(QObject):
    """Owns the open PlanDocument and its QUndoStack; emits what each step changed, once."""

    changed = Signal(object)  # the Changes of one push, undo or redo
    reset = Signal()  # the whole plan was replaced under the views (revert)
    failed = Signal(str)  # an edit was refused; the message is for the user

    def __init__(self, document: plan_document.PlanDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.undo_stack = QUndoStack(self)
        self.merge_typing = True
        self.merge_generation = next(_merge_generation)

    @property
    def plan(self) -> entities.Plan:
        return self.document.plan

    @property
    def modified(self) -> bool:
        """Unsaved edits: what the undo stack says, or a plan that has never been saved."""
        return (
            not self.undo_stack.isClean()
            or self.document.path is None
            or (self.undo_stack.count() == 0 and self.document.modified)
        )

    def describe(self, operation: edits.EditOp) -> str:
        return operation.describe(self.plan)

    def push(self, operation: edits.EditOp, text: str | None = None) -> bool:
        """Apply an edit as one undo step; False (and `failed`) when it was refused."""
        return self.push_many([operation], text or self.describe(operation))

    def push_many(self, operations: Sequence[edits.EditOp], text: str) -> bool:
        """Apply edits as one undo step; if one is refused, none of them stays applied."""
        applied: list[edits.Applied] = []
        step = _Step(self.document)
        try:
            for operation in operations:
                applied.append(step.apply(operation))
        except PlanError as error:
            message = str(error)
            for done in reversed(applied):
                step.apply(done.inverse)
            self.step_done(step)
            self.failed.emit(message)
            return False
        self.step_done(step)
        self.undo_stack.push(EditCommand(self, applied, operations, text))
        return True

    def end_typing(self) -> None:
        """The next field edit starts a new undo step (called when a field loses focus)."""
        self.merge_generation = next(_merge_generation)

    def step_done(self, step: _Step) -> None:
        """Hand the window what one push, undo or redo changed, once (nothing if nothing did)."""
        if step.changes:
            self.changed.emit(Changes(tuple(step.changes)))

    def replaced(self) -> None:
        """The document read its plan again (revert): no undo step survives; views start over."""
        self.undo_stack.clear()
        self.reset.emit()
