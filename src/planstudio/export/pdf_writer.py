"""The PDF writer: renders a format-neutral `Document` with reportlab's platypus.

Why custom flowables instead of platypus ``Paragraph`` and ``Table``: a district plan is a
few thousand table cells of prose, and the stock classes parse a markup language for every
cell, measure every word anew and can neither split a single table row nor keep a label with
the first line of its value.  The flowables here wrap plain text themselves (word widths
cached per build, line breaks found by bisection over running sums), split tables between
lines of a row (the label repeated on the continuation), and write PDF text operators
directly with their own subset encoder.  Platypus still does the pagination: frames, page
templates for portrait and landscape, page breaks.

Text is printed exactly as typed.  Nothing is parsed as markup, so ``<``, ``&`` and quotes
need no escaping beyond the PDF string escapes; tabs become a gap up to the next tab stop
(with a space kept in the text so that copying or extracting the text still separates the
words); line breaks break lines.  Every character is drawn with the first font of its style's
chain that has it (DejaVu Sans, then Noto Emoji); a character no shipped font has prints as
U+FFFD, and invisible format characters no font has (an unusual variation selector) are
skipped because they have nothing to show.

"Page n of N" and the printed contents' page numbers need the page count and the headings'
pages, which are known only once everything is laid out.  Instead of laying out twice
(reportlab's multiBuild), `_PlanCanvas` keeps each finished page open until the end, then
draws the header, footer, DRAFT mark, bookmarks and contents page numbers onto every page
and writes them all.
"""

from __future__ import annotations

import copy
import math
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import cache, cached_property
from itertools import accumulate
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate
from reportlab.platypus.flowables import PageBreakIfNotEmpty, Spacer

from planstudio.export.document import (
    CHECKED,
    UNCHECKED,
    CellLine,
    Chart,
    ChartSeries,
    Checkbox,
    Contents,
    Document,
    Grid,
    Heading,
    LabelValueTable,
    Orient,
    PageBreak,
    Paragraph,
    clean_text,
)
from planstudio.model.loading import collection_paused
from planstudio.paths import resources_dir

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
SERIES_COLOURS: tuple[RGB, ...] = (
    (0.12, 0.32, 0.62),
    (0.85, 0.42, 0.08),
    (0.20, 0.55, 0.30),
    (0.55, 0.30, 0.60),
)

# -------------------------------------------------------------------------------------- fonts

SANS = "PlanStudio-Sans"
SANS_BOLD = "PlanStudio-Sans-Bold"
SANS_OBLIQUE = "PlanStudio-Sans-Oblique"
EMOJI = "PlanStudio-Emoji"
_FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_OBLIQUE: "DejaVuSans-Oblique.ttf",
    EMOJI: "NotoEmoji-Regular.ttf",
}
# Fallback chains: a style's own face first, then faces that have what it lacks.  Every chain
# contains SANS and EMOJI, so "some shipped font has it" means "SANS or EMOJI has it".
REGULAR_CHAIN = (SANS, EMOJI)
BOLD_CHAIN = (SANS_BOLD, SANS, EMOJI)
OBLIQUE_CHAIN = (SANS_OBLIQUE, SANS, EMOJI)

REPLACEMENT = "\ufffd"
ASCENT = 0.76  # DejaVu Sans ascent, in em


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


class _CharWidths(dict[str, float]):
    """Advance widths in 1/1000 em by character; characters the face lacks get its default."""

    def __init__(self, widths: dict[str, float], default: float) -> None:
        super().__init__(widths)
        self.default = default

    def __missing__(self, char: str) -> float:
        return self.default


class _Face:
    """One shipped TrueType font: reportlab's object, the characters it has, their widths."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.font = TTFont(name, str(fonts_dir() / _FONT_FILES[name]))
        # Registered so that reportlab's own drawing calls could use it too; glyphs are
        # embedded as subsets of the characters actually drawn.
        pdfmetrics.registerFont(self.font)
        face = self.font.face
        self.chars: frozenset[str] = frozenset(
            chr(code) for code, glyph in face.charToGlyph.items() if glyph
        )
        self.char_widths = _CharWidths(
            {chr(code): width for code, width in face.charWidths.items()}, face.defaultWidth
        )

    def width(self, text: str, size: float) -> float:
        # map() over a dict's __getitem__ keeps the per-character loop in C.
        return sum(map(self.char_widths.__getitem__, text)) * size * 0.001


@cache
def _face(name: str) -> _Face:
    """Each font is parsed once per process (~20 ms each); the emoji font only when needed."""
    _fix_to_unicode()
    return _Face(name)


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap for a font subset, with characters beyond U+FFFF (emoji)
    written as UTF-16 surrogate pairs as the PDF format requires; reportlab writes their
    bare code point, which readers reject, so copied or extracted text lost every emoji."""
    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(cmap)


@cache
def _fix_to_unicode() -> None:
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


# Layout treats tab and newline itself; every other character must be in some font.
_LAYOUT_CHARS = frozenset("\t\n")


@cache
def _sans_known() -> frozenset[str]:
    return _face(SANS).chars | _LAYOUT_CHARS


def _printable(text: str) -> str:
    """`text` with every character no shipped font has replaced by U+FFFD.

    Control and format characters that no font has are dropped instead: they have no
    appearance to stand in for (the C0 controls are already gone, see `clean_text`).
    """
    if _sans_known().issuperset(text):
        return text
    known = _sans_known()
    emoji = _face(EMOJI).chars
    out = []
    for char in text:
        if char in known or char in emoji:
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf") or _is_variation_selector(char):
            continue
        else:
            out.append(REPLACEMENT)
    return "".join(out)


def _is_variation_selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _sticks(char: str) -> bool:
    """Joiners, selectors and combining marks stay in the font of the character they modify."""
    return unicodedata.category(char) in ("Mn", "Me", "Cf") or _is_variation_selector(char)


# ------------------------------------------------------------------------------------- styles


class _Widths(dict[str, float]):
    """Word → width at one style; a district plan repeats most of its words many times."""

    def __init__(self, style: _Style) -> None:
        super().__init__()
        self.style = style

    def __missing__(self, word: str) -> float:
        width = self[word] = self.style.measure(word)
        return width


