"""The interchange form read straight from the tables: what dump, export and the window's
export thread read, with no ORM objects.

`read_snapshot` returns exactly what `interchange.to_interchange` makes of the loaded
ORM plan (a test holds them equal), in one query per table through SQLAlchemy Core:
portable to any database SQLAlchemy speaks, and about ten times faster on a large
plan, since no object is built, identity-mapped or tracked on the way.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import Any

from sqlalchemy import JSON, Connection, Text, select, type_coerce

from planstudio.model.entities import Base
from planstudio.model.interchange import (
    _EQUITY_FIELDS,
    _GA_FIELDS,
    _GOAL_AREA_FIELDS,
    _MEASURE_FIELDS,
    _PLAN_FIELDS,
    _STEP_FIELDS,
    FORMAT,
    FORMAT_VERSION,
)

Record = dict[str, Any]
Values = Sequence[Any]
# Each table's rows grouped by their parent's id, in order within each parent.
_Children = dict[Any, list[Values]]

_SCALARS = (str, int, float, bool, type(None))


class _Lists:
    """Stored lists decoded once per distinct text (the same few repeat on thousands of
    rows), handed out as copies so that no two records share a list."""

    def __init__(self) -> None:
        self._decoded: dict[str, Any] = {}

    def __call__(self, text: str | None) -> Any:
        if text is None:
            return None
        value = self._decoded.get(text)
        if value is None:
            value = self._decoded[text] = json.loads(text)
        if isinstance(value, list) and all(isinstance(item, _SCALARS) for item in value):
            return list(value)
        return copy.deepcopy(value)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _number(value: Any) -> Any:
    # As `interchange._number`: SQLite hands back 67.0 for 67.
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _pick(names: Iterable[str], values: Iterable[Any], into: Record | None = None) -> Record:
    """The non-empty values under their names (as `interchange._pick`, inlined: it runs
    on every field of every row)."""
    picked: Record = {} if into is None else into
    for name, value in zip(names, values):  # noqa: B905 - lengths are the caller's, fixed
        if not value and (value is None or value == "" or value == [] or value == {}):
            continue  # falsy but kept: 0, 0.0 and False are values
        if value.__class__ is float and value.is_integer() and -(2**53) < value < 2**53:
            value = int(value)
        picked[name] = value
    return picked


def _with(record: Record, key: str, value: Any) -> Record:
    if not _is_empty(value):
        record[key] = value
    return record


class _Reader:
    """One query per table on one connection (so, inside one read transaction)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.lists = _Lists()

    def rows(self, table_name: str, columns: Sequence[str]) -> list[Values]:
        table = Base.metadata.tables[table_name]
        selected = [self._column(table, name) for name in columns]
        return [
            self._decoded(table, columns, row) for row in self.connection.execute(select(*selected))
        ]

    def children(self, table_name: str, parent_key: str, columns: Sequence[str]) -> _Children:
        """Rows by parent id, each parent's in position order (ties by id, for a fixed order)."""
        table = Base.metadata.tables[table_name]
        selected = [table.c[parent_key], *(self._column(table, name) for name in columns)]
        order = [
            table.c[parent_key],
            *([table.c.position] if "position" in table.c else []),
            table.c.id,
        ]
        query = select(*selected).order_by(*order)
        lists = [
            index for index, name in enumerate(columns) if isinstance(table.c[name].type, JSON)
        ]
        grouped: _Children = {}
        # Plain tuples: slicing a Row costs several times what copying it to a tuple does.
        records = [tuple(row) for row in self.connection.execute(query)]
        for parent, rows in groupby(records, key=lambda row: row[0]):
            if lists:
                grouped[parent] = [self._decoded_at(row[1:], lists) for row in rows]
            else:
                grouped[parent] = [row[1:] for row in rows]
        return grouped

    def ids(self, table_name: str, parent_key: str, column: str) -> dict[Any, list[Any]]:
        """One column of a link table by parent id, each parent's in position order."""
        grouped: dict[Any, list[Any]] = {}
        for parent, value in self.children(table_name, parent_key, (column,)).items():
            grouped[parent] = [row[0] for row in value]
        return grouped

    @staticmethod
    def _column(table: Any, name: str) -> Any:
        column = table.c[name]
        # Lists come as their stored text, decoded by `_Lists` once per distinct text.
        return type_coerce(column, Text) if isinstance(column.type, JSON) else column

    def _decoded(self, table: Any, columns: Sequence[str], row: Values) -> Values:
        lists = [
            index for index, name in enumerate(columns) if isinstance(table.c[name].type, JSON)
        ]
        return self._decoded_at(row, lists) if lists else row

    def _decoded_at(self, row: Values, lists: list[int]) -> Values:
        values = list(row)
        for index in lists:
            values[index] = self.lists(values[index])
        return values


def read_snapshot(connection: Connection, plan_id: str | None = None) -> dict[str, Any]:
    """The plan in the database (the one with `plan_id`, when given) as an interchange
    document (a dict ready for json.dumps)."""
    reader = _Reader(connection)
    plans = [row for row in reader.rows("plan", ("id", *_PLAN_FIELDS))
             if plan_id is None or row[0] == plan_id]  # fmt: skip
    if len(plans) != 1:
        raise ValueError(f"expected one plan in the database, found {len(plans)}")
    plan_id, title, *plan_values = plans[0]
    plan_record: Record = {"id": plan_id, "title": title}
    _pick(_PLAN_FIELDS[1:], plan_values, plan_record)
    general = reader.children("ga_general", "plan_id", _GA_FIELDS).get(plan_id)
    if general:
        _with(plan_record, "ga_general", _pick(_GA_FIELDS, general[0]))
    document: Record = {"format": FORMAT, "format_version": FORMAT_VERSION, "plan": plan_record}

    def catalog(table: str, first: str, rest: tuple[str, ...]) -> list[Record]:
        entries = reader.children(table, "plan_id", ("id", first, *rest)).get(plan_id, [])
        return [{"id": row[0], first: row[1], **_pick(rest, row[2:])} for row in entries]

    _with(
        document,
        "funding_sources",
        catalog("funding_source", "name", ("code", "kind", "allocation")),
    )
    _with(document, "roles", catalog("role", "title", ("department", "person")))
    _with(document, "monitoring_methods", catalog("monitoring_method", "text", ("kind",)))
    _with(document, "goal_areas", _Tree(reader).goal_areas(plan_id))
    return document


