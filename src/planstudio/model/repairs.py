"""Checking a freshly received working copy value by value, and repairing what can be repaired.

The rows were copied from a received file into Plan Studio's own schema (see
`reception`), so every statement here runs on a database Plan Studio built.
Values that no plan can hold either stop the open ("damaged: what is wrong")
or, where nothing is lost by it, are repaired and listed: a value outside its
field's schema is cleared, an item whose parent is missing moves under
"Recovered items", a link to a catalog entry that does not exist is removed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Column, DateTime, Float, Integer, String

from planstudio.model.formatting import plural
from planstudio.model.kinds import KINDS, Field, Kind
from planstudio.model.schema import metadata, new_id, utc_now
from planstudio.model.validation import field_validator

if TYPE_CHECKING:
    from planstudio.model.reception import Reception

RECOVERED_TITLE = "Recovered items"
# How SQLAlchemy stores a DateTime in SQLite; anything else would fail to load.
_STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"
_TIME_SHAPE = (
    "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] "
    "[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]"
)


class Damaged(Exception):
    """What is wrong with a received file, in words; the caller names the file."""


@cache
def _kind_of_table() -> dict[str, Kind]:
    return {kind.table: kind for kind in KINDS.values()}


def label_of_table(table: str) -> str:
    """What a user calls the records of a table: "action step", "responsible role"."""
    kind = _kind_of_table().get(table)
    return kind.label.lower() if kind is not None else table.replace("_", " ")


def repair_working_copy(
    copy: sqlite3.Connection, reception: Reception, *, times: bool = True
) -> None:
    """Check and repair every value of the working copy, in one transaction.

    Without `times`, the times items were made and changed at are left unchecked: for a
    copy read once into a snapshot, which holds no times, so that repairing them would
    change nothing the reader sees (it is a third of the checking on a large plan).
    """
    copy.execute("BEGIN")
    try:
        _Repair(copy, reception, times=times).run()
        copy.execute("COMMIT")
    except BaseException:
        copy.execute("ROLLBACK")
        raise


class _Repair:
    def __init__(self, copy: sqlite3.Connection, reception: Reception, *, times: bool) -> None:
        self.copy = copy
        self.reception = reception
        self.times = times
        self._recovered: dict[str, str] = {}

    def run(self) -> None:
        plans = self.copy.execute("SELECT id FROM plan").fetchall()
        if len(plans) != 1:
            raise Damaged(f"it holds {len(plans)} plans instead of one")
        self.plan_id = plans[0][0]
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if self.times or not isinstance(c.type, DateTime)]
            self._types(table.name, columns)
        self._unique_ids()
        for kind in KINDS.values():
            self._field_values(kind)
        self._parents()
        self._links()
        self.copy.execute(
            "UPDATE document_info SET value = '0' WHERE key = 'revision' AND "
            "(typeof(value) != 'text' OR value = '' OR value GLOB '*[^0-9]*')"
        )

    def _note(self, text: str) -> None:
        self.reception.repairs.append(text)

    # ------------------------------------------------------------------ types

    def _types(self, table: str, columns: list[Column[Any]]) -> None:
        """One pass over a table counting each column's values of the wrong kind."""
        tests: list[tuple[Column[Any], str, str]] = []
        for column in columns:
            for problem, condition in _type_problems(column):
                tests.append((column, problem, condition))
        sums = ", ".join(f"coalesce(sum({condition}), 0)" for _, _, condition in tests)
        counts = self.copy.execute(f'SELECT {sums} FROM "{table}"').fetchone()
        label = label_of_table(table)
        for (column, problem, condition), count in zip(tests, counts, strict=True):
            if not count:
                continue
            name = f'"{column.name}"'
            if problem == "numeric text":
                self.copy.execute(f'UPDATE "{table}" SET {name} = CAST({name} AS TEXT) '
                                  f"WHERE {condition}")  # fmt: skip
                self._note(f"turned {plural(count, 'number')} into text in the "
                           f"{column.name} of {label} records")  # fmt: skip
            elif problem == "time":
                now = utc_now().strftime(_STORED_TIME)
                self.copy.execute(f'UPDATE "{table}" SET {name} = ? WHERE {condition}', (now,))
                self._note(f"replaced {plural(count, 'unreadable time')} in the "
                           f"{column.name} of {label} records")  # fmt: skip
            else:
                raise Damaged(f"the {column.name} of a {label} record {problem}")

    # ------------------------------------------------------------------ ids

    def _unique_ids(self) -> None:
        tables = [t.name for t in metadata.sorted_tables if "id" in t.columns]
        union = " UNION ALL ".join(f'SELECT id FROM "{table}"' for table in tables)
        twice = self.copy.execute(
            f"SELECT id FROM ({union}) GROUP BY id HAVING count(*) > 1 LIMIT 1"
        ).fetchone()
        if twice is not None:
            raise Damaged(f'two records share the id "{str(twice[0])[:40]}"')
        for table in tables:
            empty = self.copy.execute(f"SELECT 1 FROM \"{table}\" WHERE id = '' LIMIT 1")
            if empty.fetchone():
                raise Damaged(f"a {label_of_table(table)} record has an empty id")

    # ------------------------------------------------------------------ values

    def _field_values(self, kind: Kind) -> None:
        """Each distinct value of a constrained field, checked against the interchange schema."""
        table = metadata.tables[kind.table]
        for schema_field in kind.fields:
            if schema_field.ref is not None:
                continue  # ids of catalog entries: see _links
            column = table.columns[schema_field.name]
            if isinstance(column.type, String) and _accepts_any_text(schema_field.pointer):
                continue
            name = f'"{column.name}"'
            rows = self.copy.execute(
                f'SELECT DISTINCT {name} FROM "{table.name}" WHERE {name} IS NOT NULL'
            )
            bad = [value for (value,) in rows if not _valid(schema_field, column, value)]
            if not bad:
                continue
            if not column.nullable:
                raise Damaged(
                    f"the {column.name} of a {label_of_table(table.name)} record holds a value "
                    "no plan can hold"
                )
            cleared = 0
            for chunk in _chunks(bad, 500):
                marks = ", ".join("?" for _ in chunk)
                cleared += self.copy.execute(
                    f'UPDATE "{table.name}" SET {name} = NULL WHERE {name} IN ({marks})', chunk
                ).rowcount
            self._note(
                f"cleared {plural(cleared, 'value')} no plan can hold from the {column.name} "
                f"of {label_of_table(table.name)} records"
            )

    # ------------------------------------------------------------------ the tree

    def _parents(self) -> None:
        for kind in KINDS.values():
            if kind.parent is None or kind.parent_key is None or kind.is_link:
                continue
            table, key = kind.table, kind.parent_key
            if kind.parent == "plan":
                moved = self.copy.execute(
                    f'UPDATE "{table}" SET "{key}" = ? WHERE "{key}" IS NOT ?',
                    (self.plan_id, self.plan_id),
                ).rowcount
                if moved:
                    self._note(f"attached {plural(moved, kind.label.lower())} to the plan")
                continue
            self._adopt(kind)

    def _adopt(self, kind: Kind) -> None:
        assert kind.parent is not None and kind.parent_key is not None
        table, key = kind.table, kind.parent_key
        parent_table = KINDS[kind.parent].table
        missing = f'"{key}" NOT IN (SELECT id FROM "{parent_table}")'
        count = self.copy.execute(f'SELECT count(*) FROM "{table}" WHERE {missing}').fetchone()[0]
        if not count:
            return
        home = self._recovered_item(kind.parent)
        self.copy.execute(f'UPDATE "{table}" SET "{key}" = ? WHERE {missing}', (home,))
        self._note(
            f"moved {plural(count, kind.label.lower())} whose "
            f'{KINDS[kind.parent].label.lower()} is missing under "{RECOVERED_TITLE}"'
        )

    def _recovered_item(self, kind_name: str) -> str:
        """A "Recovered items" item of this kind (with its parents), made when first needed."""
        if kind_name == "plan":
            return str(self.plan_id)
        if kind_name in self._recovered:
            return self._recovered[kind_name]
        kind = KINDS[kind_name]
        assert kind.parent is not None and kind.parent_key is not None
        parent_id = self._recovered_item(kind.parent)
        table = metadata.tables[kind.table]
        last = self.copy.execute(
            f'SELECT max(position) FROM "{table.name}" WHERE "{kind.parent_key}" = ?',
            (parent_id,),
        ).fetchone()[0]
        now = utc_now().strftime(_STORED_TIME)
        values: dict[str, Any] = {
            "id": new_id(),
            "created_at": now,
            "modified_at": now,
            "position": (last if isinstance(last, int) else -1) + 1,
            kind.parent_key: parent_id,
        }
        for column in table.columns:
            if column.name not in values and not column.nullable:
                values[column.name] = RECOVERED_TITLE
        names = ", ".join(f'"{name}"' for name in values)
        marks = ", ".join("?" for _ in values)
        self.copy.execute(
            f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', list(values.values())
        )
        self._recovered[kind_name] = values["id"]
        return str(values["id"])

    def _links(self) -> None:
        for kind in KINDS.values():
            if not kind.is_link:
                continue
            self._adopt(kind)
            ref = next(f for f in kind.fields if f.ref)
            assert ref.ref is not None
            catalog = KINDS[ref.ref]
            removed = self.copy.execute(
                f'DELETE FROM "{kind.table}" WHERE "{ref.name}" NOT IN '
                f'(SELECT id FROM "{catalog.table}")'
            ).rowcount
            if removed:
                self._note(
                    f"removed {plural(removed, 'link')} to {catalog.label.lower()} entries "
                    "that do not exist"
                )


