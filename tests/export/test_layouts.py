"""The layouts on their own: a snapshot in, the format-neutral Document out (no files)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from planstudio.export import UnknownLayoutError, build_document
from planstudio.export.document import (
    Chart,
    Checkbox,
    Document,
    Grid,
    Heading,
    LabelValueTable,
    Orient,
    Paragraph,
)
from planstudio.model.formatting import with_unit
from tests.export.conftest import empty_plan, goal_areas_only
from tests.export.helpers import EXPORTED, load_plan_json

FULL = load_plan_json("full.json")


def _document(snapshot: dict[str, Any], layout: str) -> Document:
    return build_document(snapshot, layout, EXPORTED)


def _texts(document: Document) -> Iterator[str]:
    cover = document.cover
    yield from (cover.title, cover.organization, cover.years, cover.status, cover.exported)
    yield document.header_text
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph | Checkbox):
            yield block.text
        elif isinstance(block, LabelValueTable):
            for label, value in block.rows:
                yield label
                yield from (line.text if isinstance(line, Checkbox) else line for line in value)
        elif isinstance(block, Grid):
            yield from block.header
            for row in block.rows:
                for cell in row:
                    yield from (line.text if isinstance(line, Checkbox) else line for line in cell)
        elif isinstance(block, Chart):
            yield block.title


def _table(document: Document, first_label: str, occurrence: int = 0) -> dict[str, tuple]:
    tables = [
        block
        for block in document.blocks
        if isinstance(block, LabelValueTable) and block.rows[0][0] == first_label
    ]
    return dict(tables[occurrence].rows)


# ---------------------------------------------------------------------------- common


def test_unknown_layout_is_refused_with_the_choices() -> None:
    with pytest.raises(UnknownLayoutError, match="ga-dip, strategic-plan"):
        build_document(FULL, "florida-sip", EXPORTED)


@pytest.mark.parametrize(
    ("status", "draft", "shown"),
    [("draft", True, "Draft"), ("in_review", False, "In review"), ("approved", False, ""),
     ("submitted", False, "Submitted"), (None, False, "")],
)  # fmt: skip
@pytest.mark.parametrize("layout", ["ga-dip", "strategic-plan"])
def test_cover_shows_status_unless_approved_and_draft_marks_only_drafts(
    layout: str, status: str | None, draft: bool, shown: str
) -> None:
    snapshot = copy.deepcopy(FULL)
    if status is None:
        del snapshot["plan"]["status"]
    else:
        snapshot["plan"]["status"] = status
    document = _document(snapshot, layout)
    assert document.draft is draft
    assert document.cover.status == shown
    assert document.cover.years == "2024-25 to 2026-27"
    assert document.cover.exported == "Exported March 4, 2025"
    assert document.header_text == "Ocmulgee Valley City Schools — District Improvement Plan"


@pytest.mark.parametrize("layout", ["ga-dip", "strategic-plan"])
@pytest.mark.parametrize("plan", [empty_plan(), empty_plan("ga-dip"), goal_areas_only()])
def test_empty_fields_never_print_as_none_null_or_an_invented_dash(
    layout: str, plan: dict[str, Any]
) -> None:
    for text in _texts(_document(plan, layout)):
        assert text.strip() not in ("-", "–", "—", "N/A", "n/a"), text
        for word in text.split():
            assert word not in ("None", "null", "nan", "undefined"), (word, text)


@pytest.mark.parametrize(
    ("value", "unit", "printed"),
    [(67, "percent", "67%"), (67.5, "percent", "67.5%"), (1250, "count", "1,250"),
     (3.2, "points", "3.2 points"), (1, "points", "1 point"), (1250, "dollars", "$1,250"),
     (1250.5, "dollars", "$1,250.50"), (12.75, "rate", "12.75"), (7, None, "7"),
     (None, "percent", "")],
)  # fmt: skip
def test_values_print_with_their_unit(value: float | None, unit: str | None, printed: str) -> None:
    assert with_unit(value, unit) == printed


# ---------------------------------------------------------------------------- ga-dip


def test_ga_dip_general_information_defaults_and_checkboxes() -> None:
    snapshot = copy.deepcopy(FULL)
    document = _document(snapshot, "ga-dip")
    rows = _table(document, "District")
    assert rows["District"] == ("Ocmulgee Valley City Schools",)
    assert rows["Transferability of Funds (ESSA Sec. 5103)"] == ()
    assert rows["Transfer Title II, Part A to:"] == ("Title I, Part A",)
    assert rows["Transfer Title IV, Part A to:"] == ("NO FUNDS TRANSFERRED",)
    options = rows[
        "Federal Funding Options to Be Employed (SWP Schools) in this Plan (Select all that apply)"
    ]
    assert [box.checked for box in options] == [False, True, False]
    factors = rows[
        "Factors(s) Used by District to Identify Students in Poverty (Select all that apply)"
    ]
    assert [box.checked for box in factors[:3]] == [True, False, True]
    assert factors[3] == "Students identified by the homeless liaison."
    table = next(b for b in document.blocks if isinstance(b, LabelValueTable))
    percents = [value for label, value in table.rows if label.startswith("Cumulative")]
    assert percents == [("50%",), ("NA",)]
    waiver = _table(document, "Do you need a waiver?")
    assert waiver["Do you need a waiver?"][0] == "Yes"

    del snapshot["plan"]["ga_general"]
    rows = _table(_document(snapshot, "ga-dip"), "District")
    assert rows["Transfer Title II, Part A to:"] == ("NO FUNDS TRANSFERRED",)
    # Unanswered: empty, never an invented "No".
    assert (
        _table(_document(snapshot, "ga-dip"), "Do you need a waiver?")["Do you need a waiver?"]
        == ()
    )
    snapshot["plan"]["ga_general"] = {"ed_flex_waiver": False}
    assert _table(_document(snapshot, "ga-dip"), "Do you need a waiver?")[
        "Do you need a waiver?"
    ] == ("No",)


def test_ga_dip_goal_areas_need_root_causes_goal_and_fallbacks() -> None:
    document = _document(FULL, "ga-dip")
    first = _table(document, "Overarching Need as identified in CNA Section 3.2", 0)
    assert first["Is Need # 1 also an Equity Gap?"] == ("Yes",)
    assert first["Root Cause # 2"] == ("Coaching is not sustained.",)
    second = _table(document, "Overarching Need as identified in CNA Section 3.2", 1)
    # No need typed: the area's title; no goal: its objectives' statements, one per line.
    assert second["Overarching Need as identified in CNA Section 3.2"] == ("Whole Child",)
    assert second["Is Need # 2 also an Equity Gap?"] == ()  # not answered
    assert second["Root Cause # 1"] == ()
    assert second["Goal"] == (
        "Reduce chronic absence to 10%.",
        "Raise student belonging survey results.",
    )
    gap = _table(document, "Equity Gap", 0)
    assert gap["Grade Level Span(s)"] == ("K", "1", "2", "3")  # a line each, as every list
    captions = [b.caption for b in document.blocks if isinstance(b, LabelValueTable)][:3]
    assert captions == ["General Improvement Plan Information", "", "Overarching Need"]
    assert "Equity Gap" in [b.caption for b in document.blocks if isinstance(b, LabelValueTable)]


def test_ga_dip_action_steps_number_from_one_in_each_goal_area() -> None:
    snapshot = copy.deepcopy(FULL)
    second_area = snapshot["goal_areas"][1]
    second_area["objectives"][0]["strategies"] = [
        {"text": "S", "action_steps": [{"text": "first of area two"}, {"text": "second"}]}
    ]
    headings = [b.text for b in _document(snapshot, "ga-dip").blocks if isinstance(b, Heading)]
    steps = [text for text in headings if text.startswith(("3.", "Action Step"))]
    assert steps == [
        "3.1 Overarching Need # 1", "Action Step # 1", "Action Step # 2", "Action Step # 3",
        "3.2 Overarching Need # 2", "Action Step # 1", "Action Step # 2",
    ]  # fmt: skip


def test_ga_dip_action_step_rows_in_order_with_names_and_dates() -> None:
    document = _document(FULL, "ga-dip")
    first = _table(document, "Action Step", 0)
    assert next(iter(first)) == "Action Step"
    assert first["Funding Sources"] == ("Title I, Part A", "Title II, Part A")
    assert first["Systems"] == ("Coherent Instruction", "Professional Capacity")
    assert first["Method for Monitoring Effectiveness"] == (
        "Benchmark results",
        "Classroom walkthroughs",
    )
    assert first["Position/Role Responsible"] == (
        "Director of Federal Programs",
        "Instructional Coach",
    )
    assert first["Evidence Based Indicator"] == ("Moderate",)
    assert first["Does this action step support the selected equity intervention?"] == ("Yes",)
    second = _table(document, "Action Step", 1)
    assert second["Timeline for Implementation"] == ("Aug 12, 2024 – May 20, 2025",)
    assert second["Does this action step support the selected equity intervention?"] == ("No",)
    third = _table(document, "Action Step", 2)
    assert third["Does this action step support the selected equity intervention?"] == ()


# ---------------------------------------------------------------------------- strategic-plan


def test_strategic_plan_uses_the_plans_level_labels_and_numbers() -> None:
    headings = [b.text for b in _document(FULL, "strategic-plan").blocks if isinstance(b, Heading)]
    assert "Pillar 1: Literacy" in headings
    assert "Priority 1B" in headings
    assert "Strategy 1A.1" in headings
    grids = [b for b in _document(FULL, "strategic-plan").blocks if isinstance(b, Grid)]
    steps = next(g for g in grids if g.header[0] == "Key Lever")
    assert steps.header == (
        "Key Lever",
        "Responsible",
        "Funding",
        "Timeline",
        "Monitoring",
        "Status",
    )
    assert steps.rows[0][0] == ("1A.1.a Train K-3 teachers in structured literacy.",)
    assert steps.rows[0][5] == ("In progress",)


def test_goals_overview_has_a_column_per_year_with_units_and_notes() -> None:
    document = _document(FULL, "strategic-plan")
    blocks = list(document.blocks)
    overview = next(b for b in blocks if isinstance(b, Grid) and b.header[0] == "No.")
    assert overview.header == (
        "No.", "Measure", "Student Group", "Baseline", "2024-25", "2025-26", "2026-27",
    )  # fmt: skip
    reading, tutoring = overview.rows
    assert reading[3] == ("2023-24", "55%", "Baseline Aug 2024")
    assert reading[4] == ("58%", "Actual: 59%")
    assert reading[5] == ("61.5%",)
    assert tutoring[2] == ("English Learners",)
    assert tutoring[3] == ("2023-24", "1,250")
    assert tutoring[4] == ("<10%",)
    # The overview is on landscape pages, and the pages after it are portrait again.
    index = blocks.index(overview)
    assert blocks[index - 2] == Orient("landscape")
    assert blocks[index + 1] == Orient("portrait")


def test_a_chart_for_each_measure_with_two_points_or_more() -> None:
    charts = [b for b in _document(FULL, "strategic-plan").blocks if isinstance(b, Chart)]
    assert len(charts) == 1  # the tutoring measure has one valued point only
    chart = charts[0]
    assert chart.title == "% of grade 3 students reading on grade level"
    assert chart.unit == "percent"
    assert [s.name for s in chart.series] == ["Target", "Actual"]
    # The baseline is a point of its own, not the first point of the Target line.
    assert chart.baseline == ("2023-24", 55.0)
    assert chart.series[0].points[0] == ("2024-25", 58.0)
    assert chart.years == ("2023-24", "2024-25", "2025-26", "2026-27")


def test_phases_row_and_landscape_action_steps() -> None:
    blocks = list(_document(FULL, "strategic-plan").blocks)
    phases = next(b for b in blocks if isinstance(b, Grid) and b.header[0] == "Year")
    assert phases.rows == ((("Phase",), ("Planning",), ("Initial",), ("Full",)),)
    steps = next(b for b in blocks if isinstance(b, Grid) and b.header[0] == "Key Lever")
    orientation = "portrait"
    for block in blocks[: blocks.index(steps)]:
        if isinstance(block, Orient):
            orientation = block.orientation
    assert orientation == "landscape"


def test_appendix_funding_summary_and_responsibilities() -> None:
    blocks = list(_document(FULL, "strategic-plan").blocks)
    funding = next(b for b in blocks if isinstance(b, Grid) and b.header[0] == "Funding Source")
    title_one, title_two, local, total = funding.rows
    assert title_one == (
        ("Title I, Part A",), ("Federal",), ("411",), ("$250,000",), ("$12,000",),
        ("$238,000",), ("1",),
    )  # fmt: skip
    assert title_two[3:] == (("$1,000",), ("$1,500.50",), ("-$500.50",), ("1",))
    # No allocation: no difference can be printed; the step without an amount still counts.
    assert local[3:] == ((), ("$0",), (), ("1",))
    assert total[0] == ("Total",) and total[3] == () and total[6] == ("2",)
    roles = next(b for b in blocks if isinstance(b, Grid) and b.header[0] == "Role")
    director, coach, idle = roles.rows
    assert director[0] == ("Director of Federal Programs", "Federal Programs", "Dana Moss")
    assert director[1] == ("1A.1.a Train K-3 teachers in structured literacy.",)
    assert coach[1] == (
        "1A.1.a Train K-3 teachers in structured literacy.",
        "1B.1.a Hold four literacy nights each year.",
    )
    assert idle[1] == ()


def test_guiding_principles_only_when_present() -> None:
    headings = [b.text for b in _document(FULL, "strategic-plan").blocks if isinstance(b, Heading)]
    assert headings[:4] == ["Guiding Principles", "Mission", "Vision", "Core Beliefs"]
    snapshot = copy.deepcopy(FULL)
    for key in ("mission", "core_beliefs"):
        del snapshot["plan"][key]
    headings = [
        b.text for b in _document(snapshot, "strategic-plan").blocks if isinstance(b, Heading)
    ]
    assert headings[:3] == ["Guiding Principles", "Vision", "Goals Overview"]


def test_layouts_read_the_snapshot_without_changing_it() -> None:
    snapshot = copy.deepcopy(FULL)
    for layout in ("ga-dip", "strategic-plan"):
        build_document(snapshot, layout, dt.date(2025, 1, 1))
    assert snapshot == FULL
