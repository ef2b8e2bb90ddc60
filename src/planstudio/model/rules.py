"""What each layout requires of a plan, as data: one `Rule` per requirement.

A rule names the kind of item it looks at, the layouts it applies to (none
named: every layout), the field to go to, the message, and a small test.  The
test gets the item and a `Facts` object (the links, targets and phases the
checker read for the whole plan) and answers None when the item is fine, or
the values the message is filled with (a dict, or a list of dicts for one
finding each).  To add a requirement, add a rule to `RULES`; `checks` runs them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from planstudio.model.formatting import money

GA_DIP = ("ga-dip",)
STRATEGIC = ("strategic-plan",)
EVERY = ()  # no layout named: the rule applies to every layout

Values = Mapping[str, Any]
Outcome = Values | list[Values] | None


class Facts(Protocol):
    """What a test may ask beyond the item's own columns (see `checks.Facts`)."""

    plan: Any
    years: list[str]

    def links(self, step_id: str, link_kind: str) -> list[tuple[Any, ...]]: ...
    def area_of(self, step_id: str) -> Any: ...
    def targets(self, measure_id: str) -> list[tuple[str, str, float | None]]: ...
    def actuals(self, measure_id: str) -> list[tuple[str, str]]: ...
    def phases(self, strategy_id: str) -> list[tuple[str, str]]: ...
    def uses(self, catalog_kind: str, entry_id: str) -> int: ...
    def assigned(self, source_id: str) -> float: ...
    def first_like(self, catalog_kind: str, entry: Any) -> Any: ...


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str  # the kind of item looked at (kinds.KINDS), e.g. "action_step"
    layouts: tuple[str, ...]  # where it applies; empty for every layout
    field: str  # the field the finding goes to
    message: str  # str.format template, filled with what the test returns
    test: Callable[[Any, Facts], Outcome]

    def applies_to(self, layout: str) -> bool:
        return not self.layouts or layout in self.layouts


# ---------------------------------------------------------------------------- small tests


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not any(not _blank(entry) for entry in value)
    return False


def _empty(field: str) -> Callable[[Any, Facts], Outcome]:
    def test(item: Any, _facts: Facts) -> Outcome:
        return {} if _blank(getattr(item, field)) else None

    return test


def _no_links(link_kind: str) -> Callable[[Any, Facts], Outcome]:
    def test(step: Any, facts: Facts) -> Outcome:
        return None if facts.links(step.id, link_kind) else {}

    return test


def _equity_gap_undescribed(area: Any, _facts: Facts) -> Outcome:
    return {} if area.is_equity_gap and _blank(area.equity_gap_description) else None


def _equity_question_unanswered(step: Any, facts: Facts) -> Outcome:
    area = facts.area_of(step.id)
    gap = area is not None and area.is_equity_gap
    return {} if gap and step.supports_equity_intervention is None else None


def _no_measure_to_last_year(objective: Any, facts: Facts) -> Outcome:
    last = facts.plan.last_year
    for measure in objective.measures:
        has_baseline = measure.baseline_value is not None or not _blank(measure.baseline_note)
        has_target = any(
            year == last and (value is not None) for _id, year, value in facts.targets(measure.id)
        )
        if has_baseline and has_target:
            return None
    return {"last_year": last or "the plan's last year"}


def _no_steps_or_phases(strategy: Any, facts: Facts) -> Outcome:
    return None if strategy.action_steps or facts.phases(strategy.id) else {}


def _against_direction(measure: Any, facts: Facts) -> Outcome:
    if measure.direction not in ("increase", "decrease"):
        return None
    points = sorted(
        (year, value) for _id, year, value in facts.targets(measure.id) if value is not None
    )
    if measure.baseline_value is not None and measure.baseline_year:
        points.insert(0, (f"{measure.baseline_year} (baseline)", measure.baseline_value))
    found: list[Values] = []
    for (year_before, before), (year, value) in itertools.pairwise(points):
        falls = value < before if measure.direction == "increase" else value > before
        if falls:
            found.append({"name": measure.name, "year": year, "before": year_before,
                          "direction": measure.direction})  # fmt: skip
    return found or None


