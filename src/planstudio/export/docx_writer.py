"""The Word writer: a `Document` as a .docx file.

python-docx provides the package around the text: its template's styles,
theme, settings and document properties, which this module adjusts through
python-docx's element tree.  The body itself, with its thousands of table rows,
is written here as WordprocessingML text, straight into the zip file, block by
block: python-docx's per-cell API takes about 4 s for a 400-step plan, and a
whole body built as an lxml tree costs more memory than a 4,000-step plan can
afford.  Headers, footers and chart pictures are small parts written the same
way.

Styles carry the formatting (Heading 1-3 for the table of contents, "PS Cell"
for table text and so on), so the body repeats only a style's name per
paragraph, never its properties.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import IO

import docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

from planstudio.export.chart import describe_chart
from planstudio.export.chart_png import HEIGHT_IN, WIDTH_IN, render_chart
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
)
from planstudio.paths import resources_dir

Progress = Callable[[float], object]

# ---------------------------------------------------------------------------- page geometry
# Twentieths of a point (twips).  US Letter, one-inch margins.

_PAGE_SHORT, _PAGE_LONG = 12240, 15840
_MARGIN = 1440
_TEXT_WIDTH: dict[Orientation, int] = {
    "portrait": _PAGE_SHORT - 2 * _MARGIN,
    "landscape": _PAGE_LONG - 2 * _MARGIN,
}
_TEXT_HEIGHT: dict[Orientation, int] = {
    "portrait": _PAGE_LONG - 2 * _MARGIN,
    "landscape": _PAGE_SHORT - 2 * _MARGIN,
}
_EMU_PER_INCH = 914400

# Estimating a row's height (to decide whether it may be kept whole on one page): the
# average width of a character of 9.5-point Calibri, the height of a line, a cell's padding.
_CHAR_TWIPS = 92
_LINE_TWIPS = 232
_CELL_PADDING = 200
# Rows up to this many lines are kept whole (moved to the next page rather than split);
# longer ones may split, so that a cell taller than a page continues instead of failing.
_KEEP_WHOLE_LINES = 18

_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CT_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

# Ids of the relationships this module adds to the main part; python-docx's are rId1…
_RID_HEADER = {"first": "rIdPsHdrFirst", "portrait": "rIdPsHdrP", "landscape": "rIdPsHdrL"}
_RID_FOOTER = {"first": "rIdPsFtrFirst", "default": "rIdPsFtr"}

# Checkbox glyphs are not in Calibri; name a font that has them (Word on Windows, and Word
# falls back on its own elsewhere; LibreOffice finds them in DejaVu Sans).
_SYMBOL_FONT = "Segoe UI Symbol"
_SYMBOL_RUN_PROPERTIES = (
    f'<w:rPr><w:rFonts w:ascii="{_SYMBOL_FONT}" w:hAnsi="{_SYMBOL_FONT}" '
    f'w:eastAsia="{_SYMBOL_FONT}" w:cs="{_SYMBOL_FONT}"/></w:rPr>'
)


# ---------------------------------------------------------------------------- text


def _escape(text: str) -> str:
    # Quotes need no escaping in element text, only in attribute values (see _attribute).
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute(text: str) -> str:
    return _escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _runs(line: str, properties: str = "") -> str:
    """One line of text (no line breaks) as runs; tabs become Word tabs."""
    if not line:
        return ""
    if "\t" not in line:
        return f'<w:r>{properties}<w:t xml:space="preserve">{_escape(line)}</w:t></w:r>'
    pieces = []
    for index, piece in enumerate(line.split("\t")):
        if index:
            pieces.append("<w:tab/>")
        if piece:
            pieces.append(f'<w:t xml:space="preserve">{_escape(piece)}</w:t>')
    return f"<w:r>{properties}{''.join(pieces)}</w:r>"


def _lines(text: str) -> list[str]:
    # Typed line breaks become paragraphs of their own, as each typed line reads on screen.
    return clean_text(text).split("\n")


def _paragraphs(text: str, style: str, extra: str = "") -> str:
    head = f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>'
    return "".join(f"{head}{_runs(line)}</w:p>" for line in _lines(text))


def _checkbox(box: Checkbox, style: str) -> str:
    glyph = "☒" if box.checked else "☐"
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f"<w:r>{_SYMBOL_RUN_PROPERTIES}<w:t>{glyph}</w:t></w:r>"
        f"{_runs(' ' + clean_text(box.text).replace(chr(10), ' '))}</w:p>"
    )


def _estimated_lines(lines: Iterable[str | Checkbox], chars_per_line: int) -> int:
    total = 0
    for line in lines:
        text = line.text if isinstance(line, Checkbox) else line
        for piece in text.split("\n"):
            total += len(piece) // chars_per_line + 1
    return total


# ---------------------------------------------------------------------------- styles

@cache
def _styles_xml() -> bytes:
    """The styles every exported document uses (Normal, headings, the PS… styles), read
    once from resources/docx/styles.xml."""
    return (resources_dir() / "docx" / "styles.xml").read_bytes()

_REPLACED_STYLES = ("Normal", "Heading1", "Heading2", "Heading3", "Title", "TOCHeading", "Header",
                    "Footer")  # fmt: skip


def _prepare_styles(styles_element: object) -> None:
    """Put this module's styles in the template's styles part, replacing its own versions."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    element = styles_element
    for style in list(element.iterfind(f"{w}style")):  # type: ignore[attr-defined]
        if style.get(f"{w}styleId") in _REPLACED_STYLES:
            element.remove(style)  # type: ignore[attr-defined]
    for style in parse_xml(_styles_xml()).iterfind(f"{w}style"):
        element.append(style)  # type: ignore[attr-defined]


