"""One open plan: new, open, save, save as, revert, close, and the edits in between.

The document owns a working copy (see `recovery`) and a SQLAlchemy session on
it.  Every edit operation is committed to the working copy before `apply`
returns, so a crash loses nothing that was applied; the user's file changes
only when they save, and then all at once.
"""

from __future__ import annotations

import contextlib
import getpass
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from filelock import Timeout
from sqlalchemy import Engine, create_engine, event, select, update
from sqlalchemy.orm import Session, selectinload

from planstudio import __version__
from planstudio.model import history, interchange, reception, storage
from planstudio.model.collection import collection_paused
from planstudio.model.edits import Applied, EditError, EditOp
from planstudio.model.entities import (
    Base,
    DocumentInfo,
    GoalArea,
    Objective,
    Plan,
    Strategy,
)
from planstudio.model.errors import PlanFileError, ReadOnlyError, SaveConflictError, SaveError
from planstudio.model.reception import Reception
from planstudio.model.recovery import PlanLock, RecoverableSession, WorkingCopy, find_recoverable
from planstudio.model.rowmap import RowMap, read_rows, release_rows
from planstudio.model.snapshot import read_snapshot

REVISION_KEY = "revision"
_DOCUMENT_INFO = Base.metadata.tables["document_info"]


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # WAL with synchronous=NORMAL: each edit is a cheap commit that still
    # survives the program being killed; the fsync comes with save.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _on_begin(connection: Any) -> None:
    # pysqlite's own transaction handling is off (see _on_connect); begin here.
    connection.exec_driver_sql("BEGIN")


def _engine(database: Path) -> Engine:
    # The window opens and saves large plans in a worker thread, then edits on the
    # main thread; never at the same time, so one connection may serve both.
    engine = create_engine(f"sqlite:///{database}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _load_plan(session: Session) -> Plan:
    """Load the plan's tree and catalogs in a fixed number of queries.

    Links, points, phases and reviews load when first touched (an editor, an
    edit) or all at once with `load_everything`, so that a large plan opens fast.
    """
    objectives = selectinload(Plan.goal_areas).selectinload(GoalArea.objectives)
    with collection_paused():
        return session.scalars(
            select(Plan).options(
                selectinload(Plan.ga_general),
                selectinload(Plan.funding_sources),
                selectinload(Plan.roles),
                selectinload(Plan.monitoring_methods),
                objectives.selectinload(Objective.measures),
                objectives.selectinload(Objective.strategies).selectinload(Strategy.action_steps),
            )
        ).one()


def read_state(database: Path) -> tuple[int, str] | None:
    """The edit count and title of a working copy, or None when it cannot be read."""
    if not database.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(database)) as connection:
            row = connection.execute(
                "SELECT value FROM document_info WHERE key = ?", (REVISION_KEY,)
            ).fetchone()
            title = connection.execute("SELECT title FROM plan").fetchone()
    except sqlite3.Error:
        return None
    return (int(row[0]) if row else 0, str(title[0]) if title else "")


