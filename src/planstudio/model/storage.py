"""The plan file on disk: how to tell a plan, upgrade an old one, and write one safely.

Plan Studio never opens the user's file for writing.  It copies it, checks and
upgrades the copy, edits the copy (see `recovery`), and saves by writing a
complete new file beside the old one, flushing it to disk and renaming it over
the old one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from planstudio.model.errors import DamagedPlanError, NewerVersionError, NotAPlanError, SaveError

PLAN_SUFFIX = ".psplan"
# "PSPL": lets any tool (and `file`) tell a plan from another SQLite database.
APPLICATION_ID = int.from_bytes(b"PSPL", "big")
SCHEMA_VERSION = 2
SQLITE_MAGIC = b"SQLite format 3\x00"
_TEMP_MARK = ".saving-"


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def check_plan_file(copy: Path, shown_as: Path) -> int:
    """Check that `copy` (a private copy of `shown_as`) is a sound plan; return its version.

    Raises NotAPlanError, NewerVersionError or DamagedPlanError with a message
    that names the user's file, never the copy.
    """
    name = shown_as.name
    size = copy.stat().st_size
    if size == 0:
        raise NotAPlanError(f"{name} is empty: it is not a Plan Studio plan.")
    with copy.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_MAGIC):
        raise NotAPlanError(f"{name} is not a Plan Studio plan (.psplan) file.")
    if len(header) < 100:
        raise DamagedPlanError(f"{name} is damaged (it is cut short) and cannot be opened.")
    application_id = int.from_bytes(header[68:72], "big")
    if application_id != APPLICATION_ID:
        raise NotAPlanError(f"{name} is a database, but not a Plan Studio plan.")
    version = int.from_bytes(header[60:64], "big")
    if version > SCHEMA_VERSION:
        raise NewerVersionError(
            f"{name} was saved by a newer Plan Studio (plan format {version}); this version "
            f"reads plan format {SCHEMA_VERSION} and older. Update Plan Studio to open it.",
            version,
            SCHEMA_VERSION,
        )
    if version < 1:
        raise DamagedPlanError(f"{name} is damaged (it has no plan format version).")
    try:
        with contextlib.closing(connect(copy)) as connection:
            result = connection.execute("PRAGMA quick_check").fetchall()
            if result != [("ok",)]:
                raise DamagedPlanError(f"{name} is damaged and cannot be opened safely.")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if not {"plan", "goal_area", "document_info"} <= tables:
                raise DamagedPlanError(f"{name} is damaged: parts of the plan are missing.")
            plans = connection.execute("SELECT count(*) FROM plan").fetchone()[0]
            if plans != 1:
                raise DamagedPlanError(f"{name} is damaged: it holds {plans} plans instead of one.")
    except sqlite3.DatabaseError as error:
        raise DamagedPlanError(f"{name} is damaged and cannot be opened ({error}).") from None
    return version


# ---------------------------------------------------------------------------- upgrades


def _run(connection: sqlite3.Connection, script: str) -> None:
    # Not executescript: it commits first, and an upgrade must be all or nothing.
    for statement in script.split(";"):
        if statement.strip():
            connection.execute(statement)


def _v1_to_v2(connection: sqlite3.Connection) -> None:
    """Format 2 added progress monitoring: strategy phases by year, and step reviews."""
    _run(
        connection,
        """
        CREATE TABLE strategy_phase (
            strategy_id VARCHAR(100) NOT NULL,
            year VARCHAR NOT NULL,
            phase VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            id VARCHAR(100) NOT NULL,
            created_at DATETIME NOT NULL,
            modified_at DATETIME NOT NULL,
            PRIMARY KEY (id),
            FOREIGN KEY(strategy_id) REFERENCES strategy (id) ON DELETE CASCADE
        );
        CREATE INDEX ix_strategy_phase_strategy_id ON strategy_phase (strategy_id);
        CREATE TABLE action_step_review (
            action_step_id VARCHAR(100) NOT NULL,
            date VARCHAR(10) NOT NULL,
            status VARCHAR NOT NULL,
            percent_complete FLOAT,
            note TEXT,
            position INTEGER NOT NULL,
            id VARCHAR(100) NOT NULL,
            created_at DATETIME NOT NULL,
            modified_at DATETIME NOT NULL,
            PRIMARY KEY (id),
            FOREIGN KEY(action_step_id) REFERENCES action_step (id) ON DELETE CASCADE
        );
        CREATE INDEX ix_action_step_review_action_step_id ON action_step_review (action_step_id);
        """,
    )


# The ladder: UPGRADES[n] turns a format-n file into format n+1.  A step is
# never edited once released; a change to the tables adds a step.
UPGRADES: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_to_v2}


def upgrade(path: Path, version: int) -> None:
    """Upgrade the working copy at `path` from `version` to SCHEMA_VERSION, all or nothing."""
    with contextlib.closing(connect(path)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            for step in range(version, SCHEMA_VERSION):
                UPGRADES[step](connection)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("COMMIT")
        except Exception:
            connection.execute("ROLLBACK")
            raise


def stamp(connection: sqlite3.Connection) -> None:
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


# ---------------------------------------------------------------------------- writing


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not possible (nor needed) on Windows.
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _temporary_beside(target: Path) -> Path:
    return target.with_name(f".{target.name}{_TEMP_MARK}{secrets.token_hex(4)}")


def remove_stale_temporaries(target: Path) -> None:
    """Remove what an interrupted save of `target` left behind."""
    with contextlib.suppress(OSError):
        for leftover in target.parent.glob(f".{target.name}{_TEMP_MARK}*"):
            with contextlib.suppress(OSError):
                leftover.unlink()


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Have `write` fill a temporary file beside `target`, flush it, then rename it over.

    A crash at any moment leaves either the old file or the new one, whole.
    """
    folder = target.parent
    if not folder.is_dir():
        raise SaveError(f"Cannot save to {target}: the folder {folder} does not exist.")
    temporary = _temporary_beside(target)
    try:
        write(temporary)
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)  # noqa: PTH105 - the atomic rename, by its usual name
        _fsync_folder(folder)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        reason = error.strerror or str(error)
        raise SaveError(f"Cannot save {target.name} in {folder}: {reason}.") from None
    except sqlite3.Error as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise SaveError(f"Cannot save {target.name} in {folder}: {error}.") from None
    finally:
        # SQLite may leave a journal beside a file it wrote; a saved plan stands alone.
        for extra in ("-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                temporary.with_name(temporary.name + extra).unlink()


def write_plan_file(working_copy: Path, target: Path) -> None:
    """Save the working copy as a compact, self-contained plan file at `target`."""

    def vacuum_into(temporary: Path) -> None:
        with contextlib.closing(connect(working_copy)) as connection:
            connection.execute("VACUUM INTO ?", (str(temporary),))

    remove_stale_temporaries(target)
    write_atomically(target, vacuum_into)


def write_bytes_atomically(target: Path, data: bytes) -> None:
    write_atomically(target, lambda temporary: temporary.write_bytes(data))


def copy_file(source: Path, destination: Path) -> None:
    shutil.copyfile(source, destination)