def _prepare_settings(settings_element: object) -> None:
    """Ask Word to refresh fields (the table of contents) when the document opens."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    element = settings_element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    compat = element.find(f"{w}compat")  # type: ignore[attr-defined]
    # Schema order: updateFields comes just before compat.
    if compat is not None:
        compat.addprevious(update)
    else:
        element.append(update)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- headers, footers

_WATERMARK_SHAPETYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/>'
    '<v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>'
    '<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>'
    '<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>'
    '<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
    '<v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" '
    'xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>'
    "</v:shapetype>"
)


def _watermark(number: int) -> str:
    """Word's own DRAFT watermark: a pale diagonal word behind the text of every page."""
    return (
        f"<w:r><w:rPr><w:noProof/></w:rPr><w:pict>{_WATERMARK_SHAPETYPE}"
        f'<v:shape id="PowerPlusWaterMarkObject{number}" o:spid="_x0000_s{2048 + number}" '
        'type="#_x0000_t136" style="position:absolute;margin-left:0;margin-top:0;'
        "width:440pt;height:110pt;rotation:315;z-index:-251657216;"
        "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        'mso-position-vertical:center;mso-position-vertical-relative:margin" '
        'o:allowincell="f" fillcolor="#d8d8d8" stroked="f"><v:fill opacity=".5"/>'
        '<v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" string="DRAFT"/>'
        "</v:shape></w:pict></w:r>"
    )


def _header(document: Document, orientation: Orientation | None, number: int) -> str:
    """A header part; `orientation` None is the cover's, which shows only the DRAFT mark."""
    mark = _watermark(number) if document.draft else ""
    if orientation is None:
        body = f'<w:p><w:pPr><w:pStyle w:val="PSSpacer"/></w:pPr>{mark}</w:p>'
    else:
        draft = ""
        if document.draft:
            draft = (
                '<w:r><w:tab/></w:r><w:r><w:rPr><w:b/><w:color w:val="C00000"/></w:rPr>'
                "<w:t>DRAFT</w:t></w:r>"
            )
        tab = f'<w:tabs><w:tab w:val="right" w:pos="{_TEXT_WIDTH[orientation]}"/></w:tabs>'
        text = " ".join(_lines(document.header_text))
        body = (
            f'<w:p><w:pPr><w:pStyle w:val="Header"/>{tab}</w:pPr>{mark}{_runs(text)}{draft}</w:p>'
        )
    return f"{_XML_DECLARATION}<w:hdr {_NAMESPACES}>{body}</w:hdr>"


