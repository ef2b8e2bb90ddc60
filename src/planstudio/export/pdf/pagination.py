"""Where the PDF writer puts each heading: its page, without writing the PDF.

The Word file's table of contents shows these numbers (see `docx.body`), so that it reads
as the PDF of the same document does without the reader updating fields.  The pages are
laid out exactly as `write_pdf` lays them out (the same flowables, templates and canvas),
but nothing is kept of a finished page and no file is written.
"""

from __future__ import annotations

import io
from typing import Any

from planstudio.export.document import Document, Heading
from planstudio.export.pdf.canvas import DocTemplate, PlanCanvas
from planstudio.export.pdf.flowables import Build
from planstudio.export.pdf.styles import Progress
from planstudio.export.pdf.writer import _flowables
from planstudio.model.loading import collection_paused


class _CountingCanvas(PlanCanvas):
    """A page canvas that lets each page go as soon as it is laid out."""

    def showPage(self) -> None:
        self._startPage()

    def save(self) -> None:
        pass


def heading_pages(document: Document, progress: Progress | None = None) -> dict[int, int]:
    """The page (the cover being page 1) each heading of `document` starts on in its PDF,
    by block index; `progress` hears 0 … 1 as the pages are laid out."""
    build = Build(document, progress)
    with collection_paused():
        flowables = _flowables(document, build)
        build.total = max(len(flowables), 1)
        template = DocTemplate(io.BytesIO(), build)  # type: ignore[arg-type]

        def canvasmaker(*args: Any, **kwargs: Any) -> _CountingCanvas:
            return _CountingCanvas(*args, build=build, **kwargs)

        template.build(flowables, canvasmaker=canvasmaker)
    pages: dict[int, int] = {}
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            page = build.heading_pages.get(f"h{index}")
            if page is not None:
                pages[index] = page
    return pages
