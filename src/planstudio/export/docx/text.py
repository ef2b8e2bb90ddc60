"""WordprocessingML text: page geometry in twips, escaping, runs, paragraphs, checkboxes."""

from __future__ import annotations

from collections.abc import Iterable

from planstudio.export.document import (
    LINE_BREAK,
    Checkbox,
    Orientation,
    clean_text,
)

# ---------------------------------------------------------------------------- page geometry
# Twentieths of a point (twips).  US Letter, one-inch margins.

PAGE_SHORT, PAGE_LONG = 12240, 15840
MARGIN = 1440
TEXT_WIDTH: dict[Orientation, int] = {
    "portrait": PAGE_SHORT - 2 * MARGIN,
    "landscape": PAGE_LONG - 2 * MARGIN,
}
TEXT_HEIGHT: dict[Orientation, int] = {
    "portrait": PAGE_LONG - 2 * MARGIN,
    "landscape": PAGE_SHORT - 2 * MARGIN,
}
EMU_PER_INCH = 914400

# Estimating a row's height (to decide whether it may be kept whole on one page): the
# average width of a character of 9.5-point Calibri, the height of a line, a cell's padding.
CHAR_TWIPS = 92
LINE_TWIPS = 232
CELL_PADDING = 200
# Rows up to this many lines are kept whole (moved to the next page rather than split);
# longer ones may split, so that a cell taller than a page continues instead of failing.
KEEP_WHOLE_LINES = 18

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CT_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
# Relationship types (as python-docx's RELATIONSHIP_TYPE names them).
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOCUMENT = _RT + "officeDocument"
RT_HEADER = _RT + "header"
RT_FOOTER = _RT + "footer"
RT_IMAGE = _RT + "image"
RT_CUSTOM_XML = _RT + "customXml"
RT_CORE_PROPERTIES = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
RT_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"

# Ids of the relationships the writer adds to the main part; python-docx's are rId1…
RID_HEADER = {"first": "rIdPsHdrFirst", "portrait": "rIdPsHdrP", "landscape": "rIdPsHdrL"}
RID_FOOTER = {"first": "rIdPsFtrFirst", "default": "rIdPsFtr"}

# Checkbox glyphs are not in Calibri; name a font that has them (Word on Windows, and Word
# falls back on its own elsewhere; LibreOffice finds them in DejaVu Sans).
_SYMBOL_FONT = "Segoe UI Symbol"
_SYMBOL_RUN_PROPERTIES = (
    f'<w:rPr><w:rFonts w:ascii="{_SYMBOL_FONT}" w:hAnsi="{_SYMBOL_FONT}" '
    f'w:eastAsia="{_SYMBOL_FONT}" w:cs="{_SYMBOL_FONT}"/></w:rPr>'
)


# ---------------------------------------------------------------------------- text


def _escape(text: str) -> str:
    # Quotes need no escaping in element text, only in attribute values (see escape_attribute).
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def escape_text(text: str) -> str:
    """`text` as element content."""
    return _escape(text)


def escape_attribute(text: str) -> str:
    return _escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def text_runs(line: str, properties: str = "") -> str:
    """One paragraph's text (no "\n") as runs; tabs become Word tabs, a `LINE_BREAK` a
    break within the paragraph (<w:br/>, as Word's own Shift+Enter)."""
    if not line:
        return ""
    if LINE_BREAK in line:
        pieces = line.split(LINE_BREAK)
        return "<w:r><w:br/></w:r>".join(text_runs(piece, properties) for piece in pieces)
    if "\t" not in line:
        return f'<w:r>{properties}<w:t xml:space="preserve">{_escape(line)}</w:t></w:r>'
    pieces = []
    for index, piece in enumerate(line.split("\t")):
        if index:
            pieces.append("<w:tab/>")
        if piece:
            pieces.append(f'<w:t xml:space="preserve">{_escape(piece)}</w:t>')
    return f"<w:r>{properties}{''.join(pieces)}</w:r>"


def text_lines(text: str) -> list[str]:
    # Typed line breaks become paragraphs of their own, as each typed line reads on screen.
    return clean_text(text).split("\n")


def paragraphs(text: str, style: str, extra: str = "") -> str:
    head = f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>'
    lines = text_lines(text)
    if len(lines) == 1:  # most cells and paragraphs: no generator, no join
        return f"{head}{text_runs(lines[0])}</w:p>"
    return "".join(f"{head}{text_runs(line)}</w:p>" for line in lines)


def checkbox_paragraph(box: Checkbox, style: str) -> str:
    glyph = "☒" if box.checked else "☐"
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f"<w:r>{_SYMBOL_RUN_PROPERTIES}<w:t>{glyph}</w:t></w:r>"
        f"{text_runs(' ' + clean_text(box.text).replace(chr(10), ' '))}</w:p>"
    )


def estimated_lines(lines: Iterable[str | Checkbox], chars_per_line: int) -> int:
    total = 0
    for line in lines:
        text = line.text if isinstance(line, Checkbox) else line
        if "\n" not in text and LINE_BREAK not in text:  # one piece: no copies to make
            total += len(text) // chars_per_line + 1
            continue
        for piece in text.replace(LINE_BREAK, "\n").split("\n"):
            total += len(piece) // chars_per_line + 1
    return total
