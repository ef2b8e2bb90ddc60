"""The interchange form (`plan.schema.json`): what `dump` writes and `import` reads.

Dump writes the canonical form: keys in schema order, and no empty values
(the schema says absent means empty), except fields the schema requires.
Import accepts any valid document and keeps ids where they are given, so
import followed by dump gives back the same document with ids filled in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from planstudio.model.entities import (
    ActionStep,
    ActionStepReview,
    EffectivenessMonitoringLink,
    FundingLink,
    FundingSource,
    GaGeneral,
    GoalArea,
    ImplementationMonitoringLink,
    Measure,
    MeasureActual,
    MeasureTarget,
    MonitoringMethod,
    Objective,
    Plan,
    Role,
    RoleLink,
    Strategy,
    StrategyPhase,
    new_id,
)
from planstudio.model.errors import InterchangeError
from planstudio.model.validation import first_problem

FORMAT = "planstudio.plan"
FORMAT_VERSION = 1

_PLAN_FIELDS = (
    "title", "organization", "state", "layout", "first_year", "last_year", "status",
    "team_lead", "mission", "vision", "core_beliefs", "level_labels",
)  # fmt: skip
_GA_FIELDS = (
    "funding_options", "title_ii_a_transfer_to", "title_ii_a_transfer_percent",
    "title_iv_a_transfer_to", "title_iv_a_transfer_percent", "poverty_factors",
    "poverty_factors_other", "ed_flex_waiver", "ed_flex_waiver_detail",
)  # fmt: skip
_GOAL_AREA_FIELDS = ("title", "description", "need", "is_equity_gap", "root_causes", "goal")
_EQUITY_FIELDS = ("description", "content_areas", "grade_levels", "subgroups", "interventions")
_MEASURE_FIELDS = ("name", "student_group", "unit", "direction", "data_source")
_STEP_FIELDS = (
    "text", "subgroups", "systems", "evidence_level", "timeline", "start", "end",
    "supports_equity_intervention", "partnerships", "status",
)  # fmt: skip


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _number(value: Any) -> Any:
    # SQLite hands back 67.0 for 67; JSON readers should see what was typed.
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _pick(source: Any, names: tuple[str, ...], prefix: str = "") -> dict[str, Any]:
    picked: dict[str, Any] = {}
    for name in names:
        value = _number(getattr(source, prefix + name))
        if not _is_empty(value):
            picked[name] = value
    return picked


def _with(record: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    if not _is_empty(value):
        record[key] = value
    return record


# ---------------------------------------------------------------------------- dump


def to_interchange(plan: Plan) -> dict[str, Any]:
    """The plan as an interchange document (a dict ready for json.dumps)."""
    plan_record: dict[str, Any] = {"id": plan.id, "title": plan.title}
    plan_record.update(_pick(plan, _PLAN_FIELDS[1:]))
    if plan.ga_general is not None:
        _with(plan_record, "ga_general", _pick(plan.ga_general, _GA_FIELDS))
    document: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
    document["plan"] = plan_record
    _with(document, "funding_sources", [
        {"id": s.id, "name": s.name, **_pick(s, ("code", "kind", "allocation"))}
        for s in plan.funding_sources
    ])  # fmt: skip
    _with(document, "roles", [
        {"id": r.id, "title": r.title, **_pick(r, ("department", "person"))} for r in plan.roles
    ])  # fmt: skip
    _with(document, "monitoring_methods", [
        {"id": m.id, "text": m.text, **_pick(m, ("kind",))} for m in plan.monitoring_methods
    ])  # fmt: skip
    _with(document, "goal_areas", [_goal_area(area) for area in plan.goal_areas])
    return document


def _goal_area(area: GoalArea) -> dict[str, Any]:
    record = {"id": area.id, "title": area.title, **_pick(area, _GOAL_AREA_FIELDS[1:])}
    _with(record, "equity_gap", _pick(area, _EQUITY_FIELDS, "equity_gap_"))
    return _with(record, "objectives", [_objective(o) for o in area.objectives])


def _objective(objective: Objective) -> dict[str, Any]:
    record: dict[str, Any] = {"id": objective.id, "statement": objective.statement}
    _with(record, "measures", [_measure(m) for m in objective.measures])
    return _with(record, "strategies", [_strategy(s) for s in objective.strategies])


def _point(point: MeasureTarget | MeasureActual) -> dict[str, Any]:
    return {"year": point.year, **_pick(point, ("value", "note"))}


def _measure(measure: Measure) -> dict[str, Any]:
    record = {"id": measure.id, "name": measure.name, **_pick(measure, _MEASURE_FIELDS[1:])}
    if measure.baseline_year:
        record["baseline"] = {
            "year": measure.baseline_year,
            **_pick(measure, ("value", "note"), "baseline_"),
        }
    _with(record, "targets", [_point(p) for p in measure.targets])
    return _with(record, "actuals", [_point(p) for p in measure.actuals])


def _strategy(strategy: Strategy) -> dict[str, Any]:
    record: dict[str, Any] = {"id": strategy.id, "text": strategy.text}
    record.update(_pick(strategy, ("evidence_level", "evidence_citation")))
    _with(record, "phases", [{"year": p.year, "phase": p.phase} for p in strategy.phases])
    return _with(record, "action_steps", [_action_step(s) for s in strategy.action_steps])


def _action_step(step: ActionStep) -> dict[str, Any]:
    record: dict[str, Any] = {"id": step.id, "text": step.text}
    _with(record, "funding", [
        {"source": link.funding_source_id, **_pick(link, ("amount", "year"))}
        for link in step.funding
    ])  # fmt: skip
    record.update(_pick(step, ("subgroups", "systems")))
    _with(record, "monitoring_implementation",
          [link.monitoring_method_id for link in step.implementation_links])  # fmt: skip
    _with(record, "monitoring_effectiveness",
          [link.monitoring_method_id for link in step.effectiveness_links])  # fmt: skip
    _with(record, "roles", [link.role_id for link in step.role_links])
    record.update(_pick(step, _STEP_FIELDS[3:]))
    return _with(record, "reviews", [
        {"date": r.date, "status": r.status, **_pick(r, ("percent_complete", "note"))}
        for r in step.reviews
    ])  # fmt: skip


def dumps(plan: Plan) -> str:
    return json.dumps(to_interchange(plan), indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------- import


def parse(text: str | bytes, source: str) -> Any:
    """JSON text to a document, with a clear message for text that is not JSON."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        return json.loads(text)
    except UnicodeDecodeError:
        raise InterchangeError(f"{source} is not UTF-8 text", "$") from None
    except json.JSONDecodeError as error:
        raise InterchangeError(
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
            "$",
        ) from None
    except RecursionError:
        raise InterchangeError(f"{source} is nested too deeply to be a plan", "$") from None


