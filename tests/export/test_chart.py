"""One chart description, two renderers: the Word picture and the PDF drawing say the same."""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest

from planstudio.export import LayoutOptions, chart_png, export_plan
from planstudio.export.chart import BASELINE_LOOK, describe_chart
from planstudio.export.document import Chart, ChartSeries
from tests.export.helpers import EXPORTED, load_plan_json

CHART_SIZES = (7.0, 7.5)  # the PDF's chart labels and legend (pdf.styles.Styles.chart…)


def _pdf_chart_strings(path: Path) -> list[str]:
    """Every string the PDF draws at the chart label and legend sizes, as drawn."""
    drawn: list[str] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        scale = abs(tm[0] * cm[0]) or 1.0
        if text.strip() and round(size * scale, 2) in CHART_SIZES:
            drawn.append(text.strip())

    for page in pypdf.PdfReader(str(path)).pages:
        page.extract_text(visitor_text=visit)
    return drawn


def test_word_and_pdf_charts_draw_the_same_ticks_labels_and_legend(
    open_plan: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = open_plan(load_plan_json("full.json"))
    drawn_in_png: list[str] = []
    draw_text = chart_png._text

    def recording(image: Any, xy: Any, text: str, colour: Any, anchor: str) -> None:
        drawn_in_png.append(text)
        draw_text(image, xy, text, colour, anchor)

    monkeypatch.setattr(chart_png, "_text", recording)
    export_plan(plan.plan, "docx", tmp_path / "plan.docx", "strategic-plan", exported=EXPORTED)
    export_plan(plan.plan, "pdf", tmp_path / "plan.pdf", "strategic-plan", exported=EXPORTED)
    drawn_in_pdf = _pdf_chart_strings(tmp_path / "plan.pdf")

    # The one chart of the plan: % reading on grade level, baseline 55%, targets, actuals.
    assert Counter(drawn_in_png) == Counter(drawn_in_pdf)
    expected = [
        "Percent",
        "0%", "20%", "40%", "60%", "80%", "100%",
        "2023-24", "2024-25", "2025-26", "2026-27",
        "Baseline 2023-24: 55%", "Target", "Actual",
    ]  # fmt: skip
    assert sorted(drawn_in_png) == sorted(expected)


def _chart(unit: str, *values: float, baseline: float | None = None) -> Chart:
    years = tuple(f"{2024 + i}-{25 + i}" for i in range(len(values)))
    return Chart(
        "Measure — All",
        unit,
        (ChartSeries("Target", tuple(zip(years, values, strict=True))),),
        ("2023-24", *years),
        ("2023-24", baseline) if baseline is not None else None,
    )


def test_a_percent_axis_runs_from_0_to_100() -> None:
    described = describe_chart(_chart("percent", 68, 72, 75, baseline=65))
    assert [t.label for t in described.ticks] == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert described.axis_title == "Percent"


def test_other_axes_start_at_zero_when_near_it_and_use_nice_steps() -> None:
    near = describe_chart(_chart("count", 400, 600, 800, baseline=300))
    assert [t.label for t in near.ticks] == ["0", "200", "400", "600", "800"]
    far = describe_chart(_chart("count", 1100, 1250, 1400, baseline=900))
    assert [t.label for t in far.ticks] == ["0", "500", "1,000", "1,500"]  # a count: from 0
    scores = describe_chart(_chart("points", 512, 518, 521, baseline=505))
    assert [t.label for t in scores.ticks] == ["505", "510", "515", "520", "525"]
    assert scores.axis_title == "Points"
    money = describe_chart(_chart("dollars", -1200, 400))
    assert money.ticks[0].label == "-$1,500" and money.ticks[-1].label == "$500"


def test_the_baseline_is_a_point_of_its_own_in_the_legend() -> None:
    described = describe_chart(_chart("percent", 68, 72, baseline=65))
    baseline, target = described.series
    assert baseline.points == (("2023-24", 65.0),) and baseline.look is BASELINE_LOOK
    assert not baseline.look.line
    assert target.points[0] == ("2024-25", 68.0)
    assert described.legend == ("Baseline 2023-24: 65%", "Target")
    assert described.years == ("2023-24", "2024-25", "2025-26")


def test_alt_text_names_the_measure_unit_baseline_targets_and_actuals() -> None:
    chart = Chart(
        "Readers",
        "percent",
        (
            ChartSeries("Target", (("2024-25", 60.0), ("2025-26", 65.0))),
            ChartSeries("Actual", (("2024-25", 58.5),)),
        ),
        ("2023-24", "2024-25", "2025-26"),
        ("2023-24", 55.0),
    )
    assert describe_chart(chart).alt_text == (
        "Line chart of Readers, in percent. Baseline 2023-24: 55%. "
        "Target: 60% in 2024-25, 65% in 2025-26. Actual: 58.5% in 2024-25."
    )


def test_values_that_are_not_numbers_are_left_out() -> None:
    chart = Chart("t", "count", (ChartSeries("s", (("a", float("nan")), ("b", 3.0))),), ("a", "b"))
    described = describe_chart(chart)
    assert described.series[0].points == (("b", 3.0),)
    assert [t.label for t in described.ticks] == ["0", "1", "2", "3"]  # one value: from zero


# ------------------------------------------------------------------ student groups together


def _groups_plan() -> dict[str, Any]:
    """full.json with its reading measure entered for three student groups."""
    document = load_plan_json("full.json")
    measures = document["goal_areas"][0]["objectives"][0]["measures"]
    reading = measures[0]
    groups = []
    for group, shift in (("Black", -12), ("Hispanic", -8), ("Students with Disabilities", -30)):
        one = copy.deepcopy(reading)
        one["student_group"] = group
        one["baseline"]["value"] += shift
        for point in one["targets"] + one["actuals"]:
            point["value"] += shift
        groups.append(one)
    measures[:] = [*groups, measures[1]]
    return document


def _groups_chart() -> Chart:
    return Chart(
        "Readers",
        "percent",
        (),
        ("2023-24", "2024-25", "2025-26"),
        panels=(
            Chart("Black", "percent",
                  (ChartSeries("Target", (("2024-25", 60.0), ("2025-26", 65.0))),
                   ChartSeries("Actual", (("2024-25", 58.5),))),
                  ("2023-24", "2024-25", "2025-26"), ("2023-24", 55.0)),
            Chart("Hispanic", "percent",
                  (ChartSeries("Actual", (("2024-25", 71.0),)),),
                  ("2023-24", "2024-25"), ("2023-24", 70.0)),
        ),
    )  # fmt: skip


def test_small_multiples_share_one_axis_from_0_units_years_and_looks() -> None:
    described = describe_chart(_groups_chart())
    assert [panel.title for panel in described.panels] == ["Black", "Hispanic"]
    for panel in described.panels:
        assert [t.label for t in panel.ticks] == ["0%", "20%", "40%", "60%", "80%", "100%"]
        assert panel.axis_title == "Percent"
        assert panel.years == ("2023-24", "2024-25", "2025-26")
        baseline = panel.series[0]
        assert baseline.look is BASELINE_LOOK and len(baseline.points) == 1
    # "Actual" looks the same in both panels, though it is the only series of the second.
    looks = {s.name: s.look for p in described.panels for s in p.series[1:]}
    assert looks["Actual"] == described.panels[0].series[2].look
    assert described.panels[1].series[1].look == looks["Actual"]
    assert described.legend == ("Baseline 2023-24", "Target", "Actual")
    assert all(not s.points for s in described.series)  # the legend's samples only


def test_small_multiples_alt_text_names_each_group() -> None:
    assert describe_chart(_groups_chart()).alt_text == (
        "Line charts of Readers, in percent, one for each of 2 student groups on the same "
        "scale. Black: Baseline 2023-24: 55%. Target: 60% in 2024-25, 65% in 2025-26. "
        "Actual: 58.5% in 2024-25. Hispanic: Baseline 2023-24: 70%. Actual: 71% in 2024-25."
    )


def test_a_measure_for_several_groups_is_one_chart_word_equal_to_pdf(
    open_plan: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = open_plan(_groups_plan())
    drawn_in_png: list[str] = []
    draw_text = chart_png._text

    def recording(image: Any, xy: Any, text: str, colour: Any, anchor: str) -> None:
        drawn_in_png.append(text)
        draw_text(image, xy, text, colour, anchor)

    monkeypatch.setattr(chart_png, "_text", recording)
    export_plan(plan.plan, "docx", tmp_path / "plan.docx", "strategic-plan", exported=EXPORTED)
    export_plan(plan.plan, "pdf", tmp_path / "plan.pdf", "strategic-plan", exported=EXPORTED)
    drawn_in_pdf = _pdf_chart_strings(tmp_path / "plan.pdf")
    assert Counter(drawn_in_png) == Counter(drawn_in_pdf)
    # One picture for the three groups, its panels titled with them, each on 0-100%.
    reopened = docx.Document(str(tmp_path / "plan.docx"))
    assert len(reopened.inline_shapes) == 1
    counts = Counter(drawn_in_png)
    for group in ("Black", "Hispanic", "Students with Disabilities"):
        assert counts[group] == 1
    assert counts["0%"] == counts["100%"] == counts["Percent"] == 3
    assert counts["2026-27"] == 3
    assert counts["Baseline 2023-24"] == counts["Target"] == counts["Actual"] == 1
    description = reopened.inline_shapes[0]._inline.docPr.get("descr")
    assert "Students with Disabilities: Baseline 2023-24: 25%." in description


def test_the_layout_option_leaves_the_groups_chart_out(open_plan: Any, tmp_path: Path) -> None:
    plan = open_plan(_groups_plan())
    options = LayoutOptions(group_charts=False)
    for fmt in ("docx", "pdf"):
        export_plan(plan.plan, fmt, tmp_path / f"plan.{fmt}", "strategic-plan",
                    exported=EXPORTED, options=options)  # fmt: skip
    assert len(docx.Document(str(tmp_path / "plan.docx")).inline_shapes) == 0
    assert _pdf_chart_strings(tmp_path / "plan.pdf") == []


@pytest.mark.parametrize("option", [[], ["--no-group-charts"]])
def test_the_command_line_offers_the_groups_chart_option(
    open_plan: Any, tmp_path: Path, option: list[str]
) -> None:
    from planstudio import cli

    plan_path = tmp_path / "groups.psplan"
    open_plan(_groups_plan()).save_as(plan_path)
    out = tmp_path / "plan.docx"
    command = ["export", str(plan_path), "--format", "docx", "--layout", "strategic-plan"]
    assert cli.main([*command, *option, "-o", str(out)]) == 0
    pictures = len(docx.Document(str(out)).inline_shapes)
    assert pictures == (0 if option else 1)
