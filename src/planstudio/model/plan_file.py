"""A plan file read once for a command that only reads it (dump, export, check, diff).

Opening a plan for editing builds a working copy on disk, with indexes, a lock
and a recovery record, and an ORM session on it.  A command that reads the plan
once needs none of that: the file goes through the same reception (the
untrusted file inspected on a locked-down connection, its rows copied into a
schema Plan Studio made, checked and repaired), but into a database in memory,
from which the snapshot (or the rows `check` and `diff` read) is read and which is then
dropped.
Only what a snapshot cannot show is skipped (see `reception.receive_in_memory`).
Nothing is written anywhere but a private temporary folder, removed at the end.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

from planstudio.model import reception
from planstudio.model.collection import collection_paused
from planstudio.model.errors import PlanFileError
from planstudio.model.rowmap import RowMap, read_rows
from planstudio.model.snapshot import read_snapshot


def read_plan_file(path: str | Path) -> tuple[dict[str, Any], reception.Reception]:
    """The interchange document of the plan in the file at `path`, and what reading it
    left out or repaired: the document `PlanDocument.open(path, read_only=True).snapshot()`
    gives, in half the time.

    Raises PlanFileError (or one of its kinds) with a one-line message naming the file.
    """
    with plan_in_memory(path) as (connection, found):
        return read_snapshot(connection), found


def read_plan_rows(path: str | Path) -> RowMap:
    """The plan in the file at `path` as a row map (`rowmap`): what `diff` compares."""
    with plan_in_memory(path) as (connection, _found):
        return read_rows(connection)


def check_plan_file(
    path: str | Path, layout: str | None = None, *, spelling: bool = False
) -> list[str]:
    """What `planstudio check` prints of the plan in the file at `path`: a line per finding
    of `layout`'s rules, then (with `spelling`) one per unknown word.

    The checks of the window, run on the plan as read-only objects (`item_tree`): the same
    findings, without building the ORM or a working copy.
    """
    from planstudio.model.checks import format_findings, run_checks
    from planstudio.model.item_tree import plan_from_rows

    with plan_in_memory(path) as (connection, _found):
        plan = plan_from_rows(read_rows(connection))
        if plan is None:
            raise PlanFileError(f"{Path(path).absolute()} holds no plan.")
        raw = connection.connection.driver_connection
        findings = run_checks(plan, layout, connection=raw)
    lines = format_findings(findings)
    if spelling:
        from planstudio.model.spelling import Speller, check_plan, format_misspellings

        misspelled = check_plan(plan, Speller())
        lines += [f"Spelling: {line}" for line in format_misspellings(plan, misspelled)]
    return lines


@contextlib.contextmanager
def plan_in_memory(path: str | Path) -> Iterator[tuple[Connection, reception.Reception]]:
    """A Core connection to the plan in the file at `path`, received into a database in
    memory, and what receiving it left out or repaired; the database is dropped after.

    Raises PlanFileError (or one of its kinds) with a one-line message naming the file.
    """
    path = Path(path).absolute()
    if not path.exists():
        raise PlanFileError(f"{path} does not exist.")
    if path.is_dir():
        raise PlanFileError(f"{path} is a folder, not a plan file.")
    reception.read_header_version(path, path)
    with tempfile.TemporaryDirectory(prefix="planstudio-read-") as folder:
        try:
            received = reception.copy_with_side_files(path, Path(folder))
        except OSError as error:
            raise PlanFileError(f"Cannot read {path}: {error.strerror or error}.") from None
        found, copy = reception.receive_in_memory(path, received)
    with contextlib.closing(copy):
        engine = create_engine("sqlite://", creator=lambda: copy, poolclass=StaticPool)
        try:
            with engine.connect() as connection, collection_paused():
                yield connection, found
        except DBAPIError as error:
            # Text that is not UTF-8, say: the values were not read ahead (see reception).
            if isinstance(error.orig, sqlite3.DatabaseError):
                raise reception.damaged(path, error.orig) from None
            raise
        finally:
            engine.dispose()
