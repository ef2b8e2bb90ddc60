"""The window's step-wise work shares one budget per turn of the event loop.

A problems check slice, a dictionary step and a step of showing a plan, each within its
own slice, together held a 10,000-step plan's window 40-60 ms in one turn.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from planstudio.model import PlanDocument
from planstudio.ui import problems_panel, tree, turns
from tests.model.test_checks import complete_document

pytestmark = pytest.mark.timeout(60)


def test_work_counted_in_a_turn_leaves_the_rest_of_it_to_the_next(qapp: Any) -> None:
    qapp.processEvents()  # a turn begins
    assert turns.allowance(turns.TURN_S) is not None
    with turns.counted():
        time.sleep(turns.TURN_S)  # one job spends the whole turn
    assert turns.allowance(turns.TURN_S) is None  # a second job in that turn waits
    assert turns.allowance(0.0) is None
    qapp.processEvents()  # the next turn
    assert turns.allowance(turns.TURN_S) is not None


def test_the_windows_own_repaint_counts_in_the_turn(qapp: Any, main_window: Any) -> None:
    """Qt repaints a window in the turn, just before the timers fire: uncounted, a check
    slice then ran its whole budget after a 10-16 ms repaint of a 10,000-step plan."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtGui import QPaintEvent
    from PySide6.QtWidgets import QLabel

    class SlowToPaint(QLabel):
        painted = False

        def paintEvent(self, event: QPaintEvent) -> None:
            self.painted = True
            time.sleep(turns.TURN_S)
            super().paintEvent(event)

    slow = SlowToPaint("a view as slow to paint as a large plan's", main_window)
    slow.setGeometry(0, 0, 300, 30)
    slow.show()
    while not slow.painted:  # shown and painted
        qapp.processEvents()
    slow.painted = False
    qapp.processEvents()  # a turn with nothing to paint
    assert turns.allowance(turns.TURN_S) is not None
    slow.update()
    assert turns.allowance(turns.TURN_S) is not None  # asking for a repaint costs nothing
    # As the event loop does: the window's update request repaints what waits, at once.
    QCoreApplication.sendEvent(main_window, QEvent(QEvent.Type.UpdateRequest))
    assert slow.painted
    assert turns.allowance(0.0) is None  # the repaint has spent this turn
    qapp.processEvents()  # the next turn
    assert turns.allowance(turns.TURN_S) is not None


def test_work_left_for_later_turns_runs_to_its_end(qtbot: Any) -> None:
    done: list[int] = []

    def steps() -> Any:
        for n in range(5):
            done.append(n)
            yield

    turns.in_later_turns(steps())
    assert done == []  # not in this turn
    qtbot.waitUntil(lambda: done == [0, 1, 2, 3, 4], timeout=5000)


def _many_problems() -> dict[str, Any]:
    document = complete_document("ga-dip")
    area = document["goal_areas"][0]
    area["goal"] = ""
    # Copies of the area, each lacking its goal: a problem each.
    for n in range(12):
        copy = {**area, "id": f"area-{n}", "objectives": []}
        document["goal_areas"].append(copy)
    return document


def test_a_long_list_of_problems_is_filled_over_several_turns(
    qtbot: Any, qapp: Any, main_window: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(problems_panel, "ROWS_A_TURN", 3)
    main_window.set_document(PlanDocument.from_interchange(_many_problems()))
    panel = main_window.problems
    qtbot.waitUntil(lambda: panel.checker is not None and not panel.busy, timeout=10000)
    count = panel.count
    assert count > 6
    assert panel.list.count() < count and panel.filling  # the first rows only, at first
    qtbot.waitUntil(lambda: not panel.filling, timeout=5000)
    assert panel.list.count() == count
    rows = [panel.list.item(row).text() for row in range(count)]
    assert rows == [f"{f.place}\n{f.message}" for f in panel.findings]  # in plan order


def test_the_outline_of_a_plan_opened_is_built_on_the_opening_worker(
    qtbot: Any, main_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    import threading

    path = tmp_path / "opened.psplan"
    with PlanDocument.from_interchange(complete_document()) as document:
        document.save_as(path)
    built_on: list[threading.Thread] = []
    original = tree.outline_of

    def noting(plan: Any) -> Any:
        built_on.append(threading.current_thread())
        return original(plan)

    monkeypatch.setattr(tree, "outline_of", noting)
    assert main_window.open_path(path)
    assert built_on and threading.main_thread() not in built_on  # built once, off the window
    editing = main_window.editing
    model = main_window.tree_model
    assert model.rowCount() == len(editing.plan.goal_areas)
    area = model.index(0, 0)
    assert model.data(area, tree.ID_ROLE) == editing.plan.goal_areas[0].id
    assert model.rowCount(area) == len(editing.plan.goal_areas[0].objectives)
