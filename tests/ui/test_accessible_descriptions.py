"""Screen readers: every control of every form, panel and dialog has a name and a description."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
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


def _unsaid(where: str, root: QWidget) -> list[str]:
    """Each focusable control of `root` that a screen reader could not name or describe."""
    missing = []
    for widget in _focusable(root):
        what = f"{where}: {type(widget).__name__} {widget.accessibleName()!r}"
        if not widget.accessibleName().strip():
            missing.append(f"{what} has no name")
        if not widget.accessibleDescription().strip():
            missing.append(f"{what} has no description")
    return missing


def _show_each_form(window: Any) -> list[tuple[str, QWidget]]:
    """Each kind of item in turn (the deepest first row of each level), then the plan."""
    model = window.filter_model
    index = model.index(0, 0)
    shown = []
    while index.isValid():
        window.tree.setCurrentIndex(index)
        QApplication.processEvents()
        kind = index.data(KIND_ROLE)
        shown.append((kind, window.editor._pages[kind].widget()))
        index = model.index(0, 0, index)
    window.show_properties()
    QApplication.processEvents()
    return [*shown, ("plan", window.editor._pages["plan"].widget())]


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "sample", ["durham-strategic-plan.json", "charlotte-mecklenburg-annual-plan.json"]
)
def test_every_control_is_named_and_described(main_window: Any, sample: str) -> None:
    from planstudio.ui.export_dialog import ExportDialog

    main_window.resize(1366, 768)
    main_window.open_sample(sample)
    main_window.tree.expandAll()
    missing: list[str] = []
    # The forms, the objective's with its measure editor.
    for kind, form in _show_each_form(main_window):
        missing += _unsaid(kind, form)
    # The catalog panels, each in turn in front.
    for panel in main_window.panels:
        panel.show()
        panel.raise_()
        QApplication.processEvents()
        missing += _unsaid(type(panel).__name__, panel)
    main_window.show_funding_summary()
    summary = main_window.funding_summary
    QApplication.processEvents()
    missing += _unsaid("funding summary", summary)
    summary.close()
    export = ExportDialog(main_window.editing, main_window)
    export.show()
    QApplication.processEvents()
    missing += _unsaid("export dialog", export)
    export.close()
    assert missing == []


def test_descriptions_use_the_plans_level_names(main_window: Any) -> None:
    main_window.open_sample("charlotte-mecklenburg-annual-plan.json")
    labels = main_window.editing.plan.labels
    area = main_window.editing.plan.goal_areas[0]
    main_window.select(area.id)
    title = main_window.editor.current_field_widget("title")
    assert labels[0] in title.accessibleDescription()
