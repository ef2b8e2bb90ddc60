"""Field bindings: each ties one widget to one field and offers the user's value to the model."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from planstudio.ui.deferred import deferred
from planstudio.ui.widgets.choices import CheckGroup, LevelNames
from planstudio.ui.widgets.fields import ComboBox, GrowingTextEdit
from planstudio.ui.widgets.lists import ListEditor
from planstudio.ui.widgets.values import is_empty, same, show_text, text_or_none

if TYPE_CHECKING:
    from planstudio.model import kinds, validation
    from planstudio.ui.editors.forms.base import Form
else:
    kinds = deferred("planstudio.model.kinds")
    # JSON Schema and its compiled validators: not needed until a field is edited.
    validation = deferred("planstudio.model.validation")


class Binding:
    """Ties one widget to one field of one kind: shows the model's value, offers the user's."""

    def __init__(self, form: Form, kind: str, name: str, widget: QWidget) -> None:
        spec = kinds.KINDS[kind].field(name)
        if spec is None:
            raise ValueError(f"{kind} has no field {name!r}")
        self.form = form
        self.kind = kind
        self.name = name
        self.widget = widget
        self.pointer = spec.pointer

    def read(self) -> Any:
        raise NotImplementedError

    def write(self, value: Any, fresh: bool) -> None:
        raise NotImplementedError

    def show(self, value: Any, *, fresh: bool = False) -> None:
        """Show the model's value, unless the widget already shows it (it may be typed in)."""
        if not fresh and same(self.read(), value):
            return
        blocked = self.widget.blockSignals(True)
        try:
            self.write(value, fresh)
        finally:
            self.widget.blockSignals(blocked)

    def acceptable(self, value: Any) -> bool:
        return is_empty(value) or validation.field_problem(self.pointer, value) is None

    def commit(self, value: Any, *, typing: bool = False) -> None:
        self.form.commit(self, value, typing=typing)

    def model_value(self) -> Any:
        target = self.form.target(self.kind)
        return None if target is None else getattr(target, self.name)


class LineBinding(Binding):
    """A one-line field: each keystroke goes to the model once the value could be right."""

    def __init__(
        self,
        form: Form,
        kind: str,
        name: str,
        widget: QLineEdit,
        parse: Callable[[str], Any] = text_or_none,
        fmt: Callable[[Any], str] = show_text,
    ) -> None:
        super().__init__(form, kind, name, widget)
        self.line = widget
        self.parse = parse
        self.fmt = fmt
        widget.textEdited.connect(self._edited)
        widget.editingFinished.connect(self._finished)

    def read(self) -> Any:
        return self.parse(self.line.text())

    def write(self, value: Any, fresh: bool) -> None:
        text = self.fmt(value)
        if self.line.text() == text:
            return
        position = self.line.cursorPosition()
        self.line.setText(text)
        # A field newly shown reads from its start (a long title's first words, not its last).
        self.line.setCursorPosition(0 if fresh else min(position, len(text)))

    def _edited(self, text: str) -> None:
        value = self.parse(text)
        # Half a date or half a school year is not refused on every keystroke: it waits for
        # the field to be left, and is refused then if it is still not right.
        if self.acceptable(value):
            self.commit(value, typing=True)

    def _finished(self) -> None:
        if self.form.item_id is None:
            return
        self.commit(self.read())
        model = self.model_value()
        # Tidy what was typed into the form the model keeps (ga -> GA, 8/5/2024 -> 2024-08-05).
        if same(self.read(), model) and self.line.text() != self.fmt(model):
            self.show(model, fresh=True)
        self.form.pane.end_typing()


class TextBinding(Binding):
    """Long plain text: every keystroke goes to the model."""

    def __init__(self, form: Form, kind: str, name: str, widget: GrowingTextEdit) -> None:
        super().__init__(form, kind, name, widget)
        self.edit = widget
        widget.textChanged.connect(self._edited)
        widget.focus_lost.connect(self._finished)

    def read(self) -> Any:
        return self.edit.toPlainText() or None

    def write(self, value: Any, fresh: bool) -> None:
        text = value or ""
        cursor = self.edit.textCursor()
        position, anchor = cursor.position(), cursor.anchor()
        scroll = self.edit.verticalScrollBar().value()
        self.edit.setPlainText(text)
        if fresh:
            return
        cursor = self.edit.textCursor()
        cursor.setPosition(min(anchor, len(text)))
        cursor.setPosition(min(position, len(text)), cursor.MoveMode.KeepAnchor)
        self.edit.setTextCursor(cursor)
        self.edit.verticalScrollBar().setValue(scroll)

    def _edited(self) -> None:
        value = self.read()
        if self.acceptable(value):
            self.commit(value, typing=True)

    def _finished(self) -> None:
        if self.form.item_id is not None:
            self.commit(self.read())
        self.form.pane.end_typing()


class ComboBinding(Binding):
    def __init__(self, form: Form, kind: str, name: str, widget: ComboBox) -> None:
        super().__init__(form, kind, name, widget)
        self.combo = widget
        widget.currentIndexChanged.connect(lambda _index: self.commit(self.combo.code()))

    def read(self) -> Any:
        return self.combo.code()

    def write(self, value: Any, fresh: bool) -> None:
        self.combo.set_code(value)


class CheckBinding(Binding):
    def __init__(self, form: Form, kind: str, name: str, widget: QCheckBox) -> None:
        super().__init__(form, kind, name, widget)
        self.box = widget
        widget.toggled.connect(lambda checked: self.commit(bool(checked)))

    def read(self) -> Any:
        return self.box.isChecked()

    def write(self, value: Any, fresh: bool) -> None:
        self.box.setChecked(bool(value))


class ChecksBinding(Binding):
    def __init__(self, form: Form, kind: str, name: str, widget: CheckGroup) -> None:
        super().__init__(form, kind, name, widget)
        self.group = widget
        widget.edited.connect(self.commit)

    def read(self) -> Any:
        return self.group.values()

    def write(self, value: Any, fresh: bool) -> None:
        self.group.set_values(list(value or []), fresh=fresh)

    def show(self, value: Any, *, fresh: bool = False) -> None:
        # The group remembers the plan's order even when the same entries are checked.
        if not fresh and same(self.read(), value):
            self.group.set_values(list(value or []))
            return
        super().show(value, fresh=fresh)


class ListBinding(Binding):
    def __init__(self, form: Form, kind: str, name: str, widget: ListEditor) -> None:
        super().__init__(form, kind, name, widget)
        self.editor = widget
        widget.edited.connect(self.commit)

    def read(self) -> Any:
        return self.editor.values()

    def write(self, value: Any, fresh: bool) -> None:
        self.editor.set_values([str(text) for text in value or []])

    def show(self, value: Any, *, fresh: bool = False) -> None:
        if not fresh and same(self.read(), value):
            self.editor.set_values([str(text) for text in value or []])
            return
        super().show(value, fresh=fresh)


class LevelNamesBinding(Binding):
    def __init__(self, form: Form, kind: str, name: str, widget: LevelNames) -> None:
        super().__init__(form, kind, name, widget)
        self.names = widget
        widget.edited.connect(lambda values: self.commit(values, typing=True))
        widget.finished.connect(form.pane.end_typing)

    def read(self) -> Any:
        return self.names.values()

    def write(self, value: Any, fresh: bool) -> None:
        self.names.set_values(value)
