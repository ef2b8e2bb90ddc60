"""The small parts: the styles (from resources/docx/styles.xml), settings, headers, footers,
section properties."""

from __future__ import annotations

from functools import cache

from docx.oxml import parse_xml

from planstudio.export.document import (
    Document,
    Orientation,
)
from planstudio.export.docx.text import (
    MARGIN,
    NAMESPACES,
    PAGE_LONG,
    PAGE_SHORT,
    RID_FOOTER,
    RID_HEADER,
    TEXT_WIDTH,
    XML_DECLARATION,
    text_lines,
    text_runs,
)
from planstudio.paths import resources_dir

# ---------------------------------------------------------------------------- styles


@cache
def _styles_xml() -> bytes:
    """The styles every exported document uses (Normal, headings, the PS… styles), read
    once from resources/docx/styles.xml."""
    return (resources_dir() / "docx" / "styles.xml").read_bytes()


_REPLACED_STYLES = ("Normal", "Heading1", "Heading2", "Heading3", "Title", "TOCHeading", "Header",
                    "Footer")  # fmt: skip


def prepare_styles(styles_element: object, language: str) -> None:
    """Put our styles in the template's styles part, replacing the template's versions, and
    make `language` the language of all text (what a screen reader speaks it in)."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    element = styles_element
    for lang in element.iterfind(f"{w}docDefaults/{w}rPrDefault/{w}rPr/{w}lang"):  # type: ignore[attr-defined]
        lang.set(f"{w}val", language)
    for style in list(element.iterfind(f"{w}style")):  # type: ignore[attr-defined]
        if style.get(f"{w}styleId") in _REPLACED_STYLES:
            element.remove(style)  # type: ignore[attr-defined]
    for style in parse_xml(_styles_xml()).iterfind(f"{w}style"):
        element.append(style)  # type: ignore[attr-defined]


def prepare_settings(settings_element: object, language: str) -> None:
    """The theme's fonts are `language`'s.  Word is not asked to refresh fields on open
    (no updateFields): the table of contents carries its page numbers already, and that
    request makes Word ask the reader a question on every opening."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    element = settings_element
    for lang in element.iterfind(f"{w}themeFontLang"):  # type: ignore[attr-defined]
        lang.set(f"{w}val", language)
    for update in element.findall(f"{w}updateFields"):  # type: ignore[attr-defined]
        element.remove(update)  # type: ignore[attr-defined]


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


def header_xml(document: Document, orientation: Orientation | None, number: int) -> str:
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
        tab = f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH[orientation]}"/></w:tabs>'
        text = " ".join(text_lines(document.header_text))
        body = (
            f'<w:p><w:pPr><w:pStyle w:val="Header"/>{tab}</w:pPr>'
            f"{mark}{text_runs(text)}{draft}</w:p>"
        )
    return f"{XML_DECLARATION}<w:hdr {NAMESPACES}>{body}</w:hdr>"


def footer_xml(first: bool) -> str:
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
    return f"{XML_DECLARATION}<w:ftr {NAMESPACES}>{body}</w:ftr>"


def section_properties(orientation: Orientation, first: bool) -> str:
    """A section's page set-up; the first section holds the cover, with its own header."""
    references = (
        f'<w:headerReference w:type="default" r:id="{RID_HEADER[orientation]}"/>'
        f'<w:footerReference w:type="default" r:id="{RID_FOOTER["default"]}"/>'
    )
    if first:
        references += (
            f'<w:headerReference w:type="first" r:id="{RID_HEADER["first"]}"/>'
            f'<w:footerReference w:type="first" r:id="{RID_FOOTER["first"]}"/>'
        )
    if orientation == "portrait":
        size = f'<w:pgSz w:w="{PAGE_SHORT}" w:h="{PAGE_LONG}"/>'
    else:
        size = f'<w:pgSz w:w="{PAGE_LONG}" w:h="{PAGE_SHORT}" w:orient="landscape"/>'
    margins = (
        f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" '
        f'w:left="{MARGIN}" w:header="720" w:footer="720" w:gutter="0"/>'
    )
    title_page = "<w:titlePg/>" if first else ""
    return f'<w:sectPr>{references}<w:type w:val="nextPage"/>{size}{margins}{title_page}</w:sectPr>'
