"""The small parts: the styles (from resources/docx/styles.xml), settings, headers, footers,
section properties."""

from __future__ import annotations

import re
from functools import cache

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
    escape_attribute,
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

# The parts are edited as text: python-docx's template writes each element with the "w" prefix,
# and a w:style never holds another, so an element is found by its start and end tags.
_STYLE = re.compile(r"<w:style\b[^>]*?/>|<w:style\b[^>]*>.*?</w:style>", re.DOTALL)
_DOC_DEFAULTS = re.compile(r"<w:docDefaults>.*?</w:docDefaults>", re.DOTALL)
_RUN_DEFAULTS = re.compile(r"<w:rPrDefault>.*?</w:rPrDefault>", re.DOTALL)
_LANG = re.compile(r'(<w:lang\b[^>]*?\sw:val=")[^"]*(")')
_THEME_FONT_LANG = re.compile(r'(<w:themeFontLang\b[^>]*?\sw:val=")[^"]*(")')
_UPDATE_FIELDS = re.compile(r"<w:updateFields\b[^>]*/>|<w:updateFields\b[^>]*>.*?</w:updateFields>",
                            re.DOTALL)  # fmt: skip


class TemplateError(ValueError):
    """The template's part is not laid out as this module expects (a new python-docx?)."""


def _set_language(xml: str, pattern: re.Pattern[str], language: str, where: str) -> str:
    xml, count = pattern.subn(lambda m: f"{m.group(1)}{escape_attribute(language)}{m.group(2)}",
                              xml)  # fmt: skip
    if not count:
        raise TemplateError(f"the template's {where} has no language to set")
    return xml


def prepare_styles(styles: bytes, language: str) -> bytes:
    """The template's styles part with our styles in place of the template's versions, and
    `language` the language of all text (what a screen reader speaks it in)."""
    xml = styles.decode("utf-8")
    defaults = _DOC_DEFAULTS.search(xml)
    run_defaults = _RUN_DEFAULTS.search(defaults.group(0)) if defaults else None
    if defaults is None or run_defaults is None:
        raise TemplateError("the template's styles have no run defaults")
    start = defaults.start() + run_defaults.start()
    end = defaults.start() + run_defaults.end()
    run_xml = _set_language(xml[start:end], _LANG, language, "run defaults")
    pieces = [xml[:start], run_xml]
    # The replaced styles, found by their ids (each once at most), cut out in order.
    cuts = []
    for style_id in _REPLACED_STYLES:
        found = xml.find(f' w:styleId="{style_id}"', end)
        if found < 0:
            continue
        open_at = xml.rfind("<w:style ", end, found)
        close_at = xml.find("</w:style>", found)
        if open_at < 0 or close_at < 0 or xml.find(">", open_at) < found:
            raise TemplateError(f"the template's style {style_id} is not where expected")
        cuts.append((open_at, close_at + len("</w:style>")))
    position = end
    for open_at, close_at in sorted(cuts):
        pieces.append(xml[position:open_at])
        position = close_at
    closing = xml.rindex("</w:styles>")
    pieces.append(xml[position:closing])
    pieces.extend(_STYLE.findall(_styles_xml().decode("utf-8")))
    pieces.append(xml[closing:])
    return "".join(pieces).encode("utf-8")


def prepare_settings(settings: bytes, language: str) -> bytes:
    """The theme's fonts are `language`'s.  Word is not asked to refresh fields on open
    (no updateFields): the table of contents carries its page numbers already, and that
    request makes Word ask the reader a question on every opening."""
    xml = _set_language(settings.decode("utf-8"), _THEME_FONT_LANG, language, "settings")
    return _UPDATE_FIELDS.sub("", xml).encode("utf-8")


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
