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
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from planstudio.model import storage
from planstudio.model.errors import DamagedPlanError, NewerVersionError, NotAPlanError
from planstudio.model.repairs import Damaged, label_of_table, repair_working_copy
from planstudio.model.schema import metadata

# Tables added after format 1, by the format that added them (2: progress monitoring, 3: history).
_ADDED_IN: dict[str, int] = {"strategy_phase": 2, "action_step_review": 2, "plan_version": 3}
# SQLite's own bookkeeping, neither ours nor foreign.
_SQLITE_INTERNAL = frozenset(
    ("sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4")
)
# No value in a plan comes near this; a longer one is a file built to exhaust memory.
MAX_VALUE_BYTES = 64 * 1024 * 1024
# Reading is linear in the file's size; this only stops a file that defeats that.
# Reading is linear in the file's size: a fixed allowance plus a generous rate per
# megabyte stops only a file that defeats that (the 4,000-step plan needs under a second).
READ_SECONDS = 30.0
READ_SECONDS_PER_MB = 0.5


def _deadline(database: Path) -> float:
    size_mb = database.stat().st_size / 1_000_000
    return time.monotonic() + READ_SECONDS + READ_SECONDS_PER_MB * size_mb


def _stop_after(connection: sqlite3.Connection, deadline: float) -> None:
    connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)


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
    return [t for t in metadata.sorted_tables if _ADDED_IN.get(t.name, 1) <= version]


@cache
def _table_statements() -> tuple[str, ...]:
    dialect = sqlite_dialect.dialect()
    return tuple(
        str(CreateTable(table).compile(dialect=dialect)).strip() for table in metadata.sorted_tables
    )


@cache
def _index_statements() -> tuple[str, ...]:
    dialect = sqlite_dialect.dialect()
    return tuple(
        str(CreateIndex(index).compile(dialect=dialect)).strip()
        for table in metadata.sorted_tables
        for index in sorted(table.indexes, key=lambda i: i.name or "")
    )


def schema_statements() -> tuple[str, ...]:
    """Plan Studio's own CREATE statements: the only schema a working copy ever has."""
    return _table_statements() + _index_statements()


@cache
def _our_index_names() -> frozenset[str]:
    return frozenset(
        index.name for table in metadata.sorted_tables for index in table.indexes if index.name
    )


# ---------------------------------------------------------------------------- the reading


# Functions the copy's own statements call; a file's schema may call none.
_ALLOWED_FUNCTIONS = frozenset({"min", "count"})


def _authorizer(
    allowed: dict[str, frozenset[str]], *, schema: str, inserts: bool = False
) -> Callable[..., int]:
    """Let statements read the known columns of the known tables of `schema`, and nothing else."""

    def decide(action: int, arg1: str | None, arg2: str | None, db: Any, trigger: Any) -> int:
        if trigger is not None:
            return sqlite3.SQLITE_DENY
        if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_TRANSACTION):
            return sqlite3.SQLITE_OK
        if (
            action == sqlite3.SQLITE_READ
            and db == schema
            and arg1 in allowed
            and (arg2 in allowed[arg1] or arg2 in ("", "rowid", "ROWID"))  # "": the rowid
        ):
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_INSERT and inserts and db == "main" and arg1 in allowed:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _ALLOWED_FUNCTIONS:
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
    _defensive(connection)
    _stop_after(connection, _deadline(database))
    return connection


def _defensive(connection: sqlite3.Connection) -> None:
    """SQLite's defensive mode (no writing the schema or shadow tables by SQL), where the
    Python can ask for it (3.12 and later); before that the authorizer stands alone."""
    setconfig = getattr(connection, "setconfig", None)
    flag = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    if setconfig is not None and flag is not None:
        setconfig(flag, True)


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
    with contextlib.ExitStack() as closing:

        def connect() -> sqlite3.Connection:
            return closing.enter_context(contextlib.closing(_working_connection(working)))

        return _receive(path, received, connect, keep=True)


