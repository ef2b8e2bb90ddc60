"""Opening a plan: the outline is shown at once, the rest in short steps after the first paint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt


@pytest.mark.timeout(60)
def test_the_panels_first_item_and_second_level_follow_the_first_paint(
    main_window: Any, qtbot: Any
) -> None:
    main_window.open_sample("durham-strategic-plan.json")
    editing = main_window.editing
    assert main_window.tree_model.rowCount() == len(editing.plan.goal_areas)
    assert main_window.panels[0].editing is None  # not yet: a turn of the event loop later
    assert main_window.editor.shown_id is None

    def shown() -> bool:
        model = main_window.filter_model
        areas = [model.index(row, 0) for row in range(model.rowCount())]
        return (
            all(panel.editing is editing for panel in main_window.panels)
            and main_window.editor.shown_id == editing.plan.goal_areas[0].id
            and all(main_window.tree.isExpanded(area) for area in areas)
        )

    qtbot.waitUntil(shown, timeout=5000)


def test_what_the_user_chose_first_is_kept(main_window: Any, qtbot: Any) -> None:
    main_window.open_sample("durham-strategic-plan.json")
    main_window.show_properties()  # before the first item is shown
    qtbot.waitUntil(lambda: main_window.panels[2].editing is not None, timeout=5000)
    assert main_window.editor.shown_id == main_window.editing.plan.id


def test_an_edit_at_once_finds_every_view_ready(main_window: Any) -> None:
    from planstudio.model import AddItem

    main_window.open_sample("durham-strategic-plan.json")
    editing = main_window.editing
    editing.push(AddItem("role", editing.plan.id, {"title": "Chief of Staff"}))
    roles = main_window.panels[1]
    assert roles.editing is editing
    titles = [roles.model.entry(row).title for row in range(roles.model.rowCount())]
    assert "Chief of Staff" in titles


@pytest.mark.timeout(60)
def test_the_first_items_form_is_built_a_turn_before_it_is_filled(
    main_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Building a form and filling it in one turn held the window 25-50 ms at 10,000 steps.
    from planstudio.ui.editors import pane

    built: list[str] = []
    steps: list[tuple[str, bool]] = []
    real_form = pane.EditorPane._form
    real_show = pane.EditorPane.show_item

    def form(self: Any, kind: str) -> Any:
        if kind not in self._forms:
            built.append(kind)
        return real_form(self, kind)

    def show_item(self: Any, kind: str | None, item_id: str | None) -> None:
        steps.append((kind or "", kind in self._forms))  # (kind, its form already built)
        real_show(self, kind, item_id)

    monkeypatch.setattr(pane.EditorPane, "_form", form)
    monkeypatch.setattr(pane.EditorPane, "show_item", show_item)
    main_window.open_sample("durham-strategic-plan.json")
    first_area = main_window.editing.plan.goal_areas[0].id
    qtbot.waitUntil(lambda: main_window.editor.shown_id == first_area, timeout=5000)

    assert built[0] == "goal_area"
    assert steps[0] == ("goal_area", True)


def _saved_plan(tmp_path: Path) -> Path:
    from planstudio.model import PlanDocument
    from tests.model.test_checks import complete_document

    path = tmp_path / "opened.psplan"
    with PlanDocument.from_interchange(complete_document()) as document:
        document.save_as(path)
    return path


@pytest.mark.timeout(60)
def test_a_plan_opened_is_named_among_the_recent_files_after_the_first_paint(
    main_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    # A settings write in the turn that shows the plan held a 10,000-step plan's window 2 ms.
    from planstudio.ui.file_commands import recent_files

    path = _saved_plan(tmp_path)
    assert main_window.open_path(path)
    assert str(path) not in recent_files()  # not in the turn that shows the plan
    qtbot.waitUntil(lambda: not main_window._opening, timeout=5000)
    assert recent_files()[0] == str(path)


def test_a_plan_closed_at_once_is_still_among_the_recent_files(
    main_window: Any, tmp_path: Path
) -> None:
    from planstudio.ui.file_commands import recent_files

    path = _saved_plan(tmp_path)
    assert main_window.open_path(path)
    assert main_window.close_document()  # before the steps of showing it have run
    assert recent_files()[0] == str(path)
    recent = main_window.start_page.recent  # the start page lists it
    assert recent.item(0).data(Qt.ItemDataRole.UserRole) == str(path)


def test_the_side_panels_tabs_are_named_for_screen_readers(main_window: Any, qtbot: Any) -> None:
    from PySide6.QtWidgets import QTabBar

    main_window.open_sample("durham-strategic-plan.json")
    bars = [bar for bar in main_window.findChildren(QTabBar) if bar.isVisible()]
    assert bars  # the three catalog panels share one place, as tabs
    assert all(bar.accessibleName() == "Side panels" for bar in bars)
