"""The writers leave no reference cycles behind: once a PDF or Word export returns, the document,
its flowables and reportlab's objects are freed by reference counting, not by a pass of the
cycle collector (which, on the export thread, would hold the interpreter lock and freeze
the window)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from planstudio.export import export_snapshot
from planstudio.export.layouts import LAYOUTS, build_document
from planstudio.export.pdf.pagination import heading_pages
from planstudio.export.pdf.tagging import Tagger
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


@pytest.mark.timeout(120)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_whole_export_leaves_nothing_for_the_collector(
    collector_held, tmp_path: Path, fmt: str, layout: str
) -> None:
    # The window's export holds the collector until the export is over; anything left in a
    # cycle would wait for the next pass, which frees it all at once on the window's time.
    snapshot = load_plan_json("full.json")
    export_snapshot(snapshot, fmt, tmp_path / f"plan.{fmt}", layout=layout)  # caches warm
    gc.collect()
    export_snapshot(snapshot, fmt, tmp_path / f"plan.{fmt}", layout=layout)
    assert gc.collect() == 0


def test_the_structure_tree_is_taken_apart_element_by_element() -> None:
    # Each element loses its kids before it goes, so no single release frees a whole branch.
    tagger = Tagger("en-US")
    table = tagger.element("Table", tagger.root)
    cells = [tagger.element("TD", tagger.element("TR", table)) for _ in range(50)]
    cells[0].more((1, 2))
    tagger.elements = []  # as after the file is written: the tree is reached from its root
    tagger.release()
    assert table.kids is None and all(cell.kids is None for cell in cells)
    assert tagger.root.kids is None and tagger.elements == []
