"""A committed format-1 plan file opens, upgraded, with today's schema and its content intact."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from planstudio.model import PlanDocument
from planstudio.model.interchange import dumps
from planstudio.model.storage import APPLICATION_ID, SCHEMA_VERSION
from planstudio.paths import samples_dir
from tests.conftest import load_json
from tests.model.helpers import canonical, without_item_ids

SAMPLE = "clayton-professional-learning-plan"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / f"format-1-{SAMPLE}.psplan"
FORMAT_2_TABLES = {"strategy_phase", "action_step_review"}


def schema(database: Path) -> list[tuple[str, str, str, str]]:
    """(type, name, table, SQL) of every table and index, spacing normalised, by name.

    Upgrade steps write their DDL by hand while a fresh plan gets SQLAlchemy's, so spacing
    and line breaks differ; words, names, types and constraints must not.
    """
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        rows = connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    return [(kind, name, table, _normalised(sql)) for kind, name, table, sql in rows]


def _normalised(sql: str | None) -> str:
    # Words and punctuation one space apart: "x VARCHAR ( 100 ) NOT NULL , y ...".
    return " ".join(re.findall(r"\w+|[^\w\s]", sql or ""))


def header_field(path: Path, offset: int) -> int:
    return int.from_bytes(path.read_bytes()[offset : offset + 4], "big")


@pytest.fixture
def old_plan(tmp_path: Path) -> Path:
    """A copy of the fixture: opening a format-1 file leaves a backup beside it."""
    copy = tmp_path / "old" / FIXTURE.name
    copy.parent.mkdir()
    shutil.copyfile(FIXTURE, copy)
    return copy


@pytest.fixture
def fresh_schema(tmp_path: Path) -> list[tuple[str, str, str, str]]:
    fresh = tmp_path / "fresh.psplan"
    with PlanDocument.new(title="Fresh") as plan:
        plan.save_as(fresh)
    return schema(fresh)


def test_the_fixture_is_a_format_1_plan() -> None:
    """Guards the fixture itself: if it were rebuilt by today's code the upgrade is untested."""
    assert FIXTURE.is_file(), f"missing fixture {FIXTURE}; see fixtures/README.md"
    assert header_field(FIXTURE, 68) == APPLICATION_ID
    assert header_field(FIXTURE, 60) == 1
    names = {name for _, name, _, _ in schema(FIXTURE)}
    assert "plan" in names and "action_step" in names
    assert not names & FORMAT_2_TABLES


def test_the_upgraded_plan_has_a_fresh_plans_schema(
    old_plan: Path, tmp_path: Path, fresh_schema
) -> None:
    before = hashlib.sha256(old_plan.read_bytes()).hexdigest()
    upgraded = tmp_path / "upgraded.psplan"
    with PlanDocument.open(old_plan) as plan:
        assert plan.upgraded_from == 1
        plan.save_as(upgraded)
    assert header_field(upgraded, 60) == SCHEMA_VERSION
    assert schema(upgraded) == fresh_schema
    # Opening an old file upgrades a copy; the user's file is left as it was.
    assert hashlib.sha256(old_plan.read_bytes()).hexdigest() == before


def test_the_upgraded_plan_holds_the_sample(old_plan: Path) -> None:
    original = load_json(samples_dir() / f"{SAMPLE}.json")
    with PlanDocument.open(old_plan) as plan:
        dumped = json.loads(dumps(plan.plan))
    assert without_item_ids(dumped) == canonical(without_item_ids(original))