class PlanDocument:
    """A plan being worked on.  Use `new`, `open` or `recover`; always `close`."""

    def __init__(
        self,
        working: WorkingCopy,
        path: Path | None,
        *,
        read_only: bool = False,
        lock: PlanLock | None = None,
    ) -> None:
        self.working = working
        self.path = path
        self.read_only = read_only
        self._lock = lock
        self.upgraded_from: int | None = None
        self.backup_path: Path | None = None
        # What opening the file left out or repaired (nothing, for a plan made here).
        self.reception = Reception(storage.SCHEMA_VERSION)
        # The file as it was when opened or last saved, to notice someone else's save.
        self._on_disk: storage.DiskSignature | None = None
        # Who the next saved version is by; the window sets it from its settings.
        self.author = default_author()
        # The other copy's version a merge brought in, recorded with the next save.
        self.merged_from: str | None = None
        self._history_cache: dict[str, RowMap] = {}
        self._engine = _engine(working.database)
        self.session = Session(self._engine, expire_on_commit=False, autoflush=True)
        self._plan: Plan | None = None
        self._revision = self._read_revision()
        self._saved_revision = self._revision
        self._closed = False

    # ------------------------------------------------------------------ creating

    @classmethod
    def new(
        cls,
        *,
        title: str | None = None,
        organization: str | None = None,
        layout: str | None = None,
    ) -> PlanDocument:
        """A new, untitled plan: it gets a file name at its first Save As."""
        from planstudio.model.templates import template

        return cls.from_interchange(template(layout, title, organization))

    @classmethod
    def from_interchange(cls, document: Any) -> PlanDocument:
        """A new untitled plan built from an interchange document (raises InterchangeError)."""
        interchange.validate(document)
        return cls.create(lambda session: interchange.insert_plan(session, document))

    @classmethod
    def create(cls, populate: Callable[[Session], object]) -> PlanDocument:
        """A new untitled plan whose content `populate` adds to a fresh database."""
        working = WorkingCopy.create()
        try:
            with contextlib.closing(storage.connect(working.database)) as connection:
                storage.stamp(connection)
            engine = _engine(working.database)
            Base.metadata.create_all(engine)
            with Session(engine) as session:
                populate(session)
                now = datetime.now(UTC).isoformat(timespec="seconds")
                session.add_all(
                    [
                        DocumentInfo(key=REVISION_KEY, value="0"),
                        DocumentInfo(key="created_with", value=f"Plan Studio {__version__}"),
                        DocumentInfo(key="created_at", value=now),
                    ]
                )
                session.commit()
            engine.dispose()
            document = cls(working, None)
        except Exception:
            working.discard()
            raise
        # Unsaved from the start, so that a crash before the first save is recoverable.
        document._saved_revision = -1
        document._write_session_info()
        return document

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> PlanDocument:
        """Open a plan file; the file itself is only ever read.

        The file is untrusted: its rows are read into a working copy whose schema
        Plan Studio made (see `reception`); `reception` on the document says what
        was left out or repaired on the way.
        """
        path = Path(path).absolute()
        if not path.exists():
            raise PlanFileError(f"{path} does not exist.")
        if path.is_dir():
            raise PlanFileError(f"{path} is a folder, not a plan file.")
        reception.read_header_version(path, path)
        if not read_only:
            storage.remove_stale_temporaries(path.parent)
        lock = None if read_only else PlanLock(path)
        if lock is not None:
            lock.acquire()
        working: WorkingCopy | None = None
        try:
            working = WorkingCopy.create()
            signature = storage.disk_signature(path)
            received = _receive(path, working)
            backup = None
            if received.version < storage.SCHEMA_VERSION and not read_only:
                backup = _keep_backup(path, received.version)
            document = cls(working, path, read_only=read_only, lock=lock)
            document.reception = received
            document._on_disk = signature
            if received.version < storage.SCHEMA_VERSION:
                document.upgraded_from = received.version
                document.backup_path = backup
        except BaseException:
            if working is not None:
                working.discard()
            if lock is not None:
                lock.release()
            raise
        document._write_session_info()
        return document

    @classmethod
    def recover(cls, session: RecoverableSession) -> PlanDocument:
        """Reopen the edits a crashed Plan Studio left, bound to their original file."""
        try:
            working = session.take()
        except Timeout:
            raise PlanFileError("Those edits are already open in another Plan Studio.") from None
        lock: PlanLock | None = None
        try:
            if session.original_path is not None:
                storage.remove_stale_temporaries(session.original_path.parent)
                lock = PlanLock(session.original_path)
                lock.acquire()
            shown = session.original_path or Path(f"{session.title}.psplan")
            if reception.read_header_version(working.database, shown) < storage.SCHEMA_VERSION:
                working = _bring_up_to_date(working, shown)
            document = cls(working, session.original_path, lock=lock)
        except BaseException:
            working.release()
            if lock is not None:
                lock.release()
            raise
        document._saved_revision = int(working.info().get("saved_revision", -1))
        return document

    @staticmethod
    def recoverable() -> list[RecoverableSession]:
        return find_recoverable(read_state)

    # ------------------------------------------------------------------ state

    @property
    def plan(self) -> Plan:
        """The plan's ORM objects, loaded when first asked for: comparing, merging or
        dumping a file reads its rows and never needs them."""
        if self._plan is None:
            self._plan = _load_plan(self.session)
        return self._plan

    @plan.setter
    def plan(self, plan: Plan) -> None:
        self._plan = plan

    @property
    def modified(self) -> bool:
        """Whether the plan holds edits its file does not (an untitled plan always does)."""
        return self._revision != self._saved_revision

    @property
    def revision(self) -> int:
        return self._revision

    @property
    def display_name(self) -> str:
        if self.path:
            return self.path.name
        title = self._plan.title if self._plan is not None else self._stored_title()
        return title or "Untitled Plan"

    def _read_revision(self) -> int:
        value = self.session.scalar(
            select(DocumentInfo.value).where(DocumentInfo.key == REVISION_KEY)
        )
        return int(value or 0)

    def _stored_title(self) -> str:
        return str(self.session.scalar(select(Plan.title)) or "")

    def _write_session_info(self) -> None:
        self.working.write_info(
            original_path=str(self.path) if self.path else None,
            title=self._plan.title if self._plan is not None else self._stored_title(),
            saved_revision=self._saved_revision,
            read_only=self.read_only,
        )

    # ------------------------------------------------------------------ editing

    def apply(self, operation: EditOp) -> Applied:
        """Apply one edit and commit it to the working copy; EditError leaves the plan as it was."""
        self._check_open()
        if self.read_only:
            raise ReadOnlyError(
                f"{self.display_name} is open read-only; use Save As to edit a copy."
            )
        try:
            applied = operation.apply(self.session, self.plan)
            self._revision += 1
            # Core, not an ORM update: the ORM would re-check every loaded object.
            self.session.connection().execute(
                update(_DOCUMENT_INFO)
                .where(_DOCUMENT_INFO.c.key == REVISION_KEY)
                .values(value=str(self._revision))
            )
            self.session.commit()
        except EditError:
            # Operations check before they change anything; this is for the exception.
            if self.session.new or self.session.dirty or self.session.deleted:
                self._rollback()
            raise
        except Exception:
            self._rollback()
            raise
        return applied

    def _rollback(self) -> None:
        # An operation that failed half way must leave no trace, in memory either.
        self.session.rollback()
        self.session.expire_all()
        self._revision = self._read_revision()
        self.plan = _load_plan(self.session)

    def snapshot(self) -> dict[str, Any]:
        """The plan as an interchange document, read on a connection of its own.

        Safe to call from a worker thread while the window goes on editing: it
        reads the last committed edit in one read transaction and shares no
        objects with the document's session.  Read with Core (see `snapshot`),
        not the ORM: the same document in a tenth of the time.
        """
        with self._engine.connect() as connection, collection_paused():
            return read_snapshot(connection)

    def get(self, cls: type[Any], item_id: str) -> Any:
        return self.session.get(cls, item_id)

    # ------------------------------------------------------------------ saving

    def save(self, *, overwrite: bool = False, comment: str | None = None) -> None:
        """Save to the plan's file.

        Raises SaveConflictError when the file on disk is no longer the one opened
        or last saved here (someone saved it meanwhile), unless `overwrite`.
        """
        self._check_open()
        if self.read_only:
            raise SaveError(f"{self.display_name} is open read-only; use Save As to keep a copy.")
        if self.path is None:
            raise SaveError("This plan has no file yet; use Save As to choose one.")
        if not overwrite:
            self._check_unchanged_on_disk(self.path)
        self._write(self.path, comment)

    def changed_on_disk(self) -> bool:
        """Whether someone else has saved over the plan's file since it was opened or saved."""
        if self.path is None or self._on_disk is None:
            return False
        current = storage.disk_signature(self.path)
        return current is not None and current != self._on_disk

    def _check_unchanged_on_disk(self, target: Path) -> None:
        if self.changed_on_disk():
            raise SaveConflictError(
                f"{target.name} was changed by someone else since you opened it; "
                "save your work under another name, or overwrite their changes."
            )

    def save_as(
        self, path: str | Path, *, overwrite: bool = False, comment: str | None = None
    ) -> None:
        """Save to a new file, which from then on is this document's file."""
        self._check_open()
        target = Path(path).absolute()
        if target.suffix.lower() != storage.PLAN_SUFFIX:
            target = target.with_name(target.name + storage.PLAN_SUFFIX)
        same_file = self.path is not None and target == self.path and self._lock is not None
        if same_file and not overwrite:
            self._check_unchanged_on_disk(target)
        lock = self._lock if same_file else PlanLock(target)
        if not same_file:
            assert lock is not None
            lock.acquire()
        try:
            self._write(target, comment)
        except BaseException:
            if not same_file and lock is not None:
                lock.release()
            raise
        if not same_file and self._lock is not None:
            self._lock.release()
        self._lock = lock
        self.path = target
        self.read_only = False
        self._write_session_info()

    def _write(self, target: Path, comment: str | None = None) -> None:
        self.session.commit()
        connection = self.session.connection()
        rows = read_rows(connection)
        try:
            version = history.record(
                connection, rows, author=self.author, comment=comment,
                merged_id=self.merged_from, cache=self._history_cache,
            )  # fmt: skip
        finally:
            release_rows(rows)  # the history keeps its own copy
        self.session.commit()
        try:
            storage.write_plan_file(self.working.database, target)
        except BaseException:
            history.forget(self.session.connection(), version)
            self.session.commit()
            self._history_cache.clear()
            raise
        self.merged_from = None
        self._on_disk = storage.disk_signature(target)
        self._saved_revision = self._revision
        self.working.write_info(saved_revision=self._saved_revision, original_path=str(target))
        if self.backup_path is not None:
            with contextlib.suppress(OSError):
                self.backup_path.unlink()
            self.backup_path = None

    # ------------------------------------------------------------------ history

    def rows(self) -> RowMap:
        """The plan as it is now, as a row map (see `rowmap`), on a connection of its own."""
        with self._engine.connect() as connection:
            return read_rows(connection)

    def versions(self) -> list[history.Version]:
        """The saved versions this file holds, newest first."""
        with self._engine.connect() as connection:
            return history.versions(connection)

    def version_rows(self, version_id: str) -> RowMap:
        """The plan as it was saved in one version (raises VersionError)."""
        with self._engine.connect() as connection:
            return history.rebuild(connection, version_id, self._history_cache)

    def head_version(self) -> str | None:
        with self._engine.connect() as connection:
            return history.head(connection)

    def merge_base(self, other: PlanDocument) -> str | None:
        """The newest saved version this plan and `other` both hold, if any."""
        with self._engine.connect() as mine, other._engine.connect() as theirs:
            return history.merge_base(mine, theirs)

    def adopt_versions(self, other: PlanDocument) -> int:
        """Take in the versions only `other` holds, so later merges of it find their base.

        History, not content: it is kept whatever becomes of the merge's undo step.
        """
        self._check_open()
        with other._engine.connect() as theirs:
            count = history.adopt_versions(self.session.connection(), theirs)
        self.session.commit()
        return count

    def detach(self) -> None:
        """Make this an untitled, editable copy: edits from now on reach only a new file."""
        self._check_open()
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self.path = None
        self.read_only = False
        self._on_disk = None
        self._saved_revision = -1
        self._write_session_info()

    def revert(self) -> None:
        """Throw away every edit since the last save and reload the file."""
        self._check_open()
        if self.path is None:
            raise PlanFileError("This plan has never been saved, so there is nothing to revert to.")
        fresh = WorkingCopy.create()
        try:
            signature = storage.disk_signature(self.path)
            received = _receive(self.path, fresh)
        except BaseException:
            fresh.discard()
            raise
        self._close_database()
        self.working.discard()
        self.working = fresh
        self._engine = _engine(fresh.database)
        self.session = Session(self._engine, expire_on_commit=False, autoflush=True)
        self.plan = _load_plan(self.session)
        self._revision = self._read_revision()
        self._saved_revision = self._revision
        self.reception = received
        self._on_disk = signature
        self._write_session_info()

    # ------------------------------------------------------------------ closing

    def _close_database(self) -> None:
        self.session.close()
        self._engine.dispose()

    def close(self) -> None:
        """Close the plan; unsaved edits are dropped (ask the user before calling this)."""
        if self._closed:
            return
        self._closed = True
        self._close_database()
        self.working.discard()
        if self._lock is not None:
            self._lock.release()

    def _check_open(self) -> None:
        if self._closed:
            raise PlanFileError("This plan has been closed.")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def default_author() -> str:
    """The account name, until the user gives the name they want on their versions."""
    try:
        return getpass.getuser()
    except Exception:
        return "someone"


def _receive(path: Path, working: WorkingCopy) -> Reception:
    """Read the user's file (and its -wal or -journal) into `working`, through a private copy."""
    try:
        received = reception.copy_with_side_files(path, working.folder)
    except OSError as error:
        raise PlanFileError(f"Cannot read {path}: {error.strerror or error}.") from None
    try:
        return reception.receive(path, received, working.database)
    finally:
        for leftover in working.folder.glob(f"{received.name}*"):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _bring_up_to_date(working: WorkingCopy, shown: Path) -> WorkingCopy:
    """A working copy an older Plan Studio left: read into one of the current format, whose
    session record (original file, saved revision) it keeps."""
    fresh = WorkingCopy.create()
    try:
        reception.receive(shown, working.database, fresh.database)
        fresh.write_info(**working.info())
    except BaseException:
        fresh.discard()
        raise
    working.discard()
    return fresh


def _keep_backup(path: Path, version: int) -> Path | None:
    """Keep the file as it was before an upgrade, beside it, until the next save."""
    backup = path.with_name(f"{path.stem}.format-{version}-backup{path.suffix}")
    try:
        if not backup.exists():
            storage.copy_file(path, backup)
    except OSError:
        return None  # a read-only folder: the original itself stays untouched until saved
    return backup