def _outside(year: str | None, facts: Facts) -> bool:
    return bool(year) and bool(facts.years) and year not in facts.years


def _baseline_outside(measure: Any, facts: Facts) -> Outcome:
    # A baseline is measured before or during the plan, never after it.
    year = measure.baseline_year
    if not year or not facts.years or year in facts.years or year < facts.years[0]:
        return None
    return {"name": measure.name, "year": year}


def _points_outside(which: str) -> Callable[[Any, Facts], Outcome]:
    def test(measure: Any, facts: Facts) -> Outcome:
        rows = facts.targets(measure.id) if which == "target" else facts.actuals(measure.id)
        found: list[Values] = [
            {"name": measure.name, "year": row[1]} for row in rows if _outside(row[1], facts)
        ]
        return found or None

    return test


def _phases_outside(strategy: Any, facts: Facts) -> Outcome:
    found: list[Values] = [
        {"year": year} for _id, year in facts.phases(strategy.id) if _outside(year, facts)
    ]
    return found or None


def _funding_outside(step: Any, facts: Facts) -> Outcome:
    found: list[Values] = [
        {"year": row[3]} for row in facts.links(step.id, "funding_link") if _outside(row[3], facts)
    ]
    return found or None


def _over_allocation(source: Any, facts: Facts) -> Outcome:
    if source.allocation is None:
        return None
    assigned = round(facts.assigned(source.id), 2)
    if assigned <= round(source.allocation, 2):
        return None
    return {"name": source.name, "assigned": money(assigned),
            "allocation": money(source.allocation)}  # fmt: skip


def _unused(catalog_kind: str, name_field: str) -> Callable[[Any, Facts], Outcome]:
    def test(entry: Any, facts: Facts) -> Outcome:
        if facts.uses(catalog_kind, entry.id):
            return None
        return {"name": getattr(entry, name_field)}

    return test


def _duplicate(catalog_kind: str, name_field: str) -> Callable[[Any, Facts], Outcome]:
    def test(entry: Any, facts: Facts) -> Outcome:
        first = facts.first_like(catalog_kind, entry)
        if first is None or first is entry:
            return None
        return {"name": getattr(entry, name_field), "first": getattr(first, name_field)}

    return test


def _years_unknown(plan: Any, facts: Facts) -> Outcome:
    return None if facts.years else {}


# ---------------------------------------------------------------------------- the rules


def _step(rule_id: str, field: str, message: str, test: Callable[[Any, Facts], Outcome]) -> Rule:
    return Rule(rule_id, "action_step", GA_DIP, field, message, test)


