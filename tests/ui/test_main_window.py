"""Whole-window scenarios: a director building, editing, saving and recovering a plan."""

from __future__ import annotations

import json
import multiprocessing
import warnings
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit

from planstudio.model import PlanDocument, UpdateItem
from planstudio.model.interchange import dumps
from planstudio.ui.main_window import MainWindow
from planstudio.ui.mime import MIME_CATALOG_ENTRY as MIME_CATALOG


@pytest.fixture
def window(main_window: MainWindow) -> MainWindow:
    return main_window


def tree_ids(window: MainWindow) -> list[tuple[int, str]]:
    """(depth, display text) of every row of the outline, in order."""
    rows: list[tuple[int, str]] = []
    model = window.tree.model()

    def walk(parent, depth):
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            rows.append((depth, index.data()))
            walk(index, depth + 1)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex(), 0)
    return rows


def type_name(qtbot, window: MainWindow, text: str) -> None:
    """The new item's name editor is open in the tree: type and press Enter."""
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not window.tree
    editor.selectAll()
    for character in text:
        if character.isascii():
            qtbot.keyClicks(editor, character)
        else:  # QTest can only type ASCII; other text arrives as a paste or an input method would
            editor.insert(character)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on Enter through a queued call: let the event loop deliver it.
    qtbot.waitUntil(lambda: window.tree.state() != window.tree.State.EditingState, timeout=2000)


def press(qtbot, window: MainWindow, sequence: str) -> None:
    for action in window.findChildren(type(window.save_action)):
        shortcuts = [shortcut.toString() for shortcut in action.shortcuts()]
        if sequence in shortcuts and action.isEnabled():
            action.trigger()
            return
    raise AssertionError(f"no enabled action for {sequence}")


def drop_on(window: MainWindow, mime: QMimeData, item_id: str) -> None:
    """Drag-and-drop through the view: the drag enter, move and drop events a mouse makes."""
    window.select(item_id)
    rect = window.tree.visualRect(window.tree.currentIndex())
    point = rect.center()
    viewport = window.tree.viewport()
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PySide marks the QPoint forms
        events = (
            QDragEnterEvent(point, actions, mime, buttons, modifiers),
            QDragMoveEvent(point, actions, mime, buttons, modifiers),
            QDropEvent(point.toPointF(), actions, mime, buttons, modifiers),
        )
    for event in events:
        QApplication.sendEvent(viewport, event)


