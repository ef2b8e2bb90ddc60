"""The Merge dialog: what the returned copy brings, and its conflicts decided one by one.

Nothing here changes the plan: the dialog records each conflict's choice on the
model's `Conflict` and is accepted only when every one is decided; the window
then applies the whole merge as one undo step.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planstudio.ui.compare_dialog import (
    DifferenceTable,
    clip,
    difference_html,
    short,
    value_html,
)
from planstudio.ui.deferred import deferred

if TYPE_CHECKING:
    from planstudio.model import copies, diff, kinds, merge, rowmap
else:
    copies = deferred("planstudio.model.copies")
    diff = deferred("planstudio.model.diff")
    kinds = deferred("planstudio.model.kinds")
    merge = deferred("planstudio.model.merge")
    rowmap = deferred("planstudio.model.rowmap")

CONFLICT_COLUMNS = ("Place", "Item", "Conflict", "Mine", "Theirs", "Decision")
_TITLE_FIELDS = ("title", "statement", "text", "name")
# What each side did to a whole item, for conflicts that are not about one field.
_WHOLE_SIDES = {
    "edited-deleted": ("kept, with your changes", "deleted"),
    "deleted-edited": ("deleted", "kept, with their changes"),
    "only-theirs": ("not in this plan", "added"),
    "only-mine": ("kept", "not in their copy"),
}
_DECISIONS = {"mine": "Mine", "theirs": "Theirs", "value": "Edited"}


def _parent_text(rows: rowmap.RowMap, conflict: merge.Conflict, parent_id: Any) -> str:
    parent_kind = kinds.KINDS[conflict.kind].parent or ""
    row = rows.get(parent_kind, {}).get(str(parent_id), {})
    title = next((str(row[name]) for name in _TITLE_FIELDS if row.get(name)), "")
    label = kinds.KINDS[parent_kind].label if parent_kind in kinds.KINDS else "item"
    return f'under {label} "{title}"' if title else f"under another {label.lower()}"


def side_texts(
    conflict: merge.Conflict, mine_rows: rowmap.RowMap, theirs_rows: rowmap.RowMap
) -> tuple[str, str]:
    """(mine, theirs) as the user reads them."""
    if conflict.what in _WHOLE_SIDES:
        return _WHOLE_SIDES[conflict.what]
    if conflict.what == "moved":
        return (_parent_text(mine_rows, conflict, conflict.mine),
                _parent_text(theirs_rows, conflict, conflict.theirs))  # fmt: skip
    return diff.show(conflict.mine), diff.show(conflict.theirs)


def can_edit(conflict: merge.Conflict) -> bool:
    """Only a field's value can be typed; a place or a whole item is chosen, not typed."""
    return conflict.what == "field"


def parse_value(text: str, like: Any) -> Any:
    """A typed value, as the type the field holds (raises ValueError when it cannot be)."""
    if isinstance(like, bool):
        lowered = text.strip().lower()
        if lowered in ("yes", "true", "1"):
            return True
        if lowered in ("no", "false", "0"):
            return False
        raise ValueError("type yes or no")
    if isinstance(like, int | float):
        if not text.strip():
            return None
        number = float(text.replace(",", "").replace("$", "").strip())
        return int(number) if isinstance(like, int) and number.is_integer() else number
    if isinstance(like, list | dict):
        return json.loads(text)
    return text if text.strip() else None


