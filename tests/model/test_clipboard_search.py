"""Copying branches within and between plans, numbering, and finding text."""

from __future__ import annotations

import json

from planstudio.model import PlanDocument
from planstudio.model.clipboard import copy_branch, dumps_branch, loads_branch, paste_operations
from planstudio.model.edits import EditError
from planstudio.model.interchange import dumps
from planstudio.model.numbering import letters, number_plan
from planstudio.model.search import find_text
from tests.conftest import SAMPLES, load_json

DOCUMENT = {
    "format": "planstudio.plan",
    "format_version": 1,
    "plan": {"title": "Source"},
    "funding_sources": [{"id": "t1", "name": "Title I, Part A", "allocation": 500}],
    "roles": [{"id": "dfp", "title": "Director of Federal Programs"}],
    "goal_areas": [
        {
            "title": "Literacy",
            "objectives": [
                {
                    "statement": "Read by grade 3",
                    "strategies": [
                        {
                            "text": "Structured literacy",
                            "action_steps": [
                                {"text": "Train", "roles": ["dfp"],
                                 "funding": [{"source": "t1", "amount": 100}]},
                            ],
                        }
                    ],
                }
            ],
        }
    ],
}  # fmt: skip


def test_letters_run_past_z() -> None:
    assert [letters(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA"
    ]  # fmt: skip
    assert letters(2, lower=True) == "c"


def test_numbers_follow_printed_plans() -> None:
    with PlanDocument.from_interchange(DOCUMENT) as plan:
        area = plan.plan.goal_areas[0]
        numbers = number_plan(plan.plan)
        strategy = area.objectives[0].strategies[0]
        assert numbers[area.id] == "1"
        assert numbers[area.objectives[0].id] == "1A"
        assert numbers[strategy.id] == "1A.1"
        assert numbers[strategy.action_steps[0].id] == "1A.1.a"


def test_copy_paste_within_a_plan_gives_new_ids_and_keeps_links() -> None:
    with PlanDocument.from_interchange(DOCUMENT) as plan:
        strategy = plan.plan.goal_areas[0].objectives[0].strategies[0]
        branch = loads_branch(dumps_branch(copy_branch(plan.session, "strategy", strategy.id)))
        assert branch is not None
        operations = paste_operations(plan.session, plan.plan, branch, "strategy", strategy.id)
        for operation in operations:
            plan.apply(operation)
        first, second = plan.plan.goal_areas[0].objectives[0].strategies
        assert second.text == first.text and second.id != first.id
        assert second.action_steps[0].id != first.action_steps[0].id
        assert [link.role_id for link in second.action_steps[0].role_links] == ["dfp"]
        assert len(plan.plan.roles) == 1  # same plan: the same catalog entries


def test_paste_into_another_plan_brings_or_matches_catalog_entries() -> None:
    with PlanDocument.from_interchange(DOCUMENT) as source:
        area = source.plan.goal_areas[0]
        text = dumps_branch(copy_branch(source.session, "goal_area", area.id))
    other = {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {"title": "Target"},
        "roles": [{"id": "r-1", "title": "director of  federal programs"}],
    }
    with PlanDocument.from_interchange(other) as target:
        branch = loads_branch(text)
        assert branch is not None
        for operation in paste_operations(target.session, target.plan, branch, "plan",
                                           target.plan.id):  # fmt: skip
            target.apply(operation)
        step = target.plan.goal_areas[0].objectives[0].strategies[0].action_steps[0]
        assert [link.role_id for link in step.role_links] == ["r-1"]  # matched by name
        [source_entry] = target.plan.funding_sources  # brought along
        assert source_entry.name == "Title I, Part A" and source_entry.allocation == 500
        assert step.funding[0].funding_source_id == source_entry.id
        assert step.funding[0].amount == 100
        json.loads(dumps(target.plan))


def test_paste_refuses_the_wrong_level() -> None:
    with PlanDocument.from_interchange(DOCUMENT) as plan:
        step = plan.plan.goal_areas[0].objectives[0].strategies[0].action_steps[0]
        branch = copy_branch(plan.session, "action_step", step.id)
        try:
            paste_operations(plan.session, plan.plan, branch, "goal_area",
                             plan.plan.goal_areas[0].id)  # fmt: skip
        except EditError as error:
            assert "can only be pasted" in str(error)
        else:
            raise AssertionError("pasting a step onto a goal area must be refused")
    assert loads_branch("not json") is None
    assert loads_branch('{"format": "something else"}') is None


def test_find_looks_in_every_text_field() -> None:
    sample = next(s for s in SAMPLES if "lausd" in s.name)
    with PlanDocument.from_interchange(load_json(sample)) as plan:
        hits = find_text(plan.plan, "CHRONICALLY ABSENT")
        assert hits
        assert {hit.place_kind for hit in hits} <= {"plan", "goal_area", "objective", "strategy",
                                                   "action_step", "role", "funding_source",
                                                   "monitoring_method"}  # fmt: skip
        assert all("chronically absent" in hit.snippet.casefold() for hit in hits)
        assert find_text(plan.plan, "   ") == []
