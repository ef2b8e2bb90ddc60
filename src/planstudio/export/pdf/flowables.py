"""The build context and the text flowables: text blocks, headings, contents entries."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from planstudio.export.chart import ChartDescription
from planstudio.export.document import (
    CellLine,
    Document,
    clean_text,
)
from planstudio.export.pdf.fonts import printable
from planstudio.export.pdf.styles import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    PORTRAIT,
    Line,
    Progress,
    Style,
    Styles,
)
from planstudio.export.pdf.tagging import END, Node, Tagger
from planstudio.export.pdf.text import Emitter, fill_colour
from planstudio.export.pdf.wrapping import WrapCache

# --------------------------------------------------------------------------- build context


class Build:
    """State shared by the flowables, the doc template and the canvas of one export."""

    def __init__(self, document: Document, progress: Progress | None) -> None:
        self.document = document
        self.styles = Styles()
        self.emitter = Emitter()
        self.wraps = WrapCache()
        self.tagger = Tagger(document.language)
        self.header_text = printable(clean_text(document.header_text))
        self.cover_pages: set[int] = set()
        self.frame_height = PORTRAIT[1] - MARGIN_TOP - MARGIN_BOTTOM  # of the current page
        # Filled while laying out, used when the pages are finally written.
        self.heading_pages: dict[str, int] = {}
        # Laying out only to learn the headings' pages (see `pagination`): nothing is drawn.
        self.pages_only = False
        # Charts' descriptions made already (by id of the Chart block), else each its own.
        self.described: dict[int, ChartDescription] = {}
        self.bookmarks: dict[int, list[tuple[str, float, float]]] = {}
        # (page, placeholder, heading key, right edge, baseline, end of title), in local
        # coordinates of the entry.
        self.contents_numbers: list[tuple[int, str, str, float, float, float]] = []
        self._outline_level = -1
        self.total = 1  # top-level flowables, once they are made
        self._done = 0
        self._progress = progress
        self._reported = -1.0

    def lines(self, items: Sequence[CellLine | None], style: Style, width: float) -> list[Line]:
        """`items` wrapped to `width`; laying out only to learn the pages, as many blank
        lines (only their number counts, and making the lines was most of that layout)."""
        if self.pages_only:
            return [()] * self.wraps.count(items, style, width)
        return self.wraps.lines(items, style, width)

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


def context_of(canvas: Canvas) -> Build:
    build: Build = canvas.ps
    build.emitter.bind(canvas)
    return build


# ---------------------------------------------------------------------------------- flowables


class Flow(Flowable):
    """A Plan Studio flowable: knows its place in the block list (for progress)."""

    seq = 0
    tag: Node | None = None  # the structure element of what it draws (None: an artifact)

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        if canvas.ps.pages_only:
            self.place(canvas)
            return
        # reportlab's drawOn goes through canvas.translate, which formats its numbers with a
        # slow pure-Python fp_str and tracks the matrix; a plain cm does, and the absolute
        # origin (for bookmarks and links) is kept here.
        ox, oy = canvas._ps_origin
        canvas._ps_origin = (ox + x, oy + y)
        canvas._code.append(f"q 1 0 0 1 {x:.2f} {y:.2f} cm")
        self.canv = canvas
        try:
            self.draw()
        finally:
            canvas._code.append("Q")
            canvas._ps_origin = (ox, oy)
            del self.canv

    def place(self, canvas: Canvas) -> None:
        """Note what the layout must know of this flowable's page, without drawing it."""

    def _absolute(self, x: float, y: float) -> tuple[float, float]:
        ox, oy = self.canv._ps_origin
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


