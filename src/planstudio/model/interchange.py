"""The interchange form (`plan.schema.json`): what `dump` writes and `import` reads.

Dump writes the canonical form: keys in schema order, and no empty values
(the schema says absent means empty), except fields the schema requires.
Import accepts any valid document and keeps ids where they are given, so
import followed by dump gives back the same document with ids filled in.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, insert

from planstudio.model import schema
from planstudio.model.errors import InterchangeError
from planstudio.model.schema import new_id, utc_now
from planstudio.model.validation import first_problem

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from planstudio.model.entities import (
        ActionStep,
        GoalArea,
        Measure,
        MeasureActual,
        MeasureTarget,
        Objective,
        Plan,
        Strategy,
    )

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
    # Named here: dump and export read through `snapshot` and never build the ORM.
    from planstudio.model.loading import load_everything

    load_everything(plan)
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
    return as_text(to_interchange(plan))


def as_text(document: dict[str, Any]) -> str:
    """An interchange document as the text `dump` writes: json.dumps(indent=2,
    ensure_ascii=False) to the byte, written here, since json.dumps with an indent uses
    its pure-Python encoder (a second and more on a 4,000-step plan)."""
    parts: list[str] = []
    append = parts.append
    encode = _encode_string
    # The same few keys ("id", "text") come back on every record at each depth: what
    # precedes a value (`,` newline, indent, key) is made once per key and depth.
    prefixes: dict[str, dict[str, str]] = {}

    def write(value: Any, newline: str) -> None:
        # Strings through json's C escaper, numbers by repr as json does; only the layout
        # here.  Strings, the most common value by far, are written without a call.
        if isinstance(value, dict):
            if not value:
                append("{}")
                return
            inner = newline + "  "
            made = prefixes.get(inner)
            if made is None:
                made = prefixes[inner] = {}
            first = len(parts)
            for key, item in value.items():
                prefix = made.get(key)
                if prefix is None:
                    prefix = made[key] = "," + inner + encode(key) + ": "
                if item.__class__ is str:
                    append(prefix + encode(item))
                else:
                    append(prefix)
                    write(item, inner)
            parts[first] = "{" + parts[first][1:]  # the first key follows the brace
            append(newline + "}")
        elif isinstance(value, list):
            if not value:
                append("[]")
                return
            inner = newline + "  "
            separator = "[" + inner
            for item in value:
                append(separator)
                if item.__class__ is str:
                    append(encode(item))
                else:
                    write(item, inner)
                separator = "," + inner
            append(newline + "]")
        elif isinstance(value, str):
            append(encode(value))
        elif value is True:
            append("true")
        elif value is False:
            append("false")
        elif value is None:
            append("null")
        else:
            append(json.dumps(value) if isinstance(value, float) else _plain(value))

    write(document, "\n")
    append("\n")
    return "".join(parts)


def _plain(value: Any) -> str:
    if isinstance(value, int):
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)  # anything else: as json.dumps would


_encode_string: Any = (
    getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring
)


# ---------------------------------------------------------------------------- import


# A plan nests about ten deep; far deeper is a document built to exhaust the stack.
MAX_DEPTH = 64
# No amount in a plan has more digits than this; Python refuses to read past 4,300 at all.
_MAX_DIGITS = 40


class _Unreadable:
    """Stands in, while parsing, for a number JSON cannot carry, until its path is known."""

    def __init__(self, problem: str) -> None:
        self.problem = problem


def _constant(_name: str) -> _Unreadable:
    return _Unreadable("not a number (NaN and Infinity are not JSON numbers)")


def _integer(text: str) -> int | _Unreadable:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        return _Unreadable(f"a number with {len(text.lstrip('-'))} digits is too large")
    return int(text)


def _real(text: str) -> float | _Unreadable:
    if len(text) > _MAX_DIGITS * 2:
        return _Unreadable(f"a number written with {len(text)} characters is too large")
    value = float(text)
    return value if math.isfinite(value) else _Unreadable("a number too large to hold")


def parse(text: str | bytes, source: str) -> Any:
    """JSON text to a document, with a clear message for text that is not JSON."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        document = json.loads(text, parse_constant=_constant, parse_int=_integer, parse_float=_real)
    except UnicodeDecodeError:
        raise InterchangeError(f"{source} is not UTF-8 text", "$") from None
    except json.JSONDecodeError as error:
        raise InterchangeError(
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
            "$",
        ) from None
    except RecursionError:
        raise InterchangeError(f"{source} is nested too deeply to be a plan", "$") from None
    check_sound(document)
    return document


