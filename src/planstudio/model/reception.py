"""Reading a plan file that arrived from elsewhere into a working copy Plan Studio built itself.

A received file is untrusted.  Its schema may carry triggers, views, CHECK
constraints, generated columns, index expressions or defaults that run the
moment SQLite uses them.  So nothing of its schema is used or kept: only the rows
of the tables and columns Plan Studio knows are read, on a connection that may
read those and nothing else (an authorizer denies every other table, view and
function), each value is checked against what the column and the interchange
schema allow, and the rows are written into a fresh database whose schema Plan
Studio created.  What the file carried beyond that is reported and never
comes back; items whose parent is missing are gathered under "Recovered items".
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, Table
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from planstudio.model import storage
from planstudio.model.entities import Base, new_id, utc_now
from planstudio.model.errors import DamagedPlanError, NewerVersionError, NotAPlanError
from planstudio.model.kinds import KINDS, Field, Kind
from planstudio.model.validation import _field_validator

# Tables that format 1 did not have yet (see storage's upgrade ladder).
_ADDED_IN: dict[str, int] = {"strategy_phase": 2, "action_step_review": 2}
# SQLite's own bookkeeping, neither ours nor foreign.
_SQLITE_INTERNAL = frozenset(
    ("sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4")
)
# No value in a plan comes near this; a longer one is a file built to exhaust memory.
MAX_VALUE_BYTES = 64 * 1024 * 1024
# Reading is linear in the file's size; this only stops a file that defeats that.
READ_SECONDS = 60.0
RECOVERED_TITLE = "Recovered items"
_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


@dataclass
class Reception:
    """What reading a received file found: its format, what was left out, what was repaired."""

    version: int
    foreign_objects: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.foreign_objects and not self.repairs

    def notices(self, name: str) -> list[str]:
        """One sentence per finding, for the window's report and `planstudio verify`."""
        lines: list[str] = []
        if self.foreign_objects:
            count = len(self.foreign_objects)
            shown = ", ".join(self.foreign_objects[:5])
            more = f" and {count - 5} more" if count > 5 else ""
            lines.append(
                f"{name} carried {count} database object{'s' if count != 1 else ''} that Plan "
                f"Studio does not use ({shown}{more}); "
                f"{'they were' if count != 1 else 'it was'} left out."
            )
        lines.extend(f"{name}: {repair}" for repair in self.repairs)
        return lines


# ---------------------------------------------------------------------------- the header


def read_header_version(path: Path, shown_as: Path) -> int:
    """The plan format a file's header declares; refuses what is not a plan at all."""
    name = shown_as.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise DamagedPlanError(f"Cannot read {name}: {error.strerror or error}.") from None
    if size == 0:
        raise NotAPlanError(f"{name} is empty: it is not a Plan Studio plan.")
    if not header.startswith(storage.SQLITE_MAGIC):
        raise NotAPlanError(f"{name} is not a Plan Studio plan (.psplan) file.")
    if len(header) < 100:
        raise DamagedPlanError(f"{name} is damaged: it is cut short.")
    if int.from_bytes(header[68:72], "big") != storage.APPLICATION_ID:
        raise NotAPlanError(f"{name} is a database, but not a Plan Studio plan.")
    return _known_version(int.from_bytes(header[60:64], "big"), name)


def _known_version(version: int, name: str) -> int:
    if version > storage.SCHEMA_VERSION:
        raise NewerVersionError(
            f"{name} was saved by a newer Plan Studio (plan format {version}); this version "
            f"reads plan format {storage.SCHEMA_VERSION} and older. Update Plan Studio to open it.",
            version,
            storage.SCHEMA_VERSION,
        )
    if version < 1:
        raise DamagedPlanError(f"{name} is damaged: it has no plan format version.")
    return version


# ---------------------------------------------------------------------------- our schema


def tables_of(version: int) -> list[Table]:
    """The tables a plan of format `version` holds, parents before children."""
    return [t for t in Base.metadata.sorted_tables if _ADDED_IN.get(t.name, 1) <= version]


