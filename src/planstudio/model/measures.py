"""Measures: yearly target trajectories, on-track status, value formatting and checks.

Plain functions over the model's measures (no Qt), shared by the measure editor,
the tree and the exporters.

Choices made here:

* A trajectory goes from the baseline (not itself a target) to the final target
  over the target years; the last year is exactly the final target and the
  years between are rounded to ``decimals`` places (kept between the two ends).
  ``maintain`` holds the final target in every year.
* On track compares the latest actual that has a number with that year's
  target (or, if that year has none, the latest target before it):
  increase ``actual >= target``, decrease ``actual <= target``, maintain within
  ``maintain_tolerance`` (1 point for percents, 2 % of the target otherwise).
  A measure without a direction is read as ``increase``.
* A percent above 100 (or below 0) is a warning, not an error: the value is
  kept (some measures, e.g. growth percentiles relative to a norm, go past it).
  A target or actual for a year outside the plan's years is refused.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from planstudio.model.formatting import format_value
from planstudio.model.vocabulary import STUDENT_GROUPS, school_years

OnTrack = Literal["on_track", "off_track", "no_data"]
ON_TRACK_LABELS: dict[str, str] = {
    "on_track": "On track",
    "off_track": "Off track",
    "no_data": "No data",
}
ON_TRACK_MARKS: dict[str, str] = {"on_track": "✓", "off_track": "✗", "no_data": "–"}

SHAPES: dict[str, str] = {
    "linear": "Linear",
    "front_loaded": "Front-loaded (aggressive)",
    "step_up": "Step-up",
    "delayed_start": "Delayed start",
}

# Offered when adding one measure for several student groups; any other may be typed.
# The reporting groups of the subgroup list, with "All" as measures name it.
MEASURE_STUDENT_GROUPS: tuple[str, ...] = ("All", *STUDENT_GROUPS[1:10])

PERCENT_TOLERANCE = 1.0  # points either side of a "maintain" target, for percents
RELATIVE_TOLERANCE = 0.02  # share of the target either side, for other units


# ---------------------------------------------------------------------------- trajectories


def _linear(step: int, steps: int) -> float:
    return step / steps


def _front_loaded(step: int, steps: int) -> float:
    # Bigger gains early: the remaining gap shrinks quadratically.
    remaining = 1 - step / steps
    return 1 - remaining * remaining


def _step_up(step: int, steps: int) -> float:
    # Flat for a year, then a step every second year; the last year reaches the target.
    if step >= steps:
        return 1.0
    return (step - step % 2) / steps


def _delayed_start(step: int, steps: int) -> float:
    # No change the first year, then linear to the target.
    if steps <= 1 or step >= steps:
        return 1.0 if step >= steps else 0.0
    return max(0, step - 1) / (steps - 1)


_FRACTIONS: dict[str, Callable[[int, int], float]] = {
    "linear": _linear,
    "front_loaded": _front_loaded,
    "step_up": _step_up,
    "delayed_start": _delayed_start,
}


def trajectory(
    shape: str,
    baseline: float,
    target: float,
    steps: int,
    *,
    direction: str | None = None,
    decimals: int | None = 1,
) -> list[float]:
    """Values for step 0 (the baseline) to step `steps` (the final target), `steps` + 1 long."""
    if shape not in _FRACTIONS:
        raise ValueError(f"there is no trajectory shape called {shape!r}")
    if steps < 1:
        raise ValueError("a trajectory needs at least one year after the baseline")
    if direction == "maintain":
        return [float(baseline)] + [float(target)] * steps
    fraction = _FRACTIONS[shape]
    low, high = min(baseline, target), max(baseline, target)
    values = [float(baseline)]
    for step in range(1, steps):
        value = baseline + (target - baseline) * fraction(step, steps)
        if decimals is not None:
            value = round(value, decimals)
        values.append(min(high, max(low, value)))
    values.append(float(target))
    return values


def target_years(plan_years: Sequence[str], baseline_year: str | None) -> list[str]:
    """The plan years that get a target: those after the baseline year (all when unknown)."""
    if not baseline_year:
        return list(plan_years)
    return [year for year in plan_years if year > baseline_year]


def plan_targets(
    shape: str,
    baseline: float,
    target: float,
    plan_years: Sequence[str],
    baseline_year: str | None = None,
    *,
    direction: str | None = None,
    decimals: int | None = 1,
) -> dict[str, float]:
    """A target for each plan year after the baseline year, the last one `target`."""
    years = target_years(plan_years, baseline_year)
    if not years:
        raise ValueError("there is no plan year after the baseline year to set a target for")
    values = trajectory(shape, baseline, target, len(years), direction=direction, decimals=decimals)
    return dict(zip(years, values[1:], strict=True))


# ---------------------------------------------------------------------------- on track


def maintain_tolerance(unit: str | None, target: float) -> float:
    if unit in ("percent", "points"):
        return PERCENT_TOLERANCE
    return max(abs(target) * RELATIVE_TOLERANCE, 1e-9)


def compare(direction: str | None, unit: str | None, actual: float, target: float) -> bool:
    """True when `actual` meets `target` in the measure's direction."""
    if direction == "decrease":
        return actual <= target
    if direction == "maintain":
        return abs(actual - target) <= maintain_tolerance(unit, target)
    return actual >= target


