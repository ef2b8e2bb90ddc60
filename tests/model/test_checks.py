"""The plan check: each layout rule found on the smallest plan that breaks it, and mended."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from planstudio.model import AddItem, DeleteItem, EditOp, PlanDocument, UpdateItem, assign
from planstudio.model.checks import Checker, Finding, format_findings, layout_of, run_checks
from planstudio.model.edits import find_link
from planstudio.model.entities import GaGeneral, MeasureActual, MeasureTarget, StrategyPhase
from planstudio.model.rules import RULES


def complete_document(layout: str = "ga-dip") -> dict[str, Any]:
    """The smallest plan that every rule of both layouts is content with."""
    return {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {"id": "p", "title": "Plan", "organization": "Dalton Public Schools",
                 "team_lead": "Pat Lee", "layout": layout, "first_year": "2024-25",
                 "last_year": "2026-27",
                 "ga_general": {"funding_options": ["traditional"],
                                "poverty_factors": ["free_reduced_application"]}},
        "funding_sources": [{"id": "t1", "name": "Title I", "allocation": 1000}],
        "roles": [{"id": "dfp", "title": "Director of Federal Programs"}],
        "monitoring_methods": [{"id": "pd", "text": "PD logs"},
                               {"id": "scores", "text": "State scores"}],
        "goal_areas": [
            {"id": "lit", "title": "Literacy", "need": "Reading", "root_causes": ["Few coaches"],
             "goal": "Read by grade 3", "is_equity_gap": True,
             "equity_gap": {"description": "EL students read less well"},
             "objectives": [
                 {"id": "read", "statement": "Read on grade level",
                  "measures": [
                      {"id": "m", "name": "Reading", "direction": "increase",
                       "baseline": {"year": "2023-24", "value": 40},
                       "targets": [{"year": "2024-25", "value": 45},
                                   {"year": "2026-27", "value": 55}],
                       "actuals": [{"year": "2024-25", "value": 44}]},
                  ],
                  "strategies": [
                      {"id": "st", "text": "Structured literacy",
                       "phases": [{"year": "2024-25", "phase": "planning"}],
                       "action_steps": [
                           {"id": "step", "text": "Train K-2 teachers",
                            "funding": [{"source": "t1", "amount": 600, "year": "2024-25"}],
                            "subgroups": ["N/A"], "systems": ["coherent_instruction"],
                            "roles": ["dfp"], "monitoring_implementation": ["pd"],
                            "monitoring_effectiveness": ["scores"], "evidence_level": "strong",
                            "timeline": "August 2024", "supports_equity_intervention": True},
                       ]},
                  ]},
             ]},
        ],
    }  # fmt: skip


@pytest.fixture(params=["ga-dip", "strategic-plan"])
def document(request: pytest.FixtureRequest) -> Iterator[PlanDocument]:
    with PlanDocument.from_interchange(complete_document(request.param)) as opened:
        yield opened


def _ga(d: PlanDocument) -> str:
    return d.plan.ga_general.id


def _link(d: PlanDocument, link_kind: str, entry: str) -> str:
    found = find_link(d.session, "step", link_kind, entry)
    assert found is not None
    return found


def _point(d: PlanDocument, cls: type, year: str) -> str:
    return next(p.id for p in d.session.query(cls).all() if p.year == year)


def _step(**values: Any) -> Callable[[PlanDocument], list[EditOp]]:
    return lambda _d: [UpdateItem("action_step", "step", values)]


def _area(**values: Any) -> Callable[[PlanDocument], list[EditOp]]:
    return lambda _d: [UpdateItem("goal_area", "lit", values)]


def _plan(**values: Any) -> Callable[[PlanDocument], list[EditOp]]:
    return lambda _d: [UpdateItem("plan", "p", values)]


def _general(**values: Any) -> Callable[[PlanDocument], list[EditOp]]:
    return lambda d: [UpdateItem("ga_general", _ga(d), values)]


def _unlink(link_kind: str, entry: str) -> Callable[[PlanDocument], list[EditOp]]:
    return lambda d: [DeleteItem(link_kind, _link(d, link_kind, entry))]


def _relink(link_kind: str, entry: str) -> Callable[[PlanDocument], list[EditOp]]:
    return lambda _d: [assign("step", link_kind, entry)]


@dataclass(frozen=True)
class Case:
    rule: str
    layout: str
    breaks: Callable[[PlanDocument], list[EditOp]]
    mends: Callable[[PlanDocument], list[EditOp]]
    says: str  # part of the message
    place: str  # part of the place


CASES = (
    Case("dip-district", "ga-dip", _plan(organization=""), _plan(organization="Dalton"),
         "district", "General Improvement Plan Information"),
    Case("dip-team-lead", "ga-dip", _plan(team_lead=None), _plan(team_lead="Pat"),
         "team lead", "General Improvement"),
    Case("dip-funding-option", "ga-dip", _general(funding_options=[]),
         _general(funding_options=["fund_400"]), "funding option", "General Improvement"),
    Case("dip-poverty-factors", "ga-dip", _general(poverty_factors=None),
         _general(poverty_factors=["other"]), "poverty", "General Improvement"),
    Case("dip-need", "ga-dip", _area(need=""), _area(need="Math"), "need",
         "Goal Area 1"),
    Case("dip-root-cause", "ga-dip", _area(root_causes=[]), _area(root_causes=["Time"]),
         "root cause", "Goal Area 1"),
    Case("dip-goal", "ga-dip", _area(goal=None), _area(goal="All read"), "goal", "Goal Area 1"),
    Case("dip-equity-gap", "ga-dip", _area(equity_gap_description=None),
         _area(is_equity_gap=False), "equity gap", "Goal Area 1"),
    Case("dip-step-text", "ga-dip", _step(text="  "), _step(text="Coach"), "no text",
         "Action Step 1A.1.a"),
    Case("dip-step-funding", "ga-dip", _unlink("funding_link", "t1"),
         lambda _d: [assign("step", "funding_link", "t1", amount=5, year="2025-26")],
         "funding source", "Action Step 1A.1.a"),
    Case("dip-step-subgroups", "ga-dip", _step(subgroups=[]), _step(subgroups=["Foster"]),
         "subgroup", "Action Step 1A.1.a"),
    Case("dip-step-systems", "ga-dip", _step(systems=None),
         _step(systems=["effective_leadership"]), "system", "Action Step 1A.1.a"),
    Case("dip-step-implementation", "ga-dip", _unlink("implementation_link", "pd"),
         _relink("implementation_link", "scores"), "implementation", "Action Step 1A.1.a"),
    Case("dip-step-effectiveness", "ga-dip", _unlink("effectiveness_link", "scores"),
         _relink("effectiveness_link", "pd"), "effectiveness", "Action Step 1A.1.a"),
    Case("dip-step-role", "ga-dip", _unlink("role_link", "dfp"), _relink("role_link", "dfp"),
         "role", "Action Step 1A.1.a"),
    Case("dip-step-evidence", "ga-dip", _step(evidence_level=None),
         _step(evidence_level="rationale"), "evidence", "Action Step 1A.1.a"),
    Case("dip-step-timeline", "ga-dip", _step(timeline=""), _step(start="2024-08-01"),
         "timeline", "Action Step 1A.1.a"),
    Case("dip-step-equity", "ga-dip", _step(supports_equity_intervention=None),
         _step(supports_equity_intervention=False), "equity intervention", "Action Step 1A.1.a"),
    Case("sp-objective-measure", "strategic-plan",
         lambda d: [DeleteItem("target", _point(d, MeasureTarget, "2026-27"))],
         lambda _d: [AddItem("target", "m", {"year": "2026-27", "value": 60})],
         "target for 2026-27", "Objective 1A"),
    Case("sp-strategy-steps", "strategic-plan",
         lambda d: [DeleteItem("action_step", "step"),
                    DeleteItem("phase", d.session.query(StrategyPhase).one().id)],
         lambda _d: [AddItem("phase", "st", {"year": "2025-26", "phase": "initial"})],
         "no action step", "Strategy 1A.1"),
    Case("plan-years", "strategic-plan", _plan(last_year=None), _plan(last_year="2026-27"),
         "school years", "Plan Properties"),
    Case("target-direction", "strategic-plan",
         lambda d: [UpdateItem("target", _point(d, MeasureTarget, "2026-27"), {"value": 30})],
         lambda d: [UpdateItem("target", _point(d, MeasureTarget, "2026-27"), {"value": 50})],
         "goes the other way from 2024-25", "Objective 1A › Measure “Reading”"),
    Case("target-year", "ga-dip",
         lambda _d: [AddItem("target", "m", {"year": "2030-31", "value": 70})],
         lambda d: [UpdateItem("target", _point(d, MeasureTarget, "2030-31"),
                               {"year": "2025-26", "value": 50})],
         "target for 2030-31", "Measure “Reading”"),
    Case("actual-year", "strategic-plan",
         lambda d: [UpdateItem("actual", _point(d, MeasureActual, "2024-25"),
                               {"year": "2019-20"})],
         lambda d: [UpdateItem("actual", _point(d, MeasureActual, "2019-20"),
                               {"year": "2025-26"})],
         "actual for 2019-20", "Measure “Reading”"),
    Case("baseline-year", "strategic-plan",
         lambda _d: [UpdateItem("measure", "m", {"baseline_year": "2027-28"})],
         lambda _d: [UpdateItem("measure", "m", {"baseline_year": "2022-23"})],
         "baseline in 2027-28", "Measure “Reading”"),
    Case("phase-year", "strategic-plan",
         lambda d: [UpdateItem("phase", d.session.query(StrategyPhase).one().id,
                               {"year": "2031-32"})],
         lambda d: [UpdateItem("phase", d.session.query(StrategyPhase).one().id,
                               {"year": "2026-27"})],
         "2031-32", "Strategy 1A.1"),
    Case("funding-year", "ga-dip",
         lambda d: [UpdateItem("funding_link", _link(d, "funding_link", "t1"),
                               {"year": "2020-21"})],
         lambda d: [UpdateItem("funding_link", _link(d, "funding_link", "t1"), {"year": None})],
         "2020-21", "Action Step 1A.1.a"),
    Case("funding-over", "strategic-plan",
         lambda _d: [assign("step", "funding_link", "t1", amount=400.5, year="2025-26")],
         lambda _d: [UpdateItem("funding_source", "t1", {"allocation": 2000})],
         "$1,000.50 is assigned to action steps, more than its allocation of $1,000",
         "Funding Sources › Title I"),
    Case("unused-funding-source", "ga-dip",
         lambda _d: [AddItem("funding_source", "p", {"name": "Title IV"}, item_id="t4")],
         lambda _d: [assign("step", "funding_link", "t4")], "is not used by any",
         "Funding Sources › Title IV"),
    Case("unused-role", "strategic-plan",
         lambda _d: [AddItem("role", "p", {"title": "Coach"}, item_id="coach")],
         lambda _d: [DeleteItem("role", "coach")], "is not responsible", "Roles › Coach"),
    Case("unused-method", "ga-dip", _unlink("effectiveness_link", "scores"),
         _relink("effectiveness_link", "scores"), "is not used by any",
         "Monitoring Methods › State scores"),
    Case("duplicate-funding-source", "strategic-plan",
         lambda _d: [AddItem("funding_source", "p", {"name": " title   I "}, item_id="dup"),
                     assign("step", "funding_link", "dup")],
         lambda _d: [UpdateItem("funding_source", "dup", {"name": "Title II"})],
         "same as “Title I” but for case or spacing", "Funding Sources › title I"),
    Case("duplicate-role", "ga-dip",
         lambda _d: [AddItem("role", "p", {"title": "DIRECTOR of federal programs"},
                             item_id="dup"), assign("step", "role_link", "dup")],
         lambda _d: [DeleteItem("role", "dup")], "same as “Director of Federal Programs”",
         "Roles › DIRECTOR"),
    Case("duplicate-method", "strategic-plan",
         lambda _d: [AddItem("monitoring_method", "p", {"text": "pd  logs"}, index=0,
                             item_id="dup"), assign("step", "implementation_link", "dup")],
         lambda _d: [UpdateItem("monitoring_method", "dup", {"text": "Walkthroughs"})],
         "is the same as “pd  logs”", "Monitoring Methods › PD logs"),
)  # fmt: skip


def _apply(document: PlanDocument, checker: Checker, operations: list[EditOp]) -> None:
    for operation in operations:
        checker.update(document.apply(operation).change)


def _found(checker: Checker, rule: str) -> list[Finding]:
    """The rule's findings, after checking that the edit-by-edit check equals a full one."""
    fresh = run_checks(checker.plan, checker.layout)
    assert sorted(checker.findings, key=repr) == sorted(fresh, key=repr)
    return [finding for finding in fresh if finding.rule == rule]