@cache
def schema_statements() -> tuple[str, ...]:
    """Plan Studio's own CREATE statements: the only schema a working copy ever has."""
    dialect = sqlite_dialect.dialect()
    statements: list[str] = []
    for table in Base.metadata.sorted_tables:
        statements.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            statements.append(str(CreateIndex(index).compile(dialect=dialect)).strip())
    return tuple(statements)


@cache
def _our_index_names() -> frozenset[str]:
    return frozenset(
        index.name for table in Base.metadata.sorted_tables for index in table.indexes if index.name
    )


@cache
def _kind_of_table() -> dict[str, Kind]:
    return {kind.cls.__tablename__: kind for kind in KINDS.values()}


def _label(table: str) -> str:
    kind = _kind_of_table().get(table)
    if kind is not None:
        return kind.label.lower()
    return table.replace("_", " ")


# ---------------------------------------------------------------------------- the reading


class _Damaged(Exception):
    """What is wrong, in words; the caller names the file."""


def _authorizer(allowed: dict[str, frozenset[str]]) -> Callable[..., int]:
    def decide(action: int, arg1: str | None, arg2: str | None, _db: Any, _trigger: Any) -> int:
        if action == sqlite3.SQLITE_SELECT:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ and arg1 in allowed and arg2 in allowed[arg1]:
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY

    return decide


