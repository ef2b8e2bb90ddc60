"""The Word writer: a `Document` as a .docx file.

python-docx provides the package around the text: its template's styles,
theme, settings and document properties, which `package` reads from the
template file and adjusts as text (importing python-docx and lxml cost more
than writing a district plan's body).  The body itself, with its thousands of
table rows, is written here as WordprocessingML text, straight into the zip
file, block by block: python-docx's per-cell API takes about 4 s for a
400-step plan, and a whole body built as an lxml tree costs more memory than
a 4,000-step plan can afford.  Headers, footers and chart pictures are small
parts written the same way.

The table of contents is a TOC field that holds its result already: each entry with the
page number the PDF writer gives its heading (`export.pdf.pagination`, the same layout run
without writing a file), so Word shows numbers without asking to update fields.

Styles carry the formatting (Heading 1-3 for the table of contents, "PS Cell"
for table text and so on), so the body repeats only a style's name per
paragraph, never its properties.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from planstudio.export.document import (
    Chart,
    Contents,
    Document,
)
from planstudio.export.docx.body import Body
from planstudio.export.docx.package import (
    ChunkedWriter,
    Relationship,
    content_types,
    relationships_xml,
    rels_name,
    template_package,
)
from planstudio.export.docx.parts import footer_xml, header_xml
from planstudio.export.docx.text import (
    CT_FOOTER,
    CT_HEADER,
    RID_FOOTER,
    RID_HEADER,
    RT_FOOTER,
    RT_HEADER,
    RT_IMAGE,
)

if TYPE_CHECKING:
    from planstudio.export.chart import ChartDescription

Progress = Callable[[float], object]


def write_docx(
    document: Document, path: Path, progress: Progress | None = None, *, chart_threads: bool = True
) -> None:
    """Write `document` as a Word file at `path` (overwritten); `progress` hears 0 … 1.

    `chart_threads`: draw the charts on helper threads (the default, for the command line).
    The window asks for none: each more Python thread wanting the interpreter is one more
    the window must win it from to paint (two drawing threads beside the pagination froze
    it 66-456 ms at 10,000 steps); drawn on the export's own thread, the charts of a
    10,000-step plan take ~0.9 s longer.
    """

    def report(fraction: float) -> None:
        if progress is not None:
            progress(min(1.0, max(0.0, fraction)))

    report(0.0)
    exported = dt.datetime.now(dt.UTC).replace(microsecond=0)
    template = template_package(document, exported)

    charts = [
        (i, b)
        for i, b in enumerate(document.blocks)
        if isinstance(b, Chart) and (b.series or b.baseline or b.panels)
    ]
    pictures: dict[int, str] = {}
    media: list[tuple[str, bytes]] = []
    extra_rels: list[Relationship] = []
    chart_share = 0.25 if charts else 0.0
    # Charts are drawn on a few threads: Pillow and zlib release the interpreter while they
    # work, which halves the time of a plan with hundreds of measures on two cores.  The
    # contents' pagination (Python) runs meanwhile, on this thread.  Pillow and the threads
    # are only set up for a document that has charts.
    pool = None
    drawn: Iterable[bytes] = ()
    # Each chart described once, for its picture, the contents' pagination and the body.
    described: dict[int, ChartDescription] = {}
    if charts:
        from concurrent.futures import ThreadPoolExecutor

        import planstudio.export.chart_png  # noqa: F401  (here, not first on the drawing threads)
        from planstudio.export.chart import describe_chart

        described = {id(chart): describe_chart(chart) for _, chart in charts}
        if chart_threads:
            pool = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1))
    try:
        if pool is not None:
            drawn = pool.map(render_chart, described.values())
        elif described:
            drawn = map(render_chart, described.values())  # as the pictures are written
        pages = _heading_pages(document, lambda f: report(0.3 * f), described)
        page_share = 0.3 if pages else 0.0
        for count, ((index, _), png) in enumerate(zip(charts, drawn, strict=True), start=1):
            rid = f"rIdPsChart{count}"
            pictures[index] = rid
            media.append((f"word/media/chart{count}.png", png))
            extra_rels.append(Relationship(rid, RT_IMAGE, f"media/chart{count}.png"))
            if count % 20 == 0:
                report(page_share + chart_share * count / len(charts))
    finally:
        if pool is not None:
            # A cancel must not wait for the charts still queued.
            pool.shutdown(wait=True, cancel_futures=True)

    headers = {
        "first": header_xml(document, None, 1),
        "portrait": header_xml(document, "portrait", 2),
        "landscape": header_xml(document, "landscape", 3),
    }
    footers = {"first": footer_xml(True), "default": footer_xml(False)}
    small_parts: list[tuple[str, str, str]] = []  # zip name, content type, XML
    for key, xml in headers.items():
        name = f"word/psheader_{key}.xml"
        small_parts.append((name, CT_HEADER, xml))
        extra_rels.append(Relationship(RID_HEADER[key], RT_HEADER, name.removeprefix("word/")))
    for key, xml in footers.items():
        name = f"word/psfooter_{key}.xml"
        small_parts.append((name, CT_FOOTER, xml))
        extra_rels.append(Relationship(RID_FOOTER[key], RT_FOOTER, name.removeprefix("word/")))

    overrides = [("/" + template.main_name, template.main_content_type)]
    overrides += [("/" + part.name, part.content_type) for part in template.parts]
    overrides += [("/" + name, content_type) for name, content_type, _ in small_parts]

    body = Body(document, pictures, pages, described)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", content_types(overrides))
        archive.writestr("_rels/.rels", template.package_relationships)
        # Streamed: the body of a 4,000-step plan is tens of megabytes of XML, written as it
        # is made rather than held whole.  (A ZipInfo, so that it is dated like the rest.)
        body_entry = zipfile.ZipInfo(template.main_name, time.localtime()[:6])
        body_entry.compress_type = zipfile.ZIP_DEFLATED
        start = chart_share + page_share
        share = 0.9 - start
        with (
            archive.open(body_entry, "w", force_zip64=True) as stream,
            ChunkedWriter(stream) as writer,
        ):
            for piece in body.pieces(lambda f: report(start + share * f)):
                writer.write(piece)
        report(0.92)
        archive.writestr(
            rels_name(template.main_name),
            relationships_xml(template.main_relationships + extra_rels),
        )
        for part in template.parts:
            archive.writestr(part.name, part.data)
            if part.relationships is not None:
                archive.writestr(rels_name(part.name), part.relationships)
        for name, _, xml in small_parts:
            archive.writestr(name, xml.encode("utf-8"))
        for name, data in media:
            # PNG data is compressed already; deflating it again only costs time.
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
    report(1.0)


def render_chart(chart: ChartDescription) -> bytes:
    """The chart's picture (`chart_png.draw_chart`), which needs Pillow: loaded only by a
    document that has charts."""
    from planstudio.export.chart_png import draw_chart

    return draw_chart(chart)


def _heading_pages(
    document: Document,
    progress: Callable[[float], None],
    described: dict[int, ChartDescription],
) -> dict[int, int]:
    """The page each heading starts on in the PDF of `document`, for the contents' numbers;
    none when the document has no contents or PDF export is not installed."""
    if not any(isinstance(block, Contents) for block in document.blocks):
        return {}
    try:
        from planstudio.export.pdf.pagination import heading_pages
    except ImportError:  # an installation without reportlab: contents without numbers
        return {}
    return heading_pages(document, progress, described)