def _footer(first: bool) -> str:
    if first:
        body = '<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr></w:p>'
    else:
        body = (
            '<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
            '<w:r><w:t xml:space="preserve">Page </w:t></w:r>'
            '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
            '<w:r><w:t xml:space="preserve"> of </w:t></w:r>'
            '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>'
        )
    return f"{_XML_DECLARATION}<w:ftr {_NAMESPACES}>{body}</w:ftr>"


def _section_properties(orientation: Orientation, first: bool) -> str:
    """A section's page set-up; the first section holds the cover, with its own header."""
    references = (
        f'<w:headerReference w:type="default" r:id="{_RID_HEADER[orientation]}"/>'
        f'<w:footerReference w:type="default" r:id="{_RID_FOOTER["default"]}"/>'
    )
    if first:
        references += (
            f'<w:headerReference w:type="first" r:id="{_RID_HEADER["first"]}"/>'
            f'<w:footerReference w:type="first" r:id="{_RID_FOOTER["first"]}"/>'
        )
    if orientation == "portrait":
        size = f'<w:pgSz w:w="{_PAGE_SHORT}" w:h="{_PAGE_LONG}"/>'
    else:
        size = f'<w:pgSz w:w="{_PAGE_LONG}" w:h="{_PAGE_SHORT}" w:orient="landscape"/>'
    margins = (
        f'<w:pgMar w:top="{_MARGIN}" w:right="{_MARGIN}" w:bottom="{_MARGIN}" '
        f'w:left="{_MARGIN}" w:header="720" w:footer="720" w:gutter="0"/>'
    )
    title_page = "<w:titlePg/>" if first else ""
    return f'<w:sectPr>{references}<w:type w:val="nextPage"/>{size}{margins}{title_page}</w:sectPr>'


# ---------------------------------------------------------------------------- the body

_SPACER = '<w:p><w:pPr><w:pStyle w:val="PSSpacer"/></w:pPr></w:p>'
_EMPTY_CELL_PARAGRAPH = '<w:p><w:pPr><w:pStyle w:val="PSCell"/></w:pPr></w:p>'


