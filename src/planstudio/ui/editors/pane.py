"""The editor pane: one form per kind of item, built once and filled again for each selection.

Every change the user makes becomes a model edit operation pushed on the
plan's editing (`PlanEditing`), so that the undo stack and the recovery copy see each keystroke; the
forms never write the ORM.  Filling a form blocks its widgets' signals, so that
showing an item never edits it, and a refresh after an edit leaves alone a
widget that already shows the model's value, so that the field being typed in
keeps its text and its cursor.

Values are checked by the model (`EditError`); where a value can only be
right once it is complete (a school year, a date, a state code), a keystroke
that leaves it incomplete is held back and the value is offered to the model
when the field is left, so that the model refuses it there and the form shows
the model's value again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from planstudio.ui.deferred import deferred
from planstudio.ui.editing import Changes, PlanEditing
from planstudio.ui.editors.forms import FORMS
from planstudio.ui.editors.forms.base import Form
from planstudio.ui.widgets.guards import UndoRouter, WheelGuard
from planstudio.ui.widgets.keys import ALT, NO_MODIFIER, combination, key_matches

if TYPE_CHECKING:
    from planstudio.model import edits, entities, reading
else:
    edits = deferred("planstudio.model.edits")
    entities = deferred("planstudio.model.entities")
    reading = deferred("planstudio.model.reading")

_EMPTY_PAGE_TEXT = "Select an item of the plan to edit it."

# Keys that mean something inside the pane (a list's Delete, Alt+Up) but that the window binds
# to tree commands: while focus is in the pane they stay in the pane, so that Delete on a
# checkbox never deletes the item being edited and Ctrl+X never cuts a branch from the tree.
_PANE_KEYS = {
    (Qt.Key.Key_Delete, NO_MODIFIER),
    (Qt.Key.Key_Backspace, NO_MODIFIER),
    (Qt.Key.Key_Insert, NO_MODIFIER),
    (Qt.Key.Key_F2, NO_MODIFIER),
    (Qt.Key.Key_Up, ALT),
    (Qt.Key.Key_Down, ALT),
}
_PANE_STANDARD_KEYS = (
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Paste,
    QKeySequence.StandardKey.Delete,
)

# ---------------------------------------------------------------------------- the pane


class EditorPane(QWidget):
    """The editor of the item selected in the plan tree, or of the plan's own properties."""

    navigate = Signal(str, str)  # kind, id: a link in a form asks the window to go there

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Editor")
        self._editing: PlanEditing | None = None
        self._forms: dict[str, Form] = {}
        self._pages: dict[str, QScrollArea] = {}
        self._shown: Form | None = None
        self.undo_router = UndoRouter(self, self)
        self.wheel_guard = WheelGuard(self)
        self._stack = QStackedWidget()
        self._empty = QLabel(_EMPTY_PAGE_TEXT)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setEnabled(False)
        self._stack.addWidget(self._empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

    # ------------------------------------------------------------------ what is shown

    @property
    def editing(self) -> PlanEditing | None:
        return self._editing

    @property
    def plan(self) -> entities.Plan | None:
        return self._editing.plan if self._editing is not None else None

    @property
    def read_only(self) -> bool:
        return self._editing is not None and self._editing.document.read_only

    @property
    def shown_kind(self) -> str | None:
        return self._shown.kind if self._shown is not None else None

    @property
    def shown_id(self) -> str | None:
        return self._shown.item_id if self._shown is not None else None

    def get(self, cls: type[Any], item_id: str) -> Any:
        if self._editing is None:
            return None
        return reading.get(self._editing.document, cls, item_id)

    def set_editing(self, editing: PlanEditing | None) -> None:
        """Edit the plan of this editing; call with None before the plan's document is closed."""
        self._editing = editing
        self._show_nothing()

    def show_item(self, kind: str | None, item_id: str | None) -> None:
        """Show the form of one item ("plan" shows the plan's properties; None shows nothing)."""
        editing = self._editing
        if editing is None or kind is None or kind not in FORMS:
            self._show_nothing()
            return
        if kind == "plan":
            item_id = editing.plan.id
        if item_id is None:
            self._show_nothing()
            return
        editing.end_typing()
        form = self._form(kind)
        moved_on = form.item_id != item_id
        if not form.show_item(item_id):
            self._show_nothing()
            return
        page = self._pages[kind]
        if moved_on:
            page.verticalScrollBar().setValue(0)
        self._shown = form
        self._stack.setCurrentWidget(page)

    def current_field_widget(self, name: str) -> QWidget | None:
        """The widget that edits a field (or shows a child list) of the shown form."""
        if self._shown is None:
            return None
        return self._shown.widgets.get(name)

    def focus_field(self, name: str) -> bool:
        """Put the cursor in the field a problem or a find result names, scrolled into view.

        A field made of several controls (a date with its button, a list with its
        buttons, the measure grid) gets the cursor in its first one; a label-only
        field (the entries assigned from a catalog) is only scrolled to.  False
        when the shown form has no such field.
        """
        form = self._shown
        widget = self.current_field_widget(name)
        if form is None or widget is None or form.kind not in self._pages:
            return False
        parts = getattr(widget, "focus_widgets", None)
        target = next(iter(parts()), widget) if callable(parts) else widget
        self._pages[form.kind].ensureWidgetVisible(target)
        if target.focusPolicy() != Qt.FocusPolicy.NoFocus:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def prepare_form(self, kind: str) -> None:
        """Build the form of `kind` now, empty and hidden, so that showing an item of that
        kind later only fills it in (opening a plan builds the first item's form a turn
        ahead: building and filling it in one turn held the window 25-50 ms)."""
        if kind in FORMS:
            self._form(kind)

    def _form(self, kind: str) -> Form:
        form = self._forms.get(kind)
        if form is None:
            form = FORMS[kind](self)
            page = QScrollArea()
            page.setWidgetResizable(True)
            page.setFrameShape(QFrame.Shape.NoFrame)
            # Forms are built to fit a laptop's pane; should one not, it scrolls rather than clips.
            page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            page.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            page.setWidget(form)
            self._stack.addWidget(page)
            self._forms[kind] = form
            self._pages[kind] = page
        return form

    def _show_nothing(self) -> None:
        if self._shown is not None:
            self._shown.item_id = None
        self._shown = None
        self._stack.setCurrentWidget(self._empty)

    # ------------------------------------------------------------------ changes

    def on_changes(self, changes: Changes) -> None:
        """Bring the shown form up to date with a step (made here, in the tree, or by undo)."""
        for change in changes.items:
            self._follow(change)

    def _follow(self, change: edits.Change) -> None:
        form = self._shown
        if form is None or self._editing is None:
            return
        if change.action == "removed" and form.item() is None:
            self._show_nothing()
            return
        if change.kind == "plan" and (not change.fields or "level_labels" in change.fields):
            form.update_heading()
            item = form.item()
            if item is not None:
                form.update_breadcrumb(item)
        form.refresh(change)

    def on_reset(self) -> None:
        """The whole plan was replaced (open, revert): show the same item again if it is there."""
        form = self._shown
        if form is None or form.item_id is None:
            self._show_nothing()
            return
        kind, item_id = form.kind, form.item_id
        form.item_id = None
        self._shown = None
        self.show_item(kind, item_id)

    # ------------------------------------------------------------------ edits

    def push(
        self, operation: edits.EditOp, *, typing: bool = False, text: str | None = None
    ) -> bool:
        """Push one edit; anything but typing is an undo step of its own."""
        editing = self._editing
        if editing is None:
            return False
        if not typing:
            editing.end_typing()
        done = editing.push(operation, text)
        if not typing:
            editing.end_typing()
        return done

    def end_typing(self) -> None:
        if self._editing is not None:
            self._editing.end_typing()

    def undo_or_redo(self, *, redo: bool) -> None:
        if self._editing is None:
            return
        self._editing.end_typing()
        if redo:
            self._editing.undo_stack.redo()
        else:
            self._editing.undo_stack.undo()

    def follow_link(self, link: str) -> None:
        kind, _, item_id = link.partition(":")
        if kind and item_id:
            self.navigate.emit(kind, item_id)

    # ------------------------------------------------------------------ keys

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if combination(event) in _PANE_KEYS or key_matches(event, *_PANE_STANDARD_KEYS):
                event.accept()
                return True
        return super().event(event)


__all__ = ["EditorPane"]
