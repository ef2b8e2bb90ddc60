"""A measure's chart described once: axes, ticks, labels with units, series, legend, alt text.

The Word picture (`chart_png`) and the PDF drawing (`pdf.charts`) only draw a
`ChartDescription`; every decision about what the chart says is made here, so that the
two files of one plan show the same axis, the same labels and the same legend.

What the chart says, and why:

* The value axis is not cropped to make a small change look large.  A percent axis runs
  from 0% to 100% (further only if a value lies outside), a count axis from 0; any other
  axis starts at zero
  when the values are within their own spread of it (or are all one value), and otherwise
  spans the values; ticks are a nice-number step apart (1, 2, 2.5 or 5 times a power of
  ten), about five intervals.
* The school years are evenly spaced slots, first to last, each value centred on its year.
* The baseline is its own marked point (a diamond), not the first point of the Target line:
  a line from the baseline to the first target would draw a trajectory nobody set.  Its
  legend entry names its year and value ("Baseline 2022-23: 67%").
* Targets are a dashed line (planned), actuals a solid one (measured); the layout puts
  Target first and Actual second, and any other series alternates the same two looks.
* Every series drawn has a legend entry, even a single one; values are not labelled on the
  points (they are in the table printed with each chart, and in the alt text).
* The alt text names the measure, its unit, the baseline, the targets and the actuals.
* A measure entered for several student groups is one chart of small multiples: a panel per
  group, every panel on the same value axis (so that the groups compare by eye) and the same
  school years; a series keeps one look in every panel; one legend below the panels; the alt
  text names each group with its baseline, targets and actuals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

from planstudio.export.document import Chart, clean_text
from planstudio.model.formatting import axis_value, with_unit
from planstudio.model.vocabulary import MEASURE_UNITS

Colour = tuple[int, int, int]  # 0-255 RGB
Marker = Literal["circle", "square", "diamond"]


@dataclass(frozen=True)
class Tick:
    value: float
    label: str  # with the unit's sign: "60%", "$1,200", "1,250"


@dataclass(frozen=True)
class Look:
    """How one series is drawn, the same in every renderer."""

    colour: Colour
    marker: Marker
    line: bool  # joined by a line (a lone baseline point is not)
    dashed: bool


BASELINE_LOOK = Look((64, 64, 64), "diamond", line=False, dashed=False)
SERIES_LOOKS = (
    Look((31, 82, 158), "circle", line=True, dashed=True),  # Target
    Look((217, 107, 20), "square", line=True, dashed=False),  # Actual
    Look((51, 140, 77), "circle", line=True, dashed=True),
    Look((140, 77, 153), "square", line=True, dashed=False),
)


@dataclass(frozen=True)
class PlottedSeries:
    name: str  # its legend entry
    points: tuple[tuple[str, float], ...]  # (school year, finite value), in year order
    look: Look


@dataclass(frozen=True)
class ChartDescription:
    title: str
    unit: str
    axis_title: str  # the unit in words, printed above the value axis ("Percent")
    years: tuple[str, ...]  # the x axis slots, first to last
    ticks: tuple[Tick, ...]  # the value axis, lowest first; ticks[0] and ticks[-1] are its ends
    series: tuple[PlottedSeries, ...]  # drawn in this order; the legend lists them so
    alt_text: str
    # Small multiples: the panels (each described like a chart of its own, its title the
    # student group, sharing this description's ticks and years), `columns` to a row.  The
    # series here are then the legend's samples only, without points.
    panels: tuple[ChartDescription, ...] = ()
    columns: int = 1

    @property
    def legend(self) -> tuple[str, ...]:
        return tuple(one.name for one in self.series)

    def x_fraction(self, year: str) -> float:
        """Where `year`'s slot centre lies across the plot, 0 (left) … 1 (right)."""
        return (self.years.index(year) + 0.5) / max(len(self.years), 1)

    def y_fraction(self, value: float) -> float:
        """Where `value` lies up the plot, 0 (lowest tick) … 1 (highest)."""
        low, high = self.ticks[0].value, self.ticks[-1].value
        return (value - low) / ((high - low) or 1.0)


def describe_chart(chart: Chart) -> ChartDescription:
    """Everything both renderers draw for `chart`, decided once."""
    if chart.panels:
        return _describe_panels(chart)
    series = _plotted(chart, {})
    years = _years(chart, series)
    values = [value for one in series for _, value in one.points]
    ticks = tuple(Tick(value, axis_value(value, chart.unit)) for value in _axis(values, chart.unit))
    return ChartDescription(
        title=clean_text(chart.title),
        unit=chart.unit,
        axis_title=MEASURE_UNITS.get(chart.unit, "") if chart.unit != "other" else "",
        years=years,
        ticks=ticks,
        series=tuple(one for one in series if one.points),
        alt_text=_alt_text(chart, series),
    )


def _plotted(chart: Chart, looks: dict[str, Look]) -> list[PlottedSeries]:
    """The baseline point and the series of `chart` as drawn; a series named in `looks` is
    drawn so, any other by its place among the chart's series."""
    series: list[PlottedSeries] = []
    if chart.baseline is not None and math.isfinite(chart.baseline[1]):
        year, value = clean_text(chart.baseline[0]), chart.baseline[1]
        # The legend labels the lone diamond with its year and value: the point is read
        # where it is named, and no label is printed over the plot.
        name = f"Baseline {year}: {with_unit(value, chart.unit)}".replace("  ", " ")
        series.append(PlottedSeries(name, ((year, value),), BASELINE_LOOK))
    for index, one in enumerate(s for s in chart.series if s.points):
        points = tuple(point for point in one.points if math.isfinite(point[1]))
        name = clean_text(one.name)
        look = looks.get(name) or SERIES_LOOKS[index % len(SERIES_LOOKS)]
        series.append(PlottedSeries(name, points, look))
    return series


