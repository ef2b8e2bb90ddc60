"""The measure editor in the objective form, driven with keys; checked against the model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QVBoxLayout, QWidget

from planstudio.model import PlanDocument
from planstudio.ui.editing import PlanEditing
from planstudio.ui.editors.pane import EditorPane
from planstudio.ui.measure_editor import MeasureEditor
from planstudio.ui.tree import PlanTreeModel

PLAN: dict[str, Any] = {
    "format": "planstudio.plan",
    "format_version": 1,
    "plan": {"title": "Strategic Plan", "first_year": "2024-25", "last_year": "2028-29"},
    "goal_areas": [
        {
            "title": "Literacy",
            "objectives": [
                {
                    "statement": "Read on grade level",
                    "measures": [
                        {
                            "name": "% of K-2 students at benchmark",
                            "unit": "percent",
                            "direction": "increase",
                            "baseline": {"year": "2024-25", "value": 40},
                        }
                    ],
                }
            ],
        }
    ],
}


class Ui:
    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.document = PlanDocument.from_interchange(PLAN)
        self.editing = PlanEditing(self.document)
        self.window = QWidget()
        self.elsewhere = QLineEdit()
        self.pane = EditorPane()
        layout = QVBoxLayout(self.window)
        layout.addWidget(self.elsewhere)
        layout.addWidget(self.pane)
        qtbot.addWidget(self.window)
        self.pane.set_editing(self.editing)
        self.editing.changed.connect(self.pane.on_changes)
        self.tree = PlanTreeModel()
        self.tree.set_editing(self.editing)
        self.editing.changed.connect(self.tree.on_changes)
        self.failures: list[str] = []
        self.editing.failed.connect(self.failures.append)
        self.window.resize(900, 1000)
        self.window.show()
        self.window.activateWindow()
        qtbot.waitActive(self.window)
        self.objective = self.editing.plan.goal_areas[0].objectives[0]
        self.pane.show_item("objective", self.objective.id)
        editor = self.pane.current_field_widget("measure_editor")
        assert isinstance(editor, MeasureEditor)
        self.editor = editor

    def close(self) -> None:
        self.tree.set_editing(None)
        self.pane.set_editing(None)
        self.document.close()

    @property
    def measure(self) -> Any:
        return self.objective.measures[0]

    def values(self, kind: str = "target") -> dict[str, Any]:
        points = self.measure.targets if kind == "target" else self.measure.actuals
        return {p.year: (p.value if p.note is None else (p.value, p.note)) for p in points}

    def type_cell(self, row: int, column: int, text: str) -> None:
        """Go to a cell, F2 to edit, replace its text, Enter."""
        grid = self.editor.grid
        grid.setFocus(Qt.FocusReason.TabFocusReason)
        self.qtbot.waitUntil(grid.hasFocus, timeout=2000)
        grid.setCurrentCell(row, column)
        self.qtbot.keyClick(grid, Qt.Key.Key_F2)
        editor = self.cell_editor()
        editor.selectAll()
        if text:
            self.qtbot.keyClicks(editor, text)
        else:
            self.qtbot.keyClick(editor, Qt.Key.Key_Backspace)
        self.qtbot.keyClick(editor, Qt.Key.Key_Return)
        self.closed()

    def closed(self) -> None:
        """The delegate commits a cell on Enter through the event loop: let it run."""
        grid = self.editor.grid
        self.qtbot.waitUntil(lambda: grid.state() != QAbstractItemView.State.EditingState)

    def cell_editor(self) -> QLineEdit:
        """The line edit the grid opened on its current cell (it has the focus)."""
        viewport = self.editor.grid.viewport()

        def opened() -> bool:
            widget = QApplication.focusWidget()
            return isinstance(widget, QLineEdit) and widget.parentWidget() is viewport

        self.qtbot.waitUntil(opened, timeout=2000)
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit)
        return editor

    def type_over(self, row: int, column: int, text: str) -> None:
        """Typing on a selected cell starts editing it (no F2)."""
        grid = self.editor.grid
        grid.setFocus(Qt.FocusReason.TabFocusReason)
        grid.setCurrentCell(row, column)
        self.qtbot.keyClicks(grid, text[0])
        editor = self.cell_editor()
        self.qtbot.keyClicks(editor, text[1:])
        self.qtbot.keyClick(editor, Qt.Key.Key_Return)
        self.closed()

    def tree_text(self) -> str:
        area = self.tree.index(0, 0)
        return str(self.tree.index(0, 0, area).data())

    def type_line(self, edit: QLineEdit, text: str) -> None:
        edit.setFocus(Qt.FocusReason.TabFocusReason)
        self.qtbot.waitUntil(edit.hasFocus, timeout=2000)
        edit.selectAll()
        self.qtbot.keyClicks(edit, text)
        self.qtbot.keyClick(edit, Qt.Key.Key_Return)


@pytest.fixture
def ui(qtbot: Any) -> Iterator[Ui]:
    shown = Ui(qtbot)
    yield shown
    shown.close()


YEARS = ["2024-25", "2025-26", "2026-27", "2027-28", "2028-29"]


def test_grid_has_the_plan_years_and_enters_targets_by_keyboard(ui: Ui) -> None:
    grid = ui.editor.grid
    headers = [grid.horizontalHeaderItem(c).text() for c in range(grid.columnCount())]
    assert headers == YEARS
    ui.type_cell(0, 1, "45")
    ui.type_cell(0, 2, "50%")
    ui.type_over(0, 3, "55")
    assert ui.values() == {"2025-26": 45, "2026-27": 50, "2027-28": 55}
    assert [t.year for t in ui.measure.targets] == ["2025-26", "2026-27", "2027-28"]
    assert grid.item(0, 2).text() == "50%"
    # Each cell edit is one undo step.
    assert ui.editing.undo_stack.count() == 3
    ui.type_cell(0, 2, "52")
    assert ui.values()["2026-27"] == 52
    assert ui.editing.undo_stack.count() == 4
    ui.editing.undo_stack.undo()
    assert ui.values()["2026-27"] == 50
    assert grid.item(0, 2).text() == "50%"
    # A note in place of a number; emptying a cell deletes the point.
    ui.type_cell(0, 4, "<10%")
    assert ui.values()["2028-29"] == (None, "<10%")
    assert grid.item(0, 4).text() == "<10%"
    ui.type_cell(0, 4, "")
    assert "2028-29" not in ui.values()
    ui.editing.undo_stack.undo()
    assert ui.values()["2028-29"] == (None, "<10%")
    # Delete on a cell (not editing) clears it too.
    grid.setCurrentCell(0, 4)
    ui.qtbot.keyClick(grid, Qt.Key.Key_Delete)
    assert "2028-29" not in ui.values()
    assert grid.item(0, 4).text() == ""
    assert ui.failures == []


def test_percent_over_100_is_flagged_but_kept(ui: Ui) -> None:
    ui.type_cell(0, 1, "120")
    assert ui.values() == {"2025-26": 120}
    assert "120%" in ui.editor.message.text() and "kept" in ui.editor.message.text()


def test_a_year_outside_the_plan_is_refused_with_a_message(ui: Ui) -> None:
    assert not ui.editor.set_cell("target", "2031-32", "60")
    assert "outside the plan" in ui.editor.message.text()
    assert ui.values() == {}
    ui.type_line(ui.editor.baseline_year, "2030-31")
    assert ui.measure.baseline_year == "2024-25"
    assert "after the plan ends" in ui.editor.message.text()
    ui.type_line(ui.editor.baseline_year, "2023")
    assert ui.measure.baseline_year == "2023-24"


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ("linear", [50, 60, 70, 80]),
        ("front_loaded", [57.5, 70, 77.5, 80]),
        ("step_up", [40, 60, 60, 80]),
        ("delayed_start", [40, 53.3, 66.7, 80]),
    ],
)
def test_each_trajectory_shape_previews_applies_and_undoes(
    ui: Ui, shape: str, expected: list[float]
) -> None:
    editor = ui.editor
    ui.type_cell(0, 1, "41")  # an existing target is replaced
    before = ui.values()
    editor.shape.setCurrentIndex(editor.shape.findData(shape))
    ui.type_line(editor.final_target, "80")
    ui.qtbot.mouseClick(editor.preview_button, Qt.MouseButton.LeftButton)
    assert "Preview" in editor.preview_label.text()
    assert list(editor.chart.preview.values()) == expected
    assert ui.values() == before  # previewing changes nothing
    count = ui.editing.undo_stack.count()
    ui.qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert ui.values() == dict(zip(YEARS[1:], expected, strict=True))
    assert ui.editing.undo_stack.count() == count + 1
    ui.editing.undo_stack.undo()
    assert ui.values() == before
    ui.editing.undo_stack.redo()
    assert ui.values() == dict(zip(YEARS[1:], expected, strict=True))


def test_actuals_change_the_on_track_mark_in_editor_and_tree(ui: Ui) -> None:
    editor = ui.editor
    assert editor.status.property("on_track") == "no_data"
    assert "[" not in ui.tree_text()
    ui.type_cell(0, 1, "45")
    ui.type_cell(0, 2, "50")
    ui.type_cell(1, 1, "46")
    assert editor.status.property("on_track") == "on_track"
    assert editor.status.text().startswith("✓ On track")
    assert ui.tree_text().endswith("[✓ 1 on track]")
    ui.type_cell(1, 2, "48")
    assert editor.status.property("on_track") == "off_track"
    assert "48%" in editor.status.text() and "50%" in editor.status.text()
    assert ui.tree_text().endswith("[✗ 1 off]")
    assert editor.list.item(0).text().startswith("✗")
    tip = ui.tree.index(0, 0, ui.tree.index(0, 0)).data(Qt.ItemDataRole.ToolTipRole)
    assert "0 on track, 1 off track" in tip
    ui.editing.undo_stack.undo()
    assert editor.status.property("on_track") == "on_track"
    assert ui.tree_text().endswith("[✓ 1 on track]")
    # Direction matters: a decrease is on track when the actual is at or below the target.
    editor.direction.setCurrentIndex(editor.direction.findData("decrease"))
    assert ui.measure.direction == "decrease"
    assert editor.status.property("on_track") == "off_track"
    assert ui.tree_text().endswith("[✗ 1 off]")


def test_fields_of_a_measure(ui: Ui) -> None:
    editor = ui.editor
    ui.type_line(editor.name, "DIBELS composite")
    ui.type_line(editor.data_source, "DIBELS 8")
    ui.type_line(editor.baseline_value, "42.5")
    ui.type_line(editor.baseline_note, "Baseline Aug 2024")
    editor.unit.setCurrentIndex(editor.unit.findData("count"))
    measure = ui.measure
    assert (measure.name, measure.data_source, measure.baseline_value) == (
        "DIBELS composite", "DIBELS 8", 42.5,
    )  # fmt: skip
    assert (measure.baseline_note, measure.unit) == ("Baseline Aug 2024", "count")
    ui.editing.undo_stack.undo()
    assert ui.measure.unit == "percent"


def test_add_remove_reorder_and_student_groups(ui: Ui) -> None:
    editor = ui.editor
    count = ui.editing.undo_stack.count()
    assert editor.add_for_groups(["Black", "Hispanic", "Students with Disabilities", "Foster"])
    assert ui.editing.undo_stack.count() == count + 1
    assert ui.editing.undo_stack.undoText() == "Add Measure for 4 Student Groups"
    groups = [(m.name, m.student_group, m.unit) for m in ui.objective.measures]
    name = "% of K-2 students at benchmark"
    assert groups[1:] == [
        (name, "Black", "percent"),
        (name, "Hispanic", "percent"),
        (name, "Students with Disabilities", "percent"),
        (name, "Foster", "percent"),
    ]
    table = editor.groups_table
    assert table.rowCount() == 5
    assert [table.item(r, 0).text() for r in range(5)][1:3] == ["Black", "Hispanic"]
    assert not editor.add_for_groups(["Black"])  # already there
    ui.editing.undo_stack.undo()
    assert len(ui.objective.measures) == 1
    assert editor.add_for_groups(["Asian"])
    assert ui.editing.undo_stack.undoText() == "Add Measure for 1 Student Group"
    ui.editing.undo_stack.undo()

    first = editor.add_measure("Chronic absence")
    assert first is not None and editor.measure_id == first
    assert [m.name for m in ui.objective.measures] == [name, "Chronic absence"]
    ui.qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    assert [m.name for m in ui.objective.measures] == ["Chronic absence", name]
    ui.qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert [m.name for m in ui.objective.measures] == [name]
    ui.editing.undo_stack.undo()
    assert [m.name for m in ui.objective.measures] == ["Chronic absence", name]
    editor.list.setCurrentRow(1)
    assert editor.measure_id == ui.objective.measures[1].id
    assert editor.name.text() == name


def test_export_dialog_offers_the_progress_report_and_its_date(qtbot: Any, tmp_path: Any) -> None:
    import docx
    from PySide6.QtCore import QDate

    from planstudio.ui.export_dialog import ExportDialog, run_export

    with PlanDocument.from_interchange(PLAN) as document:
        editing = PlanEditing(document)
        dialog = ExportDialog(editing)
        qtbot.addWidget(dialog)
        assert not dialog.as_of_edit.isEnabled()
        assert dialog.chosen_as_of is None
        dialog.layout_box.setCurrentIndex(dialog.layout_box.findData("progress-report"))
        assert dialog.layout_box.currentText() == "Progress Report"
        assert dialog.as_of_edit.isEnabled()
        dialog.as_of_edit.setDate(QDate(2025, 11, 3))
        assert str(dialog.chosen_as_of) == "2025-11-03"
        out = tmp_path / "report.docx"
        # The window passes the layout alone; the date chosen in the dialog goes with it.
        assert run_export(
            dialog, editing, "docx", "progress-report", out, exported=dialog.chosen_as_of
        )
        texts = [p.text for p in docx.Document(str(out)).paragraphs]
        assert "Progress as of November 3, 2025 (school year 2025-26)." in texts


def test_chart_shows_baseline_targets_actuals_and_the_preview(ui: Ui) -> None:
    editor = ui.editor
    ui.type_cell(0, 1, "45")
    ui.type_cell(1, 1, "44")
    chart = editor.chart
    assert chart.baseline == ("2024-25", 40.0)
    assert chart.targets == {"2025-26": 45.0} and chart.actuals == {"2025-26": 44.0}
    assert "Actual 2025-26: 44" in chart.toolTip()
    ui.type_line(editor.final_target, "60")
    assert chart.preview == {"2025-26": 45.0, "2026-27": 50.0, "2027-28": 55.0, "2028-29": 60.0}
    assert not chart.grab().isNull()  # paints without error


def test_groups_dialog_offers_the_groups_and_typed_ones(ui: Ui) -> None:
    from planstudio.ui.measure_editor import GroupsDialog

    dialog = GroupsDialog(["All"], ui.editor)
    ui.qtbot.addWidget(dialog)
    assert not dialog.boxes["All"].isEnabled()
    dialog.boxes["Asian"].setChecked(True)
    dialog.boxes["White"].setChecked(True)
    ui.qtbot.keyClicks(dialog.others, "Gifted, Foster ,")
    assert dialog.groups() == ["Asian", "White", "Gifted", "Foster"]