class _Style:
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
    def primary(self) -> _Face:
        return _face(self.chain[0])

    @cached_property
    def space(self) -> float:
        return self.primary.width(" ", self.size)

    def measure(self, text: str) -> float:
        if self.primary.chars.issuperset(text):
            return self.primary.width(text, self.size)
        return sum(face.width(run, self.size) for face, run in self.runs(text))

    def runs(self, text: str) -> list[tuple[_Face, str]]:
        """`text` cut into pieces each drawn with one font of the chain (text is printable)."""
        out: list[tuple[_Face, str]] = []
        current: _Face | None = None
        start = 0
        for index, char in enumerate(text):
            if current is not None and char in current.chars and _sticks(char):
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

    def _face_for(self, char: str) -> _Face:
        for name in self.chain:
            face = _face(name)
            if char in face.chars:
                return face
        return self.primary  # unreachable for printable text; the face draws .notdef


class _Styles:
    """Every style of one build (each keeps its own word-width cache)."""

    def __init__(self) -> None:
        self.body = _Style(REGULAR_CHAIN, 10, 13.5)
        self.label = _Style(BOLD_CHAIN, 10, 13.5)
        self.note = _Style(OBLIQUE_CHAIN, 9, 12, GREY)
        self.cell = _Style(REGULAR_CHAIN, 9, 11.5)
        self.cell_bold = _Style(BOLD_CHAIN, 9, 11.5)
        self.headings = {
            1: _Style(BOLD_CHAIN, 15, 19, INK),
            2: _Style(BOLD_CHAIN, 12.5, 16, INK),
            3: _Style(BOLD_CHAIN, 11, 14, INK),
        }
        self.contents = _Style(REGULAR_CHAIN, 10, 15)
        self.contents_top = _Style(BOLD_CHAIN, 10, 15)
        self.cover_title = _Style(BOLD_CHAIN, 26, 32, INK)
        self.cover_line = _Style(REGULAR_CHAIN, 14, 19)
        self.cover_status = _Style(BOLD_CHAIN, 14, 19, DRAFT_RED)
        self.cover_small = _Style(REGULAR_CHAIN, 10.5, 14, GREY)
        self.running = _Style(REGULAR_CHAIN, 8, 10, GREY)
        self.draft_tag = _Style(BOLD_CHAIN, 8, 10, DRAFT_RED)
        self.watermark = _Style((SANS_BOLD,), 110, 120)
        self.chart = _Style(REGULAR_CHAIN, 7, 8.5, GREY)
        self.chart_title = _Style(BOLD_CHAIN, 9, 11)
        self.chart_legend = _Style(REGULAR_CHAIN, 7.5, 10)

    def heading(self, level: int) -> _Style:
        return self.headings[min(max(level, 1), 3)]


# ----------------------------------------------------------------------------------- wrapping


def _wrap(text: str, style: _Style, width: float) -> list[Line]:
    """Break printable `text` into lines no wider than `width`: at spaces, at every line
    break, and inside a word only when the word alone is wider than the line."""
    width = max(width, 1.0)
    lines: list[Line] = []
    for para in text.split("\n"):
        if "\t" in para:
            lines.extend(_wrap_general(para, style, width))
        else:
            lines.extend(_wrap_plain(para, style, width))
    return lines


def _wrap_plain(para: str, style: _Style, width: float) -> list[Line]:
    if not para:
        return [()]
    widths = style.widths
    if len(para) <= 120 and widths[para] <= width:
        return [((0.0, para),)]
    words = para.split(" ")
    word_widths = list(map(widths.__getitem__, words))
    if max(word_widths) > width:
        return _wrap_general(para, style, width)
    # cum[i] is the width of words[:i], each followed by a space; the words s..e-1 fit on a
    # line when cum[e] - cum[s] - space <= width, so the line end is one bisection away.
    space = style.space
    cum = list(accumulate(map(space.__add__, word_widths), initial=0.0))
    lines: list[Line] = []
    start, count = 0, len(words)
    while start < count:
        end = bisect_right(cum, cum[start] + width + space + 1e-6, start + 1) - 1
        lines.append(((0.0, " ".join(words[start:end])),))
        start = end
    return lines


def _wrap_general(para: str, style: _Style, width: float) -> list[Line]:
    """The slow path: tabs (gaps to the next tab stop) and words wider than the line."""
    widths = style.widths
    space = style.space
    lines: list[Line] = []
    segments: list[Segment] = []
    words: list[str] = []
    seg_x = x = 0.0

    def flush_segment() -> None:
        if words:
            segments.append((seg_x, " ".join(words)))
            words.clear()

    def new_line() -> None:
        nonlocal seg_x, x
        flush_segment()
        lines.append(tuple(segments))
        segments.clear()
        seg_x = x = 0.0

    parts = para.split("\t")
    for part_index, part in enumerate(parts):
        for word in part.split(" "):
            word_width = widths[word]
            gap = space if words else 0.0
            if x + gap + word_width > width + 1e-6 and (words or segments or x > 0):
                new_line()
                gap = 0.0
            if word_width > width:
                pieces = _break_word(word, style, width)
                for piece in pieces[:-1]:
                    words.append(piece)
                    new_line()
                word = pieces[-1]
                word_width = widths[word]
            words.append(word)
            x += gap + word_width
        if part_index < len(parts) - 1:
            # A space stays where the tab was, so extracted text keeps the words apart.
            words.append("")
            flush_segment()
            stop = (math.floor(x / TAB_STOP + 1e-9) + 1) * TAB_STOP
            if stop >= width:
                new_line()
            else:
                seg_x = x = stop
    flush_segment()
    lines.append(tuple(segments))
    return lines


def _break_word(word: str, style: _Style, width: float) -> list[str]:
    pieces: list[str] = []
    start = 0
    x = 0.0
    for index, char in enumerate(word):
        char_width = style.measure(char)
        if x + char_width > width and index > start:
            pieces.append(word[start:index])
            start = index
            x = 0.0
        x += char_width
    pieces.append(word[start:])
    return pieces


def _shift(line: Line, dx: float) -> Line:
    return tuple((x + dx, text) for x, text in line)


class _WrapCache:
    """Wrapped lines by (style, width, cell line): labels and headers repeat hundreds of times.

    Prose is unique, so caching it would only keep every wrapped line of a long plan alive.
    """

    LONGEST = 160

    def __init__(self) -> None:
        self._lines: dict[tuple[int, float, CellLine], list[Line]] = {}

    def lines(self, items: Sequence[CellLine | None], style: _Style, width: float) -> list[Line]:
        out: list[Line] = []
        for item in items:
            if item is None:
                continue
            if isinstance(item, str) and len(item) > self.LONGEST:
                out.extend(_wrap_item(item, style, width))
                continue
            key = (id(style), width, item)
            lines = self._lines.get(key)
            if lines is None:
                lines = self._lines[key] = _wrap_item(item, style, width)
            out.extend(lines)
        return out


