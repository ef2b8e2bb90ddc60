"""Run the layout rules (`rules.RULES`) over a plan, in full or again after one edit.

A full check reads the tree from the loaded plan and the links, targets,
actuals and phases in a handful of SQL statements (never one query per step),
then asks every rule about every item of its kind.  `Checker.update` takes
the `Change` of one edit and asks again only about the items it touched (and
the catalogs, whose totals and uses any link may change); an edit that adds,
removes or moves an item of the tree renumbers the places, so it checks
everything again.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from planstudio.model import schema
from planstudio.model.collection import collection_paused, release_in_steps
from planstudio.model.kinds import CATALOG_KINDS, KINDS, TREE_KINDS
from planstudio.model.numbering import child_number
from planstudio.model.rules import CATALOG_NAME_FIELDS, RULES, Rule
from planstudio.model.vocabulary import PLAN_LAYOUTS, school_years

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.orm import Session

    from planstudio.model.edits import Change
    from planstudio.model.entities import Plan
    from planstudio.model.item_tree import ReadPlan

DEFAULT_LAYOUT = "strategic-plan"
CATALOG_TITLES = {
    "funding_source": "Funding Sources",
    "role": "Roles",
    "monitoring_method": "Monitoring Methods",
}
# Per kind of link: its table and the columns the rules read, after its id and step's id.
_LINK_ROWS: dict[str, tuple[Any, ...]] = {
    "funding_link": (schema.funding_link, "funding_source_id", "amount", "year"),
    "role_link": (schema.role_link, "role_id"),
    "implementation_link": (schema.implementation_monitoring_link, "monitoring_method_id"),
    "effectiveness_link": (schema.effectiveness_monitoring_link, "monitoring_method_id"),
}
_CATALOG_OF_LINK = {name: KINDS[name].fields[0].ref or "" for name in _LINK_ROWS}
_STRUCTURE_FIELDS = frozenset({"first_year", "last_year", "layout", "level_labels"})
# How much `run_in_steps` does between yields: a few milliseconds' work on this machine
# (2,000 rows a step took up to 15 ms, longer than a window's slice, at 10,000 steps).
_ROWS_A_STEP = 500
_ITEMS_A_STEP = 100


@dataclass(frozen=True)
class Finding:
    """One thing the layout requires and the plan lacks, and where to mend it."""

    rule: str
    kind: str  # the kind of item (kinds.KINDS) the finding is about
    item_id: str
    field: str  # the field to go to
    message: str
    place: str  # where it is, numbered as in the outline: "Action Step 1A.1.a"


def layout_of(plan: Plan | ReadPlan) -> str:
    """The layout a plan is checked against when none is chosen."""
    return plan.layout if plan.layout in PLAN_LAYOUTS else DEFAULT_LAYOUT


def run_checks(
    plan: Plan | ReadPlan,
    layout: str | None = None,
    *,
    connection: sqlite3.Connection | None = None,
) -> list[Finding]:
    """Every finding of the rules of `layout` (default: the plan's own) on a plan, in plan order.

    `plan` is the ORM's, or a read-only one (`item_tree`) with `connection` to its database.
    """
    return Checker(plan, layout, connection=connection).run()


def format_findings(findings: Iterable[Finding]) -> list[str]:
    """One line per finding for the command line: its place in the tree, the message, the rule."""
    return [f"{finding.place}: {finding.message} [{finding.rule}]" for finding in findings]


# ---------------------------------------------------------------------------- facts


def _normal(name: Any) -> str:
    return " ".join(str(name or "").split()).casefold()


class Facts:
    """What the rules read beyond an item's own columns, kept up to date by the Checker."""

    def __init__(
        self, plan: Plan | ReadPlan, session: Session | None, raw: sqlite3.Connection | None
    ) -> None:
        self.session = session  # for reading again after an edit; None for a read-only plan
        self._raw = raw
        self.plan = plan
        self.years: list[str] = school_years(plan.first_year, plan.last_year)
        self._links: dict[str, dict[str, list[tuple[Any, ...]]]] = defaultdict(dict)
        self._uses: Counter[tuple[str, str]] = Counter()
        self._assigned: defaultdict[str, float] = defaultdict(float)
        self._targets: dict[str, list[tuple[str, str, float | None]]] = defaultdict(list)
        self._actuals: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._phases: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._areas: dict[str, Any] = {}
        self._first_like: dict[str, dict[str, Any]] = {}

    # -- reading everything

    def load(self) -> None:
        for _ in self.load_in_steps():
            pass

    def load_in_steps(self) -> Iterator[None]:
        """`load`, yielding every few thousand rows (see `Checker.run_in_steps`)."""
        links, uses, assigned = self._links, self._uses, self._assigned
        for link_kind, (table, *names) in _LINK_ROWS.items():
            catalog_kind = _CATALOG_OF_LINK[link_kind]
            funding = link_kind == "funding_link"
            for rows in self._rows_in_pieces(table.name, "id, action_step_id", *names):
                for link_id, step_id, *values in rows:
                    links[step_id].setdefault(link_kind, []).append((link_id, *values))
                    uses[(catalog_kind, values[0])] += 1
                    if funding:
                        assigned[values[0]] += values[1] or 0.0
                yield
        for rows in self._rows_in_pieces("measure_target", "id, measure_id, year, value"):
            for target_id, measure_id, year, value in rows:
                self._targets[measure_id].append((target_id, year, value))
            yield
        for rows in self._rows_in_pieces("measure_actual", "id, measure_id, year"):
            for actual_id, measure_id, year in rows:
                self._actuals[measure_id].append((actual_id, year))
            yield
        for rows in self._rows_in_pieces("strategy_phase", "id, strategy_id, year"):
            for phase_id, strategy_id, year in rows:
                self._phases[strategy_id].append((phase_id, year))
            yield
        self.catalogs_changed()

    def _rows_in_pieces(self, table: str, *columns: str) -> Iterator[list[Any]]:
        """A table's rows in storage order, a few thousand at a time.

        Plain SQL on the driver's connection (inside the session's transaction, if any):
        even Core rows cost more than the rules themselves on a 4,000-step plan.  Each
        piece is a whole query, read before the caller yields, so that no statement stays
        open while the window runs; one query for a whole table of a 10,000-step plan
        would hold the window's thread longer than a slice.
        """
        raw = self._raw
        if raw is None:
            assert self.session is not None
            raw = self.session.connection().connection.driver_connection
        assert raw is not None
        # SQLite's rowid: the order a plain scan of the table gives, as before pieces.
        sql = (
            f"SELECT rowid, {', '.join(columns)} FROM {table} "
            f"WHERE rowid > ? ORDER BY rowid LIMIT {_ROWS_A_STEP}"
        )
        after = -(2**63)
        while True:
            rows = raw.execute(sql, (after,)).fetchall()
            if not rows:
                return
            after = rows[-1][0]
            yield [row[1:] for row in rows]

    def _add_link(self, step_id: str, link_kind: str, row: tuple[Any, ...]) -> None:
        self._links[step_id].setdefault(link_kind, []).append(row)
        self._uses[(_CATALOG_OF_LINK[link_kind], row[1])] += 1
        if link_kind == "funding_link":
            self._assigned[row[1]] += row[2] or 0.0

    # -- reading again after an edit

    def reload_step(self, step_id: str) -> set[tuple[str, str]]:
        """Read one step's links again; returns the catalog entries whose uses may have changed."""
        touched: set[tuple[str, str]] = set()
        for link_kind, rows in self._links.pop(step_id, {}).items():
            for row in rows:
                touched.add((_CATALOG_OF_LINK[link_kind], row[1]))
                self._uses[(_CATALOG_OF_LINK[link_kind], row[1])] -= 1
                if link_kind == "funding_link":
                    self._assigned[row[1]] -= row[2] or 0.0
        session = self._session()
        for link_kind, (table, *names) in _LINK_ROWS.items():
            fresh = session.execute(
                select(table.c.id, *(table.c[name] for name in names))
                .where(table.c.action_step_id == step_id)
                .order_by(table.c.position)
            )
            for link in fresh:
                self._add_link(step_id, link_kind, tuple(link))
                touched.add((_CATALOG_OF_LINK[link_kind], link[1]))
        return touched

    def reload_measure(self, measure_id: str) -> None:
        targets, actuals = schema.measure_target.c, schema.measure_actual.c
        self._targets[measure_id] = [
            tuple(row)
            for row in self._session().execute(
                select(targets.id, targets.year, targets.value)
                .where(targets.measure_id == measure_id)
                .order_by(targets.position)
            )
        ]
        self._actuals[measure_id] = [
            tuple(row)
            for row in self._session().execute(
                select(actuals.id, actuals.year)
                .where(actuals.measure_id == measure_id)
                .order_by(actuals.position)
            )
        ]

    def reload_strategy(self, strategy_id: str) -> None:
        phases = schema.strategy_phase.c
        self._phases[strategy_id] = [
            tuple(row)
            for row in self._session().execute(
                select(phases.id, phases.year)
                .where(phases.strategy_id == strategy_id)
                .order_by(phases.position)
            )
        ]

    def _session(self) -> Session:
        if self.session is None:
            raise ValueError("a plan read from a file is checked whole, not edit by edit")
        return self.session

    def catalogs_changed(self) -> None:
        for catalog_kind in CATALOG_KINDS:
            first: dict[str, Any] = {}
            name_field = CATALOG_NAME_FIELDS[catalog_kind]
            for entry in getattr(self.plan, KINDS[catalog_kind].collection or ""):
                key = _normal(getattr(entry, name_field))
                if key:
                    first.setdefault(key, entry)
            self._first_like[catalog_kind] = first

    def set_area(self, step_id: str, area: Any) -> None:
        self._areas[step_id] = area

    # -- what the rules ask (rules.Facts)

    def links(self, step_id: str, link_kind: str) -> list[tuple[Any, ...]]:
        return self._links.get(step_id, {}).get(link_kind, [])

    def area_of(self, step_id: str) -> Any:
        return self._areas.get(step_id)

    def targets(self, measure_id: str) -> list[tuple[str, str, float | None]]:
        return self._targets.get(measure_id, [])

    def actuals(self, measure_id: str) -> list[tuple[str, str]]:
        return self._actuals.get(measure_id, [])

    def phases(self, strategy_id: str) -> list[tuple[str, str]]:
        return self._phases.get(strategy_id, [])

    def uses(self, catalog_kind: str, entry_id: str) -> int:
        return self._uses.get((catalog_kind, entry_id), 0)

    def assigned(self, source_id: str) -> float:
        return self._assigned.get(source_id, 0.0)

    def first_like(self, catalog_kind: str, entry: Any) -> Any:
        key = _normal(getattr(entry, CATALOG_NAME_FIELDS[catalog_kind]))
        return self._first_like.get(catalog_kind, {}).get(key)


# ---------------------------------------------------------------------------- checker


@dataclass
class _Where:
    order: tuple[int, ...]
    place: str
    item: Any


class Checker:
    """The findings of one layout on one plan, kept current edit by edit."""

    def __init__(
        self,
        plan: Plan | ReadPlan,
        layout: str | None = None,
        *,
        connection: sqlite3.Connection | None = None,
    ) -> None:
        """Check the ORM's `plan` (kept current by `update`), or a read-only plan
        (`item_tree`) read from the database `connection` holds (checked whole only)."""
        session = None
        if connection is None:
            from sqlalchemy.orm import object_session  # a read-only plan skips the ORM

            session = object_session(plan)
            if session is None:
                raise ValueError("the plan is not attached to a session")
        self.session = session
        self.connection = connection
        self.plan = plan
        self.layout = layout or layout_of(plan)
        self.rules: dict[str, list[Rule]] = defaultdict(list)
        for rule in RULES:
            if rule.applies_to(self.layout):
                self.rules[rule.kind].append(rule)
        self._found: dict[tuple[str, str], list[Finding]] = {}
        self._where: dict[tuple[str, str], _Where] = {}
        self._pattern: re.Pattern[str] | None = None
        self._pattern_for: tuple[str, ...] = ()
        self._level_words: dict[str, str] = {}
        self.facts = Facts(plan, session, connection)

    def release_in_steps(self) -> Iterator[None]:
        """Empty what this checker read and found, a step at a time (see
        `collection.release_in_steps`); it is of no use after."""
        facts = self.facts
        yield from release_in_steps(
            self._found, self._where, facts._links, facts._targets, facts._actuals,
            facts._phases, facts._uses, facts._assigned, facts._areas, facts._first_like,
        )  # fmt: skip

    @property
    def findings(self) -> list[Finding]:
        """Every finding, in plan order: the plan, the tree, then the catalogs."""
        ordered = sorted(self._found, key=lambda key: self._where[key].order)
        return [finding for key in ordered for finding in self._found[key]]

    @property
    def count(self) -> int:
        return sum(len(found) for found in self._found.values())

    def run(self) -> list[Finding]:
        """Check the whole plan again."""
        # Tens of thousands of small tuples and no cycles: a collection midway would scan the
        # whole loaded plan for nothing (the window freezes it; the command line does not).
        with collection_paused():
            return self._run()

    def _run(self) -> list[Finding]:
        for _ in self.run_in_steps():
            pass
        return self.findings

    def run_in_steps(self) -> Iterator[float]:
        """`run` in steps of a few milliseconds each, yielding the share done (0 … 1).

        For a window that must keep painting: it runs a few steps at each turn of its
        event loop; `findings` is complete once the iterator is exhausted.  The plan must
        not change until then (a window starts again after an edit).
        """
        self.facts = Facts(self.plan, self.session, self.connection)
        for _ in self.facts.load_in_steps():
            yield 0.0
        yield 0.3
        self._found.clear()
        self._where.clear()
        for _ in self._locate_in_steps():
            yield 0.3
        keys = list(self._where)
        for start in range(0, len(keys), _ITEMS_A_STEP):
            for key in keys[start : start + _ITEMS_A_STEP]:
                self._check(key)
            yield 0.4 + 0.6 * (start + _ITEMS_A_STEP) / len(keys)

    def set_layout(self, layout: str) -> list[Finding]:
        self.__init__(self.plan, layout, connection=self.connection)  # type: ignore[misc]
        return self.run()

    # -- after one edit

    def update(self, change: Change) -> list[Finding]:
        """Check again what one edit may have changed; returns every finding."""
        kind, action = change.kind, change.action
        if not self._where or self._needs_full(change):
            return self.run()
        again: set[tuple[str, str]] = set()
        entries: set[tuple[str, str]] = set()  # catalog entries whose uses or totals may change
        if kind == "plan" or kind == "ga_general":
            again.add((kind, change.item_id))
        elif kind in ("goal_area", "objective", "strategy", "action_step"):
            again.add((kind, change.item_id))
            if kind == "goal_area" and "is_equity_gap" in change.fields:
                again.update(self._steps_under(change.item_id))
        elif kind == "measure":
            if action == "removed":
                self._forget(("measure", change.item_id))
            else:
                self.facts.reload_measure(change.item_id)
            # Positions of the other measures, and the objective's own rule, may change.
            again.update(self._objective_and_measures(change.parent_id or ""))
            if action == "moved" and change.previous_parent_id:
                again.update(self._objective_and_measures(change.previous_parent_id))
        elif kind in ("target", "actual"):
            self.facts.reload_measure(change.parent_id or "")
            where = self._where.get(("measure", change.parent_id or ""))
            if where is not None:
                measure = where.item
                again.update({("measure", measure.id), ("objective", measure.objective_id)})
        elif kind == "phase":
            self.facts.reload_strategy(change.parent_id or "")
            again.add(("strategy", change.parent_id or ""))
        elif kind in _LINK_ROWS:
            for step_id in {change.parent_id, change.previous_parent_id} - {None}:
                entries.update(self.facts.reload_step(step_id))  # type: ignore[arg-type]
                again.add(("action_step", step_id))  # type: ignore[arg-type]
        elif kind in CATALOG_KINDS:
            if action == "removed":
                self._forget((kind, change.item_id))
            # A name or an order may make or unmake a duplicate anywhere in that catalog.
            self.facts.catalogs_changed()
            self._locate_catalog(kind)
            again.update(key for key in self._where if key[0] == kind)
        for touched_kind, touched_id in change.touched:
            if touched_kind == "action_step":
                entries.update(self.facts.reload_step(touched_id))
                again.add((touched_kind, touched_id))
        again.update(entries)
        for key in again:
            if key in self._where:
                self._check(key)
        return self.findings

    def needs_whole_check(self, change: Change) -> bool:
        """Whether `update` with this change would check the whole plan again."""
        return not self._where or self._needs_full(change)

    def _needs_full(self, change: Change) -> bool:
        if change.kind in TREE_KINDS and change.action != "updated":
            return True  # the numbers of the places change
        if change.kind == "plan" and change.fields & _STRUCTURE_FIELDS:
            return True
        return change.kind not in KINDS

    def _forget(self, key: tuple[str, str]) -> None:
        self._found.pop(key, None)
        self._where.pop(key, None)

    def _steps_under(self, area_id: str) -> list[tuple[str, str]]:
        where = self._where.get(("goal_area", area_id))
        if where is None:
            return []
        area = where.item
        return [
            ("action_step", step.id)
            for objective in area.objectives
            for strategy in objective.strategies
            for step in strategy.action_steps
        ]

    def _objective_and_measures(self, objective_id: str) -> list[tuple[str, str]]:
        where = self._where.get(("objective", objective_id))
        if where is None:
            return []
        for key in [key for key in self._where if key[0] == "measure"]:
            if self._where[key].item.objective_id == objective_id:
                del self._where[key]
                self._found.pop(key, None)
        self._locate_measures(where.item, where)
        keys = [("objective", objective_id)]
        keys.extend(("measure", measure.id) for measure in where.item.measures)
        return keys

    # -- asking the rules

    def _check(self, key: tuple[str, str]) -> None:
        kind, _item_id = key
        where = self._where[key]
        found: list[Finding] = []
        for rule in self.rules.get(kind, ()):
            outcome = rule.test(where.item, self.facts)
            if outcome is None:
                continue
            for values in outcome if isinstance(outcome, list) else [outcome]:
                found.append(self._finding(rule, where, values))
        if found:
            self._found[key] = found
        else:
            self._found.pop(key, None)

    def _finding(self, rule: Rule, where: _Where, values: Mapping[str, Any]) -> Finding:
        message = rule.message.format(**values) if values else rule.message
        message = self._in_plan_words(message)
        return Finding(rule.id, rule.kind, where.item.id, rule.field, message, where.place)

    def _in_plan_words(self, message: str) -> str:
        """The rules speak of the four levels by their usual names; the plan may call them else."""
        pattern = self._level_pattern(self.plan.labels)
        return pattern.sub(lambda m: self._level_words[m.group(0).lower()], message)

    def _level_pattern(self, labels: tuple[str, ...]) -> re.Pattern[str]:
        if self._pattern is None or self._pattern_for != labels:
            # "Overarching need" in a DIP rule is the area's field of that name, not its level.
            usual = ("goal area", "objective", "strategy", "action step")
            self._level_words = {
                word: label.lower() for word, label in zip(usual, labels, strict=True)
            }
            self._pattern = re.compile(
                r"\b(" + "|".join(re.escape(word) for word in usual) + r")\b", re.IGNORECASE
            )
            self._pattern_for = labels
        return self._pattern

    # -- where each item is

    def _locate(self) -> None:
        for _ in self._locate_in_steps():
            pass

    def _locate_in_steps(self) -> Iterator[None]:
        """Number every item and note its place, yielding after each strategy."""
        plan = self.plan
        ga_dip = self.layout == "ga-dip"
        labels = plan.labels
        plan_place = "General Improvement Plan Information" if ga_dip else "Plan Properties"
        self._where[("plan", plan.id)] = _Where((0,), plan_place, plan)
        if plan.ga_general is not None:
            self._where[("ga_general", plan.ga_general.id)] = _Where(
                (1,), "General Improvement Plan Information", plan.ga_general
            )
        for a, area in enumerate(plan.goal_areas):
            area_number = child_number("", 1, a)
            # One numbering everywhere: the outline's, whatever the layout prints.
            area_place = f"{labels[0]} {area_number}"
            self._where[("goal_area", area.id)] = _Where((2, a), area_place, area)
            for o, objective in enumerate(area.objectives):
                objective_number = child_number(area_number, 2, o)
                objective_place = f"{labels[1]} {objective_number}"
                where = _Where((2, a, o), objective_place, objective)
                self._where[("objective", objective.id)] = where
                self._locate_measures(objective, where)
                for s, strategy in enumerate(objective.strategies):
                    strategy_number = child_number(objective_number, 3, s)
                    strategy_place = f"{labels[2]} {strategy_number}"
                    self._where[("strategy", strategy.id)] = _Where(
                        (2, a, o, s), strategy_place, strategy
                    )
                    for t, step in enumerate(strategy.action_steps):
                        step_place = f"{labels[3]} {child_number(strategy_number, 4, t)}"
                        self._where[("action_step", step.id)] = _Where(
                            (2, a, o, s, t), step_place, step
                        )
                        self.facts.set_area(step.id, area)
                    yield
        self._locate_catalogs()

    def _locate_measures(self, objective: Any, where: _Where) -> None:
        for m, measure in enumerate(objective.measures):
            self._where[("measure", measure.id)] = _Where(
                (*where.order, -1, m), f"{where.place} › Measure “{measure.name}”", measure
            )

    def _locate_catalogs(self) -> None:
        for catalog_kind in CATALOG_KINDS:
            self._locate_catalog(catalog_kind)

    def _locate_catalog(self, catalog_kind: str) -> None:
        for key in [key for key in self._where if key[0] == catalog_kind]:
            del self._where[key]
            self._found.pop(key, None)
        c = CATALOG_KINDS.index(catalog_kind)
        name_field = CATALOG_NAME_FIELDS[catalog_kind]
        title = CATALOG_TITLES[catalog_kind]
        for position, entry in enumerate(getattr(self.plan, KINDS[catalog_kind].collection or "")):
            name = " ".join(str(getattr(entry, name_field) or "").split())
            self._where[(catalog_kind, entry.id)] = _Where(
                (3, c, position), f"{title} › {name}", entry
            )
