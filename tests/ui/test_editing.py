"""One batch of changes per push, undo and redo, handed out once; the panels follow it at once."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from planstudio.model import AddItem, PlanDocument, UpdateItem, assign, reading
from planstudio.model.entities import new_id
from planstudio.model.formatting import money
from planstudio.ui.catalog.panels import FundingSourcesPanel
from planstudio.ui.editing import Changes, PlanEditing
from tests.model.test_queries import catalog_document


@pytest.fixture
def editing(qtbot: Any) -> Iterator[PlanEditing]:
    document = PlanDocument.from_interchange(catalog_document())
    opened = PlanEditing(document)
    yield opened
    opened.undo_stack.clear()
    document.close()


def heard(editing: PlanEditing) -> list[Changes]:
    batches: list[Changes] = []
    editing.changed.connect(batches.append)
    return batches


def test_a_push_of_several_edits_undo_and_redo_each_hand_out_one_batch(
    editing: PlanEditing,
) -> None:
    batches = heard(editing)
    first, second = new_id(), new_id()
    plan_id = editing.plan.id
    assert editing.push_many(
        [AddItem("role", plan_id, {"title": "Coach"}, item_id=first),
         AddItem("role", plan_id, {"title": "Mentor"}, item_id=second),
         UpdateItem("role", first, {"title": "Reading Coach"})],
        "Add roles",
    )  # fmt: skip
    assert len(batches) == 1
    assert [(c.action, c.item_id) for c in batches[0].items] == [
        ("added", first), ("added", second), ("updated", first),
    ]  # fmt: skip
    assert batches[0].structural

    editing.undo_stack.undo()
    assert len(batches) == 2
    assert [(c.action, c.item_id) for c in batches[1].items] == [
        ("updated", first), ("removed", second), ("removed", first),
    ]  # fmt: skip

    editing.undo_stack.redo()
    assert len(batches) == 3
    assert [c.item_id for c in batches[2].items] == [first, second, first]
    assert reading.item(editing.document, "role", first).title == "Reading Coach"


def test_a_refused_push_hands_out_what_was_undone_once_then_says_why(
    editing: PlanEditing,
) -> None:
    batches = heard(editing)
    failures: list[str] = []
    editing.failed.connect(failures.append)
    added = new_id()
    before = [role.id for role in editing.plan.roles]
    assert not editing.push_many(
        [AddItem("role", editing.plan.id, {"title": "Coach"}, item_id=added),
         UpdateItem("role", "nobody", {"title": "x"})],
        "Add and rename",
    )  # fmt: skip
    assert [role.id for role in editing.plan.roles] == before
    assert len(batches) == 1 and len(failures) == 1
    assert [(c.action, c.item_id) for c in batches[0].items] == [
        ("added", added), ("removed", added),
    ]  # fmt: skip
    assert editing.undo_stack.count() == 0


def test_a_typed_edit_is_one_batch_of_one_change(editing: PlanEditing) -> None:
    batches = heard(editing)
    editing.push(UpdateItem("role", "dfp", {"title": "Director"}))
    assert [len(batch.items) for batch in batches] == [1]
    assert not batches[0].structural


def test_the_panels_are_up_to_date_when_the_batch_has_been_handed_out(
    qtbot: Any, editing: PlanEditing, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No timer of their own: totals are right before the event loop turns, worked out once."""
    panel = FundingSourcesPanel()
    qtbot.addWidget(panel)
    editing.changed.connect(panel.on_changes)
    panel.set_editing(editing)
    worked_out: list[Any] = []
    original = panel.model.refresh_derived
    monkeypatch.setattr(
        panel.model, "refresh_derived", lambda only=None: (worked_out.append(only), original(only))
    )
    operations = [
        assign(step, "funding_link", "t1", amount=100.0) for step in ("tutor", "journal", "call")
    ]
    assigned_before = reading.funding_totals(editing.document)["t1"].assigned
    editing.push_many(operations, "Fund three steps")
    assigned = reading.funding_totals(editing.document)["t1"].assigned
    assert assigned == round(assigned_before + 300, 2)
    model = panel.model
    column = [c.header for c in model.columns].index("Assigned")
    assert model.index(model.row_of("t1"), column).data() == money(assigned)
    assert len(worked_out) == 1


def test_an_editing_let_go_of_is_gone_without_waiting_for_the_garbage_collector(
    qtbot: Any,
) -> None:
    """Its undo steps must not hold it: a cycle of Qt wrappers is freed only by the collector,
    at a moment of its choosing, after Qt may have deleted the stack (a crash in the tests)."""
    import gc

    document = PlanDocument.from_interchange(catalog_document())
    try:
        opened = PlanEditing(document)
        opened.push(UpdateItem("role", "dfp", {"title": "Director"}))
        opened.push(UpdateItem("role", "asst", {"title": "Assistant"}))
        gone = weakref.ref(opened)
        gc.disable()
        try:
            del opened
            assert gone() is None
        finally:
            gc.enable()
    finally:
        document.close()