@dataclass(frozen=True)
class Progress:
    """A measure's latest actual against its target for that year."""

    status: OnTrack
    year: str | None = None
    actual: float | None = None
    target: float | None = None


def _field(record: Any, name: str) -> Any:
    """A field of a model object, or of its interchange form (a dict), as exporters read it."""
    if isinstance(record, Mapping):
        return record.get(name)
    return getattr(record, name)


def _points(points: Iterable[Any] | None, as_of_year: str | None) -> dict[str, float]:
    found: dict[str, float] = {}
    for point in points or ():
        value, year = _field(point, "value"), _field(point, "year")
        if value is None or not year:
            continue
        if as_of_year is not None and year > as_of_year:
            continue
        found.setdefault(year, float(value))
    return found


def progress(measure: Any, as_of_year: str | None = None) -> Progress:
    """On track or not: the latest actual (up to `as_of_year`) against that year's target.

    `measure` is a model Measure or a measure of the interchange form (a dict).
    """
    actuals = _points(_field(measure, "actuals"), as_of_year)
    if not actuals:
        return Progress("no_data")
    year = max(actuals)
    actual = actuals[year]
    targets = _points(_field(measure, "targets"), year)
    if not targets:
        return Progress("no_data", year, actual)
    target = targets[year] if year in targets else targets[max(targets)]
    met = compare(_field(measure, "direction"), _field(measure, "unit"), actual, target)
    return Progress("on_track" if met else "off_track", year, actual, target)


def on_track(measure: Any, as_of_year: str | None = None) -> OnTrack:
    return progress(measure, as_of_year).status


def count_measures(measures: Iterable[Any], as_of_year: str | None = None) -> Counter[str]:
    """How many measures are on track, off track and without data."""
    counts: Counter[str] = Counter({"on_track": 0, "off_track": 0, "no_data": 0})
    for measure in measures:
        counts[on_track(measure, as_of_year)] += 1
    return counts


def objective_counts(objective: Any, as_of_year: str | None = None) -> Counter[str]:
    return count_measures(objective.measures, as_of_year)


def goal_area_counts(area: Any, as_of_year: str | None = None) -> Counter[str]:
    return count_measures(
        (m for objective in area.objectives for m in objective.measures), as_of_year
    )


def plan_counts(plan: Any, as_of_year: str | None = None) -> dict[str, Counter[str]]:
    """On-track counts per goal area, by the goal area's id."""
    return {area.id: goal_area_counts(area, as_of_year) for area in plan.goal_areas}


def mark_text(counts: Counter[str]) -> str:
    """e.g. "✓ 2 on track, ✗ 1 off"; empty when nothing has data."""
    parts = []
    if counts.get("on_track"):
        parts.append(f"✓ {counts['on_track']} on track")
    if counts.get("off_track"):
        parts.append(f"✗ {counts['off_track']} off")
    return ", ".join(parts)


# ---------------------------------------------------------------------------- formatting


def format_point(value: float | None, note: str | None, unit: str | None) -> str:
    """A value with its note beside it, or the note alone ("<10%")."""
    shown = format_value(value, unit)
    if shown and note:
        return f"{shown} ({note})"
    return shown or (note or "")


# ---------------------------------------------------------------------------- checks


_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def parse_cell(text: str) -> tuple[float | None, str | None]:
    """What a typed cell means: a number (with %, $, commas or "points"), or a note."""
    stripped = text.strip()
    if not stripped:
        return None, None
    candidate = stripped
    candidate = re.sub(r"\s*(points?|pts?)$", "", candidate, flags=re.IGNORECASE)
    candidate = candidate.removesuffix("%").strip()
    if candidate.startswith("$"):
        candidate = candidate[1:]
    elif candidate.startswith("-$"):
        candidate = "-" + candidate[2:]
    if candidate and candidate not in "+-." and _NUMBER.match(candidate):
        number = float(candidate.replace(",", ""))
        if math.isfinite(number):
            return number, None
    return None, stripped


@dataclass(frozen=True)
class CellCheck:
    """What the checks say about a value typed for a year: refused, or kept with a warning."""

    error: str | None = None
    warning: str | None = None


def check_point(
    unit: str | None,
    year: str | None,
    value: float | None,
    plan_years: Sequence[str],
    *,
    baseline: bool = False,
) -> CellCheck:
    """Check a target, actual or baseline as typed.

    A target or actual for a year outside the plan is refused; a baseline may
    come before the plan but not after it.  A percent outside 0–100 is kept with
    a warning.
    """
    if year and plan_years:
        if baseline and year > plan_years[-1]:
            return CellCheck(error=f"the baseline year {year} is after the plan ends")
        if not baseline and year not in plan_years:
            span = f"{plan_years[0]} to {plan_years[-1]}"
            return CellCheck(error=f"{year} is outside the plan's years ({span})")
    if value is not None and unit == "percent" and not 0 <= value <= 100:
        return CellCheck(warning=f"{format_value(value, unit)} is not between 0% and 100%")
    return CellCheck()


def plan_years_of(plan: Any) -> list[str]:
    return school_years(plan.first_year, plan.last_year)


def school_year_of(day: Any) -> str:
    """The school year a date falls in (July 1 starts one): 2025-03-01 → 2024-25."""
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"
