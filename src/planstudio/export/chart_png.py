"""A measure's small line chart as a PNG, for writers that place pictures (Word).

A chart costs about 2 ms: drawn once at its final size (supersampling doubled
the cost) and stored without PNG row filters (Pillow's adaptive filtering took
more time than all the drawing); a 1,000-measure plan must not spend seconds here.
The chart's title is not drawn: writers print it as text beside the picture,
so that it can be searched, read aloud and copied.
"""

from __future__ import annotations

import math
import struct
import threading
import zlib
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from planstudio.export.document import Chart
from planstudio.model.formatting import with_unit

# Inches on the page, and pixels per inch of the picture.
WIDTH_IN = 5.0
HEIGHT_IN = 1.9
DPI = 150

_FONT_LOCK = threading.Lock()

_COLOURS = ((31, 78, 121), (214, 96, 24), (84, 130, 53), (112, 48, 160))
_GRID = (225, 225, 225)
_AXIS = (140, 140, 140)
_TEXT = (70, 70, 70)


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's own font: labels here are years and numbers, which every font has, and a
    # system font could be missing on the user's machine.
    return ImageFont.load_default(size=size)


def _nice_step(span: float, ticks: int) -> float:
    raw = span / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _range(values: list[float]) -> tuple[float, float, float]:
    low, high = min(values), max(values)
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = _nice_step(high - low, 4)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


@lru_cache(maxsize=2048)
def _label(text: str, anchor: str) -> tuple[Image.Image, int, int]:
    """A label's anti-aliased mask and its offset from the anchor point, drawn once.

    Charts repeat the same years, axis values and percentages; pasting a cached mask costs
    a hundredth of drawing the text again with FreeType."""
    # One FreeType face is shared by the threads that draw charts, and FreeType faces are
    # not safe to use from two threads at once.
    with _FONT_LOCK:
        font = _font(13)
        left, top, right, bottom = font.getbbox(text, anchor=anchor)
        mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
        ImageDraw.Draw(mask).text((-left, -top), text, 255, font, anchor)
    return mask, left, top


def _text(image: Image.Image, xy: tuple[float, float], text: str, colour: tuple[int, ...],
          anchor: str) -> None:  # fmt: skip
    mask, left, top = _label(text, anchor)
    image.paste(colour, (round(xy[0]) + left, round(xy[1]) + top), mask)


def render_chart(chart: Chart) -> bytes:
    """The chart as PNG bytes, WIDTH_IN × HEIGHT_IN inches at DPI."""
    width, height = round(WIDTH_IN * DPI), round(HEIGHT_IN * DPI)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    values = [value for series in chart.series for _, value in series.points]
    years = list(chart.years)
    if not values or not years:
        return _png(image)
    low, high, step = _range(values)
    # Room for the value axis on the left, half a year label on the right, point labels
    # above the highest point and below the lowest.
    left, right, top, bottom = 78, width - 34, 34, height - 52

    def x_of(year: str) -> float:
        if len(years) == 1:
            return (left + right) / 2
        return left + (right - left) * years.index(year) / (len(years) - 1)

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * (value - low) / (high - low)

    axis_unit = "" if chart.unit == "points" else chart.unit  # "3 points" crowds an axis
    tick = low
    while tick <= high + step / 1000:
        y = y_of(tick)
        draw.line((left, y, right, y), fill=_GRID, width=1)
        _text(image, (left - 8, y), with_unit(round(tick, 6), axis_unit), _TEXT, "rm")
        tick += step
    draw.line((left, bottom, right, bottom), fill=_AXIS, width=1)
    for year in years:
        _text(image, (x_of(year), height - 4), year, _TEXT, "md")

    # Each value labelled once, above its point when it is the highest at that year and
    # below otherwise, so that a target and an actual of the same year do not collide.
    highest: dict[str, float] = {}
    for series in chart.series:
        for year, value in series.points:
            highest[year] = max(value, highest.get(year, value))
    labelled: set[tuple[str, float]] = set()
    for index, series in enumerate(chart.series):
        colour = _COLOURS[index % len(_COLOURS)]
        points = [(x_of(year), y_of(value), year, value) for year, value in series.points]
        if len(points) > 1:
            draw.line([(x, y) for x, y, _, _ in points], fill=colour, width=3, joint="curve")
        for x, y, year, value in points:
            draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=colour)
            if (year, value) in labelled:
                continue
            labelled.add((year, value))
            label = with_unit(value, chart.unit)
            if value >= highest[year]:
                _text(image, (x, y - 7), label, colour, "md")
            else:
                _text(image, (x, y + 7), label, colour, "ma")
    # A legend only when there is more than one line to tell apart.
    if len(chart.series) > 1:
        x = right
        for index in reversed(range(len(chart.series))):
            name = chart.series[index].name
            colour = _COLOURS[index % len(_COLOURS)]
            _text(image, (x, 2), name, colour, "ra")
            x -= _label(name, "ra")[0].width + 16
            draw.rectangle((x + 2, 5, x + 11, 14), fill=colour)
            x -= 14
    return _png(image)


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