def _locked_down(database: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    connection.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA cell_size_check = ON")
    connection.execute("PRAGMA mmap_size = 0")
    deadline = time.monotonic() + READ_SECONDS
    connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    return connection


def copy_with_side_files(path: Path, folder: Path) -> Path:
    """Copy a received file, and the -wal or -journal beside it, into a private folder.

    SQLite then reads the copy as it would the original (replaying a WAL's
    committed frames, rolling back a hot journal) without writing beside the
    user's file.
    """
    copy = folder / "received.psplan"
    shutil.copyfile(path, copy)
    for suffix in ("-wal", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.is_file():
            shutil.copyfile(side, copy.with_name(copy.name + suffix))
    return copy


def receive(path: Path, received: Path, working: Path) -> Reception:
    """Build the working copy `working` from `received`, a private copy of the user's `path`.

    Raises NotAPlanError, NewerVersionError or DamagedPlanError naming `path`.
    """
    name = path.name
    read_header_version(received, path)
    try:
        with contextlib.closing(_locked_down(received)) as source:
            reception, rows = _read(source, name)
    except _Damaged as damage:
        raise DamagedPlanError(f"{name} is damaged: {damage}.") from None
    except sqlite3.OperationalError as error:
        raise DamagedPlanError(f"{name} is damaged: {_reason(error)}.") from None
    except sqlite3.DatabaseError:
        raise DamagedPlanError(f"{name} is damaged and cannot be opened safely.") from None
    try:
        _Repairs(rows, reception).run()
    except _Damaged as damage:
        raise DamagedPlanError(f"{name} is damaged: {damage}.") from None
    write_working_copy(working, rows)
    return reception


def _reason(error: sqlite3.Error) -> str:
    text = str(error)
    if "interrupted" in text:
        return "reading it took too long"
    if "too big" in text:
        return "it holds a value far larger than any plan"
    if "decode" in text or "UTF-8" in text:
        return "it holds text that is not valid UTF-8"
    return "its contents cannot be read"


Rows = dict[str, list[dict[str, Any]]]


def _read(source: sqlite3.Connection, name: str) -> tuple[Reception, Rows]:
    application_id = source.execute("PRAGMA application_id").fetchone()[0]
    if application_id != storage.APPLICATION_ID:
        raise NotAPlanError(f"{name} is a database, but not a Plan Studio plan.")
    version = _known_version(source.execute("PRAGMA user_version").fetchone()[0], name)
    reception = Reception(version)
    objects = source.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    tables = tables_of(version)
    expected = {table.name for table in tables}
    found: dict[str, tuple[str, str]] = {}
    for kind, object_name, _table, sql in objects:
        if object_name in expected and kind == "table":
            found[object_name] = (kind, sql or "")
        elif kind == "index" and (
            object_name in _our_index_names() or object_name.startswith("sqlite_autoindex_")
        ):
            continue  # rebuilt by Plan Studio; the file's definition is never used
        elif object_name in _SQLITE_INTERNAL:
            continue
        elif object_name in expected:
            raise _Damaged(f"its {_label(object_name)} records are a {kind}, not a table")
        else:
            reception.foreign_objects.append(f'{kind} "{object_name}"')
    allowed: dict[str, frozenset[str]] = {}
    for table in tables:
        if table.name not in found:
            raise _Damaged(f"its {_label(table.name)} records are missing")
        if not found[table.name][1].lstrip().upper().startswith("CREATE TABLE"):
            raise _Damaged(f"its {_label(table.name)} records are not an ordinary table")
        columns = {row[1]: row[6] for row in source.execute(f'PRAGMA table_xinfo("{table.name}")')}
        for column in table.columns:
            if column.name not in columns:
                raise _Damaged(f"its {_label(table.name)} records lack the {column.name} field")
            if columns[column.name] != 0:
                raise _Damaged(
                    f"the {column.name} of its {_label(table.name)} records is computed, not stored"
                )
        known = {column.name for column in table.columns}
        reception.foreign_objects.extend(
            f'column "{table.name}.{extra}"' for extra in columns if extra not in known
        )
        allowed[table.name] = frozenset(known)
    source.set_authorizer(_authorizer(allowed))
    rows: Rows = {}
    for table in tables:
        names = [column.name for column in table.columns]
        listed = ", ".join(f'"{column}"' for column in names)
        cursor = source.execute(f'SELECT {listed} FROM "{table.name}"')
        check = _RowChecker(table)
        rows[table.name] = [check(dict(zip(names, row, strict=True))) for row in cursor]
        if check.problem is not None:
            raise _Damaged(check.problem)
        reception.repairs.extend(check.repairs())
    for table in Base.metadata.sorted_tables:
        rows.setdefault(table.name, [])
    return reception, rows


# ---------------------------------------------------------------------------- values


@cache
def _accepts_any_text(pointer: str) -> bool:
    validator = _field_validator(pointer)
    return all(validator.is_valid(probe) for probe in ("x", "", "zz 2024-13-99 ☃ \u0000 !"))


class _RowChecker:
    """Checks one table's values; keeps the first damage and counts the repairs."""

    def __init__(self, table: Table) -> None:
        self.table = table.name
        kind = _kind_of_table().get(table.name)
        fields = {f.name: f for f in kind.fields} if kind is not None else {}
        self.columns = [(column, fields.get(column.name)) for column in table.columns]
        self.problem: str | None = None
        self._repaired: Counter[str] = Counter()
        self._verdicts: dict[tuple[str, Any], bool] = {}

    def repairs(self) -> list[str]:
        label = _label(self.table)
        return [
            f"{what} in {count} {label} record{'s' if count != 1 else ''}"
            for what, count in self._repaired.items()
        ]

    def _damage(self, column: str, what: str) -> None:
        if self.problem is None:
            self.problem = f"the {column} of a {_label(self.table)} record {what}"

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        if self.problem is not None:
            return row
        for column, schema_field in self.columns:
            value = row[column.name]
            if value is None:
                if not column.nullable:
                    self._damage(column.name, "is missing")
                continue
            converted = self._convert(column.name, column.type, value)
            if converted is None:
                continue  # damage recorded, or a timestamp repaired
            if schema_field is not None and not self._valid(schema_field, converted):
                if column.nullable:
                    self._repaired[f"cleared a {column.name} no plan can hold"] += 1
                    converted = None
                else:
                    self._damage(column.name, "holds a value no plan can hold")
            row[column.name] = converted
        return row

    def _convert(self, name: str, kind: Any, value: Any) -> Any:
        if isinstance(kind, JSON):
            if not isinstance(value, str):
                self._damage(name, "is not a list")
                return None
            try:
                parsed = json.loads(value)
            except (ValueError, RecursionError):
                self._damage(name, "is not a readable list")
                return None
            if not isinstance(parsed, list):
                self._damage(name, "is not a list")
                return None
            return parsed
        if isinstance(kind, DateTime):
            moment = _timestamp(value)
            if moment is None:
                self._repaired[f"replaced an unreadable {name.replace('_', ' ')}"] += 1
                return utc_now()
            return moment
        if isinstance(kind, Boolean):
            if value in (0, 1) and not isinstance(value, float):
                return bool(value)
            self._damage(name, "is neither yes nor no")
            return None
        if isinstance(kind, Integer):
            if isinstance(value, int):
                return value
            self._damage(name, "is not a whole number")
            return None
        if isinstance(kind, Float):
            if isinstance(value, int | float) and math.isfinite(value):
                return float(value)
            self._damage(name, "is not a number")
            return None
        if isinstance(kind, String):  # Text is a String
            if isinstance(value, str):
                return value
            if isinstance(value, int | float):
                self._repaired[f"turned a numeric {name.replace('_', ' ')} into text"] += 1
                return str(value)
            self._damage(name, "is binary data, not text")
            return None
        self._damage(name, "has a type Plan Studio does not know")
        return None

    def _valid(self, schema_field: Field, value: Any) -> bool:
        if isinstance(value, str) and _accepts_any_text(schema_field.pointer):
            return True
        if schema_field.ref is not None:
            return True  # checked against the catalogs by the repairs
        key = (schema_field.pointer, tuple(value) if isinstance(value, list) else value)
        try:
            return self._verdicts[key]
        except KeyError:
            verdict = bool(_field_validator(schema_field.pointer).is_valid(value))
            self._verdicts[key] = verdict
            return verdict
        except TypeError:  # a list holding lists: not hashable, and not a valid value either
            return bool(_field_validator(schema_field.pointer).is_valid(value))


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=None) if moment.tzinfo is None else None


# ---------------------------------------------------------------------------- repairs


class _Repairs:
    """Ties every row to a parent that exists, and drops links to nothing, saying so."""

    def __init__(self, rows: Rows, reception: Reception) -> None:
        self.rows = rows
        self.reception = reception
        self._recovered: dict[str, str] = {}

    def run(self) -> None:
        plans = self.rows["plan"]
        if len(plans) != 1:
            raise _Damaged(f"it holds {len(plans)} plans instead of one")
        self.plan_id = plans[0]["id"]
        self._unique_ids()
        self._one_general_section()
        self._parents()
        self._links()
        self._document_info()

    def _note(self, text: str) -> None:
        self.reception.repairs.append(text)

    def _unique_ids(self) -> None:
        seen: set[str] = set()
        for table in Base.metadata.sorted_tables:
            if "id" not in table.columns or table.name == "document_info":
                continue
            for row in self.rows[table.name]:
                identity = row["id"]
                if not identity:
                    raise _Damaged(f"a {_label(table.name)} record has an empty id")
                if identity in seen:
                    raise _Damaged(f'two records share the id "{identity[:40]}"')
                seen.add(identity)
        self._ids = seen

    def _one_general_section(self) -> None:
        general = self.rows["ga_general"]
        if len(general) > 1:
            self._note(
                f"kept the first of {len(general)} copies of the Georgia general information"
            )
            del general[1:]

    def _ids_of(self, table: str) -> set[str]:
        return {row["id"] for row in self.rows[table]}

    def _parents(self) -> None:
        for kind in KINDS.values():
            if kind.parent is None or kind.parent_key is None or kind.is_link:
                continue
            table = kind.cls.__tablename__
            if kind.parent == "plan":
                moved = 0
                for row in self.rows[table]:
                    if row[kind.parent_key] != self.plan_id:
                        row[kind.parent_key] = self.plan_id
                        moved += 1
                if moved:
                    self._note(f"attached {moved} {kind.label.lower()} record(s) to the plan")
                continue
            self._adopt(kind, self.rows[table])

    def _adopt(self, kind: Kind, rows: Iterable[dict[str, Any]]) -> None:
        assert kind.parent is not None and kind.parent_key is not None
        parent_table = KINDS[kind.parent].cls.__tablename__
        parents = self._ids_of(parent_table)
        orphans = [row for row in rows if row[kind.parent_key] not in parents]
        if not orphans:
            return
        home = self._recovered_item(kind.parent)
        for row in orphans:
            row[kind.parent_key] = home
        count = len(orphans)
        self._note(
            f"moved {count} {kind.label.lower()}{'s' if count != 1 else ''} whose "
            f'{KINDS[kind.parent].label.lower()} is missing under "{RECOVERED_TITLE}"'
        )

    def _recovered_item(self, kind_name: str) -> str:
        """The id of a "Recovered items" item of this kind, made (with its parents) when needed."""
        if kind_name == "plan":
            return str(self.plan_id)
        if kind_name in self._recovered:
            return self._recovered[kind_name]
        kind = KINDS[kind_name]
        assert kind.parent is not None and kind.parent_key is not None
        parent_id = self._recovered_item(kind.parent)
        table = kind.cls.__table__
        siblings = [r for r in self.rows[table.name] if r[kind.parent_key] == parent_id]
        now = utc_now()
        row: dict[str, Any] = {column.name: None for column in table.columns}
        row.update(
            id=new_id(),
            created_at=now,
            modified_at=now,
            position=max((r["position"] for r in siblings), default=-1) + 1,
        )
        row[kind.parent_key] = parent_id
        for column in table.columns:
            if row[column.name] is None and not column.nullable:
                row[column.name] = RECOVERED_TITLE
        self.rows[table.name].append(row)
        self._recovered[kind_name] = row["id"]
        return str(row["id"])

    def _links(self) -> None:
        for kind in KINDS.values():
            if not kind.is_link:
                continue
            table = kind.cls.__tablename__
            self._adopt(kind, self.rows[table])
            ref = next(f for f in kind.fields if f.ref)
            assert ref.ref is not None
            targets = self._ids_of(KINDS[ref.ref].cls.__tablename__)
            kept = [row for row in self.rows[table] if row[ref.name] in targets]
            dropped = len(self.rows[table]) - len(kept)
            if dropped:
                self.rows[table] = kept
                self._note(
                    f"removed {dropped} link{'s' if dropped != 1 else ''} to "
                    f"{KINDS[ref.ref].label.lower()} entries that do not exist"
                )

    def _document_info(self) -> None:
        info = self.rows["document_info"]
        for row in info:
            if row["key"] == "revision" and not str(row["value"] or "").isdigit():
                row["value"] = "0"


# ---------------------------------------------------------------------------- writing


def _stored(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime(_DATETIME_FORMAT)
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_working_copy(working: Path, rows: Rows) -> None:
    """A fresh database with Plan Studio's schema holding `rows`, all in one transaction."""
    with contextlib.closing(sqlite3.connect(working, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("BEGIN")
        for statement in schema_statements():
            connection.execute(statement)
        for table in Base.metadata.sorted_tables:
            table_rows = rows.get(table.name) or []
            if not table_rows:
                continue
            names = [column.name for column in table.columns]
            listed = ", ".join(f'"{column}"' for column in names)
            marks = ", ".join("?" for _ in names)
            connection.executemany(
                f'INSERT INTO "{table.name}" ({listed}) VALUES ({marks})',
                ([_stored(row[column]) for column in names] for row in table_rows),
            )
        storage.stamp(connection)
        connection.execute("COMMIT")