def _json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def validate(document: Any) -> None:
    """Raise InterchangeError at the JSON path of the first problem, if there is one."""
    error = first_problem(document)
    if error is not None:
        raise InterchangeError(error.message, _json_path(error.absolute_path))
    for path, text in _strings(document, "$"):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise InterchangeError(
                "text holds a broken character (a lone surrogate)", path
            ) from None
    seen: dict[str, str] = {}

    def claim(item_id: str | None, path: str) -> None:
        if item_id is None:
            return
        if item_id in seen:
            raise InterchangeError(f"id {item_id!r} is used twice (first at {seen[item_id]})", path)
        seen[item_id] = path

    claim(document["plan"].get("id"), "$.plan.id")
    catalogs: dict[str, set[str]] = {}
    for catalog in ("funding_sources", "roles", "monitoring_methods"):
        catalogs[catalog] = set()
        for index, entry in enumerate(document.get(catalog, [])):
            claim(entry["id"], f"$.{catalog}[{index}].id")
            catalogs[catalog].add(entry["id"])
    for path, kind, item in _walk(document):
        claim(item.get("id"), f"{path}.id")
        if kind != "action_step":
            continue
        for index, link in enumerate(item.get("funding", [])):
            if link["source"] not in catalogs["funding_sources"]:
                raise InterchangeError(
                    f"no funding source has id {link['source']!r}",
                    f"{path}.funding[{index}].source",
                )
        for key, catalog, what in (
            ("roles", "roles", "role"),
            ("monitoring_implementation", "monitoring_methods", "monitoring method"),
            ("monitoring_effectiveness", "monitoring_methods", "monitoring method"),
        ):
            refs = item.get(key, [])
            for index, ref in enumerate(refs):
                if ref not in catalogs[catalog]:
                    raise InterchangeError(f"no {what} has id {ref!r}", f"{path}.{key}[{index}]")
                if ref in refs[:index]:
                    raise InterchangeError(
                        f"{what} {ref!r} is listed twice", f"{path}.{key}[{index}]"
                    )


