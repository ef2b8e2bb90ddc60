"""The catalog table models: the entries of one catalog, and the funding lines of one step."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from planstudio.model.formatting import money_for_editing, money_or_blank, parse_money, plural
from planstudio.model.vocabulary import school_years
from planstudio.ui import turns
from planstudio.ui.catalog.values import check_state, in_plan_words, step_noun, years_around_today
from planstudio.ui.deferred import deferred
from planstudio.ui.editing import PlanEditing
from planstudio.ui.mime import MIME_CATALOG_ENTRY

if TYPE_CHECKING:
    from planstudio.model import edits, entities, kinds, queries, reading
else:
    edits = deferred("planstudio.model.edits")
    entities = deferred("planstudio.model.entities")
    kinds = deferred("planstudio.model.kinds")
    queries = deferred("planstudio.model.queries")
    reading = deferred("planstudio.model.reading")

# Combined once, not at each call: each `|` of Qt's flags is a few Python calls, and a
# repaint asks every visible cell for its flags and its alignment.
_FIGURES = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_SELECTABLE = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
_LINK_DISABLED = _SELECTABLE | Qt.ItemFlag.ItemIsUserCheckable
_LINK = _LINK_DISABLED | Qt.ItemFlag.ItemIsEnabled
_ENTRY = _SELECTABLE | Qt.ItemFlag.ItemIsEnabled
_ENTRY_EDITABLE = _ENTRY | Qt.ItemFlag.ItemIsEditable
_CELL = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
_CELL_EDITABLE = _CELL | Qt.ItemFlag.ItemIsEditable

ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
# The roles a catalog's cells answer; a view asks for a dozen per painted cell, and looking
# the entry up for the others cost a 10,000-step plan's window 10-20 ms a panel shown.
_CELL_ROLES = frozenset({
    ENTRY_ID_ROLE, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
    Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ForegroundRole,
})  # fmt: skip

EditorKind = Literal["text", "money", "choice"]
ModelIndex = QModelIndex | QPersistentModelIndex
NO_VALUE = "—"
_UNSET = object()


class RowsModel(QAbstractTableModel):
    """Rows that mirror an ordered collection of plan items, kept as ids.

    Cells are read from the plan on every `data` call; only the order of ids is
    kept here, so that inserting and removing rows can be told to the view
    exactly, and an editor open in a cell survives edits to other rows.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editing: PlanEditing | None = None
        self._ids: list[str] = []
        # The cell whose editor is open: refreshes leave it alone, so that typing
        # "12." is not turned into "12" by its own live commit.
        self.editing_cell: QPersistentModelIndex | None = None

    # ------------------------------------------------------------------ to override

    def current_ids(self) -> list[str]:
        raise NotImplementedError

    def editor_kind(self, index: ModelIndex) -> EditorKind:
        return "text"

    def choices(self, index: ModelIndex) -> list[tuple[str, str | None]]:
        return []

    def live(self, index: ModelIndex) -> bool:
        """Whether the cell stores what is typed or picked at once, before the editor closes.

        Amounts do, so that totals follow the typing; choices do, so that the arrow
        keys on a closed list change the value as they do in any form.
        """
        return self.editor_kind(index) in ("money", "choice")

    # ------------------------------------------------------------------ rows

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, item_id: str) -> int:
        try:
            return self._ids.index(item_id)
        except ValueError:
            return -1

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._ids)

    def reset_rows(self) -> None:
        self.beginResetModel()
        self.editing_cell = None
        self._ids = self.current_ids() if self.editing is not None else []
        self.endResetModel()

    def sync_rows(self) -> None:
        """Follow the collection: one insert or one removal exactly, anything else by reset."""
        new = self.current_ids() if self.editing is not None else []
        old = self._ids
        if new == old:
            return
        if len(new) == len(old) + 1:
            at = next(
                (i for i, (a, b) in enumerate(zip(new, old, strict=False)) if a != b), len(old)
            )
            if new[:at] + new[at + 1 :] == old:
                self.beginInsertRows(QModelIndex(), at, at)
                self._ids = new
                self.endInsertRows()
                return
        if len(new) == len(old) - 1:
            at = next(
                (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(new)
            )
            if old[:at] + old[at + 1 :] == new:
                self.beginRemoveRows(QModelIndex(), at, at)
                self._ids = new
                self.endRemoveRows()
                return
        self.reset_rows()

    def refresh_cells(self, rows: Sequence[int], columns: Sequence[int]) -> None:
        """Repaint cells, except the one being typed in."""
        editing = (
            self.editing_cell
            if self.editing_cell is not None and self.editing_cell.isValid()
            else None
        )
        for row in rows:
            if not 0 <= row < len(self._ids):
                continue
            for column in columns:
                if editing is not None and (editing.row(), editing.column()) == (row, column):
                    continue
                index = self.index(row, column)
                self.dataChanged.emit(index, index)

    def refresh_all(self) -> None:
        self.refresh_cells(range(len(self._ids)), range(self.columnCount()))

    # ------------------------------------------------------------------ editing

    @property
    def read_only(self) -> bool:
        return self.editing is None or self.editing.document.read_only

    def push(self, operation: edits.EditOp) -> bool:
        # No end_typing here: the values an amount editor stores as they are typed must merge
        # into one undo step.  The delegate ends the step when an editor opens and closes.
        return self.editing.push(operation) if self.editing is not None else False


@dataclass(frozen=True)
class Column:
    """One column of a catalog table: a field of the entry, a check mark, or a total."""

    header: str
    tooltip: str
    field: str | None = None  # an editable field of the entry
    editor: EditorKind = "text"
    choices: Mapping[str, str] | None = None
    required: bool = False  # the entry's name: never stored empty
    link_kind: str | None = None  # a check column: assigned to the selected step by this link
    computed: str | None = None  # worked out by the model, not stored
    width: str = ""  # sample text the column should fit; the name column takes what is left


class CatalogModel(RowsModel):
    """The entries of one catalog, with check columns for the selected action step."""

    def __init__(
        self, catalog_kind: str, columns: Sequence[Column], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.catalog_kind = catalog_kind
        self.columns = tuple(columns)
        self.step_id: str | None = None
        # The selected step as last checked to exist: flags() asks for every painted cell.
        self._live_step: str | None = None
        self._assigned: dict[str, set[str]] = {}

    @property
    def kind(self) -> kinds.Kind:
        # Looked up when a plan is shown: the empty panels of the start page need no tables.
        return kinds.KINDS[self.catalog_kind]

    def set_editing(self, editing: PlanEditing | None) -> None:
        self.editing = editing
        self.step_id = None
        self._live_step = None
        self._assigned = {}
        self.reset_rows()
        self.refresh_derived()

    def current_ids(self) -> list[str]:
        assert self.editing is not None and self.kind.collection is not None
        return [entry.id for entry in getattr(self.editing.plan, self.kind.collection)]

    def entry(self, row: int) -> Any:
        entry_id = self.id_at(row)
        if entry_id is None or self.editing is None:
            return None
        return reading.get(self.editing.document, self.kind.cls, entry_id)

    def name_column(self) -> int:
        return next(i for i, column in enumerate(self.columns) if column.required)

    def name_of(self, entry_id: str) -> str:
        if self.editing is None:
            return ""
        entry = reading.get(self.editing.document, self.kind.cls, entry_id)
        field = self.columns[self.name_column()].field or ""
        return queries.shorten(getattr(entry, field, "") if entry is not None else "")

    # ------------------------------------------------------------------ the selected step

    def set_step(self, step_id: str | None) -> None:
        self.step_id = step_id
        self.refresh_checks()

    def live_step(self) -> str | None:
        """The selected step, unless it has been deleted since it was selected."""
        if self.step_id is None or self.editing is None:
            return None
        return (
            self.step_id
            if reading.get(self.editing.document, entities.ActionStep, self.step_id)
            else None
        )

    def refresh_checks(self) -> None:
        step_id = self.live_step()
        force = (step_id is None) != (self._live_step is None)
        self._live_step = step_id
        assigned: dict[str, set[str]] = {}
        if step_id is not None and self.editing is not None:
            document = self.editing.document
            for column in self.columns:
                if column.link_kind is not None:
                    assigned[column.link_kind] = reading.assigned_entries(
                        document, step_id, column.link_kind
                    )
        if assigned == self._assigned and not force:
            return
        self._assigned = assigned
        check_columns = [i for i, column in enumerate(self.columns) if column.link_kind]
        if self._ids and check_columns:
            # One range per column: the flags (enabled or not) may have changed for every row.
            for number in check_columns:
                self.dataChanged.emit(self.index(0, number), self.index(len(self._ids) - 1, number))

    def is_assigned(self, link_kind: str, entry_id: str) -> bool:
        return entry_id in self._assigned.get(link_kind, set())

    def refresh_derived(self, entry_ids: set[str] | None = None) -> None:
        """Work out again what depends on more than one row (the funding totals).

        `entry_ids` limits the work to those entries; None means all of them.
        """

    def refresh_entry(self, entry_id: str, fields: frozenset[str]) -> None:
        row = self.row_of(entry_id)
        if row < 0:
            return
        columns = [i for i, column in enumerate(self.columns) if column.field in fields]
        self.refresh_cells([row], columns + self.columns_following(fields))

    def columns_following(self, fields: frozenset[str]) -> list[int]:
        """Computed columns that change with these fields of the same entry."""
        return []

    # ------------------------------------------------------------------ Qt model

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return in_plan_words(column.tooltip, self.editing)
        if role == Qt.ItemDataRole.TextAlignmentRole and (
            column.editor == "money" or column.computed
        ):
            return _FIGURES
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        column = self.columns[index.column()]
        if column.link_kind is not None:
            # Disabled, not hidden, when no step is selected: the column stays where it is.
            if self._live_step is None or self.read_only:
                return _LINK_DISABLED
            return _LINK
        if column.field is not None and not self.read_only:
            return _ENTRY_EDITABLE
        return _ENTRY

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _CELL_ROLES or not index.isValid() or self.editing is None:
            return None
        entry = self.entry(index.row())
        if entry is None:
            return None
        column = self.columns[index.column()]
        if role == ENTRY_ID_ROLE:
            return entry.id
        if column.link_kind is not None:
            assigned = self.is_assigned(column.link_kind, entry.id)
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if assigned else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.ToolTipRole:
                return in_plan_words(column.tooltip, self.editing)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                said = in_plan_words(column.tooltip, self.editing)
                return f"{said}: {'yes' if assigned else 'no'}"
            return None
        if column.computed is not None:
            return self.computed_data(entry, column, role)
        value = getattr(entry, column.field or "")
        if role == Qt.ItemDataRole.DisplayRole:
            if column.editor == "money":
                return money_or_blank(value)
            if column.editor == "choice":
                return (column.choices or {}).get(value, value or "")
            return queries.shorten(value, 200) if column.required else (value or "")
        if role == Qt.ItemDataRole.EditRole:
            if column.editor == "money":
                return money_for_editing(value)
            return value if column.editor == "choice" else (value or "")
        if role == Qt.ItemDataRole.ToolTipRole and value and column.editor == "text":
            return str(value)  # the whole text, whatever the column's width cuts off
        if role == Qt.ItemDataRole.TextAlignmentRole and column.editor == "money":
            return _FIGURES
        return None

    def computed_data(self, entry: Any, column: Column, role: int) -> Any:
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.editing is None or self.read_only:
            return False
        entry = self.entry(index.row())
        if entry is None:
            return False
        column = self.columns[index.column()]
        if column.link_kind is not None and role == Qt.ItemDataRole.CheckStateRole:
            return self.set_assigned(column.link_kind, entry.id, check_state(value))
        if column.field is None or role != Qt.ItemDataRole.EditRole:
            return False
        parsed = self.parse(column, value)
        if parsed is _UNSET:
            return False
        if parsed == getattr(entry, column.field):
            return True
        return self.push(edits.UpdateItem(self.catalog_kind, entry.id, {column.field: parsed}))

    def parse(self, column: Column, value: Any) -> Any:
        """The value to store for what was typed, or _UNSET when it cannot be stored."""
        if column.editor == "money":
            ok, amount = parse_money(str(value or ""))
            return amount if ok else _UNSET
        if column.editor == "choice":
            return value or None
        text = str(value or "").strip()
        if column.required and not text:
            return _UNSET  # an entry is never left without a name
        return text or None

    def set_assigned(self, link_kind: str, entry_id: str, state: Qt.CheckState) -> bool:
        step_id = self.live_step()
        if step_id is None or self.editing is None:
            return False
        if state == Qt.CheckState.Checked:
            if self.is_assigned(link_kind, entry_id):
                return True
            self.editing.end_typing()
            return self.push(edits.assign(step_id, link_kind, entry_id))
        # Funding may have a line per school year: unticking takes the source off the step
        # for every year, as one undo step.
        links = reading.link_ids(self.editing.document, step_id, link_kind, entry_id)
        if not links:
            return True
        self.editing.end_typing()
        deletes: list[edits.EditOp] = [edits.DeleteItem(link_kind, link_id) for link_id in links]
        return self.editing.push_many(deletes, self.editing.describe(deletes[0]))

    # ------------------------------------------------------------------ dragging out

    def mimeTypes(self) -> list[str]:
        return [MIME_CATALOG_ENTRY]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.LinkAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        entry_id = next((self.id_at(index.row()) for index in indexes if index.isValid()), None)
        if entry_id is None:
            return data
        payload = json.dumps({"kind": self.catalog_kind, "id": entry_id})
        data.setData(MIME_CATALOG_ENTRY, QByteArray(payload.encode("utf-8")))
        data.setText(self.name_of(entry_id))
        return data

    # ------------------------------------------------------------------ for the delegate

    def editor_kind(self, index: ModelIndex) -> EditorKind:
        return self.columns[index.column()].editor

    def choices(self, index: ModelIndex) -> list[tuple[str, str | None]]:
        column = self.columns[index.column()]
        return [(NO_VALUE, None), *((label, key) for key, label in (column.choices or {}).items())]


# A refresh of every source's totals is summed this many sources at a time, for at most
# this long at each turn of the event loop: one sum over every link of a 10,000-step plan
# held the window 20-50 ms; a few sources' sums are index searches of a few ms.
SOURCES_A_STEP = 20
TOTALS_SLICE_S = 0.008


class FundingSourcesModel(CatalogModel):
    """Funding sources with what the plan's steps spend of each and what is left."""

    # The totals of a plan just shown are all summed (the panel fits its columns to them).
    first_totals_summed = Signal()

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__("funding_source", columns, parent)
        self._totals: dict[str, queries.FundingTotal] = {}
        # Sources a refresh of every total has still to sum, in row order, summed a few
        # at each turn of the event loop by `_summing`.
        self._unsummed: dict[str, None] = {}
        self._summing = QTimer(self)
        self._summing.setInterval(0)
        self._summing.timeout.connect(self._sum_some)
        self._summing_at_once = True
        self._first_totals = False

    def set_editing(self, editing: PlanEditing | None) -> None:
        # Another plan's totals are no guide to this one's, even for a turn.
        self._totals = {}
        self._unsummed = {}
        self._summing.stop()
        # A plan being shown: its totals are summed from the next turn on.  The turn that
        # shows the panel is full already (its first sum of a 10,000-step plan took 10 ms
        # more, and the window froze 40-60 ms on opening); after an edit they are summed
        # at once, so that the panels are up to date when the edit has been handed out.
        self._summing_at_once = False
        self._first_totals = editing is not None
        try:
            super().set_editing(editing)
        finally:
            self._summing_at_once = True

    def totals_pending(self) -> bool:
        """True while some source's total is still being summed."""
        return bool(self._unsummed)

    def refresh_derived(self, entry_ids: set[str] | None = None) -> None:
        if self.editing is None:
            self._unsummed = {}
            self._summing.stop()
            self._show_totals({})
        elif entry_ids is None:
            # Every source, a few at a time; what is shown meanwhile is the last sum (or a
            # dash on opening) until a source's turn comes.
            self._unsummed = dict.fromkeys(self._ids)
            if self._summing_at_once:
                self._sum_some()
            else:
                self._summing.start()
        else:
            # One source while an amount is typed: an index search, summed at once.
            self._show_totals(self._summed(entry_ids))

    def _summed(self, entry_ids: Sequence[str] | set[str]) -> dict[str, queries.FundingTotal]:
        """The totals with those of `entry_ids` summed again (a source gone is dropped)."""
        assert self.editing is not None
        fresh = reading.funding_totals(self.editing.document, entry_ids)
        totals = {**self._totals, **fresh}
        for gone in set(entry_ids) - fresh.keys():
            totals.pop(gone, None)
        return totals

    def _sum_some(self) -> None:
        """Sum the next sources' totals for up to TOTALS_SLICE_S; the rest at later turns."""
        if self.editing is None:
            self._unsummed = {}
            self._summing.stop()
            return
        allowed = turns.allowance(TOTALS_SLICE_S)
        if allowed is not None:  # else this turn is spent: the next one sums
            deadline = time.perf_counter() + allowed
            with turns.counted():
                while self._unsummed:
                    step = list(self._unsummed)[:SOURCES_A_STEP]
                    for entry_id in step:
                        del self._unsummed[entry_id]
                    self._show_totals(self._summed(step))
                    if time.perf_counter() >= deadline:
                        break
        if self._unsummed:
            self._summing.start()
        else:
            self._summing.stop()
            shown = set(self._ids)
            self._totals = {key: total for key, total in self._totals.items() if key in shown}
            if self._first_totals:
                self._first_totals = False
                self.first_totals_summed.emit()

    def _show_totals(self, totals: dict[str, queries.FundingTotal]) -> None:
        changed = [
            row
            for row, entry_id in enumerate(self._ids)
            if totals.get(entry_id) != self._totals.get(entry_id)
        ]
        self._totals = totals
        computed = [i for i, column in enumerate(self.columns) if column.computed]
        self.refresh_cells(changed, computed)

    def columns_following(self, fields: frozenset[str]) -> list[int]:
        # "Left" is the allocation being typed less what is assigned: it follows each keystroke.
        if "allocation" not in fields:
            return []
        return [i for i, column in enumerate(self.columns) if column.computed == "left"]

    def computed_data(self, entry: entities.FundingSource, column: Column, role: int) -> Any:
        total = self._totals.get(entry.id)
        if total is None and entry.id in self._unsummed:
            # Not summed yet (a large plan just opened): no figure rather than a wrong one.
            if role == Qt.ItemDataRole.DisplayRole:
                return NO_VALUE
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _FIGURES
            return None
        assigned = total.assigned if total is not None else 0.0
        left = None if entry.allocation is None else round(entry.allocation - assigned, 2)
        value = assigned if column.computed == "assigned" else left
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return NO_VALUE
            return money_or_blank(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _FIGURES
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column.computed == "left"
            and left is not None
        ):
            # More assigned than allocated: the one figure an auditor asks about first.
            return QBrush(QColor("#b3261e")) if left < 0 else None
        if role == Qt.ItemDataRole.ToolTipRole:
            steps = total.steps if total is not None else 0
            if column.computed == "assigned":
                return f"Assigned to {plural(steps, step_noun(self.editing))}"
            if left is None:
                return "No allocation entered"
            return "Over-allocated" if left < 0 else "Not yet assigned"
        return None


class FundingLinkModel(RowsModel):
    """The funding lines of the selected action step: source, amount, school year."""

    HEADERS = ("Source", "Amount", "Year")
    TOOLTIPS = (
        "Funding source",
        "Dollars from this source for the step",
        "School year of this amount",
    )
    SOURCE, AMOUNT, YEAR = range(3)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.step_id: str | None = None

    def set_editing(self, editing: PlanEditing | None) -> None:
        self.editing = editing
        self.step_id = None
        self.reset_rows()

    def set_step(self, step_id: str | None) -> None:
        if step_id == self.step_id:
            self.sync_rows()
            return
        self.step_id = step_id
        self.reset_rows()

    def current_ids(self) -> list[str]:
        assert self.editing is not None
        if self.step_id is None:
            return []
        step = reading.get(self.editing.document, entities.ActionStep, self.step_id)
        return [link.id for link in step.funding] if step is not None else []

    def link(self, row: int) -> entities.FundingLink | None:
        link_id = self.id_at(row)
        if link_id is None or self.editing is None:
            return None
        found: entities.FundingLink | None = reading.get(
            self.editing.document, entities.FundingLink, link_id
        )
        return found

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.TOOLTIPS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() != self.SOURCE and not self.read_only:
            return _CELL_EDITABLE
        return _CELL

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        link = self.link(index.row()) if index.isValid() else None
        if link is None or self.editing is None:
            return None
        column = index.column()
        if role == ENTRY_ID_ROLE:
            return link.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.AMOUNT:
            return _FIGURES
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        display = role == Qt.ItemDataRole.DisplayRole
        if column == self.SOURCE:
            source = reading.get(
                self.editing.document, entities.FundingSource, link.funding_source_id
            )
            return queries.shorten(source.name) if source is not None else ""
        if column == self.AMOUNT:
            return money_or_blank(link.amount) if display else money_for_editing(link.amount)
        return (link.year or "") if display else link.year

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        link = self.link(index.row()) if index.isValid() else None
        if link is None or role != Qt.ItemDataRole.EditRole or self.read_only:
            return False
        parsed: float | str | None
        if index.column() == self.AMOUNT:
            ok, amount = parse_money(str(value or ""))
            if not ok:
                return False
            field, parsed = "amount", amount
        elif index.column() == self.YEAR:
            field, parsed = "year", (str(value).strip() if value else None) or None
        else:
            return False
        if getattr(link, field) == parsed:
            return True
        return self.push(edits.UpdateItem("funding_link", link.id, {field: parsed}))

    def editor_kind(self, index: ModelIndex) -> EditorKind:
        return "money" if index.column() == self.AMOUNT else "choice"

    def choices(self, index: ModelIndex) -> list[tuple[str, str | None]]:
        if self.editing is None:
            return []
        plan = self.editing.plan
        years = school_years(plan.first_year, plan.last_year) or years_around_today()
        link = self.link(index.row())
        if link is not None and link.year and link.year not in years:
            years = sorted([*years, link.year])
        return [(NO_VALUE, None), *((year, year) for year in years)]

    def refresh_entry(self, link_id: str, fields: frozenset[str]) -> None:
        row = self.row_of(link_id)
        columns = [self.AMOUNT] if fields == {"amount"} else range(len(self.HEADERS))
        self.refresh_cells([row], list(columns))
