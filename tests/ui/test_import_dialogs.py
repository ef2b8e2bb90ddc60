"""File ▸ Import and New Plan for Next Year, driven in the real window."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox

from planstudio.model import PlanDocument
from planstudio.model.interchange import to_interchange
from planstudio.model.rollover import read_origin
from planstudio.ui.import_dialogs import ColumnMappingDialog, RolloverDialog, TextReportDialog
from planstudio.ui.main_window import MainWindow
from tests.importers.test_rollover import _plan
from tests.importers.test_word_state_layout import _state_dip


def _steps(document: dict) -> list[dict]:
    return [
        s for a in document.get("goal_areas", []) for o in a.get("objectives", [])
        for st in o.get("strategies", []) for s in st.get("action_steps", [])
    ]  # fmt: skip


def _csv(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Goal", "Strategy", "Action Step", "Responsible", "Funding", "Room"])
        writer.writerow(["Literacy", "Tutoring", "Hire tutors", "Principal", "Title I; IDEA", "9"])
        writer.writerow(["Literacy", "Tutoring", "Train tutors", "principal", "title i", ""])
    return path


def _press(dialog, which=QDialogButtonBox.StandardButton.Ok) -> None:
    dialog.findChild(QDialogButtonBox).button(which).click()


def test_file_menu_has_the_commands(main_window: MainWindow) -> None:
    names = {
        action.objectName()
        for action in main_window.findChildren(type(main_window.next_year_action))
    }
    assert {"Import From Word Plan", "Import From Spreadsheet", "New Plan for Next Year"} <= names
    file_menu = main_window.menuBar().actions()[0].menu()
    texts = [action.text() for action in file_menu.actions()]
    assert "&Import" in texts and "New Plan for &Next Year…" in texts


def test_import_word_plan_opens_it_with_a_report(main_window: MainWindow, tmp_path, qtbot) -> None:
    main_window.import_commands.import_word_plan(_state_dip(tmp_path / "peach.docx"))
    assert main_window.editing is not None
    assert main_window.editing.document.plan.organization == "Peach County Schools"
    dialog = main_window.import_commands.dialog
    assert isinstance(dialog, TextReportDialog) and dialog.isVisible()
    assert "Budget notes" in dialog.lines.toPlainText()
    assert "2 action steps" in dialog.summary.text()
    saved = tmp_path / "report.txt"
    dialog.save_to(saved)
    assert "Budget notes" in saved.read_text(encoding="utf-8")
    dialog.reject()


def test_a_bad_word_file_is_one_message(main_window: MainWindow, tmp_path, monkeypatch) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    told: list[str] = []
    monkeypatch.setattr(main_window, "tell", told.append)
    main_window.import_commands.import_word_plan(bad)
    assert main_window.editing is None and told == [
        "bad.docx is not a Word document (not a zip file, or a damaged one)"
    ]


def test_spreadsheet_mapping_step_then_new_plan(main_window: MainWindow, tmp_path) -> None:
    main_window.import_commands.import_spreadsheet(_csv(tmp_path / "steps.csv"))
    dialog = main_window.import_commands.dialog
    assert isinstance(dialog, ColumnMappingDialog) and dialog.isVisible()
    assert main_window.editing is None  # nothing is added before the user says so
    assert dialog.columns() == {0: "goal_area", 1: "strategy", 2: "action_step", 3: "roles",
                                4: "funding", 5: "note"}  # fmt: skip
    assert not dialog.add_to_open.isEnabled()
    dialog.set_field("Room", "partnerships")
    _press(dialog)
    assert main_window.editing is not None
    document = to_interchange(main_window.editing.document.plan)
    steps = _steps(document)
    assert [s["text"] for s in steps] == ["Hire tutors", "Train tutors"]
    assert steps[0]["partnerships"] == "9" and len(steps[0]["funding"]) == 2
    assert sorted(r["title"] for r in document["roles"]) == ["Principal"]
    report = main_window.import_commands.dialog
    assert isinstance(report, TextReportDialog)
    report.reject()


def test_spreadsheet_into_the_open_plan_is_one_undo_step(main_window: MainWindow, tmp_path) -> None:
    main_window.set_document(PlanDocument.from_interchange(_plan()))
    editing = main_window.editing
    before = len(_steps(to_interchange(editing.document.plan)))
    main_window.import_commands.import_spreadsheet(_csv(tmp_path / "steps.csv"))
    dialog = main_window.import_commands.dialog
    assert dialog.add_to_open.isChecked()
    _press(dialog)
    after = to_interchange(editing.document.plan)
    assert len(_steps(after)) == before + 2
    # "Literacy" is the plan's own goal area; no second one is made.
    assert [a["title"] for a in after["goal_areas"]] == ["Literacy"]
    assert editing.undo_stack.count() == 1
    assert "Import 2 action steps from steps.csv" in editing.undo_stack.undoText()
    editing.undo_stack.undo()
    assert len(_steps(to_interchange(editing.document.plan))) == before
    main_window.import_commands.dialog.reject()


def test_new_plan_for_next_year(main_window: MainWindow, tmp_path) -> None:
    main_window.set_document(PlanDocument.from_interchange(_plan()))
    main_window.next_year_action.trigger()
    dialog = main_window.import_commands.dialog
    assert isinstance(dialog, RolloverDialog)
    dialog.keep_amounts.setChecked(True)
    _press(dialog)
    windows = [w for w in MainWindow.windows if w is not main_window]
    assert len(windows) == 1
    new = windows[0].editing.document
    assert new.plan.first_year == "2025-26" and new.plan.status == "draft"
    assert read_origin(new.session)["title"] == "Peach County DIP 2024-25 to 2026-27"
    summary = windows[0].import_commands.dialog
    assert isinstance(summary, TextReportDialog) and summary.windowTitle() == "Rollover Summary"
    assert "Carried 2 action steps" in summary.lines.toPlainText()
    assert "Funding amounts and allocations kept" in summary.lines.toPlainText()
    summary.reject()
    # The plan it came from is as it was.
    assert len(_steps(to_interchange(main_window.editing.document.plan))) == 4
