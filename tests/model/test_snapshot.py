"""The snapshot read with SQLAlchemy Core is the very document the ORM walk gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planstudio.export import snapshot_of
from planstudio.model import DeleteItem, MoveItem, PlanDocument, UpdateItem
from planstudio.model.interchange import as_text, dumps, to_interchange
from tests.conftest import SAMPLES, load_json
from tests.model.strategies import documents
from tests.model.test_roundtrip import unique_ids

FIXTURES = Path(__file__).parent / "fixtures"


def assert_same_snapshot(document: PlanDocument) -> dict[str, Any]:
    fast = document.snapshot()
    slow = to_interchange(document.plan)
    assert fast == slow
    # Equal as text too: the same keys in the same order, the same numbers (1 and not 1.0).
    assert as_text(fast) == dumps(document.plan)
    return fast


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_plans_give_the_same_snapshot_both_ways(document: dict[str, Any]) -> None:
    with PlanDocument.from_interchange(unique_ids(document)) as plan:
        assert_same_snapshot(plan)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.data())
def test_the_same_snapshot_after_moves_deletes_and_edits(
    document: dict[str, Any], data: st.DataObject
) -> None:
    with PlanDocument.from_interchange(unique_ids(document)) as plan:
        snapshot = plan.snapshot()
        areas = snapshot.get("goal_areas", [])
        objectives = [o for area in areas for o in area.get("objectives", [])]
        strategies = [s for o in objectives for s in o.get("strategies", [])]
        steps = [step for s in strategies for step in s.get("action_steps", [])]
        if steps and strategies:
            step = data.draw(st.sampled_from(steps))
            target = data.draw(st.sampled_from(strategies))
            plan.apply(MoveItem("action_step", step["id"], target["id"], 0))
            plan.apply(UpdateItem("action_step", step["id"], {"subgroups": ["EL"], "end": ""}))
        if objectives:
            plan.apply(UpdateItem("objective", objectives[-1]["id"], {"statement": "Changed"}))
        if len(areas) > 1:
            plan.apply(DeleteItem("goal_area", areas[0]["id"]))
        assert_same_snapshot(plan)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_every_sample_gives_the_same_snapshot_after_save_and_open(
    sample: Path, tmp_path: Path
) -> None:
    target = tmp_path / "sample.psplan"
    with PlanDocument.from_interchange(load_json(sample)) as plan:
        plan.save_as(target)
    with PlanDocument.open(target, read_only=True) as reopened:
        snapshot = assert_same_snapshot(reopened)
    assert snapshot["plan"]["title"] == load_json(sample)["plan"]["title"]


def test_an_upgraded_older_file_gives_the_same_snapshot() -> None:
    older = next(FIXTURES.glob("format-1-*.psplan"))
    with PlanDocument.open(older, read_only=True) as plan:
        assert assert_same_snapshot(plan)["goal_areas"]


def test_records_share_no_lists() -> None:
    """Stored lists are decoded once per distinct text, but each record gets its own."""
    steps = [{"text": f"Step {n}", "subgroups": ["EL", "SWD"]} for n in range(3)]
    document = {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {"title": "Shared lists"},
        "goal_areas": [{"title": "Reading", "objectives": [{"statement": "Read more",
                        "strategies": [{"text": "Tutoring", "action_steps": steps}]}]}],
    }  # fmt: skip
    with PlanDocument.from_interchange(document) as plan:
        snapshot = plan.snapshot()
    read = snapshot["goal_areas"][0]["objectives"][0]["strategies"][0]["action_steps"]
    read[0]["subgroups"].append("changed in one record only")
    assert [step["subgroups"] for step in read[1:]] == [["EL", "SWD"], ["EL", "SWD"]]


def test_snapshot_of_a_plan_sees_its_unsaved_edits() -> None:
    with PlanDocument.from_interchange(load_json(SAMPLES[0])) as plan:
        plan.plan.title = "Not yet flushed"
        snapshot = snapshot_of(plan.plan)
        assert snapshot["plan"]["title"] == "Not yet flushed"
        assert snapshot == to_interchange(plan.plan)


@settings(max_examples=200, deadline=None)
@given(documents())
def test_dump_text_is_json_dumps_with_an_indent_to_the_byte(document: dict[str, Any]) -> None:
    assert as_text(document) == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), JSON_VALUES, max_size=5))
def test_dump_text_is_json_dumps_for_any_json_value(document: dict[str, Any]) -> None:
    assert as_text(document) == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def test_the_snapshot_reads_rows_in_the_interchange_field_order() -> None:
    """`snapshot` indexes each kind's rows by position: its fields must stay in this order."""
    from planstudio.model import interchange
    from planstudio.model.tables import layout

    equity = tuple(f"equity_gap_{name}" for name in interchange._EQUITY_FIELDS)
    baseline = ("baseline_year", "baseline_value", "baseline_note")
    expected = {
        "plan": interchange._PLAN_FIELDS,
        "ga_general": interchange._GA_FIELDS,
        "goal_area": (*interchange._GOAL_AREA_FIELDS, *equity),
        "objective": ("statement",),
        "measure": (*interchange._MEASURE_FIELDS, *baseline),
        "target": ("year", "value", "note"),
        "actual": ("year", "value", "note"),
        "strategy": ("text", "evidence_level", "evidence_citation"),
        "phase": ("year", "phase"),
        "action_step": interchange._STEP_FIELDS,
        "review": ("date", "status", "percent_complete", "note"),
        "funding_link": ("funding_source_id", "amount", "year"),
        "role_link": ("role_id",),
        "implementation_link": ("monitoring_method_id",),
        "effectiveness_link": ("monitoring_method_id",),
        "funding_source": ("name", "code", "kind", "allocation"),
        "role": ("title", "department", "person"),
        "monitoring_method": ("text", "kind"),
    }
    assert {kind: layout(kind).fields for kind in expected} == expected


