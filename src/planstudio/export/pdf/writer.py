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
(reportlab's multiBuild), `PlanCanvas` keeps each finished page open until the end, then
draws the header, footer, DRAFT mark, bookmarks and contents page numbers onto every page
and writes them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.platypus import Flowable, NextPageTemplate
from reportlab.platypus.flowables import PageBreakIfNotEmpty, Spacer

from planstudio.export.document import (
    Chart,
    Checkbox,
    Contents,
    Document,
    Grid,
    Heading,
    LabelValueTable,
    Orient,
    PageBreak,
    Paragraph,
)
from planstudio.export.pdf.canvas import DocTemplate, PlanCanvas, orientation_of
from planstudio.export.pdf.charts import ChartBlock
from planstudio.export.pdf.flowables import (
    Build,
    ContentsEntry,
    Flow,
    HeadingBlock,
    KeepWithNext,
    TextBlock,
)
from planstudio.export.pdf.styles import Progress, Style
from planstudio.export.pdf.tables import Table, cell_lines, grid_table
from planstudio.export.pdf.tagging import Structure
from planstudio.model.collection import collection_paused, release_in_pieces

# ------------------------------------------------------------------------ blocks → flowables

_HEADING_SPACE = {1: 16.0, 2: 12.0, 3: 10.0}


def _flowables(document: Document, build: Build) -> list[Flowable]:
    styles = build.styles
    cover = document.cover
    out: list[Flowable] = [NextPageTemplate(orientation_of(document))]
    structure = Structure(build.tagger, cells=not build.pages_only)

    def cover_line(text: str, style: Style, space: float) -> None:
        if text:
            flow = TextBlock(build, (text,), style, space)
            flow.tag = (
                structure.heading(1) if style is styles.cover_title else structure.paragraph()
            )
            out.append(flow)

    out.append(Spacer(1, 150))
    cover_line(cover.title, styles.cover_title, 0)
    cover_line(cover.organization, styles.cover_line, 18)
    cover_line(cover.years, styles.cover_line, 6)
    cover_line(cover.status, styles.cover_status, 18)
    cover_line(cover.exported, styles.cover_small, 36)
    _page_break(out)

    headings = [(f"h{i}", b) for i, b in enumerate(document.blocks) if isinstance(b, Heading)]
    keys = {id(block): key for key, block in headings}
    orientation = orientation_of(document)
    pending: list[Flow] = []

    def add(flow: Flow) -> None:
        if pending:
            out.append(KeepWithNext([*pending, flow]))
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
                heading = HeadingBlock(
                    build, block.text, level, keys[id(block)], _HEADING_SPACE[level]
                )
                heading.tag = structure.heading(level)
                pending.append(heading)
            case Paragraph():
                style = {"note": styles.note, "label": styles.label}.get(block.style, styles.body)
                flow = TextBlock(build, (block.text,), style, 6.0)
                flow.tag = structure.paragraph()
                if block.style == "label":
                    pending.append(flow)  # a label (a table's title) stays with what follows
                else:
                    add(flow)
            case Checkbox():
                flow = TextBlock(build, (block,), styles.body, 3.0)
                flow.tag = structure.list_item()
                add(flow)
            case LabelValueTable():
                fraction = min(max(block.label_fraction, 0.1), 0.9)
                rows = [((label,), cell_lines(value)) for label, value in block.rows]
                caption = block.caption
                table = Table(build, (fraction, 1 - fraction), None, rows, True, caption)
                header_tags, row_tags = structure.table(
                    1 if caption else 0, len(rows), 2, row_headers=True
                )
                if header_tags:
                    header_tags[0].colspan = 2
                table.tag_cells(header_tags, row_tags)
                add(table)
            case Grid():
                table = grid_table(build, block)
                header = len(table.header_raw) if table.header_raw is not None else 0
                header_tags, row_tags = structure.table(
                    header, len(block.rows), len(table.fractions), row_headers=False
                )
                table.tag_cells(header_tags, row_tags)
                add(table)
            case Chart():
                chart = ChartBlock(build, block)
                chart.tag = structure.figure(chart.description.alt_text)
                add(chart)
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
                title = HeadingBlock(build, block.title, 1, f"contents{len(out)}", 0.0)
                title.tag = structure.heading(1)
                depth = getattr(block, "levels", 3)  # headings of levels 1 … depth are listed
                toc = structure.contents()
                entries = [
                    ContentsEntry(build, b.contents or b.text, b.level, key)
                    for key, b in headings
                    if b.level <= depth
                ]
                for entry in entries:
                    entry.tag = structure.contents_entry(toc)
                if entries:
                    out.append(KeepWithNext([title, entries[0]]))
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
        flow.seq = seq
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


# ---------------------------------------------------------------------------------- the API


def write_pdf(document: Document, path: Path, progress: Progress | None = None) -> None:
    """Write `document` as a PDF to `path` (directly: the caller makes the write atomic).

    `progress(fraction)` is called as the pages are laid out and written, from 0 to 1; an
    exception it raises stops the export and propagates.
    """
    if progress is not None:
        progress(0.0)
    # The layout makes millions of small objects and no reference cycles worth collecting
    # (the flowables, the structure tree, the pages' operators); the cycle collector walking
    # them (and every object of a loaded plan) would cost ~10%.
    with collection_paused():
        _write(document, Path(path), progress)


def _write(document: Document, path: Path, progress: Progress | None) -> None:
    build = Build(document, progress)
    flowables = _flowables(document, build)
    build.total = max(len(flowables), 1)
    template = DocTemplate(path, build)

    def canvasmaker(*args: Any, **kwargs: Any) -> PlanCanvas:
        return PlanCanvas(*args, build=build, **kwargs)

    # reportlab wraps every compressed stream in ASCII85 (a 7-bit-clean PDF, which nothing
    # needs since the 1990s); without its C accelerator that encoding alone is a third of an
    # export.  rl_config is read when the file is written, so it is switched off around it
    # (process-wide: a PDF another thread writes meanwhile is merely larger, and valid).
    use_a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        template.build(flowables, canvasmaker=canvasmaker)
    finally:
        rl_config.useA85 = use_a85
        template.release()
        # What this export made, freed a piece at a time on its own thread rather than in
        # one cascade when this function returns (a freeze of the window, on a large plan).
        release_in_pieces(flowables)
        build.tagger.release()
    build.report(1.0)
