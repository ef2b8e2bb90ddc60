"""The copy that comes back, in the window: compare, merge with conflicts, versions and restore."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document as WordDocument
from PySide6.QtWidgets import QPushButton, QTableWidget

from planstudio.model import DeleteItem, PlanDocument, UpdateItem
from planstudio.model.copies import apply_all
from planstudio.model.diff import compare
from planstudio.model.edits import EditOp
from planstudio.model.rowmap import RowMap
from planstudio.ui.compare_dialog import COLUMNS
from planstudio.ui.main_window import MainWindow
from planstudio.ui.merge_dialog import MergeDialog
from tests.model.helpers import rich_sample

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = tmp_path / "district.psplan"
    with PlanDocument.from_interchange(rich_sample()) as plan:
        plan.author = "Director"
        plan.save_as(path, comment="Approved by the board")
    return path


@pytest.fixture
def ids(base: Path) -> dict[str, list[str]]:
    """Some ids of the base plan: its steps in outline order, and a measure."""
    with PlanDocument.open(base, read_only=True) as plan:
        rows = plan.rows()
    strategy = sorted(rows["strategy"], key=lambda i: _place(rows, "strategy", i))[0]
    steps = sorted((i for i, r in rows["action_step"].items() if r["_parent"] == strategy),
                   key=lambda i: rows["action_step"][i]["_position"])  # fmt: skip
    return {"steps": steps, "measures": sorted(rows["measure"])}


def _place(rows: RowMap, kind: str, item_id: str) -> tuple[int, ...]:
    """An item's position path from the plan down, to find "the first strategy"."""
    parents = {"strategy": "objective", "objective": "goal_area"}
    path: list[int] = []
    while True:
        row = rows[kind][item_id]
        path.insert(0, row["_position"])
        if kind not in parents:
            return tuple(path)
        kind, item_id = parents[kind], row["_parent"]


def _edited_copy(base: Path, name: str, author: str, *operations: EditOp) -> Path:
    copy = base.with_name(name)
    shutil.copyfile(base, copy)
    with PlanDocument.open(copy) as plan:
        plan.author = author
        apply_all(plan, operations)
        plan.save(comment=f"{author}'s edits")
    return copy


def _cells(table: QTableWidget, row: int) -> list[str]:
    items = [table.item(row, column) for column in range(table.columnCount())]
    return [item.text() if item is not None else "" for item in items]


def test_compare_with_a_changed_copy_lists_every_difference_and_goes_to_it(
    main_window: MainWindow, base: Path, ids: dict[str, list[str]], monkeypatch, tmp_path: Path
) -> None:  # fmt: skip
    first, second, third = ids["steps"][:3]
    copy = _edited_copy(base, "ruiz.psplan", "Dr. Ruiz",
                        UpdateItem("action_step", first, {"timeline": "Yearly"}),
                        UpdateItem("action_step", second, {"text": "Train every new teacher in "
                                                           "LETRS by the end of the fall"}),
                        DeleteItem("action_step", third))  # fmt: skip
    window = main_window
    assert window.open_path(base)
    monkeypatch.setattr(window, "ask_plan_path", lambda _caption: str(copy))
    dialog = window.compare_with_file()
    assert dialog is not None

    # Old is the copy, new is the plan as it is now: the copy's edits read backwards.
    with PlanDocument.open(copy, read_only=True) as other:
        expected = compare(other.rows(), window.editing.document.rows())  # type: ignore[union-attr]
    table = dialog.table
    assert table.rowCount() == len(expected) == 3
    assert [table.horizontalHeaderItem(c).text() for c in range(5)] == list(COLUMNS)  # type: ignore[union-attr]
    rows = [_cells(table, row) for row in range(table.rowCount())]
    assert ["1A.1.a", "changed timeline", rows[0][2], '"Yearly"', "(empty)"] == rows[0]
    assert rows[0][2].startswith("Action Step ")
    assert rows[1][1] == "changed text" and rows[1][0] == "1A.1.b"
    assert rows[2][:2] == ["1A.1.c", "added"]  # the step the copy deleted is here
    assert dialog.summary.text().startswith("3 differences from ruiz.psplan to this plan")

    # The long text as a word diff: the words each side has, struck out and underlined.
    table.selectRow(1)
    shown = dialog.detail.toHtml()
    assert "line-through" in shown and "underline" in shown
    assert "every new teacher" in dialog.detail.toPlainText()

    # Each row takes you to its item.
    for row, step in ((2, third), (0, first)):
        table.selectRow(row)
        dialog.go_button.click()
        assert window.current_item() == ("action_step", step)

    # The same comparison as a Changes document.
    out = tmp_path / "changes.docx"
    monkeypatch.setattr(dialog, "ask_changes_path", lambda: str(out))
    assert dialog.export_changes() == out
    text = "\n".join(p.text for p in WordDocument(str(out)).paragraphs)
    cells = [c.text for t in WordDocument(str(out)).tables for r in t.rows for c in r.cells]
    assert "From ruiz.psplan to this plan: 3 changes." in text
    assert "timeline" in cells and '"Yearly"' in cells
    dialog.close()


