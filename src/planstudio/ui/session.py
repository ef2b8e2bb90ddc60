"""The open plan as the window sees it: a PlanDocument, its undo stack, and one change signal.

Every edit goes through `push` as a model edit operation; the undo stack wraps
it in an `EditCommand`.  What changed comes back once, on `changed`, and the
main window hands it to the tree, the editor and the side panels, so that no
widget reaches into another.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from planstudio.model import Applied, Change, EditOp, PlanDocument, PlanError, UpdateItem
from planstudio.model.entities import Plan

_merge_generation = itertools.count(1)


class EditCommand(QUndoCommand):
    """One user edit: the operations to redo and to undo it, as plain data (ids, values).

    The edit has already been applied when the command is pushed (so a refused
    edit never reaches the stack); the first `redo` that Qt calls on push does nothing.
    """

    def __init__(
        self, session: DocumentSession, applied: Sequence[Applied], operations: Sequence[EditOp],
        text: str,
    ) -> None:  # fmt: skip
        super().__init__(text)
        self._session = session
        self._forward: list[EditOp] = list(operations)
        self._backward: list[EditOp] = [done.inverse for done in applied]
        self._applied = True
        self._merge_id = -1
        only = operations[0] if len(operations) == 1 else None
        if isinstance(only, UpdateItem) and only.modified_at is None:
            key = (only.kind, only.item_id, tuple(sorted(only.values)))
            self._merge_id = hash((key, session.merge_generation)) & 0x7FFFFFFF

    def redo(self) -> None:
        if self._applied:
            return
        self._backward = [self._session.apply_now(op).inverse for op in self._forward]
        self._applied = True

    def undo(self) -> None:
        forward = [self._session.apply_now(op).inverse for op in reversed(self._backward)]
        self._forward = list(reversed(forward))
        self._applied = False

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


class DocumentSession(QObject):
    """Owns the open PlanDocument and its QUndoStack; emits what each edit changed."""

    changed = Signal(object)  # a model Change
    reset = Signal()  # the whole plan was replaced (open, revert)
    failed = Signal(str)  # an edit was refused; the message is for the user

    def __init__(self, document: PlanDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.undo_stack = QUndoStack(self)
        self.merge_typing = True
        self.merge_generation = next(_merge_generation)

    @property
    def plan(self) -> Plan:
        return self.document.plan

    @property
    def modified(self) -> bool:
        """Unsaved edits: what the undo stack says, or a plan that has never been saved."""
        return (
            not self.undo_stack.isClean()
            or self.document.path is None
            or (self.undo_stack.count() == 0 and self.document.modified)
        )

    def describe(self, operation: EditOp) -> str:
        return operation.describe(self.plan)

    def push(self, operation: EditOp, text: str | None = None) -> bool:
        """Apply an edit as one undo step; False (and `failed`) when it was refused."""
        return self.push_many([operation], text or self.describe(operation))

    def push_many(self, operations: Sequence[EditOp], text: str) -> bool:
        """Apply edits as one undo step; if one is refused, none of them stays applied."""
        applied: list[Applied] = []
        try:
            for operation in operations:
                applied.append(self.apply_now(operation))
        except PlanError as error:
            for done in reversed(applied):
                self.apply_now(done.inverse)
            self.failed.emit(str(error))
            return False
        self.undo_stack.push(EditCommand(self, applied, operations, text))
        return True

    def end_typing(self) -> None:
        """The next field edit starts a new undo step (called when a field loses focus)."""
        self.merge_generation = next(_merge_generation)

    def apply_now(self, operation: EditOp) -> Applied:
        applied = self.document.apply(operation)
        self.changed.emit(applied.change)
        return applied

    def emit_reset(self) -> None:
        self.undo_stack.clear()
        self.reset.emit()

    @staticmethod
    def is_structural(change: Change) -> bool:
        return change.action in ("added", "removed", "moved")
