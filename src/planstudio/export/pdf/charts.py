"""Charts: a measure's line chart, as `export.chart` describes it, in PDF path operators."""

from __future__ import annotations

import math
from functools import cached_property

from reportlab.platypus import Flowable

from planstudio.export.chart import ChartDescription, Colour, Look, describe_chart
from planstudio.export.document import Chart
from planstudio.export.pdf.flowables import Build, Flow, TextBlock, context_of, fit_first
from planstudio.export.pdf.fonts import printable
from planstudio.export.pdf.styles import BLACK, GREY, RGB, Line, Style
from planstudio.export.pdf.tagging import END
from planstudio.export.pdf.text import fill_colour, stroke_colour
from planstudio.export.pdf.wrapping import wrap_text

GRID: RGB = (0.85, 0.85, 0.85)


class ChartBlock(Flow):
    """A line chart drawn with PDF path operators: one line per series over the years.

    The title and the legend's names print in full, however long; a chart that is taller
    than a page only through them gives them up to text blocks of their own.
    """

    PLOT_HEIGHT = 150.0  # the plot with its value and year labels and the axis title
    MAX_WIDTH = 432.0  # 6 in
    # Small multiples: as wide as a portrait page's text, each row of panels this tall.
    GRID_MAX_WIDTH = 504.0
    PANEL_HEIGHT = 112.0
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

    @cached_property
    def description(self) -> ChartDescription:
        described = self.build.described.get(id(self.chart))
        return describe_chart(self.chart) if described is None else described

    def _plot_height(self) -> float:
        description = self.description
        if not description.panels:
            return self.PLOT_HEIGHT
        rows = math.ceil(len(description.panels) / max(description.columns, 1))
        return rows * self.PANEL_HEIGHT

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        width = min(aW, self.GRID_MAX_WIDTH if self.description.panels else self.MAX_WIDTH)
        styles = self.build.styles
        if width != self._width:
            title = printable(self.description.title)
            self._title = wrap_text(title, styles.chart_title, width) if self.titled else []
            self._names = (
                [
                    wrap_text(printable(name), styles.chart_legend, width - 50)
                    for name in self.description.legend
                ]
                if self.legend
                else []
            )
            self._width = width
        self.width = width
        self.height = (
            len(self._title) * styles.chart_title.leading
            + (8 if self._title else 0)
            + self._plot_height()
            + sum(len(name) for name in self._names) * styles.chart_legend.leading
        )
        return self.width, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if not self._at_top() or not self.titled:
            return []
        styles = self.build.styles
        title = TextBlock(self.build, (self.description.title,), styles.chart_title)
        plot = self._clone()
        plot.titled = plot.legend = False
        plot._width = -1.0
        names = [
            TextBlock(self.build, (name,), styles.chart_legend) for name in self.description.legend
        ]
        for flow in (title, plot, *names):
            flow.seq = self.seq
            flow.tag = self.tag  # all of them the one Figure, which its alt text speaks for
        return [*fit_first(title, aW, aH, self._frame), plot, *names]

    def draw(self) -> None:
        build = context_of(self.canv)
        draw = grid_ops if self.description.panels else chart_ops
        ops = draw(build, self.description, self.width, self.height, self._title, self._names)
        begin = build.tagger.begin(self.tag, self.canv.getPageNumber())
        self.canv._code.append("\n".join([begin, *ops, END]))


def rgb(colour: Colour) -> RGB:
    return (colour[0] / 255, colour[1] / 255, colour[2] / 255)


def chart_ops(
    build: Build,
    chart: ChartDescription,
    width: float,
    height: float,
    title: list[Line],
    names: list[list[Line]],
    title_style: Style | None = None,
) -> list[str]:
    """The operators that draw `chart` in a box `width` × `height` (title and legend given
    wrapped; either may be empty when the block was split)."""
    styles = build.styles
    emitter = build.emitter
    label_style = styles.chart
    heading = title_style or styles.chart_title
    ops: list[str] = [fill_colour(BLACK)]
    # Title on top, then the axis title, the plot, the year labels, the legend at the foot.
    emitter.lines(ops, 0, height, title, heading)
    top = height - len(title) * heading.leading - (8 if title else 0)
    legend_leading = styles.chart_legend.leading
    legend_height = sum(len(name) for name in names) * legend_leading
    labels = [printable(tick.label) for tick in chart.ticks]
    label_width = max(label_style.widths[label] for label in labels)
    left = label_width + 6
    right = width - 10
    bottom = legend_height + label_style.leading + 8
    ops.append(fill_colour(label_style.colour))
    if chart.axis_title:
        axis_title = printable(chart.axis_title)
        ops.append(emitter.line(0, top - label_style.size, axis_title, label_style))
    plot_top = top - label_style.leading - 4

    def x_of(year: str) -> float:
        return left + (right - left) * chart.x_fraction(year)

    def y_of(value: float) -> float:
        return bottom + (plot_top - bottom) * chart.y_fraction(value)

    ops.append(f"{stroke_colour(GRID)} 0.4 w")
    for tick, label in zip(chart.ticks, labels, strict=True):
        y = y_of(tick.value)
        ops.append(f"{left:.2f} {y:.2f} m {right:.2f} {y:.2f} l S")
        text_x = left - 4 - label_style.widths[label]
        ops.append(emitter.line(text_x, y - 2.5, label, label_style))
    ops.append(
        f"{stroke_colour(GREY)} 0.7 w {left:.2f} {bottom:.2f} m {right:.2f} {bottom:.2f} l S"
    )
    label_y = bottom - label_style.leading
    for year in chart.years:
        text = printable(year)
        x = x_of(year) - label_style.widths[text] / 2
        ops.append(emitter.line(x, label_y, text, label_style))

    for series in chart.series:
        look = series.look
        points = [(x_of(year), y_of(value)) for year, value in series.points]
        if look.line and len(points) > 1:
            path = " ".join(
                f"{x:.2f} {y:.2f} {'m' if i == 0 else 'l'}" for i, (x, y) in enumerate(points)
            )
            ops.append(f"{_line_style(look)} {path} S [] 0 d")
        ops.append(fill_colour(rgb(look.colour)))
        ops.extend(marker(look.marker, x, y) for x, y in points)
    legend_ops(ops, build, chart, left, legend_height, names)
    return ops


