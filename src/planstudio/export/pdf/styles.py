"""Page geometry, colours and the text styles of one build (fonts, sizes, leading)."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import cached_property

from reportlab.lib.pagesizes import landscape, letter

from planstudio.export.pdf.fonts import (
    ASCENT,
    BOLD_CHAIN,
    OBLIQUE_CHAIN,
    REGULAR_CHAIN,
    SANS_BOLD,
    Face,
    load_face,
    sticks,
)

Progress = Callable[[float], None]

# A printed line: segments of text, each at an x offset from the left of its box.  Almost
# every line is one segment at 0; a tab starts a new segment at its tab stop.
Segment = tuple[float, str]
Line = tuple[Segment, ...]
RGB = tuple[float, float, float]

# ------------------------------------------------------------------------------ page geometry

PORTRAIT = letter
LANDSCAPE = landscape(letter)
MARGIN_X = 54.0  # 0.75 in
MARGIN_TOP = 66.0  # room for the running header
MARGIN_BOTTOM = 54.0  # room for the footer
HEADER_DROP = 34.0  # header baseline below the top edge
FOOTER_RISE = 28.0  # footer baseline above the bottom edge
TAB_STOP = 36.0  # 0.5 in, as in Word
CELL_PAD_X = 4.0
CELL_PAD_Y = 3.0

BLACK: RGB = (0.0, 0.0, 0.0)
INK: RGB = (0.11, 0.20, 0.36)  # headings and titles
GREY: RGB = (0.35, 0.35, 0.35)
RULE: RGB = (0.55, 0.55, 0.55)
HEADER_FILL: RGB = (0.87, 0.90, 0.94)
LABEL_FILL: RGB = (0.95, 0.95, 0.95)
DRAFT_RED: RGB = (0.72, 0.12, 0.12)


# ------------------------------------------------------------------------------------- styles


class _Widths(dict[str, float]):
    """Word → width at one style; a district plan repeats most of its words many times."""

    def __init__(self, style: Style) -> None:
        super().__init__()
        # Weak: a style and its widths referring to each other would be a cycle, which only
        # the cycle collector frees (in one pass over every word measured).
        self._style = weakref.ref(style)

    def __missing__(self, word: str) -> float:
        style = self._style()
        assert style is not None  # the style holds this table
        width = self[word] = style.measure(word)
        return width


class Style:
    def __init__(
        self, chain: tuple[str, ...], size: float, leading: float, colour: RGB = BLACK
    ) -> None:
        self.chain = chain
        self.size = size
        self.leading = leading
        self.colour = colour
        self.widths = _Widths(self)
        # From the top of a line box to the baseline: the em box centred in the leading.
        self.drop = (leading - size) / 2 + ASCENT * size

    # A font is parsed only when a style that uses it is used (the oblique one rarely is).
    @cached_property
    def primary(self) -> Face:
        return load_face(self.chain[0])

    @cached_property
    def space(self) -> float:
        return self.primary.width(" ", self.size)

    def measure(self, text: str) -> float:
        if self.primary.chars.issuperset(text):
            return self.primary.width(text, self.size)
        return sum(face.width(run, self.size) for face, run in self.runs(text))

    def runs(self, text: str) -> list[tuple[Face, str]]:
        """`text` cut into pieces each drawn with one font of the chain (text is printable)."""
        out: list[tuple[Face, str]] = []
        current: Face | None = None
        start = 0
        for index, char in enumerate(text):
            if current is not None and char in current.chars and sticks(char):
                continue
            face = self._face_for(char)
            if face is not current:
                if current is not None and index > start:
                    out.append((current, text[start:index]))
                current = face
                start = index
        if current is not None:
            out.append((current, text[start:]))
        return out

    def _face_for(self, char: str) -> Face:
        for name in self.chain:
            face = load_face(name)
            if char in face.chars:
                return face
        return self.primary  # unreachable for printable text; the face draws .notdef


class Styles:
    """Every style of one build (each keeps its own word-width cache)."""

    def __init__(self) -> None:
        self.body = Style(REGULAR_CHAIN, 10, 13.5)
        self.label = Style(BOLD_CHAIN, 10, 13.5)
        self.note = Style(OBLIQUE_CHAIN, 9, 12, GREY)
        self.cell = Style(REGULAR_CHAIN, 9, 11.5)
        self.cell_bold = Style(BOLD_CHAIN, 9, 11.5)
        self.headings = {
            1: Style(BOLD_CHAIN, 15, 19, INK),
            2: Style(BOLD_CHAIN, 12.5, 16, INK),
            3: Style(BOLD_CHAIN, 11, 14, INK),
        }
        self.contents = Style(REGULAR_CHAIN, 10, 15)
        self.contents_top = Style(BOLD_CHAIN, 10, 15)
        self.cover_title = Style(BOLD_CHAIN, 26, 32, INK)
        self.cover_line = Style(REGULAR_CHAIN, 14, 19)
        self.cover_status = Style(BOLD_CHAIN, 14, 19, DRAFT_RED)
        self.cover_small = Style(REGULAR_CHAIN, 10.5, 14, GREY)
        self.running = Style(REGULAR_CHAIN, 8, 10, GREY)
        self.draft_tag = Style(BOLD_CHAIN, 8, 10, DRAFT_RED)
        self.watermark = Style((SANS_BOLD,), 110, 120)
        self.chart = Style(REGULAR_CHAIN, 7, 8.5, GREY)
        self.chart_title = Style(BOLD_CHAIN, 9, 11)
        self.chart_legend = Style(REGULAR_CHAIN, 7.5, 10)

    def heading(self, level: int) -> Style:
        return self.headings[min(max(level, 1), 3)]
