"""Kill -9 at random moments of a loop of edits and saves: nothing is ever lost or torn."""

from __future__ import annotations

import contextlib
import os
import random
import select
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from planstudio.model import AddItem, PlanDocument

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL"),
]

RUNS = 50
SAVE_EVERY = 3


def _edit_and_save_forever(path: Path, run: int, out: int) -> None:
    """The child: add goal areas one by one, saving every few, reporting each step."""
    document = PlanDocument.open(path)
    os.write(out, b"ready\n")
    edit = 0
    while True:
        document.apply(AddItem("goal_area", document.plan.id, {"title": f"r{run}-e{edit}"}))
        os.write(out, f"edited {edit}\n".encode())
        if edit % SAVE_EVERY == SAVE_EVERY - 1:
            os.write(out, f"saving {edit}\n".encode())
            document.save()
            os.write(out, f"saved {edit}\n".encode())
        edit += 1


def _read_all(descriptor: int, until: float) -> str:
    chunks = []
    while time.monotonic() < until:
        ready, _, _ = select.select([descriptor], [], [], max(0.0, until - time.monotonic()))
        if not ready:
            break
        chunk = os.read(descriptor, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()


def _read_some(descriptor: int) -> str:
    select.select([descriptor], [], [], 30)
    return os.read(descriptor, 65536).decode()


def _titles(document: PlanDocument, run: int) -> list[str]:
    return [a.title for a in document.plan.goal_areas if a.title.startswith(f"r{run}-")]


def _expected(run: int, last: int) -> list[str]:
    return [f"r{run}-e{edit}" for edit in range(last + 1)]


def test_kill_9_during_edits_and_saves_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plan.psplan"
    with PlanDocument.new(title="Crash test") as document:
        document.save_as(path)
    chance = random.Random(20261122)
    inside_a_save = 0
    for run in range(RUNS):
        reader, writer = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child never returns
            try:
                os.close(reader)
                _edit_and_save_forever(path, run, writer)
            finally:
                os._exit(1)
        os.close(writer)
        log = ""
        while "ready" not in log:
            log += _read_some(reader)
        time.sleep(chance.uniform(0.0, 0.12))
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        log += _read_all(reader, time.monotonic() + 1)
        os.close(reader)

        words = [line.split() for line in log.splitlines() if len(line.split()) == 2]
        edited = [int(n) for word, n in words if word == "edited"]
        saved = [int(n) for word, n in words if word == "saved"]
        saving = [int(n) for word, n in words if word == "saving"]
        last_edit = max(edited, default=-1)
        last_saved = max(saved, default=-1)
        interrupted = max(saving, default=-1)
        inside_a_save += interrupted > last_saved
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)], (run, log)

        # The file opens, and holds the plan as of the last save or of the interrupted one.
        with PlanDocument.open(path, read_only=True) as on_disk:
            in_file = _titles(on_disk, run)
        assert in_file in (_expected(run, last_saved), _expected(run, interrupted)), (run, log)

        # The recovery copy holds every edit made before the kill (one more may have
        # been committed without the child getting to report it).
        found = PlanDocument.recoverable()
        if not found:
            assert in_file == _expected(run, last_edit) or in_file == _expected(run, last_edit + 1)
            continue
        assert len(found) == 1, found
        with PlanDocument.recover(found[0]) as recovered:
            titles = _titles(recovered, run)
            assert titles in (_expected(run, last_edit), _expected(run, last_edit + 1)), (run, log)
            recovered.save()
        # What an interrupted save left beside the file is gone after the next save.
        assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.psplan"]
    # The loop is only worth its time if some kills caught a save half way.
    assert inside_a_save > 0