def legend_ops(
    ops: list[str],
    build: Build,
    chart: ChartDescription,
    left: float,
    top: float,
    names: list[list[Line]],
) -> None:
    """The legend down from `top` at `left`: for each series a sample of its line and
    marker, then its name (given wrapped; none drawn when `names` is empty)."""
    style = build.styles.chart_legend
    for index, series in enumerate(chart.series[: len(names)]):
        look = series.look
        legend_top = top - sum(len(name) for name in names[:index]) * style.leading
        mid = legend_top - style.drop + 2.5  # level with the name's first line
        if look.line:
            ops.append(
                f"{_line_style(look)} {left:.2f} {mid:.2f} m {left + 18:.2f} {mid:.2f} l S [] 0 d"
            )
        ops.append(fill_colour(rgb(look.colour)))
        ops.append(marker(look.marker, left + 9, mid))
        ops.append(fill_colour(BLACK))
        build.emitter.lines(ops, left + 24, legend_top, names[index], style)


def grid_ops(
    build: Build,
    chart: ChartDescription,
    width: float,
    height: float,
    title: list[Line],
    names: list[list[Line]],
) -> list[str]:
    """Small multiples: the title, the panels `chart.columns` to a row (each drawn as a chart
    of its own, titled with its student group), one legend at the foot."""
    styles = build.styles
    ops: list[str] = [fill_colour(BLACK)]
    build.emitter.lines(ops, 0, height, title, styles.chart_title)
    top = height - len(title) * styles.chart_title.leading - (8 if title else 0)
    legend_height = sum(len(name) for name in names) * styles.chart_legend.leading
    columns = max(chart.columns, 1)
    rows = math.ceil(len(chart.panels) / columns)
    panel_width = width / columns
    panel_height = (top - legend_height) / max(rows, 1)
    heading = styles.chart_legend
    titles = [wrap_text(printable(p.title), heading, panel_width - 12) for p in chart.panels]
    most = max((len(lines) for lines in titles), default=0)
    for index, (panel, lines) in enumerate(zip(chart.panels, titles, strict=True)):
        row, column = divmod(index, columns)
        x, y = column * panel_width, top - (row + 1) * panel_height
        # Plots level across a row: a shorter panel title sits lower.
        shift = (most - len(lines)) * heading.leading
        ops.append(f"q 1 0 0 1 {x:.2f} {y:.2f} cm")
        ops.extend(
            chart_ops(build, panel, panel_width - 12, panel_height - shift, lines, [], heading)
        )
        ops.append("Q")
    legend_ops(ops, build, chart, 0.0, legend_height, names)
    return ops


def _line_style(look: Look) -> str:
    dash = "[3 2] 0 d" if look.dashed else "[] 0 d"
    return f"{stroke_colour(rgb(look.colour))} 1.4 w 1 j {dash}"


def marker(shape: str, x: float, y: float) -> str:
    """A filled marker centred on (x, y): a circle, a square or a diamond."""
    r = 2.2
    if shape == "square":
        return f"{x - r:.2f} {y - r:.2f} {2 * r:.2f} {2 * r:.2f} re f"
    if shape == "diamond":
        d = r * 1.35
        return (
            f"{x:.2f} {y + d:.2f} m {x + d:.2f} {y:.2f} l "
            f"{x:.2f} {y - d:.2f} l {x - d:.2f} {y:.2f} l h f"
        )
    k = r * 0.5523  # Bézier circle
    return (
        f"{x + r:.2f} {y:.2f} m "
        f"{x + r:.2f} {y + k:.2f} {x + k:.2f} {y + r:.2f} {x:.2f} {y + r:.2f} c "
        f"{x - k:.2f} {y + r:.2f} {x - r:.2f} {y + k:.2f} {x - r:.2f} {y:.2f} c "
        f"{x - r:.2f} {y - k:.2f} {x - k:.2f} {y - r:.2f} {x:.2f} {y - r:.2f} c "
        f"{x + k:.2f} {y - r:.2f} {x + r:.2f} {y - k:.2f} {x + r:.2f} {y:.2f} c f"
    )
