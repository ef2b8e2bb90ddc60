"""Text emission: printable text as PDF text operators with our own subset encoder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from planstudio.export.pdf.fonts import Face
from planstudio.export.pdf.objects import BYTE_ESCAPES
from planstudio.export.pdf.styles import RGB, Line, Style

# ------------------------------------------------------------------------------- text output


class _Encoder:
    """Text → PDF string operands for one font in one document.

    reportlab's TTFont.splitString assigns each new character a code in a 256-glyph subset,
    one character at a time in Python.  Once every character of a string has a code in
    subset 0 (the usual case after the first page), one str.translate gives the escaped
    operand directly.
    """

    def __init__(self, face: Face, doc: Any) -> None:
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
                data.decode("latin-1").translate(BYTE_ESCAPES),
            )
            for subset, data in parts
        ]

    def _learn(self) -> None:
        state = self.font.state[self.doc]
        for code, number in state.assignments.items():
            if number < 256 and chr(code) not in self.known:
                self.table[code] = BYTE_ESCAPES[number]
                self.known.add(chr(code))
                self.known_or_newline.add(chr(code))
        self.name0 = self.font.getSubsetInternalName(0, self.doc)


class Emitter:
    """Writes text as PDF operators; one per build, bound to the canvas's document."""

    def __init__(self) -> None:
        self._doc: Any = None
        self._encoders: dict[str, _Encoder] = {}
        self._openings: dict[tuple[str, float, float], str] = {}

    def bind(self, canvas: Canvas) -> None:
        if canvas._doc is not self._doc:
            self._doc = canvas._doc
            self._encoders = {}

    def _opening(self, encoder: _Encoder, style: Style) -> str:
        """The start of a text object in `style`'s first subset (leading, font, size): the
        same few strings for a whole export, not formatted anew for every cell."""
        key = (encoder.name0, style.size, style.leading)
        opening = self._openings.get(key)
        if opening is None:
            opening = self._openings[key] = (
                f"BT {style.leading:g} TL {encoder.name0} {style.size:g} Tf"
            )
        return opening

    def _encoder(self, face: Face) -> _Encoder:
        encoder = self._encoders.get(face.name)
        if encoder is None:
            encoder = self._encoders[face.name] = _Encoder(face, self._doc)
        return encoder

    def strings(self, text: str, style: Style) -> list[tuple[str, str]]:
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

    def show(self, text: str, style: Style) -> str:
        """Text-showing operators (font and string) for printable `text`."""
        size = style.size
        return " ".join(
            f"{name} {size:g} Tf ({operand}) Tj" for name, operand in self.strings(text, style)
        )

    def line(self, x: float, y: float, text: str, style: Style) -> str:
        return f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm {self.show(text, style)} ET"

    def row(
        self,
        ops: list[str],
        begin: Callable[[Any, int], str],
        page: int,
        lefts: Sequence[float],
        top: float,
        cells: Sequence[Sequence[Line]],
        styles: Sequence[Style],
        tags: Sequence[Any],
    ) -> None:
        """Append each cell of a table row, `begin(tag, page)` … EMC around each cell that
        has text: what `lines` writes, without its set-up for every cell (a long plan has
        hundreds of thousands of cells, most of one line each)."""
        # The cells of a row mostly share a style, or styles of one size: the text object's
        # opening and the baseline formatted once for them.
        last: tuple[Style | None, str] = (None, "")
        baseline: tuple[float, str] = (-1.0, "")
        for left, lines, style, tag in zip(lefts, cells, styles, tags, strict=False):
            if not lines:
                continue
            ops.append(begin(tag, page))
            encoder = self._encoders.get(style.primary.name)
            shows = None if encoder is None else _plain_shows(encoder, lines)
            if encoder is None or shows is None:
                self.lines(ops, left, top, lines, style)
            else:
                if last[0] is not style:
                    last = (style, self._opening(encoder, style))
                if baseline[0] != style.drop:
                    baseline = (style.drop, f"{top - style.drop:.2f}")
                ops.append(f"{last[1]} 1 0 0 1 {left:.2f} {baseline[1]} Tm {shows} ET")
            ops.append("EMC")

    def lines(
        self, ops: list[str], x: float, top: float, lines: Sequence[Line], style: Style
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
        shows = _plain_shows(encoder, lines)
        if shows is not None:
            ops.append(f"{self._opening(encoder, style)} 1 0 0 1 {x:.2f} {y:.2f} Tm {shows} ET")
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


def _plain_shows(encoder: _Encoder, lines: Sequence[Line]) -> str | None:
    """The text-showing operators of `lines` when each is plain (one segment at the left
    edge, or empty) and every character already has a code in the first subset of the
    style's own font: the usual block, and most cells, are one translate.  None otherwise
    (`Emitter.lines` then takes its general path)."""
    texts: list[str] = []
    for line in lines:
        if not line:
            texts.append("")
        elif len(line) == 1 and line[0][0] == 0.0:
            texts.append(line[0][1])
        else:
            return None
    joined = "\n".join(texts)
    if not encoder.known_or_newline.issuperset(joined):
        return None
    table = encoder.table
    if len(texts) == 1:
        return f"({joined.translate(table)}) Tj" if joined else ""
    return " T* ".join([f"({op}) Tj" if op else "" for op in joined.translate(table).split("\n")])


# A document has a handful of colours, set again for every block a page draws: each
# formatted once.
@lru_cache(maxsize=256)
def fill_colour(colour: RGB) -> str:
    return f"{colour[0]:g} {colour[1]:g} {colour[2]:g} rg"


@lru_cache(maxsize=256)
def stroke_colour(colour: RGB) -> str:
    return f"{colour[0]:g} {colour[1]:g} {colour[2]:g} RG"
