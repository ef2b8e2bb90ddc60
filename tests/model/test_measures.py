"""Measures: trajectory shapes, on-track status, formatting and the checks made as typed."""

from __future__ import annotations

import itertools
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planstudio.model import measures
from planstudio.model.measures import (
    SHAPES,
    check_point,
    format_point,
    format_value,
    parse_cell,
    plan_targets,
    progress,
    trajectory,
)

YEARS = ["2024-25", "2025-26", "2026-27", "2027-28", "2028-29"]
values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(
    shape=st.sampled_from(sorted(SHAPES)),
    baseline=values,
    target=values,
    steps=st.integers(min_value=1, max_value=12),
    direction=st.sampled_from(["increase", "decrease", "maintain"]),
    decimals=st.sampled_from([None, 0, 1, 2]),
)
def test_every_shape_starts_at_baseline_ends_at_target_and_is_monotonic(
    shape: str, baseline: float, target: float, steps: int, direction: str, decimals: Any
) -> None:
    if direction == "increase":
        baseline, target = min(baseline, target), max(baseline, target)
    elif direction == "decrease":
        baseline, target = max(baseline, target), min(baseline, target)
    else:
        target = baseline
    path = trajectory(shape, baseline, target, steps, direction=direction, decimals=decimals)
    assert len(path) == steps + 1
    assert path[0] == baseline
    assert path[-1] == target
    for before, after in itertools.pairwise(path):
        if direction == "increase":
            assert after >= before
        elif direction == "decrease":
            assert after <= before
        else:
            assert after == before


def test_shapes_on_four_years() -> None:
    def path(shape: str) -> list[float]:
        return trajectory(shape, 40, 80, 4)

    assert path("linear") == [40, 50, 60, 70, 80]
    assert path("front_loaded") == [40, 57.5, 70, 77.5, 80]
    assert path("step_up") == [40, 40, 60, 60, 80]
    assert path("delayed_start") == [40, 40, 53.3, 66.7, 80]
    assert trajectory("linear", 20, 10, 2) == [20, 15, 10]
    with pytest.raises(ValueError):
        trajectory("zigzag", 0, 1, 2)
    with pytest.raises(ValueError):
        trajectory("linear", 0, 1, 0)


def test_plan_targets_fill_the_years_after_the_baseline() -> None:
    assert plan_targets("linear", 40, 70, YEARS[:4], "2024-25") == {
        "2025-26": 50, "2026-27": 60, "2027-28": 70,
    }  # fmt: skip
    assert list(plan_targets("linear", 40, 70, YEARS, None)) == YEARS
    assert list(plan_targets("linear", 40, 70, YEARS, "2020-21")) == YEARS
    with pytest.raises(ValueError):
        plan_targets("linear", 40, 70, YEARS, "2028-29")


def _measure(
    direction: str | None, targets: dict[str, float], actuals: dict[str, Any], unit: str = "percent"
) -> Any:
    def points(found: dict[str, Any]) -> list[Any]:
        return [SimpleNamespace(year=y, value=v, note=None) for y, v in found.items()]

    return SimpleNamespace(
        direction=direction, unit=unit, targets=points(targets), actuals=points(actuals)
    )


