"""Tables: label/value tables and grids, split between rows or between a row's lines."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate
from typing import Any

from reportlab.platypus import Flowable

from planstudio.export.document import (
    CellLine,
    Checkbox,
    Grid,
)
from planstudio.export.pdf.flowables import Build, Flow, context_of
from planstudio.export.pdf.styles import (
    BLACK,
    CELL_PAD_X,
    CELL_PAD_Y,
    HEADER_FILL,
    LABEL_FILL,
    RULE,
    Line,
)
from planstudio.export.pdf.tagging import ARTIFACT, END, Node
from planstudio.export.pdf.text import fill_colour, stroke_colour

CellTags = tuple[Node | None, ...]  # each cell's structure element (None: drawn as an artifact)


class _Row:
    """One table row: the wrapped lines of each cell, and each cell's structure element."""

    __slots__ = ("cells", "height", "lines", "tags")

    def __init__(
        self, cells: list[list[Line]], leading: float, tags: CellTags | None = None
    ) -> None:
        self.cells = cells
        self.lines = max(1, max(map(len, cells), default=1))
        self.height = self.lines * leading + 2 * CELL_PAD_Y
        self.tags = tags


class Table(Flow):
    """A LabelValueTable (`label_column`) or a Grid (with a header row), split between rows
    or, for a row taller than what is left of the page, between the lines of a row."""

    def __init__(
        self,
        build: Build,
        fractions: Sequence[float],
        header: Sequence[str] | None,
        rows: Sequence[Sequence[Sequence[CellLine]]],
        label_column: bool,
        caption: str = "",
    ) -> None:
        super().__init__()
        self.build = build
        self.fractions = list(fractions)
        self.header_raw = header
        # A caption is a header row whose one cell spans every column.
        self.caption = caption
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
        # The rows' total height: platypus wraps a table several times at one width (each
        # time it tries a frame and each time it splits), a long table's rows summed anew.
        self._body: float | None = None
        self.columns: list[float] = []
        self._header_tags: CellTags | None = None
        self._row_tags: list[CellTags] = []
        self._header_repeated = False  # a continuation part: its header row is an artifact

    def tag_cells(self, header: CellTags | None, rows: Sequence[CellTags]) -> None:
        """The structure elements of the header row's cells and of each row's cells."""
        self._header_tags = header
        self._row_tags = list(rows)
        if self._header is not None:
            self._header.tags = header
        for row, tags in zip(self._rows, rows, strict=False):
            row.tags = tags

    def _layout(self, aW: float) -> None:
        self.columns = [aW * f for f in self.fractions]
        inner = [max(w - 2 * CELL_PAD_X, 1.0) for w in self.columns]
        build = self.build
        leading = self.style.leading
        bold = self.build.styles.cell_bold
        if self.caption:
            spanning = build.lines((self.caption,), bold, max(aW - 2 * CELL_PAD_X, 1.0))
            self._header = _Row(
                [spanning, *([] for _ in inner[1:])],
                leading,
                None if self._header_repeated else self._header_tags,
            )
        elif self.header_raw is not None:
            self._header = _Row(
                [
                    build.lines((text,), bold, width)
                    for text, width in zip(self.header_raw, inner, strict=True)
                ],
                leading,
                None if self._header_repeated else self._header_tags,
            )
        rows = self.rows_raw or ()
        styles = self.styles
        tags = self._row_tags
        self._rows = [
            _Row(
                [
                    build.lines(cell, style, width)
                    for cell, style, width in zip(row, styles, inner, strict=True)
                ],
                leading,
                tags[index] if index < len(tags) else None,
            )
            for index, row in enumerate(rows)
        ]

    def _relayout(self, aW: float) -> None:
        # Only a part produced by split() lands here, and only if the frame width changed
        # under it; rebuild its cells from the lines it holds.
        self.rows_raw = [
            [tuple(" ".join(t for _, t in line) for line in cell) for cell in row.cells]
            for row in self._rows
        ]
        self._row_tags = [row.tags or () for row in self._rows]
        self._layout(aW)
        self.rows_raw = None

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        if aW != self._width:
            if self.rows_raw is None and self._width > 0:
                self._relayout(aW)
            else:
                self._layout(aW)
            self._width = aW
            self._body = None
        body = self._body
        if body is None:
            body = self._body = sum(row.height for row in self._rows)
        header = self._header.height if self._header else 0.0
        self.height = header + body
        return aW, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        self.wrap(aW, aH)
        header = self._header
        if header is not None and header.height + self.style.leading * 3 > aH and self._at_top():
            # A header row that leaves no room for rows even on a fresh page cannot repeat
            # on every page: it becomes an ordinary first row.
            self._rows = [header, *self._rows]
            self._header = None
            self._body = None
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
        head = _Row([cell[:cut] for cell in row.cells], leading, row.tags)
        tail_cells = [cell[cut:] for cell in row.cells]
        tail_tags = row.tags
        if self.label_column and len(row.cells[0]) <= cut:
            tail_cells[0] = row.cells[0]  # the label again, beside the rest of its value
            if tail_tags is not None:
                tail_tags = (None, *tail_tags[1:])  # … which the reader has already heard
        return head, _Row(tail_cells, leading, tail_tags)

    def _part(self, rows: list[_Row], first: bool) -> Table:
        part = self._clone()
        part._rows = rows
        part._body = None
        part.rows_raw = None
        if not first:
            part.spaceBefore = 0.0
            part._header_repeated = True
            if part._header is not None:
                part._header = _Row(part._header.cells, self.style.leading, None)
        part.height = (part._header.height if part._header else 0.0) + sum(r.height for r in rows)
        return part

    def draw(self) -> None:
        if self._header is None and not self._rows:
            return
        build = context_of(self.canv)
        emitter = build.emitter
        tagger = build.tagger
        page = self.canv.getPageNumber()
        width = self._width
        columns = self.columns
        lefts = [0.0, *accumulate(columns)][:-1]
        y = self.height
        # Fills and rules are decoration: artifacts around the cells' tagged text.
        ops: list[str] = [ARTIFACT]
        header_height = self._header.height if self._header is not None else 0.0
        if self._header is not None:
            ops.append(
                f"{fill_colour(HEADER_FILL)} 0 {y - header_height:.2f} "
                f"{width:.2f} {header_height:.2f} re f"
            )
        if self.label_column and self._rows:
            label_top = y - header_height
            ops.append(f"{fill_colour(LABEL_FILL)} 0 0 {columns[0]:.2f} {label_top:.2f} re f")
        ops.append(END)
        ops.append(fill_colour(BLACK))
        rules = [y]
        begin = tagger.begin
        texts = [left + CELL_PAD_X for left in lefts]
        untagged = (None,) * len(columns)
        if self._header is not None:
            bold = [build.styles.cell_bold] * len(columns)
            header = self._header
            emitter.row(
                ops, begin, page, texts, y - CELL_PAD_Y, header.cells, bold, header.tags or untagged
            )
            y -= header_height
            rules.append(y)
        styles = self.styles
        row_text = emitter.row
        for row in self._rows:
            tags = row.tags or untagged
            row_text(ops, begin, page, texts, y - CELL_PAD_Y, row.cells, styles, tags)
            y -= row.height
            rules.append(y)
        grid = [ARTIFACT, f"{stroke_colour(RULE)} 0.5 w"]
        grid.extend(f"0 {r:.2f} m {width:.2f} {r:.2f} l" for r in rules)
        for x in [*lefts, width]:
            # Inner column rules stop below a caption that spans the columns.
            top = self.height - header_height if self.caption and 0 < x < width else self.height
            grid.append(f"{x:.2f} 0 m {x:.2f} {top:.2f} l")
        grid.append("S")
        grid.append(END)
        ops.extend(grid)
        self.canv._code.append("\n".join(ops))


def cell_lines(value: Any) -> tuple[CellLine, ...]:
    # A cell is a tuple of lines; a bare string (a layout's slip) is one line, not its letters.
    if value is None:
        return ()
    if isinstance(value, str | Checkbox):
        return (value,)
    return tuple(value)


def grid_table(build: Build, grid: Grid) -> Table:
    columns = max([len(grid.header), *(len(row) for row in grid.rows)], default=0) or 1
    widths = list(grid.widths)
    if len(widths) != columns or any(w <= 0 for w in widths):
        widths = [1.0] * columns
    total = sum(widths)
    fractions = [w / total for w in widths]
    header = None
    if grid.header:
        header = [*grid.header, *[""] * (columns - len(grid.header))]
    rows = [[*map(cell_lines, row), *[()] * (columns - len(row))] for row in grid.rows]
    return Table(build, fractions, header, rows, False)
