"""Nothing is clipped on a district laptop: every form at 1366×768 and at 1280×720 at 125 %."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea, QWidget
from pytestqt import exceptions as qt_exceptions

from planstudio.model import AddItem
from planstudio.model.kinds import TREE_KINDS
from planstudio.ui.tree import ID_ROLE, KIND_ROLE

# 1280×720 at 125 % scaling leaves Qt 1024×576 device-independent pixels: the same layout
# as QT_SCALE_FACTOR=1.25, which a running process cannot change.
SCREENS = {"1366x768": (1366, 768), "1280x720@125%": (1024, 576)}
SAMPLES = ["durham-strategic-plan.json", "clayton-professional-learning-plan.json",
           "charlotte-mecklenburg-annual-plan.json"]  # fmt: skip


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _first_of_each_kind(window: Any) -> dict[str, Any]:
    """The first row of each level of the outline, with the most children among its siblings."""
    model = window.filter_model
    found: dict[str, Any] = {}
    stack = [model.index(row, 0) for row in range(model.rowCount())]
    while stack:
        index = stack.pop(0)
        kind = index.data(KIND_ROLE)
        if kind not in found:
            found[kind] = index
        stack.extend(model.index(row, 0, index) for row in range(model.rowCount(index)))
    return found


def clipped_children(page: QScrollArea) -> list[str]:
    """Each visible widget of the form that runs past the viewport's right edge or is cut short."""
    viewport = page.viewport()
    width = viewport.width()
    found = []
    for widget in page.widget().findChildren(QWidget):
        if not widget.isVisibleTo(page) or widget.width() == 0:
            continue
        left = widget.mapTo(viewport, QPoint(0, 0)).x()
        name = (
            f"{type(widget).__name__} {widget.accessibleName() or getattr(widget, 'text', str)()!r}"
        )
        if left < 0 or left + widget.width() > width:
            found.append(f"{name}: {left}..{left + widget.width()} past {width}")
        elif (
            isinstance(widget, QLabel | QAbstractButton)
            and not (isinstance(widget, QLabel) and widget.wordWrap())
            and widget.width() < widget.minimumSizeHint().width()
        ):
            found.append(f"{name}: {widget.width()} < {widget.minimumSizeHint().width()}")
    return found


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("sample", SAMPLES)
def test_every_form_fits_the_pane(main_window: Any, qtbot: Any, screen: str, sample: str) -> None:
    main_window.resize(*SCREENS[screen])
    main_window.open_sample(sample)
    _settle()
    main_window.tree.expandAll()
    shown = _first_of_each_kind(main_window)
    assert set(shown) >= set(TREE_KINDS) - {"action_step"} or sample.startswith("clayton")
    problems: dict[str, list[str]] = {}
    targets: list[tuple[str, Any]] = [("plan", None), *shown.items()]
    for kind, index in targets:
        if index is None:
            main_window.show_properties()
        else:
            main_window.tree.setCurrentIndex(index)
            assert main_window.editor.shown_id == index.data(ID_ROLE)
            assert index.data(KIND_ROLE) == kind
        _settle()
        page = main_window.editor._pages[kind]
        assert page.isVisible()
        clipped = clipped_children(page)
        if clipped:
            problems[kind] = clipped
    assert problems == {}


def test_side_panels_fit_columns_to_content_and_say_each_name_whole(main_window: Any) -> None:
    main_window.resize(*SCREENS["1366x768"])
    main_window.new_plan("ga-dip")
    editing = main_window.editing
    for title in ("Deputy of Student Services and Family Engagement",
                  "Deputy of Student Support and Intervention"):  # fmt: skip
        editing.push(AddItem("role", editing.plan.id, {"title": title}))
    main_window.panels[1].set_editing(editing)  # as when the plan is opened
    _settle()
    roles = main_window.panels[1]
    model, header = roles.model, roles.view.horizontalHeader()
    name = model.name_column()
    assert model.rowCount() > 1
    for row in range(model.rowCount()):
        index = model.index(row, name)
        assert index.data(Qt.ItemDataRole.ToolTipRole) == model.entry(row).title
    metrics = roles.view.fontMetrics()
    empty_columns = 0
    for column, spec in enumerate(model.columns):
        texts = [str(model.index(row, column).data() or "") for row in range(model.rowCount())]
        if column != name and spec.field and not any(texts):
            # An empty column is as wide as its heading, and narrower than the names.
            assert header.sectionSize(column) <= metrics.horizontalAdvance(spec.header) + 24
            assert header.sectionSize(column) < header.sectionSize(name)
            empty_columns += 1
    assert empty_columns >= 1  # the department and the person, not yet given