def value_as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class MergeDialog(QDialog):
    """Shows a prepared merge; accepted only once every conflict has a decision."""

    def __init__(self, prepared: copies.CopyMerge, who: str, base_text: str | None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.prepared = prepared
        self.merge = prepared.merge
        self.conflicts = list(self.merge.conflicts)
        self.decided: set[int] = set()
        self.setWindowTitle(f"Merge {who}'s Copy ({prepared.theirs_name})")
        layout = QVBoxLayout(self)
        self.summary = QLabel(self._summary_text(who, base_text))
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary)

        self.tabs = QTabWidget()
        self.conflict_page = self._make_conflict_page()
        self.taken_page = self._make_taken_page()
        self.tabs.addTab(self.conflict_page, f"Conflicts ({len(self.conflicts)})")
        self.tabs.addTab(self.taken_page, f"Taken from their copy ({len(self.merge.taken)})")
        if not self.conflicts:
            self.tabs.setCurrentWidget(self.taken_page)
        layout.addWidget(self.tabs, 1)

        self.progress = QLabel()
        self.buttons = QDialogButtonBox()
        self.merge_button = QPushButton("Merge")
        self.merge_button.setDefault(True)
        self.buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        if self.conflicts:
            self.conflict_table.selectRow(0)
        self._show_progress()
        self.resize(1100, 680)

    def _summary_text(self, who: str, base_text: str | None) -> str:
        name = html.escape(self.prepared.theirs_name)
        taken, conflicts = len(self.merge.taken), len(self.conflicts)
        if not self.merge.has_common_version:
            return (
                f"<b>{name} has no saved version in common with this plan</b> (an unrelated "
                "plan, or one saved before versions were kept). Items are matched by id, and "
                f"<b>every difference is a choice</b>: {conflicts:,} to decide. Yours is kept "
                "unless you choose theirs."
            )
        since = f" since {html.escape(base_text)}" if base_text else ""
        needs = "conflict needs" if conflicts == 1 else "conflicts need"
        return (
            f"Merging {html.escape(who)}'s copy ({name}) against the last version you both "
            f"have{since}. {taken:,} {'change' if taken == 1 else 'changes'} made only in their "
            "copy will be taken; your own "
            f"changes are kept. {conflicts:,} {needs} a decision. Nothing changes until you "
            "press Merge; Undo takes the whole merge back."
        )

    # ------------------------------------------------------------------ conflicts

    def _make_conflict_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        table = QTableWidget(len(self.conflicts), len(CONFLICT_COLUMNS))
        table.setAccessibleName("Conflicts")
        table.setHorizontalHeaderLabels(CONFLICT_COLUMNS)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.conflict_table = table
        for row, conflict in enumerate(self.conflicts):
            mine, theirs = side_texts(conflict, self.merge.mine, self.merge.theirs)
            what = f"{conflict.field}: {conflict.description}" if conflict.field else (
                conflict.description)  # fmt: skip
            cells = (conflict.place, conflict.subject, what, clip(mine), clip(theirs), "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
        for column, width in enumerate((80, 220, 260, 150, 150)):
            table.setColumnWidth(column, width)
        table.currentCellChanged.connect(lambda *_: self._show_conflict())
        splitter.addWidget(table)
        splitter.addWidget(self._make_resolver())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        every = QHBoxLayout()
        every.addWidget(QLabel("For every conflict:"))
        self.all_mine_button = QPushButton("Keep Mine for All")
        self.all_theirs_button = QPushButton("Take Theirs for All")
        self.all_mine_button.clicked.connect(lambda: self.decide_all("mine"))
        self.all_theirs_button.clicked.connect(lambda: self.decide_all("theirs"))
        every.addWidget(self.all_mine_button)
        every.addWidget(self.all_theirs_button)
        every.addStretch(1)
        layout.addLayout(every)
        return page

    def _make_resolver(self) -> QWidget:
        box = QGroupBox("Decide this conflict")
        layout = QVBoxLayout(box)
        self.conflict_title = QLabel()
        self.conflict_title.setWordWrap(True)
        self.conflict_title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.conflict_title)
        sides = QHBoxLayout()
        self.mine_view = QTextBrowser()
        self.mine_view.setAccessibleName("Mine")
        self.theirs_view = QTextBrowser()
        self.theirs_view.setAccessibleName("Theirs")
        for label, view in (("Mine (this plan)", self.mine_view),
                            ("Theirs (the returned copy)", self.theirs_view)):  # fmt: skip
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{label}</b>"))
            column.addWidget(view)
            sides.addLayout(column)
        layout.addLayout(sides, 1)
        choices = QHBoxLayout()
        self.choice_group = QButtonGroup(self)
        self.mine_choice = QRadioButton("Keep &mine")
        self.theirs_choice = QRadioButton("Take &theirs")
        self.value_choice = QRadioButton("&Edit the value:")
        for number, button in enumerate((self.mine_choice, self.theirs_choice, self.value_choice)):
            self.choice_group.addButton(button, number)
            choices.addWidget(button)
        choices.addStretch(1)
        layout.addLayout(choices)
        self.value_edit = QPlainTextEdit()
        self.value_edit.setAccessibleName("Edited value")
        self.value_edit.setMaximumHeight(70)
        self.value_edit.setEnabled(False)
        layout.addWidget(self.value_edit)
        self.value_error = QLabel()
        self.value_error.setStyleSheet("color: #a40000")
        layout.addWidget(self.value_error)
        self.next_button = QPushButton("Next Undecided Conflict")
        self.next_button.clicked.connect(self.next_undecided)
        layout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignRight)
        self.choice_group.idClicked.connect(self._choice_clicked)
        self.value_edit.textChanged.connect(self._value_typed)
        return box

    def current_index(self) -> int:
        return self.conflict_table.currentRow()

    def _show_conflict(self) -> None:
        index = self.current_index()
        if not 0 <= index < len(self.conflicts):
            return
        conflict = self.conflicts[index]
        what = f"{conflict.field}: {conflict.description}" if conflict.field else (
            conflict.description)  # fmt: skip
        place, subject = html.escape(conflict.place), html.escape(conflict.subject)
        self.conflict_title.setText(f"<b>{place}</b> &nbsp; {subject} — {html.escape(what)}")
        mine, theirs = side_texts(conflict, self.merge.mine, self.merge.theirs)
        if (
            conflict.what == "field"
            and isinstance(conflict.mine, str)
            and isinstance(conflict.theirs, str)
        ):
            # Each side against the common version, so the user sees who changed what.
            base = conflict.base if isinstance(conflict.base, str) else ""
            self.mine_view.setHtml(value_html(base, conflict.mine) if base else html.escape(mine))
            self.theirs_view.setHtml(
                value_html(base, conflict.theirs) if base else html.escape(theirs)
            )
        else:
            self.mine_view.setPlainText(mine)
            self.theirs_view.setPlainText(theirs)
        editable = can_edit(conflict)
        self.value_choice.setEnabled(editable)
        self.value_choice.setVisible(editable)
        self.value_edit.setVisible(editable)
        self.value_error.clear()
        buttons = {"mine": self.mine_choice, "theirs": self.theirs_choice,
                   "value": self.value_choice}  # fmt: skip
        self.choice_group.setExclusive(False)
        for button in buttons.values():
            button.setChecked(False)
        self.choice_group.setExclusive(True)
        if index in self.decided:
            buttons[conflict.choice].setChecked(True)
        self.value_edit.blockSignals(True)
        shown = conflict.value if conflict.choice == "value" else conflict.mine
        self.value_edit.setPlainText(value_as_text(shown))
        self.value_edit.blockSignals(False)
        self.value_edit.setEnabled(index in self.decided and conflict.choice == "value")

    def _choice_clicked(self, number: int) -> None:
        choice = ("mine", "theirs", "value")[number]
        if choice == "value":
            self.value_edit.setEnabled(True)
            self.value_edit.setFocus()
            self._value_typed()
            return
        self.value_edit.setEnabled(False)
        self.value_error.clear()
        self.decide(self.current_index(), choice)

    def _value_typed(self) -> None:
        index = self.current_index()
        if not self.value_choice.isChecked() or not 0 <= index < len(self.conflicts):
            return
        conflict = self.conflicts[index]
        like = conflict.mine if conflict.mine is not None else conflict.theirs
        try:
            value = parse_value(self.value_edit.toPlainText(), like)
        except ValueError as error:
            self.value_error.setText(f"Not a value this field takes: {error}")
            self.decided.discard(index)
            self._show_decision(index)
            return
        self.value_error.clear()
        self.decide(index, "value", value)

    def decide(self, index: int, choice: str, value: Any = None) -> None:
        """Record one conflict's decision (the model's Conflict carries it)."""
        conflict = self.conflicts[index]
        conflict.resolve(choice, value)  # type: ignore[arg-type]
        self.decided.add(index)
        self._show_decision(index)

    def decide_all(self, choice: str) -> None:
        for index in range(len(self.conflicts)):
            self.decide(index, choice)
        self._show_conflict()

    def _show_decision(self, index: int) -> None:
        conflict = self.conflicts[index]
        text = _DECISIONS[conflict.choice] if index in self.decided else ""
        if conflict.choice == "value" and index in self.decided:
            text = f"Edited: {short(conflict.value)}"
        item = self.conflict_table.item(index, len(CONFLICT_COLUMNS) - 1)
        if item is not None:
            item.setText(text)
        self._show_progress()

    def next_undecided(self) -> None:
        start = self.current_index()
        for step in range(1, len(self.conflicts) + 1):
            index = (start + step) % len(self.conflicts)
            if index not in self.decided:
                self.conflict_table.selectRow(index)
                return

    def _show_progress(self) -> None:
        left = len(self.conflicts) - len(self.decided)
        if left:
            self.progress.setText(f"{left:,} of {len(self.conflicts):,} conflicts still to "
                                  "decide: choose mine, theirs or a value for each.")  # fmt: skip
        elif self.conflicts:
            self.progress.setText("Every conflict is decided.")
        else:
            self.progress.setText("No conflicts.")
        self.merge_button.setEnabled(left == 0)
        self.next_button.setEnabled(left > 0)

    # ------------------------------------------------------------------ taken

    def _make_taken_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.taken_table = DifferenceTable()
        self.taken_table.setAccessibleName("Changes taken from their copy")
        self.taken_table.show_differences(self.merge.taken)
        self.taken_detail = QTextBrowser()
        self.taken_table.currentCellChanged.connect(lambda *_: self._show_taken())
        splitter.addWidget(self.taken_table)
        splitter.addWidget(self.taken_detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter)
        if self.merge.taken:
            self.taken_table.selectRow(0)
        return page

    def _show_taken(self) -> None:
        difference = self.taken_table.current_difference()
        self.taken_detail.setHtml(difference_html(difference) if difference else "")