def _type_problems(column: Column[Any]) -> Iterator[tuple[str, str]]:
    """(problem, SQL condition true for a value with it) for a column's type."""
    name = f'"{column.name}"'
    kind = column.type
    present = f"{name} IS NOT NULL"
    if isinstance(kind, JSON):
        yield (
            "is not a list",
            (
                f"{present} AND (typeof({name}) != 'text' OR NOT json_valid({name}) "
                f"OR json_type({name}) != 'array')"
            ),
        )
    elif isinstance(kind, DateTime):
        yield (
            "time",
            (
                f"typeof({name}) != 'text' OR {name} NOT GLOB '{_TIME_SHAPE}' "
                f"OR date(substr({name}, 1, 10)) IS NOT substr({name}, 1, 10)"
            ),
        )
    elif isinstance(kind, Boolean):
        yield (
            "is neither yes nor no",
            f"{present} AND (typeof({name}) != 'integer' OR {name} NOT IN (0, 1))",
        )
    elif isinstance(kind, Integer):
        yield "is not a whole number", f"{present} AND typeof({name}) != 'integer'"
    elif isinstance(kind, Float):
        yield (
            "is not a number",
            (f"{present} AND (typeof({name}) NOT IN ('integer', 'real') OR abs({name}) > 1.7e308)"),
        )
    elif isinstance(kind, String):  # Text is a String
        yield "is binary data, not text", f"typeof({name}) = 'blob'"
        yield "numeric text", f"typeof({name}) IN ('integer', 'real')"


@cache
def _accepts_any_text(pointer: str) -> bool:
    validator = field_validator(pointer)
    return all(validator.is_valid(probe) for probe in ("x", "", "zz 2024-13-99 ☃ \u0000 !"))


def _valid(schema_field: Field, column: Column[Any], value: Any) -> bool:
    if isinstance(column.type, JSON):
        value = json.loads(value)
    elif isinstance(column.type, Boolean):
        value = bool(value)
    return bool(field_validator(schema_field.pointer).is_valid(value))


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
