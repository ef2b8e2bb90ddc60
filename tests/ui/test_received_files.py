"""A received file in the window: what opening it repaired is told, and a save never
silently overwrites someone else's."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

from planstudio.model import PlanDocument, UpdateItem
from tests.model.helpers import rich_sample


def _plan(folder: Path) -> Path:
    path = folder / "received.psplan"
    with PlanDocument.from_interchange(rich_sample()) as plan:
        plan.save_as(path)
    return path


def test_opening_a_file_with_foreign_objects_says_what_was_left_out(
    main_window: Any, tmp_path: Path
) -> None:
    path = _plan(tmp_path)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TRIGGER t AFTER UPDATE ON plan BEGIN DELETE FROM role; END")
        connection.execute("UPDATE role_link SET role_id = 'nobody' WHERE rowid = 1")
        connection.commit()
    told: list[tuple[str, list[str]]] = []
    main_window.inform = lambda message, details: told.append((message, details))
    assert main_window.open_path(path)
    assert told == [(
        "received.psplan was opened, with 2 thing(s) to know:",
        ['received.psplan carried 1 database object that Plan Studio does not use '
         '(trigger "t"); it was left out.',
         "received.psplan: removed 1 link to role entries that do not exist"],
    )]  # fmt: skip
    editing = main_window.editing
    assert editing is not None
    plan_id = editing.document.plan.id
    assert editing.push(UpdateItem("plan", plan_id, {"title": "Renamed"}))
    assert len(editing.document.rows()["role"]) == 3  # the trigger never fired


def test_save_asks_when_someone_else_saved_meanwhile(main_window: Any, tmp_path: Path) -> None:
    path = _plan(tmp_path)
    main_window.inform = lambda message, details: None
    assert main_window.open_path(path)
    editing = main_window.editing
    assert editing is not None
    assert editing.push(UpdateItem("plan", editing.document.plan.id, {"title": "Mine"}))
    # A colleague's Plan Studio saves the same file from another machine.
    theirs = tmp_path / "theirs.psplan"
    with PlanDocument.open(path, read_only=True) as other:
        other.save_as(theirs)
    with contextlib.closing(sqlite3.connect(theirs)) as connection:
        connection.execute("UPDATE plan SET title = 'Theirs'")
        connection.commit()
    theirs.replace(path)
    asked: list[str] = []

    def answer(reply: str) -> Any:
        return lambda message: asked.append(message) or reply

    main_window.ask_save_conflict = answer("cancel")
    assert not main_window.save()
    assert "was changed by someone else since you opened it" in asked[0]
    with PlanDocument.open(path, read_only=True) as check:
        assert check.plan.title == "Theirs"
    main_window.ask_save_conflict = answer("overwrite")
    assert main_window.save()
    with PlanDocument.open(path, read_only=True) as check:
        assert check.plan.title == "Mine"
