"""Spelling in the window: unknown words underlined as typed, corrected from the menu."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu

from planstudio.model import UpdateItem
from planstudio.ui.widgets import spelling


def _underlined(edit: Any) -> list[str]:
    """The words the highlighter underlined in the first paragraph of a text field."""
    block = edit.document().firstBlock()
    text = block.text()
    return [
        text[r.start : r.start + r.length]
        for r in block.layout().formats()
        if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    ]


def test_a_misspelled_word_is_underlined_and_corrected_from_the_menu(
    main_window: Any, qtbot: Any
) -> None:
    spelling.speller.cache_clear()  # this test's data folder, for the user's dictionary
    spelling.speller().load()
    main_window.open_sample("durham-strategic-plan.json")
    editing = main_window.editing
    objective = editing.plan.goal_areas[0].objectives[0]
    main_window.select(objective.id)
    edit = main_window.editor.current_field_widget("statement")
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Students recieve tutoring from Okonkwo")
    qtbot.waitUntil(lambda: _underlined(edit) == ["recieve", "Okonkwo"], timeout=3000)
    editing.end_typing()  # as the menu taking the focus from the field does

    cursor = edit.textCursor()
    cursor.setPosition(len("Students rec"))
    menu = QMenu()
    offered = spelling.add_spelling_actions(edit, menu, cursor)
    assert offered[0] == "receive"
    texts = [action.text() for action in menu.actions()]
    assert texts[-1] == "Add “recieve” to Dictionary"
    menu.actions()[0].trigger()
    assert objective.statement == "Students receive tutoring from Okonkwo"
    editing.end_typing()
    editing.undo_stack.undo()  # the correction is an edit like any other
    assert objective.statement == "Students recieve tutoring from Okonkwo"
    editing.undo_stack.redo()

    cursor.setPosition(len("Students receive tutoring from Oko"), QTextCursor.MoveMode.MoveAnchor)
    menu = QMenu()
    spelling.add_spelling_actions(edit, menu, cursor)
    add = next(a for a in menu.actions() if a.text().startswith("Add “Okonkwo”"))
    add.trigger()
    qtbot.waitUntil(lambda: _underlined(edit) == [], timeout=3000)
    # A word the dictionaries know offers nothing.
    cursor.setPosition(2)
    assert spelling.add_spelling_actions(edit, QMenu(), cursor) == []
    editing.push(UpdateItem("objective", objective.id, {"statement": "Fine words"}))


def test_a_misspelled_word_in_a_one_line_field_is_marked_and_corrected(
    main_window: Any, qtbot: Any
) -> None:
    spelling.speller.cache_clear()  # this test's data folder, for the user's dictionary
    spelling.speller().load()
    main_window.open_sample("durham-strategic-plan.json")
    editing = main_window.editing
    goal = editing.plan.goal_areas[0]
    main_window.select(goal.id)
    edit = main_window.editor.current_field_widget("title")
    assert isinstance(edit, spelling.SpellLineEdit)
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Attendence for every Okonkwo student")
    qtbot.waitUntil(lambda: [w for _, w in edit.misspelled] == ["Attendence", "Okonkwo"],
                    timeout=3000)  # fmt: skip
    edit.grab()  # the squiggle is drawn without complaint
    editing.end_typing()  # as the menu taking the focus from the field does

    menu = QMenu()
    offered = edit.add_spelling_actions(menu, len("Atten"))
    assert offered[0] == "Attendance"
    texts = [action.text() for action in menu.actions()]
    assert texts[len(offered)] == "Add “Attendence” to Dictionary"
    menu.actions()[0].trigger()
    assert goal.title == "Attendance for every Okonkwo student"
    editing.end_typing()
    editing.undo_stack.undo()  # the correction is an edit like any other
    assert goal.title == "Attendence for every Okonkwo student"
    editing.undo_stack.redo()

    menu = QMenu()
    edit.add_spelling_actions(menu, len("Attendance for every Oko"))
    add = next(a for a in menu.actions() if a.text().startswith("Add “Okonkwo”"))
    add.trigger()
    qtbot.waitUntil(lambda: edit.misspelled == [], timeout=3000)
    assert edit.add_spelling_actions(QMenu(), 2) == []  # a known word offers nothing
    # Numbers and years are not words: those fields are plain.
    main_window.show_properties()
    assert not isinstance(main_window.editor.current_field_widget("first_year"),
                          spelling.SpellLineEdit)  # fmt: skip


def test_the_dictionaries_are_read_a_step_a_turn_after_a_plan_opens(
    main_window: Any, qtbot: Any
) -> None:
    spelling.speller.cache_clear()
    main_window.open_sample("durham-strategic-plan.json")
    assert not spelling.speller().loaded  # not while the plan is being shown
    qtbot.waitUntil(lambda: spelling.speller().loaded, timeout=10000)
    assert spelling.speller().misspelled("Students recieve tutoring") == [(9, "recieve")]
