"""Line wrapping: plain text and cell lines into printed lines no wider than a box."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from planstudio.export.document import (
    CHECKED,
    LINE_BREAK,
    UNCHECKED,
    CellLine,
    Checkbox,
    clean_text,
)
from planstudio.export.pdf.fonts import printable
from planstudio.export.pdf.styles import TAB_STOP, Line, Segment, Style

# ----------------------------------------------------------------------------------- wrapping


def wrap_text(text: str, style: Style, width: float) -> list[Line]:
    """Break printable `text` into lines no wider than `width`: at spaces, at every line
    break, and inside a word only when the word alone is wider than the line."""
    width = max(width, 1.0)
    lines: list[Line] = []
    for para in text.replace(LINE_BREAK, "\n").split("\n"):
        if "\t" in para:
            lines.extend(_wrap_general(para, style, width))
        else:
            lines.extend(_wrap_plain(para, style, width))
    return lines


def _wrap_plain(para: str, style: Style, width: float) -> list[Line]:
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


def count_lines(text: str, style: Style, width: float) -> int:
    """`len(wrap_text(text, style, width))`, without making the lines (see `WrapCache.count`)."""
    width = max(width, 1.0)
    count = 0
    for para in text.replace(LINE_BREAK, "\n").split("\n"):
        if "\t" in para:
            count += len(_wrap_general(para, style, width))
        else:
            count += _count_plain(para, style, width)
    return count


def _count_plain(para: str, style: Style, width: float) -> int:
    # _wrap_plain's breaks, counted.
    if not para:
        return 1
    widths = style.widths
    if len(para) <= 120 and widths[para] <= width:
        return 1
    words = para.split(" ")
    word_widths = list(map(widths.__getitem__, words))
    if max(word_widths) > width:
        return len(_wrap_general(para, style, width))
    space = style.space
    cum = list(accumulate(map(space.__add__, word_widths), initial=0.0))
    count = start = 0
    total = len(words)
    while start < total:
        start = bisect_right(cum, cum[start] + width + space + 1e-6, start + 1) - 1
        count += 1
    return count


def _wrap_general(para: str, style: Style, width: float) -> list[Line]:
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


def _break_word(word: str, style: Style, width: float) -> list[str]:
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


class WrapCache:
    """Wrapped lines by (style, width, cell line): labels and headers repeat hundreds of times.

    Prose is unique, so caching it would only keep every wrapped line of a long plan alive.
    """

    LONGEST = 160

    def __init__(self) -> None:
        self._lines: dict[tuple[int, float, CellLine], list[Line]] = {}
        self._counts: dict[tuple[int, float, CellLine], int] = {}

    def count(self, items: Sequence[CellLine | None], style: Style, width: float) -> int:
        """How many lines `lines` would return, without making them: a layout made only to
        learn the headings' pages (see `pagination`) needs each block's height, not its
        text, and the lines were most of what it made."""
        total = 0
        counts = self._counts
        for item in items:
            if item is None:
                continue
            if isinstance(item, str) and len(item) > self.LONGEST:
                total += count_item(item, style, width)
                continue
            key = (id(style), width, item)
            count = counts.get(key)
            if count is None:
                count = counts[key] = count_item(item, style, width)
            total += count
        return total

    def lines(self, items: Sequence[CellLine | None], style: Style, width: float) -> list[Line]:
        out: list[Line] = []
        for item in items:
            if item is None:
                continue
            if isinstance(item, str) and len(item) > self.LONGEST:
                out.extend(wrap_item(item, style, width))
                continue
            key = (id(style), width, item)
            lines = self._lines.get(key)
            if lines is None:
                lines = self._lines[key] = wrap_item(item, style, width)
            out.extend(lines)
        return out


def count_item(item: CellLine, style: Style, width: float) -> int:
    """`len(wrap_item(item, style, width))`, without making the lines."""
    if isinstance(item, Checkbox):
        return len(wrap_item(item, style, width))
    return count_lines(printable(clean_text(str(item))), style, width)


def wrap_item(item: CellLine, style: Style, width: float) -> list[Line]:
    if isinstance(item, Checkbox):
        box = (CHECKED if item.checked else UNCHECKED) + " "
        indent = style.widths[box]
        inner = wrap_text(printable(clean_text(item.text)), style, width - indent)
        first = inner[0]
        if not first:
            head: Line = ((0.0, box),)
        elif len(first) == 1 and first[0][0] == 0.0:
            # One segment, so that "☒ text" reads as one string in the PDF's text.
            head = ((0.0, box + first[0][1]),)
        else:
            head = ((0.0, box), *_shift(first, indent))
        return [head, *(_shift(line, indent) for line in inner[1:])]
    return wrap_text(printable(clean_text(str(item))), style, width)