def _walk(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for a, area in enumerate(document.get("goal_areas", [])):
        area_path = f"$.goal_areas[{a}]"
        yield area_path, "goal_area", area
        for o, objective in enumerate(area.get("objectives", [])):
            objective_path = f"{area_path}.objectives[{o}]"
            yield objective_path, "objective", objective
            for m, measure in enumerate(objective.get("measures", [])):
                yield f"{objective_path}.measures[{m}]", "measure", measure
            for s, strategy in enumerate(objective.get("strategies", [])):
                strategy_path = f"{objective_path}.strategies[{s}]"
                yield strategy_path, "strategy", strategy
                for t, step in enumerate(strategy.get("action_steps", [])):
                    yield f"{strategy_path}.action_steps[{t}]", "action_step", step


def _values(record: dict[str, Any], names: tuple[str, ...], prefix: str = "") -> dict[str, Any]:
    """Fields of a record for a constructor; empty optional values are stored as absent."""
    return {prefix + name: None if _is_empty(record.get(name)) else record[name] for name in names}


def build_plan(document: dict[str, Any]) -> Plan:
    """ORM objects for a validated document (see `validate`), ready to add to a session."""
    source = document["plan"]
    plan = Plan(id=source.get("id") or new_id(), title=source["title"])
    for name, value in _values(source, _PLAN_FIELDS[1:]).items():
        setattr(plan, name, value)
    plan.ga_general = GaGeneral(**_values(source.get("ga_general", {}), _GA_FIELDS))
    plan.funding_sources = [
        FundingSource(id=s["id"], name=s["name"], **_values(s, ("code", "kind", "allocation")))
        for s in document.get("funding_sources", [])
    ]
    plan.roles = [
        Role(id=r["id"], title=r["title"], **_values(r, ("department", "person")))
        for r in document.get("roles", [])
    ]
    plan.monitoring_methods = [
        MonitoringMethod(id=m["id"], text=m["text"], **_values(m, ("kind",)))
        for m in document.get("monitoring_methods", [])
    ]
    plan.goal_areas = [_build_goal_area(area) for area in document.get("goal_areas", [])]
    return plan


def _build_goal_area(record: dict[str, Any]) -> GoalArea:
    area = GoalArea(
        id=record.get("id") or new_id(),
        title=record["title"],
        **_values(record, _GOAL_AREA_FIELDS[1:]),
        **_values(record.get("equity_gap", {}), _EQUITY_FIELDS, "equity_gap_"),
    )
    area.objectives = [_build_objective(o) for o in record.get("objectives", [])]
    return area


def _build_objective(record: dict[str, Any]) -> Objective:
    objective = Objective(id=record.get("id") or new_id(), statement=record["statement"])
    objective.measures = [_build_measure(m) for m in record.get("measures", [])]
    objective.strategies = [_build_strategy(s) for s in record.get("strategies", [])]
    return objective


def _build_measure(record: dict[str, Any]) -> Measure:
    baseline = record.get("baseline") or {}
    measure = Measure(
        id=record.get("id") or new_id(),
        name=record["name"],
        **_values(record, _MEASURE_FIELDS[1:]),
        **_values(baseline, ("year", "value", "note"), "baseline_"),
    )
    measure.targets = [
        MeasureTarget(year=p["year"], **_values(p, ("value", "note")))
        for p in record.get("targets", [])
    ]
    measure.actuals = [
        MeasureActual(year=p["year"], **_values(p, ("value", "note")))
        for p in record.get("actuals", [])
    ]
    return measure


def _build_strategy(record: dict[str, Any]) -> Strategy:
    strategy = Strategy(
        id=record.get("id") or new_id(),
        text=record["text"],
        **_values(record, ("evidence_level", "evidence_citation")),
    )
    strategy.phases = [
        StrategyPhase(year=p["year"], phase=p["phase"]) for p in record.get("phases", [])
    ]
    strategy.action_steps = [_build_action_step(s) for s in record.get("action_steps", [])]
    return strategy


def _build_action_step(record: dict[str, Any]) -> ActionStep:
    step = ActionStep(
        id=record.get("id") or new_id(), text=record["text"], **_values(record, _STEP_FIELDS[1:])
    )
    step.funding = [
        FundingLink(funding_source_id=link["source"], **_values(link, ("amount", "year")))
        for link in record.get("funding", [])
    ]
    step.role_links = [RoleLink(role_id=ref) for ref in record.get("roles", [])]
    step.implementation_links = [
        ImplementationMonitoringLink(monitoring_method_id=ref)
        for ref in record.get("monitoring_implementation", [])
    ]
    step.effectiveness_links = [
        EffectivenessMonitoringLink(monitoring_method_id=ref)
        for ref in record.get("monitoring_effectiveness", [])
    ]
    step.reviews = [
        ActionStepReview(
            date=r["date"], status=r["status"], **_values(r, ("percent_complete", "note"))
        )
        for r in record.get("reviews", [])
    ]
    return step


def import_into(session: Session, document: Any) -> Plan:
    """Validate a document and add its plan to an empty plan database."""
    validate(document)
    plan = build_plan(document)
    session.add(plan)
    return plan
