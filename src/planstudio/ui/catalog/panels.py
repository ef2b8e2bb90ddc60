"""The three catalog side panels: funding sources, responsible roles, monitoring methods.

Each panel is a dock with a table of its catalog's entries, a "used by" list
for the selected entry, and (for funding) the funding lines of the selected
action step.  Every change is an edit operation pushed on the plan's editing
(`PlanEditing`), so it is undoable like any other; the panels never change the
plan behind its back.

The panels do not listen to the editing themselves: the main window hands the
`Changes` of each push, undo or redo to `on_changes`, as it does for the tree
and the editor, so that the order in which views hear of an edit is decided in
one place.  Row structure
follows a change at once (the view must never see a row that is gone); what is
worked out from many rows (totals, check marks, the used-by list) is brought
up to date once at the end of the step's changes, so that pasting a branch of
fifty steps costs one query rather than fifty.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from planstudio.model.formatting import plural, plural_noun, with_article
from planstudio.model.vocabulary import FUNDING_KINDS, MONITORING_KINDS, school_years
from planstudio.ui import turns
from planstudio.ui.catalog.models import CatalogModel, Column, FundingLinkModel, FundingSourcesModel
from planstudio.ui.catalog.table import CellDelegate, catalog_table, tool_button
from planstudio.ui.catalog.values import step_noun
from planstudio.ui.deferred import deferred
from planstudio.ui.editing import Changes, PlanEditing
from planstudio.ui.widgets.accessible import describe_controls

if TYPE_CHECKING:
    from planstudio.model import edits, entities, kinds, queries, reading
else:
    edits = deferred("planstudio.model.edits")
    entities = deferred("planstudio.model.entities")
    kinds = deferred("planstudio.model.kinds")
    queries = deferred("planstudio.model.queries")
    reading = deferred("planstudio.model.reading")

# Rows measured to fit the columns: as many as a tall dock shows, so that opening a plan of
# hundreds of entries stays a short step (issue 16).
FIT_ROWS = 60


class CatalogPanel(QDockWidget):
    """A dockable panel editing one catalog; the three panels differ only in their columns."""

    navigate = Signal(str, str)  # (kind, id) of an item to show: a step that uses an entry

    catalog_kind: ClassVar[str]
    panel_title: ClassVar[str]
    tab_title: ClassVar[str] = ""
    entry_noun: ClassVar[str]  # "funding source", as said in buttons and questions
    new_entry_text: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    # The name column is never narrower than this (a narrower dock scrolls sideways); a name
    # cut short ends in "…" and is whole in its tooltip.
    name_shown_at_least: ClassVar[str] = "Director of Federal"
    fit_through: ClassVar[int | None] = None  # the last column kept in view beside the name

    def __init__(self, parent: QWidget | None = None) -> None:
        # The tab of a docked panel says a short title, whole on a laptop; menus say the full one.
        super().__init__(self.tab_title or self.panel_title, parent)
        self.toggleViewAction().setText(self.panel_title)
        self.setAccessibleName(self.panel_title)
        self.setObjectName(type(self).__name__)
        self.setAccessibleName(f"{self.panel_title} panel")
        self._editing: PlanEditing | None = None
        self._pending: set[str] = set()
        # When only some entries' totals need working out again (an amount being typed):
        # those entries; None while "derived" is pending for all of them.
        self._derived_only: set[str] | None = None

        self.model = self._make_model()
        self.delegate = CellDelegate(lambda: self._editing, self)
        self.view = catalog_table(
            self.panel_title,
            f"Each row is a {self.entry_noun}. Insert adds one, Delete deletes the selected one, "
            "F2 edits the selected cell, Space ticks a check box.",
        )
        self.view.setModel(self.model)
        self.view.setItemDelegate(self.delegate)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.insert_pressed.connect(self.add_entry)
        self.view.delete_pressed.connect(self.delete_entry)
        self.view.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self._size_columns()

        self.add_button = tool_button(
            "Add", f"Add {self.entry_noun}", f"Add a {self.entry_noun} (Ins)"
        )
        self.add_button.clicked.connect(self.add_entry)
        self.delete_button = tool_button(
            "Delete", f"Delete {self.entry_noun}", f"Delete the selected {self.entry_noun} (Del)"
        )
        self.delete_button.clicked.connect(self.delete_entry)
        self._make_actions()

        self.used_by_label = QLabel()
        self.used_by_label.setWordWrap(True)
        self.used_by = QListWidget()
        self.used_by.setAccessibleName(f"Action steps using the selected {self.entry_noun}")
        self.used_by.setAccessibleDescription("Double-click or press Enter to go to the step.")
        self.used_by.setUniformItemSizes(True)
        self.used_by.activated.connect(self._used_by_activated)
        self.used_by_label.setBuddy(self.used_by)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        for section in self._extra_sections():
            self.splitter.addWidget(section)
        used = QWidget()
        used_layout = QVBoxLayout(used)
        used_layout.setContentsMargins(0, 4, 0, 0)
        used_layout.setSpacing(2)
        used_layout.addWidget(self.used_by_label)
        used_layout.addWidget(self.used_by)
        self.splitter.addWidget(used)
        self.splitter.setStretchFactor(0, 3)
        for i in range(1, self.splitter.count()):
            self.splitter.setStretchFactor(i, 1)
        layout.addWidget(self.splitter)
        self.setWidget(body)
        self._update_enabled()
        self._refresh_used_by()
        describe_controls(self, f"the {self.panel_title} panel")

    # ------------------------------------------------------------------ construction hooks

    def _make_model(self) -> CatalogModel:
        return CatalogModel(self.catalog_kind, self.columns, self)

    def _extra_sections(self) -> list[QWidget]:
        return []

    def _make_actions(self) -> None:
        self.add_action = QAction(f"Add {self.entry_noun.title()}", self)
        self.add_action.setShortcut(QKeySequence(Qt.Key.Key_Insert))
        self.add_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.add_action.triggered.connect(self.add_entry)
        self.edit_action = QAction("Edit", self)
        self.edit_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.edit_action.triggered.connect(self.edit_current)
        self.delete_action = QAction(f"Delete {self.entry_noun.title()}", self)
        self.delete_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_entry)
        self.view.addActions([self.add_action, self.edit_action, self.delete_action])
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _size_columns(self) -> None:
        header = self.view.horizontalHeader()
        metrics = self.view.fontMetrics()
        header.setMinimumSectionSize(metrics.horizontalAdvance("M") * 2)
        for i, column in enumerate(self.columns):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
            if column.width:
                sample = max(column.width, column.header, key=metrics.horizontalAdvance)
                pad = 18 if column.link_kind is not None else 24  # a check box needs less
                header.resizeSection(i, metrics.horizontalAdvance(sample) + pad)
        self.view.fill_with(
            self.model.name_column(),
            metrics.horizontalAdvance(self.name_shown_at_least) + 24,
            self.fit_through,
        )

    def _fit_columns_to_content(self, sums_only: bool = False) -> None:
        """Text columns as wide as what they hold (an empty one as its heading), the name the rest.

        Measured on the first rows only, so that a plan of thousands opens as fast; a longer
        value is cut at the edge and shown whole in its tooltip.  With `sums_only`, only the
        summed columns are measured again: the others have not changed since.
        """
        header = self.view.horizontalHeader()
        metrics = self.view.fontMetrics()
        name_column = self.model.name_column()
        rows = min(self.model.rowCount(), FIT_ROWS)
        for i, column in enumerate(self.columns):
            if i == name_column or column.link_kind is not None:
                continue
            if sums_only and column.computed is None:
                continue
            if column.editor == "money" or column.computed is not None:
                # Dollars as wide as the largest sum, so that a narrow dock (a laptop at
                # 125 %) shows what is allocated, assigned and left beside the name.
                # The sums are worked out after the plan is shown: "$100,000" stands for them.
                sums = [str(self.model.index(row, i).data() or "") for row in range(rows)]
                widest = max(metrics.horizontalAdvance(text) for text in [*sums, "$100,000"])
                widest = max(widest, metrics.horizontalAdvance(column.header)) + 12
                header.resizeSection(i, widest)
                continue
            texts = [column.header]
            texts += [str(self.model.index(row, i).data() or "") for row in range(rows)]
            widest = max(metrics.horizontalAdvance(text) for text in texts) + 24
            header.resizeSection(i, min(widest, metrics.horizontalAdvance("M") * 12))
        # The name takes what the others leave; it asks for no more than its longest name does.
        names = [self.columns[name_column].header]
        names += [str(self.model.index(row, name_column).data() or "") for row in range(rows)]
        widest = max(metrics.horizontalAdvance(name) for name in names) + 24
        self.view.fill_with(
            name_column,
            min(widest, metrics.horizontalAdvance(self.name_shown_at_least) + 24),
            self.fit_through,
        )

    def sizeHint(self) -> QSize:
        return QSize(300, 520)

    # ------------------------------------------------------------------ the main window's API

    @property
    def editing(self) -> PlanEditing | None:
        return self._editing

    def set_editing(self, editing: PlanEditing | None) -> None:
        self._pending.clear()
        self._derived_only = None
        self._editing = editing
        self.model.set_editing(editing)
        self._set_editing_extra(editing)
        self._fit_columns_to_content()
        self._update_enabled()
        self._refresh_used_by()

    def _set_editing_extra(self, editing: PlanEditing | None) -> None:
        pass

    def set_current_step(self, step_id: str | None) -> None:
        """The action step selected in the tree, to which check marks assign entries."""
        self.model.set_step(step_id)
        self._set_step_extra(step_id)

    def _set_step_extra(self, step_id: str | None) -> None:
        pass

    def on_reset(self) -> None:
        """The whole plan was replaced (revert): read everything again."""
        step = self.model.step_id
        self.set_editing(self._editing)
        if step is not None:
            self.set_current_step(step)

    def on_changes(self, changes: Changes) -> None:
        """Follow one push, undo or redo: rows change by change, the rest once at the end."""
        for change in changes.items:
            self._follow(change)
        if self._pending:
            self.refresh_now()

    def _follow(self, change: edits.Change) -> None:
        if self._editing is None:
            return
        kind = change.kind
        structural = change.action in ("added", "removed", "moved")
        if kind == self.catalog_kind:
            if structural:
                self.model.sync_rows()
                self._schedule("checks", "used_by", "derived", "links")
            else:
                self.model.refresh_entry(change.item_id, change.fields)
                self._schedule(*self._after_entry_update(change.fields))
        elif kind in kinds.CATALOG_KINDS:
            # Another catalog: its entries and their links touch nothing shown here.
            return
        elif kind in self._link_kinds():
            step = self.model.step_id
            re_pointed = kinds.KINDS[kind].fields[0].name in change.fields
            if structural or re_pointed:
                self._schedule("used_by", "derived")
                if change.parent_id == step or change.previous_parent_id == step:
                    self._schedule("checks", "links")
            else:
                # An amount or a year: who uses what is unchanged, one entry's total is not.
                self._schedule_derived_for(self._entry_of_link(change))
            self._on_own_link_change(change)
        elif kind in kinds.TREE_KINDS:
            if structural:
                # Deleting or restoring a branch takes its steps' links with it;
                # a move renumbers the steps listed as users.
                self._schedule("checks", "used_by", "derived", "links")
            elif (
                kind == "action_step"
                and "text" in change.fields
                and change.item_id in self._used_by_ids()
            ):
                self._schedule("used_by")
        elif kind == "plan" and change.fields & {"level_labels", "first_year", "last_year"}:
            self._schedule("used_by", "links")

    # ------------------------------------------------------------------ refreshing

    def _link_kinds(self) -> tuple[str, ...]:
        return queries.link_kinds_for(self.catalog_kind)

    def _after_entry_update(self, fields: frozenset[str]) -> tuple[str, ...]:
        return ()

    def _on_own_link_change(self, change: edits.Change) -> None:
        pass

    def _schedule(self, *parts: str) -> None:
        if "derived" in parts:
            self._derived_only = None
        self._pending.update(parts)

    def _schedule_derived_for(self, entry_id: str | None) -> None:
        if entry_id is None:
            self._schedule("derived")
            return
        if "derived" not in self._pending:
            self._derived_only = {entry_id}
        elif self._derived_only is not None:
            self._derived_only.add(entry_id)
        self._pending.add("derived")

    def _entry_of_link(self, change: edits.Change) -> str | None:
        """The catalog entry a link points at, if the link is still there."""
        assert self._editing is not None
        kind = kinds.KINDS[change.kind]
        link = reading.get(self._editing.document, kind.cls, change.item_id)
        return getattr(link, kind.fields[0].name) if link is not None else None

    def refresh_now(self) -> None:
        """Bring up to date what the changes of one step called for."""
        pending, self._pending = self._pending, set()
        only, self._derived_only = self._derived_only, None
        if self._editing is None:
            return
        if "checks" in pending:
            self.model.refresh_checks()
        if "derived" in pending:
            self.model.refresh_derived(only)
        if "links" in pending:
            self._refresh_links()
        if "used_by" in pending:
            self._refresh_used_by()
        self._update_enabled()

    def _refresh_links(self) -> None:
        pass

    # ------------------------------------------------------------------ entries

    def current_entry_id(self) -> str | None:
        index = self.view.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def select_entry(self, entry_id: str, column: int | None = None) -> None:
        row = self.model.row_of(entry_id)
        if row < 0:
            return
        index = self.model.index(row, self.model.name_column() if column is None else column)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def add_entry(self) -> None:
        """A new entry at the end, its name ready to be typed over."""
        editing = self._editing
        if editing is None or self.model.read_only:
            return
        entry_id = entities.new_id()
        name_field = self.columns[self.model.name_column()].field or ""
        editing.end_typing()
        added = editing.push(
            edits.AddItem(
                self.catalog_kind,
                editing.plan.id,
                {name_field: self.new_entry_text},
                item_id=entry_id,
            )
        )
        if not added:
            return
        self.model.sync_rows()  # the change may not have come round yet
        self.select_entry(entry_id)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.view.edit(self.view.currentIndex())

    def edit_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.view.edit(index)

    def delete_entry(self) -> None:
        """Delete the selected entry; one in use asks first and says where it is used."""
        editing = self._editing
        entry_id = self.current_entry_id()
        if editing is None or entry_id is None or self.model.read_only:
            return
        uses = reading.used_by(editing.document, self.catalog_kind, entry_id)
        if uses and not self._confirm_delete(entry_id, uses):
            return
        row = self.model.row_of(entry_id)
        editing.end_typing()
        if not editing.push(edits.DeleteItem(self.catalog_kind, entry_id)):
            return
        self.model.sync_rows()
        if self.model.rowCount():
            next_row = min(row, self.model.rowCount() - 1)
            self.view.setCurrentIndex(self.model.index(next_row, self.model.name_column()))

    def _confirm_delete(self, entry_id: str, uses: list[queries.StepUse]) -> bool:
        shown = 8
        lines = [use.label(36) for use in uses[:shown]]
        if len(uses) > shown:
            lines.append(f"… and {len(uses) - shown} more")
        noun = step_noun(self._editing)
        name = self.model.name_of(entry_id) or f"this {self.entry_noun}"
        those = f"that {noun}" if len(uses) == 1 else f"those {plural_noun(noun)}"
        text = (
            f"“{name}” is used by {plural(len(uses), noun)}:\n\n"
            + "\n".join(lines)
            + f"\n\nDelete it and take it off {those}? You can undo this."
        )
        answer = QMessageBox.question(
            self,
            f"Delete {self.entry_noun.title()}",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _update_enabled(self) -> None:
        has_plan = self._editing is not None
        writable = has_plan and not self.model.read_only
        has_entry = self.current_entry_id() is not None
        self.view.setEnabled(has_plan)
        self.add_button.setEnabled(writable)
        self.add_action.setEnabled(writable)
        self.delete_button.setEnabled(writable and has_entry)
        self.delete_action.setEnabled(writable and has_entry)
        self.edit_action.setEnabled(writable and has_entry)

    def _current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_enabled()
        self._refresh_used_by()

    # ------------------------------------------------------------------ used by

    def _used_by_ids(self) -> set[str]:
        return {
            self.used_by.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.used_by.count())
        }

    def _refresh_used_by(self) -> None:
        entry_id = self.current_entry_id()
        current = self.used_by.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.used_by.clear()
        if self._editing is None:
            self.used_by_label.setText("")
            return
        if entry_id is None:
            self.used_by_label.setText(f"Select a {self.entry_noun} to see where it is used.")
            return
        uses = reading.used_by(self._editing.document, self.catalog_kind, entry_id)
        noun = step_noun(self._editing)
        if not uses:
            self.used_by_label.setText(f"Not used by any {noun}.")
            return
        self.used_by_label.setText(f"Used by {plural(len(uses), noun)}:")
        for use in uses:
            item = QListWidgetItem(use.label())
            item.setData(Qt.ItemDataRole.UserRole, use.step_id)
            item.setToolTip(use.text)
            self.used_by.addItem(item)
            if use.step_id == keep:
                self.used_by.setCurrentItem(item)

    def _used_by_activated(self, index: QModelIndex) -> None:
        step_id = index.data(Qt.ItemDataRole.UserRole)
        if step_id:
            self.navigate.emit("action_step", str(step_id))


class FundingSourcesPanel(CatalogPanel):
    """Funding sources with allocation, assigned and left, and the selected step's funding."""

    catalog_kind = "funding_source"
    panel_title = "Funding Sources"
    tab_title = "Funding"
    entry_noun = "funding source"
    new_entry_text = "New funding source"
    # Beside the three sums, on a laptop at 125 %: "Title I, Pa…".
    name_shown_at_least = "Title I"
    fit_through = 4  # Left: code and kind, set once and rarely read, are a scroll away
    # The money comes straight after the name, where a narrow dock still shows it; code and
    # kind, set once and rarely read, are a scroll away.
    columns = (
        Column("✓", "Funds the selected action step", link_kind="funding_link", width="✓"),
        Column("Name", "Name of the funding source", field="name", required=True),
        Column(
            "Allocation",
            "Dollars available to the plan from this source",
            field="allocation",
            editor="money",
            width="$1,000,000",
        ),
        Column(
            "Assigned",
            "Total of the amounts assigned to action steps",
            computed="assigned",
            width="$1,000,000",
        ),
        Column("Left", "Allocation less what is assigned", computed="left", width="$1,000,000"),
        Column("Code", "Fund or program code", field="code", width="0000"),
        Column(
            "Kind",
            "Federal, state, local, grant or other",
            field="kind",
            editor="choice",
            choices=FUNDING_KINDS,
            width="Federal",
        ),
    )

    def _make_model(self) -> CatalogModel:
        model = FundingSourcesModel(self.columns, self)
        # Summed after the panel is shown, the sums may be wider than what stood for them.
        model.first_totals_summed.connect(self._fit_sums_soon)
        return model

    def _fit_sums_soon(self) -> None:
        # Within a later turn's budget: measured in the turn of the last sums, every column
        # at that, they held a 10,000-step plan's window 12 ms after the summing's own share.
        def fit() -> Iterator[None]:
            if self.editing is not None:
                self._fit_columns_to_content(sums_only=True)
            yield

        turns.in_later_turns(fit())

    def _extra_sections(self) -> list[QWidget]:
        self.link_model = FundingLinkModel(self)
        self.link_view = catalog_table(
            "Funding of the selected action step",
            "One line per source and school year; edit the amount and the year. "
            "Insert adds a line for another year, Delete removes the selected line.",
        )
        self.link_view.setModel(self.link_model)
        # A delegate of its own: a view takes every commitData a delegate sends as its own.
        self.link_delegate = CellDelegate(lambda: self._editing, self)
        self.link_view.setItemDelegate(self.link_delegate)
        self.link_view.insert_pressed.connect(self.add_link_year)
        self.link_view.delete_pressed.connect(self.remove_link)
        self.link_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._update_link_buttons()
        )
        header = self.link_view.horizontalHeader()
        metrics = self.link_view.fontMetrics()
        header.setSectionResizeMode(FundingLinkModel.SOURCE, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(FundingLinkModel.AMOUNT, metrics.horizontalAdvance("$1,000,000") + 24)
        header.resizeSection(FundingLinkModel.YEAR, metrics.horizontalAdvance("2024-25") + 40)

        self.link_label = QLabel()
        self.link_label.setWordWrap(True)
        self.link_label.setBuddy(self.link_view)
        self.add_year_button = tool_button(
            "Add year",
            "Add a funding line for another school year",
            "Fund the step from the same source for another school year (Ins)",
        )
        self.add_year_button.clicked.connect(self.add_link_year)
        self.remove_link_button = tool_button(
            "Remove", "Remove the selected funding line", "Remove the selected funding line (Del)"
        )
        self.remove_link_button.clicked.connect(self.remove_link)

        section = QWidget()
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.link_label, 1)
        top.addWidget(self.add_year_button)
        top.addWidget(self.remove_link_button)
        layout.addLayout(top)
        layout.addWidget(self.link_view)
        self._show_link_label()
        return [section]

    def _set_editing_extra(self, editing: PlanEditing | None) -> None:
        self.link_model.set_editing(editing)
        self._show_link_label()

    def _set_step_extra(self, step_id: str | None) -> None:
        self.link_model.set_step(step_id)
        self._show_link_label()

    def _after_entry_update(self, fields: frozenset[str]) -> tuple[str, ...]:
        # A renamed source is shown by name in the step's funding lines.
        return ("links",) if "name" in fields else ()

    def _on_own_link_change(self, change: edits.Change) -> None:
        # An amount typed below updates its own row at once, the totals above at the step's end.
        if change.action == "updated" and change.parent_id == self.link_model.step_id:
            self.link_model.refresh_entry(change.item_id, change.fields)
        elif change.parent_id == self.link_model.step_id:
            self.link_model.sync_rows()

    def _refresh_links(self) -> None:
        self.link_model.step_id = self.model.live_step()
        self.link_model.sync_rows()
        self.link_model.refresh_all()
        self._show_link_label()

    def _show_link_label(self) -> None:
        editing = self._editing
        step_id = self.model.live_step()
        noun = step_noun(editing)
        if editing is None or step_id is None:
            self.link_label.setText(f"Select {with_article(noun)} to see its funding.")
            self.link_view.setEnabled(False)
        else:
            number = reading.step_number(editing.document, step_id) or ""
            if self.link_model.rowCount():
                self.link_label.setText(f"Funding of {noun} {number}:")
            else:
                self.link_label.setText(f"No funding for {noun} {number}: tick a source above.")
            self.link_view.setEnabled(True)
        self._update_link_buttons()

    def _update_link_buttons(self) -> None:
        writable = self._editing is not None and not self.model.read_only
        has_line = self.link_view.currentIndex().isValid()
        self.add_year_button.setEnabled(writable and has_line)
        self.remove_link_button.setEnabled(writable and has_line)

    def _current_link(self) -> entities.FundingLink | None:
        index = self.link_view.currentIndex()
        return self.link_model.link(index.row()) if index.isValid() else None

    def add_link_year(self) -> None:
        """Another line from the selected line's source, for the next school year not yet funded."""
        editing = self._editing
        link = self._current_link()
        step_id = self.model.live_step()
        if editing is None or link is None or step_id is None or self.model.read_only:
            return
        step = reading.get(editing.document, entities.ActionStep, step_id)
        if step is None:
            return
        used = {
            line.year for line in step.funding if line.funding_source_id == link.funding_source_id
        }
        years = school_years(editing.plan.first_year, editing.plan.last_year)
        later = [
            year for year in years if year not in used and (link.year is None or year > link.year)
        ]
        spare = later or [year for year in years if year not in used]
        row = self.link_model.row_of(link.id)
        values: dict[str, Any] = {"year": spare[0]} if spare else {}
        editing.end_typing()
        if editing.push(
            edits.assign(step_id, "funding_link", link.funding_source_id, row + 1, **values)
        ):
            self.link_model.sync_rows()
            index = self.link_model.index(row + 1, FundingLinkModel.AMOUNT)
            self.link_view.setCurrentIndex(index)
            self.link_view.setFocus(Qt.FocusReason.OtherFocusReason)
            self.link_view.edit(index)

    def remove_link(self) -> None:
        editing = self._editing
        link = self._current_link()
        if editing is None or link is None or self.model.read_only:
            return
        row = self.link_model.row_of(link.id)
        editing.end_typing()
        if editing.push(edits.DeleteItem("funding_link", link.id)):
            self.link_model.sync_rows()
            if self.link_model.rowCount():
                self.link_view.setCurrentIndex(
                    self.link_model.index(min(row, self.link_model.rowCount() - 1), 1)
                )
            self._update_link_buttons()


