"""The measures of one objective: fields, a year grid of targets and actuals, a chart.

Embedded in the objective form.  Every change is a model edit pushed on the
plan's undo stack: one cell edit, one field, one trajectory or one "add for
several student groups" is one undo step (`PlanEditing.push_many`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planstudio.model import measures as m
from planstudio.model import vocabulary
from planstudio.model.formatting import format_value, number_for_editing, plural
from planstudio.ui.deferred import deferred
from planstudio.ui.editing import PlanEditing
from planstudio.ui.widgets.measure_chart import MeasureChart
from planstudio.ui.widgets.wrap_grid import WrapGrid

if TYPE_CHECKING:
    from planstudio.model import edits, entities, reading
else:
    edits = deferred("planstudio.model.edits")
    entities = deferred("planstudio.model.entities")
    reading = deferred("planstudio.model.reading")

ROWS = ("target", "actual")
ROW_LABELS = ("Target", "Actual")
_COLOURS = {"on_track": "#1b7f3a", "off_track": "#b3261e", "no_data": "#666666"}


def cell_text(point: Any, unit: str | None) -> str:
    """What a grid cell shows: the value (with its unit), or the note kept in its place."""
    if point is None:
        return ""
    return m.format_point(point.value, point.note, unit)


def status_text(measure: Any) -> str:
    found = m.progress(measure)
    mark = m.ON_TRACK_MARKS[found.status]
    label = m.ON_TRACK_LABELS[found.status]
    if found.status == "no_data":
        return f"{mark} {label}: no actual with a target to compare yet"
    actual = format_value(found.actual, measure.unit)
    target = format_value(found.target, measure.unit)
    return f"{mark} {label}: {actual} in {found.year} against a target of {target}"


class GroupsDialog(QDialog):
    """Pick the student groups to add the measure for; others may be typed, comma-separated."""

    def __init__(self, taken: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add Measure for Student Groups")
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.boxes: dict[str, QCheckBox] = {}
        for index, group in enumerate(m.MEASURE_STUDENT_GROUPS):
            box = QCheckBox(group)
            box.setAccessibleName(group)
            if group in taken:
                box.setEnabled(False)
            self.boxes[group] = box
            grid.addWidget(box, index // 2, index % 2)
        layout.addLayout(grid)
        self.others = QLineEdit()
        self.others.setPlaceholderText("Other groups, separated by commas")
        self.others.setAccessibleName("Other student groups")
        layout.addWidget(self.others)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def groups(self) -> list[str]:
        chosen = [g for g, box in self.boxes.items() if box.isChecked() and box.isEnabled()]
        chosen += [g.strip() for g in self.others.text().split(",") if g.strip()]
        return list(dict.fromkeys(chosen))


class MeasureEditor(QWidget):
    """The measures of one objective, edited in place."""

    selected = Signal(str)  # the id of the measure now shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editing: PlanEditing | None = None
        self.objective_id: str | None = None
        self.measure_id: str | None = None
        self._filling = 0
        self._preview: dict[str, float] = {}

        self.list = QListWidget()
        self.list.setAccessibleName("Measures of this objective")
        self.list.setMaximumHeight(120)
        self.list.currentRowChanged.connect(self._row_chosen)
        self.add_button = QPushButton("Add Measure")
        self.groups_button = QPushButton("Add for Student Groups…")
        self.remove_button = QPushButton("Remove Measure")
        self.up_button = QPushButton("Move Up")
        self.down_button = QPushButton("Move Down")
        # Five buttons in a row would make the form wider than the pane on a laptop: they wrap.
        buttons = WrapGrid(5, h_spacing=6, v_spacing=4)
        for button in (
            self.add_button, self.groups_button, self.remove_button, self.up_button,
            self.down_button,
        ):  # fmt: skip
            button.setAutoDefault(False)
            button.setAccessibleName(button.text())
            buttons.addWidget(button)
        self.add_button.clicked.connect(lambda: self.add_measure())
        self.groups_button.clicked.connect(self._ask_groups)
        self.remove_button.clicked.connect(self.remove_measure)
        self.up_button.clicked.connect(lambda: self.move_measure(-1))
        self.down_button.clicked.connect(lambda: self.move_measure(1))

        self.detail = QWidget()
        form = QFormLayout(self.detail)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = self._line(form, "Name", spelled=True)
        self.group = QComboBox()
        self.group.setEditable(True)
        self.group.addItems(list(m.MEASURE_STUDENT_GROUPS))
        self.group.setAccessibleName("Student group")
        self.group.setCurrentIndex(-1)
        group_line = self.group.lineEdit()
        assert group_line is not None  # an editable combo box has a line edit
        group_line.setAccessibleName("Student group")
        group_line.editingFinished.connect(self._group_edited)
        self.group.activated.connect(lambda _i: self._group_edited())
        form.addRow("Student group", self.group)
        self.unit = self._combo(form, "Unit", vocabulary.MEASURE_UNITS, "unit")
        self.direction = self._combo(form, "Direction", vocabulary.DIRECTIONS, "direction")
        self.data_source = self._line(form, "Data source", spelled=True)
        self.baseline_year = self._line(form, "Baseline year")
        self.baseline_year.setPlaceholderText("2023-24")
        self.baseline_value = self._line(form, "Baseline value")
        self.baseline_note = self._line(form, "Baseline note", spelled=True)
        self._fields = {
            "name": self.name,
            "data_source": self.data_source,
            "baseline_year": self.baseline_year,
            "baseline_value": self.baseline_value,
            "baseline_note": self.baseline_note,
        }
        for name, edit in self._fields.items():
            edit.editingFinished.connect(lambda name=name: self._field_edited(name))

        self.grid = QTableWidget(len(ROWS), 0)
        self.grid.setAccessibleName("Targets and actuals by year")
        self.grid.setVerticalHeaderLabels(list(ROW_LABELS))
        self.grid.setTabKeyNavigation(False)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.itemChanged.connect(self._cell_changed)
        self.grid.installEventFilter(self)
        form.addRow("Targets and actuals", self.grid)

        self.shape = QComboBox()
        self.shape.setAccessibleName("Trajectory shape")
        for code, text in m.SHAPES.items():
            self.shape.addItem(text, code)
        self.final_target = QLineEdit()
        self.final_target.setAccessibleName("Final target")
        self.final_target.setPlaceholderText("Final target")
        self.preview_button = QPushButton("Preview")
        self.apply_button = QPushButton("Apply Trajectory")
        for button in (self.preview_button, self.apply_button):
            button.setAutoDefault(False)
            button.setAccessibleName(button.text())
        self.replace_typed = QCheckBox("Replace targets already entered")
        self.replace_typed.setAccessibleName("Replace targets already entered")
        self.replace_typed.setAccessibleDescription(
            "Unchecked, Apply Trajectory fills only the years without a target"
        )
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        self.shape.currentIndexChanged.connect(lambda _i: self.preview())
        self.final_target.textEdited.connect(lambda _t: self.preview())
        self.preview_button.clicked.connect(self.preview)
        self.apply_button.clicked.connect(self.apply_trajectory)
        helper = QGridLayout()
        helper.setContentsMargins(0, 0, 0, 0)
        helper.addWidget(self.shape, 0, 0)
        helper.addWidget(self.final_target, 0, 1)
        helper.addWidget(self.preview_button, 1, 0)
        helper.addWidget(self.apply_button, 1, 1)
        helper.addWidget(self.replace_typed, 2, 0, 1, 2)
        form.addRow("Trajectory", helper)
        form.addRow("", self.preview_label)

        self.status = QLabel()
        self.status.setAccessibleName("On track")
        self.status.setWordWrap(True)
        form.addRow("Progress", self.status)
        self.chart = MeasureChart()
        form.addRow("Chart", self.chart)
        self.groups_table = QTableWidget(0, 0)
        self.groups_table.setAccessibleName("This measure by student group")
        self.groups_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.groups_table.verticalHeader().setVisible(False)
        self.groups_table.setMaximumHeight(180)
        form.addRow("By student group", self.groups_table)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setStyleSheet("color: #b3261e")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.detail)
        self.detail.setVisible(False)

    # ------------------------------------------------------------------ building

    def _line(self, form: QFormLayout, text: str, *, spelled: bool = False) -> QLineEdit:
        edit: QLineEdit
        if spelled:  # words, not a year or a number: unknown ones are underlined
            from planstudio.ui.widgets.spelling import SpellLineEdit

            edit = SpellLineEdit()
        else:
            edit = QLineEdit()
        edit.setAccessibleName(text)
        edit.setMaxLength(1000)
        form.addRow(text, edit)
        return edit

    def _combo(
        self, form: QFormLayout, text: str, words: Mapping[str, str], name: str
    ) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(text)
        combo.addItem("", None)
        for code, word in words.items():
            combo.addItem(word, code)
        combo.currentIndexChanged.connect(lambda _i: self._combo_edited(name, combo))
        form.addRow(text, combo)
        return combo

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Delete (or Backspace) on a cell that is not being edited clears it.
        if watched is self.grid and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            keys = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            idle = self.grid.state() != QAbstractItemView.State.EditingState
            if event.key() in keys and idle and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                item = self.grid.currentItem()
                if item is not None and item.text():
                    item.setText("")
                return True
        return super().eventFilter(watched, event)

    def focus_widgets(self) -> list[QWidget]:
        return [
            self.list, self.add_button, self.groups_button, self.remove_button, self.up_button,
            self.down_button, self.name, self.group, self.unit, self.direction,
            self.data_source, self.baseline_year, self.baseline_value, self.baseline_note,
            self.grid, self.shape, self.final_target, self.preview_button, self.apply_button,
        ]  # fmt: skip

    # ------------------------------------------------------------------ model access

    def set_objective(self, editing: PlanEditing | None, objective_id: str | None) -> None:
        if objective_id != self.objective_id:
            self.measure_id = None
            self.message.clear()
            self._preview = {}
        self.editing = editing
        self.objective_id = objective_id
        self.refresh()

    def objective(self) -> entities.Objective | None:
        if self.editing is None or self.objective_id is None:
            return None
        found: entities.Objective | None = reading.get(
            self.editing.document, entities.Objective, self.objective_id
        )
        return found

    def measure(self) -> entities.Measure | None:
        if self.editing is None or self.measure_id is None:
            return None
        found: entities.Measure | None = reading.get(
            self.editing.document, entities.Measure, self.measure_id
        )
        return found

    def plan_years(self) -> list[str]:
        if self.editing is None:
            return []
        return m.plan_years_of(self.editing.plan)

    def _push(self, operations: Sequence[edits.EditOp], text: str) -> bool:
        editing = self.editing
        if editing is None or not operations:
            return False
        editing.end_typing()
        done = editing.push_many(list(operations), text)
        editing.end_typing()
        return done

    # ------------------------------------------------------------------ showing

    def refresh(self) -> None:
        """Show the objective's measures and the selected one as the model holds them."""
        self._filling += 1
        try:
            objective = self.objective()
            measures = list(objective.measures) if objective is not None else []
            ids = [measure.id for measure in measures]
            if self.measure_id not in ids:
                self.measure_id = ids[0] if ids else None
            self.list.blockSignals(True)
            self.list.clear()
            for measure in measures:
                item = QListWidgetItem(self._list_text(measure))
                item.setData(Qt.ItemDataRole.UserRole, measure.id)
                item.setToolTip(status_text(measure))
                self.list.addItem(item)
            if self.measure_id is not None:
                self.list.setCurrentRow(ids.index(self.measure_id))
            self.list.blockSignals(False)
            row = self.list.currentRow()
            self.remove_button.setEnabled(self.measure_id is not None)
            self.up_button.setEnabled(row > 0)
            self.down_button.setEnabled(0 <= row < len(ids) - 1)
            self._fill_detail()
        finally:
            self._filling -= 1

    @staticmethod
    def _list_text(measure: entities.Measure) -> str:
        group = measure.student_group or "All students"
        mark = m.ON_TRACK_MARKS[m.on_track(measure)]
        return f"{mark}  {measure.name or '(unnamed)'}  ({group})"

    def _fill_detail(self) -> None:
        measure = self.measure()
        self.detail.setVisible(measure is not None)
        if measure is None:
            return
        for name, edit in self._fields.items():
            value = getattr(measure, name)
            text = number_for_editing(value) if name == "baseline_value" else (value or "")
            if edit.text() != text and not edit.hasFocus():
                edit.setText(text)
        if not self.group.hasFocus():
            self.group.setCurrentText(measure.student_group or "")
        for combo, value in ((self.unit, measure.unit), (self.direction, measure.direction)):
            combo.setCurrentIndex(max(combo.findData(value), 0))
        self._fill_grid(measure)
        found = m.progress(measure)
        self.status.setText(status_text(measure))
        self.status.setStyleSheet(f"color: {_COLOURS[found.status]}")
        self.status.setProperty("on_track", found.status)
        self._fill_chart(measure)
        self._fill_groups(measure)
        if not self.final_target.hasFocus():
            last = self._values(measure.targets)
            self.final_target.setText(number_for_editing(last[max(last)]) if last else "")

    def grid_years(self, measure: entities.Measure | None = None) -> list[str]:
        years = set(self.plan_years())
        if measure is not None:
            years |= {p.year for p in [*measure.targets, *measure.actuals] if p.year}
        return sorted(years)

    def _header_text(self, column: int) -> str | None:
        item = self.grid.horizontalHeaderItem(column)
        return item.text() if item is not None else None

    def _fill_grid(self, measure: entities.Measure) -> None:
        years = self.grid_years(measure)
        self.grid.blockSignals(True)
        try:
            if (
                self.grid.columnCount() != len(years)
                or [self._header_text(c) for c in range(len(years))] != years
            ):
                self.grid.setColumnCount(len(years))
                self.grid.setHorizontalHeaderLabels(years)
            for row, kind in enumerate(ROWS):
                points = self._points(measure, kind)
                for column, year in enumerate(years):
                    text = cell_text(points.get(year), measure.unit)
                    item = self.grid.item(row, column)
                    if item is None:
                        item = QTableWidgetItem()
                        self.grid.setItem(row, column, item)
                    if item.text() != text:
                        item.setText(text)
                    item.setToolTip(f"{ROW_LABELS[row]} {year}")
        finally:
            self.grid.blockSignals(False)
        self.grid.setFixedHeight(
            self.grid.horizontalHeader().sizeHint().height()
            + sum(self.grid.rowHeight(r) for r in range(len(ROWS)))
            + 2 * self.grid.frameWidth()
            + 2
        )

    @staticmethod
    def _points(measure: entities.Measure, kind: str) -> dict[str, Any]:
        points: dict[str, Any] = {}
        for point in measure.targets if kind == "target" else measure.actuals:
            points.setdefault(point.year, point)
        return points

    @staticmethod
    def _values(points: Sequence[Any]) -> dict[str, float]:
        return {p.year: float(p.value) for p in points if p.value is not None and p.year}

    def _fill_chart(self, measure: entities.Measure) -> None:
        baseline = None
        if measure.baseline_year and measure.baseline_value is not None:
            baseline = (measure.baseline_year, float(measure.baseline_value))
        self.chart.set_data(
            self.grid_years(measure),
            baseline,
            self._values(measure.targets),
            self._values(measure.actuals),
            self._preview,
            unit=measure.unit,
        )

    def same_measures(self, measure: entities.Measure) -> list[entities.Measure]:
        """The objective's measures of the same name: one measure by student group."""
        objective = self.objective()
        if objective is None:
            return [measure]
        return [other for other in objective.measures if other.name == measure.name]

    def _fill_groups(self, measure: entities.Measure) -> None:
        rows = self.same_measures(measure)
        years = self.plan_years()
        headers = ["Student group", "Baseline", *years, "Status"]
        table = self.groups_table
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(rows))
        for row, other in enumerate(rows):
            targets = self._points(other, "target")
            actuals = self._points(other, "actual")
            cells = [
                other.student_group or "All students",
                m.format_point(other.baseline_value, other.baseline_note, other.unit),
            ]
            for year in years:
                target = cell_text(targets.get(year), other.unit)
                actual = cell_text(actuals.get(year), other.unit)
                parts = ([f"T {target}"] if target else []) + ([f"A {actual}"] if actual else [])
                cells.append(" · ".join(parts))
            cells.append(m.ON_TRACK_LABELS[m.on_track(other)])
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()

    # ------------------------------------------------------------------ list edits

    def _row_chosen(self, row: int) -> None:
        if self._filling or row < 0:
            return
        item = self.list.item(row)
        self.measure_id = item.data(Qt.ItemDataRole.UserRole)
        self._preview = {}
        self.preview_label.clear()
        self.message.clear()
        self.refresh()
        if self.measure_id:
            self.selected.emit(self.measure_id)

    def select(self, measure_id: str) -> None:
        self.measure_id = measure_id
        self.refresh()

    def add_measure(self, name: str = "New measure") -> str | None:
        objective = self.objective()
        if objective is None:
            return None
        operation = edits.AddItem("measure", objective.id, {"name": name})
        if not self._push([operation], "Add Measure"):
            return None
        self.measure_id = objective.measures[-1].id
        self.refresh()
        self.name.setFocus()
        self.name.selectAll()
        return self.measure_id

    def _ask_groups(self) -> None:
        measure = self.measure()
        taken = [x.student_group or "All" for x in self.same_measures(measure)] if measure else []
        dialog = GroupsDialog(taken, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_for_groups(dialog.groups())

    def add_for_groups(self, groups: Sequence[str]) -> bool:
        """Add the selected measure (name, unit, direction, source, baseline year) for groups."""
        objective = self.objective()
        if objective is None or not groups:
            return False
        template = self.measure()
        name = template.name if template is not None else "New measure"
        taken = {(x.student_group or "") for x in objective.measures if x.name == name}
        values: dict[str, Any] = {"name": name}
        if template is not None:
            for field in ("unit", "direction", "data_source", "baseline_year"):
                values[field] = getattr(template, field)
        operations: list[edits.EditOp] = []
        for group in groups:
            if group in taken:
                continue
            operations.append(
                edits.AddItem("measure", objective.id, {**values, "student_group": group})
            )
            taken.add(group)
        if not operations:
            self.message.setText("Each of those student groups already has this measure.")
            return False
        return self._push(operations, f"Add Measure for {plural(len(operations), 'Student Group')}")

    def remove_measure(self) -> None:
        measure = self.measure()
        if measure is not None:
            self._push([edits.DeleteItem("measure", measure.id)], "Delete Measure")

    def move_measure(self, step: int) -> None:
        objective, measure = self.objective(), self.measure()
        if objective is None or measure is None:
            return
        index = list(objective.measures).index(measure) + step
        if 0 <= index < len(objective.measures):
            self._push([edits.MoveItem("measure", measure.id, objective.id, index)], "Move Measure")

    # ------------------------------------------------------------------ field edits

    def _update(self, values: Mapping[str, Any]) -> bool:
        measure = self.measure()
        if measure is None or self._filling:
            return False
        if all(getattr(measure, name) == value for name, value in values.items()):
            return False
        done = self._push([edits.UpdateItem("measure", measure.id, dict(values))], "Edit Measure")
        self.refresh()
        return done

    def _field_edited(self, name: str) -> None:
        if self._filling or self.measure() is None:
            return
        text = self._fields[name].text().strip()
        self.message.clear()
        if name == "baseline_value":
            value, note = m.parse_cell(text)
            check = m.check_point(self._unit(), None, value, self.plan_years(), baseline=True)
            if check.warning:
                self.message.setText(f"Baseline: {check.warning}")
            if note is not None:
                self._update({"baseline_value": None, "baseline_note": note})
            else:
                self._update({"baseline_value": value})
            return
        if name == "baseline_year" and text:
            year = _school_year(text)
            if year is None:
                self.message.setText(f"{text!r} is not a school year such as 2023-24.")
                self.refresh()
                return
            check = m.check_point(self._unit(), year, None, self.plan_years(), baseline=True)
            if check.error:
                self.message.setText(f"Refused: {check.error}.")
                self._fields[name].setText(self.measure().baseline_year or "")  # type: ignore[union-attr]
                return
            text = year
        if name == "name" and not text:
            self.refresh()
            return
        self._update({name: text or None})

    def _group_edited(self) -> None:
        if self._filling:
            return
        text = self.group.currentText().strip()
        self._update({"student_group": text or None})

    def _combo_edited(self, name: str, combo: QComboBox) -> None:
        if self._filling:
            return
        self._update({name: combo.currentData()})

    def _unit(self) -> str | None:
        measure = self.measure()
        return measure.unit if measure is not None else None

    # ------------------------------------------------------------------ grid edits

    def _cell_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        measure = self.measure()
        years = self.grid_years(measure)
        if measure is None or not 0 <= item.column() < len(years):
            return
        self.set_cell(ROWS[item.row()], years[item.column()], item.text())

    def set_cell(self, kind: str, year: str, text: str) -> bool:
        """A typed cell: a number, a note in its place, or nothing (the point goes)."""
        measure = self.measure()
        if measure is None:
            return False
        self.message.clear()
        value, note = m.parse_cell(text)
        existing = self._points(measure, kind).get(year)
        label = "Target" if kind == "target" else "Actual"
        operations: list[edits.EditOp] = []
        if value is None and note is None:
            if existing is not None:
                operations.append(edits.DeleteItem(kind, existing.id))
        else:
            check = m.check_point(measure.unit, year, value, self.plan_years())
            if check.error:
                self.message.setText(f"Refused: {check.error}.")
                self.refresh()
                return False
            if check.warning:
                self.message.setText(f"{label} {year}: {check.warning} (kept).")
            if existing is not None:
                if existing.value != value or existing.note != note:
                    operations.append(
                        edits.UpdateItem(kind, existing.id, {"value": value, "note": note})
                    )
            else:
                points = measure.targets if kind == "target" else measure.actuals
                index = sum(1 for p in points if p.year < year)
                values = {"year": year, "value": value, "note": note}
                operations.append(edits.AddItem(kind, measure.id, values, index))
        done = self._push(operations, f"Edit {label} {year}") if operations else False
        self.refresh()
        return done

    # ------------------------------------------------------------------ trajectory

    def _trajectory(self) -> dict[str, float] | None:
        measure = self.measure()
        if measure is None:
            return None
        if measure.baseline_value is None:
            self.preview_label.setText("Enter a baseline value first.")
            return None
        final, _note = m.parse_cell(self.final_target.text())
        if final is None:
            self.preview_label.setText("Enter the final target.")
            return None
        try:
            return m.plan_targets(
                str(self.shape.currentData()),
                float(measure.baseline_value),
                final,
                self.plan_years(),
                measure.baseline_year,
                direction=measure.direction,
                decimals=1 if measure.unit in ("percent", "points", "rate", None) else 0,
            )
        except ValueError as error:
            self.preview_label.setText(f"{str(error)[0].upper()}{str(error)[1:]}.")
            return None

    def preview(self) -> dict[str, float]:
        """Show the yearly targets the chosen shape would give, without changing the plan."""
        values = self._trajectory() or {}
        self._preview = values
        measure = self.measure()
        if values and measure is not None:
            shown = ", ".join(f"{y}: {format_value(v, measure.unit)}" for y, v in values.items())
            self.preview_label.setText(f"Preview: {shown}")
        if measure is not None:
            self._fill_chart(measure)
        return values

    def apply_trajectory(self) -> bool:
        """Set the targets along the chosen shape: one undo step.

        A target the user entered is kept unless "Replace targets already entered" is
        checked: a typed 47 is a decision, a computed 47.3 is not.
        """
        measure = self.measure()
        values = self._trajectory()
        if measure is None or not values:
            return False
        existing = self._points(measure, "target")
        years = sorted(existing)
        operations: list[edits.EditOp] = []
        for year, value in values.items():
            point = existing.get(year)
            if point is None:
                index = sum(1 for y in years if y < year)
                operations.append(
                    edits.AddItem("target", measure.id, {"year": year, "value": value}, index)
                )
                years.append(year)
                years.sort()
            elif point.value is not None and not self.replace_typed.isChecked():
                continue
            elif point.value != value or point.note is not None:
                operations.append(
                    edits.UpdateItem("target", point.id, {"value": value, "note": None})
                )
        shape = m.SHAPES[str(self.shape.currentData())]
        done = self._push(operations, f"Apply {shape} Targets") if operations else False
        self._preview = {}
        self.preview_label.clear()
        self.refresh()
        return done


def _school_year(text: str) -> str | None:
    """2023-24, or 2023 (read as 2023-24)."""
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return f"{text}-{(int(text) + 1) % 100:02d}"
    is_year = len(text) == 7 and text[:4].isdigit() and text[4] == "-" and text[5:].isdigit()
    if is_year and (int(text[:4]) + 1) % 100 == int(text[5:]):
        return text
    return None
