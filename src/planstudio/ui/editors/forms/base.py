"""The form of one kind of item: built once, filled for each item, each change an edit."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planstudio.ui.deferred import deferred
from planstudio.ui.editors.forms.bindings import (
    Binding,
    CheckBinding,
    ChecksBinding,
    ComboBinding,
    LineBinding,
    ListBinding,
    TextBinding,
)
from planstudio.ui.widgets.accessible import describe_controls, focusable
from planstudio.ui.widgets.choices import CheckGroup
from planstudio.ui.widgets.fields import ComboBox, GrowingTextEdit, LinkLabel
from planstudio.ui.widgets.lists import ListEditor
from planstudio.ui.widgets.values import NOT_SET, elide, same, show_text, text_or_none

if TYPE_CHECKING:
    from planstudio.model import edits, entities, kinds, reading
    from planstudio.ui.editors.pane import EditorPane
else:
    edits = deferred("planstudio.model.edits")
    entities = deferred("planstudio.model.entities")
    kinds = deferred("planstudio.model.kinds")
    reading = deferred("planstudio.model.reading")


def spelled_line() -> QLineEdit:
    """A one-line field of words, its unknown ones underlined as in the multi-line fields."""
    from planstudio.ui.widgets.spelling import SpellLineEdit

    return SpellLineEdit()


class Form(QWidget):
    """The form of one kind of item; built once, filled for whichever item is shown."""

    kind = ""

    def __init__(self, pane: EditorPane) -> None:
        super().__init__()
        self.pane = pane
        self.item_id: str | None = None
        self.bindings: dict[str, Binding] = {}
        self.widgets: dict[str, QWidget] = {}
        self._focus_chain: list[QWidget] = []
        self._described: list[tuple[QWidget, str]] = []  # each labelled control and its label
        self._described_as: tuple[str, int] = ("", 0)  # the level name and controls described
        self._ancestors: list[str] = []
        self._read_only = False
        self.filling = 0  # > 0 while widgets are being set from the model
        self._edit_triggers: dict[QAbstractItemView, QAbstractItemView.EditTrigger] = {}
        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.breadcrumb = LinkLabel("")
        self.breadcrumb.setAccessibleName("Where this item sits in the plan")
        self.breadcrumb.linkActivated.connect(pane.follow_link)
        self.breadcrumb.hide()
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(12, 10, 12, 12)
        self._outer.setSpacing(6)
        self._outer.addWidget(self.heading)
        self._outer.addWidget(self.breadcrumb)
        self.body = self.new_form_layout()
        self._outer.addLayout(self.body)
        self._focus_chain.append(self.breadcrumb)
        self.build()
        self._outer.addStretch(1)
        self.apply_tab_order()

    # ------------------------------------------------------------------ building

    @staticmethod
    def new_form_layout() -> QFormLayout:
        layout = QFormLayout()
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.setVerticalSpacing(8)
        return layout

    def build(self) -> None:
        raise NotImplementedError

    def group(self, title: str, into: QFormLayout | None = None) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        box.setAccessibleName(title)
        layout = self.new_form_layout()
        box.setLayout(layout)
        (into or self.body).addRow(box)
        return box, layout

    def row(
        self,
        layout: QFormLayout,
        text: str,
        field: QWidget | QHBoxLayout,
        buddy: QWidget,
        focus: Sequence[QWidget] | None = None,
        name: str | None = None,
    ) -> QLabel:
        """A labelled row: the label names the control for screen readers and is its buddy."""
        label = QLabel(text)
        label.setBuddy(buddy)
        buddy.setAccessibleName(text)
        self._described.append((buddy, text))
        layout.addRow(label, field)
        self._focus_chain.extend(focus if focus is not None else [buddy])
        if name is not None:
            self.widgets[name] = buddy
        return label

    def _bind(self, binding: Binding) -> Binding:
        self.bindings[binding.name] = binding
        self.widgets[binding.name] = binding.widget
        return binding

    def line(
        self,
        layout: QFormLayout,
        kind: str,
        name: str,
        text: str,
        *,
        placeholder: str = "",
        width: int | None = None,
        parse: Callable[[str], Any] = text_or_none,
        fmt: Callable[[Any], str] = show_text,
        validator: QValidator | None = None,
        add_row: bool = True,
    ) -> QLineEdit:
        edit = QLineEdit() if parse is not text_or_none or validator is not None else spelled_line()
        edit.setMaxLength(1000)
        edit.setPlaceholderText(placeholder)
        if width is not None:
            edit.setMaximumWidth(width)
        if validator is not None:
            edit.setValidator(validator)
        edit.installEventFilter(self.pane.undo_router)
        edit.setAccessibleName(text)
        self._bind(LineBinding(self, kind, name, edit, parse, fmt))
        if add_row:
            self.row(layout, text, edit, edit)
        return edit

    def text(
        self, layout: QFormLayout, kind: str, name: str, text: str, min_lines: int = 3
    ) -> GrowingTextEdit:
        edit = GrowingTextEdit(min_lines)
        edit.check_spelling()
        edit.installEventFilter(self.pane.undo_router)
        self._bind(TextBinding(self, kind, name, edit))
        self.row(layout, text, edit, edit)
        return edit

    def combo(
        self,
        layout: QFormLayout,
        kind: str,
        name: str,
        text: str,
        options: Sequence[tuple[Any, str]],
    ) -> ComboBox:
        box = ComboBox(options)
        box.installEventFilter(self.pane.wheel_guard)
        self._bind(ComboBinding(self, kind, name, box))
        holder = QHBoxLayout()
        holder.addWidget(box)
        holder.addStretch(1)
        self.row(layout, text, holder, box)
        return box

    def yes_no(self, layout: QFormLayout, kind: str, name: str, text: str) -> ComboBox:
        return self.combo(layout, kind, name, text, [(None, NOT_SET), (True, "Yes"), (False, "No")])

    def check(self, layout: QFormLayout, kind: str, name: str, text: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setAccessibleName(text)
        self._bind(CheckBinding(self, kind, name, box))
        layout.addRow(box)
        self._focus_chain.append(box)
        return box

    def checks(
        self,
        layout: QFormLayout,
        kind: str,
        name: str,
        text: str,
        options: Sequence[tuple[str, str]],
        columns: int,
        *,
        keep_order: bool = False,
        other_noun: str | None = None,
        label_above: bool = False,
    ) -> CheckGroup:
        group = CheckGroup(options, columns, keep_order=keep_order, other_noun=other_noun)
        if group.other is not None:
            group.other.installEventFilter(self.pane.undo_router)
        self._bind(ChecksBinding(self, kind, name, group))
        first = group.focus_widgets()[0]
        if label_above:
            # Long choices need the whole width; the label heads them instead.
            label = QLabel(text)
            layout.addRow(label)
            layout.addRow(group)
            self._focus_chain.append(group)
        else:
            label = self.row(layout, text, group, first, focus=[group])
        group.setAccessibleName(text)
        # The first box keeps its own name; the group's name is what the label says.
        first.setAccessibleName(group.box(options[0][0]).text())
        label.setBuddy(first)
        return group

    def strings(
        self, layout: QFormLayout, kind: str, name: str, text: str, noun: str
    ) -> ListEditor:
        editor = ListEditor(noun)
        self._bind(ListBinding(self, kind, name, editor))
        self.row(layout, text, editor, editor.list, focus=[editor])
        editor.setAccessibleName(text)
        return editor

    def links(self, layout: QFormLayout, name: str, text: str, empty: str) -> LinkLabel:
        label = LinkLabel(empty)
        label.linkActivated.connect(self.pane.follow_link)
        self.row(layout, text, label, label, name=name)
        return label

    def apply_tab_order(self) -> None:
        """Tab goes through the form top to bottom, whatever order the widgets were made in."""
        chain: list[QWidget] = []
        for widget in self._focus_chain:
            inner = getattr(widget, "focus_widgets", None)
            chain.extend(inner() if callable(inner) else [widget])
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    # ------------------------------------------------------------------ showing

    def item(self) -> Any:
        if self.item_id is None or self.pane.editing is None:
            return None
        return reading.item(self.pane.editing.document, self.kind, self.item_id)

    def target(self, kind: str) -> Any:
        """The object that holds the fields of `kind` in this form."""
        return self.item() if kind == self.kind else None

    def show_item(self, item_id: str) -> bool:
        # The item already shown is brought up to date rather than filled anew: one of its
        # fields may be being typed in (a tree re-selects its current item after an edit).
        fresh = item_id != self.item_id
        self.item_id = item_id
        item = self.item()
        if item is None:
            self.item_id = None
            return False
        self.fill(item, fresh=fresh)
        return True

    def fill(self, item: Any, *, fresh: bool = True) -> None:
        self.filling += 1
        try:
            for binding in self.bindings.values():
                target = self.target(binding.kind)
                value = None if target is None else getattr(target, binding.name)
                binding.show(value, fresh=fresh)
            self.fill_extra(item)
            self.update_heading()
            self.update_breadcrumb(item)
            self.describe()
            self.set_read_only(self.pane.read_only)
        finally:
            self.filling -= 1

    def fill_fields(self, kind: str, names: Iterable[str]) -> None:
        target = self.target(kind)
        if target is None:
            return
        self.filling += 1
        try:
            for name in names:
                binding = self.bindings.get(name)
                if binding is not None and binding.kind == kind:
                    binding.show(getattr(target, name))
        finally:
            self.filling -= 1

    def fill_extra(self, item: Any) -> None:
        """Children and summaries that are not fields of the item itself."""

    def update_heading(self) -> None:
        plan = self.pane.plan
        label = kinds.label_for(kinds.KINDS[self.kind], plan)
        if self.heading.text() == label:
            return
        self.heading.setText(label)

    def describe(self) -> None:
        """A screen reader says which item a field belongs to, in the plan's own words."""
        label = kinds.label_for(kinds.KINDS[self.kind], self.pane.plan)
        controls = len(focusable(self))  # rows of measures and years come and go
        if (label, controls) == self._described_as:
            return
        self._described_as = (label, controls)
        for widget, text in self._described:
            widget.setAccessibleDescription(f"{text} of the {label}")
        describe_controls(self, f"the {label}")

    def ancestors(self, item: Any) -> list[tuple[str, entities.Item]]:
        return []

    def update_breadcrumb(self, item: Any) -> None:
        found = self.ancestors(item)
        self._ancestors = [ancestor.id for _, ancestor in found]
        entries = []
        for index, (kind, ancestor) in enumerate(found):
            text = getattr(ancestor, reading.TITLE_FIELD[kind])
            label = kinds.label_for(kinds.KINDS[kind], self.pane.plan)
            after = "  ›  " if index < len(found) - 1 else ""
            entries.append((kind, ancestor.id, elide(f"{label}: {text}", 48), after))
        # One line of links rather than one a line: it reads as a path.
        self.breadcrumb.set_entries(entries, separator="")
        self.breadcrumb.setVisible(bool(entries))

    def set_read_only(self, read_only: bool) -> None:
        """A plan opened read-only is shown, not edited: nothing here offers an edit."""
        if read_only == self._read_only:
            return
        self._read_only = read_only
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(read_only)
            elif isinstance(widget, QComboBox | QCheckBox | QPushButton | QToolButton):
                widget.setEnabled(not read_only)
            elif isinstance(widget, QListWidget | QTableWidget):
                if read_only:
                    self._edit_triggers[widget] = widget.editTriggers()
                    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
                elif widget in self._edit_triggers:
                    widget.setEditTriggers(self._edit_triggers.pop(widget))
        if not read_only:
            for editor in self.findChildren(ListEditor):
                editor.update_buttons()

    # ------------------------------------------------------------------ changes

    def refresh(self, change: edits.Change) -> None:
        """Bring the form up to date with a change the model reports."""
        if change.kind == self.kind and change.item_id == self.item_id:
            if change.action == "updated" and change.fields:
                self.fill_fields(self.kind, change.fields)
            else:
                item = self.item()
                if item is not None:
                    self.update_breadcrumb(item)
            return
        if change.kind in kinds.TREE_KINDS and (
            change.item_id in self._ancestors or change.action != "updated"
        ):
            item = self.item()
            if item is not None:
                self.update_breadcrumb(item)
        self.refresh_related(change)

    def refresh_related(self, change: edits.Change) -> None:
        """Changes to children, links or catalog entries that the form shows."""

    def commit(self, binding: Binding, value: Any, *, typing: bool) -> None:
        if self.filling:
            return  # showing an item never edits it, whatever a widget says meanwhile
        target = self.target(binding.kind)
        if target is None or self.pane.editing is None:
            return
        if same(getattr(target, binding.name), value):
            return
        self.pane.push(
            edits.UpdateItem(binding.kind, target.id, {binding.name: value}), typing=typing
        )
        # Refused, or stored in another form than typed: show what the model holds.
        binding.show(binding.model_value())