def _wrap_item(item: CellLine, style: _Style, width: float) -> list[Line]:
    if isinstance(item, Checkbox):
        box = (CHECKED if item.checked else UNCHECKED) + " "
        indent = style.widths[box]
        inner = _wrap(_printable(clean_text(item.text)), style, width - indent)
        first = inner[0]
        if not first:
            head: Line = ((0.0, box),)
        elif len(first) == 1 and first[0][0] == 0.0:
            # One segment, so that "☒ text" reads as one string in the PDF's text.
            head = ((0.0, box + first[0][1]),)
        else:
            head = ((0.0, box), *_shift(first, indent))
        return [head, *(_shift(line, indent) for line in inner[1:])]
    return _wrap(_printable(clean_text(str(item))), style, width)


# ------------------------------------------------------------------------------- text output

# The PDF literal-string escape of every byte (as reportlab's escapePDF, without its per-byte
# Python loop): printable ASCII as itself, ( ) \ with a backslash, the rest in octal.
_BYTE_ESCAPES: dict[int, str] = {
    byte: (
        "\\" + chr(byte)
        if chr(byte) in "()\\"
        else chr(byte)
        if 32 <= byte < 127
        else f"\\{byte:03o}"
    )
    for byte in range(256)
}


class _Encoder:
    """Text → PDF string operands for one font in one document.

    reportlab's TTFont.splitString assigns each new character a code in a 256-glyph subset,
    one character at a time in Python.  Once every character of a string has a code in
    subset 0 (the usual case after the first page), one str.translate gives the escaped
    operand directly.
    """

    def __init__(self, face: _Face, doc: Any) -> None:
        self.font = face.font
        self.doc = doc
        self.table: dict[int, str] = {}
        self.known: set[str] = set()
        self.known_or_newline: set[str] = {"\n"}
        self.name0 = ""

    def strings(self, text: str) -> list[tuple[str, str]]:
        """(PDF font name, escaped string operand) pairs that show `text`."""
        if self.known.issuperset(text):
            return [(self.name0, text.translate(self.table))]
        parts = self.font.splitString(text, self.doc)
        self._learn()
        return [
            (
                self.font.getSubsetInternalName(subset, self.doc),
                data.decode("latin-1").translate(_BYTE_ESCAPES),
            )
            for subset, data in parts
        ]

    def _learn(self) -> None:
        state = self.font.state[self.doc]
        for code, number in state.assignments.items():
            if number < 256 and chr(code) not in self.known:
                self.table[code] = _BYTE_ESCAPES[number]
                self.known.add(chr(code))
                self.known_or_newline.add(chr(code))
        self.name0 = self.font.getSubsetInternalName(0, self.doc)


class _Emitter:
    """Writes text as PDF operators; one per build, bound to the canvas's document."""

    def __init__(self) -> None:
        self._doc: Any = None
        self._encoders: dict[str, _Encoder] = {}

    def bind(self, canvas: Canvas) -> None:
        if canvas._doc is not self._doc:
            self._doc = canvas._doc
            self._encoders = {}

    def _encoder(self, face: _Face) -> _Encoder:
        encoder = self._encoders.get(face.name)
        if encoder is None:
            encoder = self._encoders[face.name] = _Encoder(face, self._doc)
        return encoder

    def strings(self, text: str, style: _Style) -> list[tuple[str, str]]:
        """(font, operand) pairs for printable `text`."""
        primary = style.primary
        if primary.chars.issuperset(text):
            return self._encoder(primary).strings(text)
        # Each run advances the text position by its own glyphs' widths, so runs in other
        # fonts need no repositioning.
        out: list[tuple[str, str]] = []
        for face, run in style.runs(text):
            out.extend(self._encoder(face).strings(run))
        return out

    def show(self, text: str, style: _Style) -> str:
        """Text-showing operators (font and string) for printable `text`."""
        size = style.size
        return " ".join(
            f"{name} {size:g} Tf ({operand}) Tj" for name, operand in self.strings(text, style)
        )

    def line(self, x: float, y: float, text: str, style: _Style) -> str:
        return f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm {self.show(text, style)} ET"

    def lines(
        self, ops: list[str], x: float, top: float, lines: Sequence[Line], style: _Style
    ) -> None:
        """Append one text object showing `lines` stacked from `top` down, left edge at `x`.

        Lines follow each other with T* (next line, by the leading) and the font is set only
        when it changes: a page of prose is mostly its own words, not operators.
        """
        if not lines:
            return
        size = style.size
        leading = style.leading
        y = top - style.drop
        encoder = self._encoder(style.primary)
        if all(len(line) <= 1 and (not line or line[0][0] == 0.0) for line in lines):
            # The usual block: plain lines, every character already has a code in the first
            # subset of the style's own font.  One translate for the whole block.
            joined = "\n".join([line[0][1] if line else "" for line in lines])
            if encoder.known_or_newline.issuperset(joined):
                shows = " T* ".join(
                    [
                        f"({op}) Tj" if op else ""
                        for op in joined.translate(encoder.table).split("\n")
                    ]
                )
                ops.append(
                    f"BT {leading:g} TL {encoder.name0} {size:g} Tf "
                    f"1 0 0 1 {x:.2f} {y:.2f} Tm {shows} ET"
                )
                return
        out = [f"BT {leading:g} TL 1 0 0 1 {x:.2f} {y:.2f} Tm"]
        font = ""
        moved = False  # the line start was moved to a segment: the next line needs a Tm
        for index, line in enumerate(lines):
            if index:
                y -= leading
                if moved:
                    out.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
                    moved = False
                else:
                    out.append("T*")
            for position, (dx, text) in enumerate(line):
                if dx or position:
                    out.append(f"1 0 0 1 {x + dx:.2f} {y:.2f} Tm")
                    moved = True
                if not text:
                    continue
                for name, operand in self.strings(text, style):
                    if name != font:
                        out.append(f"{name} {size:g} Tf")
                        font = name
                    out.append(f"({operand}) Tj")
        out.append("ET")
        ops.append(" ".join(out))


def _fill(colour: RGB) -> str:
    return f"{colour[0]:g} {colour[1]:g} {colour[2]:g} rg"


def _stroke(colour: RGB) -> str:
    return f"{colour[0]:g} {colour[1]:g} {colour[2]:g} RG"


# --------------------------------------------------------------------------- build context


