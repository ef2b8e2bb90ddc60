"""Charts: a measure's line chart drawn with PDF path operators."""

from __future__ import annotations

import math

from reportlab.platypus import Flowable

from planstudio.export.document import (
    Chart,
    ChartSeries,
    clean_text,
)
from planstudio.export.pdf.flowables import Build, Flow, TextBlock, context_of, fit_first
from planstudio.export.pdf.fonts import printable
from planstudio.export.pdf.styles import BLACK, GREY, SERIES_COLOURS, Line
from planstudio.export.pdf.text import fill_colour, stroke_colour
from planstudio.export.pdf.wrapping import wrap_text


class ChartBlock(Flow):
    """A line chart drawn with PDF path operators: one line per series over the years.

    The title and the series names print in full, however long; a chart that is taller than
    a page only through them gives them up to text blocks of their own.
    """

    PLOT_HEIGHT = 150.0  # the plot with its value and year labels
    MAX_WIDTH = 432.0  # 6 in
    LEGEND_INDENT = 24.0

    def __init__(self, build: Build, chart: Chart, titled: bool = True) -> None:
        super().__init__()
        self.build = build
        self.chart = chart
        self.titled = titled
        self.legend = titled
        self.spaceBefore = 14.0
        self._width = -1.0
        self._title: list[Line] = []
        self._names: list[list[Line]] = []

    def _series(self) -> list[ChartSeries]:
        return [one for one in self.chart.series if one.points]

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        width = min(aW, self.MAX_WIDTH)
        styles = self.build.styles
        if width != self._width:
            title = printable(clean_text(self.chart.title))
            self._title = wrap_text(title, styles.chart_title, width) if self.titled else []
            self._names = (
                [
                    wrap_text(printable(clean_text(one.name)), styles.chart_legend, width - 50)
                    for one in self._series()
                ]
                if self.legend
                else []
            )
            self._width = width
        self.width = width
        self.height = (
            len(self._title) * styles.chart_title.leading
            + (8 if self._title else 0)
            + self.PLOT_HEIGHT
            + sum(len(name) for name in self._names) * styles.chart_legend.leading
        )
        return self.width, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if not self._at_top() or not self.titled:
            return []
        styles = self.build.styles
        title = TextBlock(self.build, (self.chart.title,), styles.chart_title)
        plot = self._clone()
        plot.titled = plot.legend = False
        plot._width = -1.0
        names = [TextBlock(self.build, (one.name,), styles.chart_legend) for one in self._series()]
        for flow in (title, plot, *names):
            flow.seq = self.seq
        return [*fit_first(title, aW, aH, self._frame), plot, *names]  # type: ignore[attr-defined]

    def draw(self) -> None:
        build = context_of(self.canv)
        ops = _chart_ops(build, self.chart, self.width, self.height, self._title, self._names)
        self.canv._code.append("\n".join(ops))


def _categories(chart: Chart) -> list[str]:
    years = list(dict.fromkeys(chart.years))
    extra = {year for series in chart.series for year, _ in series.points} - set(years)
    return sorted([*years, *extra]) if extra else years


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high - low < 1e-9:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw - 1e-12)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    return [first + i * step for i in range(round((last - first) / step) + 1)]


def _tick_label(value: float, unit: str) -> str:
    if abs(value) < 1e-9:
        value = 0.0
    if abs(value - round(value)) < 1e-9:
        text = f"{round(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text + "%" if unit == "percent" else text


