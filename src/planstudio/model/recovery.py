"""Working copies that survive a crash, and the locks that tell who has a plan open.

Each open plan is edited in a private working copy under the recovery folder,
with every edit committed as it is made.  A clean close removes the folder; a
crash leaves it, and the next start finds it because nobody holds its lock.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import os
import secrets
import shutil
import socket
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from planstudio.model.errors import PlanInUseError
from planstudio.model.storage import process_alive, write_bytes_atomically
from planstudio.paths import locks_dir, recovery_dir

WORKING_NAME = "working.psplan"
INFO_NAME = "session.json"
LOCK_NAME = "session.lock"


def _owner() -> dict[str, Any]:
    try:
        user = getpass.getuser()
    except Exception:
        user = "someone"
    return {
        "user": user,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _write_json(path: Path, data: dict[str, Any]) -> None:
    write_bytes_atomically(path, json.dumps(data, indent=2).encode("utf-8"))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def plan_key(path: Path) -> str:
    return hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def owner_file(path: Path) -> Path:
    """The small file beside a plan that tells other machines who has it open (as Word's ~$)."""
    return path.with_name(f".~lock.{path.name}#")


class PlanLock:
    """Held while a plan is open for editing, by this or any other Plan Studio.

    Two signs: a lock in this machine's data folder, which the operating system
    frees if the program dies, and an owner file beside the plan, which other
    machines sharing the folder see.  An owner file whose program is gone (same
    machine, process no longer running) is stale and taken over.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        key = plan_key(path)
        self._lock = FileLock(locks_dir() / f"{key}.lock", timeout=0, thread_local=False)
        self._owner_file = locks_dir() / f"{key}.json"
        self._beside = owner_file(path)
        self._token = secrets.token_hex(8)
        self._wrote_beside = False

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            owner = _read_json(self._owner_file)
            raise PlanInUseError(describe_owner(self.path, owner), owner) from None
        try:
            self._claim_beside()
        except BaseException:
            self._lock.release(force=True)
            raise
        _write_json(self._owner_file, _owner())

    def _claim_beside(self) -> None:
        owner = _read_json(self._beside)
        if owner and owner.get("token") != self._token and not _stale(owner):
            raise PlanInUseError(describe_owner(self.path, owner), owner)
        mine = {**_owner(), "token": self._token}
        try:
            self._beside.write_text(json.dumps(mine), encoding="utf-8")
        except OSError:
            return  # a folder nobody may write to: nobody can save there either
        self._wrote_beside = True
        # Two machines that claimed at the same moment: the later write wins, the other yields.
        winner = _read_json(self._beside)
        if winner.get("token") != self._token:
            self._wrote_beside = False
            raise PlanInUseError(describe_owner(self.path, winner), winner)

    def release(self) -> None:
        if self._wrote_beside:
            self._wrote_beside = False
            if _read_json(self._beside).get("token") == self._token:
                with contextlib.suppress(OSError):
                    self._beside.unlink()
        if self._lock.is_locked:
            with contextlib.suppress(OSError):
                self._owner_file.unlink()
            self._lock.release(force=True)


def _stale(owner: dict[str, Any]) -> bool:
    """An owner file left by a Plan Studio of this machine that is no longer running."""
    if owner.get("host") != socket.gethostname():
        return False  # another machine: only it can tell; the user may open read-only
    pid = owner.get("pid")
    return not isinstance(pid, int) or not process_alive(pid)


def describe_owner(path: Path, owner: dict[str, Any]) -> str:
    who = owner.get("user", "someone")
    host = owner.get("host")
    where = f" on {host}" if host else ""
    pid = owner.get("pid")
    process = f" (process {pid})" if pid else ""
    since = owner.get("since")
    when = f" since {since}" if since else ""
    return (
        f"{path.name} is open in Plan Studio by {who}{where}{process}{when}. "
        "You can open it read-only, or ask them to close it."
    )


@dataclass
class WorkingCopy:
    """A private folder holding the copy of a plan that edits go to."""

    folder: Path
    lock: FileLock

    @property
    def database(self) -> Path:
        return self.folder / WORKING_NAME

    @classmethod
    def create(cls) -> WorkingCopy:
        folder = Path(tempfile.mkdtemp(prefix="plan-", dir=recovery_dir()))
        lock = FileLock(folder / LOCK_NAME, timeout=0, thread_local=False)
        lock.acquire()
        return cls(folder, lock)

    def info(self) -> dict[str, Any]:
        return _read_json(self.folder / INFO_NAME)

    def write_info(self, **values: Any) -> None:
        data = {**self.info(), **values, "format": "planstudio.recovery"}
        _write_json(self.folder / INFO_NAME, data)

    def discard(self) -> None:
        self.lock.release(force=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def release(self) -> None:
        self.lock.release(force=True)


@dataclass(frozen=True)
class RecoverableSession:
    """Edits left by a Plan Studio that stopped without closing its plan."""

    folder: Path
    original_path: Path | None
    title: str
    last_edit: str | None
    unsaved_edits: int

    def take(self) -> WorkingCopy:
        """Claim this session's working copy; raises Timeout if another program took it."""
        lock = FileLock(self.folder / LOCK_NAME, timeout=0, thread_local=False)
        lock.acquire()
        return WorkingCopy(self.folder, lock)

    def discard(self) -> None:
        with contextlib.suppress(Timeout):
            self.take().discard()


def _last_change(folder: Path) -> str | None:
    times = [
        path.stat().st_mtime
        for path in (folder / WORKING_NAME, folder / f"{WORKING_NAME}-wal")
        if path.exists()
    ]
    if not times:
        return None
    return datetime.fromtimestamp(max(times), UTC).isoformat(timespec="seconds")


def find_recoverable(
    read_state: Callable[[Path], tuple[int, str] | None],
) -> list[RecoverableSession]:
    """Working copies whose program is gone and that hold edits never saved.

    `read_state(database_path)` reads a working copy's edit count and plan
    title (None when it cannot be read).  Copies with nothing unsaved, and
    copies that cannot be read, are removed on the way.
    """
    found: list[RecoverableSession] = []
    for folder in sorted(recovery_dir().glob("plan-*")):
        lock = FileLock(folder / LOCK_NAME, timeout=0, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            continue  # still open in a running Plan Studio
        try:
            info = _read_json(folder / INFO_NAME)
            if not info:
                # Opening never finished (killed while reading the file): nothing to recover.
                lock.release(force=True)
                shutil.rmtree(folder, ignore_errors=True)
                continue
            state = read_state(folder / WORKING_NAME)
            saved = int(info.get("saved_revision", -1))
            if info.get("read_only") or state is None or state[0] == saved:
                lock.release(force=True)
                shutil.rmtree(folder, ignore_errors=True)
                continue
            original = info.get("original_path")
            found.append(
                RecoverableSession(
                    folder=folder,
                    original_path=Path(original) if original else None,
                    title=state[1],
                    last_edit=_last_change(folder),
                    unsaved_edits=max(state[0] - max(saved, 0), 1),
                )
            )
        finally:
            lock.release(force=True)
    return found