def test_the_complete_plan_has_no_findings_in_either_layout(document: PlanDocument) -> None:
    assert run_checks(document.plan, "ga-dip") == []
    assert run_checks(document.plan, "strategic-plan") == []


def test_every_rule_has_a_case() -> None:
    assert {case.rule for case in CASES} == {rule.id for rule in RULES}
    assert len({rule.id for rule in RULES}) == len(RULES)


@pytest.mark.parametrize("case", CASES, ids=[case.rule for case in CASES])
def test_a_rule_is_found_and_goes_when_mended(case: Case) -> None:
    with PlanDocument.from_interchange(complete_document(case.layout)) as document:
        checker = Checker(document.plan, case.layout)
        assert checker.run() == []
        _apply(document, checker, case.breaks(document))
        found = _found(checker, case.rule)
        assert found, f"{case.rule} not found: {checker.findings}"
        assert any(case.says in finding.message for finding in found), found
        assert any(case.place in finding.place for finding in found), found
        _apply(document, checker, case.mends(document))
        assert _found(checker, case.rule) == []


def test_rules_apply_only_to_their_layout() -> None:
    with PlanDocument.from_interchange(complete_document("ga-dip")) as document:
        document.apply(UpdateItem("plan", "p", {"team_lead": None}))
        document.apply(DeleteItem("phase", document.session.query(StrategyPhase).one().id))
        document.apply(DeleteItem("action_step", "step"))
        dip = {finding.rule for finding in run_checks(document.plan, "ga-dip")}
        strategic = {finding.rule for finding in run_checks(document.plan, "strategic-plan")}
        assert "dip-team-lead" in dip and "dip-team-lead" not in strategic
        assert "sp-strategy-steps" in strategic and "sp-strategy-steps" not in dip
        # The plan's own layout is the default.
        assert {finding.rule for finding in run_checks(document.plan)} == dip
        assert layout_of(document.plan) == "ga-dip"


