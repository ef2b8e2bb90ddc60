"""The small things: fields read from their start, Word's line breaks kept, the chart's units."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QLineEdit

from planstudio.model import UpdateItem
from planstudio.ui.widgets.fields import GrowingTextEdit
from planstudio.ui.widgets.measure_chart import MeasureChart


def test_a_long_one_line_field_shows_the_start_of_its_text(main_window: Any) -> None:
    main_window.open_sample("durham-strategic-plan.json")
    main_window.show_properties()
    form = main_window.editor._forms["plan"]
    title = form.widgets["title"]
    assert isinstance(title, QLineEdit)
    long_title = "Durham Public Schools Strategic Plan, 2018-19 to 2022-23, as adopted " * 3
    main_window.editing.push(UpdateItem("plan", main_window.editing.plan.id, {"title": long_title}))
    main_window.tree.setCurrentIndex(main_window.filter_model.index(0, 0))
    main_window.show_properties()  # shown again, as when the user comes back to it
    assert title.text().strip() == long_title.strip()
    assert title.cursorPosition() == 0


def test_a_vertical_tab_or_form_feed_pasted_from_word_is_a_line_break(qtbot: Any) -> None:
    edit = GrowingTextEdit()
    qtbot.addWidget(edit)
    data = QMimeData()
    data.setText("Coach K-2 teachers\vMonthly\fReview\r\nagain")
    edit.insertFromMimeData(data)
    assert edit.toPlainText() == "Coach K-2 teachers\nMonthly\nReview\nagain"


def test_the_chart_says_its_unit(qtbot: Any) -> None:
    chart = MeasureChart()
    qtbot.addWidget(chart)
    chart.set_data(["2024-25", "2028-29"], ("2023-24", 40.0), {"2028-29": 80.0}, {}, unit="percent")
    assert "Target 2028-29: 80%" in chart.toolTip() and "Baseline 2023-24: 40%" in chart.toolTip()
    assert chart._ticks() == ["40%", "80%"]
    chart.set_data(["2024-25"], None, {"2024-25": 1250.0}, {}, unit="dollars")
    assert chart._ticks() == ["$1,250", "$1,250"]
    chart.resize(320, 160)
    chart.grab()  # paints with the year labels kept inside the chart
