"""A measure's small line chart as a PNG, for writers that place pictures (Word).

It draws a `chart.ChartDescription` and decides nothing of what the chart says, so the
Word picture shows the same axis, labels and legend as the PDF's drawing.

A chart costs about 2 ms: drawn once at its final size (supersampling doubled
the cost) and stored without PNG row filters (Pillow's adaptive filtering took
more time than all the drawing); a 1,000-measure plan must not spend seconds here.
The chart's title is not drawn: writers print it as text beside the picture,
so that it can be searched, read aloud and copied.
"""

from __future__ import annotations

import itertools
import math
import struct
import threading
import zlib
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from planstudio.export.chart import ChartDescription, Colour, describe_chart
from planstudio.export.document import Chart

# Inches on the page, and pixels per inch of the picture.
WIDTH_IN = 5.0
HEIGHT_IN = 1.9
DPI = 150

_FONT_LOCK = threading.Lock()

_GRID = (225, 225, 225)
_AXIS = (140, 140, 140)
_TEXT = (70, 70, 70)


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's own font: labels here are years and numbers, which every font has, and a
    # system font could be missing on the user's machine.
    return ImageFont.load_default(size=size)


@lru_cache(maxsize=2048)
def _label(text: str, anchor: str) -> tuple[Image.Image, int, int]:
    """A label's anti-aliased mask and its offset from the anchor point, drawn once.

    Charts repeat the same years, axis values and percentages; pasting a cached mask costs
    a hundredth of drawing the text again with FreeType."""
    # One FreeType face is shared by the threads that draw charts, and FreeType faces are
    # not safe to use from two threads at once.
    with _FONT_LOCK:
        font = _font(13)
        left, top, right, bottom = map(int, font.getbbox(text, anchor=anchor))
        mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
        ImageDraw.Draw(mask).text((-left, -top), text, 255, font, anchor)
    return mask, left, top


def _text(image: Image.Image, xy: tuple[float, float], text: str, colour: tuple[int, ...],
          anchor: str) -> None:  # fmt: skip
    mask, left, top = _label(text, anchor)
    image.paste(colour, (round(xy[0]) + left, round(xy[1]) + top), mask)


def render_chart(chart: Chart) -> bytes:
    """The chart as PNG bytes, `picture_size` inches at DPI."""
    return draw_chart(describe_chart(chart))


# Small multiples: the picture is as wide as a portrait page's text, each panel this tall.
GRID_WIDTH_IN = 6.5
PANEL_HEIGHT_IN = 1.55
LEGEND_HEIGHT_IN = 0.3


def picture_size(chart: ChartDescription) -> tuple[float, float]:
    """The picture's width and height in inches: a single chart's, or a grid's by its rows."""
    if not chart.panels:
        return WIDTH_IN, HEIGHT_IN
    rows = math.ceil(len(chart.panels) / max(chart.columns, 1))
    return GRID_WIDTH_IN, rows * PANEL_HEIGHT_IN + LEGEND_HEIGHT_IN


def draw_chart(chart: ChartDescription) -> bytes:
    """Draw `chart` as described: nothing about what it says is decided here."""
    width_in, height_in = picture_size(chart)
    width, height = round(width_in * DPI), round(height_in * DPI)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    if chart.panels:
        columns = max(chart.columns, 1)
        panel_w, panel_h = width / columns, PANEL_HEIGHT_IN * DPI
        for index, panel in enumerate(chart.panels):
            row, column = divmod(index, columns)
            x, y = column * panel_w, row * panel_h
            if panel.series and panel.years:
                # The group's name above its panel, where a single chart has its legend.
                _text(image, (x + panel_w / 2, y + 4), panel.title, (0, 0, 0), "ma")
                _plot(image, draw, panel, (x, y, x + panel_w, y + panel_h), 18)
        _legend(image, draw, chart, width - 20, height - 26)
        return _png(image)
    if not chart.series or not chart.years:
        return _png(image)
    _plot(image, draw, chart, (0, 0, width, height), 0)
    _legend(image, draw, chart, width - 20, 4)
    return _png(image)