class RolesPanel(CatalogPanel):
    """Responsible roles: positions such as Director of Federal Programs."""

    catalog_kind = "role"
    panel_title = "Responsible Roles"
    tab_title = "Roles"
    entry_noun = "role"
    new_entry_text = "New role"
    columns = (
        Column("✓", "Responsible for the selected action step", link_kind="role_link", width="✓"),
        Column(
            "Title", "Position, e.g. Director of Federal Programs", field="title", required=True
        ),
        Column("Department", "Department or office", field="department", width="Federal Programs"),
        Column(
            "Person",
            "Who holds the position now (optional)",
            field="person",
            width="Firstname Last",
        ),
    )


class MonitoringMethodsPanel(CatalogPanel):
    """Monitoring methods: evidence that a step is implemented, or that it works."""

    catalog_kind = "monitoring_method"
    panel_title = "Monitoring Methods"
    tab_title = "Monitoring"
    entry_noun = "monitoring method"
    new_entry_text = "New monitoring method"
    columns = (
        Column(
            "Impl.",
            "Monitors the implementation of the selected action step",
            link_kind="implementation_link",
            width="Impl.",
        ),
        Column(
            "Eff.",
            "Monitors the effectiveness of the selected action step",
            link_kind="effectiveness_link",
            width="Eff.",
        ),
        Column(
            "Method",
            "Evidence collected, e.g. PD logs and sign-in sheets",
            field="text",
            required=True,
        ),
        Column(
            "Kind",
            "Evidence of implementation, of effectiveness, or both",
            field="kind",
            editor="choice",
            choices=MONITORING_KINDS,
            width="Effectiveness",
        ),
    )
