"""The document body written as WordprocessingML text, block by block."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from planstudio.export.document import (
    Chart,
    Checkbox,
    Contents,
    Document,
    Grid,
    Heading,
    LabelValueTable,
    Orient,
    Orientation,
    PageBreak,
    Paragraph,
    clean_text,
    heading_levels,
    table_captions,
)
from planstudio.export.docx.parts import section_properties
from planstudio.export.docx.text import (
    CELL_PADDING,
    CHAR_TWIPS,
    EMU_PER_INCH,
    KEEP_WHOLE_LINES,
    LINE_TWIPS,
    NAMESPACES,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    XML_DECLARATION,
    checkbox_paragraph,
    escape_attribute,
    estimated_lines,
    paragraphs,
    text_lines,
    text_runs,
)

if TYPE_CHECKING:
    from planstudio.export.chart import ChartDescription

# ---------------------------------------------------------------------------- the body


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SPACER = '<w:p><w:pPr><w:pStyle w:val="PSSpacer"/></w:pPr></w:p>'
_EMPTY_CELL_PARAGRAPH = '<w:p><w:pPr><w:pStyle w:val="PSCell"/></w:pPr></w:p>'


class Body:
    """Renders the blocks of a document as the XML of its body, in pieces."""

    def __init__(
        self,
        document: Document,
        pictures: dict[int, str],
        pages: dict[int, int] | None = None,
        described: dict[int, ChartDescription] | None = None,
    ) -> None:
        self.document = document
        self.pictures = pictures  # block index → relationship id of its chart picture
        # id of a Chart block → its description, where the writer has made it already
        self.described = described or {}
        # block index → the page a heading starts on in the PDF of the same document
        self.pages = pages or {}
        self.orientation: Orientation = document.orientation
        self.first_section = True
        self.break_pending = False
        self.drawing_id = 0
        self.last_was_table = False
        self._label_cells: dict[tuple[str, int], str] = {}
        self._label_line_counts: dict[tuple[str, int], int] = {}
        # Every heading with the bookmark the table of contents links it by and its page
        # (None when unknown), in order.
        self.headings: list[tuple[int, str, str, int | None]] = []
        self._bookmarks: dict[int, str] = {}
        self._levels = heading_levels(document.blocks)
        self._captions = table_captions(document.blocks)
        for index, block in enumerate(document.blocks):
            if isinstance(block, Heading):
                bookmark = f"_TocPS{len(self.headings) + 1}"
                level = self._levels[index]
                entry = block.contents or block.text
                page = self.pages.get(index)
                self.headings.append((level, " ".join(text_lines(entry)), bookmark, page))
                self._bookmarks[index] = bookmark

    # -- page flow

    def _page_break(self) -> str:
        """A paragraph property that starts the paragraph on a new page, if one is pending."""
        if not self.break_pending:
            return ""
        self.break_pending = False
        return "<w:pageBreakBefore/>"

    def _break_paragraph(self) -> str:
        # Before a table, which cannot carry pageBreakBefore itself.
        if not self.break_pending:
            return ""
        self.break_pending = False
        return (
            '<w:p><w:pPr><w:pStyle w:val="PSSpacer"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>'
        )

    def _before_table(self) -> str:
        """What must come before a table: a pending page break, or a paragraph between it
        and a table just before it, which Word and LibreOffice would otherwise merge into one
        (and repeat the first table's header row over the second's)."""
        if self.break_pending:
            return self._break_paragraph()
        if self.last_was_table:
            return _SPACER
        return ""

    def _end_section(self) -> str:
        properties = section_properties(self.orientation, self.first_section)
        self.first_section = False
        return f'<w:p><w:pPr><w:pStyle w:val="PSSpacer"/>{properties}</w:pPr></w:p>'

    # -- whole document

    def pieces(self, progress: Callable[[float], None]) -> Iterator[str]:
        yield f"{XML_DECLARATION}<w:document {NAMESPACES}><w:body>"
        yield self._cover()
        blocks = self.document.blocks
        step = max(1, len(blocks) // 100)
        for index, block in enumerate(blocks):
            if index % step == 0:
                progress(index / max(1, len(blocks)))
            yield self._block(index, block)
            self.last_was_table = isinstance(block, LabelValueTable | Grid)
        yield section_properties(self.orientation, self.first_section)
        yield "</w:body></w:document>"

    def _cover(self) -> str:
        cover = self.document.cover

        def lines(text: str, style: str, extra: str = "") -> str:
            # One paragraph per cover item, typed line breaks kept as breaks within it, so
            # that a two-line title stays one title.
            runs = "<w:r><w:br/></w:r>".join(text_runs(line) for line in text_lines(text))
            return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>{runs}</w:p>'

        parts = [lines(cover.title, "Title", '<w:spacing w:before="2880"/>')]
        for line in (cover.organization, cover.years):
            if line:
                parts.append(lines(line, "PSCoverLine"))
        if cover.status:
            parts.append(lines(cover.status, "PSCoverStatus"))
        if cover.exported:
            parts.append(lines(cover.exported, "PSCoverLine", '<w:spacing w:before="480"/>'))
        self.break_pending = True
        return "".join(parts)

    def _block(self, index: int, block: object) -> str:
        if isinstance(block, LabelValueTable):
            return self._label_value_table(block, self._captions[index])
        if isinstance(block, Grid):
            return self._grid(block, self._captions[index])
        if isinstance(block, Heading):
            level = self._levels[index]
            runs = "<w:r><w:br/></w:r>".join(text_runs(line) for line in text_lines(block.text))
            bookmark = self._bookmarks[index]
            number = bookmark.removeprefix("_TocPS")
            return (
                f'<w:p><w:pPr><w:pStyle w:val="Heading{level}"/>{self._page_break()}</w:pPr>'
                f'<w:bookmarkStart w:id="{number}" w:name="{bookmark}"/>{runs}'
                f'<w:bookmarkEnd w:id="{number}"/></w:p>'
            )
        if isinstance(block, Paragraph):
            style = {"body": "Normal", "note": "PSNote", "label": "PSLead"}.get(
                block.style, "Normal"
            )
            return paragraphs(block.text, style, self._page_break())
        if isinstance(block, Checkbox):
            return self._break_paragraph() + checkbox_paragraph(block, "Normal")
        if isinstance(block, Chart):
            return self._chart(index, block)
        if isinstance(block, PageBreak):
            self.break_pending = True
            return ""
        if isinstance(block, Orient):
            if block.orientation == self.orientation:
                return ""
            ended = self._end_section()
            self.orientation = block.orientation
            self.break_pending = False  # a new section starts on a new page already
            return ended
        if isinstance(block, Contents):
            return self._contents(block)
        raise TypeError(f"the Word writer does not know the block {type(block).__name__}")

    def _contents(self, block: Contents) -> str:
        levels = min(max(block.levels, 1), 3)
        heading = (
            f'<w:p><w:pPr><w:pStyle w:val="TOCHeading"/>{self._page_break()}</w:pPr>'
            f"{text_runs(clean_text(block.title))}</w:p>"
        )
        # A real TOC field over Heading 1-3 whose result is already there: each entry a link
        # to its heading and the page number the PDF of the same document prints (a PAGEREF
        # field's result, as Word writes its own contents).  Word shows them as they are, and
        # asks nothing on opening (not dirty, no updateFields); a reader who edits the file
        # may update the field to get Word's own pagination.
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-'
            f'{levels}" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        entries = [entry for entry in self.headings if entry[0] <= levels]
        if not entries:
            return f'{heading}<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>{begin}{end}</w:p>'
        tabs = (
            f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH[self.orientation]}"/>'
            "</w:tabs>"
        )
        out = [heading]
        last = len(entries) - 1
        for index, (level, text, bookmark, page) in enumerate(entries):
            number = ""
            if page is not None:
                number = (
                    '<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                    f'<w:r><w:instrText xml:space="preserve"> PAGEREF {bookmark} \\h </w:instrText>'
                    '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                    f'<w:r><w:t>{page}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
                )
            out.append(
                f'<w:p><w:pPr><w:pStyle w:val="TOC{level}"/>{tabs}</w:pPr>'
                f"{begin if index == 0 else ''}"
                f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{text_runs(text)}{number}'
                f"</w:hyperlink>{end if index == last else ''}</w:p>"
            )
        return "".join(out)

    def _chart(self, index: int, chart: Chart) -> str:
        relationship = self.pictures.get(index)
        title = paragraphs(chart.title, "PSChartTitle", self._page_break()) if chart.title else ""
        if relationship is None:
            return title
        # Only a document with charts loads them (and Pillow, which the picture's module needs).
        from planstudio.export.chart import describe_chart
        from planstudio.export.chart_png import picture_size

        self.drawing_id += 1
        number = self.drawing_id
        described = self.described.get(id(chart))
        if described is None:
            described = describe_chart(chart)
        width_in, height_in = picture_size(described)
        cx, cy = round(width_in * EMU_PER_INCH), round(height_in * EMU_PER_INCH)
        description = escape_attribute(described.alt_text)
        return (
            f'{title}<w:p><w:pPr><w:pStyle w:val="PSChart"/></w:pPr><w:r><w:drawing>'
            f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{number}" name="Chart {number}" descr="{description}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{number}" name="chart{number}.png"/>'
            f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{relationship}"/>'
            "<a:stretch><a:fillRect/>"
            '</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            "</pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        )

    # -- tables

    @staticmethod
    def _table_start(widths: list[int], look: str, caption: str, description: str) -> str:
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        # Caption and description: the table's name and summary in Word's table list and
        # for a screen reader (Table Properties → Alt Text).
        named = (
            f'<w:tblCaption w:val="{escape_attribute(_short(caption, 255))}"/>'
            f'<w:tblDescription w:val="{escape_attribute(_short(description, 1000))}"/>'
        )
        return (
            f'<w:tbl><w:tblPr><w:tblStyle w:val="PSTable"/><w:tblW w:w="{sum(widths)}" '
            'w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f"{look}{named}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        )

    @staticmethod
    def _cell_lines(lines: Iterable[str | Checkbox], style: str) -> str:
        parts = []
        for line in lines:
            if isinstance(line, Checkbox):
                parts.append(checkbox_paragraph(line, style))
            else:
                parts.append(paragraphs(line, style))
        # Word requires a paragraph in every cell; an empty one is an empty cell.
        return "".join(parts) or f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>'

    def _widths(self, fractions: tuple[float, ...], columns: int) -> list[int]:
        total = TEXT_WIDTH[self.orientation]
        if len(fractions) != columns or not all(f > 0 for f in fractions):
            fractions = (1 / columns,) * columns
        scale = sum(fractions)
        widths = [math.floor(total * f / scale) for f in fractions]
        widths[-1] += total - sum(widths)
        return widths

    def _label_value_table(self, table: LabelValueTable, caption: str) -> str:
        fraction = table.label_fraction if 0 < table.label_fraction < 1 else 1 / 3
        widths = self._widths((fraction, 1 - fraction), 2)
        label_cpl = max(8, (widths[0] - CELL_PADDING) // CHAR_TWIPS)
        value_cpl = max(8, (widths[1] - CELL_PADDING) // CHAR_TWIPS)
        page_lines = TEXT_HEIGHT[self.orientation] // LINE_TWIPS
        look = (
            '<w:tblLook w:val="0480" w:firstRow="0" w:lastRow="0" w:firstColumn="1" '
            'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        )
        labels = ", ".join(" ".join(clean_text(label).split()) for label, _ in table.rows)
        description = f"A label in the first column, its value in the second: {labels}."
        start = self._table_start(widths, look, caption, description)
        label_open = f'<w:tc><w:tcPr><w:tcW w:w="{widths[0]}" w:type="dxa"/></w:tcPr>'
        value_open = f'<w:tc><w:tcPr><w:tcW w:w="{widths[1]}" w:type="dxa"/></w:tcPr>'
        out = [self._before_table(), start]
        rows_in_table = 0
        # The table's header row: its caption across both columns (repeated on each page),
        # else its first row, when short, so that a continued table says what it is about.
        caption_row = ""
        if table.caption:
            caption_row = (
                "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
                f'<w:tc><w:tcPr><w:tcW w:w="{sum(widths)}" w:type="dxa"/><w:gridSpan w:val="2"/>'
                f"</w:tcPr>{paragraphs(table.caption, 'PSGridHead')}</w:tc></w:tr>"
            )
            out.append(caption_row)
            rows_in_table += 1
        first_row = not table.caption
        for label, value in table.rows:
            label_cell = self._label_cell(label, widths[0])
            label_lines = self._label_lines(label, label_cpl)
            value_lines = estimated_lines(value, value_cpl)
            if value_lines > page_lines:
                # Taller than a page: a table of its own whose repeated header row carries the
                # label, so that each page the value continues on shows its label again.
                first_row = False
                if rows_in_table:
                    out.append("</w:tbl>")
                    out.append(_SPACER)
                    out.append(start)
                out.append(
                    "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
                    f"{label_cell}{value_open}{_EMPTY_CELL_PARAGRAPH}</w:tc></w:tr>"
                    f"<w:tr>{label_open}{_EMPTY_CELL_PARAGRAPH}</w:tc>"
                    f"{value_open}{self._cell_lines(value, 'PSCell')}</w:tc></w:tr></w:tbl>"
                    f"{_SPACER}"
                )
                out.append(start)
                rows_in_table = 0
                continue
            short = max(label_lines, value_lines) <= KEEP_WHOLE_LINES
            keep = "<w:trPr><w:cantSplit/></w:trPr>" if short else ""
            if first_row and short:
                keep = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
            first_row = False
            out.append(
                f"<w:tr>{keep}{label_cell}{value_open}"
                f"{self._cell_lines(value, 'PSCell')}</w:tc></w:tr>"
            )
            rows_in_table += 1
        if rows_in_table:
            out.append("</w:tbl>")
        else:
            out.pop()  # the table just started has no rows
        return "".join(out)

    def _label_lines(self, label: str, chars_per_line: int) -> int:
        key = (label, chars_per_line)
        lines = self._label_line_counts.get(key)
        if lines is None:
            lines = self._label_line_counts[key] = estimated_lines((label,), chars_per_line)
        return lines

    def _label_cell(self, label: str, width: int) -> str:
        # The same dozen labels print thousands of times in a district plan: render each once.
        key = (label, width)
        cell = self._label_cells.get(key)
        if cell is None:
            cell = (
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                f"{paragraphs(label, 'PSLabel')}</w:tc>"
            )
            self._label_cells[key] = cell
        return cell

    def _grid(self, grid: Grid, caption: str) -> str:
        columns = max(len(grid.header), max((len(row) for row in grid.rows), default=0), 1)
        widths = self._widths(grid.widths, columns)
        look = (
            '<w:tblLook w:val="0620" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        )
        openers = [
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>' for width in widths
        ]
        per_line = [max(4, (width - CELL_PADDING) // CHAR_TWIPS) for width in widths]
        header = list(grid.header) + [""] * (columns - len(grid.header))
        names = ", ".join(" ".join(clean_text(title).split()) for title in header if title)
        description = f"{len(grid.rows)} rows; columns: {names}."
        out = [self._before_table(), self._table_start(widths, look, caption, description)]
        out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        for opener, title in zip(openers, header, strict=True):
            out.append(f"{opener}{paragraphs(title, 'PSGridHead')}</w:tc>")
        out.append("</w:tr>")
        empty = ()
        for row in grid.rows:
            cells = list(row) + [empty] * (columns - len(row))
            tallest = max(
                estimated_lines(cell, chars) for cell, chars in zip(cells, per_line, strict=True)
            )
            out.append(
                "<w:tr><w:trPr><w:cantSplit/></w:trPr>" if tallest <= KEEP_WHOLE_LINES else "<w:tr>"
            )
            for opener, cell in zip(openers, cells, strict=True):
                out.append(f"{opener}{self._cell_lines(cell, 'PSCell')}</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)
