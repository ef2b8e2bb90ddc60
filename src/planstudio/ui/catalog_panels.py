"""The three catalog side panels: funding sources, responsible roles, monitoring methods.

Each panel is a dock with a table of its catalog's entries, a "used by" list
for the selected entry, and (for funding) the funding lines of the selected
action step.  Every change is an edit operation pushed on the session, so it
is undoable like any other; the panels never change the plan behind the
session's back.

The panels do not listen to the session themselves: the main window hands each
Change to `on_change`, as it does for the tree and the editor, so that the
order in which views hear of an edit is decided in one place.  Row structure
follows a change at once (the view must never see a row that is gone); what is
worked out from many rows (totals, check marks, the used-by list) is brought
up to date once per turn of the event loop, so that pasting a branch of fifty
steps costs one query rather than fifty.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QByteArray,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QKeyEvent,
    QKeySequence,
    QRegularExpressionValidator,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planstudio.model import AddItem, Change, DeleteItem, EditOp, UpdateItem, assign, queries
from planstudio.model.entities import ActionStep, FundingLink, FundingSource, new_id
from planstudio.model.kinds import CATALOG_KINDS, KINDS, TREE_KINDS
from planstudio.model.vocabulary import FUNDING_KINDS, MONITORING_KINDS, school_years
from planstudio.ui.session import DocumentSession

MIME_CATALOG_ENTRY = "application/x-planstudio-catalog-entry"
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1

EditorKind = Literal["text", "money", "choice"]
ModelIndex = QModelIndex | QPersistentModelIndex

# Dollars as people type them: "1200", "$1,200.50"; a partial entry such as "$" or "12." is
# let through so that typing can go on, and simply not stored until it is a number.
_MONEY_PATTERN = QRegularExpression(r"^\s*\$?\s*[0-9,]*\.?[0-9]{0,2}\s*$")
_MONEY_TEXT = re.compile(r"^[0-9]*\.?[0-9]*$")
_NO_VALUE = "—"
_UNSET = object()
# Editor properties: the undo index when an amount editor opened, and that Escape was pressed.
_UNDO_START = "planstudioUndoStart"
_REVERTING = "planstudioReverting"


def parse_money(text: str) -> tuple[bool, float | None]:
    """(ok, value) for typed dollars: empty or a lone "$" is no amount, "12." is 12, "." fails."""
    cleaned = text.replace("$", "").replace(",", "").strip()
    if not cleaned:
        return True, None
    if not _MONEY_TEXT.match(cleaned) or cleaned == ".":
        return False, None
    return True, float(cleaned)


def format_money(value: float | None) -> str:
    """$1,200 or $1,200.50; whole dollars without cents, as budgets are usually written."""
    if value is None:
        return ""
    if value < 0:
        return "-" + format_money(-value)
    if value == int(value):
        return f"${value:,.0f}"
    return f"${value:,.2f}"


def money_edit_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def plural_noun(noun: str) -> str:
    """ "activities", "action steps": level names are the plan's own, so plural by rule."""
    lower = noun.lower()
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{noun[:-1]}ies"
    if lower.endswith(("s", "x", "ch", "sh")):
        return f"{noun}es"
    return f"{noun}s"


def plural(count: int, noun: str) -> str:
    """ "1 action step", "3 action steps"."""
    return f"{count} {noun if count == 1 else plural_noun(noun)}"


def _step_noun(session: DocumentSession | None) -> str:
    """What the plan calls its fourth level, as said mid-sentence: "action step", "key lever"."""
    return (session.plan.labels[3] if session is not None else "Action Step").lower()


def _years_around_today() -> list[str]:
    """School years to offer when the plan does not say which years it covers."""
    today = date.today()
    first = today.year - 1 if today.month < 7 else today.year  # a school year starts in July
    return school_years(f"{first - 1}-{first % 100:02d}", f"{first + 4}-{(first + 5) % 100:02d}")


def _check_state(value: Any) -> Qt.CheckState:
    if isinstance(value, Qt.CheckState):
        return value
    return Qt.CheckState(int(value))