class _Body:
    """Renders the blocks of a document as the XML of its body, in pieces."""

    def __init__(self, document: Document, pictures: dict[int, str]) -> None:
        self.document = document
        self.pictures = pictures  # block index → relationship id of its chart picture
        self.orientation: Orientation = document.orientation
        self.first_section = True
        self.break_pending = False
        self.drawing_id = 0
        self.last_was_table = False
        self._label_cells: dict[tuple[str, int], str] = {}
        # Every heading with the bookmark the table of contents links it by, in order.
        self.headings: list[tuple[int, str, str]] = []
        self._bookmarks: dict[int, str] = {}
        for index, block in enumerate(document.blocks):
            if isinstance(block, Heading):
                bookmark = f"_TocPS{len(self.headings) + 1}"
                level = min(max(block.level, 1), 3)
                self.headings.append((level, " ".join(_lines(block.text)), bookmark))
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
        properties = _section_properties(self.orientation, self.first_section)
        self.first_section = False
        return f'<w:p><w:pPr><w:pStyle w:val="PSSpacer"/>{properties}</w:pPr></w:p>'

    # -- whole document

    def pieces(self, progress: Callable[[float], None]) -> Iterator[str]:
        yield f"{_XML_DECLARATION}<w:document {_NAMESPACES}><w:body>"
        yield self._cover()
        blocks = self.document.blocks
        step = max(1, len(blocks) // 100)
        for index, block in enumerate(blocks):
            if index % step == 0:
                progress(index / max(1, len(blocks)))
            yield self._block(index, block)
            self.last_was_table = isinstance(block, LabelValueTable | Grid)
        yield _section_properties(self.orientation, self.first_section)
        yield "</w:body></w:document>"

    def _cover(self) -> str:
        cover = self.document.cover

        def lines(text: str, style: str, extra: str = "") -> str:
            # One paragraph per cover item, typed line breaks kept as breaks within it, so
            # that a two-line title stays one title.
            runs = "<w:r><w:br/></w:r>".join(_runs(line) for line in _lines(text))
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
            return self._label_value_table(block)
        if isinstance(block, Grid):
            return self._grid(block)
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 3)
            runs = "<w:r><w:br/></w:r>".join(_runs(line) for line in _lines(block.text))
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
            return _paragraphs(block.text, style, self._page_break())
        if isinstance(block, Checkbox):
            return self._break_paragraph() + _checkbox(block, "Normal")
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
            f"{_runs(clean_text(block.title))}</w:p>"
        )
        # A real TOC field over Heading 1-3, which Word rebuilds with page numbers when the
        # document opens (settings: updateFields).  Until then, and in programs that do not
        # update fields (LibreOffice, viewers), it shows the headings as links, unnumbered.
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-'
            f'{levels}" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        entries = [entry for entry in self.headings if entry[0] <= levels]
        if not entries:
            return f'{heading}<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>{begin}{end}</w:p>'
        out = [heading]
        last = len(entries) - 1
        for index, (level, text, bookmark) in enumerate(entries):
            out.append(
                f'<w:p><w:pPr><w:pStyle w:val="TOC{level}"/></w:pPr>{begin if index == 0 else ""}'
                f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{_runs(text)}</w:hyperlink>'
                f"{end if index == last else ''}</w:p>"
            )
        return "".join(out)

    def _chart(self, index: int, chart: Chart) -> str:
        relationship = self.pictures.get(index)
        title = _paragraphs(chart.title, "PSChartTitle", self._page_break()) if chart.title else ""
        if relationship is None:
            return title
        self.drawing_id += 1
        number = self.drawing_id
        cx, cy = round(WIDTH_IN * _EMU_PER_INCH), round(HEIGHT_IN * _EMU_PER_INCH)
        description = _attribute(describe_chart(chart).alt_text)
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
    def _table_start(widths: list[int], look: str) -> str:
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        return (
            f'<w:tbl><w:tblPr><w:tblStyle w:val="PSTable"/><w:tblW w:w="{sum(widths)}" '
            'w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            f"{look}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        )

    @staticmethod
    def _cell_lines(lines: Iterable[str | Checkbox], style: str) -> str:
        parts = []
        for line in lines:
            if isinstance(line, Checkbox):
                parts.append(_checkbox(line, style))
            else:
                parts.append(_paragraphs(line, style))
        # Word requires a paragraph in every cell; an empty one is an empty cell.
        return "".join(parts) or f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>'

    def _widths(self, fractions: tuple[float, ...], columns: int) -> list[int]:
        total = _TEXT_WIDTH[self.orientation]
        if len(fractions) != columns or not all(f > 0 for f in fractions):
            fractions = (1 / columns,) * columns
        scale = sum(fractions)
        widths = [math.floor(total * f / scale) for f in fractions]
        widths[-1] += total - sum(widths)
        return widths

    def _label_value_table(self, table: LabelValueTable) -> str:
        fraction = table.label_fraction if 0 < table.label_fraction < 1 else 1 / 3
        widths = self._widths((fraction, 1 - fraction), 2)
        label_cpl = max(8, (widths[0] - _CELL_PADDING) // _CHAR_TWIPS)
        value_cpl = max(8, (widths[1] - _CELL_PADDING) // _CHAR_TWIPS)
        page_lines = _TEXT_HEIGHT[self.orientation] // _LINE_TWIPS
        look = (
            '<w:tblLook w:val="0480" w:firstRow="0" w:lastRow="0" w:firstColumn="1" '
            'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        )
        start = self._table_start(widths, look)
        label_open = f'<w:tc><w:tcPr><w:tcW w:w="{widths[0]}" w:type="dxa"/></w:tcPr>'
        value_open = f'<w:tc><w:tcPr><w:tcW w:w="{widths[1]}" w:type="dxa"/></w:tcPr>'
        out = [self._before_table(), start]
        rows_in_table = 0
        for label, value in table.rows:
            label_cell = self._label_cell(label, widths[0])
            label_lines = _estimated_lines((label,), label_cpl)
            value_lines = _estimated_lines(value, value_cpl)
            if value_lines > page_lines:
                # Taller than a page: a table of its own whose repeated header row carries the
                # label, so that each page the value continues on shows its label again.
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
            keep = (
                "<w:trPr><w:cantSplit/></w:trPr>"
                if max(label_lines, value_lines) <= _KEEP_WHOLE_LINES
                else ""
            )
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

    def _label_cell(self, label: str, width: int) -> str:
        # The same dozen labels print thousands of times in a district plan: render each once.
        key = (label, width)
        cell = self._label_cells.get(key)
        if cell is None:
            cell = (
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                f"{_paragraphs(label, 'PSLabel')}</w:tc>"
            )
            self._label_cells[key] = cell
        return cell

    def _grid(self, grid: Grid) -> str:
        columns = max(len(grid.header), max((len(row) for row in grid.rows), default=0), 1)
        widths = self._widths(grid.widths, columns)
        look = (
            '<w:tblLook w:val="0620" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        )
        openers = [
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>' for width in widths
        ]
        per_line = [max(4, (width - _CELL_PADDING) // _CHAR_TWIPS) for width in widths]
        out = [self._before_table(), self._table_start(widths, look)]
        header = list(grid.header) + [""] * (columns - len(grid.header))
        out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        for opener, title in zip(openers, header, strict=True):
            out.append(f"{opener}{_paragraphs(title, 'PSGridHead')}</w:tc>")
        out.append("</w:tr>")
        empty = ()
        for row in grid.rows:
            cells = list(row) + [empty] * (columns - len(row))
            tallest = max(
                _estimated_lines(cell, chars) for cell, chars in zip(cells, per_line, strict=True)
            )
            out.append(
                "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
                if tallest <= _KEEP_WHOLE_LINES
                else "<w:tr>"
            )
            for opener, cell in zip(openers, cells, strict=True):
                out.append(f"{opener}{self._cell_lines(cell, 'PSCell')}</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)


# ---------------------------------------------------------------------------- the package


def _template(document: Document, exported: dt.datetime) -> WordDocument:
    template = docx.Document()
    package = template.part.package
    # The template's thumbnail, Word 2010 style copy and custom XML describe python-docx's
    # sample document, not this one.
    for relationship in list(package.rels.values()):
        if relationship.reltype == RT.THUMBNAIL:
            del package.rels[relationship.rId]
    for relationship in list(template.part.rels.values()):
        if relationship.reltype in (_STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
            del template.part.rels[relationship.rId]
    _prepare_styles(template.styles.element)
    _prepare_settings(template.settings.element)
    properties = template.core_properties
    meta = document.metadata
    properties.title = meta.get("title", document.cover.title)[:255]
    properties.subject = meta.get("subject", "")[:255]
    properties.author = meta.get("organization", document.cover.organization)[:255]
    properties.last_modified_by = meta.get("creator", "Plan Studio")[:255]
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
    properties.revision = 1
    properties.created = exported
    properties.modified = exported
    return template


def _content_types(parts: list[tuple[str, str]]) -> bytes:
    overrides = "".join(
        f'<Override PartName="{name}" ContentType="{content_type}"/>'
        for name, content_type in parts
    )
    return (
        f"{_XML_DECLARATION}"
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        f"{overrides}</Types>"
    ).encode()


def _relationships(existing: bytes, extra: list[tuple[str, str, str]]) -> bytes:
    added = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in extra
    )
    closing = b"</Relationships>"
    if existing.rstrip().endswith(closing):
        return existing.rstrip()[: -len(closing)] + added.encode() + closing
    # No relationships yet: python-docx writes a self-closed element.
    return (
        f"{_XML_DECLARATION}<Relationships "
        f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{added}</Relationships>'
    ).encode()


class _ChunkedWriter:
    """Joins small pieces of text and writes them encoded, a few hundred kilobytes at a time."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.pieces: list[str] = []
        self.size = 0

    def write(self, piece: str) -> None:
        self.pieces.append(piece)
        self.size += len(piece)
        if self.size > 1 << 18:
            self.flush()

    def flush(self) -> None:
        if self.pieces:
            self.stream.write("".join(self.pieces).encode("utf-8"))
            self.pieces.clear()
            self.size = 0


def write_docx(document: Document, path: Path, progress: Progress | None = None) -> None:
    """Write `document` as a Word file at `path` (overwritten); `progress` hears 0 … 1."""

    def report(fraction: float) -> None:
        if progress is not None:
            progress(min(1.0, max(0.0, fraction)))

    report(0.0)
    exported = dt.datetime.now(dt.UTC).replace(microsecond=0)
    template = _template(document, exported)
    main = template.part

    charts = [
        (i, b)
        for i, b in enumerate(document.blocks)
        if isinstance(b, Chart) and (b.series or b.baseline)
    ]
    pictures: dict[int, str] = {}
    media: list[tuple[str, bytes]] = []
    extra_rels: list[tuple[str, str, str]] = []
    # Charts are drawn on a few threads: Pillow and zlib release the interpreter while they
    # work, which halves the time of a plan with hundreds of measures on two cores.
    pool = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1))
    try:
        drawn = pool.map(render_chart, (chart for _, chart in charts))
        for count, ((index, _), png) in enumerate(zip(charts, drawn, strict=True), start=1):
            rid = f"rIdPsChart{count}"
            pictures[index] = rid
            media.append((f"word/media/chart{count}.png", png))
            extra_rels.append((rid, RT.IMAGE, f"media/chart{count}.png"))
            if count % 20 == 0:
                report(0.25 * count / len(charts))
    finally:
        # A cancel must not wait for the charts still queued.
        pool.shutdown(wait=True, cancel_futures=True)
    chart_share = 0.25 if charts else 0.0

    headers = {
        "first": _header(document, None, 1),
        "portrait": _header(document, "portrait", 2),
        "landscape": _header(document, "landscape", 3),
    }
    footers = {"first": _footer(True), "default": _footer(False)}
    small_parts: list[tuple[str, str, str]] = []  # zip name, content type, XML
    for key, xml in headers.items():
        name = f"word/psheader_{key}.xml"
        small_parts.append((name, _CT_HEADER, xml))
        extra_rels.append((_RID_HEADER[key], RT.HEADER, name.removeprefix("word/")))
    for key, xml in footers.items():
        name = f"word/psfooter_{key}.xml"
        small_parts.append((name, _CT_FOOTER, xml))
        extra_rels.append((_RID_FOOTER[key], RT.FOOTER, name.removeprefix("word/")))

    parts = list(main.package.iter_parts())
    overrides = [(str(part.partname), part.content_type) for part in parts]
    overrides += [("/" + name, content_type) for name, content_type, _ in small_parts]

    body = _Body(document, pictures)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", _content_types(overrides))
        archive.writestr("_rels/.rels", main.package.rels.xml)
        # Streamed: the body of a 4,000-step plan is tens of megabytes of XML, written as it
        # is made rather than held whole.  (A ZipInfo, so that it is dated like the rest.)
        body_entry = zipfile.ZipInfo(main.partname.membername, time.localtime()[:6])
        body_entry.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(body_entry, "w", force_zip64=True) as stream:
            writer = _ChunkedWriter(stream)
            share = 0.9 - chart_share
            for piece in body.pieces(lambda f: report(chart_share + share * f)):
                writer.write(piece)
            writer.flush()
        report(0.92)
        archive.writestr(
            main.partname.rels_uri.membername, _relationships(main.rels.xml, extra_rels)
        )
        for part in parts:
            if part is main:
                continue
            archive.writestr(part.partname.membername, part.blob)
            if len(part.rels):
                archive.writestr(part.partname.rels_uri.membername, part.rels.xml)
        for name, _, xml in small_parts:
            archive.writestr(name, xml.encode("utf-8"))
        for name, data in media:
            # PNG data is compressed already; deflating it again only costs time.
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
    report(1.0)
