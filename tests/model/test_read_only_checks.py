"""`check` and `diff` read the file once, without the ORM: what the window finds, all the same."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from planstudio.model import PlanDocument
from planstudio.model.checks import format_findings, run_checks
from planstudio.model.item_tree import plan_from_rows
from planstudio.model.plan_file import check_plan_file, plan_in_memory, read_plan_rows
from planstudio.model.rowmap import read_rows
from planstudio.model.spelling import Speller, check_plan, format_misspellings
from planstudio.model.vocabulary import PLAN_LAYOUTS
from tests.conftest import SAMPLES, load_json
from tests.model.strategies import documents
from tests.model.test_roundtrip import unique_ids


def _saved(document: dict[str, Any], folder: Path) -> Path:
    path = folder / "plan.psplan"
    with PlanDocument.from_interchange(document) as plan:
        plan.save_as(path)
    return path


def _by_the_orm(path: Path, layout: str | None) -> list[str]:
    with PlanDocument.open(path, read_only=True) as document:
        return format_findings(run_checks(document.plan, layout))


@pytest.mark.timeout(120)
@pytest.mark.parametrize("sample", SAMPLES, ids=[sample.stem for sample in SAMPLES])
def test_every_sample_has_the_same_findings_read_only_as_in_the_window(
    sample: Path, tmp_path: Path
) -> None:
    path = _saved(load_json(sample), tmp_path)
    for layout in (None, *PLAN_LAYOUTS):
        assert check_plan_file(path, layout) == _by_the_orm(path, layout)
    with PlanDocument.open(path, read_only=True) as document:
        words = format_misspellings(document.plan, check_plan(document.plan, Speller()))
    expected = _by_the_orm(path, None) + [f"Spelling: {line}" for line in words]
    assert check_plan_file(path, spelling=True) == expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_plans_have_the_same_findings_both_ways(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _saved(unique_ids(document), Path(folder))
        for layout in (None, "ga-dip", "strategic-plan"):
            assert check_plan_file(path, layout) == _by_the_orm(path, layout)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_diff_reads_the_rows_the_window_compares(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _saved(unique_ids(document), Path(folder))
        with PlanDocument.open(path, read_only=True) as opened:
            assert read_plan_rows(path) == opened.rows()


def test_the_read_only_tree_has_the_orm_shape(tmp_path: Path) -> None:
    sample = next(s for s in SAMPLES if "durham" in s.name)
    path = _saved(load_json(sample), tmp_path)
    with plan_in_memory(path) as (connection, _found):
        plan = plan_from_rows(read_rows(connection))
    assert plan is not None
    with PlanDocument.open(path, read_only=True) as document:
        orm = document.plan
        assert plan.labels == orm.labels and plan.id == orm.id
        assert [a.title for a in plan.goal_areas] == [a.title for a in orm.goal_areas]
        steps = [s for a in plan.goal_areas for o in a.objectives for g in o.strategies
                 for s in g.action_steps]  # fmt: skip
        orm_steps = [s for a in orm.goal_areas for o in a.objectives for g in o.strategies
                     for s in g.action_steps]  # fmt: skip
        assert [(s.id, s.text, s.strategy_id, s.position) for s in steps] == [
            (s.id, s.text, s.strategy_id, s.position) for s in orm_steps
        ]
        assert [[link.funding_source_id for link in s.funding] for s in steps] == [
            [link.funding_source_id for link in s.funding] for s in orm_steps
        ]
        assert [e.name for e in plan.funding_sources] == [e.name for e in orm.funding_sources]


@pytest.mark.timeout(120)
def test_check_builds_neither_the_orm_nor_a_working_copy(tmp_path: Path) -> None:
    sample = next(s for s in SAMPLES if "charlotte" in s.name)
    path = _saved(load_json(sample), tmp_path)
    probe = (
        "import sys\n"
        "from planstudio.cli import main\n"
        f"code = main(['check', '--spelling', {str(path)!r}])\n"
        "print(code, 'sqlalchemy.orm' in sys.modules, 'planstudio.model.document' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=90, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "1 False False"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.psplan"]
