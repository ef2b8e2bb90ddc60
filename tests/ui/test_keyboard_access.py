"""Keyboard and screen readers: every control named, Tab going down each form, rows announced."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget

from planstudio.ui.tree import KIND_ROLE


def _focusable(root: QWidget) -> list[QWidget]:
    return [
        child
        for child in root.findChildren(QWidget)
        if child.isVisibleTo(root)
        and child.isEnabled()
        and child.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]


def _forms(window: Any) -> list[str]:
    """Show each kind of item in turn (the deepest first row of each level), then the plan."""
    model = window.filter_model
    index = model.index(0, 0)
    shown = []
    while index.isValid():
        window.tree.setCurrentIndex(index)
        QApplication.processEvents()
        shown.append(index.data(KIND_ROLE))
        index = model.index(0, 0, index)
    window.show_properties()
    QApplication.processEvents()
    return [*shown, "plan"]


@pytest.mark.parametrize(
    "sample", ["durham-strategic-plan.json", "clayton-professional-learning-plan.json"]
)
def test_every_control_has_a_name_and_tab_goes_down_the_form(main_window: Any, sample: str) -> None:
    main_window.resize(1366, 768)
    main_window.open_sample(sample)
    main_window.tree.expandAll()
    unnamed = [
        f"window {type(w).__name__}" for w in _focusable(main_window) if not w.accessibleName()
    ]
    for kind in _forms(main_window):
        if kind != "plan":
            main_window.go_to(kind, main_window.editor._forms[kind].item_id or "")
        else:
            main_window.show_properties()
        QApplication.processEvents()
        form = main_window.editor._pages[kind].widget()
        controls = _focusable(form)
        unnamed += [f"{kind} {type(w).__name__}" for w in controls if not w.accessibleName()]
        # Tab from the first control visits every one, never going back up the form.
        order: list[QWidget] = []
        current = controls[0]
        for _ in range(1000):
            if current in controls and current not in order:
                order.append(current)
            current = current.nextInFocusChain()
            if current is controls[0]:
                break
        assert set(order) == set(controls), kind
        heights = [w.mapTo(form, QPoint(0, 0)).y() for w in order]
        assert all(b >= a - 5 for a, b in itertools.pairwise(heights)), kind
    assert unnamed == []


def test_a_fields_description_names_its_item_in_the_plans_words(main_window: Any) -> None:
    main_window.open_sample("charlotte-mecklenburg-annual-plan.json")
    step = main_window.editing.plan.goal_areas[0].objectives[0].strategies[0].action_steps[0]
    main_window.select(step.id)
    text = main_window.editor.current_field_widget("text")
    assert text.accessibleName() == "Text"
    assert text.accessibleDescription() == "Text of the Key Lever"


def test_the_outline_announces_level_and_number(main_window: Any) -> None:
    main_window.open_sample("durham-strategic-plan.json")
    model = main_window.filter_model
    objective = model.index(0, 0, model.index(0, 0))
    said = objective.data(Qt.ItemDataRole.AccessibleTextRole)
    labels = main_window.editing.plan.labels
    assert said.startswith(f"{labels[1]} 1A: ")