def receive_in_memory(path: Path, received: Path) -> tuple[Reception, sqlite3.Connection]:
    """As `receive`, into a database in memory: for a command that reads the plan once
    into a snapshot and keeps nothing (dump, export).  Every check and repair is made but
    those the snapshot cannot show: no indexes are built, the times items were made and
    changed at (which a snapshot does not hold) are not checked, and the values are not
    read ahead, since the snapshot reads every value it holds: the caller names a file
    whose values cannot be read with `damaged`.  The caller closes the connection."""
    made: list[sqlite3.Connection] = []

    def connect() -> sqlite3.Connection:
        made.append(sqlite3.connect("file::memory:", uri=True, isolation_level=None,
                                    check_same_thread=False))  # fmt: skip
        # Not read ahead on the locked-down connection, a value built to exhaust memory
        # is stopped here, as it is copied.
        made[0].setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        return made[0]

    try:
        return _receive(path, received, connect, keep=False), made[0]
    except BaseException:
        for connection in made:
            connection.close()
        raise


def _receive(
    path: Path, received: Path, connect: Callable[[], sqlite3.Connection], *, keep: bool
) -> Reception:
    # `keep`: the copy is a working copy, kept and edited (rather than read once).
    name = path.name
    read_header_version(received, path)
    try:
        with contextlib.closing(_locked_down(received)) as source:
            reception, allowed = _inspect(source, name)
            if keep:
                _read_every_value(source, allowed)
        copy = connect()
        _stop_after(copy, _deadline(received))
        extra_sections = _copy_rows(copy, received, allowed, indexes=keep)
        if extra_sections:
            reception.repairs.append(
                f"kept the first of {extra_sections + 1} copies of the Georgia general information"
            )
        repair_working_copy(copy, reception, times=keep)
        copy.set_progress_handler(None, 0)
    except Damaged as damage:
        raise DamagedPlanError(f"{name} is damaged: {damage}.") from None
    except sqlite3.DatabaseError as error:
        raise damaged(path, error) from None
    return reception


def damaged(path: Path, error: sqlite3.DatabaseError) -> DamagedPlanError:
    """What to tell of a file whose reading failed with `error`, in one line."""
    name = path.name
    if isinstance(error, sqlite3.IntegrityError):
        return DamagedPlanError(f"{name} is damaged: {_broken_constraint(error)}.")
    # A value over the length limit is a DataError ("string or blob too big").
    if isinstance(error, sqlite3.OperationalError | sqlite3.DataError):
        return DamagedPlanError(f"{name} is damaged: {_reason(error)}.")
    return DamagedPlanError(f"{name} is damaged and cannot be opened safely.")


def _reason(error: sqlite3.Error) -> str:
    text = str(error)
    if "interrupted" in text:
        return "reading it took too long"
    if "too big" in text:
        return "it holds a value far larger than any plan"
    if "decode" in text or "UTF-8" in text:
        return "it holds text that is not valid UTF-8"
    return "its contents cannot be read"


def _broken_constraint(error: sqlite3.IntegrityError) -> str:
    # SQLite words these as "NOT NULL constraint failed: table.column".
    found = re.search(r"(NOT NULL|UNIQUE) constraint failed: (\w+)\.(\w+)", str(error))
    if found is None:
        return "its records contradict each other"
    kind, table, column = found.groups()
    if kind == "NOT NULL":
        return f"the {column} of a {label_of_table(table)} record is missing"
    return f"two {label_of_table(table)} records share one {column}"


def _inspect(source: sqlite3.Connection, name: str) -> tuple[Reception, dict[str, frozenset[str]]]:
    """Check the file's schema against ours; list what it carries beyond it."""
    application_id = source.execute("PRAGMA application_id").fetchone()[0]
    if application_id != storage.APPLICATION_ID:
        raise NotAPlanError(f"{name} is a database, but not a Plan Studio plan.")
    version = _known_version(source.execute("PRAGMA user_version").fetchone()[0], name)
    reception = Reception(version)
    objects = source.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    tables = tables_of(version)
    expected = {table.name for table in tables}
    found: dict[str, str] = {}
    for kind, object_name, sql in objects:
        if object_name in expected and kind == "table":
            found[object_name] = sql or ""
        elif kind == "index" and (
            object_name in _our_index_names() or object_name.startswith("sqlite_autoindex_")
        ):
            continue  # rebuilt by Plan Studio; the file's definition is never used
        elif object_name in _SQLITE_INTERNAL:
            continue
        elif object_name in expected:
            raise Damaged(f"its {label_of_table(object_name)} records are a {kind}, not a table")
        else:
            reception.foreign_objects.append(f'{kind} "{object_name}"')
    allowed: dict[str, frozenset[str]] = {}
    for table in tables:
        label = label_of_table(table.name)
        if table.name not in found:
            raise Damaged(f"its {label} records are missing")
        if not found[table.name].lstrip().upper().startswith("CREATE TABLE"):
            raise Damaged(f"its {label} records are not an ordinary table")
        columns = {row[1]: row[6] for row in source.execute(f'PRAGMA table_xinfo("{table.name}")')}
        for column in table.columns:
            if column.name not in columns:
                raise Damaged(f"its {label} records lack the {column.name} field")
            if columns[column.name] != 0:
                raise Damaged(f"the {column.name} of its {label} records is computed, not stored")
        known = frozenset(column.name for column in table.columns)
        reception.foreign_objects.extend(
            f'column "{table.name}.{extra}"' for extra in columns if extra not in known
        )
        allowed[table.name] = known
    return reception, allowed