RULES: tuple[Rule, ...] = (
    # --- ga-dip: 1 General Improvement Plan Information
    Rule("dip-district", "plan", GA_DIP, "organization", "The district is not named.",
         _empty("organization")),
    Rule("dip-team-lead", "plan", GA_DIP, "team_lead", "No team lead is named.",
         _empty("team_lead")),
    Rule("dip-funding-option", "ga_general", GA_DIP, "funding_options",
         "No federal funding option is selected.", _empty("funding_options")),
    Rule("dip-poverty-factors", "ga_general", GA_DIP, "poverty_factors",
         "No factor used to identify students in poverty is selected.",
         _empty("poverty_factors")),
    # --- ga-dip: 3 District Improvement Goals, each overarching need
    Rule("dip-need", "goal_area", GA_DIP, "need", "The overarching need is empty.",
         _empty("need")),
    Rule("dip-root-cause", "goal_area", GA_DIP, "root_causes", "No root cause is given.",
         _empty("root_causes")),
    Rule("dip-goal", "goal_area", GA_DIP, "goal", "The goal is empty.", _empty("goal")),
    Rule("dip-equity-gap", "goal_area", GA_DIP, "equity_gap_description",
         "The need is marked as an equity gap but the equity gap is not described.",
         _equity_gap_undescribed),
    # --- ga-dip: every action step
    _step("dip-step-text", "text", "The action step has no text.", _empty("text")),
    _step("dip-step-funding", "funding", "No funding source is assigned.",
          _no_links("funding_link")),
    _step("dip-step-subgroups", "subgroups", "No subgroup is given (\"N/A\" counts).",
          _empty("subgroups")),
    _step("dip-step-systems", "systems", "No system is selected.", _empty("systems")),
    _step("dip-step-implementation", "monitoring_implementation",
          "No method for monitoring implementation.", _no_links("implementation_link")),
    _step("dip-step-effectiveness", "monitoring_effectiveness",
          "No method for monitoring effectiveness.", _no_links("effectiveness_link")),
    _step("dip-step-role", "roles", "No position or role is responsible.",
          _no_links("role_link")),
    _step("dip-step-evidence", "evidence_level", "No evidence level is chosen.",
          _empty("evidence_level")),
    _step("dip-step-timeline", "timeline", "No timeline for implementation.",
          lambda step, _f: {} if _blank(step.timeline) and not (step.start or step.end) else None),
    _step("dip-step-equity", "supports_equity_intervention",
          "The need is an equity gap: say whether this step supports the equity intervention.",
          _equity_question_unanswered),
    # --- strategic-plan
    Rule("sp-objective-measure", "objective", STRATEGIC, "measures",
         "No measure with a baseline and a target for {last_year}.", _no_measure_to_last_year),
    Rule("sp-strategy-steps", "strategy", STRATEGIC, "action_steps",
         "The strategy has no action step and no implementation phase.", _no_steps_or_phases),
    # --- every layout
    Rule("plan-years", "plan", EVERY, "first_year",
         "The plan's first and last school years are not both set (e.g. 2024-25 to 2028-29).",
         _years_unknown),
    Rule("target-direction", "measure", EVERY, "targets",
         "“{name}” should {direction}, but the target for {year} goes the other way from "
         "{before}.", _against_direction),
    Rule("target-year", "measure", EVERY, "targets",
         "“{name}” has a target for {year}, outside the plan's years.", _points_outside("target")),
    Rule("actual-year", "measure", EVERY, "actuals",
         "“{name}” has an actual for {year}, outside the plan's years.", _points_outside("actual")),
    Rule("baseline-year", "measure", EVERY, "baseline_year",
         "“{name}” has its baseline in {year}, after the plan's years.", _baseline_outside),
    Rule("phase-year", "strategy", EVERY, "phases",
         "An implementation phase is for {year}, outside the plan's years.", _phases_outside),
    Rule("funding-year", "action_step", EVERY, "funding",
         "Funding is for {year}, outside the plan's years.", _funding_outside),
    Rule("funding-over", "funding_source", EVERY, "allocation",
         "{name}: {assigned} is assigned to action steps, more than its allocation of "
         "{allocation}.", _over_allocation),
    Rule("unused-funding-source", "funding_source", EVERY, "name",
         "The funding source “{name}” is not used by any action step.",
         _unused("funding_source", "name")),
    Rule("unused-role", "role", EVERY, "title",
         "The role “{name}” is not responsible for any action step.", _unused("role", "title")),
    Rule("unused-method", "monitoring_method", EVERY, "text",
         "The monitoring method “{name}” is not used by any action step.",
         _unused("monitoring_method", "text")),
    Rule("duplicate-funding-source", "funding_source", EVERY, "name",
         "The funding source “{name}” is the same as “{first}” but for case or spacing.",
         _duplicate("funding_source", "name")),
    Rule("duplicate-role", "role", EVERY, "title",
         "The role “{name}” is the same as “{first}” but for case or spacing.",
         _duplicate("role", "title")),
    Rule("duplicate-method", "monitoring_method", EVERY, "text",
         "The monitoring method “{name}” is the same as “{first}” but for case or spacing.",
         _duplicate("monitoring_method", "text")),
)  # fmt: skip

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
CATALOG_NAME_FIELDS = {"funding_source": "name", "role": "title", "monitoring_method": "text"}
