"""The editor pane, driven as a user drives it: keys, clicks, focus; checked against the model."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from planstudio.model import AddItem, DeleteItem, PlanDocument, UpdateItem, assign
from planstudio.model.entities import ActionStep, GoalArea, Objective, Strategy
from planstudio.ui.editing import PlanEditing
from planstudio.ui.editors.pane import EditorPane
from tests.model.helpers import table_rows

PLAN: dict[str, Any] = {
    "format": "planstudio.plan",
    "format_version": 1,
    "plan": {
        "title": "District Improvement Plan",
        "organization": "Example County Schools",
        "first_year": "2024-25",
        "last_year": "2026-27",
        "core_beliefs": ["All children can learn."],
    },
    "funding_sources": [
        {"id": "t1", "name": "Title I, Part A", "allocation": 1000},
        {"id": "t2", "name": "Title II, Part A"},
    ],
    "roles": [{"id": "dfp", "title": "Director of Federal Programs"}],
    "monitoring_methods": [
        {"id": "pd", "text": "PD logs", "kind": "implementation"},
        {"id": "gm", "text": "Georgia Milestones", "kind": "effectiveness"},
    ],
    "goal_areas": [
        {
            "title": "Literacy",
            "root_causes": ["Inconsistent core instruction", "Too little intervention time"],
            "objectives": [
                {
                    "statement": "Read on grade level",
                    "measures": [{"name": "DIBELS benchmark", "student_group": "Black"}],
                    "strategies": [
                        {
                            "text": "Structured literacy",
                            "phases": [{"year": "2024-25", "phase": "planning"}],
                            "action_steps": [
                                {"text": "Train K-2", "roles": ["dfp"],
                                 "funding": [{"source": "t1", "amount": 400, "year": "2024-25"}],
                                 "monitoring_implementation": ["pd"]},
                                {"text": "Coach"},
                            ],
                        }
                    ],
                }
            ],
        },
        {"title": "Attendance"},
    ],
}  # fmt: skip


class Ui:
    """A window holding the pane and one other field, so that focus can leave the pane."""

    def __init__(self, qtbot: Any, editing: PlanEditing) -> None:
        self.qtbot = qtbot
        self.editing = editing
        self.window = QWidget()
        self.elsewhere = QLineEdit()
        self.elsewhere.setAccessibleName("Elsewhere")
        self.pane = EditorPane()
        layout = QVBoxLayout(self.window)
        layout.addWidget(self.elsewhere)
        layout.addWidget(self.pane)
        qtbot.addWidget(self.window)
        self.pane.set_editing(editing)
        editing.changed.connect(self.pane.on_changes)
        self.failures: list[str] = []
        editing.failed.connect(self.failures.append)
        self.window.resize(760, 900)
        self.window.show()
        self.window.activateWindow()
        qtbot.waitActive(self.window)

    def close(self) -> None:
        # The pane lets go of the plan before it is closed, as the main window does.
        self.pane.set_editing(None)
        self.editing.document.close()

    @property
    def plan(self) -> Any:
        return self.editing.plan

    @property
    def undo(self) -> Any:
        return self.editing.undo_stack

    def field(self, name: str) -> Any:
        widget = self.pane.current_field_widget(name)
        assert widget is not None, name
        return widget

    def focus(self, widget: QWidget) -> None:
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        self.qtbot.waitUntil(widget.hasFocus, timeout=2000)

    def leave(self) -> None:
        """Move focus out of the pane, as clicking the tree would."""
        self.focus(self.elsewhere)

    def type_line(self, name: str, text: str, *, replace: bool = True) -> QLineEdit:
        line = self.field(name)
        self.focus(line)
        if replace:
            line.selectAll()
        else:
            line.end(False)  # Tab focus selects the whole text; typing goes after it
        self.qtbot.keyClicks(line, text)
        return line

    def type_text(self, name: str, text: str) -> QPlainTextEdit:
        edit = self.field(name)
        self.focus(edit)
        edit.moveCursor(edit.textCursor().MoveOperation.End)
        self.qtbot.keyClicks(edit, text)
        return edit

    def choose(self, name: str, text: str) -> None:
        """Pick a combo box entry with the arrow keys, as a keyboard user does."""
        combo = self.field(name)
        self.choose_in(combo, text)

    def choose_in(self, combo: QComboBox, text: str) -> None:
        self.focus(combo)
        wanted = combo.findText(text)
        assert wanted >= 0, text
        while combo.currentIndex() != wanted:
            key = Qt.Key.Key_Down if combo.currentIndex() < wanted else Qt.Key.Key_Up
            self.qtbot.keyClick(combo, key)

    def click(self, widget: QWidget) -> None:
        self.qtbot.mouseClick(
            widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2)
        )

    def edit_cell(self, table: QTableWidget, row: int, column: int, text: str) -> None:
        """F2 on a cell, type, Enter: the editor is where the keys go, as focus has moved."""
        self.focus(table)
        table.setCurrentCell(row, column)
        self.qtbot.keyClick(table, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit)
        editor.selectAll()
        self.type_in_item_editor(text)

    def type_in_item_editor(self, text: str, key: Qt.Key = Qt.Key.Key_Return) -> None:
        """Type into the open editor of a list row or table cell and close it with a key."""
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit)
        self.qtbot.keyClicks(editor, text)
        self.qtbot.keyClick(editor, key)
        # Qt commits an item editor's data by a queued call, after the key has been handled.
        self.qtbot.waitUntil(lambda: QApplication.focusWidget() is not editor, timeout=2000)

    def undo_all(self) -> None:
        while self.undo.canUndo():
            self.undo.undo()

    # ---------------------------------------------------------------- items

    @property
    def area(self) -> GoalArea:
        return self.plan.goal_areas[0]

    @property
    def objective(self) -> Objective:
        return self.area.objectives[0]

    @property
    def strategy(self) -> Strategy:
        return self.objective.strategies[0]

    @property
    def step(self) -> ActionStep:
        return self.strategy.action_steps[0]


@pytest.fixture
def ui(qtbot: Any) -> Iterator[Ui]:
    document = PlanDocument.from_interchange(PLAN)
    try:
        shown = Ui(qtbot, PlanEditing(document))
        yield shown
        shown.close()
    finally:
        document.close()


# ---------------------------------------------------------------------------- typing and undo


def test_typing_in_a_step_text_is_one_undo_step(ui: Ui) -> None:
    step = ui.step
    ui.pane.show_item("action_step", step.id)
    edit = ui.type_text("text", " teachers")
    assert step.text == "Train K-2 teachers"
    assert ui.undo.count() == 1
    assert ui.undo.undoText() == "Edit Action Step"
    ui.leave()
    ui.type_text("text", " now")
    assert ui.undo.count() == 2, "leaving the field starts a new undo step"
    ui.undo.undo()
    ui.undo.undo()
    assert step.text == "Train K-2"
    assert edit.toPlainText() == "Train K-2"
    ui.undo.redo()
    assert step.text == "Train K-2 teachers"
    assert edit.toPlainText() == "Train K-2 teachers"


def test_every_field_of_an_action_step_can_be_filled(ui: Ui) -> None:
    step = ui.strategy.action_steps[1]
    before = table_rows(ui.editing.document.working.database)
    ui.pane.show_item("action_step", step.id)

    ui.type_text("text", " new teachers")
    subgroups = ui.field("subgroups")
    ui.click(subgroups.box("Hispanic"))
    ui.focus(subgroups.other)
    ui.qtbot.keyClicks(subgroups.other, "Foster care youth")
    ui.qtbot.keyClick(subgroups.other, Qt.Key.Key_Return)
    ui.click(subgroups.box("Asian"))
    systems = ui.field("systems")
    ui.click(systems.box("professional_capacity"))
    ui.click(systems.box("coherent_instruction"))
    ui.choose("evidence_level", "Demonstrates a Rationale")
    ui.type_line("timeline", "Quarterly")
    ui.type_line("start", "2024-08-01")
    ui.type_line("end", "5/30/2025")
    ui.leave()
    ui.choose("supports_equity_intervention", "No")
    ui.type_text("partnerships", "RESA")
    ui.choose("status", "In progress")

    reviews = ui.field("reviews")
    ui.click(reviews.add_button)
    table = reviews.table
    assert table.rowCount() == 1
    ui.edit_cell(table, 0, 2, "75")
    ui.edit_cell(table, 0, 3, "Halfway there")

    assert step.text == "Coach new teachers"
    assert step.subgroups == ["Hispanic", "Foster care youth", "Asian"], "order kept"
    assert step.systems == ["coherent_instruction", "professional_capacity"]
    assert step.evidence_level == "rationale"
    assert step.timeline == "Quarterly"
    assert step.start == "2024-08-01"
    assert step.end == "2025-05-30"
    assert ui.field("end").text() == "2025-05-30", "a US date is shown as stored"
    assert step.supports_equity_intervention is False
    assert step.partnerships == "RESA"
    assert step.status == "in_progress"
    [review] = step.reviews
    assert review.date == date.today().isoformat()
    assert review.status == "in_progress"
    assert review.percent_complete == 75
    assert review.note == "Halfway there"
    assert ui.failures == []

    ui.undo_all()
    assert table_rows(ui.editing.document.working.database) == before
    assert ui.field("text").toPlainText() == "Coach"
    assert ui.field("subgroups").values() == []
    assert ui.field("start").text() == ""
    assert table.rowCount() == 0


def test_a_bad_value_is_refused_and_the_form_shows_the_model_again(ui: Ui) -> None:
    ui.pane.show_item("plan", None)
    line = ui.type_line("first_year", "2024")
    assert ui.plan.first_year == "2024-25", "half a school year is not stored"
    assert ui.failures == []
    ui.qtbot.keyClick(line, Qt.Key.Key_Return)
    assert ui.failures and "school year" in ui.failures[-1]
    assert line.text() == "2024-25"
    assert ui.plan.first_year == "2024-25"

    percent = ui.type_line("title_ii_a_transfer_percent", "15")
    assert ui.plan.ga_general.title_ii_a_transfer_percent == 15
    ui.qtbot.keyClicks(percent, "0")
    ui.leave()
    assert ui.plan.ga_general.title_ii_a_transfer_percent == 15
    assert "maximum" in ui.failures[-1]
    assert percent.text() == "15"
    assert ui.undo.count() == 1


def test_a_refusal_by_the_model_is_shown_for_a_date_typed_in_full(ui: Ui) -> None:
    ui.pane.show_item("action_step", ui.step.id)
    line = ui.type_line("start", "2024-13-45")
    ui.leave()
    assert ui.step.start is None
    assert ui.failures
    assert line.text() == ""


# ---------------------------------------------------------------------------- each form


def test_plan_properties(ui: Ui) -> None:
    before = table_rows(ui.editing.document.working.database)
    plan = ui.plan
    ui.pane.show_item("plan", plan.id)
    assert ui.pane.shown_kind == "plan"
    ui.type_line("title", "Strategic Plan 2030")
    ui.type_line("organization", "Example Public Schools")
    state = ui.type_line("state", "ga")
    assert state.text() == "GA"
    ui.choose("layout", "Georgia District Improvement Plan")
    ui.type_line("last_year", "2028-2029")
    ui.leave()
    assert ui.field("last_year").text() == "2028-29"
    ui.choose("status", "In review")
    ui.type_line("team_lead", "Dr. Jane Smith")
    ui.type_text("mission", "Every student, every day.")
    ui.type_text("vision", "A district of readers.")

    beliefs = ui.field("core_beliefs")
    ui.click(beliefs.add_button)
    ui.type_in_item_editor("Families are partners.")
    assert plan.core_beliefs == ["All children can learn.", "Families are partners."]
    ui.click(beliefs.up_button)
    assert plan.core_beliefs == ["Families are partners.", "All children can learn."]

    names = ui.field("level_labels")
    for line, text in zip(
        names.lines, ("Pillar", "Priority", "Strategy", "Key Lever"), strict=True
    ):
        ui.focus(line)
        ui.qtbot.keyClicks(line, text)
    ui.leave()
    assert plan.level_labels == ["Pillar", "Priority", "Strategy", "Key Lever"]
    assert plan.labels[3] == "Key Lever"

    funding = ui.field("funding_options")
    ui.click(funding.box("fund_400"))
    ui.type_line("title_ii_a_transfer_to", "Title I, Part A")
    ui.type_line("title_ii_a_transfer_percent", "12.5%")
    ui.type_line("title_iv_a_transfer_to", "Title I, Part A")
    ui.type_line("title_iv_a_transfer_percent", "100")
    poverty = ui.field("poverty_factors")
    ui.click(poverty.box("other"))
    ui.click(poverty.box("free_reduced_application"))
    ui.type_text("poverty_factors_other", "Census poverty data")
    ui.choose("ed_flex_waiver", "Yes")
    ui.type_text("ed_flex_waiver_detail", "Waiver of the 40% poverty threshold.")

    assert plan.title == "Strategic Plan 2030"
    assert plan.organization == "Example Public Schools"
    assert plan.state == "GA"
    assert plan.layout == "ga-dip"
    assert plan.last_year == "2028-29"
    assert plan.status == "in_review"
    assert plan.team_lead == "Dr. Jane Smith"
    assert plan.mission == "Every student, every day."
    assert plan.vision == "A district of readers."
    ga = plan.ga_general
    assert ga.funding_options == ["fund_400"]
    assert ga.title_ii_a_transfer_to == "Title I, Part A"
    assert ga.title_ii_a_transfer_percent == 12.5
    assert ga.title_iv_a_transfer_percent == 100
    assert ga.poverty_factors == ["free_reduced_application", "other"]
    assert ga.poverty_factors_other == "Census poverty data"
    assert ga.ed_flex_waiver is True
    assert ga.ed_flex_waiver_detail == "Waiver of the 40% poverty threshold."
    assert ui.failures == []

    ui.pane.show_item("action_step", ui.step.id)
    assert ui.pane._shown is not None and ui.pane._shown.heading.text() == "Key Lever"

    ui.undo_all()
    assert table_rows(ui.editing.document.working.database) == before
    ui.pane.show_item("plan", None)
    assert ui.field("title").text() == "District Improvement Plan"
    assert ui.field("ed_flex_waiver").currentText() == "Not set"


def test_goal_area_lists_and_multi_selects(ui: Ui) -> None:
    area = ui.area
    ui.pane.show_item("goal_area", area.id)
    ui.type_line("title", " and Writing", replace=False)
    ui.type_text("need", "Only 38% read on grade level.")
    ui.click(ui.field("is_equity_gap"))
    assert area.is_equity_gap is True

    causes = ui.field("root_causes")
    causes.list.setCurrentRow(1)
    ui.focus(causes.list)
    ui.qtbot.keyClick(causes.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert area.root_causes == ["Too little intervention time", "Inconsistent core instruction"]
    ui.qtbot.keyClick(causes.list, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    ui.type_in_item_editor("No intervention block")
    assert area.root_causes == ["No intervention block", "Inconsistent core instruction"]
    ui.click(causes.remove_button)
    assert area.root_causes == ["Inconsistent core instruction"]
    ui.click(causes.add_button)
    ui.type_in_item_editor("", Qt.Key.Key_Escape)
    assert area.root_causes == ["Inconsistent core instruction"], "an empty new row is dropped"
    assert causes.list.count() == 1

    ui.type_text("goal", "Raise proficiency 3 points a year.")
    ui.type_text("equity_gap_description", "SWD lag their peers.")
    grades = ui.field("equity_gap_grade_levels")
    for grade in ("3", "K", "PK"):
        ui.click(grades.box(grade))
    assert area.equity_gap_grade_levels == ["PK", "K", "3"], "grade order, not click order"
    for name, text in (
        ("equity_gap_content_areas", "ELA"),
        ("equity_gap_subgroups", "Students with Disabilities"),
        ("equity_gap_interventions", "EI-1 Targeted teacher development"),
    ):
        editor_widget = ui.field(name)
        ui.click(editor_widget.add_button)
        ui.type_in_item_editor(text)
        assert getattr(area, name) == [text]
    assert area.title == "Literacy and Writing"
    assert area.need == "Only 38% read on grade level."
    assert area.goal == "Raise proficiency 3 points a year."
    assert area.equity_gap_description == "SWD lag their peers."

    ui.undo_all()
    assert area.root_causes == ["Inconsistent core instruction", "Too little intervention time"]
    assert causes.values() == area.root_causes
    assert area.equity_gap_grade_levels is None
    assert not grades.box("PK").isChecked()


def test_objective_shows_its_measures_and_links_to_them(ui: Ui) -> None:
    objective = ui.objective
    ui.pane.show_item("objective", objective.id)
    ui.type_text("statement", " by 2027")
    assert objective.statement == "Read on grade level by 2027"
    measures = ui.field("measures")
    assert measures.plain_lines() == ["DIBELS benchmark  (Black)"]
    measure = objective.measures[0]
    ui.editing.push(UpdateItem("measure", measure.id, {"name": "Lexile", "student_group": ""}))
    assert measures.plain_lines() == ["Lexile  (All students)"]
    ui.editing.push(AddItem("measure", objective.id, {"name": "MAP growth"}))
    assert len(measures.plain_lines()) == 2
    with ui.qtbot.waitSignal(ui.pane.navigate) as jumped:
        measures.linkActivated.emit(f"measure:{measure.id}")
    assert jumped.args == ["measure", measure.id]
    with ui.qtbot.waitSignal(ui.pane.navigate) as jumped:
        ui.pane._shown.breadcrumb.linkActivated.emit(f"goal_area:{ui.area.id}")
    assert jumped.args == ["goal_area", ui.area.id]


def test_strategy_phases_add_update_and_delete_phase_children(ui: Ui) -> None:
    strategy = ui.strategy
    ui.pane.show_item("strategy", strategy.id)
    ui.type_text("text", " for all")
    ui.choose("evidence_level", "Strong")
    ui.type_text("evidence_citation", "WWC practice guide")
    phases = ui.field("phases")
    assert list(phases.combos) == ["2024-25", "2025-26", "2026-27"]

    def shown() -> list[tuple[str, str]]:
        return [(p.year, p.phase) for p in strategy.phases]

    ui.choose_in(phases.combos["2026-27"], "Full")
    ui.choose_in(phases.combos["2025-26"], "Initial")
    assert shown() == [("2024-25", "planning"), ("2025-26", "initial"), ("2026-27", "full")]
    ui.choose_in(phases.combos["2024-25"], "Sustained")
    assert shown()[0] == ("2024-25", "sustained")
    ui.choose_in(phases.combos["2024-25"], "Not set")
    assert shown() == [("2025-26", "initial"), ("2026-27", "full")]
    assert strategy.text == "Structured literacy for all"
    assert strategy.evidence_level == "strong"
    assert strategy.evidence_citation == "WWC practice guide"

    ui.editing.push(UpdateItem("plan", ui.plan.id, {"last_year": "2027-28"}))
    assert list(phases.combos) == ["2024-25", "2025-26", "2026-27", "2027-28"]
    ui.undo_all()
    assert shown() == [("2024-25", "planning")]
    assert phases.combos["2024-25"].currentText() == "Planning"
    assert phases.combos["2026-27"].currentText() == "Not set"
    assert list(phases.combos) == ["2024-25", "2025-26", "2026-27"]


def test_step_summaries_follow_the_side_panels(ui: Ui) -> None:
    step = ui.step
    ui.pane.show_item("action_step", step.id)
    funding, roles = ui.field("funding"), ui.field("roles")
    assert funding.plain_lines() == ["Title I, Part A — $400, 2024-25"]
    assert roles.plain_lines() == ["Director of Federal Programs"]
    assert ui.field("monitoring_implementation").plain_lines() == ["PD logs"]
    assert ui.field("monitoring_effectiveness").entries == []
    ui.editing.push(UpdateItem("role", "dfp", {"title": "Federal Programs Director"}))
    assert roles.plain_lines() == ["Federal Programs Director"]
    ui.editing.push(assign(step.id, "funding_link", "t2", amount=1250.5))
    ui.editing.push(assign(step.id, "effectiveness_link", "gm"))
    assert funding.plain_lines()[1] == "Title II, Part A — $1,250.50"
    assert ui.field("monitoring_effectiveness").plain_lines() == ["Georgia Milestones"]
    ui.editing.push(DeleteItem("funding_source", "t1"))
    assert funding.plain_lines() == ["Title II, Part A — $1,250.50"]
    with ui.qtbot.waitSignal(ui.pane.navigate) as jumped:
        funding.linkActivated.emit("funding_source:t2")
    assert jumped.args == ["funding_source", "t2"]
    ui.undo_all()
    assert funding.plain_lines() == ["Title I, Part A — $400, 2024-25"]


# ---------------------------------------------------------------------------- showing


def test_showing_items_never_edits_the_plan(ui: Ui) -> None:
    revision = ui.editing.document.revision
    for _ in range(2):
        ui.pane.show_item("plan", None)
        ui.pane.show_item("goal_area", ui.area.id)
        ui.pane.show_item("goal_area", ui.plan.goal_areas[1].id)
        ui.pane.show_item("objective", ui.objective.id)
        ui.pane.show_item("strategy", ui.strategy.id)
        for step in ui.strategy.action_steps:
            ui.pane.show_item("action_step", step.id)
    assert ui.undo.count() == 0
    assert ui.editing.document.revision == revision
    assert ui.failures == []


def test_a_step_form_is_refilled_for_the_next_step(ui: Ui) -> None:
    first, second = ui.strategy.action_steps
    ui.pane.show_item("action_step", first.id)
    ui.click(ui.field("subgroups").box("Black"))
    ui.focus(ui.field("subgroups").other)
    ui.qtbot.keyClicks(ui.field("subgroups").other, "Gifted")
    ui.qtbot.keyClick(ui.field("subgroups").other, Qt.Key.Key_Return)
    form_text = ui.field("text")
    ui.pane.show_item("action_step", second.id)
    assert ui.field("text") is form_text, "one form per kind, filled again"
    assert form_text.toPlainText() == "Coach"
    assert ui.field("subgroups").values() == []
    assert ui.field("funding").entries == []
    ui.pane.show_item("action_step", first.id)
    assert ui.field("subgroups").values() == ["Black", "Gifted"]


def test_a_refresh_keeps_the_text_and_cursor_being_typed(ui: Ui) -> None:
    step = ui.step
    ui.pane.show_item("action_step", step.id)
    edit = ui.type_text("text", " teachers")
    cursor = edit.textCursor()
    cursor.setPosition(5)
    edit.setTextCursor(cursor)
    ui.editing.push(UpdateItem("action_step", step.id, {"timeline": "Monthly"}))
    assert ui.field("timeline").text() == "Monthly"
    ui.qtbot.keyClicks(edit, "X")
    assert step.text == "TrainX K-2 teachers"
    assert edit.textCursor().position() == 6
    ui.pane.show_item("action_step", step.id)  # the tree selecting its current item again
    assert edit.textCursor().position() == 6
    assert edit.hasFocus()
    ui.undo.undo()  # the "X": a step of its own, since the timeline edit came between
    assert step.text == "Train K-2 teachers"
    assert edit.toPlainText() == "Train K-2 teachers"
    assert edit.textCursor().position() == 6


def test_deleting_the_shown_item_empties_the_pane(ui: Ui) -> None:
    step = ui.step
    ui.pane.show_item("action_step", step.id)
    ui.editing.push(DeleteItem("goal_area", ui.area.id))
    assert ui.pane.shown_kind is None
    assert ui.pane.current_field_widget("text") is None
    ui.undo.undo()
    ui.pane.show_item("action_step", step.id)
    assert ui.field("text").toPlainText() == "Train K-2"
    ui.pane.on_reset()
    assert ui.pane.shown_id == step.id


def test_no_session_and_unknown_kinds_show_nothing(qtbot: Any) -> None:
    pane = EditorPane()
    qtbot.addWidget(pane)
    pane.show_item("action_step", "missing")
    assert pane.shown_kind is None
    document = PlanDocument.from_interchange(PLAN)
    try:
        editing = PlanEditing(document)
        pane.set_editing(editing)
        pane.show_item("measure", "anything")
        assert pane.shown_kind is None
        pane.show_item("action_step", "no-such-id")
        assert pane.shown_kind is None
        pane.show_item("plan", None)
        assert pane.shown_kind == "plan"
        pane.set_editing(None)
        assert pane.shown_kind is None
    finally:
        document.close()


def test_a_read_only_plan_cannot_be_typed_into(qtbot: Any, tmp_path: Any) -> None:
    with PlanDocument.from_interchange(PLAN) as document:
        document.save_as(tmp_path / "plan.psplan")
    with PlanDocument.open(tmp_path / "plan.psplan", read_only=True) as document:
        ui = Ui(qtbot, PlanEditing(document))
        ui.pane.show_item("action_step", ui.step.id)
        edit = ui.type_text("text", "more")
        assert edit.isReadOnly()
        assert not ui.field("status").isEnabled()
        assert ui.step.text == "Train K-2"
        assert ui.failures == []
        table = ui.field("reviews").table
        assert table.editTriggers() == table.EditTrigger.NoEditTriggers
        with PlanDocument.from_interchange(PLAN) as writable:
            editing = PlanEditing(writable)
            ui.pane.set_editing(editing)
            ui.pane.show_item("action_step", editing.plan.goal_areas[0].objectives[0]
                              .strategies[0].action_steps[0].id)  # fmt: skip
            assert not ui.field("text").isReadOnly()
            assert ui.field("status").isEnabled()
            assert table.editTriggers() & table.EditTrigger.AnyKeyPressed
            ui.pane.set_editing(None)


# ---------------------------------------------------------------------------- keyboard


def test_keys_for_the_window_do_not_act_on_the_tree_from_inside_the_pane(ui: Ui) -> None:
    deleted: list[bool] = []
    action = QAction("Delete item", ui.window)
    action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
    action.triggered.connect(lambda: deleted.append(True))
    ui.window.addAction(action)
    ui.focus(ui.elsewhere)
    ui.qtbot.keyClick(ui.elsewhere, Qt.Key.Key_Delete)
    ui.elsewhere.setReadOnly(True)  # a read-only line edit leaves Delete to the window
    ui.qtbot.keyClick(ui.elsewhere, Qt.Key.Key_Delete)
    assert deleted == [True], "the window's shortcut works outside the pane"

    ui.pane.show_item("action_step", ui.step.id)
    box = ui.field("systems").box("effective_leadership")
    ui.focus(box)
    ui.qtbot.keyClick(box, Qt.Key.Key_Delete)
    assert deleted == [True]


def test_ctrl_z_in_a_field_undoes_the_plan(ui: Ui) -> None:
    step = ui.step
    ui.pane.show_item("action_step", step.id)
    edit = ui.type_text("text", "!!")
    assert step.text == "Train K-2!!"
    ui.qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert step.text == "Train K-2"
    assert edit.toPlainText() == "Train K-2"
    ui.qtbot.keyClick(
        edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert step.text == "Train K-2!!"


def test_reviews_are_added_and_removed_by_keyboard(ui: Ui) -> None:
    step = ui.step
    ui.pane.show_item("action_step", step.id)
    table = ui.field("reviews").table
    ui.focus(table)
    ui.qtbot.keyClick(table, Qt.Key.Key_Insert)
    ui.qtbot.keyClick(table, Qt.Key.Key_Insert)
    assert len(step.reviews) == 2
    ui.edit_cell(table, 0, 0, "2024-13-01")
    assert ui.failures, "a bad review date is refused"
    assert table.item(0, 0).text() == date.today().isoformat()
    ui.focus(table)
    table.setCurrentCell(1, 0)
    ui.qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert len(step.reviews) == 1
    assert table.rowCount() == 1


def _form_widgets(ui: Ui) -> tuple[QWidget, list[QWidget]]:
    form = ui.pane._shown
    assert form is not None
    inputs = (
        QLineEdit,
        QPlainTextEdit,
        QComboBox,
        QAbstractButton,
        QListWidget,
        QTableWidget,
        QLabel,
    )
    widgets = [
        w
        for w in form.findChildren(QWidget)
        if isinstance(w, inputs) and w.isVisibleTo(form) and w.isEnabled()
        and not isinstance(w.parentWidget(), QComboBox | QTableWidget)
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]  # fmt: skip
    return form, widgets


def _show_each_kind(ui: Ui) -> Iterator[str]:
    for kind, item_id in (
        ("plan", ui.plan.id),
        ("goal_area", ui.area.id),
        ("objective", ui.objective.id),
        ("strategy", ui.strategy.id),
        ("action_step", ui.step.id),
    ):
        ui.pane.show_item(kind, item_id)
        yield kind


def test_every_control_has_an_accessible_name_and_every_label_a_buddy(ui: Ui) -> None:
    for kind in _show_each_kind(ui):
        form, widgets = _form_widgets(ui)
        unnamed = [type(w).__name__ for w in widgets if not w.accessibleName()]
        assert unnamed == [], kind
        buddies = {label.buddy() for label in form.findChildren(QLabel) if label.buddy()}
        for name, binding in form.bindings.items():
            widget = binding.widget
            inner = getattr(widget, "focus_widgets", None)
            first = inner()[0] if callable(inner) else widget
            if isinstance(widget, QCheckBox):
                continue  # a check box is labelled by its own text
            assert widget in buddies or first in buddies, (kind, name)


def test_tab_goes_through_each_form_from_top_to_bottom(ui: Ui) -> None:
    for kind in _show_each_kind(ui):
        form, widgets = _form_widgets(ui)
        chain: list[QWidget] = []
        widget = widgets[0]
        for _ in range(500):
            if widget in widgets and widget not in chain:
                chain.append(widget)
            widget = widget.nextInFocusChain()
            if widget is widgets[0]:
                break
        assert set(chain) == set(widgets), kind
        tops = [w.mapTo(form, QPoint(0, 0)).y() for w in chain]
        assert tops == sorted(tops), kind

    ui.pane.show_item("plan", None)
    title = ui.field("title")
    ui.focus(title)
    ui.qtbot.keyClick(title, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ui.field("organization")
    mission = ui.field("mission")
    ui.focus(mission)
    ui.qtbot.keyClick(mission, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ui.field("vision"), "Tab leaves a text box"


def test_a_date_can_be_picked_from_the_calendar_by_keyboard(ui: Ui) -> None:
    step = ui.step
    ui.pane.show_item("action_step", step.id)
    ui.type_line("start", "2024-08-01")
    ui.leave()
    button = ui.pane._shown.bindings["start"].widget.parentWidget().button
    picked: list[str] = []

    def in_the_popup() -> None:
        # The popup runs its own event loop: drive it from inside, as the user's keys would.
        calendar = QApplication.focusWidget()
        while calendar is not None and not isinstance(calendar, QCalendarWidget):
            calendar = calendar.parentWidget()
        if calendar is None:
            popup = QApplication.activePopupWidget()
            if popup is not None:
                popup.close()  # never leave a test waiting on an open menu
            picked.append("the calendar did not get the keyboard focus")
            return
        view = QApplication.focusWidget()
        ui.qtbot.keyClick(view, Qt.Key.Key_Right)
        ui.qtbot.keyClick(view, Qt.Key.Key_Return)
        picked.append(step.start or "")

    ui.focus(button)
    QTimer.singleShot(200, in_the_popup)
    ui.qtbot.keyClick(button, Qt.Key.Key_Space)
    ui.qtbot.waitUntil(lambda: bool(picked), timeout=3000)
    assert picked == ["2024-08-02"]
    assert ui.field("start").text() == "2024-08-02"
    ui.undo.undo()
    assert step.start == "2024-08-01"