def _select(table: str, columns: Iterable[str], schema: str | None = None) -> str:
    listed = ", ".join(f'"{column}"' for column in columns)
    where = f'"{schema}".' if schema else ""
    return f'SELECT {listed} FROM {where}"{table}"'


def _read_every_value(source: sqlite3.Connection, allowed: dict[str, frozenset[str]]) -> None:
    """Read every value once, so that unreadable text or pages stop the open here."""
    source.set_authorizer(_authorizer(allowed, schema="main"))
    for table, columns in allowed.items():
        cursor = source.execute(_select(table, sorted(columns)))
        while cursor.fetchmany(2000):
            pass


class _WorkingConnection(sqlite3.Connection):
    """The connection building a working copy: it leaves the copy in WAL mode when closed."""

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.execute("PRAGMA journal_mode = WAL")
        super().close()


def _working_connection(working: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(
        working.as_uri(), uri=True, isolation_level=None, factory=_WorkingConnection
    )
    connection.execute("PRAGMA trusted_schema = OFF")
    # Built without a journal on disk and without syncing: a copy whose building fails is
    # thrown away, so neither protects anything here, and together they cost a third of
    # the time of building it.  Edits then go through WAL like any other (see `close`).
    connection.execute("PRAGMA journal_mode = MEMORY")
    connection.execute("PRAGMA synchronous = OFF")
    return connection


def _copy_rows(
    copy: sqlite3.Connection, received: Path, allowed: dict[str, frozenset[str]], *, indexes: bool
) -> int:
    """Plan Studio's schema, then the known columns of the known tables, copied by SQLite
    (and the indexes, when `indexes`: a copy read once and thrown away does without)."""
    copy.execute("BEGIN")
    for statement in _table_statements():
        copy.execute(statement)
    storage.stamp(copy)
    copy.execute("COMMIT")
    copy.execute("ATTACH DATABASE ? AS received", (f"{received.as_uri()}?mode=ro",))
    try:
        copy.set_authorizer(_authorizer(allowed, schema="received", inserts=True))
        copy.execute("BEGIN")
        for table in tables_in_order(allowed):
            columns = [c.name for c in metadata.tables[table].columns]
            source = _select(table, columns, "received")
            if table == "ga_general":
                # One per plan: a second copy would break the unique key; keep the first.
                source += ' WHERE rowid = (SELECT min(rowid) FROM received."ga_general")'
            listed = ", ".join(f'"{column}"' for column in columns)
            copy.execute(f'INSERT INTO main."{table}" ({listed}) {source}')
        copy.execute("COMMIT")
    except BaseException:
        if copy.in_transaction:
            copy.execute("ROLLBACK")
        raise
    finally:
        copy.set_authorizer(None)
    extra = copy.execute('SELECT count(*) - 1 FROM received."ga_general"').fetchone()[0]
    copy.execute("DETACH DATABASE received")
    if not indexes:
        return max(int(extra), 0)
    # Indexes after the rows: building them once is faster than keeping them up row by row.
    copy.execute("BEGIN")
    for statement in _index_statements():
        copy.execute(statement)
    copy.execute("COMMIT")
    return max(int(extra), 0)


def tables_in_order(allowed: dict[str, frozenset[str]]) -> list[str]:
    return [table.name for table in metadata.sorted_tables if table.name in allowed]
