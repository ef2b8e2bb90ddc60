"""The plan file on disk: how to tell a plan, upgrade an old one, and write one safely.

Plan Studio never opens the user's file for writing.  It copies it, checks and
upgrades the copy, edits the copy (see `recovery`), and saves by writing a
complete new file beside the old one, flushing it to disk and renaming it over
the old one.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from planstudio.model.errors import SaveError

PLAN_SUFFIX = ".psplan"
# "PSPL": lets any tool (and `file`) tell a plan from another SQLite database.
APPLICATION_ID = int.from_bytes(b"PSPL", "big")
SCHEMA_VERSION = 3
SQLITE_MAGIC = b"SQLite format 3\x00"
_TEMP_MARK = ".saving-"
# A save takes seconds at most; a temporary this old was left by a save that died.
_ABANDONED_AFTER_SECONDS = 15 * 60

DiskSignature = tuple[int, int, int]


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


# Format changes: `reception.tables_of(version)` knows which tables each format
# has; reading a file copies its rows into a fresh schema of the current format,
# so a new format is a new entry there (and, where values change, a step in
# reception that changes them on the way in), never DDL run on a received file.


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


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:40] or "host"


def _temporary_beside(target: Path) -> Path:
    # Host and process in the name let the next open tell a dead save's leftover.
    mark = f"{_TEMP_MARK}{_host()}-{os.getpid()}-{secrets.token_hex(4)}"
    return target.with_name(f".{target.name}{mark}")


_TEMPORARY = re.compile(r"^\..+\.saving-(?P<host>[A-Za-z0-9]*)-(?P<pid>\d+)-[0-9a-f]+")


def process_alive(pid: int) -> bool:
    """Whether a process of this machine is still running."""
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(folder: Path) -> None:
    """Remove what interrupted saves left in `folder`: this machine's dead ones, and old ones."""
    host = _host()
    now = time.time()
    with contextlib.suppress(OSError):
        for leftover in folder.glob(f".*{_TEMP_MARK}*"):
            found = _TEMPORARY.match(leftover.name)
            if found is None:
                continue
            with contextlib.suppress(OSError):
                dead = found["host"] == host and not process_alive(int(found["pid"]))
                if dead or now - leftover.stat().st_mtime > _ABANDONED_AFTER_SECONDS:
                    leftover.unlink()


def disk_signature(path: Path) -> DiskSignature | None:
    """What tells one saved version of a file from the next (None when it is not there)."""
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ino)


def _remove_side_files(target: Path) -> None:
    """Remove a -wal, -shm or -journal that came with the file being replaced.

    Left beside the new file, SQLite would lay the old file's pages over it.  Their
    committed content was read when the plan was opened, so the new file holds it.
    """
    for suffix in ("-wal", "-shm", "-journal"):
        side = target.with_name(target.name + suffix)
        if side.is_file():
            side.unlink()


def write_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Have `write` fill a temporary file beside `target`, flush it, then rename it over.

    A crash at any moment leaves either the old file or the new one, whole.
    """
    if target.is_symlink():
        # Save through a link writes the file it points to, and the link stays a link.
        target = target.resolve()
    folder = target.parent
    if not folder.is_dir():
        raise SaveError(f"Cannot save to {target}: the folder {folder} does not exist.")
    temporary = _temporary_beside(target)
    try:
        write(temporary)
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        _remove_side_files(target)
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

    remove_stale_temporaries(target.parent)
    write_atomically(target, vacuum_into)


def write_bytes_atomically(target: Path, data: bytes) -> None:
    write_atomically(target, lambda temporary: temporary.write_bytes(data))


def copy_file(source: Path, destination: Path) -> None:
    shutil.copyfile(source, destination)
