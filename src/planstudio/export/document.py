"""The format-neutral document a layout produces and both writers render.

A layout (ga-dip, strategic-plan, …) turns a plan snapshot into a `Document`:
a cover, then a flat list of blocks.  The Word writer and the PDF writer each
walk the same blocks in the same order, so the two files cannot drift apart:
the same words, in the same order, with the same labels.

Text in blocks is exactly what the user typed (already cleaned of the
characters a file format cannot hold, see `clean_text`); writers escape it for
their format and never add words of their own beyond what a block says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Orientation = Literal["portrait", "landscape"]

# XML 1.0 cannot hold C0 controls other than tab, newline and carriage return, nor
# U+FFFE/U+FFFF or lone surrogates; Word pastes some of them into text.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# A line break inside a paragraph (Word's Shift+Enter), where "\n" starts a new paragraph:
# Word writes it as <w:br/>, the PDF as a new line.  Word's manual line break pastes into
# text as a vertical tab, its page and section breaks as a form feed; neither can be in XML,
# and each was a break between lines where the user typed it, so each becomes this.
LINE_BREAK = "\u2028"
_LINE_BREAKS = str.maketrans({"\v": LINE_BREAK, "\f": LINE_BREAK})

CHECKED = "☒"
UNCHECKED = "☐"


def clean_text(text: str | None) -> str:
    """The text as typed, less only the characters no document format can hold; a vertical
    tab or form feed (a line or page break pasted from Word) is a `LINE_BREAK`."""
    if not text:
        return ""
    if text.isprintable():  # no control, surrogate or non-character: the common case
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    return _NOT_IN_XML.sub("", text)


@dataclass(frozen=True)
class Heading:
    """A numbered or plain heading; level 1-3.  Headings make the table of contents."""

    text: str
    level: int = 1
    contents: str = ""  # its entry in the table of contents, when not its text


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "note", "label"] = "body"


@dataclass(frozen=True)
class Checkbox:
    """One checkbox line, printed ☒ or ☐ followed by its text."""

    text: str
    checked: bool


# A cell holds lines of text or checkbox lines; an empty list is an empty cell.
CellLine = str | Checkbox


@dataclass(frozen=True)
class LabelValueTable:
    """Two columns: a label (about a third of the width) and its value, row by row.

    A row never splits a label from the first line of its value; a value longer
    than a page continues on the next page with the label repeated.
    """

    rows: tuple[tuple[str, tuple[CellLine, ...]], ...]
    label_fraction: float = 1 / 3
    # Printed as a header row across both columns, as a state's form titles its tables
    # ("General Improvement Plan Information"); it repeats on each page the table runs to.
    caption: str = ""


@dataclass(frozen=True)
class Grid:
    """A table with a header row repeated on each page; widths are fractions summing to 1."""

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[CellLine, ...], ...], ...]
    widths: tuple[float, ...] = ()
    caption: str = ""  # what the table is, for a reader's table list (not printed)


@dataclass(frozen=True)
class ChartSeries:
    name: str
    points: tuple[tuple[str, float], ...]  # (school year, value), in year order


@dataclass(frozen=True)
class Chart:
    """A measure's small line chart: its baseline, targets and actuals over the years.

    Writers draw it as `export.chart.describe_chart` describes it."""

    title: str
    unit: str  # "percent", "count", …: for the axis labels
    series: tuple[ChartSeries, ...]  # the targets first, then the actuals
    years: tuple[str, ...]  # the x axis, first to last
    baseline: tuple[str, float] | None = None  # (school year, value): a point of its own
    # Small multiples: one measure for several student groups, a small chart (titled with
    # its group) per group on one value axis; the chart's own series are then empty.
    panels: tuple[Chart, ...] = ()


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Orient:
    """From here on, pages are of this orientation (a new section starts)."""

    orientation: Orientation


@dataclass(frozen=True)
class Contents:
    """Where the table of contents goes (Word: a TOC field; PDF: a printed contents page).

    `levels`: headings of levels 1 to `levels` are listed (ga-dip lists 2, so that its
    hundreds of "Action Step # i" headings stay out of the contents).
    """

    title: str = "Contents"
    levels: int = 3


Block = (
    Heading | Paragraph | Checkbox | LabelValueTable | Grid | Chart | PageBreak | Orient | Contents
)


@dataclass(frozen=True)
class Cover:
    title: str
    organization: str
    years: str  # "2024-25 to 2028-29", or ""
    status: str  # shown when the plan is not approved, e.g. "Draft"; "" otherwise
    exported: str  # the date of export, as printed


@dataclass(frozen=True)
class Document:
    cover: Cover
    blocks: tuple[Block, ...]
    header_text: str  # organization and plan title, on every page after the cover
    draft: bool  # a DRAFT mark on every page
    layout: str
    orientation: Orientation = "portrait"
    metadata: dict[str, str] = field(default_factory=dict)
    language: str = "en-US"  # a BCP 47 tag: the plan's language, for readers and speech


def heading_levels(blocks: tuple[Block, ...]) -> dict[int, int]:
    """Each heading's level (by block index) as both files print it: 1-3, and never more
    than one deeper than the heading before it (a reader's outline cannot skip a level)."""
    levels: dict[int, int] = {}
    last = 0
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            last = max(1, min(block.level, last + 1, 3))
            levels[index] = last
    return levels


def table_captions(blocks: tuple[Block, ...]) -> dict[int, str]:
    """What each table (by block index) is called for a reader: its own caption, else the
    heading it comes under, else "Table"."""
    captions: dict[int, str] = {}
    heading = ""
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            heading = " ".join(clean_text(block.text).split())
        elif isinstance(block, LabelValueTable | Grid):
            own = " ".join(clean_text(block.caption).split())
            captions[index] = own or heading or "Table"
    return captions


def without_empty_columns(grid: Grid) -> Grid:
    """`grid` less the columns that are empty on every row (a header alone prints nothing a
    reader needs); a grid with no rows, or no column with content, is left whole."""
    columns = max([len(grid.header), *(len(row) for row in grid.rows)], default=0)
    keep = [
        index
        for index in range(columns)
        if any(
            index < len(row) and any(str(line).strip() for line in row[index]) for row in grid.rows
        )
    ]
    if not grid.rows or not keep or len(keep) == columns:
        return grid
    widths = grid.widths if len(grid.widths) == columns else (1.0,) * columns
    kept = [widths[index] for index in keep]
    total = sum(kept) or 1.0
    return Grid(
        header=tuple(grid.header[i] if i < len(grid.header) else "" for i in keep),
        rows=tuple(tuple(row[i] if i < len(row) else () for i in keep) for row in grid.rows),
        widths=tuple(width / total for width in kept),
        caption=grid.caption,
    )
