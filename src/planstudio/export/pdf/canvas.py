"""The page canvas and doc template: pages held to the end, then numbered and decorated."""

from __future__ import annotations

import math
import zlib
from pathlib import Path
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFPage, PDFStream
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from planstudio.export.document import (
    Document,
    clean_text,
)
from planstudio.export.pdf.flowables import Build, context_of
from planstudio.export.pdf.fonts import SANS
from planstudio.export.pdf.objects import flate_stream
from planstudio.export.pdf.styles import (
    BLACK,
    DRAFT_RED,
    FOOTER_RISE,
    GREY,
    HEADER_DROP,
    LANDSCAPE,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PORTRAIT,
    RULE,
)
from planstudio.export.pdf.tagging import END, pagination
from planstudio.export.pdf.text import fill_colour, stroke_colour
from planstudio.export.pdf.wrapping import wrap_text

# ------------------------------------------------------------------------ canvas and template


class PlanCanvas(Canvas):
    """Holds every page until the end, then decorates and writes them (see module doc)."""

    _code: list[str]  # reportlab's operators of the page being drawn

    def __init__(self, *args: Any, build: Build, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ps = build
        self._ps_pages: list[dict[str, Any]] = []
        self._ps_base: dict[str, Any] | None = None
        self._ps_origin = (0.0, 0.0)
        self._ps_headers: dict[tuple[float, float], str] = {}

    def showPage(self) -> None:
        # Thousands of pages wait here, so each is kept small: one string of operators, and
        # of the canvas's state only what differs from the first page's.
        self._code = ["\n".join(self._code)]
        current = self.__dict__
        base = self._ps_base
        if base is None:
            base = self._ps_base = dict(current)
        state = {key: value for key, value in current.items() if base.get(key, base) is not value}
        gone = base.keys() - current.keys()
        if gone:
            state["_ps_gone"] = gone
        self._ps_pages.append(state)
        self._startPage()

    def save(self) -> None:
        build = context_of(self)
        pages = self._ps_pages
        base = self._ps_base or {}
        contents: dict[int, list[tuple[str, str, float, float, float]]] = {}
        for page, *entry in build.contents_numbers:
            contents.setdefault(page, []).append(tuple(entry))  # type: ignore[arg-type]
        # Pages are numbered as printed pages are counted, the cover being page 1 (it just
        # shows no number), as Word's PAGE and NUMPAGES do: the .docx of the same plan says
        # the same, and a viewer's "go to page 5" lands on "Page 5 of N".
        total = len(pages)
        for index, state in enumerate(pages):
            self.__dict__.update(base)
            for key in state.pop("_ps_gone", ()):
                self.__dict__.pop(key, None)
            self.__dict__.update(state)
            # reportlab copies the page's operators when it takes the page: let the held
            # copy go at once, or a long plan would hold its text twice.
            pages[index] = {}
            page = index + 1
            numbers = contents.get(page)
            if numbers:
                self._code = [self._contents_numbers(build, self._code[0], numbers)]
            for key, left, top in build.bookmarks.get(page, ()):
                self.bookmarkHorizontalAbsolute(key, top, left=left)
            self._decorate(build, page, page, total, page in build.cover_pages)
            Canvas.showPage(self)
            _compress_now(self._doc.Pages.pages[-1])
            build.report(build.LAYOUT_SHARE + (1 - build.LAYOUT_SHARE) * page / len(pages) * 0.95)
        pages.clear()
        self._ps_base = None
        tagger = build.tagger
        tagger.prepare(self, self._doc.info.title or build.document.cover.title)
        data = self.getpdfdata()
        update = tagger.append_structure(self._doc, data)
        with Path(self._filename).open("wb") as file:
            file.write(data)
            file.write(update)

    def _contents_numbers(
        self, build: Build, code: str, entries: list[tuple[str, str, float, float, float]]
    ) -> str:
        style = build.styles.contents
        for placeholder, key, right, baseline, text_end in entries:
            heading_page = build.heading_pages.get(key)
            ops = ""
            if heading_page is not None:
                label = str(heading_page)
                x = right - style.widths[label]
                ops = f"{fill_colour(BLACK)} {build.emitter.line(x, baseline, label, style)}"
                if x - 6 > text_end + 6:
                    ops += (
                        f" {stroke_colour(GREY)} 0.8 w 1 J [0 3] 0 d {text_end + 6:.2f} "
                        f"{baseline + 1:.2f} m {x - 6:.2f} {baseline + 1:.2f} l S [] 0 d 0 J"
                    )
            code = code.replace(placeholder, ops, 1)
        return code

    def _decorate(self, build: Build, page: int, number: int, total: int, cover: bool) -> None:
        styles = build.styles
        emitter = build.emitter
        width, height = self._pagesize
        ops = ["q"]
        right = width - MARGIN_X
        if not cover:
            style = styles.running
            # The running header is the same on every page of one size: made once.
            header = self._ps_headers.get((width, height))
            if header is None:
                # Made twice: the first time gives its characters their codes, the second
                # writes it as every page after would (one font change, not one per line).
                self._header(build, width, height)
                header = self._ps_headers[width, height] = self._header(build, width, height)
            ops.append(header)
            footer = f"Page {number} of {total}"
            ops.append(pagination("Footer"))
            ops.append(emitter.line(right - style.widths[footer], FOOTER_RISE, footer, style))
            ops.append(END)
        if build.document.draft:
            tag = styles.draft_tag
            ops.append(pagination("Header"))
            ops.append(fill_colour(tag.colour))
            ops.append(
                emitter.line(right - tag.widths["DRAFT"], height - HEADER_DROP, "DRAFT", tag)
            )
            ops.append(END)
        ops.append("Q")
        self._code.append("\n".join(ops))
        if build.document.draft:
            self._watermark(build, width, height)

    def _header(self, build: Build, width: float, height: float) -> str:
        """The running header and its rule, as an artifact, on a page of this size."""
        style = build.styles.running
        right = width - MARGIN_X
        ops = [pagination("Header"), fill_colour(style.colour)]
        room = right - MARGIN_X - (60 if build.document.draft else 0)
        lines = wrap_text(build.header_text, style, room)
        if len(lines) > 2:  # a running header of two lines at most
            *start, (x, text) = lines[1] or ((0.0, ""),)
            lines = [lines[0], (*start, (x, text + " …"))]
        # The last line of the header sits on the header baseline, above the rule.
        top = height - HEADER_DROP + style.drop + (len(lines) - 1) * style.leading
        build.emitter.lines(ops, MARGIN_X, top, lines, style)
        rule_y = height - HEADER_DROP - 9
        ops.append(
            f"{stroke_colour(RULE)} 0.5 w {MARGIN_X} {rule_y:.2f} m {right} {rule_y:.2f} l S"
        )
        ops.append(END)
        return "\n".join(ops)

    def _watermark(self, build: Build, width: float, height: float) -> None:
        # Translucent and on top, so that shaded cells cannot hide it.
        style = build.styles.watermark
        self.saveState()
        self.setFillAlpha(0.10)
        angle = math.atan2(height, width)
        cos, sin = math.cos(angle), math.sin(angle)
        text_width = style.widths["DRAFT"]
        x = width / 2 - cos * text_width / 2 + sin * style.size * 0.35
        y = height / 2 - sin * text_width / 2 - cos * style.size * 0.35
        self._code.append(
            f"{pagination('Watermark')} "
            f"{fill_colour(DRAFT_RED)} BT {cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} "
            f"{x:.2f} {y:.2f} Tm "
            f"{build.emitter.show('DRAFT', style)} ET {END}"
        )
        self.restoreState()


def _compress_now(page: PDFPage) -> None:
    """Compress `page`'s operators now instead of when the file is put together.

    reportlab keeps every page's operators as text until the end, and then holds each
    page's text, its compressed stream and the file's bytes at once.  zlib's fastest level,
    as for the structure tree's object streams: level 6 took a tenth of a long export for
    a file 6% smaller.
    """
    stream = page.stream
    if stream and not page.Contents:
        content = stream.encode("utf-8") if isinstance(stream, str) else stream
        page.Contents = _WrittenOnce(
            PDFDictionary({"Filter": PDFName("FlateDecode")}), zlib.compress(content, 1)
        )
        page.stream = None


class _WrittenOnce(PDFStream):
    """A stream that lets its content go once it is written into the file: the file's
    bytes need not sit beside a second copy of every page."""

    def format(self, document: Any) -> bytes:
        formatted = flate_stream(self.__dict__["content"], document)
        if formatted is None:
            formatted = super().format(document)
        self.content = b""
        return formatted


class DocTemplate(BaseDocTemplate):
    def __init__(self, path: Path, build: Build) -> None:
        document = build.document
        cover = document.cover
        meta = document.metadata
        main = orientation_of(document)
        super().__init__(
            str(path),
            pagesize=PORTRAIT if main == "portrait" else LANDSCAPE,
            title=meta.get("title", clean_text(cover.title)),
            author=meta.get("author", clean_text(cover.organization)),
            subject=meta.get("subject", ""),
            keywords=meta.get("keywords", ""),
            creator="Plan Studio",
            pageCompression=1,
            # Also the canvas's initial font, so no unembedded Helvetica is ever referenced.
            initialFontName=SANS,
        )
        self.build_state = build
        self.addPageTemplates(
            [
                _template("cover", PORTRAIT if main == "portrait" else LANDSCAPE, self._on_cover),
                _template("portrait", PORTRAIT, None),
                _template("landscape", LANDSCAPE, None),
            ]
        )

    def release(self) -> None:
        """Undo the reference cycles reportlab leaves once the file is written.

        The doc template and its canvas refer to each other, the page templates call back
        into the doc template, and the PDF document's objects (pages and their parent,
        outline entries linked both ways) form cycles too; through the canvas they hold
        the build, and so the document.  Left alone, all of it waits for the cycle
        collector, whose pass over it holds the interpreter lock long enough to freeze the
        window (the export runs on a thread).  Emptied here, it all goes at once by
        reference counting when `write_pdf` returns.
        """
        canvas = self.__dict__.get("canv")
        if canvas is not None:
            document = canvas.__dict__.get("_doc")
            if document is not None:
                for obj in document.idToObject.values():
                    if hasattr(obj, "__dict__"):
                        obj.__dict__.clear()
                outline = getattr(document, "outline", None)
                if outline is not None:
                    outline.__dict__.clear()
                document.__dict__.clear()
            canvas.__dict__.clear()
        for template in self.pageTemplates:
            for frame in template.frames:
                frame.__dict__.clear()
            template.__dict__.clear()
        self.__dict__.clear()

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        self.build_state.frame_height = self.pageTemplate.pagesize[1] - MARGIN_TOP - MARGIN_BOTTOM

    def _on_cover(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.build_state.cover_pages.add(canvas.getPageNumber())

    def afterFlowable(self, flowable: Flowable) -> None:
        self.build_state.advance(getattr(flowable, "seq", 0))


def orientation_of(document: Document) -> str:
    return "landscape" if document.orientation == "landscape" else "portrait"


def _template(name: str, size: tuple[float, float], on_page: Any) -> PageTemplate:
    width, height = size
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        width - 2 * MARGIN_X,
        height - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=name,
    )
    if on_page is None:
        return PageTemplate(id=name, frames=[frame], pagesize=size)
    return PageTemplate(id=name, frames=[frame], pagesize=size, onPage=on_page)
