"""The copy that comes back: versions on every save, compare, three-way merge, apply."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planstudio.cli import main
from planstudio.model import AddItem, DeleteItem, MoveItem, PlanDocument, UpdateItem
from planstudio.model.copies import apply_all, finish_merge, prepare_merge
from planstudio.model.diff import compare, word_diff
from planstudio.model.edits import EditOp, assign
from planstudio.model.history import VersionError
from planstudio.model.interchange import dumps
from planstudio.model.merge import edits_to_reach, merge
from planstudio.model.rowmap import RowMap
from tests.model.helpers import rich_sample

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = tmp_path / "plan.psplan"
    with PlanDocument.from_interchange(rich_sample()) as plan:
        plan.author = "Director"
        plan.save_as(path, comment="Approved by the board")
    return path


def _copy(base: Path, name: str) -> Path:
    copy = base.with_name(name)
    shutil.copyfile(base, copy)
    return copy


def _edit(path: Path, author: str, *operations: EditOp) -> None:
    with PlanDocument.open(path) as plan:
        plan.author = author
        apply_all(plan, operations)
        plan.save(comment=f"{author}'s edits")


def _ids(path: Path) -> dict[str, list[str]]:
    with PlanDocument.open(path, read_only=True) as plan:
        rows = plan.rows()
    return {kind: sorted(by_id, key=lambda i: str(by_id[i].get("_position"))) for kind, by_id
            in rows.items()}  # fmt: skip


def _undo_all(plan: PlanDocument, operations: list[EditOp]) -> None:
    inverses = [plan.apply(operation).inverse for operation in operations]
    assert inverses
    for inverse in reversed(inverses):
        plan.apply(inverse)


# ---------------------------------------------------------------------------- history


def test_every_save_records_a_version_that_can_be_rebuilt(base: Path) -> None:
    seen: list[RowMap] = []
    with PlanDocument.open(base) as plan:
        seen.append(plan.rows())
        step = next(iter(plan.rows()["action_step"]))
        for number in range(5):
            plan.apply(UpdateItem("action_step", step, {"timeline": f"Round {number}"}))
            plan.author = f"Author {number}"
            plan.save(comment=f"save {number}")
            seen.append(plan.rows())
        versions = plan.versions()
        assert [v.comment for v in versions] == [*(f"save {n}" for n in range(4, -1, -1)),
                                                 "Approved by the board"]  # fmt: skip
        assert versions[0].author == "Author 4" and versions[-1].author == "Director"
        rebuilt = [plan.version_rows(v.id) for v in reversed(versions)]
    assert rebuilt == seen
    with PlanDocument.open(base, read_only=True) as again:  # from the file, no cache
        assert [again.version_rows(v.id) for v in reversed(again.versions())] == seen


def test_a_damaged_or_inflating_version_is_refused_in_words(base: Path) -> None:
    bomb = zlib.compress(b"[" + b" " * 600_000_000 + b"]", 9)
    with sqlite3.connect(base) as connection:
        version = connection.execute("SELECT id FROM plan_version").fetchone()[0]
        connection.execute("UPDATE plan_version SET data = ?", (bomb,))
    with PlanDocument.open(base) as plan:
        with pytest.raises(VersionError) as refused:
            plan.version_rows(version)
        assert str(refused.value) == f"version {version[:8]} of this plan is too large to read"
        plan.save()  # a damaged chain ends: the next version is whole again
        assert plan.version_rows(plan.versions()[0].id) == plan.rows()


# ---------------------------------------------------------------------------- compare


def test_compare_tells_each_change_under_the_plans_numbering(base: Path) -> None:
    with PlanDocument.open(base) as plan:
        before = plan.rows()
        steps = list(before["action_step"])
        strategies = list(before["strategy"])
        plan.apply(UpdateItem("action_step", steps[0], {"timeline": "Yearly"}))
        plan.apply(MoveItem("action_step", steps[3], strategies[2], 0))
        plan.apply(UpdateItem("role", "role-1", {"title": "Chief Coordinator"}))
        plan.apply(DeleteItem("action_step", steps[4]))
        lines = [d.line() for d in compare(before, plan.rows())]
    assert '1A.1.a  timeline: (empty) → "Yearly"' in lines
    assert any(line.startswith("1C.1.a  moved Action Step") and line.endswith("from 1A.1.d")
               for line in lines)  # fmt: skip
    assert 'Roles  title: "Coordinator 1" → "Chief Coordinator"' in lines
    assert any(" removed Action Step " in line for line in lines)
    assert len(lines) == 4  # the deleted step's own links come with it


def test_word_diff_of_long_text() -> None:
    assert word_diff("Train all teachers in LETRS", "Train new teachers in LETRS yearly") == [
        ("=", "Train"), ("-", "all"), ("+", "new"), ("=", "teachers in LETRS"), ("+", "yearly"),
    ]  # fmt: skip


# ---------------------------------------------------------------------------- the story


def test_five_copies_come_back_and_are_merged_in_turn(base: Path) -> None:
    with PlanDocument.open(base, read_only=True) as plan:
        rows = plan.rows()
    plan_id = next(iter(rows["plan"]))
    areas = list(rows["goal_area"])
    steps_of = {}
    for step_id, row in rows["action_step"].items():
        steps_of.setdefault(row["_parent"], []).append(step_id)
    strategies = list(rows["strategy"])
    first, second = steps_of[strategies[0]][:2]
    other_area_steps = [s for s in rows["action_step"]
                        if s not in (first, second)][-3:]  # fmt: skip

    ruiz = _copy(base, "ruiz.psplan")
    _edit(ruiz, "Dr. Ruiz", AddItem("goal_area", plan_id, {"title": "Family Engagement"},
                                    item_id="ga-family"))  # fmt: skip
    chen = _copy(base, "chen.psplan")
    _edit(chen, "Ms. Chen", *(UpdateItem("action_step", s, {"text": f"Rewritten {n}"})
                              for n, s in enumerate(other_area_steps)))  # fmt: skip
    ortiz = _copy(base, "ortiz.psplan")
    _edit(ortiz, "Mr. Ortiz",
          UpdateItem("action_step", first, {"timeline": "Ortiz's timeline"}),
          DeleteItem("action_step", second),
          assign(first, "role_link", "role-2"))  # fmt: skip

    with PlanDocument.open(base) as director:
        director.apply(UpdateItem("action_step", first, {"timeline": "Director's timeline"}))
        director.apply(UpdateItem("action_step", second, {"partnerships": "County library"}))
        director.apply(UpdateItem("goal_area", areas[0], {"need": "Reading below grade"}))

        for copy_path in (ruiz, chen):
            prepared = prepare_merge(director, copy_path)
            assert prepared.merge.has_common_version and prepared.merge.conflicts == []
            apply_all(director, prepared.edits(director.rows()))
            finish_merge(director, prepared)
        now = director.rows()
        assert now["goal_area"]["ga-family"]["title"] == "Family Engagement"
        assert [now["action_step"][s]["text"] for s in other_area_steps] == [
            "Rewritten 0", "Rewritten 1", "Rewritten 2"]  # fmt: skip
        assert now["goal_area"][areas[0]]["need"] == "Reading below grade"  # mine kept

        prepared = prepare_merge(director, ortiz)
        conflicts = {(c.what, c.item_id, c.field) for c in prepared.merge.conflicts}
        assert conflicts == {("field", first, "timeline"), ("edited-deleted", second, None)}
        taken = [d.line() for d in prepared.merge.taken]
        assert any("roles: added" in line for line in taken)

        # Resolved theirs: their timeline, and the step they deleted goes.
        before = director.rows()
        for conflict in prepared.merge.conflicts:
            conflict.resolve("theirs")
        operations = prepared.edits(before)
        _undo_all(director, operations)
        assert director.rows() == before  # undo returns the plan exactly
        apply_all(director, operations)
        after = director.rows()
        assert after["action_step"][first]["timeline"] == "Ortiz's timeline"
        assert second not in after["action_step"]
        assert any(r["role_id"] == "role-2" and r["_parent"] == first
                   for r in after["role_link"].values())  # fmt: skip
        apply_all(director, edits_to_reach(director.rows(), before))

        # Resolved mine, and one typed by hand.
        prepared = prepare_merge(director, ortiz)
        for conflict in prepared.merge.conflicts:
            if conflict.field == "timeline":
                conflict.resolve("value", "Agreed timeline")
            else:
                conflict.resolve("mine")
        apply_all(director, prepared.edits(director.rows()))
        finish_merge(director, prepared)
        after = director.rows()
        assert after["action_step"][first]["timeline"] == "Agreed timeline"
        assert after["action_step"][second]["partnerships"] == "County library"
        director.save(comment="Merged the cabinet's copies")

        # The same copy again: nothing changes.
        for copy_path in (ruiz, chen, ortiz):
            again = prepare_merge(director, copy_path)
            assert again.edits(director.rows()) == [] or copy_path == ortiz
        assert prepare_merge(director, ruiz).edits(director.rows()) == []


def test_unrelated_copies_are_compared_by_id_and_every_difference_is_a_choice(
    tmp_path: Path,
) -> None:
    mine, theirs = tmp_path / "mine.psplan", tmp_path / "theirs.psplan"
    for path in (mine, theirs):
        with PlanDocument.from_interchange(rich_sample()) as plan:
            plan.save_as(path)
    _edit(theirs, "Someone", UpdateItem("role", "role-0", {"title": "Principal"}))
    with PlanDocument.open(mine) as plan:
        prepared = prepare_merge(plan, theirs)
        assert not prepared.merge.has_common_version
        fields = [(c.what, c.field) for c in prepared.merge.conflicts if c.field]
        assert ("field", "title") in fields
        assert all(c.choice == "mine" for c in prepared.merge.conflicts)


# ---------------------------------------------------------------------------- hypothesis


def _disjoint_edits(rows: RowMap, side: int, choices: list[int]) -> list[EditOp]:
    """Edits touching only the strategies of one half of the plan (side 0 or 1)."""
    strategies = sorted(rows["strategy"])
    mine = strategies[side::2]
    steps = {s: sorted(i for i, r in rows["action_step"].items() if r["_parent"] == s)
             for s in mine}  # fmt: skip
    operations: list[EditOp] = []
    for n, choice in enumerate(choices):
        strategy = mine[choice % len(mine)]
        existing = [s for s in steps[strategy] if s]
        action = choice % 4
        if action == 0 or not existing:
            new_id = f"side{side}-step{n}"
            operations.append(AddItem("action_step", strategy, {"text": f"Added {n}"},
                                      item_id=new_id))  # fmt: skip
            steps[strategy].append(new_id)
        elif action == 1:
            operations.append(UpdateItem("action_step", existing[0], {"timeline": f"T{n}"}))
        elif action == 2:
            operations.append(DeleteItem("action_step", existing[-1]))
            steps[strategy].remove(existing[-1])
        else:
            operations.append(UpdateItem("strategy", strategy, {"text": f"Strategy {n}"}))
    return operations


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    mine_choices=st.lists(st.integers(0, 40), min_size=1, max_size=8),
    theirs_choices=st.lists(st.integers(0, 40), min_size=1, max_size=8),
)
def test_merge_of_edits_to_different_items_equals_doing_both(
    base: Path, mine_choices: list[int], theirs_choices: list[int]
) -> None:
    with PlanDocument.open(base, read_only=True) as plan:
        plan.detach()
        start = plan.rows()
        mine_ops = _disjoint_edits(start, 0, mine_choices)
        theirs_ops = _disjoint_edits(start, 1, theirs_choices)
        apply_all(plan, theirs_ops)
        theirs = plan.rows()
        apply_all(plan, edits_to_reach(plan.rows(), start))
        assert plan.rows() == start
        apply_all(plan, mine_ops)
        mine = plan.rows()
        apply_all(plan, theirs_ops)
        both = plan.rows()
        for first, second in ((mine, theirs), (theirs, mine)):
            merged = merge(start, first, second)
            assert merged.conflicts == []
            assert _content(merged.result()) == _content(both)


def _content(rows: RowMap) -> dict[str, Any]:
    return json.loads(json.dumps(rows, sort_keys=True))


# ---------------------------------------------------------------------------- command line


def test_command_line_diff_merge_apply_log(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    theirs = _copy(base, "theirs.psplan")
    assert main(["dump", str(theirs), "-o", str(tmp_path / "t.json")]) == 0
    document = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    step = document["goal_areas"][0]["objectives"][0]["strategies"][0]["action_steps"][0]
    step["timeline"] = "Fall 2024"
    (tmp_path / "t.json").write_text(json.dumps(document), encoding="utf-8")
    capsys.readouterr()
    assert main(["apply", str(theirs), str(tmp_path / "t.json"), "--comment", "Fall"]) == 0
    assert capsys.readouterr().err == "planstudio: 1 edits applied and saved\n"
    assert main(["dump", str(theirs), "-o", str(tmp_path / "again.json")]) == 0
    assert json.loads((tmp_path / "again.json").read_text(encoding="utf-8")) == document

    assert main(["diff", str(base), str(theirs)]) == 1
    assert capsys.readouterr().out == '1A.1.a  timeline: (empty) → "Fall 2024"\n'
    assert main(["diff", str(base), str(base)]) == 0
    assert main(["log", str(theirs)]) == 0
    log = capsys.readouterr().out.splitlines()
    assert len(log) == 2 and log[0].endswith("Fall") and log[1].endswith("Approved by the board")

    # Both change the same field: a conflict keeps mine and exits 1; --prefer theirs settles it.
    with PlanDocument.open(base) as plan:
        plan.apply(UpdateItem("action_step", step["id"], {"timeline": "Spring 2025"}))
        plan.save()
    out = tmp_path / "merged.psplan"
    before = base.read_bytes(), theirs.read_bytes()
    assert main(["merge", str(base), str(theirs), "-o", str(out)]) == 1
    error = capsys.readouterr().err
    assert "conflict: 1A.1.a  timeline: changed differently in both copies" in error
    assert (base.read_bytes(), theirs.read_bytes()) == before
    with PlanDocument.open(out, read_only=True) as merged:
        assert dumps(merged.plan).count("Spring 2025") == 1
    out2 = tmp_path / "merged2.psplan"
    assert main(["merge", str(base), str(theirs), "-o", str(out2), "--prefer", "theirs"]) == 0
    with PlanDocument.open(out2, read_only=True) as merged:
        assert "Fall 2024" in dumps(merged.plan)
    assert main(["diff", str(out2), str(theirs)]) == 0


def test_the_changes_document_in_word_and_pdf(base: Path, tmp_path: Path) -> None:
    import docx
    import pypdf

    changed = _copy(base, "changed.psplan")
    with PlanDocument.open(changed) as plan:
        step = next(iter(plan.rows()["action_step"]))
        plan.apply(UpdateItem("action_step", step, {"timeline": "Every quarter"}))
        plan.apply(UpdateItem("role", "role-0", {"title": "Lead Coordinator"}))
        plan.save()
    for suffix in ("pdf", "docx"):
        out = tmp_path / f"changes.{suffix}"
        assert main(["diff", str(base), str(changed), "-o", str(out)]) == 1
        if suffix == "pdf":
            text = "\n".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
        else:
            document = docx.Document(str(out))
            cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
            text = "\n".join([p.text for p in document.paragraphs] + cells)
        assert "From plan.psplan to changed.psplan: 2 changes." in text
        assert '"Every quarter"' in text and '"Lead Coordinator"' in text
        assert "Coordinator 0" in text  # the value before


def test_edits_an_older_plan_studio_left_are_recovered_and_saved_with_history(
    base: Path,
) -> None:
    from planstudio.model.recovery import WorkingCopy

    # What a crashed Plan Studio of plan format 2 left: a working copy without versions.
    old = WorkingCopy.create()
    shutil.copyfile(base, old.database)
    with sqlite3.connect(old.database) as connection:
        connection.execute("DROP TABLE plan_version")
        connection.execute("UPDATE plan SET title = 'Unsaved title'")
        connection.execute("UPDATE document_info SET value = '7' WHERE key = 'revision'")
        connection.execute("PRAGMA user_version = 2")
    old.write_info(original_path=str(base), title="Unsaved title", saved_revision=3)
    old.release()
    (found,) = PlanDocument.recoverable()
    with PlanDocument.recover(found) as plan:
        assert plan.plan.title == "Unsaved title" and plan.modified
        plan.save(comment="Recovered")
        assert plan.versions()[0].comment == "Recovered"
    assert PlanDocument.recoverable() == []


def test_an_item_moved_to_two_places_is_a_conflict_told_by_place(base: Path) -> None:
    theirs = _copy(base, "theirs.psplan")
    with PlanDocument.open(base, read_only=True) as plan:
        rows = plan.rows()
    strategies = sorted(rows["strategy"], key=lambda s: str(rows["strategy"][s]["_parent"]))
    step = next(iter(rows["action_step"]))
    here, there = [s for s in strategies if s != rows["action_step"][step]["_parent"]][:2]
    _edit(theirs, "Them", MoveItem("action_step", step, there, 0))
    with PlanDocument.open(base) as plan:
        plan.apply(MoveItem("action_step", step, here, 0))
        prepared = prepare_merge(plan, theirs)
        (conflict,) = prepared.merge.conflicts
        assert conflict.what == "moved"
        line = conflict.line()
        assert "place: moved to different places in the two copies (mine at " in line
        assert ", theirs at " in line
        conflict.resolve("theirs")
        apply_all(plan, prepared.edits())
        assert plan.rows()["action_step"][step]["_parent"] == there


def test_a_conflict_on_a_field_named_with_an_underscore_takes_the_choice(base: Path) -> None:
    theirs = _copy(base, "theirs.psplan")
    with PlanDocument.open(base, read_only=True) as plan:
        step = next(iter(plan.rows()["action_step"]))
    _edit(theirs, "Them", UpdateItem("action_step", step, {"evidence_level": "strong"}))
    with PlanDocument.open(base) as plan:
        plan.apply(UpdateItem("action_step", step, {"evidence_level": "moderate"}))
        for choice, value, expected in (
            ("theirs", None, "strong"),
            ("value", "promising", "promising"),
        ):
            prepared = prepare_merge(plan, theirs)
            (conflict,) = prepared.merge.conflicts
            assert conflict.field == "evidence level"
            conflict.resolve(choice, value)  # type: ignore[arg-type]
            assert prepared.merge.result()["action_step"][step]["evidence_level"] == expected