def _json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{_printable(str(part))}"
    return path


def _printable(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


def _broken(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_sound(document: Any) -> None:
    """Refuse what no schema check could even look at: unreadable numbers, broken
    characters in keys or text, nesting past MAX_DEPTH.  Iterative, so depth costs no stack."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        value, parts = stack.pop()
        if len(parts) > MAX_DEPTH:
            raise InterchangeError("nested too deeply to be a plan", _json_path(parts))
        if isinstance(value, _Unreadable):
            raise InterchangeError(value.problem, _json_path(parts))
        if isinstance(value, str):
            if _broken(value):
                raise InterchangeError(
                    "text holds a broken character (a lone surrogate)", _json_path(parts)
                )
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise InterchangeError("not a number", _json_path(parts))
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                if not isinstance(key, str) or _broken(key):
                    raise InterchangeError(
                        "a field name holds a broken character (a lone surrogate)",
                        _json_path((*parts, str(key))),
                    )
                stack.append((item, (*parts, key)))
        elif isinstance(value, list):
            stack.extend(
                (item, (*parts, index)) for index, item in reversed(list(enumerate(value)))
            )


def validate(document: Any) -> None:
    """Raise InterchangeError at the JSON path of the first problem, if there is one."""
    check_sound(document)
    problem = first_problem(document)
    if problem is not None:
        raise InterchangeError(problem[1], _json_path(problem[0]))
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
    """Fields of a record as columns; empty optional values are stored as absent."""
    return {prefix + name: None if _is_empty(record.get(name)) else record[name] for name in names}


class _Rows:
    """Rows per table, written with one bulk insert each: an ORM flush of a 4,000-step plan
    takes seconds, a bulk insert a fraction of that."""

    def __init__(self) -> None:
        self.tables: dict[Table, list[dict[str, Any]]] = {}
        self.now = utc_now()

    def add(self, table: Table, row: dict[str, Any], position: int | None = None) -> str:
        row.setdefault("id", None)
        row["id"] = row["id"] or new_id()
        row["created_at"] = row["modified_at"] = self.now
        if position is not None:
            row["position"] = position
        self.tables.setdefault(table, []).append(row)
        return str(row["id"])

    def insert(self, session: Session) -> None:
        # Parents before children (the metadata's dependency order): keys hold at every step.
        for table in schema.metadata.sorted_tables:
            rows = self.tables.get(table)
            if rows:
                session.execute(insert(table), rows)


def insert_plan(session: Session, document: dict[str, Any]) -> str:
    """Add the plan of a validated document (see `validate`) to an empty database."""
    rows = _Rows()
    source = document["plan"]
    plan_id = rows.add(
        schema.plan,
        {"id": source.get("id"), "title": source["title"], **_values(source, _PLAN_FIELDS[1:])},
    )
    general = _values(source.get("ga_general", {}), _GA_FIELDS)
    rows.add(schema.ga_general, {"plan_id": plan_id, **general})
    for index, entry in enumerate(document.get("funding_sources", [])):
        source_row = {"id": entry["id"], "plan_id": plan_id, "name": entry["name"]}
        source_row.update(_values(entry, ("code", "kind", "allocation")))
        rows.add(schema.funding_source, source_row, index)
    for index, entry in enumerate(document.get("roles", [])):
        role_row = {"id": entry["id"], "plan_id": plan_id, "title": entry["title"]}
        role_row.update(_values(entry, ("department", "person")))
        rows.add(schema.role, role_row, index)
    for index, entry in enumerate(document.get("monitoring_methods", [])):
        method = {"id": entry["id"], "plan_id": plan_id, "text": entry["text"]}
        rows.add(schema.monitoring_method, {**method, **_values(entry, ("kind",))}, index)
    for a, area in enumerate(document.get("goal_areas", [])):
        area_id = rows.add(schema.goal_area, {
            "id": area.get("id"), "plan_id": plan_id, "title": area["title"],
            **_values(area, _GOAL_AREA_FIELDS[1:]),
            **_values(area.get("equity_gap", {}), _EQUITY_FIELDS, "equity_gap_"),
        }, a)  # fmt: skip
        for o, objective in enumerate(area.get("objectives", [])):
            objective_row = {"id": objective.get("id"), "goal_area_id": area_id}
            objective_id = rows.add(
                schema.objective, {**objective_row, "statement": objective["statement"]}, o
            )
            for m, measure in enumerate(objective.get("measures", [])):
                _add_measure(rows, objective_id, measure, m)
            for s, strategy in enumerate(objective.get("strategies", [])):
                _add_strategy(rows, objective_id, strategy, s)
    rows.insert(session)
    return plan_id


def _add_measure(rows: _Rows, objective_id: str, record: dict[str, Any], position: int) -> None:
    measure_id = rows.add(schema.measure, {
        "id": record.get("id"), "objective_id": objective_id, "name": record["name"],
        **_values(record, _MEASURE_FIELDS[1:]),
        **_values(record.get("baseline") or {}, ("year", "value", "note"), "baseline_"),
    }, position)  # fmt: skip
    for table, key in ((schema.measure_target, "targets"), (schema.measure_actual, "actuals")):
        for index, point in enumerate(record.get(key, [])):
            rows.add(table, {"measure_id": measure_id, "year": point["year"],
                             **_values(point, ("value", "note"))}, index)  # fmt: skip


def _add_strategy(rows: _Rows, objective_id: str, record: dict[str, Any], position: int) -> None:
    strategy_id = rows.add(schema.strategy, {
        "id": record.get("id"), "objective_id": objective_id, "text": record["text"],
        **_values(record, ("evidence_level", "evidence_citation")),
    }, position)  # fmt: skip
    for index, phase in enumerate(record.get("phases", [])):
        rows.add(schema.strategy_phase, {"strategy_id": strategy_id, "year": phase["year"],
                                 "phase": phase["phase"]}, index)  # fmt: skip
    for index, step in enumerate(record.get("action_steps", [])):
        _add_action_step(rows, strategy_id, step, index)


def _add_action_step(rows: _Rows, strategy_id: str, record: dict[str, Any], position: int) -> None:
    step_id = rows.add(schema.action_step, {
        "id": record.get("id"), "strategy_id": strategy_id, "text": record["text"],
        **_values(record, _STEP_FIELDS[1:]),
    }, position)  # fmt: skip
    for index, link in enumerate(record.get("funding", [])):
        funding = {"action_step_id": step_id, "funding_source_id": link["source"]}
        funding.update(_values(link, ("amount", "year")))
        rows.add(schema.funding_link, funding, index)
    method = "monitoring_method_id"
    for table, key, column in (
        (schema.role_link, "roles", "role_id"),
        (schema.implementation_monitoring_link, "monitoring_implementation", method),
        (schema.effectiveness_monitoring_link, "monitoring_effectiveness", method),
    ):
        for index, ref in enumerate(record.get(key, [])):
            rows.add(table, {"action_step_id": step_id, column: ref}, index)
    for index, review in enumerate(record.get("reviews", [])):
        rows.add(schema.action_step_review, {
            "action_step_id": step_id, "date": review["date"], "status": review["status"],
            **_values(review, ("percent_complete", "note")),
        }, index)  # fmt: skip


def import_into(session: Session, document: Any) -> str:
    """Validate a document and add its plan to an empty plan database; return the plan's id."""
    validate(document)
    return insert_plan(session, document)