class TextBlock(Flow):
    """Paragraph-like text: lines wrapped to the frame, split between lines."""

    def __init__(
        self,
        build: Build,
        items: Sequence[CellLine],
        style: Style,
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
            self._lines = self.build.lines(self.items, self.style, aW - self.indent)
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

    def _part(self, lines: list[Line], first: bool) -> TextBlock:
        part = self._clone()
        part._lines = lines
        part.items = None  # a part is never wrapped again: its width is the frame's
        if not first:
            part.spaceBefore = 0.0
        return part

    def draw(self) -> None:
        build = context_of(self.canv)
        ops = [build.tagger.begin(self.tag, self.canv.getPageNumber())]
        ops.append(fill_colour(self.style.colour))
        build.emitter.lines(ops, self.indent, self.height, self._lines, self.style)
        ops.append(END)
        self.canv._code.append("\n".join(ops))


class HeadingBlock(TextBlock):
    """A heading: also a bookmark, an outline entry and a page number for the contents."""

    def __init__(self, build: Build, text: str, level: int, key: str, space: float) -> None:
        super().__init__(build, (text,), build.styles.heading(level), space)
        self.title = " ".join(printable(clean_text(text)).split()) or " "
        self.level = level
        self.key: str | None = key

    def _part(self, lines: list[Line], first: bool) -> TextBlock:
        part = super()._part(lines, first)
        if not first:
            part.key = None
        return part

    def draw(self) -> None:
        super().draw()
        if self.key is None:
            return
        canvas = self.canv
        build = context_of(canvas)
        page = canvas.getPageNumber()
        left, top = self._absolute(0, self.height)
        # The destination is bound when the page is written (see PlanCanvas.save).
        build.bookmarks.setdefault(page, []).append((self.key, left, top))
        canvas.addOutlineEntry(self.title, self.key, build.outline_level(self.level), False)
        build.heading_pages[self.key] = page

    def place(self, canvas: Canvas) -> None:
        if self.key is not None:
            self.build.heading_pages[self.key] = canvas.getPageNumber()


class ContentsEntry(TextBlock):
    """One line of the printed contents.

    Its page number is known only when every page is laid out, so the entry leaves a
    placeholder line in the page's operators, which the canvas replaces with the number (and
    the dot leader) before writing the page: the number then sits right after the title in
    the content stream too, and copied or extracted text reads "title 12".
    """

    NUMBER_ROOM = 44.0

    def __init__(self, build: Build, text: str, level: int, key: str) -> None:
        styles = build.styles
        style = styles.contents_top if level <= 1 else styles.contents
        super().__init__(build, (text,), style, 0.0, 16.0 * (min(max(level, 1), 3) - 1))
        self.key = key
        self.title = " ".join(printable(clean_text(text)).split())

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        if aW != self._width and self.items is not None:
            width = aW - self.indent - self.NUMBER_ROOM
            self._lines = self.build.lines(self.items, self.style, width)
            self._width = aW
        self.width = aW
        self.height = max(len(self._lines), 1) * self.style.leading
        return aW, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canvas = self.canv
        build = context_of(canvas)
        style = self.style
        # The title, then its page number and leader (the placeholder), in one marked
        # sequence of the entry's Link.
        ops = [build.tagger.begin(self.tag, canvas.getPageNumber()), fill_colour(style.colour)]
        build.emitter.lines(ops, self.indent, self.height, self._lines, style)
        canvas._code.append("\n".join(ops))
        last = self._lines[-1] if self._lines else ()
        end = self.indent + max((x + style.widths[t] for x, t in last), default=0.0)
        # The number goes on the baseline of the entry's last line.
        baseline = self.height - style.drop - (max(len(self._lines), 1) - 1) * style.leading
        placeholder = f"%planstudio-contents-{len(build.contents_numbers)}%"
        canvas._code.append(placeholder)
        canvas._code.append(END)
        build.contents_numbers.append(
            (canvas.getPageNumber(), placeholder, self.key, self.width, baseline, end)
        )
        left, bottom = self._absolute(0, 0)
        area = (left, bottom, left + self.width, bottom + self.height)
        description = f"Go to {self.title}" if self.title else "Go to the section"
        if self.tag is None:
            canvas.linkRect(description, self.key, area, relative=0, thickness=0)
        else:
            build.tagger.link(canvas, self.tag, description, self.key, area)


class KeepWithNext(Flow):
    """Headings held together with the start of what follows them.

    Platypus's own keepWithNext wraps the group in a KeepTogether, which moves a whole long
    table to the next page; here only the headings and the first piece of the last flowable
    (the first lines of a table, say) must share a page.
    """

    def __init__(self, children: list[Flow]) -> None:
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
        first._frame = self._frame
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

    def place(self, canvas: Canvas) -> None:
        for child in self.children:
            child.place(canvas)


def fit_first(flow: Flowable, aW: float, aH: float, frame: Any) -> list[Flowable]:
    """`flow`, split if it is taller than `aH` at the top of `frame`: platypus lays out the
    first flowable a split returns without trying to split it again."""
    if flow.wrap(aW, aH)[1] <= aH:
        return [flow]
    flow._frame = frame
    try:
        return flow.split(aW, aH) or [flow]
    finally:
        flow.__dict__.pop("_frame", None)
