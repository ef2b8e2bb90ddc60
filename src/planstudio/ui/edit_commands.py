"""The Edit menu's commands on the outline: add, rename, delete, move, cut, copy, paste, find.

A base of MainWindow, between it and `CopiesCommands`: each command acts on the
row selected in the outline and goes through the plan's undoable edit operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QMimeData, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planstudio.model import PlanError
from planstudio.model.formatting import with_article
from planstudio.ui.copies_commands import CopiesCommands
from planstudio.ui.deferred import deferred
from planstudio.ui.editors.pane import EditorPane
from planstudio.ui.mime import MIME_BRANCH
from planstudio.ui.tree import ID_ROLE, KIND_ROLE, PlanTreeView

if TYPE_CHECKING:
    from planstudio.model import clipboard, edits, kinds, reading, search
else:
    clipboard = deferred("planstudio.model.clipboard")
    edits = deferred("planstudio.model.edits")
    kinds = deferred("planstudio.model.kinds")
    reading = deferred("planstudio.model.reading")
    search = deferred("planstudio.model.search")


class EditCommands(CopiesCommands):
    """Edit ▸ Add, Rename, Delete, Move, Cut, Copy, Paste and Find, on the window's one plan."""

    # Provided by MainWindow: the outline and the editor the commands act on.
    tree: PlanTreeView
    editor: EditorPane
    find_dock: QDockWidget

    def select(self, item_id: str) -> None:
        raise NotImplementedError

    def show_properties(self) -> None:
        raise NotImplementedError

    def current_item(self) -> tuple[str, str] | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        return index.data(KIND_ROLE), index.data(ID_ROLE)

    def _label(self, kind: str) -> str:
        assert self.editing is not None
        return self.editing.plan.labels[kinds.TREE_KINDS.index(kind)]

    def add_child(self) -> None:
        if self.editing is None:
            return
        current = self.current_item()
        if current is None:
            kind, parent_id = "goal_area", self.editing.plan.id
        else:
            parent_kind, parent_id = current
            if parent_kind == "action_step":
                self.statusBar().showMessage(
                    f"No level comes below {with_article(self._label('action_step'))}.", 5000
                )
                return
            kind = kinds.TREE_KINDS[kinds.TREE_KINDS.index(parent_kind) + 1]
        self._add(kind, parent_id, None)

    def add_sibling(self) -> None:
        if self.editing is None:
            return
        current = self.current_item()
        if current is None:
            self._add("goal_area", self.editing.plan.id, None)
            return
        kind, item_id = current
        item = reading.item(self.editing.document, kind, item_id)
        parent_id = getattr(item, kinds.KINDS[kind].parent_key or "")
        self._add(kind, parent_id, item.position + 1)

    def _add(self, kind: str, parent_id: str, index: int | None) -> None:
        assert self.editing is not None
        values = {reading.TITLE_FIELD[kind]: f"New {self._label(kind).lower()}"}
        if self.editing.push(edits.AddItem(kind, parent_id, values, index)):
            current = self.tree.currentIndex()
            self.tree.expand(current)
            self.rename_current()

    def rename_current(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            self.tree.edit(index)

    def delete_current(self) -> None:
        current = self.current_item()
        if self.editing is None or current is None:
            return
        kind, item_id = current
        index = self.tree.currentIndex()
        below = self.tree.indexBelow(index)
        above = self.tree.indexAbove(index)
        neighbour_id = None
        for candidate in (below, above):
            if candidate.isValid() and candidate.parent() != index:
                neighbour_id = candidate.data(ID_ROLE)
                break
        if self.editing.push(edits.DeleteItem(kind, item_id)):
            label = self._label(kind)
            self.statusBar().showMessage(f"Deleted {label}; Undo brings it back.", 5000)
            if neighbour_id is not None:
                self.select(neighbour_id)

    def move_current(self, step: int) -> None:
        current = self.current_item()
        if self.editing is None or current is None:
            return
        kind, item_id = current
        item = reading.item(self.editing.document, kind, item_id)
        parent_id = getattr(item, kinds.KINDS[kind].parent_key or "")
        parent = reading.get(
            self.editing.document, kinds.KINDS[kinds.KINDS[kind].parent or "plan"].cls, parent_id
        )
        siblings = getattr(parent, kinds.KINDS[kind].collection or "")
        target = item.position + step
        if 0 <= target < len(siblings):
            self.editing.push(edits.MoveItem(kind, item_id, parent_id, target))
            self.select(item_id)

    # ------------------------------------------------------------------ clipboard

    def copy(self) -> None:
        current = self.current_item()
        if self.editing is None or current is None:
            return
        branch = reading.branch(self.editing.document, *current)
        data = QMimeData()
        data.setData(MIME_BRANCH, QByteArray(clipboard.dumps_branch(branch).encode("utf-8")))
        data.setText(self.tree.currentIndex().data(Qt.ItemDataRole.DisplayRole) or "")
        QGuiApplication.clipboard().setMimeData(data)

    def cut(self) -> None:
        if self.current_item() is None:
            return
        self.copy()
        self.delete_current()

    def paste(self) -> None:
        if self.editing is None:
            return
        data = QGuiApplication.clipboard().mimeData()
        if data is None or not data.hasFormat(MIME_BRANCH):
            self.statusBar().showMessage("Nothing to paste: copy an item of the outline first.")
            return
        branch = clipboard.loads_branch(bytes(data.data(MIME_BRANCH).data()))
        if branch is None:
            return
        current = self.current_item() or ("plan", self.editing.plan.id)
        try:
            operations = reading.paste_operations(self.editing.document, branch, *current)
        except PlanError as error:
            self.statusBar().showMessage(str(error), 6000)
            return
        label = self._label(branch["kind"]) if branch["kind"] in kinds.TREE_KINDS else "Item"
        self.editing.push_many(operations, f"Paste {label}")

    # ------------------------------------------------------------------ find

    def show_find(self) -> None:
        self.find_dock.show()
        self.find_dock.raise_()
        self.find_box.setFocus()
        self.find_box.selectAll()

    def _run_find(self) -> None:
        self.find_results.clear()
        if self.editing is None:
            return
        hits = search.find_text(self.editing.plan, self.find_box.text())
        for hit in hits[:500]:
            field = hit.field.replace("_", " ")
            where = f"{hit.number} " if hit.number else ""
            label = kinds.label_for(kinds.KINDS[hit.kind], self.editing.plan)
            item = QListWidgetItem(f"{where}{label} · {field}: {hit.snippet}")
            item.setData(Qt.ItemDataRole.UserRole, (hit.place_kind, hit.place_id, hit.field))
            self.find_results.addItem(item)
        query = self.find_box.text().strip()
        self.find_count.setText(f"{len(hits)} found" if query else "")

    def _find_result_chosen(self, item: QListWidgetItem) -> None:
        kind, item_id, field = item.data(Qt.ItemDataRole.UserRole)
        if kind in kinds.TREE_KINDS:
            self.select(item_id)
        elif kind == "plan":
            self.show_properties()
        else:
            return  # a catalog entry: the form shown is not its own
        if field:
            self.editor.focus_field(field)

    def make_find_dock(self) -> QDockWidget:
        dock = QDockWidget("Find", self)
        dock.setObjectName("FindPanel")
        body = QWidget()
        layout = QVBoxLayout(body)
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText("Find in every field of the plan")
        self.find_box.setAccessibleName("Find text")
        self.find_box.returnPressed.connect(self._run_find)
        self.find_box.textChanged.connect(self._run_find)
        self.find_results = QListWidget()
        self.find_results.setAccessibleName("Find results")
        self.find_results.itemActivated.connect(self._find_result_chosen)
        self.find_count = QLabel()
        layout.addWidget(self.find_box)
        layout.addWidget(self.find_count)
        layout.addWidget(self.find_results)
        dock.setWidget(body)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()
        return dock