# Panels to a row: two leave room for six school years named in full under each panel.
_COLUMNS_FEW_YEARS = 3
_COLUMNS = 2


def _describe_panels(chart: Chart) -> ChartDescription:
    """Small multiples: a panel per student group on one shared value axis and years."""
    names = list(
        dict.fromkeys(
            clean_text(one.name) for panel in chart.panels for one in panel.series if one.points
        )
    )
    looks = {name: SERIES_LOOKS[index % len(SERIES_LOOKS)] for index, name in enumerate(names)}
    plotted = [(panel, _plotted(replace(panel, unit=chart.unit), looks)) for panel in chart.panels]
    every = [one for _, series in plotted for one in series]
    every_year = (*chart.years, *(year for panel in chart.panels for year in panel.years))
    years = _years(replace(chart, years=every_year), every)
    values = [value for one in every for _, value in one.points]
    ticks = tuple(Tick(value, axis_value(value, chart.unit)) for value in _axis(values, chart.unit))
    axis_title = MEASURE_UNITS.get(chart.unit, "") if chart.unit != "other" else ""
    panels = tuple(
        ChartDescription(
            title=clean_text(panel.title),
            unit=chart.unit,
            axis_title=axis_title,
            years=years,
            ticks=ticks,
            series=tuple(one for one in series if one.points),
            alt_text=_alt_text(replace(panel, unit=chart.unit), series),
        )
        for panel, series in plotted
    )
    # One legend for all panels: the baseline's year when the groups share it (each
    # group's value is in its alt text and in the table printed with the chart).
    legend: list[PlottedSeries] = []
    baseline_years = {p.baseline[0] for p in chart.panels if p.baseline is not None}
    if baseline_years:
        shared = clean_text(baseline_years.pop()) if len(baseline_years) == 1 else ""
        legend.append(PlottedSeries(f"Baseline {shared}".strip(), (), BASELINE_LOOK))
    legend.extend(PlottedSeries(name, (), looks[name]) for name in names)
    title = clean_text(chart.title) or "a measure"
    unit = MEASURE_UNITS.get(chart.unit, chart.unit).lower()
    head = f"Line charts of {title}" + (f", in {unit}" if unit and unit != "other" else "")
    head += f", one for each of {len(panels)} student groups on the same scale"
    alt = " ".join(
        [head + "."]
        + [f"{panel.title or 'All students'}: {_series_text(chart, s)}." for panel, (_, s)
           in zip(panels, plotted, strict=True)]
    )  # fmt: skip
    return ChartDescription(
        title=clean_text(chart.title),
        unit=chart.unit,
        axis_title=axis_title,
        years=years,
        ticks=ticks,
        series=tuple(legend),
        alt_text=alt,
        panels=panels,
        columns=min(len(panels), _COLUMNS_FEW_YEARS if len(years) <= 3 else _COLUMNS),
    )


def _years(chart: Chart, series: list[PlottedSeries]) -> tuple[str, ...]:
    years = list(dict.fromkeys(clean_text(year) for year in chart.years))
    extra = {year for one in series for year, _ in one.points} - set(years)
    return tuple(sorted([*years, *extra])) if extra else tuple(years)


def _axis(values: list[float], unit: str) -> list[float]:
    """The value axis's ticks for `values` (see the module doc)."""
    if not values:
        return [0.0, 100.0] if unit == "percent" else [0.0, 1.0]
    low, high = min(values), max(values)
    if unit == "percent":
        low, high = min(low, 0.0), max(high, 100.0)
    elif unit == "count":
        low, high = min(low, 0.0), max(high, 0.0)  # a count is read against none at all
    elif low >= 0 and (low <= high - low or high == low):
        low = 0.0
    elif high <= 0 and (high >= low - high or high == low):
        high = 0.0
    return nice_ticks(low, high)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Ticks covering low … high about `count` intervals apart, on a 1/2/2.5/5 × 10ⁿ step."""
    if high - low < 1e-9:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw - 1e-12)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    return [first + i * step for i in range(round((last - first) / step) + 1)]


def _alt_text(chart: Chart, series: list[PlottedSeries]) -> str:
    """ "Line chart of <measure>, in <unit>. Baseline: … Target: … Actual: …" for a reader."""
    unit = MEASURE_UNITS.get(chart.unit, chart.unit).lower()
    title = clean_text(chart.title) or "a measure"
    head = f"Line chart of {title}" + (f", in {unit}" if unit and unit != "other" else "")
    return f"{head}. {_series_text(chart, series)}." if series else f"{head}."


def _series_text(chart: Chart, series: list[PlottedSeries]) -> str:
    """ "Baseline 2022-23: 67%. Target: 70% in 2024-25, …. Actual: …" """
    parts = []
    for one in series:
        if one.look is BASELINE_LOOK:
            parts.append(one.name)  # "Baseline 2022-23: 67%"
            continue
        shown = ", ".join(f"{with_unit(value, chart.unit)} in {year}" for year, value in one.points)
        parts.append(f"{one.name}: {shown or 'none'}")
    return ". ".join(parts) or "no values"
