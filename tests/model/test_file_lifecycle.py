"""Save, revert, upgrade, lock and recover: the file rules of CONTRACTS.md."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import sqlite3
import sys
from pathlib import Path

import pytest

from planstudio.model import AddItem, PlanDocument, PlanInUseError, UpdateItem
from planstudio.model.interchange import dumps
from planstudio.model.storage import SCHEMA_VERSION
from tests.conftest import SAMPLES, load_json


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def saved_plan(tmp_path: Path) -> Path:
    target = tmp_path / "plan.psplan"
    with PlanDocument.from_interchange(load_json(SAMPLES[0])) as plan:
        plan.save_as(target)
    return target


def test_edits_stay_out_of_the_file_until_save(saved_plan: Path) -> None:
    before = digest(saved_plan)
    with PlanDocument.open(saved_plan) as plan:
        assert not plan.modified
        plan.apply(UpdateItem("plan", plan.plan.id, {"title": "Changed"}))
        assert plan.modified
        assert digest(saved_plan) == before
        # Only the owner file that tells other machines who has the plan open.
        beside = [".~lock.plan.psplan#", "plan.psplan"]
        assert sorted(p.name for p in saved_plan.parent.iterdir()) == beside
        plan.save()
        assert not plan.modified
        assert sorted(p.name for p in saved_plan.parent.iterdir()) == beside
    assert sorted(p.name for p in saved_plan.parent.iterdir()) == ["plan.psplan"]
    with PlanDocument.open(saved_plan) as plan:
        assert plan.plan.title == "Changed"


def test_revert_throws_away_edits_since_save(saved_plan: Path) -> None:
    with PlanDocument.open(saved_plan) as plan:
        title = plan.plan.title
        plan.apply(UpdateItem("plan", plan.plan.id, {"title": "Changed"}))
        plan.apply(AddItem("goal_area", plan.plan.id, {"title": "Extra"}))
        plan.revert()
        assert plan.plan.title == title and not plan.modified
        assert "Extra" not in [a.title for a in plan.plan.goal_areas]
        plan.apply(UpdateItem("plan", plan.plan.id, {"title": "After revert"}))
        plan.save()
    with PlanDocument.open(saved_plan) as plan:
        assert plan.plan.title == "After revert"


def test_save_as_moves_the_plan_to_its_new_file(saved_plan: Path) -> None:
    copy = saved_plan.with_name("copy.psplan")
    with PlanDocument.open(saved_plan) as plan:
        plan.save_as(copy)
        assert plan.path == copy
        # The old file is free again, the new one is taken.
        PlanDocument.open(saved_plan).close()
        with pytest.raises(PlanInUseError):
            PlanDocument.open(copy)


def make_format_1(path: Path) -> None:
    """A plan as format 1 wrote it: before strategy phases and step reviews existed."""
    connection = sqlite3.connect(path)
    connection.executescript(
        "DROP TABLE strategy_phase; DROP TABLE action_step_review; PRAGMA user_version = 1;"
    )
    connection.commit()
    connection.execute("VACUUM")
    connection.close()


def test_a_format_1_file_is_upgraded_on_open_and_kept_as_backup(tmp_path: Path) -> None:
    document = load_json(SAMPLES[0])
    for area in document.get("goal_areas", []):
        for objective in area.get("objectives", []):
            for strategy in objective.get("strategies", []):
                strategy.pop("phases", None)
                for step in strategy.get("action_steps", []):
                    step.pop("reviews", None)
    old = tmp_path / "old.psplan"
    with PlanDocument.from_interchange(document) as plan:
        plan.save_as(old)
        expected = json.loads(dumps(plan.plan))
    make_format_1(old)
    original = digest(old)
    with PlanDocument.open(old) as plan:
        assert plan.upgraded_from == 1
        assert plan.backup_path is not None and digest(plan.backup_path) == original
        assert digest(old) == original  # opening never writes the user's file
        assert json.loads(dumps(plan.plan)) == expected
        strategy = plan.plan.goal_areas[0].objectives[0].strategies[0]
        plan.apply(AddItem("phase", strategy.id, {"year": "2019-20", "phase": "planning"}))
        plan.save()
        assert not plan.backup_path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.psplan"]
    header = old.read_bytes()[:100]
    assert int.from_bytes(header[60:64], "big") == SCHEMA_VERSION
    with PlanDocument.open(old) as plan:
        assert plan.upgraded_from is None
        assert plan.plan.goal_areas[0].objectives[0].strategies[0].phases[0].phase == "planning"


# ---------------------------------------------------------------------------- locks


def _hold_open(path: str, home: str, ready, release) -> None:  # runs in a child process
    import os

    os.environ["PLANSTUDIO_HOME"] = home
    from planstudio.model import PlanDocument as Document

    document = Document.open(path)
    ready.set()
    release.wait(30)
    document.close()


def test_a_second_process_is_told_who_has_the_plan_and_may_read_it(
    saved_plan: Path, planstudio_home: Path
) -> None:
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(
        target=_hold_open, args=(str(saved_plan), str(planstudio_home), ready, release)
    )
    holder.start()
    try:
        assert ready.wait(60)
        with pytest.raises(PlanInUseError) as raised:
            PlanDocument.open(saved_plan)
        message = str(raised.value)
        assert f"process {holder.pid}" in message and "read-only" in message
        assert raised.value.owner["pid"] == holder.pid
        with PlanDocument.open(saved_plan, read_only=True) as viewer:
            assert viewer.read_only and viewer.plan.title
    finally:
        release.set()
        holder.join(30)
    with PlanDocument.open(saved_plan) as plan:  # free once the other program closed it
        assert not plan.read_only


def test_a_second_window_in_the_same_program_is_refused_too(saved_plan: Path) -> None:
    with PlanDocument.open(saved_plan), pytest.raises(PlanInUseError):
        PlanDocument.open(saved_plan)


# ---------------------------------------------------------------------------- recovery


def _edit_then_die(path: str | None, home: str, titles: list[str]) -> None:  # child process
    import os

    os.environ["PLANSTUDIO_HOME"] = home
    from planstudio.model import PlanDocument as Document
    from planstudio.model import UpdateItem as Update

    document = Document.open(path) if path else Document.new(title="Never saved")
    for title in titles:
        document.apply(Update("plan", document.plan.id, {"title": title}))
    os._exit(0)  # no close, no save: as if the power went


def _crash(path: Path | None, home: Path, titles: list[str]) -> None:
    context = multiprocessing.get_context("spawn")
    child = context.Process(target=_edit_then_die, args=(str(path) if path else None, str(home),
                                                         titles))  # fmt: skip
    child.start()
    child.join(60)
    assert child.exitcode == 0


def test_edits_of_a_crashed_program_can_be_recovered(saved_plan: Path, planstudio_home) -> None:
    before = digest(saved_plan)
    _crash(saved_plan, planstudio_home, ["First", "Second", "Last title"])
    assert digest(saved_plan) == before
    [found] = PlanDocument.recoverable()
    assert found.original_path == saved_plan and found.unsaved_edits == 3
    with PlanDocument.recover(found) as plan:
        assert plan.plan.title == "Last title"
        assert plan.modified and plan.path == saved_plan
        plan.save()
    assert PlanDocument.recoverable() == []
    with PlanDocument.open(saved_plan) as plan:
        assert plan.plan.title == "Last title"


def test_a_never_saved_plan_is_recoverable_and_can_be_discarded(planstudio_home) -> None:
    _crash(None, planstudio_home, ["Draft 2027"])
    [found] = PlanDocument.recoverable()
    assert found.original_path is None and found.title == "Draft 2027"
    found.discard()
    assert PlanDocument.recoverable() == []


def test_a_cleanly_closed_plan_leaves_nothing_to_recover(saved_plan: Path) -> None:
    with PlanDocument.open(saved_plan) as plan:
        plan.apply(UpdateItem("plan", plan.plan.id, {"title": "Unsaved, then closed"}))
    assert PlanDocument.recoverable() == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_working_copy_is_private(saved_plan: Path) -> None:
    with PlanDocument.open(saved_plan) as plan:
        assert plan.working.folder.stat().st_mode & 0o077 == 0


def test_a_snapshot_can_be_read_in_another_thread_while_editing(saved_plan: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with PlanDocument.open(saved_plan) as plan:
        plan.apply(UpdateItem("plan", plan.plan.id, {"title": "Before the snapshot"}))
        with ThreadPoolExecutor(1) as pool:
            snapshot = pool.submit(plan.snapshot).result()
        plan.apply(UpdateItem("plan", plan.plan.id, {"title": "After"}))
        assert snapshot["plan"]["title"] == "Before the snapshot"
        assert snapshot == {**json.loads(dumps(plan.plan)),
                            "plan": {**json.loads(dumps(plan.plan))["plan"],
                                     "title": "Before the snapshot"}}  # fmt: skip