def _chart_ops(
    build: Build,
    chart: Chart,
    width: float,
    height: float,
    title: list[Line],
    names: list[list[Line]],
) -> list[str]:
    styles = build.styles
    emitter = build.emitter
    ops: list[str] = [fill_colour(BLACK)]
    # Title on top, legend at the foot, year labels above it, values down the left.
    emitter.lines(ops, 0, height, title, styles.chart_title)
    top = height - len(title) * styles.chart_title.leading - (8 if title else 0)
    series = [s for s in chart.series if s.points]
    legend_leading = styles.chart_legend.leading
    legend_height = sum(len(name) for name in names) * legend_leading
    categories = _categories(chart)
    values = [v for s in series for _, v in s.points if math.isfinite(v)]
    ticks = _nice_ticks(min(values), max(values)) if values else [0.0, 1.0]
    labels = [_tick_label(t, chart.unit) for t in ticks]
    label_width = max(styles.chart.widths[t] for t in labels)
    left = label_width + 6
    right = width - 10
    bottom = legend_height + styles.chart.leading + 8
    span = ticks[-1] - ticks[0] or 1.0

    def y_of(value: float) -> float:
        return bottom + (value - ticks[0]) / span * (top - bottom)

    step = (right - left) / max(len(categories), 1)
    x_of = {year: left + (i + 0.5) * step for i, year in enumerate(categories)}

    ops.append(f"{stroke_colour((0.85, 0.85, 0.85))} 0.4 w")
    for tick, label in zip(ticks, labels, strict=True):
        y = y_of(tick)
        ops.append(f"{left:.2f} {y:.2f} m {right:.2f} {y:.2f} l S")
        text_x = left - 4 - styles.chart.widths[label]
        ops.append(fill_colour(styles.chart.colour))
        ops.append(emitter.line(text_x, y - 2.5, label, styles.chart))
    ops.append(
        f"{stroke_colour(GREY)} 0.7 w {left:.2f} {bottom:.2f} m {right:.2f} {bottom:.2f} l S"
    )
    label_y = bottom - styles.chart.leading
    for year, x in x_of.items():
        text = printable(clean_text(year))
        ops.append(emitter.line(x - styles.chart.widths[text] / 2, label_y, text, styles.chart))

    for index, one in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        points = [(x_of[year], y_of(v)) for year, v in one.points if math.isfinite(v)]
        dash = "[3 2] 0 d" if index % 2 else "[] 0 d"
        if len(points) > 1:
            path = " ".join(
                f"{x:.2f} {y:.2f} {'m' if i == 0 else 'l'}" for i, (x, y) in enumerate(points)
            )
            ops.append(f"{stroke_colour(colour)} 1.4 w 1 j {dash} {path} S [] 0 d")
        ops.append(fill_colour(colour))
        for x, y in points:
            ops.append(_marker(index, x, y))
        if not names:
            continue
        # Legend entry: a sample of the line and marker, then the series name.
        legend_top = legend_height - sum(len(name) for name in names[:index]) * legend_leading
        mid = legend_top - styles.chart_legend.drop + 2.5  # level with the name's first line
        ops.append(
            f"{stroke_colour(colour)} 1.4 w {dash} {left:.2f} {mid:.2f} m "
            f"{left + 18:.2f} {mid:.2f} l S [] 0 d"
        )
        ops.append(_marker(index, left + 9, mid))
        ops.append(fill_colour(BLACK))
        emitter.lines(ops, left + 24, legend_top, names[index], styles.chart_legend)
    return ops


def _marker(index: int, x: float, y: float) -> str:
    r = 2.2
    if index % 2:
        return f"{x - r:.2f} {y - r:.2f} {2 * r:.2f} {2 * r:.2f} re f"
    k = r * 0.5523  # Bézier circle
    return (
        f"{x + r:.2f} {y:.2f} m "
        f"{x + r:.2f} {y + k:.2f} {x + k:.2f} {y + r:.2f} {x:.2f} {y + r:.2f} c "
        f"{x - k:.2f} {y + r:.2f} {x - r:.2f} {y + k:.2f} {x - r:.2f} {y:.2f} c "
        f"{x - r:.2f} {y - k:.2f} {x - k:.2f} {y - r:.2f} {x:.2f} {y - r:.2f} c "
        f"{x + k:.2f} {y - r:.2f} {x + r:.2f} {y - k:.2f} {x + r:.2f} {y:.2f} c f"
    )
