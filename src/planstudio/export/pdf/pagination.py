"""Where the PDF writer puts each heading: its page, without writing the PDF.

The Word file's table of contents shows these numbers (see `docx.body`), so that it reads
as the PDF of the same document does without the reader updating fields.  The pages are
laid out exactly as `write_pdf` lays them out (the same flowables, templates and canvas),
but nothing is drawn (a flowable placed on a page only notes a heading's page: drawing was
half the time), tables get no structure elements for their cells, nothing is kept of a
finished page, no file is written, and the layout stops once every heading the contents
list has its page (what comes after cannot move them).
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from planstudio.export.chart import ChartDescription
from planstudio.export.document import Contents, Document, heading_levels
from planstudio.export.pdf.canvas import DocTemplate, PlanCanvas
from planstudio.export.pdf.flowables import Build
from planstudio.export.pdf.styles import Progress
from planstudio.export.pdf.writer import _flowables
from planstudio.model.collection import collection_paused


class _AllPlaced(Exception):
    """Every heading asked for has its page: the rest need not be laid out."""


class _Template(DocTemplate):
    def __init__(self, build: Build, wanted: set[str]) -> None:
        super().__init__(io.BytesIO(), build)  # type: ignore[arg-type]
        self.wanted = wanted

    def afterFlowable(self, flowable: Any) -> None:
        super().afterFlowable(flowable)
        if self.wanted <= self.build_state.heading_pages.keys():
            raise _AllPlaced


class _CountingCanvas(PlanCanvas):
    """A page canvas that lets each page go as soon as it is laid out."""

    def showPage(self) -> None:
        self._startPage()

    def save(self) -> None:
        pass


def heading_pages(
    document: Document,
    progress: Progress | None = None,
    described: dict[int, ChartDescription] | None = None,
) -> dict[int, int]:
    """The page (the cover being page 1) each heading of `document` that its contents list
    starts on in its PDF, by block index; `progress` hears 0 … 1 as the pages are laid out.
    `described` holds the charts' descriptions the caller has made (by id of the block)."""
    depth = max((b.levels for b in document.blocks if isinstance(b, Contents)), default=0)
    # Headings as the Word file levels them (never deeper than one below the one before):
    # its contents list these, a superset of those the PDF's contents list.
    listed = [i for i, level in heading_levels(document.blocks).items() if level <= depth]
    if not listed:
        return {}
    build = Build(document, progress)
    build.pages_only = True
    if described:
        build.described = described
    with collection_paused():
        flowables = _flowables(document, build)
        build.total = max(len(flowables), 1)
        template = _Template(build, {f"h{index}" for index in listed})

        def canvasmaker(*args: Any, **kwargs: Any) -> _CountingCanvas:
            return _CountingCanvas(*args, build=build, **kwargs)

        try:
            with contextlib.suppress(_AllPlaced):
                template.build(flowables, canvasmaker=canvasmaker)
        finally:
            # The Word export runs on a thread too: what the layout leaves must go by
            # reference counting, not in one long collector pass (see DocTemplate.release).
            template.release()
    pages = build.heading_pages
    return {index: pages[f"h{index}"] for index in listed if f"h{index}" in pages}
