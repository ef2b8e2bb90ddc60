"""The PDF writer leaves no reference cycles behind: once `write_pdf` returns, the document,
its flowables and reportlab's objects are freed by reference counting, not by a pass of the
cycle collector (which, on the export thread, would hold the interpreter lock and freeze
the window)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from planstudio.export.layouts import LAYOUTS, build_document
from planstudio.export.pdf.pagination import heading_pages
from planstudio.export.pdf.writer import write_pdf
from tests.export.helpers import EXPORTED, load_plan_json


@pytest.fixture
def collector_held():
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_write_pdf_leaves_nothing_for_the_collector(collector_held, tmp_path: Path, layout):
    document = build_document(load_plan_json("full.json"), layout, EXPORTED)
    blocks = len(document.blocks)
    write_pdf(document, tmp_path / "plan.pdf")  # fonts and caches loaded once for all
    gc.collect()

    document = build_document(load_plan_json("full.json"), layout, EXPORTED)
    gone = weakref.ref(document.cover)
    write_pdf(document, tmp_path / "plan.pdf")
    del document
    # Freed by reference counting alone (the collector is held).
    assert gone() is None
    # And nothing of the export is left for the collector to find.
    assert gc.collect() < max(10, blocks // 100)
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF-1.7")


@pytest.mark.timeout(120)
def test_the_word_contents_pagination_leaves_nothing_for_the_collector(collector_held):
    # The Word export lays the PDF's pages out to number its contents (export.pdf.pagination).
    document = build_document(load_plan_json("full.json"), "ga-dip", EXPORTED)
    assert heading_pages(document)
    gc.collect()
    document = build_document(load_plan_json("full.json"), "ga-dip", EXPORTED)
    blocks = len(document.blocks)
    gone = weakref.ref(document.cover)
    assert heading_pages(document)
    del document
    assert gone() is None
    assert gc.collect() < max(10, blocks // 100)