def test_merge_a_copy_with_conflicts_resolved_theirs_then_mine_and_undo(
    main_window: MainWindow, base: Path, ids: dict[str, list[str]], monkeypatch, qtbot
) -> None:  # fmt: skip
    first, second, _, fourth = ids["steps"][:4]
    measure = ids["measures"][0]
    ortiz = _edited_copy(base, "ortiz.psplan", "Mr. Ortiz",
                         UpdateItem("action_step", first, {"timeline": "Ortiz's timeline"}),
                         UpdateItem("measure", measure, {"student_group": "Ortiz's group"}),
                         DeleteItem("action_step", second),
                         UpdateItem("action_step", fourth, {"status": "completed"}))  # fmt: skip
    window = main_window
    assert window.open_path(base)
    editing = window.editing
    assert editing is not None
    document = editing.document
    editing.push(UpdateItem("action_step", first, {"timeline": "Director's timeline"}))
    editing.push(UpdateItem("action_step", second, {"partnerships": "County library"}))
    editing.push(UpdateItem("measure", measure, {"student_group": "Director's group"}))
    before = document.rows()
    monkeypatch.setattr(window, "ask_plan_path", lambda _caption: str(ortiz))

    def decide_each(choice: str) -> Callable[[MergeDialog], bool]:
        def answer(dialog: MergeDialog) -> bool:
            dialog.show()  # as exec() would, without waiting for a person
            assert dialog.merge.has_common_version
            assert "Merging Mr. Ortiz's copy (ortiz.psplan)" in dialog.summary.text()
            assert "Approved by the board" in dialog.summary.text()
            table = dialog.conflict_table
            found = {(_cells(table, r)[0], _cells(table, r)[2]) for r in range(table.rowCount())}
            assert found == {
                ("1A.1.a", "timeline: changed differently in both copies"),
                ("1A.1.b", "changed here, deleted in the other copy"),
                (dialog.conflicts[[c.kind for c in dialog.conflicts].index("measure")].place,
                 "student group: changed differently in both copies"),
            }  # fmt: skip
            taken = [_cells(dialog.taken_table, r) for r in range(dialog.taken_table.rowCount())]
            assert [row[1] for row in taken] == ["changed status"]
            assert not dialog.merge_button.isEnabled()  # nothing decided yet
            for row, conflict in enumerate(dialog.conflicts):
                table.selectRow(row)
                assert dialog.mine_view.toPlainText() and dialog.theirs_view.toPlainText()
                assert dialog.value_choice.isVisible() == (conflict.what == "field")
                if choice == "mine" and conflict.field == "timeline":
                    dialog.value_choice.click()
                    dialog.value_edit.setPlainText("Agreed timeline")
                else:
                    (dialog.mine_choice if choice == "mine" else dialog.theirs_choice).click()
                assert _cells(table, row)[5] in ("Mine", "Theirs", 'Edited: "Agreed timeline"')
            assert dialog.merge_button.isEnabled()
            dialog.merge_button.click()
            return dialog.result() == dialog.DialogCode.Accepted

        return answer

    # Theirs: their timeline and group, and the step they deleted goes.
    monkeypatch.setattr(window, "ask_merge", decide_each("theirs"))
    assert window.merge_copy()
    after = document.rows()
    assert after["action_step"][first]["timeline"] == "Ortiz's timeline"
    assert after["measure"][measure]["student_group"] == "Ortiz's group"
    assert second not in after["action_step"]
    assert after["action_step"][ids["steps"][3]]["status"] == "completed"
    assert window.undo_action.text() == "&Undo Merge from Mr. Ortiz's copy"
    assert window.tree_model.index_of(second).isValid() is False
    window.undo_action.trigger()  # Ctrl+Z
    assert document.rows() == before

    # Mine, with the timeline typed by hand: my step stays, with my partnership.
    monkeypatch.setattr(window, "ask_merge", decide_each("mine"))
    assert window.merge_copy()
    after = document.rows()
    assert after["action_step"][first]["timeline"] == "Agreed timeline"
    assert after["measure"][measure]["student_group"] == "Director's group"
    assert after["action_step"][second]["partnerships"] == "County library"
    assert after["action_step"][ids["steps"][3]]["status"] == "completed"
    window.undo_action.trigger()
    assert document.rows() == before

    # Redone and saved: the copy's history is shared, so merging it again brings nothing.
    window.redo_action.trigger()
    assert document.rows() == after
    assert window.save()
    assert any(v.comment == "Mr. Ortiz's edits" for v in document.versions())
    assert document.versions()[0].merged_id is not None

    def nothing_left(dialog: MergeDialog) -> bool:
        assert dialog.conflicts == [] and dialog.merge.taken == []
        return True

    monkeypatch.setattr(window, "ask_merge", nothing_left)
    steps = editing.undo_stack.count()
    assert window.merge_copy()
    assert document.rows() == after and editing.undo_stack.count() == steps
    assert window.statusBar().currentMessage().startswith("Nothing to merge")


