"""`planstudio merge` opens the other copy once, and the merged file carries its history."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planstudio.cli import main
from planstudio.model import PlanDocument, UpdateItem
from planstudio.model.copies import apply_all
from tests.model.helpers import rich_sample

pytestmark = pytest.mark.timeout(120)


def test_the_command_opens_the_other_copy_once_and_adopts_its_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine.psplan"
    with PlanDocument.from_interchange(rich_sample()) as plan:
        plan.author = "Director"
        plan.save_as(mine, comment="Approved by the board")
    theirs = tmp_path / "theirs.psplan"
    shutil.copyfile(mine, theirs)
    with PlanDocument.open(theirs) as plan:
        plan.author = "Colleague"
        area = plan.plan.goal_areas[0]
        apply_all(plan, [UpdateItem("goal_area", area.id, {"title": "Literacy for every reader"})])
        plan.save(comment="Colleague's edits")
        their_versions = [version.id for version in plan.versions()]

    opened: list[Path] = []
    open_plan = PlanDocument.open.__func__  # type: ignore[attr-defined]

    def counting_open(cls: type[PlanDocument], path: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        opened.append(Path(path))
        return open_plan(cls, path, *args, **kwargs)

    monkeypatch.setattr(PlanDocument, "open", classmethod(counting_open))
    merged = tmp_path / "merged.psplan"
    assert main(["merge", str(mine), str(theirs), "-o", str(merged)]) == 0
    assert opened.count(theirs) == 1

    monkeypatch.undo()
    with PlanDocument.open(merged, read_only=True) as plan:
        assert plan.plan.goal_areas[0].title == "Literacy for every reader"
        versions = [version.id for version in plan.versions()]
    assert set(their_versions) <= set(versions)