class _Build:
    """State shared by the flowables, the doc template and the canvas of one export."""

    def __init__(self, document: Document, progress: Progress | None) -> None:
        self.document = document
        self.styles = _Styles()
        self.emitter = _Emitter()
        self.wraps = _WrapCache()
        self.header_text = _printable(clean_text(document.header_text))
        self.cover_pages: set[int] = set()
        self.frame_height = PORTRAIT[1] - MARGIN_TOP - MARGIN_BOTTOM  # of the current page
        # Filled while laying out, used when the pages are finally written.
        self.heading_pages: dict[str, int] = {}
        self.bookmarks: dict[int, list[tuple[str, float, float]]] = {}
        # (page, placeholder, heading key, right edge, baseline, end of title), in local
        # coordinates of the entry.
        self.contents_numbers: list[tuple[int, str, str, float, float, float]] = []
        self._outline_level = -1
        self.total = 1  # top-level flowables, once they are made
        self._done = 0
        self._progress = progress
        self._reported = -1.0

    # Layout is about 85% of the time, writing the pages the rest.
    LAYOUT_SHARE = 0.85

    def advance(self, seq: int) -> None:
        if seq > self._done:
            self._done = seq
            self.report(self.LAYOUT_SHARE * seq / self.total)

    def report(self, fraction: float) -> None:
        # The window redraws its bar at most a few hundred times; exceptions propagate (that
        # is how the caller cancels).
        if self._progress is not None and (fraction - self._reported >= 0.005 or fraction >= 1):
            self._reported = fraction
            self._progress(min(fraction, 1.0))

    def outline_level(self, level: int) -> int:
        """The outline may deepen by one level at a time; a 1 → 3 jump would be refused."""
        level = max(0, min(level - 1, self._outline_level + 1))
        self._outline_level = level
        return level


def _context(canvas: Canvas) -> _Build:
    build: _Build = canvas.ps  # type: ignore[attr-defined]
    build.emitter.bind(canvas)
    return build


# ---------------------------------------------------------------------------------- flowables


class _Flow(Flowable):
    """A Plan Studio flowable: knows its place in the block list (for progress)."""

    seq = 0

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        # reportlab's drawOn goes through canvas.translate, which formats its numbers with a
        # slow pure-Python fp_str and tracks the matrix; a plain cm does, and the absolute
        # origin (for bookmarks and links) is kept here.
        ox, oy = canvas._ps_origin  # type: ignore[attr-defined]
        canvas._ps_origin = (ox + x, oy + y)  # type: ignore[attr-defined]
        canvas._code.append(f"q 1 0 0 1 {x:.2f} {y:.2f} cm")
        self.canv = canvas
        try:
            self.draw()
        finally:
            canvas._code.append("Q")
            canvas._ps_origin = (ox, oy)  # type: ignore[attr-defined]
            del self.canv

    def _absolute(self, x: float, y: float) -> tuple[float, float]:
        ox, oy = self.canv._ps_origin  # type: ignore[attr-defined]
        return ox + x, oy + y

    def _at_top(self) -> bool:
        frame = getattr(self, "_frame", None)
        return bool(frame is not None and frame._atTop)

    def _clone(self) -> Any:
        part = copy.copy(self)
        # Platypus marks a flowable it had to carry over to the next frame (_postponed) and
        # raises if it cannot place it there; a split-off part is a new flowable.
        for attr in ("_postponed", "_frame", "canv"):
            part.__dict__.pop(attr, None)
        return part


