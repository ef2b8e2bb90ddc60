"""The pages, links and bookmarks written by export/pdf/objects.py are byte for byte what
reportlab's own formatting writes: the fast path changes the time, never the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from reportlab import rl_config

from planstudio.export.document import Contents
from planstudio.export.layouts import LAYOUTS, build_document
from planstudio.export.pdf import objects
from planstudio.export.pdf.writer import write_pdf
from tests.export.helpers import EXPORTED, load_plan_json


@pytest.mark.timeout(120)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_fast_formatting_writes_reportlabs_bytes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, layout: str
) -> None:
    # A file that depends on nothing but its content (no date, no random ID).
    monkeypatch.setattr(rl_config, "invariant", 1)
    snapshot = load_plan_json("full.json")
    pages = 0
    resources = objects._resources

    def counted(*args: Any) -> bytes:
        nonlocal pages
        pages += 1
        return resources(*args)

    monkeypatch.setattr(objects, "_resources", counted)
    document = build_document(snapshot, layout, EXPORTED)
    contents = any(isinstance(block, Contents) for block in document.blocks)
    write_pdf(document, tmp_path / "fast.pdf")
    assert pages > 1  # the fast path wrote the pages

    monkeypatch.setattr(objects, "fast_formatting", lambda: False)
    write_pdf(build_document(snapshot, layout, EXPORTED), tmp_path / "reportlab.pdf")

    fast = (tmp_path / "fast.pdf").read_bytes()
    assert b"/Outlines" in fast  # bookmarks too
    assert (b"/Type /Annot" in fast) == contents  # and the contents' links
    assert fast == (tmp_path / "reportlab.pdf").read_bytes()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Reading (grades 3-5) \\ 40% → 55%",
        "Tab\tand\nnew line, \x7f and ¤ € œ",
        "Ελληνικά and 中文 and 😀 (not in PDFDocEncoding)",
        "quotes “curly” ‘single’ — dash",
    ],
)
def test_pdf_string_is_reportlabs(text: str) -> None:
    # The structure tree's alt text is written with it, outside reportlab's formatting.
    from reportlab.pdfbase.pdfdoc import PDFDocument, PDFString

    assert objects.pdf_string(text) == PDFString(text).format(PDFDocument())
