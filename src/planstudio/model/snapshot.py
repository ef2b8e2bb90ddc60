"""The interchange form built from the tables: what dump, export and the window's export
thread read, with no ORM objects.

`read_snapshot` returns exactly what `interchange.to_interchange` makes of the loaded
ORM plan (a test holds them equal).  It reads each table once through the reading row
maps share (`tables`: SQLAlchemy Core, portable to any database SQLAlchemy speaks),
then deals each kind's rows to their parents in position order: about ten times
faster than the ORM on a large plan, since no object is built, identity-mapped or
tracked on the way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection

from planstudio.model.collection import release_entries
from planstudio.model.interchange import FORMAT, FORMAT_VERSION
from planstudio.model.tables import TableReader, Values, layout

Record = dict[str, Any]
# A kind's rows by their parent's id, in order within each parent.
_Children = dict[Any, list[Values]]

_BIGGEST_EXACT = 2**53


def _pick(names: Iterable[str], values: Iterable[Any], into: Record,
          own: Callable[[Any], Any]) -> Record:  # fmt: skip
    """The non-empty values under their names, as `interchange._pick` has them: whole
    floats as ints (SQLite hands back 67.0 for 67), lists as copies of their own.

    Inlined rather than built from small helpers: it runs on every field of every row.
    """
    for name, value in zip(names, values):  # noqa: B905 - the fields lead the row
        kind = value.__class__
        if kind is str:
            if not value:
                continue
        elif kind is float:
            if value.is_integer() and -_BIGGEST_EXACT < value < _BIGGEST_EXACT:
                value = int(value)
        elif value is None:
            continue
        elif kind is list or kind is dict:
            if not value:
                continue
            value = own(value)
        into[name] = value
    return into


def _in_order(group: list[Values], position: int, item_id: int) -> None:
    """One parent's rows in position order, ties by id (as a database's ORDER BY would have
    them, a missing position first)."""
    try:
        group.sort(key=itemgetter(position, item_id))
    except TypeError:  # a missing position: None does not compare with a number
        group.sort(key=lambda row: (-1 if row[position] is None else row[position], row[item_id]))


def _whole(value: Any) -> Any:
    if value.__class__ is float and value.is_integer() and -_BIGGEST_EXACT < value < _BIGGEST_EXACT:
        return int(value)
    return value


def _sparse(row: Values, first: str, number: str, text: str) -> Record:
    """A (key, number, text) row as `_pick` would make it, written out for the thousands of
    funding links and points: the number whole when it is, each of the two only when set
    (reception makes a number column hold numbers, a text column text)."""
    record: Record = {first: row[0]}
    if row[1] is not None:
        record[number] = _whole(row[1])
    if row[2]:
        record[text] = row[2]
    return record


class _Snapshot:
    """One snapshot being built: each kind read once, its rows grouped by parent."""

    def __init__(self, connection: Connection) -> None:
        self.reader = TableReader(connection)
        self.own = self.reader.own

    def children(self, kind_name: str) -> _Children:
        """A kind's rows by parent id, each parent's in position order (ties by id)."""
        shape = layout(kind_name)
        parent, position, item_id = shape.parent, shape.position, shape.id
        assert parent is not None
        grouped: _Children = {}
        for row in self.reader.read(kind_name):
            group = grouped.get(row[parent])
            if group is None:
                grouped[row[parent]] = [row]
            else:
                group.append(row)
        # A sort per parent rather than one of the whole table: within a parent the
        # positions differ, so no two ids are ever compared, and most parents hold few rows.
        for group in grouped.values():
            if len(group) > 1:
                _in_order(group, item_id if position is None else position, item_id)
        return grouped

    def ids(self, kind_name: str) -> dict[Any, list[Any]]:
        """A link kind's one field (the catalog entry's id) by parent id, in position order."""
        grouped = self.children(kind_name)
        found = {parent: [row[0] for row in rows] for parent, rows in grouped.items()}
        # Dropped whole, the rows read (20,000 tuples at 10,000 steps) were freed in one C
        # call that held the interpreter lock, and the window froze 40-60 ms behind an export.
        release_entries(grouped)
        return found

    def document(self, plan_id: str | None) -> Record:
        own = self.own
        plans = [row for row in self.reader.read("plan")
                 if plan_id is None or row[layout("plan").id] == plan_id]  # fmt: skip
        if len(plans) != 1:
            raise ValueError(f"expected one plan in the database, found {len(plans)}")
        shape = layout("plan")
        row = plans[0]
        plan_id = row[shape.id]
        plan_record: Record = {"id": plan_id, "title": row[0]}
        _pick(shape.fields[1:], row[1:], plan_record, own)
        general = self.children("ga_general").get(plan_id)
        if general:
            ga = _pick(layout("ga_general").fields, general[0], {}, own)
            if ga:
                plan_record["ga_general"] = ga
        document: Record = {"format": FORMAT, "format_version": FORMAT_VERSION,
                            "plan": plan_record}  # fmt: skip
        for kind_name, key in (
            ("funding_source", "funding_sources"),
            ("role", "roles"),
            ("monitoring_method", "monitoring_methods"),
        ):
            entries = self._catalog(kind_name, plan_id)
            if entries:
                document[key] = entries
        tree = _Tree(self)
        areas = tree.goal_areas(plan_id)
        tree.release()
        if areas:
            document["goal_areas"] = areas
        return document

    def _catalog(self, kind_name: str, plan_id: str) -> list[Record]:
        shape = layout(kind_name)
        first, rest = shape.fields[0], shape.fields[1:]
        return [_pick(rest, row[1:], {"id": row[shape.id], first: row[0]}, self.own)
                for row in self.children(kind_name).get(plan_id, ())]  # fmt: skip


def read_snapshot(connection: Connection, plan_id: str | None = None) -> dict[str, Any]:
    """The plan in the database (the one with `plan_id`, when given) as an interchange
    document (a dict ready for json.dumps)."""
    return _Snapshot(connection).document(plan_id)


class _Tree:
    """The four levels with their measures, phases, reviews and links, read kind by kind."""

    def __init__(self, snapshot: _Snapshot) -> None:
        self.own = snapshot.own
        children = snapshot.children
        self.objectives = children("objective")
        self.measures = children("measure")
        self.targets = children("target")
        self.actuals = children("actual")
        self.strategies = children("strategy")
        self.phases = children("phase")
        self.steps = children("action_step")
        self.reviews = children("review")
        self.funding = children("funding_link")
        self.implementation = snapshot.ids("implementation_link")
        self.effectiveness = snapshot.ids("effectiveness_link")
        self.roles = snapshot.ids("role_link")
        self.areas = children("goal_area")

    def release(self) -> None:
        """Let go of the rows read, a parent's rows at a time.

        Freed whole with this object, a 10,000-step plan's rows held the interpreter lock
        20-40 ms in one C call; an export reads its snapshot on a worker thread, and the
        window froze that long waiting for the lock.
        """
        release_entries(*[value for value in vars(self).values() if isinstance(value, dict)])

    def goal_areas(self, plan_id: str) -> list[Record]:
        own = self.own
        fields = layout("goal_area").fields
        # title, description, need, is_equity_gap, root_causes, goal, then the equity gap's.
        area_fields, equity_fields = (
            fields[1:6],
            tuple(name.removeprefix("equity_gap_") for name in fields[6:]),
        )
        split, id_at = 6, layout("goal_area").id
        records = []
        for row in self.areas.get(plan_id, ()):
            area_id = row[id_at]
            record = _pick(area_fields, row[1:split], {"id": area_id, "title": row[0]}, own)
            equity_gap = _pick(equity_fields, row[split:id_at], {}, own)
            if equity_gap:
                record["equity_gap"] = equity_gap
            objectives = self._objectives(area_id)
            if objectives:
                record["objectives"] = objectives
            records.append(record)
        return records

    def _objectives(self, area_id: str) -> list[Record]:
        records = []
        for statement, objective_id, *_ in self.objectives.get(area_id, ()):  # one field, id
            record: Record = {"id": objective_id, "statement": statement}
            measures = self._measures(objective_id)
            if measures:
                record["measures"] = measures
            strategies = self._strategies(objective_id)
            if strategies:
                record["strategies"] = strategies
            records.append(record)
        return records

    # -- measures

    def _measures(self, objective_id: str) -> list[Record]:
        own = self.own
        fields = layout("measure").fields
        # name, student_group, unit, direction, data_source, then the baseline's.
        measure_fields, baseline_fields = fields[1:5], ("value", "note")
        records = []
        id_at = layout("measure").id
        for row in self.measures.get(objective_id, ()):
            measure_id = row[id_at]
            record = _pick(measure_fields, row[1:5], {"id": measure_id, "name": row[0]}, own)
            baseline_year = row[5]
            if baseline_year:
                record["baseline"] = _pick(baseline_fields, row[6:8], {"year": baseline_year}, own)
            targets = self.targets.get(measure_id)
            if targets:
                record["targets"] = self._points(targets)
            actuals = self.actuals.get(measure_id)
            if actuals:
                record["actuals"] = self._points(actuals)
            records.append(record)
        return records

    @staticmethod
    def _points(rows: list[Values]) -> list[Record]:
        return [_sparse(row, "year", "value", "note") for row in rows]

    # -- strategies and action steps

    def _strategies(self, objective_id: str) -> list[Record]:
        own = self.own
        evidence = ("evidence_level", "evidence_citation")
        records = []
        id_at = layout("strategy").id
        for row in self.strategies.get(objective_id, ()):
            strategy_id = row[id_at]
            record = _pick(evidence, row[1:3], {"id": strategy_id, "text": row[0]}, own)
            phases = self.phases.get(strategy_id)
            if phases:
                record["phases"] = [{"year": year, "phase": phase} for year, phase, *_ in phases]
            steps = self.steps.get(strategy_id)
            if steps:
                record["action_steps"] = [self._action_step(step) for step in steps]
            records.append(record)
        return records

    def _action_step(self, row: Values) -> Record:
        # The hottest loop of a snapshot: one call per step, no helper calls for empty lists.
        # The row: text, subgroups, systems, evidence_level, timeline, start, end,
        # supports_equity_intervention, partnerships, status, id, strategy id, position.
        own = self.own
        step_id = row[_STEP_ID]
        record: Record = {"id": step_id, "text": row[0]}
        funding = self.funding.get(step_id)
        if funding:
            record["funding"] = [_sparse(link, "source", "amount", "year") for link in funding]
        _pick(_LISTS, row[1:3], record, own)
        for key, links in (
            ("monitoring_implementation", self.implementation),
            ("monitoring_effectiveness", self.effectiveness),
            ("roles", self.roles),
        ):
            ids = links.get(step_id)
            if ids:
                record[key] = list(ids)
        _pick(_REST, row[3:10], record, own)
        reviews = self.reviews.get(step_id)
        if reviews:
            record["reviews"] = [
                _pick(("percent_complete", "note"), review[2:4],
                      {"date": review[0], "status": review[1]}, own)
                for review in reviews
            ]  # fmt: skip
        return record


# The rows are indexed by the interchange's field order, which the kinds' fields follow
# (a test holds them to it).
_STEP = layout("action_step").fields
_LISTS, _REST, _STEP_ID = _STEP[1:3], _STEP[3:10], layout("action_step").id