def test_on_track_is_direction_aware() -> None:
    targets = {"2025-26": 50.0, "2026-27": 60.0}
    assert progress(_measure("increase", targets, {})).status == "no_data"
    assert progress(_measure("increase", targets, {"2025-26": None})).status == "no_data"
    assert progress(_measure("increase", targets, {"2025-26": 50})).status == "on_track"
    assert progress(_measure(None, targets, {"2025-26": 49})).status == "off_track"
    # The latest actual counts, against its own year's target.
    found = progress(_measure("increase", targets, {"2025-26": 55, "2026-27": 58}))
    assert (found.status, found.year, found.actual, found.target) == (
        "off_track", "2026-27", 58, 60,
    )  # fmt: skip
    assert progress(_measure("decrease", targets, {"2026-27": 58})).status == "on_track"
    assert progress(_measure("decrease", targets, {"2026-27": 61})).status == "off_track"
    assert progress(_measure("maintain", targets, {"2026-27": 60.9})).status == "on_track"
    assert progress(_measure("maintain", targets, {"2026-27": 58.5})).status == "off_track"
    counted = {"2026-27": 1000.0}
    assert progress(_measure("maintain", counted, {"2026-27": 1019}, "count")).status == "on_track"
    assert progress(_measure("maintain", counted, {"2026-27": 979}, "count")).status == "off_track"
    # A year without a target is read against the latest target before it.
    assert progress(_measure("increase", targets, {"2027-28": 61})).status == "on_track"
    # No target up to the actual's year: no data.
    assert progress(_measure("increase", targets, {"2024-25": 61})).status == "no_data"
    # As of a year: later actuals are not yet in.
    later = _measure("increase", targets, {"2025-26": 55, "2026-27": 58})
    assert progress(later, "2025-26").status == "on_track"


def test_counts_per_goal_area() -> None:
    good = _measure("increase", {"2025-26": 50}, {"2025-26": 60})
    bad = _measure("increase", {"2025-26": 50}, {"2025-26": 40})
    empty = _measure("increase", {}, {})
    area = SimpleNamespace(
        id="a",
        objectives=[SimpleNamespace(measures=[good, bad]), SimpleNamespace(measures=[empty, good])],
    )
    counts = measures.goal_area_counts(area)
    assert counts == {"on_track": 2, "off_track": 1, "no_data": 1}
    assert measures.plan_counts(SimpleNamespace(goal_areas=[area])) == {"a": counts}
    assert measures.mark_text(counts) == "✓ 2 on track, ✗ 1 off"
    assert measures.mark_text(measures.count_measures([empty])) == ""


def test_formatting_with_units() -> None:
    assert format_value(67, "percent") == "67%"
    assert format_value(67.5, "percent") == "67.5%"
    assert format_value(1250, "count") == "1,250"
    assert format_value(3.2, "points") == "3.2 points"
    assert format_value(1, "points") == "1 point"
    assert format_value(1250, "dollars") == "$1,250"
    assert format_value(1250.5, "dollars") == "$1,250.50"
    assert format_value(12.345, "rate") == "12.35"
    assert format_value(None, "percent") == ""
    assert format_point(None, "<10%", "percent") == "<10%"
    assert format_point(40, "Baseline Aug 2024", "percent") == "40% (Baseline Aug 2024)"


def test_cells_parse_numbers_or_keep_text_as_a_note() -> None:
    assert parse_cell("67") == (67, None)
    assert parse_cell(" 67.5% ") == (67.5, None)
    assert parse_cell("1,250") == (1250, None)
    assert parse_cell("$1,250") == (1250, None)
    assert parse_cell("3.2 points") == (3.2, None)
    assert parse_cell("-4") == (-4, None)
    assert parse_cell("") == (None, None)
    assert parse_cell("<10%") == (None, "<10%")
    assert parse_cell("Baseline Aug 2024") == (None, "Baseline Aug 2024")
    assert parse_cell("1,25") == (None, "1,25")
    assert parse_cell("-") == (None, "-")


def test_checks_as_typed() -> None:
    assert check_point("percent", "2025-26", 67, YEARS) == measures.CellCheck()
    over = check_point("percent", "2025-26", 120, YEARS)
    assert over.error is None and over.warning is not None and "120%" in over.warning
    assert check_point("count", "2025-26", 120, YEARS).warning is None
    outside = check_point("percent", "2030-31", 50, YEARS)
    assert outside.error is not None and "outside the plan" in outside.error
    assert check_point("percent", "2022-23", 50, YEARS, baseline=True).error is None
    assert check_point("percent", "2030-31", 50, YEARS, baseline=True).error is not None


def test_school_year_of_a_date() -> None:
    assert measures.school_year_of(date(2025, 3, 1)) == "2024-25"
    assert measures.school_year_of(date(2025, 7, 1)) == "2025-26"
