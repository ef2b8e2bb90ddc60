"""The Problems dock in the window: it follows edits, jumps to the field, and guards export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from planstudio.model import DeleteItem, PlanDocument, UpdateItem
from planstudio.model.edits import find_link
from planstudio.ui import export_dialog
from planstudio.ui.main_window import MainWindow
from tests.model.test_checks import complete_document


@pytest.fixture
def window(main_window: MainWindow) -> MainWindow:
    main_window.set_document(PlanDocument.from_interchange(complete_document("ga-dip")))
    return main_window


def rules_shown(window: MainWindow) -> list[str]:
    return [finding.rule for finding in window.problems.findings]


def test_the_panel_follows_edits_and_counts_in_the_status_bar(qtbot, window: MainWindow) -> None:
    editing = window.editing
    assert editing is not None
    assert window.problems.layout_name == "ga-dip"
    qtbot.waitUntil(lambda: window.problem_count.text() == "No problems", timeout=3000)
    assert rules_shown(window) == []

    editing.push(UpdateItem("action_step", "step", {"evidence_level": None}))
    editing.push(UpdateItem("goal_area", "lit", {"goal": None}))
    # The check waits for a pause in the typing, then lists both.
    qtbot.waitUntil(lambda: window.problems.list.count() == 2, timeout=3000)
    assert window.problem_count.text() == "2 problems"
    texts = [window.problems.list.item(row).text() for row in range(2)]
    assert texts == [
        "3.1 Overarching Need # 1\nThe goal is empty.",
        "3.1 Overarching Need # 1 › Action Step # 1\nNo evidence level is chosen.",
    ]

    editing.end_typing()  # a new undo step, not merged with the emptying
    editing.push(UpdateItem("goal_area", "lit", {"goal": "Everyone reads"}))
    qtbot.waitUntil(lambda: window.problems.list.count() == 1, timeout=3000)
    assert window.problem_count.text() == "1 problem"
    window.undo_action.trigger()  # the goal is empty again
    qtbot.waitUntil(lambda: window.problems.list.count() == 2, timeout=3000)

    # Another layout from the combo; the plan's own again.
    window.problems.set_layout("strategic-plan")
    assert rules_shown(window) == []
    window.problems.set_layout(None)
    assert rules_shown(window) == ["dip-goal", "dip-step-evidence"]


def has_cursor(widget: QWidget | None) -> bool:
    return widget is not None and QApplication.focusWidget() is widget


def test_choosing_a_problem_goes_to_the_item_and_its_field(qtbot, window: MainWindow) -> None:
    editing = window.editing
    assert editing is not None
    role_link = find_link(editing.document.session, "step", "role_link", "dfp")
    assert role_link is not None
    editing.push(DeleteItem("role_link", role_link))
    editing.push(UpdateItem("plan", "p", {"team_lead": None}))
    editing.push(UpdateItem("action_step", "step", {"timeline": None}))
    window.problems.flush()
    shown = [(f.kind, f.item_id, f.field) for f in window.problems.findings]
    assert shown == [("plan", "p", "team_lead"), ("action_step", "step", "roles"),
                     ("action_step", "step", "timeline"), ("role", "dfp", "title")]  # fmt: skip

    window.select("lit")
    window.problems.activate_row(2)
    assert window.current_item() == ("action_step", "step")
    assert window.editor.shown_kind == "action_step"
    timeline = window.editor.current_field_widget("timeline")
    qtbot.waitUntil(lambda: has_cursor(timeline), timeout=2000)

    window.problems.activate_row(0)
    assert window.current_item() is None
    assert window.editor.shown_kind == "plan"
    team_lead = window.editor.current_field_widget("team_lead")
    qtbot.waitUntil(lambda: has_cursor(team_lead), timeout=2000)

    # Enter on the list does the same as a double-click.
    window.select("lit")
    window.problems.list.setCurrentRow(2)
    window.problems.list.setFocus()
    qtbot.keyClick(window.problems.list, Qt.Key.Key_Return)
    assert window.current_item() == ("action_step", "step")
    timeline = window.editor.current_field_widget("timeline")
    qtbot.waitUntil(lambda: has_cursor(timeline), timeout=2000)


def test_a_field_of_several_controls_gets_the_cursor_in_its_first(
    qtbot, window: MainWindow
) -> None:
    """A date: its text, not its calendar button; the measure grid: the measures list."""
    window.go_to_field("action_step", "step", "start")
    start = window.editor.current_field_widget("start")
    qtbot.waitUntil(lambda: has_cursor(start), timeout=2000)

    window.go_to_field("objective", "read", "measures")
    measures = window.editor.current_field_widget("measure_editor")
    assert measures is not None
    first = measures.focus_widgets()[0]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: has_cursor(first), timeout=2000)


def test_focus_field_says_whether_the_shown_form_has_the_field(window: MainWindow) -> None:
    window.select("step")
    assert window.editor.focus_field("timeline")
    assert window.editor.focus_field("roles")  # shown only: scrolled to, nothing to type in
    assert not window.editor.focus_field("no_such_field")
    window.editor.show_item(None, None)
    assert not window.editor.focus_field("timeline")


def _answer_export(window: MainWindow, monkeypatch, out: Path, layout: str) -> None:
    def fill(dialog: export_dialog.ExportDialog) -> bool:
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("docx"))
        dialog.layout_box.setCurrentIndex(dialog.layout_box.findData(layout))
        dialog.path_edit.setText(str(out))
        return True

    monkeypatch.setattr(window, "ask_export", fill)


def test_export_asks_when_the_layout_finds_problems(
    qtbot, window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    editing = window.editing
    assert editing is not None
    asked: list[int] = []
    answer = {"value": "cancel"}

    def ask(count: int) -> str:
        asked.append(count)
        return answer["value"]

    monkeypatch.setattr(window, "ask_export_with_problems", ask)
    out = tmp_path / "plan.docx"

    # No problems for ga-dip: no question, the document is written.
    _answer_export(window, monkeypatch, out, "ga-dip")
    window.export_action.trigger()
    assert asked == [] and out.exists()
    out.unlink()

    editing.push(UpdateItem("action_step", "step", {"systems": None, "subgroups": None}))
    window.export_action.trigger()  # cancel
    assert asked == [2] and not out.exists()

    answer["value"] = "show"
    window.problems.set_layout("strategic-plan")
    window.problems.hide()
    window.export_action.trigger()
    assert asked == [2, 2] and not out.exists()
    assert window.problems.isVisible()
    assert window.problems.layout_name == "ga-dip"
    assert [f.rule for f in window.problems.findings] == ["dip-step-subgroups", "dip-step-systems"]

    answer["value"] = "export"
    window.export_action.trigger()
    assert asked == [2, 2, 2] and out.exists()

    # The same plan has none for the strategic plan: no question.
    out.unlink()
    _answer_export(window, monkeypatch, out, "strategic-plan")
    window.export_action.trigger()
    assert asked == [2, 2, 2] and out.exists()