def test_an_equity_gap_asks_every_step_of_its_area_and_unmarking_it_stops_asking() -> None:
    with PlanDocument.from_interchange(complete_document("ga-dip")) as document:
        checker = Checker(document.plan)
        _apply(document, checker, [
            UpdateItem("action_step", "step", {"supports_equity_intervention": None}),
            UpdateItem("goal_area", "lit", {"is_equity_gap": False}),
        ])  # fmt: skip
        assert _found(checker, "dip-step-equity") == []
        _apply(document, checker, [UpdateItem("goal_area", "lit", {"is_equity_gap": True})])
        assert [f.item_id for f in _found(checker, "dip-step-equity")] == ["step"]


def test_places_follow_the_tree_and_the_command_line_lines() -> None:
    with PlanDocument.from_interchange(complete_document("ga-dip")) as document:
        checker = Checker(document.plan)
        checker.run()
        # A second area and a second step move the numbers; the check follows them.
        _apply(document, checker, [
            AddItem("goal_area", "p", {"title": "Attendance"}, index=0, item_id="att"),
            AddItem("action_step", "st", {"text": ""}, item_id="new"),
        ])  # fmt: skip
        steps = [f for f in checker.findings if f.item_id == "new"]
        # One numbering everywhere: the outline's (the second step of strategy 2A.1).
        assert steps and all(f.place == "Action Step 2A.1.b" for f in steps)
        lines = format_findings(checker.findings)
        assert len(lines) == len(checker.findings)
        assert "Goal Area 1: The overarching need is empty. [dip-need]" in lines
        assert "Action Step 2A.1.b: The action step has no text. [dip-step-text]" in lines
        assert format_findings([]) == []