@pytest.mark.parametrize("screen", SCREENS)
def test_the_funding_panel_shows_the_sums_beside_the_name(
    main_window: Any, qtbot: Any, screen: str
) -> None:
    """Allocation, Assigned and Left in view without scrolling sideways, the name cut with "…"."""
    main_window.resize(*SCREENS[screen])
    main_window.open_sample("clayton-professional-learning-plan.json")
    editing = main_window.editing
    for name, allocation in (("Title I, Part A", 250000), ("Title II, Part A", 90000),
                             ("Local general fund", 1040000)):  # fmt: skip
        values = {"name": name, "allocation": allocation}
        editing.push(AddItem("funding_source", editing.plan.id, values))
    # As many as a district's plan holds: more than the panel shows without scrolling down.
    for n in range(12):
        values = {"name": f"State grant {n + 1}", "allocation": 4_092_000 + n}
        editing.push(AddItem("funding_source", editing.plan.id, values))
    panel = main_window.panels[0]
    panel.set_editing(editing)  # as when the plan is opened
    panel.show()
    panel.raise_()
    _settle()
    view, model = panel.view, panel.model
    header = view.horizontalHeader()
    heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    name = model.name_column()
    metrics = view.fontMetrics()

    def not_whole() -> list[str]:
        """The columns cut at the panel's edge, or narrower than a sum or their heading."""
        cut = []
        for head in ("Name", "Allocation", "Assigned", "Left"):
            column = heads.index(head)
            right = header.sectionViewportPosition(column) + header.sectionSize(column)
            width = header.sectionSize(column)
            texts = [str(model.index(row, column).data() or "") for row in range(model.rowCount())]
            if right > view.viewport().width():
                cut.append(f"{head} ends at {right}, the panel at {view.viewport().width()}")
            elif head != "Name" and any(metrics.horizontalAdvance(t) >= width for t in texts):
                cut.append(f"{head}: a sum wider than {width}")  # a long name is in its tooltip
            elif metrics.horizontalAdvance(head) >= width and head != "Name":
                cut.append(f"{head}: its heading wider than {width}")
        return cut

    # The sums come in the turns after the panel is shown, and their widths after them.
    qtbot.waitUntil(lambda: not model.totals_pending(), timeout=5000)
    with contextlib.suppress(qt_exceptions.TimeoutError):  # the assertion below says what
        qtbot.waitUntil(lambda: not not_whole(), timeout=2000)
    assert not_whole() == []
    assert header.sectionSize(name) >= metrics.horizontalAdvance("Title I")
    assert model.index(2, name).data(Qt.ItemDataRole.ToolTipRole) == "Local general fund"


def test_the_funding_panel_widens_its_sums_once_they_are_summed(
    main_window: Any, qtbot: Any
) -> None:
    """The sums are worked out after the panel is shown ("$100,000" stands for them until
    then): a sum wider than that gets its width when it comes, in a later turn."""
    from planstudio.model import assign

    main_window.resize(*SCREENS["1366x768"])
    main_window.open_sample("clayton-professional-learning-plan.json")
    editing = main_window.editing
    values = {"name": "Consolidated federal funds", "allocation": 90_000_000}
    editing.push(AddItem("funding_source", editing.plan.id, values))
    source = editing.plan.funding_sources[-1].id
    area = editing.plan.goal_areas[0]
    step = area.objectives[0].strategies[0].action_steps[0].id
    editing.push(assign(step, "funding_link", source, amount=87_654_321.09))
    panel = main_window.panels[0]
    panel.set_editing(editing)  # as when the plan is opened: summed in the turns to come
    model, view = panel.model, panel.view
    header, metrics = view.horizontalHeader(), view.fontMetrics()
    heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assigned = heads.index("Assigned")
    row = model.row_of(source)
    before = header.sectionSize(assigned)
    qtbot.waitUntil(lambda: model.index(row, assigned).data() == "$87,654,321.09", timeout=5000)
    text = model.index(row, assigned).data()
    assert metrics.horizontalAdvance(text) >= before  # wider than what stood for it
    qtbot.waitUntil(lambda: header.sectionSize(assigned) > metrics.horizontalAdvance(text))
