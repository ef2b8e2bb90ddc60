"""The catalog side panels, driven through their views as a user would: keys, clicks, editors."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QStyle,
    QStyleOptionViewItem,
    QWidget,
)

from planstudio.model import (
    ActionStep,
    DeleteItem,
    PlanDocument,
    Role,
    UpdateItem,
    assign,
    queries,
)
from planstudio.model.entities import FundingSource, MonitoringMethod
from planstudio.ui.catalog.panels import (
    CatalogPanel,
    FundingSourcesPanel,
    MonitoringMethodsPanel,
    RolesPanel,
)
from planstudio.ui.editing import PlanEditing
from planstudio.ui.mime import MIME_CATALOG_ENTRY
from tests.model.test_queries import catalog_document


@pytest.fixture
def editing(qtbot) -> Iterator[PlanEditing]:
    document = PlanDocument.from_interchange(catalog_document())
    opened = PlanEditing(document)
    yield opened
    opened.undo_stack.clear()
    document.close()


def make_panel(qtbot, cls: type[CatalogPanel], editing: PlanEditing) -> Any:
    """A panel wired as the main window wires it: changes and resets handed to it."""
    panel = cls()
    qtbot.addWidget(panel)
    editing.changed.connect(panel.on_changes)
    editing.reset.connect(panel.on_reset)
    panel.set_editing(editing)
    panel.resize(480, 640)
    panel.show()
    qtbot.waitExposed(panel)
    # A funding source's totals are summed in the turns after the panel is shown.
    totals_pending = getattr(panel.model, "totals_pending", lambda: False)
    qtbot.waitUntil(lambda: not totals_pending(), timeout=5000)
    return panel


def settle(qtbot, panel: CatalogPanel) -> None:
    """Let queued events run (the panel itself is up to date at the end of each step)."""
    QApplication.processEvents()


def column(panel: CatalogPanel, header: str) -> int:
    return [c.header for c in panel.model.columns].index(header)


def cell(panel: CatalogPanel, entry_id: str, header: str) -> QModelIndex:
    return panel.model.index(panel.model.row_of(entry_id), column(panel, header))


def shown(index: QModelIndex) -> Any:
    return index.data(Qt.ItemDataRole.DisplayRole)


def open_editor(qtbot, view: QAbstractItemView, index: QModelIndex, key: Qt.Key = Qt.Key.Key_F2):
    """Select a cell and start editing it from the keyboard; the editor the view opened."""
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, key)
    editor = view.indexWidget(index)
    assert editor is not None, "no editor opened"
    return editor


def enter(qtbot, view: QAbstractItemView, editor: QWidget) -> None:
    """Press Enter in an editor and wait for it to close: Qt commits on the next turn."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=2000)


def escape(qtbot, view: QAbstractItemView, editor: QWidget) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=2000)


def type_into(qtbot, view: QAbstractItemView, index: QModelIndex, text: str) -> None:
    """F2, select what is there, type over it, Enter."""
    editor = open_editor(qtbot, view, index)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    enter(qtbot, view, editor)


def press_space_on(qtbot, view: QAbstractItemView, index: QModelIndex) -> None:
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_Space)


