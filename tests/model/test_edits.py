"""Edit operations: each does what it says, refuses what it must, and undoes exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planstudio.model import (
    AddItem,
    DeleteItem,
    EditError,
    MoveItem,
    PlanDocument,
    ReadOnlyError,
    UpdateItem,
    assign,
    find_link,
)
from planstudio.model.entities import ActionStep, FundingSource, GoalArea, Role, Strategy
from planstudio.model.kinds import KINDS
from tests.conftest import SAMPLES, load_json
from tests.model.helpers import table_rows


@pytest.fixture
def plan():
    document = {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {"title": "Edits", "first_year": "2024-25", "last_year": "2026-27"},
        "funding_sources": [
            {"id": "t1", "name": "Title I, Part A", "allocation": 1000},
            {"id": "t2", "name": "Title II, Part A"},
        ],
        "roles": [{"id": "dfp", "title": "Director of Federal Programs"}],
        "monitoring_methods": [{"id": "pd", "text": "PD logs", "kind": "implementation"}],
        "goal_areas": [
            {
                "title": "Literacy",
                "objectives": [
                    {
                        "statement": "Read on grade level",
                        "strategies": [
                            {
                                "text": "Structured literacy",
                                "action_steps": [
                                    {"text": "Train K-2", "roles": ["dfp"],
                                     "funding": [{"source": "t1", "amount": 400}]},
                                    {"text": "Coach", "funding": [{"source": "t1", "amount": 100},
                                                                  {"source": "t2"}]},
                                ],
                            },
                            {"text": "Tutoring"},
                        ],
                    }
                ],
            },
            {"title": "Attendance", "objectives": [{"statement": "Fewer absences"}]},
        ],
    }  # fmt: skip
    with PlanDocument.from_interchange(document) as opened:
        yield opened


def ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


def test_add_update_delete_and_their_undo(plan: PlanDocument) -> None:
    before = table_rows(plan.working.database)
    added = plan.apply(AddItem("goal_area", plan.plan.id, {"title": "Safety"}, index=1))
    assert [a.title for a in plan.plan.goal_areas] == ["Literacy", "Safety", "Attendance"]
    assert [a.position for a in plan.plan.goal_areas] == [0, 1, 2]
    assert added.change.action == "added" and added.change.kind == "goal_area"
    updated = plan.apply(UpdateItem("goal_area", added.change.item_id, {"need": "Fights up"}))
    assert updated.change.fields == {"need"}
    assert plan.get(GoalArea, added.change.item_id).need == "Fights up"
    plan.apply(updated.inverse)
    assert plan.get(GoalArea, added.change.item_id).need is None
    plan.apply(added.inverse)
    assert table_rows(plan.working.database) == before


def test_deleted_branch_comes_back_whole_with_its_ids(plan: PlanDocument) -> None:
    before = table_rows(plan.working.database)
    area = plan.plan.goal_areas[0]
    step_ids = [s.id for o in area.objectives for st_ in o.strategies for s in st_.action_steps]
    deleted = plan.apply(DeleteItem("goal_area", area.id))
    assert deleted.change.action == "removed"
    assert all(plan.get(ActionStep, step_id) is None for step_id in step_ids)
    plan.apply(deleted.inverse)
    assert table_rows(plan.working.database) == before
    assert [s.id for o in plan.plan.goal_areas[0].objectives for st_ in o.strategies
            for s in st_.action_steps] == step_ids  # fmt: skip


def test_deleting_a_catalog_entry_unassigns_it_and_undo_reassigns(plan: PlanDocument) -> None:
    before = table_rows(plan.working.database)
    step, coach = plan.plan.goal_areas[0].objectives[0].strategies[0].action_steps
    deleted = plan.apply(DeleteItem("funding_source", "t1"))
    assert [link.funding_source_id for link in coach.funding] == ["t2"]
    assert step.funding == []
    assert set(deleted.change.touched) == {("action_step", step.id), ("action_step", coach.id)}
    plan.apply(deleted.inverse)
    assert [link.funding_source_id for link in coach.funding] == ["t1", "t2"]
    assert table_rows(plan.working.database) == before


def test_assign_unassign_and_rename(plan: PlanDocument) -> None:
    step = plan.plan.goal_areas[0].objectives[0].strategies[0].action_steps[1]
    plan.apply(assign(step.id, "role_link", "dfp"))
    plan.apply(assign(step.id, "effectiveness_link", "pd"))
    plan.apply(assign(step.id, "funding_link", "t2", amount=25, year="2024-25"))
    assert [link.role_id for link in step.role_links] == ["dfp"]
    with pytest.raises(EditError, match="already assigned"):
        plan.apply(assign(step.id, "role_link", "dfp"))
    with pytest.raises(EditError, match="no role"):
        plan.apply(assign(step.id, "role_link", "nobody"))
    link_id = find_link(plan.session, step.id, "role_link", "dfp")
    assert link_id is not None
    unassigned = plan.apply(DeleteItem("role_link", link_id))
    assert step.role_links == []
    plan.apply(unassigned.inverse)
    assert [link.id for link in step.role_links] == [link_id]
    renamed = plan.apply(UpdateItem("role", "dfp", {"title": "Federal Programs Director"}))
    assert plan.get(Role, "dfp").title == "Federal Programs Director"
    assert renamed.inverse.describe(plan.plan) == "Rename Role"


def test_moves_within_and_across_parents(plan: PlanDocument) -> None:
    structured, tutoring = plan.plan.goal_areas[0].objectives[0].strategies
    train, coach = structured.action_steps
    moved = plan.apply(MoveItem("action_step", coach.id, structured.id, 0))
    assert ids(structured.action_steps) == [coach.id, train.id]
    plan.apply(moved.inverse)
    assert ids(structured.action_steps) == [train.id, coach.id]
    across = plan.apply(MoveItem("action_step", train.id, tutoring.id, 0))
    assert ids(structured.action_steps) == [coach.id]
    assert ids(tutoring.action_steps) == [train.id]
    assert plan.get(ActionStep, train.id).strategy_id == tutoring.id
    assert across.change.previous_parent_id == structured.id
    plan.apply(across.inverse)
    assert ids(structured.action_steps) == [train.id, coach.id]


def test_moves_the_level_does_not_allow_are_refused(plan: PlanDocument) -> None:
    before = table_rows(plan.working.database)
    area = plan.plan.goal_areas[1]
    step = plan.plan.goal_areas[0].objectives[0].strategies[0].action_steps[0]
    with pytest.raises(EditError, match="only be moved under"):
        plan.apply(MoveItem("action_step", step.id, area.id, 0))  # a step under a goal area
    with pytest.raises(EditError, match="outside"):
        plan.apply(MoveItem("goal_area", area.id, plan.plan.id, 7))
    assert table_rows(plan.working.database) == before


def test_bad_values_are_refused_and_change_nothing(plan: PlanDocument) -> None:
    before = table_rows(plan.working.database)
    revision = plan.revision
    area_id = plan.plan.goal_areas[0].id
    for operation, words in [
        (UpdateItem("goal_area", area_id, {"title": "x" * 1001}), "longer than 1000"),
        (UpdateItem("goal_area", area_id, {"colour": "red"}), "no field"),
        (UpdateItem("plan", plan.plan.id, {"first_year": "2024"}), "school year"),
        (UpdateItem("action_step", "missing", {"text": "x"}), "no action step"),
        (UpdateItem("funding_source", "t1", {"allocation": -5}), "less than the minimum"),
        (AddItem("strategy", area_id, {"text": "wrong parent"}), "no objective"),
        (AddItem("goal_area", plan.plan.id, {"title": "x"}, item_id=area_id), "already used"),
        (DeleteItem("plan", plan.plan.id), "cannot be deleted"),
    ]:
        with pytest.raises(EditError, match=words):
            plan.apply(operation)
    assert table_rows(plan.working.database) == before
    assert plan.revision == revision


def test_text_is_kept_exactly_and_emptied_fields_become_absent(plan: PlanDocument) -> None:
    area = plan.plan.goal_areas[0]
    hostile = '<b>&amp;</b> "q" \t\n\x00\x1b é Ω Ж Việt 🚸'
    plan.apply(UpdateItem("goal_area", area.id, {"goal": hostile, "root_causes": [hostile, "b"]}))
    plan.session.expire_all()
    assert plan.get(GoalArea, area.id).goal == hostile
    plan.apply(UpdateItem("goal_area", area.id, {"goal": "", "root_causes": []}))
    assert (area.goal, area.root_causes) == (None, None)
    plan.apply(UpdateItem("goal_area", area.id, {"title": ""}))
    assert area.title == ""  # required text stays present, if empty


def test_read_only_plan_refuses_edits(plan: PlanDocument, tmp_path: Path) -> None:
    target = tmp_path / "ro.psplan"
    plan.save_as(target)
    with PlanDocument.open(target, read_only=True) as viewer, pytest.raises(ReadOnlyError):
        viewer.apply(UpdateItem("plan", viewer.plan.id, {"title": "x"}))


def test_operations_are_described_with_the_plans_level_names() -> None:
    sample = next(s for s in SAMPLES if "lausd" in s.name)
    with PlanDocument.from_interchange(load_json(sample)) as lausd:
        area = lausd.plan.goal_areas[0]
        assert AddItem("goal_area", lausd.plan.id).describe(lausd.plan) == "Add Pillar"
        assert MoveItem("objective", "x", area.id, 0).describe(lausd.plan) == "Move Priority"
        assert DeleteItem("funding_link", "x").describe(lausd.plan) == "Unassign Funding"


# ---------------------------------------------------------------------------- undo, redo


def _all_items(plan: PlanDocument) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {name: [] for name in KINDS}
    stack: list[Any] = [plan.plan]
    while stack:
        item = stack.pop()
        kind = type(item)
        name = next(k.name for k in KINDS.values() if k.cls is kind)
        found[name].append(item)
        for child_kind in KINDS[name].children:
            stack.extend(getattr(item, KINDS[child_kind].collection or ""))
    return found


TEXTS = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


@st.composite
def operation(draw: st.DrawFn, plan: PlanDocument) -> Any:
    items = _all_items(plan)
    choice = draw(st.sampled_from(["add", "update", "delete", "move", "assign", "catalog"]))
    if choice == "add":
        kind = draw(st.sampled_from(["goal_area", "objective", "strategy", "action_step",
                                     "measure", "target", "phase", "review"]))  # fmt: skip
        parents = items[KINDS[kind].parent or "plan"]
        if not parents:
            return None
        parent = draw(st.sampled_from(parents))
        size = len(getattr(parent, KINDS[kind].collection or ""))
        values = {
            "goal_area": {"title": draw(TEXTS)},
            "objective": {"statement": draw(TEXTS)},
            "strategy": {"text": draw(TEXTS), "evidence_level": "moderate"},
            "action_step": {"text": draw(TEXTS), "subgroups": [draw(TEXTS)]},
            "measure": {"name": draw(TEXTS), "unit": "percent", "baseline_value": 3.5},
            "target": {"year": "2025-26", "value": draw(st.integers(0, 100))},
            "phase": {"year": "2025-26", "phase": "initial"},
            "review": {"date": "2025-01-31", "status": "in_progress", "note": draw(TEXTS)},
        }[kind]
        return AddItem(kind, parent.id, values, draw(st.integers(0, size)))
    if choice == "update":
        kind, field, value = draw(st.sampled_from([
            ("goal_area", "need", draw(TEXTS)),
            ("goal_area", "root_causes", [draw(TEXTS), draw(TEXTS)]),
            ("objective", "statement", draw(TEXTS)),
            ("action_step", "status", "completed"),
            ("action_step", "timeline", draw(TEXTS)),
            ("plan", "title", draw(TEXTS)),
            ("ga_general", "funding_options", ["consolidated"]),
            ("role", "title", draw(TEXTS)),
        ]))  # fmt: skip
        if not items[kind]:
            return None
        return UpdateItem(kind, draw(st.sampled_from(items[kind])).id, {field: value})
    if choice == "delete":
        deletable = ["goal_area", "objective", "strategy", "action_step", "funding_source",
                     "role", "funding_link", "target"]  # fmt: skip
        kind = draw(st.sampled_from(deletable))
        if not items[kind]:
            return None
        return DeleteItem(kind, draw(st.sampled_from(items[kind])).id)
    if choice == "move":
        kind = draw(st.sampled_from(["goal_area", "objective", "strategy", "action_step"]))
        if not items[kind]:
            return None
        item = draw(st.sampled_from(items[kind]))
        parent = draw(st.sampled_from(items[KINDS[kind].parent or "plan"]))
        size = len(getattr(parent, KINDS[kind].collection or ""))
        return MoveItem(kind, item.id, parent.id, draw(st.integers(0, size)))
    if choice == "assign":
        link_kind, catalog = draw(st.sampled_from([
            ("funding_link", "funding_source"), ("role_link", "role"),
            ("implementation_link", "monitoring_method"),
            ("effectiveness_link", "monitoring_method"),
        ]))  # fmt: skip
        if not items["action_step"] or not items[catalog]:
            return None
        step = draw(st.sampled_from(items["action_step"]))
        entry = draw(st.sampled_from(items[catalog]))
        return assign(step.id, link_kind, entry.id)
    catalog = draw(st.sampled_from(["funding_source", "role", "monitoring_method"]))
    field = {"funding_source": "name", "role": "title", "monitoring_method": "text"}[catalog]
    return AddItem(catalog, plan.plan.id, {field: draw(TEXTS)})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_undo_then_redo_of_any_sequence_restores_the_plan_exactly(data) -> None:
    with PlanDocument.from_interchange(load_json(SAMPLES[0])) as plan:
        # Give the sample catalogs and a few steps to work with.
        plan.apply(AddItem("role", plan.plan.id, {"title": "Principal"}))
        plan.apply(AddItem("funding_source", plan.plan.id, {"name": "Title IV, Part A"}))
        strategy = plan.plan.goal_areas[0].objectives[0].strategies[0]
        plan.apply(AddItem("action_step", strategy.id, {"text": "Step"}))
        start = table_rows(plan.working.database)
        undo: list[Any] = []
        for _ in range(data.draw(st.integers(1, 12))):
            op = data.draw(operation(plan))
            if op is None:
                continue
            before = table_rows(plan.working.database)
            try:
                applied = plan.apply(op)
            except EditError:
                assert table_rows(plan.working.database) == before
                continue
            undo.append(applied.inverse)
        end = table_rows(plan.working.database)
        redo: list[Any] = []
        for inverse in reversed(undo):
            redo.append(plan.apply(inverse).inverse)
        assert table_rows(plan.working.database) == start
        for again in reversed(redo):
            plan.apply(again)
        assert table_rows(plan.working.database) == end
        # The objects in memory agree with the database.
        plan.session.expire_all()
        assert table_rows(plan.working.database) == end


def test_strategy_and_funding_source_objects_follow_edits(plan: PlanDocument) -> None:
    strategy = plan.plan.goal_areas[0].objectives[0].strategies[1]
    added = plan.apply(AddItem("action_step", strategy.id, {"text": "New"}))
    assert plan.get(Strategy, strategy.id).action_steps[0].id == added.change.item_id
    plan.apply(UpdateItem("funding_source", "t2", {"allocation": 250.5}))
    assert plan.get(FundingSource, "t2").allocation == 250.5