# ---------------------------------------------------------------------------- models


class _RowsModel(QAbstractTableModel):
    """Rows that mirror an ordered collection of plan items, kept as ids.

    Cells are read from the plan on every `data` call; only the order of ids is
    kept here, so that inserting and removing rows can be told to the view
    exactly, and an editor open in a cell survives edits to other rows.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session: DocumentSession | None = None
        self._ids: list[str] = []
        # The cell whose editor is open: refreshes leave it alone, so that typing
        # "12." is not turned into "12" by its own live commit.
        self.editing: QPersistentModelIndex | None = None

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
        self.editing = None
        self._ids = self.current_ids() if self.session is not None else []
        self.endResetModel()

    def sync_rows(self) -> None:
        """Follow the collection: one insert or one removal exactly, anything else by reset."""
        new = self.current_ids() if self.session is not None else []
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
        editing = self.editing if self.editing is not None and self.editing.isValid() else None
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
        return self.session is None or self.session.document.read_only

    def push(self, operation: EditOp) -> bool:
        # No end_typing here: the values an amount editor stores as they are typed must merge
        # into one undo step.  The delegate ends the step when an editor opens and closes.
        return self.session.push(operation) if self.session is not None else False


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


class CatalogModel(_RowsModel):
    """The entries of one catalog, with check columns for the selected action step."""

    def __init__(
        self, catalog_kind: str, columns: Sequence[Column], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.catalog_kind = catalog_kind
        self.kind = KINDS[catalog_kind]
        self.columns = tuple(columns)
        self.step_id: str | None = None
        # The selected step as last checked to exist: flags() asks for every painted cell.
        self._live_step: str | None = None
        self._assigned: dict[str, set[str]] = {}

    def set_session(self, session: DocumentSession | None) -> None:
        self.session = session
        self.step_id = None
        self._live_step = None
        self._assigned = {}
        self.reset_rows()
        self.refresh_derived()

    def current_ids(self) -> list[str]:
        assert self.session is not None and self.kind.collection is not None
        return [entry.id for entry in getattr(self.session.plan, self.kind.collection)]

    def entry(self, row: int) -> Any:
        entry_id = self.id_at(row)
        if entry_id is None or self.session is None:
            return None
        return self.session.document.get(self.kind.cls, entry_id)

    def name_column(self) -> int:
        return next(i for i, column in enumerate(self.columns) if column.required)

    def name_of(self, entry_id: str) -> str:
        if self.session is None:
            return ""
        entry = self.session.document.get(self.kind.cls, entry_id)
        field = self.columns[self.name_column()].field or ""
        return queries.shorten(getattr(entry, field, "") if entry is not None else "")

    # ------------------------------------------------------------------ the selected step

    def set_step(self, step_id: str | None) -> None:
        self.step_id = step_id
        self.refresh_checks()

    def live_step(self) -> str | None:
        """The selected step, unless it has been deleted since it was selected."""
        if self.step_id is None or self.session is None:
            return None
        return self.step_id if self.session.document.get(ActionStep, self.step_id) else None

    def refresh_checks(self) -> None:
        step_id = self.live_step()
        force = (step_id is None) != (self._live_step is None)
        self._live_step = step_id
        assigned: dict[str, set[str]] = {}
        if step_id is not None and self.session is not None:
            session = self.session.document.session
            for column in self.columns:
                if column.link_kind is not None:
                    assigned[column.link_kind] = queries.assigned_entries(
                        session, step_id, column.link_kind
                    )
        if assigned == self._assigned and not force:
            return
        self._assigned = assigned
        check_columns = [i for i, column in enumerate(self.columns) if column.link_kind]
        if self._ids and check_columns:
            # One range per column: the flags (enabled or not) may have changed for every row.
            for column in check_columns:
                self.dataChanged.emit(self.index(0, column), self.index(len(self._ids) - 1, column))

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
            return column.tooltip
        if role == Qt.ItemDataRole.TextAlignmentRole and (
            column.editor == "money" or column.computed
        ):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        column = self.columns[index.column()]
        base = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        if column.link_kind is not None:
            # Disabled, not hidden, when no step is selected: the column stays where it is.
            if self._live_step is None or self.read_only:
                return base | Qt.ItemFlag.ItemIsUserCheckable
            return base | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
        flags = base | Qt.ItemFlag.ItemIsEnabled
        if column.field is not None and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.session is None:
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
                return column.tooltip
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{column.tooltip}: {'yes' if assigned else 'no'}"
            return None
        if column.computed is not None:
            return self.computed_data(entry, column, role)
        value = getattr(entry, column.field or "")
        if role == Qt.ItemDataRole.DisplayRole:
            if column.editor == "money":
                return format_money(value)
            if column.editor == "choice":
                return (column.choices or {}).get(value, value or "")
            return queries.shorten(value, 200) if column.required else (value or "")
        if role == Qt.ItemDataRole.EditRole:
            if column.editor == "money":
                return money_edit_text(value)
            return value if column.editor == "choice" else (value or "")
        if role == Qt.ItemDataRole.ToolTipRole and column.required and value:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and column.editor == "money":
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def computed_data(self, entry: Any, column: Column, role: int) -> Any:
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.session is None or self.read_only:
            return False
        entry = self.entry(index.row())
        if entry is None:
            return False
        column = self.columns[index.column()]
        if column.link_kind is not None and role == Qt.ItemDataRole.CheckStateRole:
            return self.set_assigned(column.link_kind, entry.id, _check_state(value))
        if column.field is None or role != Qt.ItemDataRole.EditRole:
            return False
        parsed = self.parse(column, value)
        if parsed is _UNSET:
            return False
        if parsed == getattr(entry, column.field):
            return True
        return self.push(UpdateItem(self.catalog_kind, entry.id, {column.field: parsed}))

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
        if step_id is None or self.session is None:
            return False
        if state == Qt.CheckState.Checked:
            if self.is_assigned(link_kind, entry_id):
                return True
            self.session.end_typing()
            return self.push(assign(step_id, link_kind, entry_id))
        # Funding may have a line per school year: unticking takes the source off the step
        # for every year, as one undo step.
        session = self.session.document.session
        links = queries.link_ids(session, step_id, link_kind, entry_id)
        if not links:
            return True
        self.session.end_typing()
        deletes: list[EditOp] = [DeleteItem(link_kind, link_id) for link_id in links]
        return self.session.push_many(deletes, self.session.describe(deletes[0]))

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
        return [(_NO_VALUE, None), *((label, key) for key, label in (column.choices or {}).items())]


class FundingSourcesModel(CatalogModel):
    """Funding sources with what the plan's steps spend of each and what is left."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__("funding_source", columns, parent)
        self._totals: dict[str, queries.FundingTotal] = {}

    def refresh_derived(self, entry_ids: set[str] | None = None) -> None:
        if self.session is None:
            totals: dict[str, queries.FundingTotal] = {}
        elif entry_ids is None:
            totals = queries.funding_totals(self.session.document.session)
        else:
            fresh = queries.funding_totals(self.session.document.session, entry_ids)
            totals = {**self._totals, **fresh}
            for gone in entry_ids - fresh.keys():
                totals.pop(gone, None)
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

    def computed_data(self, entry: FundingSource, column: Column, role: int) -> Any:
        total = self._totals.get(entry.id)
        assigned = total.assigned if total is not None else 0.0
        left = None if entry.allocation is None else round(entry.allocation - assigned, 2)
        value = assigned if column.computed == "assigned" else left
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return _NO_VALUE
            return format_money(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
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
                return f"Assigned to {plural(steps, _step_noun(self.session))}"
            if left is None:
                return "No allocation entered"
            return "Over-allocated" if left < 0 else "Not yet assigned"
        return None


class FundingLinkModel(_RowsModel):
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

    def set_session(self, session: DocumentSession | None) -> None:
        self.session = session
        self.step_id = None
        self.reset_rows()

    def set_step(self, step_id: str | None) -> None:
        if step_id == self.step_id:
            self.sync_rows()
            return
        self.step_id = step_id
        self.reset_rows()

    def current_ids(self) -> list[str]:
        assert self.session is not None
        if self.step_id is None:
            return []
        step = self.session.document.get(ActionStep, self.step_id)
        return [link.id for link in step.funding] if step is not None else []

    def link(self, row: int) -> FundingLink | None:
        link_id = self.id_at(row)
        if link_id is None or self.session is None:
            return None
        found: FundingLink | None = self.session.document.get(FundingLink, link_id)
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
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if index.column() != self.SOURCE and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        link = self.link(index.row()) if index.isValid() else None
        if link is None or self.session is None:
            return None
        column = index.column()
        if role == ENTRY_ID_ROLE:
            return link.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.AMOUNT:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        display = role == Qt.ItemDataRole.DisplayRole
        if column == self.SOURCE:
            source = self.session.document.get(FundingSource, link.funding_source_id)
            return queries.shorten(source.name) if source is not None else ""
        if column == self.AMOUNT:
            return format_money(link.amount) if display else money_edit_text(link.amount)
        return (link.year or "") if display else link.year

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        link = self.link(index.row()) if index.isValid() else None
        if link is None or role != Qt.ItemDataRole.EditRole or self.read_only:
            return False
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
        return self.push(UpdateItem("funding_link", link.id, {field: parsed}))

    def editor_kind(self, index: ModelIndex) -> EditorKind:
        return "money" if index.column() == self.AMOUNT else "choice"

    def choices(self, index: ModelIndex) -> list[tuple[str, str | None]]:
        if self.session is None:
            return []
        plan = self.session.plan
        years = school_years(plan.first_year, plan.last_year) or _years_around_today()
        link = self.link(index.row())
        if link is not None and link.year and link.year not in years:
            years = sorted([*years, link.year])
        return [(_NO_VALUE, None), *((year, year) for year in years)]

    def refresh_entry(self, link_id: str, fields: frozenset[str]) -> None:
        row = self.row_of(link_id)
        columns = [self.AMOUNT] if fields == {"amount"} else range(len(self.HEADERS))
        self.refresh_cells([row], list(columns))


# ---------------------------------------------------------------------------- editing cells


class CellDelegate(QStyledItemDelegate):
    """Editors for catalog cells: text, dollars stored as they are typed, and choice lists.

    Amounts and choices are stored as they change (see `_RowsModel.live`); the
    session merges those edits into one undo step, and Escape takes it back.
    """

    def __init__(
        self, session: Callable[[], DocumentSession | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session

    def _model(self, index: ModelIndex) -> _RowsModel | None:
        model = index.model()
        return model if isinstance(model, _RowsModel) else None

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        model = self._model(index)
        session = self._session()
        if session is not None:
            session.end_typing()
        kind = model.editor_kind(index) if model is not None else "text"
        editor: QWidget
        if kind == "choice" and model is not None:
            combo = QComboBox(parent)
            for label, value in model.choices(index):
                combo.addItem(label, value)
            if model.live(index):
                combo.activated.connect(lambda _row, c=combo: self.commitData.emit(c))
            editor = combo
        else:
            line = QLineEdit(parent)
            line.setFrame(False)
            if kind == "money":
                line.setValidator(QRegularExpressionValidator(_MONEY_PATTERN, line))
                line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if model is not None and model.live(index):
                line.textEdited.connect(lambda _text, e=line: self.commitData.emit(e))
            editor = line
        header = index.model().headerData(index.column(), Qt.Orientation.Horizontal)
        editor.setAccessibleName(str(header or "Value"))
        if model is not None:
            model.editing = QPersistentModelIndex(index)
            if session is not None and model.live(index):
                editor.setProperty(_UNDO_START, session.undo_stack.index())
        return editor

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            found = editor.findData(value)
            editor.setCurrentIndex(max(found, 0))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        if editor.property(_REVERTING):
            return
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> None:
        editor.setGeometry(option.rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and watched.property(_UNDO_START) is not None
        ):
            watched.setProperty(_REVERTING, True)
        return super().eventFilter(watched, event)

    def destroyEditor(self, editor: QWidget, index: ModelIndex) -> None:
        start = editor.property(_UNDO_START)
        reverting = bool(editor.property(_REVERTING))
        model = self._model(index)
        if model is not None:
            model.editing = None
        session = self._session()
        if session is not None:
            if reverting and start is not None:
                # Escape after values were stored as typed: take those edits back.
                while session.undo_stack.index() > start:
                    session.undo_stack.undo()
            session.end_typing()
        super().destroyEditor(editor, index)
        if model is not None and index.isValid():
            model.refresh_cells([index.row()], [index.column()])


class _KeyTable(QTableView):
    """A table that keeps Insert, Delete and F2 for itself while it has the focus.

    The main window binds Delete and F2 to the tree; taking the shortcut
    override here means the key acts on what the user is looking at.
    """

    insert_pressed = Signal()
    delete_pressed = Signal()

    _OWN_KEYS = (Qt.Key.Key_Insert, Qt.Key.Key_Delete, Qt.Key.Key_F2)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fill_column: int | None = None
        self._fill_minimum = 0
        self._fitting = False
        self.horizontalHeader().sectionResized.connect(self._section_resized)

    def fill_with(self, column: int, minimum: int) -> None:
        """Give one column the width the others leave, but never less than `minimum`.

        Unlike a stretched section, a narrow dock then scrolls sideways rather than
        squeezing the name to nothing.
        """
        self._fill_column = column
        self._fill_minimum = minimum
        self._fit()

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        if section != self._fill_column:
            self._fit()

    def _fit(self) -> None:
        if self._fill_column is None or self._fitting:
            return
        header = self.horizontalHeader()
        others = sum(
            header.sectionSize(i)
            for i in range(header.count())
            if i != self._fill_column and not header.isSectionHidden(i)
        )
        spare = self.viewport().width() - others
        self._fitting = True
        try:
            header.resizeSection(self._fill_column, max(self._fill_minimum, spare))
        finally:
            self._fitting = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in self._OWN_KEYS
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.state() != QAbstractItemView.State.EditingState
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() == Qt.KeyboardModifier.NoModifier:
            if event.key() == Qt.Key.Key_Insert:
                self.insert_pressed.emit()
                return
            if event.key() == Qt.Key.Key_Delete:
                self.delete_pressed.emit()
                return
        super().keyPressEvent(event)


def _table(name: str, description: str) -> _KeyTable:
    view = _KeyTable()
    view.setAccessibleName(name)
    view.setAccessibleDescription(description)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.SelectedClicked
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.setTabKeyNavigation(False)  # Tab leaves the table, as in the rest of the form
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    return view


def _button(text: str, accessible: str, tooltip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setAccessibleName(accessible)
    button.setToolTip(tooltip)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setAutoRaise(True)
    return button


# ---------------------------------------------------------------------------- panels


class CatalogPanel(QDockWidget):
    """A dockable panel editing one catalog; the three panels differ only in their columns."""

    navigate = Signal(str, str)  # (kind, id) of an item to show: a step that uses an entry

    catalog_kind: ClassVar[str]
    panel_title: ClassVar[str]
    entry_noun: ClassVar[str]  # "funding source", as said in buttons and questions
    new_entry_text: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.panel_title, parent)
        self.setObjectName(type(self).__name__)
        self.setAccessibleName(f"{self.panel_title} panel")
        self._session: DocumentSession | None = None
        self._pending: set[str] = set()
        # When only some entries' totals need working out again (an amount being typed):
        # those entries; None while "derived" is pending for all of them.
        self._derived_only: set[str] | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh_now)

        self.model = self._make_model()
        self.delegate = CellDelegate(lambda: self._session, self)
        self.view = _table(
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

        self.add_button = _button("Add", f"Add {self.entry_noun}", f"Add a {self.entry_noun} (Ins)")
        self.add_button.clicked.connect(self.add_entry)
        self.delete_button = _button(
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
                header.resizeSection(i, metrics.horizontalAdvance(sample) + 24)
        self.view.fill_with(
            self.model.name_column(), metrics.horizontalAdvance("Director of Federal") + 24
        )

    def sizeHint(self) -> QSize:
        return QSize(440, 520)

    # ------------------------------------------------------------------ the main window's API

    @property
    def session(self) -> DocumentSession | None:
        return self._session

    def set_session(self, session: DocumentSession | None) -> None:
        self._pending.clear()
        self._derived_only = None
        self._refresh_timer.stop()
        self._session = session
        self.model.set_session(session)
        self._set_session_extra(session)
        self._update_enabled()
        self._refresh_used_by()

    def _set_session_extra(self, session: DocumentSession | None) -> None:
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
        self.set_session(self._session)
        if step is not None:
            self.set_current_step(step)

    def on_change(self, change: Change) -> None:
        """Follow an applied edit: rows at once, the rest on the next turn of the event loop."""
        if self._session is None:
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
        elif kind in CATALOG_KINDS:
            # Another catalog: its entries and their links touch nothing shown here.
            return
        elif kind in self._link_kinds():
            step = self.model.step_id
            re_pointed = KINDS[kind].fields[0].name in change.fields
            if structural or re_pointed:
                self._schedule("used_by", "derived")
                if change.parent_id == step or change.previous_parent_id == step:
                    self._schedule("checks", "links")
            else:
                # An amount or a year: who uses what is unchanged, one entry's total is not.
                self._schedule_derived_for(self._entry_of_link(change))
            self._on_own_link_change(change)
        elif kind in TREE_KINDS:
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

    def _on_own_link_change(self, change: Change) -> None:
        pass

    def _schedule(self, *parts: str) -> None:
        if "derived" in parts:
            self._derived_only = None
        self._pending.update(parts)
        if self._pending and not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _schedule_derived_for(self, entry_id: str | None) -> None:
        if entry_id is None:
            self._schedule("derived")
            return
        if "derived" not in self._pending:
            self._derived_only = {entry_id}
        elif self._derived_only is not None:
            self._derived_only.add(entry_id)
        self._pending.add("derived")
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _entry_of_link(self, change: Change) -> str | None:
        """The catalog entry a link points at, if the link is still there."""
        assert self._session is not None
        kind = KINDS[change.kind]
        link = self._session.document.get(kind.cls, change.item_id)
        return getattr(link, kind.fields[0].name) if link is not None else None

    def refresh_pending(self) -> bool:
        """Whether a refresh is waiting for the event loop."""
        return bool(self._pending)

    def refresh_now(self) -> None:
        """Bring up to date what was scheduled (the event loop does this on its own)."""
        self._refresh_timer.stop()
        pending, self._pending = self._pending, set()
        only, self._derived_only = self._derived_only, None
        if self._session is None:
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
        session = self._session
        if session is None or self.model.read_only:
            return
        entry_id = new_id()
        name_field = self.columns[self.model.name_column()].field or ""
        session.end_typing()
        added = session.push(
            AddItem(
                self.catalog_kind,
                session.plan.id,
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
        session = self._session
        entry_id = self.current_entry_id()
        if session is None or entry_id is None or self.model.read_only:
            return
        uses = queries.used_by(session.document.session, self.catalog_kind, entry_id)
        if uses and not self._confirm_delete(entry_id, uses):
            return
        row = self.model.row_of(entry_id)
        session.end_typing()
        if not session.push(DeleteItem(self.catalog_kind, entry_id)):
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
        noun = _step_noun(self._session)
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
        has_plan = self._session is not None
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
        if self._session is None:
            self.used_by_label.setText("")
            return
        if entry_id is None:
            self.used_by_label.setText(f"Select a {self.entry_noun} to see where it is used.")
            return
        uses = queries.used_by(self._session.document.session, self.catalog_kind, entry_id)
        noun = _step_noun(self._session)
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
    entry_noun = "funding source"
    new_entry_text = "New funding source"
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
        return FundingSourcesModel(self.columns, self)

    def _extra_sections(self) -> list[QWidget]:
        self.link_model = FundingLinkModel(self)
        self.link_view = _table(
            "Funding of the selected action step",
            "One line per source and school year; edit the amount and the year. "
            "Insert adds a line for another year, Delete removes the selected line.",
        )
        self.link_view.setModel(self.link_model)
        # A delegate of its own: a view takes every commitData a delegate sends as its own.
        self.link_delegate = CellDelegate(lambda: self._session, self)
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
        self.add_year_button = _button(
            "Add year",
            "Add a funding line for another school year",
            "Fund the step from the same source for another school year (Ins)",
        )
        self.add_year_button.clicked.connect(self.add_link_year)
        self.remove_link_button = _button(
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

    def _set_session_extra(self, session: DocumentSession | None) -> None:
        self.link_model.set_session(session)
        self._show_link_label()

    def _set_step_extra(self, step_id: str | None) -> None:
        self.link_model.set_step(step_id)
        self._show_link_label()

    def _after_entry_update(self, fields: frozenset[str]) -> tuple[str, ...]:
        # A renamed source is shown by name in the step's funding lines.
        return ("links",) if "name" in fields else ()

    def _on_own_link_change(self, change: Change) -> None:
        # An amount typed below updates its own row now, the totals above on the next turn.
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
        session = self._session
        step_id = self.model.live_step()
        noun = _step_noun(session)
        if session is None or step_id is None:
            self.link_label.setText(f"Select an {noun} to see its funding.")
            self.link_view.setEnabled(False)
        else:
            number = queries.step_number(session.document.session, step_id) or ""
            if self.link_model.rowCount():
                self.link_label.setText(f"Funding of {noun} {number}:")
            else:
                self.link_label.setText(f"No funding for {noun} {number}: tick a source above.")
            self.link_view.setEnabled(True)
        self._update_link_buttons()

    def _update_link_buttons(self) -> None:
        writable = self._session is not None and not self.model.read_only
        has_line = self.link_view.currentIndex().isValid()
        self.add_year_button.setEnabled(writable and has_line)
        self.remove_link_button.setEnabled(writable and has_line)

    def _current_link(self) -> FundingLink | None:
        index = self.link_view.currentIndex()
        return self.link_model.link(index.row()) if index.isValid() else None

    def add_link_year(self) -> None:
        """Another line from the selected line's source, for the next school year not yet funded."""
        session = self._session
        link = self._current_link()
        step_id = self.model.live_step()
        if session is None or link is None or step_id is None or self.model.read_only:
            return
        step = session.document.get(ActionStep, step_id)
        used = {
            line.year for line in step.funding if line.funding_source_id == link.funding_source_id
        }
        years = school_years(session.plan.first_year, session.plan.last_year)
        later = [
            year for year in years if year not in used and (link.year is None or year > link.year)
        ]
        spare = later or [year for year in years if year not in used]
        row = self.link_model.row_of(link.id)
        values: dict[str, Any] = {"year": spare[0]} if spare else {}
        session.end_typing()
        if session.push(assign(step_id, "funding_link", link.funding_source_id, row + 1, **values)):
            self.link_model.sync_rows()
            index = self.link_model.index(row + 1, FundingLinkModel.AMOUNT)
            self.link_view.setCurrentIndex(index)
            self.link_view.setFocus(Qt.FocusReason.OtherFocusReason)
            self.link_view.edit(index)

    def remove_link(self) -> None:
        session = self._session
        link = self._current_link()
        if session is None or link is None or self.model.read_only:
            return
        row = self.link_model.row_of(link.id)
        session.end_typing()
        if session.push(DeleteItem("funding_link", link.id)):
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
