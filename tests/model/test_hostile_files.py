"""Plan files crafted as an attacker would: nothing in them runs, travels on, or is lost."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest

from planstudio.cli import main
from planstudio.model import (
    DamagedPlanError,
    PlanDocument,
    PlanInUseError,
    SaveConflictError,
    UpdateItem,
)
from planstudio.model.interchange import dumps, validate
from planstudio.model.repairs import RECOVERED_TITLE
from planstudio.paths import HOME_ENV, recovery_dir
from tests.conftest import SAMPLES
from tests.model.helpers import rich_sample

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def real_plan(tmp_path: Path) -> Path:
    target = tmp_path / "received" / "plan.psplan"
    target.parent.mkdir()
    with PlanDocument.from_interchange(rich_sample()) as plan:
        plan.save_as(target)
    return target


def _sql(path: Path, *statements: str) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as connection:
        for statement in statements:
            connection.execute(statement)


def _rows(path: Path, query: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        return connection.execute(query).fetchall()


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


_SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"


def _only_our_schema(path: Path) -> None:
    """The saved file's schema is exactly the one a fresh plan gets: no object of the file's."""
    fresh = path.with_name("fresh-for-schema.psplan")
    with PlanDocument.new(title="Fresh") as plan:
        plan.save_as(fresh)
    try:
        assert _rows(path, _SCHEMA) == _rows(fresh, _SCHEMA)
    finally:
        fresh.unlink()


def _nothing_left_to_recover() -> None:
    assert PlanDocument.recoverable() == []
    assert list(recovery_dir().iterdir()) == []


# ---------------------------------------------------------------------------- code in the file

_TRIGGER = (
    "CREATE TRIGGER t AFTER UPDATE ON plan BEGIN "
    "UPDATE funding_source SET allocation = 9999999; "
    "UPDATE action_step SET text = 'CANCELLED: ' || text; "
    "DELETE FROM role_link; END"
)
_REGEXP_TRIGGER = (
    "CREATE TRIGGER slow AFTER UPDATE ON goal_area BEGIN "
    "SELECT 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' REGEXP '(a+)+$'; END"
)


def test_a_trigger_never_fires_and_never_travels_on(real_plan: Path, tmp_path: Path) -> None:
    _sql(real_plan, _TRIGGER, _REGEXP_TRIGGER)
    allocations = _rows(real_plan, "SELECT id, allocation FROM funding_source ORDER BY id")
    texts = _rows(real_plan, "SELECT id, text FROM action_step ORDER BY id")
    links = _rows(real_plan, "SELECT count(*) FROM role_link")
    before = _fingerprint(real_plan.parent)
    with PlanDocument.open(real_plan) as plan:
        assert real_plan.with_name(".~lock.plan.psplan#").exists()
        assert sorted(plan.reception.foreign_objects) == ['trigger "slow"', 'trigger "t"']
        notice = plan.reception.notices(real_plan.name)[0]
        assert notice == (
            "plan.psplan carried 2 database objects that Plan Studio does not use "
            '(trigger "t", trigger "slow"); they were left out.'
        )
        plan.apply(UpdateItem("plan", plan.plan.id, {"title": "Renamed"}))
        plan.apply(UpdateItem("goal_area", plan.plan.goal_areas[0].id, {"title": "Also renamed"}))
        saved = tmp_path / "saved.psplan"
        plan.save_as(saved)
    assert _fingerprint(real_plan.parent) == before  # the user's file byte-identical
    assert _rows(saved, "SELECT id, allocation FROM funding_source ORDER BY id") == allocations
    assert _rows(saved, "SELECT id, text FROM action_step ORDER BY id") == texts
    assert _rows(saved, "SELECT count(*) FROM role_link") == links
    assert _rows(saved, "SELECT title FROM plan") == [("Renamed",)]
    _only_our_schema(saved)
    with PlanDocument.open(saved) as again:
        assert again.reception.clean
    _nothing_left_to_recover()


def test_views_checks_generated_columns_and_index_functions_stay_inert(real_plan: Path) -> None:
    _sql(
        real_plan,
        "CREATE VIEW endless AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        "SELECT i FROM n",
        "CREATE VIEW whereami AS SELECT file FROM pragma_database_list",
        "CREATE TABLE heavy (x INTEGER CHECK (length(randomblob(1000000000)) > 0), "
        "y BLOB GENERATED ALWAYS AS (zeroblob(1000000000)) VIRTUAL)",
        "ALTER TABLE role ADD COLUMN huge BLOB GENERATED ALWAYS AS (zeroblob(1000000000)) VIRTUAL",
        "CREATE INDEX mystery ON goal_area (title) WHERE length(title) > 0",
    )
    # An index over a function only the attacker's machine has: written with it registered.
    with contextlib.closing(sqlite3.connect(real_plan, isolation_level=None)) as connection:
        connection.create_function("evil", 1, lambda value: value, deterministic=True)
        connection.execute("CREATE INDEX needs_evil ON objective (evil(statement))")
    with PlanDocument.open(real_plan) as plan:
        assert set(plan.reception.foreign_objects) == {
            'view "endless"', 'view "whereami"', 'table "heavy"', 'index "mystery"',
            'index "needs_evil"', 'column "role.huge"',
        }  # fmt: skip
        text = dumps(plan.plan)
        assert str(real_plan.parent) not in text
        plan.apply(UpdateItem("plan", plan.plan.id, {"title": "Saved anyway"}))
        plan.save()
    _only_our_schema(real_plan)
    assert main(["check", str(real_plan)]) in (0, 1)


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        (
            ["DROP TABLE role_link"],
            "plan.psplan is damaged: its responsible role records are missing.",
        ),
        (
            [
                "ALTER TABLE role RENAME TO role_old",
                "CREATE VIEW role AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                "SELECT i + 1 FROM n) SELECT * FROM role_old, n",
            ],
            "plan.psplan is damaged: its role records are a view, not a table.",
        ),
        (
            ["ALTER TABLE objective DROP COLUMN statement"],
            "plan.psplan is damaged: its objective records lack the statement field.",
        ),
        (
            ["UPDATE plan SET title = CAST('Title' AS BLOB)"],
            "plan.psplan is damaged: the title of a plan record is binary data, not text.",
        ),
        (
            ["UPDATE strategy SET position = 'first'"],
            "plan.psplan is damaged: the position of a strategy record is not a whole number.",
        ),
        (
            [
                "ALTER TABLE measure_target RENAME TO target_old",
                "CREATE TABLE measure_target AS SELECT * FROM target_old",
                "UPDATE measure_target SET year = NULL",
            ],
            "plan.psplan is damaged: the year of a target record is missing.",
        ),
        (
            [
                "UPDATE action_step SET id = (SELECT id FROM strategy LIMIT 1) "
                "WHERE rowid = (SELECT min(rowid) FROM action_step)"
            ],
            None,  # two records with one id
        ),
        (
            [
                "INSERT INTO plan (id, title, created_at, modified_at) "
                "VALUES ('second', 'Another', '2024-01-01 00:00:00.000000', "
                "'2024-01-01 00:00:00.000000')"
            ],
            "plan.psplan is damaged: it holds 2 plans instead of one.",
        ),
        (
            ["UPDATE objective SET statement = CAST(x'c328' AS TEXT)"],
            "plan.psplan is damaged: it holds text that is not valid UTF-8.",
        ),
    ],
    ids=[
        "missing-table",
        "view-for-table",
        "missing-column",
        "blob-title",
        "wrong-type",
        "null-required",
        "duplicate-id",
        "two-plans",
        "bad-utf8",
    ],
)
def test_a_damaged_file_is_named_as_damaged(
    real_plan: Path, statements: list[str], message: str | None, capsys: pytest.CaptureFixture
) -> None:
    _sql(real_plan, *statements)
    before = _fingerprint(real_plan.parent)
    with pytest.raises(DamagedPlanError) as refused:
        PlanDocument.open(real_plan)
    if message is not None:
        assert str(refused.value) == message
    else:
        assert str(refused.value).startswith("plan.psplan is damaged: two records share the id")
    for command in (["dump"], ["check"], ["verify"]):
        assert main([*command, str(real_plan)]) == 2
        error = capsys.readouterr().err
        assert error.count("\n") == 1 and "is damaged" in error
        assert "SQL" not in error and "unexpected" not in error and "Error" not in error
    assert _fingerprint(real_plan.parent) == before
    _nothing_left_to_recover()


# ---------------------------------------------------------------------------- repairs


def test_orphans_are_gathered_and_dangling_links_removed(
    real_plan: Path, capsys: pytest.CaptureFixture
) -> None:
    strategies = _rows(real_plan, "SELECT count(*) FROM action_step")[0][0]
    _sql(
        real_plan,
        "UPDATE action_step SET strategy_id = 'gone' WHERE id IN "
        "(SELECT id FROM action_step LIMIT 2)",
        "UPDATE role_link SET role_id = 'nobody' WHERE id IN (SELECT id FROM role_link LIMIT 3)",
        "UPDATE action_step SET status = 'hacked' WHERE id IN (SELECT id FROM action_step LIMIT 1)",
    )
    with PlanDocument.open(real_plan) as plan:
        assert plan.reception.repairs == [
            "cleared 1 value no plan can hold from the status of action step records",
            'moved 2 action steps whose strategy is missing under "Recovered items"',
            "removed 3 links to role entries that do not exist",
        ]
        recovered = plan.plan.goal_areas[-1]
        assert recovered.title == RECOVERED_TITLE
        steps = recovered.objectives[0].strategies[0].action_steps
        assert len(steps) == 2
        document = json.loads(dumps(plan.plan))
        validate(document)
        total = sum(
            len(s.get("action_steps", []))
            for g in document["goal_areas"]
            for o in g.get("objectives", [])
            for s in o.get("strategies", [])
        )  # fmt: skip
        assert total == strategies
    assert main(["verify", str(real_plan)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "plan.psplan: cleared 1 value no plan can hold from the status of action step records",
        'plan.psplan: moved 2 action steps whose strategy is missing under "Recovered items"',
        "plan.psplan: removed 3 links to role entries that do not exist",
    ]


def test_verify_a_clean_plan(real_plan: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["verify", str(real_plan)]) == 0
    assert capsys.readouterr().out == "plan.psplan: no problems found\n"
    assert sorted(p.name for p in real_plan.parent.iterdir()) == ["plan.psplan"]


# ---------------------------------------------------------------------------- side files


def test_a_wal_that_came_with_the_file_is_read_and_not_left_beside(
    real_plan: Path, tmp_path: Path
) -> None:
    with contextlib.closing(sqlite3.connect(real_plan, isolation_level=None)) as writer:
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("UPDATE plan SET title = 'Only in the WAL'")
        # Copy the file and its WAL as an email client would, while the WAL is unmerged.
        copied = tmp_path / "copied"
        copied.mkdir()
        for name in ("plan.psplan", "plan.psplan-wal"):
            (copied / name).write_bytes((real_plan.parent / name).read_bytes())
    plan_path = copied / "plan.psplan"
    before = _fingerprint(copied)
    with PlanDocument.open(plan_path, read_only=True) as plan:
        assert plan.plan.title == "Only in the WAL"
    assert main(["dump", str(plan_path), "-o", str(tmp_path / "out.json")]) == 0
    assert _fingerprint(copied) == before  # read-only: nothing written beside
    with PlanDocument.open(plan_path) as plan:
        plan.apply(UpdateItem("plan", plan.plan.id, {"title": "Saved"}))
        plan.save()
    assert sorted(p.name for p in copied.iterdir()) == ["plan.psplan"]
    assert _rows(plan_path, "SELECT title FROM plan") == [("Saved",)]


def test_read_only_commands_write_nothing_beside_an_old_format_file(
    real_plan: Path, tmp_path: Path
) -> None:
    _sql(real_plan, "DROP TABLE action_step_review", "DROP TABLE strategy_phase",
         "PRAGMA user_version = 1")  # fmt: skip
    before = _fingerprint(real_plan.parent)
    assert main(["dump", str(real_plan), "-o", str(tmp_path / "out.json")]) == 0
    assert main(["check", str(real_plan)]) in (0, 1)
    assert main(["export", str(real_plan), "--format", "pdf", "-o", str(tmp_path / "o.pdf")]) == 0
    assert _fingerprint(real_plan.parent) == before


# ---------------------------------------------------------------------------- two machines


def _as_other_machine(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setenv(HOME_ENV, str(home))


def test_two_homes_one_folder(
    real_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_home = Path(os.environ[HOME_ENV])
    with PlanDocument.open(real_plan) as first:
        _as_other_machine(monkeypatch, tmp_path / "second-home")
        with pytest.raises(PlanInUseError) as told:
            PlanDocument.open(real_plan)
        assert "plan.psplan is open in Plan Studio by" in str(told.value)
        assert "You can open it read-only" in str(told.value)
        with PlanDocument.open(real_plan, read_only=True) as reader:
            assert reader.plan.title == first.plan.title
        _as_other_machine(monkeypatch, first_home)
    _as_other_machine(monkeypatch, tmp_path / "second-home")
    with PlanDocument.open(real_plan) as second:  # closed: the owner file is gone
        assert second.plan.title
    assert sorted(p.name for p in real_plan.parent.iterdir()) == ["plan.psplan"]


def test_a_stale_owner_file_is_taken_over(real_plan: Path) -> None:
    import socket

    owner = real_plan.with_name(".~lock.plan.psplan#")
    dead = {"user": "crashed", "host": socket.gethostname(), "pid": 2**22 + 12345, "token": "x"}
    owner.write_text(json.dumps(dead), encoding="utf-8")
    with PlanDocument.open(real_plan) as plan:
        assert plan.plan.title
    assert not owner.exists()


def test_save_never_silently_overwrites_someone_elses_save(real_plan: Path, tmp_path: Path) -> None:
    with PlanDocument.open(real_plan) as mine:
        mine.apply(UpdateItem("plan", mine.plan.id, {"title": "Mine"}))
        # Someone on another machine saves the plan meanwhile.
        theirs = tmp_path / "theirs.psplan"
        with PlanDocument.open(real_plan, read_only=True) as other:
            other.save_as(theirs)
        _sql(theirs, "UPDATE plan SET title = 'Theirs'")
        theirs.replace(real_plan)
        assert mine.changed_on_disk()
        with pytest.raises(SaveConflictError) as conflict:
            mine.save()
        assert "was changed by someone else since you opened it" in str(conflict.value)
        assert _rows(real_plan, "SELECT title FROM plan") == [("Theirs",)]
        mine.save(overwrite=True)
        assert not mine.changed_on_disk()
        mine.apply(UpdateItem("plan", mine.plan.id, {"title": "Mine again"}))
        mine.save()  # our own last save is not a conflict
    assert _rows(real_plan, "SELECT title FROM plan") == [("Mine again",)]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_save_through_a_symbolic_link_writes_its_target(real_plan: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.psplan"
    link.symlink_to(real_plan)
    with PlanDocument.open(link) as plan:
        plan.apply(UpdateItem("plan", plan.plan.id, {"title": "Through the link"}))
        plan.save()
    assert link.is_symlink()
    assert _rows(real_plan, "SELECT title FROM plan") == [("Through the link",)]


# ---------------------------------------------------------------------------- leftovers


def test_a_dead_saves_temporary_is_gone_at_the_next_open(real_plan: Path) -> None:
    import socket

    from planstudio.model.storage import _host

    leftover = real_plan.with_name(f".plan.psplan.saving-{_host()}-{2**22 + 12345}-0badf00d")
    leftover.write_bytes(real_plan.read_bytes())
    live = real_plan.with_name(f".plan.psplan.saving-{_host()}-{os.getpid()}-00000001")
    live.write_bytes(b"a save in progress")
    assert socket.gethostname()
    with PlanDocument.open(real_plan):
        pass
    assert not leftover.exists()
    assert live.exists()  # a running save of this machine is left alone


def test_a_killed_open_leaves_no_recovery_offer(real_plan: Path) -> None:
    # What a kill in the middle of reading the file leaves: a working folder, no session record.
    from planstudio.model.recovery import WorkingCopy

    half = WorkingCopy.create()
    (half.folder / "received.psplan").write_bytes(real_plan.read_bytes())
    half.release()
    _nothing_left_to_recover()


# ---------------------------------------------------------------------------- JSON to import


def _with_source(allocation: str) -> str:
    text = Path(SAMPLES[0]).read_text(encoding="utf-8")
    source = f'"funding_sources": [{{"id": "f", "name": "F", "allocation": {allocation}}}], '
    return text.replace('"goal_areas": [', source + '"goal_areas": [', 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_with_source("NaN"), "$.funding_sources[0].allocation: not a number (NaN and "
         "Infinity are not JSON numbers)"),
        (_with_source("-Infinity"), "$.funding_sources[0].allocation: not a number (NaN and "
         "Infinity are not JSON numbers)"),
        (_with_source("1" + "0" * 5000), "$.funding_sources[0].allocation: a number with 5001 "
         "digits is too large"),
        (_with_source("1e999"), "$.funding_sources[0].allocation: a number too large to hold"),
        (_with_source("[" * 100_000 + "]" * 100_000), "$: {source} is nested too deeply to be "
         "a plan"),
        (_with_source("[" * 200 + "]" * 200), "$.funding_sources[0].allocation" + "[0]" * 62
         + ": nested too deeply to be a plan"),
        ('{"\\ud800": 1}', "$.?: a field name holds a broken character (a lone "
         "surrogate)"),
    ],
    ids=["nan", "infinity", "digits", "overflow", "deep", "deep-in-python", "surrogate-key"],
)  # fmt: skip
def test_hostile_json_gets_one_line_naming_what_and_where(
    tmp_path: Path, text: str, message: str, capsys: pytest.CaptureFixture
) -> None:
    source = tmp_path / "in.json"
    source.write_text(text, encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "out.psplan")]) == 2
    expected = message.replace("{source}", str(source))
    assert capsys.readouterr().err == f"planstudio: error: {expected}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]


def test_import_from_a_closed_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr("sys.stdin", None)
    assert main(["import", "-", "-o", str(tmp_path / "out.psplan")]) == 2
    error = capsys.readouterr().err
    assert error == ("planstudio: error: standard input is closed, so there is no JSON to import\n")


def test_reading_stops_at_its_deadline(real_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import planstudio.model.reception as reception

    monkeypatch.setattr(reception, "READ_SECONDS", -1.0)
    monkeypatch.setattr(reception, "READ_SECONDS_PER_MB", 0.0)
    with pytest.raises(DamagedPlanError) as stopped:
        PlanDocument.open(real_plan)
    assert str(stopped.value) == "plan.psplan is damaged: reading it took too long."
    _nothing_left_to_recover()
