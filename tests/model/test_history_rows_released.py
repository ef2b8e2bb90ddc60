"""A save lets go of the large row maps it makes a row at a time, and of nothing it still needs."""

from __future__ import annotations

from pathlib import Path

from planstudio.model import PlanDocument, UpdateItem, history, rowmap
from tests.model.test_checks import complete_document


def test_release_rows_empties_a_map_row_by_row() -> None:
    row = {"title": "kept by another map"}
    rows = {"goal_area": {"a": row, "b": {"title": "b"}}, "objective": {}}
    rowmap.release_rows(rows)
    assert rows == {}
    assert row == {"title": "kept by another map"}  # the rows themselves are not emptied


def test_record_leaves_the_callers_rows_whole_and_keeps_a_copy(tmp_path: Path) -> None:
    with PlanDocument.from_interchange(complete_document()) as document:
        document.save_as(tmp_path / "plan.psplan")
        connection = document.session.connection()
        rows = rowmap.read_rows(connection)
        expected = rowmap.copy_rows(rows)
        cache: dict[str, rowmap.RowMap] = {}
        version = history.record(connection, rows, author="A", cache=cache)
        assert rows == expected
        assert cache == {version.id: expected}
        assert cache[version.id] is not rows


def test_versions_read_back_after_saves_that_let_go_of_their_rows(tmp_path: Path) -> None:
    target = tmp_path / "plan.psplan"
    with PlanDocument.from_interchange(complete_document()) as document:
        document.save_as(target)
        first = rowmap.read_rows(document.session.connection())
        document.apply(UpdateItem("goal_area", "lit", {"goal": "Third graders read"}))
        document.save()
        second = rowmap.read_rows(document.session.connection())
        versions = history.versions(document.session.connection())
        assert len(versions) == 2
        assert first != second
    with PlanDocument.open(target) as again:
        connection = again.session.connection()
        newest, oldest = history.versions(connection)
        assert history.rebuild(connection, oldest.id) == first
        assert history.rebuild(connection, newest.id) == second