def _plot(image: Image.Image, draw: ImageDraw.ImageDraw, chart: ChartDescription,
          box: tuple[float, float, float, float], title_room: int) -> None:  # fmt: skip
    """The axes, labels and series of `chart` in `box` (left, top, right, bottom), the axis
    title `title_room` pixels below the box's top (below a panel's title)."""
    x0, y0, x1, y1 = box
    # Room for the value labels on the left, the legend (or panel title) and the axis title
    # above the plot, the year labels below it.
    left, right, top, bottom = x0 + 78, x1 - 20, y0 + 40 + title_room, y1 - 30

    def x_of(year: str) -> float:
        return left + (right - left) * chart.x_fraction(year)

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * chart.y_fraction(value)

    for tick in chart.ticks:
        y = y_of(tick.value)
        draw.line((left, y, right, y), fill=_GRID, width=1)
        _text(image, (left - 8, y), tick.label, _TEXT, "rm")
    draw.line((left, bottom, right, bottom), fill=_AXIS, width=1)
    if chart.axis_title:
        _text(image, (left - 8, y0 + 4 + title_room), chart.axis_title, _TEXT, "ra")
    for year in chart.years:
        _text(image, (x_of(year), y1 - 4), year, _TEXT, "md")

    for series in chart.series:
        look = series.look
        points = [(x_of(year), y_of(value)) for year, value in series.points]
        if look.line and len(points) > 1:
            _line(draw, points, look.colour, look.dashed)
        for x, y in points:
            _marker(draw, look.marker, x, y, look.colour)


def _legend(image: Image.Image, draw: ImageDraw.ImageDraw, chart: ChartDescription,
            right: float, top: float) -> None:  # fmt: skip
    """The legend, right-aligned at `right`: a sample of each series, then its name."""
    x = right
    middle = top + 9
    for series in reversed(chart.series):
        look = series.look
        _text(image, (x, top), series.name, _TEXT, "ra")
        x -= _label(series.name, "ra")[0].width + 6
        if look.line:
            _line(draw, [(x - 28, middle), (x, middle)], look.colour, look.dashed)
        _marker(draw, look.marker, x - 14, middle, look.colour)
        x -= 28 + 18


def _line(draw: ImageDraw.ImageDraw, points: list[tuple[float, float]], colour: Colour,
          dashed: bool) -> None:  # fmt: skip
    if not dashed:
        draw.line(points, fill=colour, width=3, joint="curve")
        return
    # Pillow draws no dashes: each segment is cut into 9 px dashes and 6 px gaps.
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        start = 0.0
        while start < length:
            end = min(start + 9.0, length)
            a, b = start / length, end / length
            draw.line((x0 + (x1 - x0) * a, y0 + (y1 - y0) * a, x0 + (x1 - x0) * b,
                       y0 + (y1 - y0) * b), fill=colour, width=3)  # fmt: skip
            start = end + 6.0


def _marker(draw: ImageDraw.ImageDraw, marker: str, x: float, y: float, colour: Colour) -> None:
    r = 5
    if marker == "square":
        draw.rectangle((x - r + 1, y - r + 1, x + r - 1, y + r - 1), fill=colour)
    elif marker == "diamond":
        draw.polygon([(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)], fill=colour)
    else:
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(image: Image.Image) -> bytes:
    """An RGB image as PNG: filter type 0 on every row, zlib level 1 (mostly white pixels)."""
    width, height = image.size
    # PNG wants a filter byte before each row: the RGB bytes, seen as one grey image three
    # times as wide, pasted one pixel right of a zero column; Pillow does it in C.
    rows = Image.new("L", (width * 3 + 1, height), 0)
    rows.paste(Image.frombytes("L", (width * 3, height), image.tobytes()), (1, 0))
    dots_per_metre = round(DPI / 0.0254)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", dots_per_metre, dots_per_metre, 1)),
            _chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)),
            _chunk(b"IEND", b""),
        )
    )
