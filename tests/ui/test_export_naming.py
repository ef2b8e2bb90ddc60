"""Export that never surprises: names that say the layout, a question before replacing a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLabel

from planstudio.model import PlanDocument, UpdateItem
from planstudio.ui import export_dialog
from planstudio.ui.editing import PlanEditing
from planstudio.ui.export_dialog import ExportDialog, default_as_of, export_file_name


class _Plan:
    def __init__(self, organization: str | None, first: str | None, last: str | None) -> None:
        self.organization, self.title = organization, "District Improvement Plan"
        self.first_year, self.last_year = first, last


def test_the_proposed_name_says_the_layout_and_the_reports_date() -> None:
    plan = _Plan("Clayton County", "2024-25", "2028-29")
    assert export_file_name(plan, "ga-dip", "pdf") == "Clayton County - Georgia DIP.pdf"
    assert (
        export_file_name(plan, "strategic-plan", "docx") == "Clayton County - Strategic Plan.docx"
    )
    report = export_file_name(plan, "progress-report", "pdf", dt.date(2026, 12, 2))
    assert report == "Clayton County - Progress Report 2026-12-02.pdf"
    odd = _Plan('Fulton: "North/South"', None, None)
    assert export_file_name(odd, "ga-dip", "pdf") == "Fulton North South - Georgia DIP.pdf"


def test_as_of_is_today_within_the_plans_years_and_its_last_june_otherwise() -> None:
    today = dt.date(2026, 12, 2)
    assert default_as_of(_Plan("X", "2021-22", "2021-22"), today) == dt.date(2022, 6, 30)
    assert default_as_of(_Plan("X", "2024-25", "2028-29"), today) == today
    assert default_as_of(_Plan("X", None, None), today) == today


@pytest.fixture
def editing(qapp: Any) -> Any:
    document = PlanDocument.new(layout="ga-dip")
    editing = PlanEditing(document)
    editing.push(
        UpdateItem("plan", document.plan.id, {"organization": "Clayton County",
                                              "first_year": "2021-22", "last_year": "2021-22"})
    )  # fmt: skip
    yield editing
    document.close()


def test_the_dialog_follows_the_layout_and_keeps_a_typed_name(editing: Any, tmp_path: Path) -> None:
    dialog = ExportDialog(editing)
    assert Path(dialog.path_edit.text()).name == "Clayton County - Georgia DIP.docx"
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("pdf"))
    assert Path(dialog.path_edit.text()).name == "Clayton County - Georgia DIP.pdf"
    dialog.layout_box.setCurrentIndex(dialog.layout_box.findData("progress-report"))
    # A 2021-22 plan reports as of the end of its year, not as of today.
    assert dialog.as_of_edit.date() == QDate(2022, 6, 30)
    name = Path(dialog.path_edit.text()).name
    assert name == "Clayton County - Progress Report 2022-06-30.pdf"
    dialog.path_edit.setText(str(tmp_path / "board packet.pdf"))
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("docx"))
    assert dialog.path_edit.text() == str(tmp_path / "board packet.docx")
    # The label names its field, so its "&" is a shortcut, not a character shown.
    labels = [label for label in dialog.findChildren(QLabel) if label.text() == "&Save to"]
    assert labels and labels[0].buddy() is dialog.path_edit
    dialog.deleteLater()


def test_an_export_asks_before_replacing_and_the_folder_is_remembered(
    main_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    main_window.open_sample("durham-strategic-plan.json")
    monkeypatch.setattr(main_window, "ask_export_with_problems", lambda count: "export")
    out = tmp_path / "kept.docx"
    out.write_bytes(b"the previous export")
    asked: list[Path] = []

    def answer(dialog: ExportDialog) -> bool:
        dialog.path_edit.setText(str(out))
        return True

    monkeypatch.setattr(main_window, "ask_export", answer)
    monkeypatch.setattr(main_window, "ask_replace_export", lambda path: asked.append(path) or False)
    main_window.export()
    assert asked == [out] and out.read_bytes() == b"the previous export"

    opened: list[Path] = []
    monkeypatch.setattr(main_window, "ask_replace_export", lambda path: True)
    monkeypatch.setattr(main_window, "open_exported", opened.append)
    main_window.export()
    assert out.read_bytes()[:2] == b"PK" and opened == [out]
    # The next export proposes the folder of this one.
    dialog = ExportDialog(main_window.editing, main_window)
    assert Path(dialog.path_edit.text()).parent == tmp_path
    dialog.deleteLater()


def test_open_when_done_says_so_when_nothing_opens_the_file(
    main_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    told: list[str] = []
    monkeypatch.setattr(export_dialog, "open_file", lambda path: False)
    monkeypatch.setattr(main_window, "tell", told.append)
    main_window.open_exported(tmp_path / "Durham - Strategic Plan.pdf")
    assert told and "no program on this computer opened it" in told[0]