class _TextBlock(_Flow):
    """Paragraph-like text: lines wrapped to the frame, split between lines."""

    def __init__(
        self,
        build: _Build,
        items: Sequence[CellLine],
        style: _Style,
        space_before: float = 0.0,
        indent: float = 0.0,
    ) -> None:
        super().__init__()
        self.build = build
        self.items = items
        self.style = style
        self.spaceBefore = space_before
        self.indent = indent
        self._width = -1.0
        self._lines: list[Line] = []

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        if aW != self._width and self.items is not None:
            self._lines = self.build.wraps.lines(self.items, self.style, aW - self.indent)
            self._width = aW
        self.width = aW
        self.height = len(self._lines) * self.style.leading
        return aW, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        self.wrap(aW, aH)
        lines = self._lines
        room = int((aH + 1e-6) // self.style.leading)
        # Short text moves whole; long text leaves at least two lines on either side.
        fit = min(room, len(lines) - 2) if len(lines) >= 4 else 0
        if fit < 2:
            if not self._at_top() or len(lines) < 2:
                return []
            fit = max(1, min(len(lines) - 1, room))
        return [self._part(lines[:fit], True), self._part(lines[fit:], False)]

    def _part(self, lines: list[Line], first: bool) -> _TextBlock:
        part = self._clone()
        part._lines = lines
        part.items = None  # a part is never wrapped again: its width is the frame's
        if not first:
            part.spaceBefore = 0.0
        return part

    def draw(self) -> None:
        build = _context(self.canv)
        ops = [_fill(self.style.colour)]
        build.emitter.lines(ops, self.indent, self.height, self._lines, self.style)
        self.canv._code.append("\n".join(ops))


class _HeadingBlock(_TextBlock):
    """A heading: also a bookmark, an outline entry and a page number for the contents."""

    def __init__(self, build: _Build, text: str, level: int, key: str, space: float) -> None:
        super().__init__(build, (text,), build.styles.heading(level), space)
        self.title = " ".join(_printable(clean_text(text)).split()) or " "
        self.level = level
        self.key: str | None = key

    def _part(self, lines: list[Line], first: bool) -> _TextBlock:
        part = super()._part(lines, first)
        if not first:
            part.key = None  # type: ignore[attr-defined]
        return part

    def draw(self) -> None:
        super().draw()
        if self.key is None:
            return
        canvas = self.canv
        build = _context(canvas)
        page = canvas.getPageNumber()
        left, top = self._absolute(0, self.height)
        # The destination is bound when the page is written (see _PlanCanvas.save).
        build.bookmarks.setdefault(page, []).append((self.key, left, top))
        canvas.addOutlineEntry(self.title, self.key, build.outline_level(self.level), False)
        build.heading_pages[self.key] = page


class _ContentsEntry(_TextBlock):
    """One line of the printed contents.

    Its page number is known only when every page is laid out, so the entry leaves a
    placeholder line in the page's operators, which the canvas replaces with the number (and
    the dot leader) before writing the page: the number then sits right after the title in
    the content stream too, and copied or extracted text reads "title 12".
    """

    NUMBER_ROOM = 44.0

    def __init__(self, build: _Build, text: str, level: int, key: str) -> None:
        styles = build.styles
        style = styles.contents_top if level <= 1 else styles.contents
        super().__init__(build, (text,), style, 0.0, 16.0 * (min(max(level, 1), 3) - 1))
        self.key = key

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        if aW != self._width and self.items is not None:
            width = aW - self.indent - self.NUMBER_ROOM
            self._lines = self.build.wraps.lines(self.items, self.style, width)
            self._width = aW
        self.width = aW
        self.height = max(len(self._lines), 1) * self.style.leading
        return aW, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        super().draw()
        canvas = self.canv
        build = _context(canvas)
        style = self.style
        last = self._lines[-1] if self._lines else ()
        end = self.indent + max((x + style.widths[t] for x, t in last), default=0.0)
        # The number goes on the baseline of the entry's last line.
        baseline = self.height - style.drop - (max(len(self._lines), 1) - 1) * style.leading
        placeholder = f"%planstudio-contents-{len(build.contents_numbers)}%"
        canvas._code.append(placeholder)
        build.contents_numbers.append(
            (canvas.getPageNumber(), placeholder, self.key, self.width, baseline, end)
        )
        left, bottom = self._absolute(0, 0)
        area = (left, bottom, left + self.width, bottom + self.height)
        canvas.linkRect("", self.key, area, relative=0, thickness=0)


class _KeepWithNext(_Flow):
    """Headings held together with the start of what follows them.

    Platypus's own keepWithNext wraps the group in a KeepTogether, which moves a whole long
    table to the next page; here only the headings and the first piece of the last flowable
    (the first lines of a table, say) must share a page.
    """

    def __init__(self, children: list[_Flow]) -> None:
        super().__init__()
        self.children = children
        self.seq = children[-1].seq
        self._heights: list[float] = []

    def getSpaceBefore(self) -> float:
        return self.children[0].getSpaceBefore()

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        self._heights = [child.wrap(aW, aH)[1] for child in self.children]
        gaps = sum(child.getSpaceBefore() for child in self.children[1:])
        self.height = sum(self._heights) + gaps
        return aW, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        self.wrap(aW, aH)
        *lead, last = self.children
        lead_height = sum(self._heights[:-1]) + sum(c.getSpaceBefore() for c in self.children[1:])
        if lead_height < aH:
            parts = last.split(aW, aH - lead_height)
            if parts:
                return [*lead, *parts]
        if not self._at_top():
            return []
        # Cannot be kept together on any page: let each go on its own.  Platypus needs the
        # first piece returned to fit, so a first child taller than the page is split here.
        first = self.children[0]
        if self._heights[0] <= aH:
            return list(self.children)
        first._frame = self._frame  # type: ignore[attr-defined]
        try:
            parts = first.split(aW, aH)
        finally:
            first.__dict__.pop("_frame", None)
        return [*parts, *self.children[1:]] if parts else []

    def draw(self) -> None:
        y = self.height
        for index, (child, height) in enumerate(zip(self.children, self._heights, strict=True)):
            if index:
                y -= child.getSpaceBefore()
            y -= height
            child.drawOn(self.canv, 0, y)


class _Row:
    """One table row: the wrapped lines of each cell."""

    __slots__ = ("cells", "height", "lines")

    def __init__(self, cells: list[list[Line]], leading: float) -> None:
        self.cells = cells
        self.lines = max(1, max(map(len, cells), default=1))
        self.height = self.lines * leading + 2 * CELL_PAD_Y


class _Table(_Flow):
    """A LabelValueTable (`label_column`) or a Grid (with a header row), split between rows
    or, for a row taller than what is left of the page, between the lines of a row."""

    def __init__(
        self,
        build: _Build,
        fractions: Sequence[float],
        header: Sequence[str] | None,
        rows: Sequence[Sequence[Sequence[CellLine]]],
        label_column: bool,
    ) -> None:
        super().__init__()
        self.build = build
        self.fractions = list(fractions)
        self.header_raw = header
        self.rows_raw: Sequence[Sequence[Sequence[CellLine]]] | None = rows
        self.label_column = label_column
        self.spaceBefore = 6.0
        styles = build.styles
        self.style = styles.cell
        self.styles = [
            styles.cell_bold if label_column and i == 0 else styles.cell
            for i in range(len(fractions))
        ]
        self._width = -1.0
        self._header: _Row | None = None
        self._rows: list[_Row] = []
        self.columns: list[float] = []

    def _layout(self, aW: float) -> None:
        self.columns = [aW * f for f in self.fractions]
        inner = [max(w - 2 * CELL_PAD_X, 1.0) for w in self.columns]
        wraps = self.build.wraps
        leading = self.style.leading
        bold = self.build.styles.cell_bold
        if self.header_raw is not None:
            self._header = _Row(
                [
                    wraps.lines((text,), bold, width)
                    for text, width in zip(self.header_raw, inner, strict=True)
                ],
                leading,
            )
        rows = self.rows_raw or ()
        styles = self.styles
        self._rows = [
            _Row(
                [
                    wraps.lines(cell, style, width)
                    for cell, style, width in zip(row, styles, inner, strict=True)
                ],
                leading,
            )
            for row in rows
        ]

    def _relayout(self, aW: float) -> None:
        # Only a part produced by split() lands here, and only if the frame width changed
        # under it; rebuild its cells from the lines it holds.
        self.rows_raw = [
            [tuple(" ".join(t for _, t in line) for line in cell) for cell in row.cells]
            for row in self._rows
        ]
        self._layout(aW)
        self.rows_raw = None

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        if aW != self._width:
            if self.rows_raw is None and self._width > 0:
                self._relayout(aW)
            else:
                self._layout(aW)
            self._width = aW
        header = self._header.height if self._header else 0.0
        self.height = header + sum(row.height for row in self._rows)
        return aW, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        self.wrap(aW, aH)
        header = self._header
        if header is not None and header.height + self.style.leading * 3 > aH and self._at_top():
            # A header row that leaves no room for rows even on a fresh page cannot repeat
            # on every page: it becomes an ordinary first row.
            self._rows = [header, *self._rows]
            self._header = None
        rows = self._rows
        avail = aH - (self._header.height if self._header else 0.0)
        used = 0.0
        index = 0
        while index < len(rows) and used + rows[index].height <= avail + 1e-6:
            used += rows[index].height
            index += 1
        if index >= len(rows):
            return [self]
        room_lines = int((avail - used - 2 * CELL_PAD_Y + 1e-6) // self.style.leading)
        forced = index == 0 and self._at_top()
        cut = self._cut(rows[index], room_lines, forced)
        if cut > 0:
            head, tail = self._split_row(rows[index], cut)
            first, rest = [*rows[:index], head], [tail, *rows[index + 1 :]]
        elif index > 0:
            first, rest = rows[:index], rows[index:]
        else:
            return []  # not even the first lines fit: the table starts on the next page
        return [self._part(first, True), self._part(rest, False)]

    def _cut(self, row: _Row, room: int, forced: bool) -> int:
        """How many lines of `row` go before the page break (0: the row moves whole).

        A row of fewer than four lines moves whole; a longer one leaves at least two lines
        on either side of the break, and in a label/value table the whole label stays with
        the first lines of its value (the label is repeated beside the rest).  A grid row,
        read across, moves whole to the next page when it fits there; only one taller than
        a page is split.
        """
        if not self.label_column and not forced:
            header = self._header.height if self._header else 0.0
            if header + row.height <= self.build.frame_height + 1e-6:
                return 0
        lines = len(row.cells[-1]) if self.label_column else row.lines
        need = max(len(row.cells[0]), 2) if self.label_column else 2
        cut = min(room, lines - 2)
        if lines >= 4 and cut >= need:
            return cut
        if forced:  # taller than a page even on its own: split wherever the page ends
            return max(1, min(room, row.lines - 1))
        return 0

    def _split_row(self, row: _Row, cut: int) -> tuple[_Row, _Row]:
        leading = self.style.leading
        head = _Row([cell[:cut] for cell in row.cells], leading)
        tail_cells = [cell[cut:] for cell in row.cells]
        if self.label_column and len(row.cells[0]) <= cut:
            tail_cells[0] = row.cells[0]  # the label again, beside the rest of its value
        return head, _Row(tail_cells, leading)

    def _part(self, rows: list[_Row], first: bool) -> _Table:
        part = self._clone()
        part._rows = rows
        part.rows_raw = None
        if not first:
            part.spaceBefore = 0.0
        part.height = (part._header.height if part._header else 0.0) + sum(r.height for r in rows)
        return part

    def draw(self) -> None:
        if self._header is None and not self._rows:
            return
        build = _context(self.canv)
        emitter = build.emitter
        width = self._width
        columns = self.columns
        lefts = [0.0, *accumulate(columns)][:-1]
        ops: list[str] = []
        y = self.height
        rules = [y]
        if self._header is not None:
            h = self._header.height
            ops.append(f"{_fill(HEADER_FILL)} 0 {y - h:.2f} {width:.2f} {h:.2f} re f")
            ops.append(_fill(BLACK))
            bold = build.styles.cell_bold
            for left, lines in zip(lefts, self._header.cells, strict=True):
                emitter.lines(ops, left + CELL_PAD_X, y - CELL_PAD_Y, lines, bold)
            y -= h
            rules.append(y)
        if self.label_column and self._rows:
            ops.append(f"{_fill(LABEL_FILL)} 0 0 {columns[0]:.2f} {y:.2f} re f")
        ops.append(_fill(BLACK))
        styles = self.styles
        for row in self._rows:
            top = y - CELL_PAD_Y
            for left, lines, style in zip(lefts, row.cells, styles, strict=True):
                if lines:
                    emitter.lines(ops, left + CELL_PAD_X, top, lines, style)
            y -= row.height
            rules.append(y)
        grid = [f"{_stroke(RULE)} 0.5 w"]
        grid.extend(f"0 {r:.2f} m {width:.2f} {r:.2f} l" for r in rules)
        for x in [*lefts, width]:
            grid.append(f"{x:.2f} 0 m {x:.2f} {self.height:.2f} l")
        grid.append("S")
        ops.extend(grid)
        self.canv._code.append("\n".join(ops))


class _ChartBlock(_Flow):
    """A line chart drawn with PDF path operators: one line per series over the years.

    The title and the series names print in full, however long; a chart that is taller than
    a page only through them gives them up to text blocks of their own.
    """

    PLOT_HEIGHT = 150.0  # the plot with its value and year labels
    MAX_WIDTH = 432.0  # 6 in
    LEGEND_INDENT = 24.0

    def __init__(self, build: _Build, chart: Chart, titled: bool = True) -> None:
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
            title = _printable(clean_text(self.chart.title))
            self._title = _wrap(title, styles.chart_title, width) if self.titled else []
            self._names = (
                [
                    _wrap(_printable(clean_text(one.name)), styles.chart_legend, width - 50)
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
        title = _TextBlock(self.build, (self.chart.title,), styles.chart_title)
        plot = self._clone()
        plot.titled = plot.legend = False
        plot._width = -1.0
        names = [_TextBlock(self.build, (one.name,), styles.chart_legend) for one in self._series()]
        for flow in (title, plot, *names):
            flow.seq = self.seq
        return [*_fit_first(title, aW, aH, self._frame), plot, *names]  # type: ignore[attr-defined]

    def draw(self) -> None:
        build = _context(self.canv)
        ops = _chart_ops(build, self.chart, self.width, self.height, self._title, self._names)
        self.canv._code.append("\n".join(ops))


def _fit_first(flow: Flowable, aW: float, aH: float, frame: Any) -> list[Flowable]:
    """`flow`, split if it is taller than `aH` at the top of `frame`: platypus lays out the
    first flowable a split returns without trying to split it again."""
    if flow.wrap(aW, aH)[1] <= aH:
        return [flow]
    flow._frame = frame  # type: ignore[attr-defined]
    try:
        return flow.split(aW, aH) or [flow]
    finally:
        flow.__dict__.pop("_frame", None)


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
    build: _Build,
    chart: Chart,
    width: float,
    height: float,
    title: list[Line],
    names: list[list[Line]],
) -> list[str]:
    styles = build.styles
    emitter = build.emitter
    ops: list[str] = [_fill(BLACK)]
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

    ops.append(f"{_stroke((0.85, 0.85, 0.85))} 0.4 w")
    for tick, label in zip(ticks, labels, strict=True):
        y = y_of(tick)
        ops.append(f"{left:.2f} {y:.2f} m {right:.2f} {y:.2f} l S")
        text_x = left - 4 - styles.chart.widths[label]
        ops.append(_fill(styles.chart.colour))
        ops.append(emitter.line(text_x, y - 2.5, label, styles.chart))
    ops.append(f"{_stroke(GREY)} 0.7 w {left:.2f} {bottom:.2f} m {right:.2f} {bottom:.2f} l S")
    label_y = bottom - styles.chart.leading
    for year, x in x_of.items():
        text = _printable(clean_text(year))
        ops.append(emitter.line(x - styles.chart.widths[text] / 2, label_y, text, styles.chart))

    for index, one in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        points = [(x_of[year], y_of(v)) for year, v in one.points if math.isfinite(v)]
        dash = "[3 2] 0 d" if index % 2 else "[] 0 d"
        if len(points) > 1:
            path = " ".join(
                f"{x:.2f} {y:.2f} {'m' if i == 0 else 'l'}" for i, (x, y) in enumerate(points)
            )
            ops.append(f"{_stroke(colour)} 1.4 w 1 j {dash} {path} S [] 0 d")
        ops.append(_fill(colour))
        for x, y in points:
            ops.append(_marker(index, x, y))
        if not names:
            continue
        # Legend entry: a sample of the line and marker, then the series name.
        legend_top = legend_height - sum(len(name) for name in names[:index]) * legend_leading
        mid = legend_top - styles.chart_legend.drop + 2.5  # level with the name's first line
        ops.append(
            f"{_stroke(colour)} 1.4 w {dash} {left:.2f} {mid:.2f} m "
            f"{left + 18:.2f} {mid:.2f} l S [] 0 d"
        )
        ops.append(_marker(index, left + 9, mid))
        ops.append(_fill(BLACK))
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


# ------------------------------------------------------------------------ canvas and template


class _PlanCanvas(Canvas):
    """Holds every page until the end, then decorates and writes them (see module doc)."""

    def __init__(self, *args: Any, build: _Build, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ps = build
        self._ps_pages: list[dict[str, Any]] = []
        self._ps_origin = (0.0, 0.0)

    def showPage(self) -> None:
        # One string per page instead of one per operator: thousands of pages wait here.
        self._code = ["\n".join(self._code)]
        self._ps_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        build = _context(self)
        pages = self._ps_pages
        contents: dict[int, list[tuple[str, str, float, float, float]]] = {}
        for page, *entry in build.contents_numbers:
            contents.setdefault(page, []).append(tuple(entry))  # type: ignore[arg-type]
        # Pages are numbered as printed pages are counted, the cover being page 1 (it just
        # shows no number), as Word's PAGE and NUMPAGES do: the .docx of the same plan says
        # the same, and a viewer's "go to page 5" lands on "Page 5 of N".
        total = len(pages)
        for index, state in enumerate(pages):
            self.__dict__.update(state)
            # reportlab copies the page's operators when it takes the page: let the held
            # copy go at once, or a long plan would hold its text twice.
            pages[index] = {}
            page = index + 1
            numbers = contents.get(page)
            if numbers:
                self._code = [self._contents_numbers(build, self._code[0], numbers)]
            for key, left, top in build.bookmarks.get(page, ()):
                self.bookmarkHorizontalAbsolute(key, top, left=left)
            self._decorate(build, page, page, total, page in build.cover_pages)
            Canvas.showPage(self)
            build.report(build.LAYOUT_SHARE + (1 - build.LAYOUT_SHARE) * page / len(pages) * 0.95)
        pages.clear()
        Canvas.save(self)

    def _contents_numbers(
        self, build: _Build, code: str, entries: list[tuple[str, str, float, float, float]]
    ) -> str:
        style = build.styles.contents
        for placeholder, key, right, baseline, text_end in entries:
            heading_page = build.heading_pages.get(key)
            ops = ""
            if heading_page is not None:
                label = str(heading_page)
                x = right - style.widths[label]
                ops = f"{_fill(BLACK)} {build.emitter.line(x, baseline, label, style)}"
                if x - 6 > text_end + 6:
                    ops += (
                        f" {_stroke(GREY)} 0.8 w 1 J [0 3] 0 d {text_end + 6:.2f} "
                        f"{baseline + 1:.2f} m {x - 6:.2f} {baseline + 1:.2f} l S [] 0 d 0 J"
                    )
            code = code.replace(placeholder, ops, 1)
        return code

    def _decorate(self, build: _Build, page: int, number: int, total: int, cover: bool) -> None:
        styles = build.styles
        emitter = build.emitter
        width, height = self._pagesize
        ops = ["q"]
        right = width - MARGIN_X
        if not cover:
            style = styles.running
            ops.append(_fill(style.colour))
            room = right - MARGIN_X - (60 if build.document.draft else 0)
            lines = _wrap(build.header_text, style, room)
            if len(lines) > 2:  # a running header of two lines at most
                *start, (x, text) = lines[1] or ((0.0, ""),)
                lines = [lines[0], (*start, (x, text + " …"))]
            # The last line of the header sits on the header baseline, above the rule.
            top = height - HEADER_DROP + style.drop + (len(lines) - 1) * style.leading
            emitter.lines(ops, MARGIN_X, top, lines, style)
            rule_y = height - HEADER_DROP - 9
            ops.append(f"{_stroke(RULE)} 0.5 w {MARGIN_X} {rule_y:.2f} m {right} {rule_y:.2f} l S")
            footer = f"Page {number} of {total}"
            ops.append(emitter.line(right - style.widths[footer], FOOTER_RISE, footer, style))
        if build.document.draft:
            tag = styles.draft_tag
            ops.append(_fill(tag.colour))
            ops.append(
                emitter.line(right - tag.widths["DRAFT"], height - HEADER_DROP, "DRAFT", tag)
            )
        ops.append("Q")
        self._code.append("\n".join(ops))
        if build.document.draft:
            self._watermark(build, width, height)

    def _watermark(self, build: _Build, width: float, height: float) -> None:
        # Translucent and on top, so that shaded cells cannot hide it.
        style = build.styles.watermark
        self.saveState()
        self.setFillAlpha(0.10)
        angle = math.atan2(height, width)
        cos, sin = math.cos(angle), math.sin(angle)
        text_width = style.widths["DRAFT"]
        x = width / 2 - cos * text_width / 2 + sin * style.size * 0.35
        y = height / 2 - sin * text_width / 2 - cos * style.size * 0.35
        self._code.append(
            f"{_fill(DRAFT_RED)} BT {cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} {x:.2f} {y:.2f} Tm "
            f"{build.emitter.show('DRAFT', style)} ET"
        )
        self.restoreState()


class _DocTemplate(BaseDocTemplate):
    def __init__(self, path: Path, build: _Build) -> None:
        document = build.document
        cover = document.cover
        meta = document.metadata
        main = _orientation(document)
        super().__init__(
            str(path),
            pagesize=PORTRAIT if main == "portrait" else LANDSCAPE,
            title=meta.get("title", clean_text(cover.title)),
            author=meta.get("author", clean_text(cover.organization)),
            subject=meta.get("subject", ""),
            keywords=meta.get("keywords", ""),
            creator="Plan Studio",
            pageCompression=1,
            # Also the canvas's initial font, so no unembedded Helvetica is ever referenced.
            initialFontName=SANS,
        )
        self.build_state = build
        self.addPageTemplates(
            [
                _template("cover", PORTRAIT if main == "portrait" else LANDSCAPE, self._on_cover),
                _template("portrait", PORTRAIT, None),
                _template("landscape", LANDSCAPE, None),
            ]
        )

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        self.build_state.frame_height = self.pageTemplate.pagesize[1] - MARGIN_TOP - MARGIN_BOTTOM

    def _on_cover(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.build_state.cover_pages.add(canvas.getPageNumber())

    def afterFlowable(self, flowable: Flowable) -> None:
        self.build_state.advance(getattr(flowable, "seq", 0))


def _orientation(document: Document) -> str:
    return "landscape" if document.orientation == "landscape" else "portrait"


def _template(name: str, size: tuple[float, float], on_page: Any) -> PageTemplate:
    width, height = size
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        width - 2 * MARGIN_X,
        height - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=name,
    )
    if on_page is None:
        return PageTemplate(id=name, frames=[frame], pagesize=size)
    return PageTemplate(id=name, frames=[frame], pagesize=size, onPage=on_page)


# ------------------------------------------------------------------------ blocks → flowables

_HEADING_SPACE = {1: 16.0, 2: 12.0, 3: 10.0}


def _flowables(document: Document, build: _Build) -> list[Flowable]:
    styles = build.styles
    cover = document.cover
    out: list[Flowable] = [NextPageTemplate(_orientation(document))]

    def cover_line(text: str, style: _Style, space: float) -> None:
        if text:
            out.append(_TextBlock(build, (text,), style, space))

    out.append(Spacer(1, 150))
    cover_line(cover.title, styles.cover_title, 0)
    cover_line(cover.organization, styles.cover_line, 18)
    cover_line(cover.years, styles.cover_line, 6)
    cover_line(cover.status, styles.cover_status, 18)
    cover_line(cover.exported, styles.cover_small, 36)
    _page_break(out)

    headings = [(f"h{i}", b) for i, b in enumerate(document.blocks) if isinstance(b, Heading)]
    keys = {id(block): key for key, block in headings}
    orientation = _orientation(document)
    pending: list[_Flow] = []

    def add(flow: _Flow) -> None:
        if pending:
            out.append(_KeepWithNext([*pending, flow]))
            pending.clear()
        else:
            out.append(flow)

    def flush() -> None:
        out.extend(pending)
        pending.clear()

    for block in document.blocks:
        match block:
            case Heading():
                level = min(max(block.level, 1), 3)
                pending.append(
                    _HeadingBlock(build, block.text, level, keys[id(block)], _HEADING_SPACE[level])
                )
            case Paragraph():
                style = {"note": styles.note, "label": styles.label}.get(block.style, styles.body)
                add(_TextBlock(build, (block.text,), style, 6.0))
            case Checkbox():
                add(_TextBlock(build, (block,), styles.body, 3.0))
            case LabelValueTable():
                fraction = min(max(block.label_fraction, 0.1), 0.9)
                rows = [((label,), _cell(value)) for label, value in block.rows]
                add(_Table(build, (fraction, 1 - fraction), None, rows, True))
            case Grid():
                add(_grid(build, block))
            case Chart():
                add(_ChartBlock(build, block))
            case PageBreak():
                flush()
                _page_break(out)
            case Orient():
                flush()
                if block.orientation != orientation:
                    orientation = block.orientation
                    _page_break(out, orientation)
            case Contents():
                flush()
                title = _HeadingBlock(build, block.title, 1, f"contents{len(out)}", 0.0)
                depth = getattr(block, "levels", 3)  # headings of levels 1 … depth are listed
                entries = [
                    _ContentsEntry(build, b.text, b.level, key)
                    for key, b in headings
                    if b.level <= depth
                ]
                if entries:
                    out.append(_KeepWithNext([title, entries[0]]))
                    out.extend(entries[1:])
                else:
                    out.append(title)
                # The contents are pages of their own (a break the layout adds after them
                # merges with this one).
                _page_break(out)
            case _:
                raise TypeError(f"not a document block: {block!r}")
    flush()
    while isinstance(out[-1], PageBreakIfNotEmpty):
        out.pop()
    for seq, flow in enumerate(out, start=1):
        flow.seq = seq  # type: ignore[attr-defined]
        for child in getattr(flow, "children", ()):
            child.seq = seq
    return out


def _page_break(out: list[Flowable], template: str | None = None) -> None:
    """A break to a new page (of `template`'s orientation), unless the page is still empty.

    Platypus skips one PageBreakIfNotEmpty on an empty page but lays out the next one, which
    would leave a blank page; so consecutive breaks merge into one here.
    """
    last = out[-1] if out else None
    if isinstance(last, PageBreakIfNotEmpty):
        if template is not None:
            last.nextTemplate = template
        return
    out.append(PageBreakIfNotEmpty(nextTemplate=template))


def _cell(value: Any) -> tuple[CellLine, ...]:
    # A cell is a tuple of lines; a bare string (a layout's slip) is one line, not its letters.
    if value is None:
        return ()
    if isinstance(value, str | Checkbox):
        return (value,)
    return tuple(value)


def _grid(build: _Build, grid: Grid) -> _Table:
    columns = max([len(grid.header), *(len(row) for row in grid.rows)], default=0) or 1
    widths = list(grid.widths)
    if len(widths) != columns or any(w <= 0 for w in widths):
        widths = [1.0] * columns
    total = sum(widths)
    fractions = [w / total for w in widths]
    header = None
    if grid.header:
        header = [*grid.header, *[""] * (columns - len(grid.header))]
    rows = [[*map(_cell, row), *[()] * (columns - len(row))] for row in grid.rows]
    return _Table(build, fractions, header, rows, False)


# ---------------------------------------------------------------------------------- the API


def write_pdf(document: Document, path: Path, progress: Progress | None = None) -> None:
    """Write `document` as a PDF to `path` (directly: the caller makes the write atomic).

    `progress(fraction)` is called as the pages are laid out and written, from 0 to 1; an
    exception it raises stops the export and propagates.
    """
    if progress is not None:
        progress(0.0)
    build = _Build(document, progress)
    flowables = _flowables(document, build)
    build.total = max(len(flowables), 1)
    template = _DocTemplate(Path(path), build)

    def canvasmaker(*args: Any, **kwargs: Any) -> _PlanCanvas:
        return _PlanCanvas(*args, build=build, **kwargs)

    # reportlab wraps every compressed stream in ASCII85 (a 7-bit-clean PDF, which nothing
    # needs since the 1990s); without its C accelerator that encoding alone is a third of an
    # export.  rl_config is read when the file is written, so it is switched off around it
    # (process-wide: a PDF another thread writes meanwhile is merely larger, and valid).
    use_a85 = rl_config.useA85
    rl_config.useA85 = 0
    # The layout makes millions of small objects and no reference cycles worth collecting;
    # the cycle collector walking them (and every object of a loaded plan) costs ~10%.
    try:
        with collection_paused():
            template.build(flowables, canvasmaker=canvasmaker)
    finally:
        rl_config.useA85 = use_a85
    build.report(1.0)
