"""A whole problems check runs in slices: the window turns meanwhile, and an edit restarts it."""

from __future__ import annotations

import time
from typing import Any

from planstudio.model import AddItem, PlanDocument, UpdateItem
from planstudio.model.checks import Checker, run_checks
from planstudio.ui import problems_panel
from planstudio.ui.main_window import MainWindow
from tests.model.test_checks import complete_document


def turns_checking(qapp: Any, panel: problems_panel.ProblemsPanel, timeout: float = 5.0) -> int:
    """Turn the event loop until a whole check has started and ended; how many turns it took."""
    deadline = time.monotonic() + timeout
    while not panel.busy:
        assert time.monotonic() < deadline, "no whole check started"
        qapp.processEvents()
    turns = 0
    while panel.busy:
        assert time.monotonic() < deadline, "the whole check did not end"
        qapp.processEvents()
        turns += 1
    return turns


def _lacking(layout: str) -> dict[str, Any]:
    document = complete_document(layout)
    document["goal_areas"][0]["goal"] = ""
    return document


def test_the_first_check_after_opening_runs_in_slices(
    qtbot, qapp, main_window: MainWindow, monkeypatch
) -> None:
    monkeypatch.setattr(problems_panel, "SLICE_S", 0.0)  # one step a turn: many turns
    main_window.set_document(PlanDocument.from_interchange(_lacking("ga-dip")))
    panel = main_window.problems
    turns = turns_checking(qapp, panel)
    assert turns > 3, "a whole check should take several turns of the event loop"
    assert panel.checker is not None
    assert [f.rule for f in panel.findings] == ["dip-goal"]
    assert main_window.problem_count.text() == "1 problem"


def test_an_edit_during_a_sliced_check_starts_it_again(
    qtbot, qapp, main_window: MainWindow, monkeypatch
) -> None:
    monkeypatch.setattr(problems_panel, "SLICE_S", 0.0)
    main_window.set_document(PlanDocument.from_interchange(complete_document("ga-dip")))
    panel = main_window.problems
    editing = main_window.editing
    assert editing is not None
    turns_checking(qapp, panel)
    panel.recheck_soon()
    assert panel.busy
    editing.push(UpdateItem("goal_area", "lit", {"goal": None}))
    assert not panel.busy  # what was being checked is gone; checked again after the pause
    qtbot.waitUntil(lambda: panel.list.count() == 1 and not panel.busy, timeout=5000)
    editing.push(AddItem("strategy", "read", {"text": "Renumbers the places"}))
    # A change that renumbers places is checked whole again, in slices too.
    assert turns_checking(qapp, panel) > 3
    assert [f.rule for f in panel.findings] == [f.rule for f in run_checks(editing.plan, "ga-dip")]


def test_the_export_count_equals_a_whole_check(qtbot, main_window: MainWindow) -> None:
    main_window.set_document(PlanDocument.from_interchange(_lacking("ga-dip")))
    editing = main_window.editing
    assert editing is not None
    for layout in ("ga-dip", "strategic-plan"):
        assert main_window.problems.count_for(layout) == len(run_checks(editing.plan, layout))


def test_run_in_steps_finds_what_run_finds() -> None:
    with PlanDocument.from_interchange(_lacking("ga-dip")) as document:
        whole = Checker(document.plan, "ga-dip").run()
        stepped = Checker(document.plan, "ga-dip")
        shares = list(stepped.run_in_steps())
        assert shares == sorted(shares) and shares[-1] >= 1.0
        assert stepped.findings == whole and whole