def test_findings_come_in_plan_order() -> None:
    with PlanDocument.from_interchange(complete_document("ga-dip")) as document:
        for operation in (
            AddItem("role", "p", {"title": "Idle"}),
            UpdateItem("action_step", "step", {"timeline": None}),
            UpdateItem("goal_area", "lit", {"goal": None}),
            UpdateItem("plan", "p", {"team_lead": None}),
            UpdateItem("ga_general", document.plan.ga_general.id, {"poverty_factors": None}),
        ):
            document.apply(operation)
        kinds = [finding.kind for finding in run_checks(document.plan)]
        assert kinds == ["plan", "ga_general", "goal_area", "action_step", "role"]
        assert isinstance(document.plan.ga_general, GaGeneral)


def test_the_charlotte_sample_has_no_target_outside_its_years() -> None:
    """Its 2024-29 goals have annual targets from June 2024 (2023-24) to June 2029 (2028-29)."""
    from planstudio.model.checks import run_checks
    from tests.conftest import SAMPLES, load_json

    sample = next(path for path in SAMPLES if path.name.startswith("charlotte"))
    with PlanDocument.from_interchange(load_json(sample)) as document:
        plan = document.plan
        assert (plan.first_year, plan.last_year) == ("2023-24", "2028-29")
        rules = {finding.rule for finding in run_checks(plan)}
    assert "target-year" not in rules