def click_check(qtbot, view: QAbstractItemView, index: QModelIndex) -> None:
    """Click on the check box itself, where the style draws it."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=box.center())


def no_question(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("an unused entry must be deleted without asking")


def role_ids(editing: PlanEditing) -> list[str]:
    return [role.id for role in editing.plan.roles]


def step(editing: PlanEditing, step_id: str) -> ActionStep:
    found: ActionStep = editing.document.get(ActionStep, step_id)
    return found


# ---------------------------------------------------------------------------- add, rename, edit


def test_insert_adds_a_row_ready_to_type_its_name_and_undo_takes_it_back(qtbot, editing) -> None:
    panel = make_panel(qtbot, RolesPanel, editing)
    view = panel.view
    view.setFocus()
    view.setCurrentIndex(cell(panel, "dfp", "Title"))
    qtbot.keyClick(view, Qt.Key.Key_Insert)
    assert len(editing.plan.roles) == 4
    new_id = editing.plan.roles[-1].id
    index = cell(panel, new_id, "Title")
    editor = view.indexWidget(index)
    assert isinstance(editor, QLineEdit) and editor.text() == "New role"
    # The placeholder name is selected, so typing replaces it.
    qtbot.keyClicks(editor, "Reading Coach")
    enter(qtbot, view, editor)
    assert editing.document.get(Role, new_id).title == "Reading Coach"
    assert shown(index) == "Reading Coach"
    assert editing.undo_stack.undoText() == "Rename Role"
    editing.undo_stack.undo()
    assert editing.document.get(Role, new_id).title == "New role"
    assert editing.undo_stack.undoText() == "Add Role"
    editing.undo_stack.undo()
    assert role_ids(editing) == ["dfp", "asst", "idle"]
    assert panel.model.rowCount() == 3
    editing.undo_stack.redo()
    editing.undo_stack.redo()
    assert shown(cell(panel, new_id, "Title")) == "Reading Coach"


def test_add_button_and_each_cell_edit_is_one_undo_step(qtbot, editing) -> None:
    panel = make_panel(qtbot, RolesPanel, editing)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    new_id = editing.plan.roles[-1].id
    editor = panel.view.indexWidget(cell(panel, new_id, "Title"))
    qtbot.keyClicks(editor, "Counselor")
    enter(qtbot, panel.view, editor)
    type_into(qtbot, panel.view, cell(panel, new_id, "Department"), "Student Services")
    type_into(qtbot, panel.view, cell(panel, new_id, "Person"), "Zoe Barnes")
    role = editing.document.get(Role, new_id)
    assert (role.title, role.department, role.person) == (
        "Counselor",
        "Student Services",
        "Zoe Barnes",
    )
    # Add, title, department, person: four steps, however many keys were pressed.
    assert editing.undo_stack.count() == 4
    # Emptying an optional field clears it; a name is never left empty.
    for header in ("Person", "Title"):
        editor = open_editor(qtbot, panel.view, cell(panel, new_id, header))
        editor.selectAll()
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)
        enter(qtbot, panel.view, editor)
    assert role.person is None
    assert role.title == "Counselor"
    # F2 then Enter without a change stores nothing.
    count = editing.undo_stack.count()
    editor = open_editor(qtbot, panel.view, cell(panel, new_id, "Department"))
    enter(qtbot, panel.view, editor)
    assert editing.undo_stack.count() == count
    while editing.undo_stack.canUndo():
        editing.undo_stack.undo()
    assert role_ids(editing) == ["dfp", "asst", "idle"]


def test_funding_source_fields_and_totals_follow_the_typing(qtbot, editing) -> None:
    panel = make_panel(qtbot, FundingSourcesPanel, editing)
    view = panel.view
    source = editing.document.get(FundingSource, "t1")
    # Worked out by hand (see catalog_document): 400 + 100.10 + 0.20 of 1,000.
    assert shown(cell(panel, "t1", "Allocation")) == "$1,000"
    assert shown(cell(panel, "t1", "Assigned")) == "$500.30"
    assert shown(cell(panel, "t1", "Left")) == "$499.70"
    assert shown(cell(panel, "t2", "Assigned")) == "$25.30"
    assert shown(cell(panel, "t2", "Left")) == "—"  # no allocation
    assert shown(cell(panel, "t3", "Left")) == "$50"

    editor = open_editor(qtbot, view, cell(panel, "t1", "Allocation"))
    assert isinstance(editor, QLineEdit) and editor.text() == "1000"
    editor.selectAll()
    qtbot.keyClicks(editor, "2")
    # Stored as typed: what is left follows the keystroke, before Enter.
    assert source.allocation == 2
    assert shown(cell(panel, "t1", "Left")) == "-$498.30"
    assert cell(panel, "t1", "Left").data(Qt.ItemDataRole.ForegroundRole) is not None
    qtbot.keyClicks(editor, ",500.")
    assert editor.text() == "2,500."  # the live store did not rewrite the cell being typed in
    qtbot.keyClicks(editor, "5")
    assert shown(cell(panel, "t1", "Left")) == "$2,000.20"
    enter(qtbot, view, editor)
    assert source.allocation == 2500.5
    assert shown(cell(panel, "t1", "Allocation")) == "$2,500.50"
    assert cell(panel, "t1", "Left").data(Qt.ItemDataRole.ForegroundRole) is None
    assert editing.undo_stack.count() == 1  # the keystrokes were one edit

    # Escape takes back what was stored while typing.
    editor = open_editor(qtbot, view, cell(panel, "t1", "Allocation"))
    editor.selectAll()
    qtbot.keyClicks(editor, "7")
    assert source.allocation == 7
    escape(qtbot, view, editor)
    assert source.allocation == 2500.5
    assert shown(cell(panel, "t1", "Left")) == "$2,000.20"
    assert editing.undo_stack.index() == 1

    type_into(qtbot, view, cell(panel, "t1", "Code"), "4181")
    combo = open_editor(qtbot, view, cell(panel, "t1", "Kind"))
    assert isinstance(combo, QComboBox) and combo.currentText() == "Federal"
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    enter(qtbot, view, combo)
    assert (source.code, source.kind) == ("4181", "state")
    assert shown(cell(panel, "t1", "Kind")) == "State"
    type_into(qtbot, view, cell(panel, "t1", "Name"), "Title I, Part A (Schoolwide)")
    assert source.name == "Title I, Part A (Schoolwide)"
    assert editing.undo_stack.undoText() == "Rename Funding Source"

    while editing.undo_stack.canUndo():
        editing.undo_stack.undo()
    assert (source.name, source.code, source.kind, source.allocation) == (
        "Title I, Part A", "4180", "federal", 1000,
    )  # fmt: skip
    assert shown(cell(panel, "t1", "Left")) == "$499.70"


# ---------------------------------------------------------------------------- assigning


def test_checks_assign_to_the_selected_step_and_are_disabled_without_one(qtbot, editing) -> None:
    panel = make_panel(qtbot, RolesPanel, editing)
    check = cell(panel, "dfp", "✓")
    assert not panel.model.flags(check) & Qt.ItemFlag.ItemIsEnabled
    press_space_on(qtbot, panel.view, check)
    assert editing.undo_stack.count() == 0

    panel.set_current_step("coach")
    assert panel.model.flags(check) & Qt.ItemFlag.ItemIsEnabled
    assert check.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    press_space_on(qtbot, panel.view, check)
    assert [link.role_id for link in step(editing, "coach").role_links] == ["dfp"]
    assert editing.undo_stack.undoText() == "Assign Responsible Role"
    settle(qtbot, panel)
    assert check.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked

    click_check(qtbot, panel.view, cell(panel, "asst", "✓"))
    assert [link.role_id for link in step(editing, "coach").role_links] == ["dfp", "asst"]
    settle(qtbot, panel)
    click_check(qtbot, panel.view, check)
    assert [link.role_id for link in step(editing, "coach").role_links] == ["asst"]
    assert editing.undo_stack.undoText() == "Unassign Responsible Role"
    settle(qtbot, panel)
    assert check.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked

    editing.undo_stack.undo()
    settle(qtbot, panel)
    assert check.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert [link.role_id for link in step(editing, "coach").role_links] == ["dfp", "asst"]
    editing.undo_stack.undo()
    editing.undo_stack.undo()
    assert step(editing, "coach").role_links == []
    settle(qtbot, panel)
    assert check.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked

    panel.set_current_step(None)
    assert not panel.model.flags(check) & Qt.ItemFlag.ItemIsEnabled


def test_monitoring_methods_have_implementation_and_effectiveness_checks(qtbot, editing) -> None:
    panel = make_panel(qtbot, MonitoringMethodsPanel, editing)
    panel.set_current_step("journal")
    impl, eff = cell(panel, "pd", "Impl."), cell(panel, "pd", "Eff.")
    assert cell(panel, "scores", "Eff.").data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )
    press_space_on(qtbot, panel.view, impl)
    press_space_on(qtbot, panel.view, eff)
    journal = step(editing, "journal")
    assert [link.monitoring_method_id for link in journal.implementation_links] == ["pd"]
    assert [link.monitoring_method_id for link in journal.effectiveness_links] == ["scores", "pd"]
    settle(qtbot, panel)
    assert impl.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert eff.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    press_space_on(qtbot, panel.view, impl)
    assert journal.implementation_links == []
    settle(qtbot, panel)
    assert impl.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert editing.undo_stack.undoText() == "Unassign Implementation Monitoring"
    for _ in range(3):
        editing.undo_stack.undo()
    assert [link.monitoring_method_id for link in journal.effectiveness_links] == ["scores"]
    assert journal.implementation_links == []

    combo = open_editor(qtbot, panel.view, cell(panel, "pd", "Kind"))
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("both"))
    enter(qtbot, panel.view, combo)
    assert editing.document.get(MonitoringMethod, "pd").kind == "both"


def test_funding_lines_of_the_selected_step(qtbot, editing) -> None:
    panel = make_panel(qtbot, FundingSourcesPanel, editing)
    lines = panel.link_model
    assert not panel.link_view.isEnabled()
    panel.set_current_step("coach")
    assert panel.link_view.isEnabled()
    assert "1A.1.b" in panel.link_label.text()
    assert [lines.data(lines.index(row, 0)) for row in range(2)] == [
        "Title I, Part A",
        "Title II, Part A",
    ]
    assert shown(lines.index(0, 1)) == "" and shown(lines.index(1, 1)) == "$25.20"

    # The amount is stored as typed: the totals above follow.
    editor = open_editor(qtbot, panel.link_view, lines.index(0, 1))
    qtbot.keyClicks(editor, "600")
    settle(qtbot, panel)
    assert shown(cell(panel, "t1", "Assigned")) == "$1,100.30"
    assert shown(cell(panel, "t1", "Left")) == "-$100.30"
    enter(qtbot, panel.link_view, editor)
    combo = open_editor(qtbot, panel.link_view, lines.index(0, 2))
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "—", "2024-25", "2025-26", "2026-27",
    ]  # fmt: skip
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    enter(qtbot, panel.link_view, combo)
    coach = step(editing, "coach")
    assert (coach.funding[0].amount, coach.funding[0].year) == (600, "2025-26")
    assert editing.undo_stack.count() == 2

    # Another year from the same source, then take that line away again.
    panel.link_view.setCurrentIndex(lines.index(0, 1))
    qtbot.mouseClick(panel.add_year_button, Qt.MouseButton.LeftButton)
    assert [(line.funding_source_id, line.year) for line in coach.funding] == [
        ("t1", "2025-26"), ("t1", "2026-27"), ("t2", None),
    ]  # fmt: skip
    editor = panel.link_view.indexWidget(lines.index(1, 1))
    assert editor is not None, "the new line's amount is ready to type"
    qtbot.keyClicks(editor, "50")
    enter(qtbot, panel.link_view, editor)
    settle(qtbot, panel)
    assert shown(cell(panel, "t1", "Assigned")) == "$1,150.30"
    panel.link_view.setFocus()
    panel.link_view.setCurrentIndex(lines.index(1, 1))
    qtbot.keyClick(panel.link_view, Qt.Key.Key_Delete)
    assert len(coach.funding) == 2
    settle(qtbot, panel)
    assert shown(cell(panel, "t1", "Assigned")) == "$1,100.30"

    # Ticking a source adds a line; unticking takes off every year of it, as one step.
    press_space_on(qtbot, panel.view, cell(panel, "t3", "✓"))
    settle(qtbot, panel)
    assert lines.rowCount() == 3
    assert cell(panel, "t3", "✓").data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    panel.set_current_step("train")
    assert lines.rowCount() == 2
    before = editing.undo_stack.count()
    press_space_on(qtbot, panel.view, cell(panel, "t1", "✓"))
    assert step(editing, "train").funding == []
    assert editing.undo_stack.count() == before + 1
    settle(qtbot, panel)
    assert lines.rowCount() == 0
    assert "No funding" in panel.link_label.text()
    editing.undo_stack.undo()
    settle(qtbot, panel)
    assert [line.amount for line in step(editing, "train").funding] == [400, 100.10]
    assert lines.rowCount() == 2

    while editing.undo_stack.canUndo():
        editing.undo_stack.undo()
    settle(qtbot, panel)
    assert shown(cell(panel, "t1", "Assigned")) == "$500.30"
    assert queries.funding_totals(editing.document.session)["t3"].steps == 0


# ---------------------------------------------------------------------------- deleting


def test_an_unused_entry_is_deleted_at_once(qtbot, editing, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", no_question)
    panel = make_panel(qtbot, RolesPanel, editing)
    panel.view.setFocus()
    panel.view.setCurrentIndex(cell(panel, "idle", "Title"))
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert role_ids(editing) == ["dfp", "asst"]
    assert panel.model.rowCount() == 2
    assert editing.undo_stack.undoText() == "Delete Role"
    editing.undo_stack.undo()
    assert role_ids(editing) == ["dfp", "asst", "idle"]
    assert shown(cell(panel, "idle", "Title")) == "Grant Writer"


def test_a_used_entry_asks_first_and_says_where_it_is_used(qtbot, editing, monkeypatch) -> None:
    asked: list[tuple[str, str]] = []
    answer = QMessageBox.StandardButton.No

    def question(_parent: QWidget, title: str, text: str, *_args: Any) -> Any:
        asked.append((title, text))
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    panel = make_panel(qtbot, RolesPanel, editing)
    panel.view.setCurrentIndex(cell(panel, "dfp", "Title"))
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    title, text = asked[0]
    assert title == "Delete Role"
    assert "used by 3 action steps" in text
    assert [line for line in text.splitlines() if line[:1].isdigit()] == [
        "1A.1.a  Train K-2 teachers in structured li…",
        "1A.2.a  Tutor",
        "2A.1.a  Call home after two absences",
    ]
    assert role_ids(editing) == ["dfp", "asst", "idle"]  # No keeps it
    assert editing.undo_stack.count() == 0

    answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert role_ids(editing) == ["asst", "idle"]
    assert step(editing, "train").role_links == []
    assert [link.role_id for link in step(editing, "tutor").role_links] == ["asst"]
    editing.undo_stack.undo()
    assert role_ids(editing) == ["dfp", "asst", "idle"]
    assert queries.usages(editing.document.session, "role", "dfp") == ["train", "tutor", "call"]
    assert [link.role_id for link in step(editing, "tutor").role_links] == ["dfp", "asst"]


def test_deleting_a_funding_source_updates_the_selected_steps_lines(qtbot, editing, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes)
    panel = make_panel(qtbot, FundingSourcesPanel, editing)
    panel.set_current_step("coach")
    panel.view.setFocus()
    panel.view.setCurrentIndex(cell(panel, "t1", "Name"))
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    settle(qtbot, panel)
    assert [f.id for f in editing.plan.funding_sources] == ["t2", "t3"]
    assert panel.link_model.rowCount() == 1
    editing.undo_stack.undo()
    settle(qtbot, panel)
    assert panel.link_model.rowCount() == 2
    assert shown(cell(panel, "t1", "Assigned")) == "$500.30"


# ---------------------------------------------------------------------------- used by, drag


def test_used_by_lists_steps_in_plan_order_and_jumps_to_them(qtbot, editing) -> None:
    panel = make_panel(qtbot, MonitoringMethodsPanel, editing)
    assert "Select a monitoring method" in panel.used_by_label.text()
    panel.view.setCurrentIndex(cell(panel, "pd", "Method"))
    labels = [panel.used_by.item(row).text() for row in range(panel.used_by.count())]
    assert labels == [
        "1A.1.a  Train K-2 teachers in structured literacy",
        "1A.1.b  Coach",
        "2A.1.a  Call home after two absences",
    ]
    assert panel.used_by_label.text() == "Used by 3 action steps:"

    with qtbot.waitSignal(panel.navigate) as jumped:
        item = panel.used_by.item(1)
        rect = panel.used_by.visualItemRect(item)
        # A real double-click: a click, then the second press that the system reports as double.
        qtbot.mouseClick(panel.used_by.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(panel.used_by.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert jumped.args == ["action_step", "coach"]
    with qtbot.waitSignal(panel.navigate) as jumped:
        panel.used_by.setFocus()
        panel.used_by.setCurrentRow(2)
        qtbot.keyClick(panel.used_by, Qt.Key.Key_Return)
    assert jumped.args == ["action_step", "call"]

    # The list follows edits made elsewhere: a step renamed, a method taken off a step.
    editing.push(UpdateItem("action_step", "coach", {"text": "Coach teachers weekly"}))
    settle(qtbot, panel)
    assert panel.used_by.item(1).text() == "1A.1.b  Coach teachers weekly"
    panel.set_current_step("coach")
    press_space_on(qtbot, panel.view, cell(panel, "pd", "Impl."))
    settle(qtbot, panel)
    assert panel.used_by.count() == 3  # still used by coach for effectiveness
    press_space_on(qtbot, panel.view, cell(panel, "pd", "Eff."))
    settle(qtbot, panel)
    assert [panel.used_by.item(row).text()[:6] for row in range(panel.used_by.count())] == [
        "1A.1.a",
        "2A.1.a",
    ]
    panel.view.setCurrentIndex(cell(panel, "scores", "Method"))
    assert panel.used_by_label.text() == "Used by 2 action steps:"
    press_space_on(qtbot, panel.view, cell(panel, "scores", "Eff."))
    settle(qtbot, panel)
    assert panel.used_by_label.text() == "Used by 1 action step:"
    panel.view.setCurrentIndex(cell(panel, "pd", "Method"))
    assert panel.used_by.count() == 2
    press_space_on(qtbot, panel.view, cell(panel, "pd", "Eff."))
    settle(qtbot, panel)
    assert panel.used_by.count() == 3


def test_entries_drag_out_as_catalog_entries(qtbot, editing) -> None:
    panel = make_panel(qtbot, RolesPanel, editing)
    assert panel.view.dragEnabled()
    index = cell(panel, "asst", "Department")
    assert panel.model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    assert panel.model.mimeTypes() == [MIME_CATALOG_ENTRY]
    data = panel.model.mimeData([index])
    payload = json.loads(bytes(data.data(MIME_CATALOG_ENTRY).data()).decode("utf-8"))
    assert payload == {"kind": "role", "id": "asst"}
    assert data.text() == "Assistant Superintendent"
    assert panel.model.supportedDragActions() & Qt.DropAction.CopyAction


# ---------------------------------------------------------------------------- keyboard, life cycle


def test_panel_keys_win_over_the_main_windows_shortcuts(qtbot, editing, monkeypatch) -> None:
    """Delete and F2 in the main window act on the tree; in a focused panel table, on the table."""
    monkeypatch.setattr(QMessageBox, "question", no_question)
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QWidget())
    fired: list[str] = []
    for key in ("Delete", "F2", "Insert"):
        action = QAction(key, window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _checked=False, k=key: fired.append(k))
        window.addAction(action)
    panel = RolesPanel(window)
    editing.changed.connect(panel.on_changes)
    panel.set_editing(editing)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    panel.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.view)
    panel.view.setCurrentIndex(cell(panel, "idle", "Title"))
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert role_ids(editing) == ["dfp", "asst"]
    index = cell(panel, "asst", "Person")
    panel.view.setCurrentIndex(index)
    qtbot.keyClick(panel.view, Qt.Key.Key_F2)
    assert isinstance(panel.view.indexWidget(index), QLineEdit)
    escape(qtbot, panel.view, panel.view.indexWidget(index))
    qtbot.keyClick(panel.view, Qt.Key.Key_Insert)
    assert len(editing.plan.roles) == 3
    assert fired == []
    # With the focus elsewhere the window's shortcut is the one that acts.
    window.centralWidget().setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.centralWidget())
    qtbot.keyClick(window.centralWidget(), Qt.Key.Key_Delete)
    assert fired == ["Delete"]
    panel.set_editing(None)


def test_controls_have_accessible_names(qtbot, editing) -> None:
    for cls in (FundingSourcesPanel, RolesPanel, MonitoringMethodsPanel):
        panel = make_panel(qtbot, cls, editing)
        controls = [panel.view, panel.add_button, panel.delete_button, panel.used_by]
        if isinstance(panel, FundingSourcesPanel):
            controls += [panel.link_view, panel.add_year_button, panel.remove_link_button]
        for control in controls:
            assert control.accessibleName(), control
        for section in range(panel.model.columnCount()):
            tip = panel.model.headerData(
                section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
            )
            assert tip, (cls.__name__, section)


def test_without_a_plan_everything_is_empty_and_disabled(qtbot, editing) -> None:
    panel = make_panel(qtbot, FundingSourcesPanel, editing)
    panel.set_current_step("coach")
    panel.set_editing(None)
    assert panel.model.rowCount() == 0 and panel.link_model.rowCount() == 0
    assert not panel.add_button.isEnabled() and not panel.delete_button.isEnabled()
    assert panel.used_by.count() == 0
    panel.add_entry()
    panel.delete_entry()
    panel.set_current_step("coach")  # the window may still say which step it shows
    assert panel.link_model.rowCount() == 0


def test_follows_edits_from_elsewhere_and_a_revert(qtbot, editing, tmp_path: Path) -> None:
    panel = make_panel(qtbot, FundingSourcesPanel, editing)
    panel.set_current_step("train")
    editing.push(UpdateItem("funding_source", "t2", {"allocation": 30}))
    assert shown(cell(panel, "t2", "Left")) == "$4.70"
    editing.push(UpdateItem("funding_link", step(editing, "train").funding[0].id, {"amount": 1}))
    settle(qtbot, panel)
    assert shown(cell(panel, "t1", "Assigned")) == "$101.30"
    assert shown(panel.link_model.index(0, 1)) == "$1"

    editing.document.save_as(tmp_path / "catalogs.psplan")
    editing.push(UpdateItem("funding_source", "t2", {"name": "Title II-A"}))
    editing.push(UpdateItem("funding_link", step(editing, "train").funding[0].id, {"amount": 9}))
    settle(qtbot, panel)
    assert shown(panel.link_model.index(0, 1)) == "$9"
    editing.document.revert()
    editing.replaced()
    # Read again as when opened: the totals come in the turns after.
    qtbot.waitUntil(lambda: not panel.model.totals_pending())
    assert shown(cell(panel, "t2", "Name")) == "Title II, Part A"
    assert shown(cell(panel, "t1", "Assigned")) == "$101.30"
    assert shown(panel.link_model.index(0, 1)) == "$1"
    # The selected step is kept across the revert, and its check marks still work.
    press_space_on(qtbot, panel.view, cell(panel, "t3", "✓"))
    assert [line.funding_source_id for line in step(editing, "train").funding] == [
        "t1", "t1", "t3",
    ]  # fmt: skip


def test_a_deleted_step_leaves_nothing_to_check(qtbot, editing) -> None:
    panel = make_panel(qtbot, RolesPanel, editing)
    panel.set_current_step("tutor")
    assert cell(panel, "dfp", "✓").data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    editing.push(DeleteItem("action_step", "tutor"))
    settle(qtbot, panel)
    check = cell(panel, "dfp", "✓")
    assert not panel.model.flags(check) & Qt.ItemFlag.ItemIsEnabled
    assert check.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    editing.undo_stack.undo()
    settle(qtbot, panel)
    assert panel.model.flags(check) & Qt.ItemFlag.ItemIsEnabled
    assert check.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_a_read_only_plan_can_be_looked_at_but_not_changed(qtbot, editing, tmp_path) -> None:
    path = tmp_path / "catalogs.psplan"
    editing.document.save_as(path)
    editing.undo_stack.clear()
    editing.document.close()
    with PlanDocument.open(path, read_only=True) as document:
        read_only = PlanEditing(document)
        panel = make_panel(qtbot, RolesPanel, read_only)
        panel.set_current_step("coach")
        panel.view.setCurrentIndex(cell(panel, "dfp", "Title"))
        assert not panel.add_button.isEnabled() and not panel.delete_button.isEnabled()
        assert not panel.model.flags(cell(panel, "dfp", "Title")) & Qt.ItemFlag.ItemIsEditable
        assert not panel.model.flags(cell(panel, "dfp", "✓")) & Qt.ItemFlag.ItemIsEnabled
        assert panel.used_by.count() == 3
        panel.set_editing(None)


def test_totals_count_steps_in_the_plans_own_words(qtbot, editing) -> None:
    panel = make_panel(qtbot, FundingSourcesPanel, editing)
    tooltip = Qt.ItemDataRole.ToolTipRole
    # catalog_document: t1 funds train, coach and call; t3 funds nothing.
    assert cell(panel, "t1", "Assigned").data(tooltip) == "Assigned to 3 action steps"
    assert cell(panel, "t3", "Assigned").data(tooltip) == "Assigned to 0 action steps"
    labels = ["Goal", "Objective", "Strategy", "Key Activity"]
    editing.push(UpdateItem("plan", editing.plan.id, {"level_labels": labels}))
    assert cell(panel, "t1", "Assigned").data(tooltip) == "Assigned to 3 key activities"
    editing.push(assign("journal", "funding_link", "t3", amount=75))
    assert cell(panel, "t3", "Assigned").data(tooltip) == "Assigned to 1 key activity"
    assert shown(cell(panel, "t3", "Left")) == "-$25"


@pytest.mark.timeout(60)
def test_totals_of_every_source_are_summed_a_few_at_each_turn(qtbot, editing, monkeypatch) -> None:
    """On a large plan the totals come in over a few turns of the event loop; a source not yet
    summed shows a dash, never a wrong figure, and an edit meanwhile is not lost."""
    from planstudio.ui.catalog import models

    monkeypatch.setattr(models, "SOURCES_A_STEP", 1)
    monkeypatch.setattr(models, "TOTALS_SLICE_S", 0.0)  # one source a turn
    panel = make_panel(qtbot, FundingSourcesPanel, editing)
    model = panel.model
    # make_panel has let the loop turn; open the plan again to see the first turn alone.
    panel.set_editing(editing)
    assert model.totals_pending()
    # Nothing is summed in the turn that shows the plan (it is full already).
    assert shown(cell(panel, "t1", "Assigned")) == "—"
    QApplication.processEvents()  # the next turn: the first source summed
    assert shown(cell(panel, "t1", "Assigned")) == "$500.30"
    assert shown(cell(panel, "t3", "Assigned")) == "—"
    assert shown(cell(panel, "t3", "Left")) == "—"
    # t2 is not summed yet when a step gets some of it; t1, summed, gets more.
    editing.push(assign("journal", "funding_link", "t2", amount=10))
    editing.push(assign("journal", "funding_link", "t1", amount=1))
    qtbot.waitUntil(lambda: not model.totals_pending())
    assert shown(cell(panel, "t1", "Assigned")) == "$501.30"
    assert shown(cell(panel, "t2", "Assigned")) == "$35.30"
    assert shown(cell(panel, "t3", "Left")) == "$50"
    for source_id, total in queries.funding_totals(editing.document.session).items():
        assert shown(cell(panel, source_id, "Assigned")) == f"${total.assigned:,.2f}".replace(
            ".00", ""
        )
    panel.set_editing(None)
    assert not model.totals_pending()