class _Tree:
    """The four levels with their measures, phases, reviews and links, read table by table."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader

    def goal_areas(self, plan_id: str) -> list[Record]:
        reader = self.reader
        area_fields = ("id", *_GOAL_AREA_FIELDS, *(f"equity_gap_{name}" for name in _EQUITY_FIELDS))
        areas = reader.children("goal_area", "plan_id", area_fields).get(plan_id, [])
        self.objectives = reader.children("objective", "goal_area_id", ("id", "statement"))
        self._read_measures()
        self._read_strategies()
        split = 1 + len(_GOAL_AREA_FIELDS)
        records = []
        for row in areas:
            record = {"id": row[0], "title": row[1], **_pick(_GOAL_AREA_FIELDS[1:], row[2:split])}
            _with(record, "equity_gap", _pick(_EQUITY_FIELDS, row[split:]))
            records.append(_with(record, "objectives", self._objectives(row[0])))
        return records

    def _objectives(self, area_id: str) -> list[Record]:
        records = []
        for objective_id, statement in self.objectives.get(area_id, ()):
            record: Record = {"id": objective_id, "statement": statement}
            _with(record, "measures", self._measures(objective_id))
            records.append(_with(record, "strategies", self._strategies(objective_id)))
        return records

    # -- measures

    def _read_measures(self) -> None:
        reader = self.reader
        fields = ("id", *_MEASURE_FIELDS, "baseline_year", "baseline_value", "baseline_note")
        self.measures = reader.children("measure", "objective_id", fields)
        point = ("year", "value", "note")
        self.targets = reader.children("measure_target", "measure_id", point)
        self.actuals = reader.children("measure_actual", "measure_id", point)

    def _measures(self, objective_id: str) -> list[Record]:
        records = []
        split = 1 + len(_MEASURE_FIELDS)
        for row in self.measures.get(objective_id, ()):
            measure_id = row[0]
            record = {"id": measure_id, "name": row[1], **_pick(_MEASURE_FIELDS[1:], row[2:split])}
            baseline_year = row[split]
            if baseline_year:
                record["baseline"] = {
                    "year": baseline_year,
                    **_pick(("value", "note"), row[split + 1 :]),
                }
            _with(record, "targets", _points(self.targets.get(measure_id, ())))
            records.append(_with(record, "actuals", _points(self.actuals.get(measure_id, ()))))
        return records

    # -- strategies and action steps

    def _read_strategies(self) -> None:
        reader = self.reader
        self.strategies = reader.children(
            "strategy", "objective_id", ("id", "text", "evidence_level", "evidence_citation")
        )
        self.phases = reader.children("strategy_phase", "strategy_id", ("year", "phase"))
        self.steps = reader.children("action_step", "strategy_id", ("id", *_STEP_FIELDS))
        review = ("date", "status", "percent_complete", "note")
        self.reviews = reader.children("action_step_review", "action_step_id", review)
        funding = ("funding_source_id", "amount", "year")
        self.funding = reader.children("funding_link", "action_step_id", funding)
        method = "monitoring_method_id"
        self.implementation = reader.ids("implementation_monitoring_link", "action_step_id", method)
        self.effectiveness = reader.ids("effectiveness_monitoring_link", "action_step_id", method)
        self.roles = reader.ids("role_link", "action_step_id", "role_id")

    def _strategies(self, objective_id: str) -> list[Record]:
        records = []
        for strategy_id, text, *evidence in self.strategies.get(objective_id, ()):
            record: Record = {"id": strategy_id, "text": text}
            _pick(("evidence_level", "evidence_citation"), evidence, record)
            phases = [
                {"year": year, "phase": phase} for year, phase in self.phases.get(strategy_id, ())
            ]
            _with(record, "phases", phases)
            steps = [self._action_step(row) for row in self.steps.get(strategy_id, ())]
            records.append(_with(record, "action_steps", steps))
        return records

    def _action_step(self, row: Values) -> Record:
        # The hottest loop of a snapshot: one call per step, no helper calls for empty lists.
        step_id = row[0]
        record: Record = {"id": step_id, "text": row[1]}
        funding = self.funding.get(step_id)
        if funding:
            record["funding"] = [
                _pick(("amount", "year"), rest, {"source": source}) for source, *rest in funding
            ]
        _pick(_STEP_FIELDS[1:3], row[2:4], record)
        for key, links in (
            ("monitoring_implementation", self.implementation),
            ("monitoring_effectiveness", self.effectiveness),
            ("roles", self.roles),
        ):
            ids = links.get(step_id)
            if ids:
                record[key] = list(ids)
        _pick(_STEP_FIELDS[3:], row[4:], record)
        reviews = self.reviews.get(step_id)
        if reviews:
            record["reviews"] = [
                _pick(("percent_complete", "note"), rest, {"date": date, "status": status})
                for date, status, *rest in reviews
            ]
        return record


def _points(rows: Iterable[Values]) -> list[Record]:
    return [{"year": year, **_pick(("value", "note"), rest)} for year, *rest in rows]
