"""The funding summary: totals worked out by hand, the same as the exports' appendix."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from planstudio.export.document import Grid
from planstudio.export.layouts import strategic_plan
from planstudio.model import PlanDocument, UpdateItem, assign
from planstudio.model.formatting import money_or_blank as money
from planstudio.model.interchange import dumps
from planstudio.model.queries import funding_totals
from planstudio.model.reading import funding_summary
from planstudio.ui.main_window import MainWindow
from tests.model.test_queries import catalog_document

# Worked out by hand from catalog_document():
#   t1 (allocation 1,000): train 400 + 100.10, coach (no amount), call 0.20
#   t2 (no allocation):    coach 25.20, tutor 0.10
#   t3 (allocation 50):    nothing
# Goal areas: lit holds train, coach, tutor (and journal); attend holds call.
EXPECTED = {
    "t1": (1000, 500.30, 499.70, 3, {"lit": 500.10, "attend": 0.20}),
    "t2": (None, 25.30, None, 2, {"lit": 25.30}),
    "t3": (50, 0.0, 50.0, 0, {}),
}


@pytest.fixture
def document():
    with PlanDocument.from_interchange(catalog_document()) as opened:
        yield opened


def test_the_totals_are_the_ones_worked_out_by_hand(document: PlanDocument) -> None:
    sources, total = funding_summary(document)
    got = {
        s.source_id: (s.allocation, s.assigned, s.balance, s.step_count, s.by_area) for s in sources
    }
    assert got == EXPECTED
    assert [s.source_id for s in sources] == ["t1", "t2", "t3"]
    assert sources[0].steps == {"train", "coach", "call"}
    assert sources[0].steps_by_area == {"lit": {"train", "coach"}, "attend": {"call"}}
    # Total: one allocation unknown, so no total allocation; each step counted once.
    assert (total.allocation, total.assigned, total.balance) == (None, 525.60, None)
    assert total.steps == {"train", "coach", "call", "tutor"}
    assert total.by_area == {"lit": 525.40, "attend": 0.20}

    # The catalog panel's query agrees.
    for source_id, totals in funding_totals(document.session).items():
        allocation, assigned, balance, steps, _areas = EXPECTED[source_id]
        assert (totals.allocation, totals.assigned, totals.balance, totals.steps) == (
            allocation, assigned, balance, steps,
        )  # fmt: skip


def _appendix(document: PlanDocument) -> Grid:
    built = strategic_plan.build(document.snapshot(), dt.date(2025, 1, 1))
    return next(
        block for block in built.blocks
        if isinstance(block, Grid) and block.header[0] == "Funding Source"
    )  # fmt: skip


def _cell(cell: Any) -> str:
    return " ".join(str(getattr(line, "text", line)) for line in cell)


def test_the_export_appendix_prints_the_same_numbers(document: PlanDocument) -> None:
    sources, total = funding_summary(document)
    grid = _appendix(document)
    printed = [
        tuple(_cell(row[i]) for i in (0, 3, 4, 5, 6)) for row in grid.rows
    ]  # name, allocation, assigned, difference, steps
    shown = [
        (s.name, money(s.allocation), money(s.assigned), money(s.balance), str(s.step_count))
        for s in [*sources, total]
    ]
    assert printed == shown
    assert printed[0] == ("Title I, Part A", "$1,000", "$500.30", "$499.70", "3")


def test_the_dump_is_unaffected_by_the_summary(document: PlanDocument) -> None:
    before = dumps(document.plan)
    funding_summary(document)
    assert dumps(document.plan) == before


@pytest.fixture
def window(main_window: MainWindow) -> MainWindow:
    main_window.set_document(PlanDocument.from_interchange(catalog_document()))
    return main_window


def test_the_window_view_lists_the_steps_behind_a_number_and_goes_there(
    qtbot, window: MainWindow
) -> None:
    window.funding_summary_action.trigger()
    dialog = window.funding_summary
    table = dialog.table
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == [
        "Funding Source", "Allocation", "Assigned", "Balance", "Action Steps",
        "1. Literacy", "2. Attendance",
    ]  # fmt: skip
    assert [table.item(0, c).text() for c in range(7)] == [
        "Title I, Part A", "$1,000", "$500.30", "$499.70", "3", "$500.10", "$0.20",
    ]  # fmt: skip
    assert [table.item(3, c).text() for c in range(5)] == ["Total", "", "$525.60", "", "4"]

    table.setCurrentCell(0, 4)  # Title I's step count
    listed = [dialog.steps.item(r).text().split()[0] for r in range(dialog.steps.count())]
    assert listed == ["1A.1.a", "1A.1.b", "2A.1.a"]
    assert dialog.steps_label.text() == "3 action steps; double-click one to go to it."
    table.setCurrentCell(0, 6)  # Title I in Attendance
    assert dialog.steps.count() == 1
    assert dialog.steps_label.text() == "1 action step; double-click one to go to it."
    dialog.steps.setCurrentRow(0)
    dialog.steps.itemActivated.emit(dialog.steps.item(0))
    assert window.current_item() == ("action_step", "call")

    # An edit changes the table while it is open.
    editing = window.editing
    assert editing is not None
    editing.push(assign("journal", "funding_link", "t3", amount=75))
    assert [table.item(2, c).text() for c in range(5)] == [
        "Local General Fund", "$50", "$75", "-$25", "1",
    ]  # fmt: skip
    editing.push(UpdateItem("funding_source", "t3", {"allocation": 80}))
    assert table.item(2, 3).text() == "$5"
    dialog.close()
