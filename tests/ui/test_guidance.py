"""The window shows a first-time user the way, in the plan's own level names."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from planstudio.model import UpdateItem
from planstudio.ui.outline_guide import outline_menu

# The Charlotte-Mecklenburg annual plan calls its levels so.
CMS_LEVELS = ["Pillar", "Priority", "Strategy", "Key Lever"]


def _texts(actions: Any) -> list[str]:
    return [action.text().replace("&", "") for action in actions if not action.isSeparator()]


def _rename_levels(window: Any) -> None:
    editing = window.editing
    editing.push(UpdateItem("plan", editing.plan.id, {"level_labels": CMS_LEVELS}))


def test_an_empty_plan_says_what_to_add_first_and_the_button_adds_it(main_window: Any) -> None:
    main_window.new_plan("ga-dip")
    guide = main_window.outline_guide
    assert guide.isVisible() and not main_window.tree.isVisible()
    assert guide.button.text() == "Add the first Overarching Need"
    assert "Ctrl+Shift+N" in guide.shortcut.text()
    _rename_levels(main_window)
    assert guide.button.text() == "Add the first Pillar"
    assert "no Pillar yet" in guide.message.text()

    guide.button.click()
    QApplication.processEvents()
    plan = main_window.editing.plan
    assert [area.title for area in plan.goal_areas] == ["New pillar"]
    assert main_window.tree.isVisible() and not guide.isVisible()
    main_window.tree.closePersistentEditor(main_window.tree.currentIndex())


def test_the_toolbar_has_the_common_commands_in_the_plans_words(main_window: Any) -> None:
    main_window.new_plan(None)
    _rename_levels(main_window)
    main_window.add_child()
    QApplication.processEvents()
    texts = _texts(main_window.toolbar.actions())
    assert texts[:3] == ["New Blank Plan", "Open…", "Save"]
    assert texts[3].startswith("Undo") and texts[4].startswith("Redo")
    assert "Add Pillar" in texts and "Add Priority Beneath" in texts
    # With no row selected, only the first level can be added: the toolbar says it once.
    main_window.show_properties()
    shown = [a.text().replace("&", "") for a in main_window.toolbar.actions() if a.isVisible()]
    assert shown.count("Add Pillar") == 1 and "Add Priority Beneath" not in shown
    assert "Export…" in texts and "Check" in texts


def test_the_outline_menu_offers_the_commands_for_the_row(main_window: Any, qtbot: Any) -> None:
    main_window.open_sample("durham-strategic-plan.json")
    tree = main_window.tree
    tree.expandAll()
    first_row = tree.visualRect(tree.model().index(0, 0)).center()
    menu = outline_menu(main_window, first_row)
    texts = _texts(menu.actions())
    labels = main_window.editing.plan.labels
    for wanted in (f"Add {labels[0]}", f"Add {labels[1]} Beneath", "Rename", "Delete",
                   "Move Up", "Move Down", "Cut", "Copy", "Paste", "Expand Everything Below",
                   "Expand All"):  # fmt: skip
        assert wanted in texts, texts
    menu.deleteLater()
    below = outline_menu(main_window, QPoint(5, tree.viewport().height() - 2))
    assert "Rename" not in _texts(below.actions())  # empty space: the plan, nothing to rename
    below.deleteLater()


def test_the_charlotte_mecklenburg_plan_is_told_in_its_own_level_names(main_window: Any) -> None:
    main_window.open_sample("charlotte-mecklenburg-annual-plan.json")
    plan = main_window.editing.plan
    assert plan.labels == tuple(CMS_LEVELS)
    step = plan.goal_areas[0].objectives[0].strategies[0].action_steps[0]
    main_window.select(step.id)
    texts = _texts(main_window.toolbar.actions())
    assert "Add Key Lever" in texts
    assert main_window.add_child_action.isEnabled() is False  # nothing comes below a key lever
    main_window.find_box.setText(step.text.split()[0])
    results = [main_window.find_results.item(i).text()
               for i in range(main_window.find_results.count())]  # fmt: skip
    assert any(text.startswith("1A.1.a Key Lever · ") for text in results), results[:3]
    places = [finding.place for finding in main_window.problems.findings]
    assert all("Action Step" not in place and "#" not in place for place in places)
    main_window.finish_opening()  # the side panels are shown a moment after the plan
    assert "key lever 1A.1.a" in main_window.panels[0].link_label.text()


def test_find_problems_and_panels_say_the_plans_level_names(main_window: Any, qtbot: Any) -> None:
    main_window.open_sample("durham-strategic-plan.json")
    _rename_levels(main_window)
    main_window.find_box.setText("Implement")
    results = [main_window.find_results.item(i).text() for i in range(3)]
    assert results and all("Action Step" not in text for text in results)
    assert any(" Key Lever · " in text or " Strategy · " in text for text in results)

    funding = main_window.panels[0]
    main_window.show_properties()
    assert funding.link_label.text() == "Select a key lever to see its funding."
    heads = funding.model
    tips = [heads.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            for c in range(heads.columnCount())]  # fmt: skip
    assert "Funds the selected key lever" in tips
    assert all("action step" not in (tip or "") for tip in tips)

    problems = main_window.problems.findings
    places = [finding.place for finding in problems]
    assert places and all("Action Step" not in place for place in places)
    strategy_problems = [f for f in problems if f.kind == "strategy"]
    assert strategy_problems
    assert strategy_problems[0].place == "Strategy 1A.1"
    assert "no key lever" in strategy_problems[0].message
    # One numbering: the tree row of that strategy starts with the same number.
    main_window.go_to("strategy", strategy_problems[0].item_id)
    assert main_window.tree.currentIndex().data().startswith("1A.1 ")


def test_problems_starts_closed_opens_itself_small_and_stays_closed_when_closed(
    main_window: Any, qtbot: Any
) -> None:
    from planstudio.ui.main_window import PROBLEMS_HEIGHT

    main_window.resize(1366, 768)
    problems = main_window.problems
    assert not problems.isVisible()  # the start page: nothing to check
    main_window.open_sample("durham-strategic-plan.json")
    qtbot.waitUntil(problems.isVisible, timeout=3000)
    assert problems.count > 0
    # Small: the editor keeps most of a laptop's height.
    assert problems.height() <= PROBLEMS_HEIGHT + 40
    assert main_window.editor.height() > 2 * problems.height()

    problems.close()  # the user closes it: it no longer opens itself
    editing = main_window.editing
    area = editing.plan.goal_areas[0]
    editing.push(UpdateItem("goal_area", area.id, {"title": ""}))
    problems.flush()
    QApplication.processEvents()
    assert not problems.isVisible()
    main_window.check_action.trigger()  # Check shows it again, and checks the plan anew
    assert problems.isVisible()
    assert problems.summary.text().startswith("Checking the plan")
    qtbot.waitUntil(lambda: "problems for Strategic Plan" in problems.summary.text(), timeout=5000)