def catalog_mime(kind: str, entry_id: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(MIME_CATALOG, json.dumps({"kind": kind, "id": entry_id}).encode("utf-8"))
    return mime


def test_build_a_plan_by_keyboard_undo_it_all_redo_it_all_save_and_reopen(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    window.new_plan(None)
    editing = window.editing
    assert editing is not None
    start = json.loads(dumps(editing.plan))

    # Four levels, each added and named from the keyboard.
    window.tree.setFocus()
    press(qtbot, window, "Ctrl+Shift+N")
    type_name(qtbot, window, "Literacy & <Reading> 📚")
    for name in ("Read on grade level by 3rd grade", "Structured literacy", "Train K-2 teachers"):
        press(qtbot, window, "Ctrl+Shift+N")
        type_name(qtbot, window, name)
    press(qtbot, window, "Ctrl+Return")  # a sibling step
    type_name(qtbot, window, "Coach K-2 teachers")
    plan = editing.plan
    strategy = plan.goal_areas[0].objectives[0].strategies[0]
    assert plan.goal_areas[0].title == "Literacy & <Reading> 📚"
    assert [s.text for s in strategy.action_steps] == ["Train K-2 teachers", "Coach K-2 teachers"]
    rows = tree_ids(window)
    assert rows[0] == (0, "1  Literacy & <Reading> 📚")
    assert rows[-1] == (3, "1A.1.b  Coach K-2 teachers")

    # Reorder with Alt+Up, then move by drag-and-drop onto another strategy.
    press(qtbot, window, "Alt+Up")
    assert [s.text for s in strategy.action_steps] == ["Coach K-2 teachers", "Train K-2 teachers"]
    window.select(strategy.id)
    press(qtbot, window, "Ctrl+Return")
    type_name(qtbot, window, "Tutoring")
    tutoring = plan.goal_areas[0].objectives[0].strategies[1]
    coach = strategy.action_steps[0]
    window.select(coach.id)
    drag = window.tree.model().mimeData([window.tree.currentIndex()])
    drop_on(window, drag, tutoring.id)
    assert [s.text for s in tutoring.action_steps] == ["Coach K-2 teachers"]
    assert [s.text for s in strategy.action_steps] == ["Train K-2 teachers"]

    # Catalog entries dropped on a step are assigned to it.
    from planstudio.model import AddItem

    editing.push(AddItem("role", plan.id, {"title": "Director of Federal Programs"}))
    editing.push(AddItem("funding_source", plan.id, {"name": "Title I, Part A"}))
    role, source = plan.roles[0], plan.funding_sources[0]
    drop_on(window, catalog_mime("role", role.id), coach.id)
    drop_on(window, catalog_mime("funding_source", source.id), coach.id)
    assert [link.role_id for link in coach.role_links] == [role.id]
    assert [link.funding_source_id for link in coach.funding] == [source.id]

    built = json.loads(dumps(editing.plan))
    stack = editing.undo_stack
    assert "Undo Assign Funding" in window.undo_action.text()
    steps = stack.count()
    while stack.canUndo():
        stack.undo()
    assert json.loads(dumps(editing.plan)) == start
    assert tree_ids(window) == []
    while stack.canRedo():
        stack.redo()
    assert stack.count() == steps
    assert json.loads(dumps(editing.plan)) == built
    assert tree_ids(window)[0] == (0, "1  Literacy & <Reading> 📚")

    target = tmp_path / "built.psplan"
    monkeypatch.setattr(window, "ask_save_path", lambda: str(target))
    press(qtbot, window, "Ctrl+S")
    assert not window.isWindowModified() and window.windowTitle().startswith("built.psplan")
    window.close_document()
    with PlanDocument.open(target) as reopened:
        assert json.loads(dumps(reopened.plan)) == built


@pytest.mark.parametrize("answer", ["save", "discard", "cancel"])
def test_closing_with_unsaved_changes_asks(qtbot, window: MainWindow, tmp_path: Path, monkeypatch,
                                           answer: str) -> None:  # fmt: skip
    target = tmp_path / "prompt.psplan"
    with PlanDocument.new(title="Before") as document:
        document.save_as(target)
    assert window.open_path(target)
    editing = window.editing
    assert editing is not None
    from planstudio.model import UpdateItem

    editing.push(UpdateItem("plan", editing.plan.id, {"title": "After"}))
    assert window.isWindowModified()
    buttons = {
        "save": QMessageBox.StandardButton.Save,
        "discard": QMessageBox.StandardButton.Discard,
        "cancel": QMessageBox.StandardButton.Cancel,
    }
    asked: list[bool] = []
    monkeypatch.setattr(window, "ask_unsaved", lambda: asked.append(True) or buttons[answer])
    closed = window.close()
    assert asked == [True]
    assert closed is (answer != "cancel")
    if answer == "cancel":
        assert window.editing is editing and window.isVisible()
        editing.undo_stack.setClean()
        return
    with PlanDocument.open(target) as reopened:
        assert reopened.plan.title == ("After" if answer == "save" else "Before")


def test_a_plan_open_elsewhere_opens_read_only(qtbot, window: MainWindow, tmp_path: Path,
                                               monkeypatch) -> None:  # fmt: skip
    target = tmp_path / "shared.psplan"
    with PlanDocument.new(title="Shared") as document:
        document.save_as(target)
    elsewhere = PlanDocument.open(target)  # as another Plan Studio would
    try:
        asked: list[str] = []
        monkeypatch.setattr(window, "ask_read_only", lambda message: asked.append(message) or True)
        assert window.open_path(target)
        assert "is open in Plan Studio by" in asked[0]
        assert window.editing is not None and window.editing.document.read_only
        assert "(read-only)" in window.windowTitle()
    finally:
        elsewhere.close()


def _edit_then_crash(path: str, home: str) -> None:
    import os

    os.environ["PLANSTUDIO_HOME"] = home
    from planstudio.model import PlanDocument as Document
    from planstudio.model import UpdateItem

    document = Document.open(path)
    document.apply(UpdateItem("plan", document.plan.id, {"title": "Typed before the crash"}))
    os._exit(0)


def test_after_a_crash_the_next_start_offers_to_recover(
    qtbot, window: MainWindow, tmp_path: Path, planstudio_home: Path, monkeypatch
) -> None:
    target = tmp_path / "crash.psplan"
    with PlanDocument.new(title="Saved title") as document:
        document.save_as(target)
    child = multiprocessing.get_context("spawn").Process(
        target=_edit_then_crash, args=(str(target), str(planstudio_home))
    )
    child.start()
    child.join(60)
    from planstudio.ui import recovery_dialog

    shown: list[Any] = []

    def accept_all(dialog: recovery_dialog.RecoveryDialog) -> int:
        shown.append(dialog.choices.count())
        dialog.recover_button.click()
        return 1

    monkeypatch.setattr(recovery_dialog.RecoveryDialog, "exec", accept_all)
    window.offer_recovery()
    assert shown == [1]
    editing = window.editing
    assert editing is not None
    assert editing.plan.title == "Typed before the crash"
    assert editing.document.path == target and window.isWindowModified()
    assert window.save()
    with PlanDocument.open(target, read_only=True) as reopened:
        assert reopened.plan.title == "Typed before the crash"


def test_find_and_filter(qtbot, window: MainWindow) -> None:
    from tests.conftest import SAMPLES

    sample = next(s for s in SAMPLES if "lausd" in s.name)
    window.open_sample(sample.name)
    assert window.editing is not None
    press(qtbot, window, "Ctrl+F")
    qtbot.keyClicks(window.find_box, "chronically absent")
    assert window.find_results.count() > 0
    window.find_results.setCurrentRow(0)
    window._find_result_chosen(window.find_results.item(0))
    assert window.tree.currentIndex().isValid()
    qtbot.keyClicks(window.filter_box, "iattend")
    rows = tree_ids(window)
    assert rows and any("iAttend" in text for _, text in rows)
    assert all(depth < 4 for depth, _ in rows)
    assert len(rows) < 10


def test_fill_every_field_of_a_step_and_assign_from_each_panel(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    from tests.ui.test_catalog_panels import cell, press_space_on, settle

    document = {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {"title": "DIP", "first_year": "2024-25", "last_year": "2025-26"},
        "funding_sources": [{"id": "t1", "name": "Title I, Part A", "allocation": 1000}],
        "roles": [{"id": "dfp", "title": "Director of Federal Programs"}],
        "monitoring_methods": [{"id": "pd", "text": "PD sign-in sheets"},
                               {"id": "gm", "text": "Georgia Milestones results"}],
        "goal_areas": [{"title": "Literacy", "objectives": [{"statement": "Read", "strategies": [
            {"text": "Structured literacy", "action_steps": [{"text": "Train"}]}]}]}],
    }  # fmt: skip
    source = tmp_path / "dip.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "dip.psplan"
    from planstudio.cli import main

    assert main(["import", str(source), "-o", str(target)]) == 0
    assert window.open_path(target)
    editing = window.editing
    assert editing is not None
    step = editing.plan.goal_areas[0].objectives[0].strategies[0].action_steps[0]
    window.select(step.id)
    editor = window.editor

    def field(name: str) -> Any:
        widget = editor.current_field_widget(name)
        assert widget is not None, name
        return widget

    def type_into(name: str, text: str) -> None:
        widget = field(name)
        widget.setFocus()
        if isinstance(widget, QPlainTextEdit):
            widget.moveCursor(QTextCursor.MoveOperation.End)
        else:
            widget.end(False)
        qtbot.keyClicks(widget, text)
        editing.end_typing()

    def choose(name: str, text: str) -> None:
        combo = field(name)
        combo.setFocus()
        wanted = combo.findText(text)
        assert wanted >= 0, (name, text)
        while combo.currentIndex() != wanted:
            down = combo.currentIndex() < wanted
            qtbot.keyClick(combo, Qt.Key.Key_Down if down else Qt.Key.Key_Up)

    type_into("text", " K-2 teachers")
    field("subgroups").box("Students with Disabilities").click()
    field("systems").box("professional_capacity").click()
    choose("evidence_level", "Moderate")
    type_into("timeline", "Quarterly")
    type_into("start", "2024-08-01")
    type_into("end", "2025-05-30")
    window.tree.setFocus()
    choose("supports_equity_intervention", "Yes")
    type_into("partnerships", "University of Georgia")
    choose("status", "In progress")

    funding, roles, methods = window.panels
    for panel, entry, header in ((funding, "t1", "✓"), (roles, "dfp", "✓"),
                                 (methods, "pd", "Impl."), (methods, "gm", "Eff.")):  # fmt: skip
        settle(qtbot, panel)
        press_space_on(qtbot, panel.view, cell(panel, entry, header))
    assert [link.funding_source_id for link in step.funding] == ["t1"]
    # The amount and year of the funding line, typed in the funding panel's line table.
    editing.push(UpdateItem("funding_link", step.funding[0].id, {"amount": 250, "year": "2024-25"}))
    settle(qtbot, funding)
    assert cell(funding, "t1", "Left").data() in ("$750", "$750.00", "750")

    monkeypatch.setattr(window, "ask_save_path", lambda: str(target))
    assert window.save()
    window.close_document()
    with PlanDocument.open(target) as reopened:
        saved = json.loads(dumps(reopened.plan))
    [saved_step] = saved["goal_areas"][0]["objectives"][0]["strategies"][0]["action_steps"]
    saved_step.pop("id")
    assert saved_step == {
        "text": "Train K-2 teachers",
        "funding": [{"source": "t1", "amount": 250, "year": "2024-25"}],
        "subgroups": ["Students with Disabilities"],
        "systems": ["professional_capacity"],
        "monitoring_implementation": ["pd"],
        "monitoring_effectiveness": ["gm"],
        "roles": ["dfp"],
        "evidence_level": "moderate",
        "timeline": "Quarterly",
        "start": "2024-08-01",
        "end": "2025-05-30",
        "supports_equity_intervention": True,
        "partnerships": "University of Georgia",
        "status": "in_progress",
    }


def test_copy_a_branch_from_one_open_plan_and_paste_it_into_another(
    qtbot, window: MainWindow
) -> None:
    from tests.conftest import SAMPLES

    window.open_sample(next(s for s in SAMPLES if "clayton" in s.name).name)
    window.new_plan("ga-dip")
    source, target = MainWindow.windows[0], MainWindow.windows[-1]
    assert source is window and target is not window
    assert source.editing is not None and target.editing is not None
    goal = source.editing.plan.goal_areas[0]
    source.select(goal.id)
    press(qtbot, source, "Ctrl+C")
    target.tree.clearSelection()
    target.tree.setCurrentIndex(target.tree.model().index(-1, -1))
    press(qtbot, target, "Ctrl+V")
    [pasted] = target.editing.plan.goal_areas
    assert pasted.title == goal.title and pasted.id != goal.id
    copied_steps = [s.text for o in goal.objectives for g in o.strategies for s in g.action_steps]
    pasted_steps = [s.text for o in pasted.objectives for g in o.strategies for s in g.action_steps]
    assert pasted_steps == copied_steps
    # Catalog entries used by the branch came along into the other plan.
    used = {link.monitoring_method_id for o in pasted.objectives for g in o.strategies
            for s in g.action_steps for link in s.implementation_links}  # fmt: skip
    assert used <= {m.id for m in target.editing.plan.monitoring_methods}
    assert target.undo_action.text() == "&Undo Paste Overarching Need"
    target.editing.undo_stack.undo()
    assert target.editing.plan.goal_areas == []
