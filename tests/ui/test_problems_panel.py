"""The Problems dock in the window: it follows edits, jumps to the field, and guards export."""

from __future__ import annotations

from pathlib import Path

import pytest

from planstudio.model import PlanDocument, UpdateItem
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


def test_choosing_a_problem_goes_to_the_item_and_its_field(qtbot, window: MainWindow) -> None:
    editing = window.editing
    assert editing is not None
    focused: list[str] = []
    window.editor.focus_field = focused.append  # type: ignore[attr-defined]
    role_link = find_link(editing.document.session, "step", "role_link", "dfp")
    assert role_link is not None
    from planstudio.model import DeleteItem

    editing.push(DeleteItem("role_link", role_link))
    editing.push(UpdateItem("plan", "p", {"team_lead": None}))
    window.problems.flush()
    shown = [(f.kind, f.item_id, f.field) for f in window.problems.findings]
    assert shown == [("plan", "p", "team_lead"), ("action_step", "step", "roles"),
                     ("role", "dfp", "title")]  # fmt: skip

    window.select("lit")
    window.problems.activate_row(1)
    assert window.current_item() == ("action_step", "step")
    assert window.editor.shown_kind == "action_step"
    assert focused == ["roles"]

    window.problems.activate_row(0)
    assert window.current_item() is None
    assert window.editor.shown_kind == "plan"
    assert focused == ["roles", "team_lead"]

    # Enter on the list does the same as a double-click.
    window.select("lit")
    window.problems.list.setCurrentRow(1)
    window.problems.list.setFocus()
    from PySide6.QtCore import Qt

    qtbot.keyClick(window.problems.list, Qt.Key.Key_Return)
    assert window.current_item() == ("action_step", "step")


def test_the_field_gets_the_cursor_without_focus_field(qtbot, window: MainWindow) -> None:
    editing = window.editing
    assert editing is not None
    if hasattr(window.editor, "focus_field"):
        pytest.skip("the editor has its own focus_field")
    editing.push(UpdateItem("action_step", "step", {"timeline": None}))
    window.problems.flush()
    window.problems.activate_row(0)
    widget = window.editor.current_field_widget("timeline")
    assert widget is not None
    qtbot.waitUntil(widget.hasFocus, timeout=2000)


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