def test_merge_of_an_unrelated_plan_says_every_difference_is_a_choice(
    main_window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # fmt: skip
    mine, theirs = tmp_path / "mine.psplan", tmp_path / "theirs.psplan"
    for path in (mine, theirs):
        with PlanDocument.from_interchange(rich_sample()) as plan:
            plan.save_as(path)
    with PlanDocument.open(theirs) as plan:
        plan.apply(UpdateItem("role", "role-0", {"title": "Principal"}))
        plan.save()
    window = main_window
    assert window.open_path(mine)
    monkeypatch.setattr(window, "ask_plan_path", lambda _caption: str(theirs))
    seen: list[str] = []

    def cancel(dialog: MergeDialog) -> bool:
        seen.append(dialog.summary.text())
        assert not dialog.merge.has_common_version and dialog.conflicts
        dialog.all_theirs_button.click()
        assert dialog.merge_button.isEnabled()
        return False

    monkeypatch.setattr(window, "ask_merge", cancel)
    before = window.editing.document.rows()  # type: ignore[union-attr]
    assert not window.merge_copy()
    assert "no saved version in common" in seen[0] and "every difference is a choice" in seen[0]
    assert window.editing.document.rows() == before  # type: ignore[union-attr]
    assert not window.editing.undo_stack.canUndo()  # type: ignore[union-attr]


def test_versions_after_two_saves_open_compare_restore_and_undo(
    main_window: MainWindow, base: Path, ids: dict[str, list[str]], monkeypatch, qtbot
) -> None:  # fmt: skip
    first = ids["steps"][0]
    window = main_window
    asked: list[str] = []

    def ask_author(_self: MainWindow, current: str, first_time: bool) -> str:
        asked.append(current)
        assert first_time
        return "Dr. Director"

    monkeypatch.setattr(MainWindow, "ask_author", ask_author)
    assert window.open_path(base)
    editing = window.editing
    assert editing is not None
    document = editing.document
    for number, comment in ((1, "Timeline for the fall"), (2, "")):
        editing.push(UpdateItem("action_step", first, {"timeline": f"Timeline {number}"}))
        monkeypatch.setattr(window, "ask_comment", lambda c=comment: c)
        assert window.save_with_comment()
    assert len(asked) == 1  # asked once, then kept
    from planstudio.model.document import default_author

    assert asked == [default_author()]
    versions = document.versions()
    assert [(v.author, v.comment) for v in versions] == [
        ("Dr. Director", None), ("Dr. Director", "Timeline for the fall"),
        ("Director", "Approved by the board")]  # fmt: skip

    dialog = window.show_versions()
    assert dialog is not None
    listed = [[dialog.list.topLevelItem(r).text(c) for c in range(3)]  # type: ignore[union-attr]
              for r in range(dialog.list.topLevelItemCount())]  # fmt: skip
    assert [row[1:] for row in listed] == [["Dr. Director", ""],
                                           ["Dr. Director", "Timeline for the fall"],
                                           ["Director", "Approved by the board"]]  # fmt: skip
    assert all(len(row[0]) == len("2026-12-02 19:45") for row in listed)

    # Compare the approved plan with the current one.
    dialog.select_version(versions[2].id)
    dialog.compare_button.click()
    compared = window.compare_dialogs[-1]
    assert compared.table.rowCount() == 1
    assert _cells(compared.table, 0)[1] == "changed timeline"
    assert _cells(compared.table, 0)[4] == '"Timeline 2"'
    compared.close()

    # Open it read-only: a window of its own with that version's content.
    dialog.open_button.click()
    shown = MainWindow.windows[-1]
    assert shown is not window and shown.editing is not None
    assert shown.editing.document.read_only
    assert shown.editing.document.working.info()["read_only"]  # not offered after a crash
    assert shown.editing.document.rows() == document.version_rows(versions[2].id)
    assert "by Director" in shown.windowTitle() and "(read-only)" in shown.windowTitle()
    shown.close()

    # Restore the first commented version: one undo step, undone exactly.
    before = document.rows()
    dialog.select_version(versions[1].id)
    dialog.restore_button.click()
    assert document.rows() == document.version_rows(versions[1].id)
    assert document.rows()["action_step"][first]["timeline"] == "Timeline 1"
    assert window.undo_action.text().startswith("&Undo Restore Version of ")
    window.undo_action.trigger()
    assert document.rows() == before

    # A save while the list is open shows the new version at its top.
    monkeypatch.setattr(window, "ask_comment", lambda: "After the review")
    editing.push(UpdateItem("action_step", first, {"timeline": "Timeline 3"}))
    assert window.save_with_comment()
    assert dialog.list.topLevelItemCount() == 4
    assert dialog.list.topLevelItem(0).text(2) == "After the review"  # type: ignore[union-attr]

    # The name can be changed later, from the same dialog; it goes on the next save.
    monkeypatch.setattr(MainWindow, "ask_author", lambda _self, current, first_time: "Dr. Ruiz")
    dialog.findChild(QPushButton, "change_author").click()
    assert "Dr. Ruiz" in dialog.author_label.text() and document.author == "Dr. Ruiz"
    editing.push(UpdateItem("action_step", first, {"timeline": "Timeline 4"}))
    assert window.save()
    assert document.versions()[0].author == "Dr. Ruiz"

    # The list belongs to the plan: closing the plan closes it.
    assert window.close_document()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.versions_dialog is None


def test_a_file_that_is_not_a_plan_is_refused_in_one_line(
    main_window: MainWindow, base: Path, tmp_path: Path, monkeypatch
) -> None:  # fmt: skip
    window = main_window
    assert window.open_path(base)
    before = window.editing.document.rows()  # type: ignore[union-attr]
    junk = tmp_path / "copy.psplan"
    junk.write_bytes(b"SQLite format 3\x00 but not really" * 40)
    told: list[str] = []
    monkeypatch.setattr(window, "tell", told.append)
    monkeypatch.setattr(window, "ask_plan_path", lambda _caption: str(junk))
    assert window.compare_with_file() is None
    assert not window.merge_copy()
    assert len(told) == 2 and all("\n" not in message and message for message in told)
    assert window.editing.document.rows() == before  # type: ignore[union-attr]
    assert not window.editing.undo_stack.canUndo()  # type: ignore[union-attr]


def test_a_step_moved_to_two_places_shows_both_places_and_takes_no_typed_value(
    qtbot, base: Path, ids: dict[str, list[str]]
) -> None:  # fmt: skip
    from planstudio.model import MoveItem
    from planstudio.model.copies import prepare_merge

    step = ids["steps"][0]
    with PlanDocument.open(base, read_only=True) as plan:
        rows = plan.rows()
    strategies = [s for s in rows["strategy"] if s != rows["action_step"][step]["_parent"]][:2]
    titles = [rows["strategy"][s]["text"] for s in strategies]
    moved_there = MoveItem("action_step", step, strategies[1], 0)
    theirs = _edited_copy(base, "theirs.psplan", "Ms. Chen", moved_there)
    with PlanDocument.open(base) as mine:
        mine.apply(MoveItem("action_step", step, strategies[0], 0))
        prepared = prepare_merge(mine, theirs)
    dialog = MergeDialog(prepared, "Ms. Chen", None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert [c.what for c in dialog.conflicts] == ["moved"]
    dialog.conflict_table.selectRow(0)
    mine_text, theirs_text = dialog.mine_view.toPlainText(), dialog.theirs_view.toPlainText()
    assert mine_text.startswith("under Strategy ") and titles[0][:20] in mine_text
    assert theirs_text.startswith("under Strategy ") and titles[1][:20] in theirs_text
    assert not dialog.value_choice.isVisible()
    dialog.theirs_choice.click()
    assert dialog.merge_button.isEnabled()
    assert prepared.merge.result()["action_step"][step]["_parent"] == strategies[1]
