"""Accessible Word files, read from the XML: language and title, every table named and
described with a repeating header row, chart alternative text, headings that never skip a
level, and no empty paragraph used for spacing."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from planstudio.export import export_snapshot
from planstudio.export.chart import describe_chart
from planstudio.export.document import Chart, LabelValueTable
from planstudio.export.layouts import LAYOUTS, build_document
from tests.export.helpers import EXPORTED, hostile_plan, load_plan_json

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
PLANS = {"full": load_plan_json("full.json"), "hostile": hostile_plan()}
CASES = [(plan, layout) for plan in PLANS for layout in LAYOUTS]


def _export(tmp_path: Path, plan: str, layout: str, snapshot: Any = None) -> Path:
    out = tmp_path / f"{plan}-{layout}.docx"
    export_snapshot(snapshot or PLANS[plan], "docx", out, layout=layout, exported=EXPORTED)
    return out


def _part(path: Path, name: str) -> Any:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


@pytest.mark.parametrize(("plan", "layout"), CASES)
def test_tables_are_named_described_and_have_a_header_row(tmp_path, plan, layout):
    body = _part(_export(tmp_path, plan, layout), "word/document.xml")
    tables = body.findall(f".//{W}tbl")
    assert tables
    document = build_document(PLANS[plan], layout, EXPORTED)
    tall_first_rows = 0
    for table in tables:
        properties = table.find(f"{W}tblPr")
        caption = properties.find(f"{W}tblCaption")
        description = properties.find(f"{W}tblDescription")
        assert caption is not None and caption.get(f"{W}val").strip()
        assert description is not None and description.get(f"{W}val").strip()
        rows = table.findall(f"{W}tr")
        headers = [row for row in rows if row.find(f"{W}trPr/{W}tblHeader") is not None]
        if not headers:
            tall_first_rows += 1
            continue
        # Header rows come first, as Word requires of rows that repeat.
        assert rows[: len(headers)] == headers
    # Only a label/value table without a caption whose first row is too tall to repeat
    # goes without a header row.
    uncaptioned = sum(
        1 for b in document.blocks if isinstance(b, LabelValueTable) and not b.caption
    )
    assert tall_first_rows <= uncaptioned


def test_a_ga_dip_caption_is_a_header_row_across_both_columns(tmp_path):
    body = _part(_export(tmp_path, "full", "ga-dip"), "word/document.xml")
    captions = [t.find(f"{W}tblPr/{W}tblCaption").get(f"{W}val") for t in body.iter(f"{W}tbl")]
    assert captions[0] == "General Improvement Plan Information"
    assert "Overarching Need" in captions and "Equity Gap" in captions
    first_row = next(body.iter(f"{W}tbl")).find(f"{W}tr")
    assert first_row.find(f"{W}trPr/{W}tblHeader") is not None
    (cell,) = first_row.findall(f"{W}tc")
    assert cell.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"
    assert "".join(cell.itertext()) == "General Improvement Plan Information"


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_language_and_title_are_set(tmp_path, layout):
    snapshot = load_plan_json("full.json")
    snapshot["plan"]["language"] = "es-US"
    path = _export(tmp_path, "full", layout, snapshot)
    styles = _part(path, "word/styles.xml")
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "es-US"
    core = _part(path, "docProps/core.xml")
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert core.find(f"{dc}language").text == "es-US"
    assert core.find(f"{dc}title").text == build_document(snapshot, layout, EXPORTED).metadata.get(
        "title", snapshot["plan"]["title"]
    )


@pytest.mark.parametrize(("plan", "layout"), CASES)
def test_headings_never_skip_a_level(tmp_path, plan, layout):
    body = _part(_export(tmp_path, plan, layout), "word/document.xml")
    last = 0
    seen = 0
    for style in body.iter(f"{W}pStyle"):
        value = style.get(f"{W}val")
        if value.startswith("Heading") and value[7:].isdigit():
            level = int(value[7:])
            assert level <= last + 1, f"Heading {level} after Heading {last}"
            last = level
            seen += 1
    assert seen


def test_chart_alt_text_is_the_charts_description(tmp_path):
    path = _export(tmp_path, "full", "strategic-plan")
    body = _part(path, "word/document.xml")
    described = [
        describe_chart(b).alt_text
        for b in build_document(PLANS["full"], "strategic-plan", EXPORTED).blocks
        if isinstance(b, Chart) and (b.series or b.baseline)
    ]
    drawn = [doc_pr.get("descr") for doc_pr in body.iter(f"{WP}docPr")]
    assert drawn == described and drawn
    assert all("Baseline 2023-24: 55%" in text for text in drawn)


@pytest.mark.parametrize(("plan", "layout"), CASES)
def test_no_empty_paragraph_for_spacing(tmp_path, plan, layout):
    """An empty paragraph is only where Word needs one: carrying a section's properties,
    or between two tables (which would otherwise merge)."""
    body = _part(_export(tmp_path, plan, layout), "word/document.xml").find(f"{W}body")
    children = list(body)
    for index, child in enumerate(children):
        if child.tag != f"{W}p" or "".join(child.itertext()).strip():
            continue
        if child.find(f".//{W}drawing") is not None or child.find(f".//{W}br") is not None:
            continue
        if child.find(f".//{W}fldChar") is not None:
            continue  # an empty table of contents' field
        if child.find(f"{W}pPr/{W}sectPr") is not None:
            continue
        before = children[index - 1].tag if index else None
        after = children[index + 1].tag if index + 1 < len(children) else None
        assert before == after == f"{W}tbl", etree.tostring(child)[:200]