# ---------------------------------------------------------------------------- read once


def _read_both_ways(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The file read once (as dump and export read it) and opened read-only: the same."""
    from planstudio.model.plan_file import read_plan_file

    once, found = read_plan_file(path)
    with PlanDocument.open(path, read_only=True) as opened:
        assert _with_new_ids_named(once) == _with_new_ids_named(opened.snapshot())
        assert found == opened.reception
    return once, found.repairs


def _with_new_ids_named(document: dict[str, Any]) -> str:
    """The document as text, with the ids a repair made ("Recovered items") named by place."""
    from planstudio.model.repairs import RECOVERED_TITLE

    made: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if RECOVERED_TITLE in value.values():
                made.append(value["id"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    text = as_text(document)
    for place, item_id in enumerate(made):
        text = text.replace(item_id, f"recovered-{place}")
    return text


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_a_file_read_once_gives_what_opening_it_gives(sample: Path, tmp_path: Path) -> None:
    target = tmp_path / "sample.psplan"
    with PlanDocument.from_interchange(load_json(sample)) as plan:
        plan.save_as(target)
    snapshot, repairs = _read_both_ways(target)
    assert snapshot["plan"]["title"] == load_json(sample)["plan"]["title"] and repairs == []


def test_an_older_file_read_once_gives_what_opening_it_gives() -> None:
    assert _read_both_ways(next(FIXTURES.glob("format-1-*.psplan")))[0]["goal_areas"]


def test_a_repaired_file_read_once_gives_what_opening_it_gives(tmp_path: Path) -> None:
    import contextlib
    import sqlite3

    from tests.model.helpers import rich_sample

    target = tmp_path / "plan.psplan"
    with PlanDocument.from_interchange(rich_sample()) as plan:
        plan.save_as(target)
    with contextlib.closing(sqlite3.connect(target, isolation_level=None)) as connection:
        connection.execute("DELETE FROM strategy WHERE rowid = (SELECT min(rowid) FROM strategy)")
        connection.execute("UPDATE role_link SET role_id = 'gone'")
        connection.execute("CREATE VIEW extra AS SELECT 1")
    snapshot, repairs = _read_both_ways(target)
    assert len(repairs) >= 2 and "Recovered items" in as_text(snapshot)


def test_a_file_read_once_with_unreadable_text_is_named_as_damaged(tmp_path: Path) -> None:
    """Read once, the values are not read ahead: the snapshot's reading finds the bad text,
    and says what opening the file says."""
    import contextlib
    import sqlite3

    from planstudio.model.errors import DamagedPlanError
    from planstudio.model.plan_file import read_plan_file

    target = tmp_path / "plan.psplan"
    with PlanDocument.from_interchange(load_json(SAMPLES[0])) as plan:
        plan.save_as(target)
    with contextlib.closing(sqlite3.connect(target, isolation_level=None)) as connection:
        connection.execute("UPDATE objective SET statement = CAST(x'c328' AS TEXT)")
    with pytest.raises(DamagedPlanError) as opened:
        PlanDocument.open(target, read_only=True)
    with pytest.raises(DamagedPlanError) as read:
        read_plan_file(target)
    assert (
        str(read.value)
        == str(opened.value)
        == ("plan.psplan is damaged: it holds text that is not valid UTF-8.")
    )


def test_a_file_read_once_with_a_huge_value_is_named_as_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planstudio.model import reception
    from planstudio.model.errors import DamagedPlanError
    from planstudio.model.plan_file import read_plan_file

    target = tmp_path / "plan.psplan"
    document = load_json(SAMPLES[0])
    document["plan"]["mission"] = "m" * 5000
    with PlanDocument.from_interchange(document) as plan:
        plan.save_as(target)
    monkeypatch.setattr(reception, "MAX_VALUE_BYTES", 1000)
    with pytest.raises(DamagedPlanError) as opened:
        PlanDocument.open(target, read_only=True)
    with pytest.raises(DamagedPlanError) as read:
        read_plan_file(target)
    assert (
        str(read.value)
        == str(opened.value)
        == ("plan.psplan is damaged: it holds a value far larger than any plan.")
    )
