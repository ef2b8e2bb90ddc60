"""The Word files: read back with python-docx, every label and value is there, in order."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from planstudio.export import export_plan, snapshot_of
from tests.conftest import SAMPLES, load_json
from tests.export.conftest import empty_plan, generated, goal_areas_only
from tests.export.helpers import (
    EXPORTED,
    HOSTILE,
    assert_in_order,
    body_items,
    docx_texts,
    expected_ga_dip,
    expected_strategic_plan,
    hostile_plan,
    load_plan_json,
)

LAYOUTS = ("ga-dip", "strategic-plan")
EXPECTED = {"ga-dip": expected_ga_dip, "strategic-plan": expected_strategic_plan}


def _export(plan: Any, tmp_path: Path, layout: str, name: str = "plan") -> Path:
    out = tmp_path / f"{name}-{layout}.docx"
    export_plan(plan.plan, "docx", out, layout=layout, exported=EXPORTED)
    return out


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_every_sample_exports_with_every_label_and_value_in_order(
    sample: Path, layout: str, open_plan: Any, tmp_path: Path
) -> None:
    plan = open_plan(load_json(sample))
    out = _export(plan, tmp_path, layout)
    assert_in_order(EXPECTED[layout](snapshot_of(plan.plan)), docx_texts(out))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_full_plan_every_label_and_value_in_order(
    layout: str, open_plan: Any, tmp_path: Path
) -> None:
    plan = open_plan(load_plan_json("full.json"))
    out = _export(plan, tmp_path, layout)
    assert_in_order(EXPECTED[layout](snapshot_of(plan.plan)), docx_texts(out))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_hostile_text_prints_exactly_as_typed(layout: str, open_plan: Any, tmp_path: Path) -> None:
    plan = open_plan(hostile_plan())
    out = _export(plan, tmp_path, layout)
    texts = docx_texts(out)
    assert_in_order(EXPECTED[layout](snapshot_of(plan.plan)), texts)
    joined = "\n".join(texts)
    for piece in (
        "Fish & chips <b>not bold</b> \"double\" 'single' a < b > c &amp; \tafter a tab",
        "fourth line — café naïve Ærø Ελληνικά Кириллица Tiếng Việt có dấu 😀 👩‍👩‍👧 ",
        # The controls and U+FFFE/U+FFFF dropped, and only those; the vertical tab and form
        # feed (Word's line and page breaks) are line breaks within the paragraph.
        "controls:\n\n:end  done",
    ):
        assert piece in joined
    assert "\x07" not in joined and "\x0b" not in joined and "\ufffe" not in joined
    # Typed line breaks, in any of their three spellings, are line breaks.
    assert "second line" in texts and "third line" in texts
    assert HOSTILE.count("\n") + HOSTILE.count("\r") - HOSTILE.count("\r\n") == 3


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(
    "make",
    [lambda: empty_plan(), lambda: empty_plan("ga-dip"), goal_areas_only],
    ids=["empty", "empty-ga-dip", "goal-areas-only"],
)
def test_small_plans_export(layout: str, make: Any, open_plan: Any, tmp_path: Path) -> None:
    plan = open_plan(make())
    out = _export(plan, tmp_path, layout)
    texts = docx_texts(out)
    assert texts[0] == plan.plan.title
    for text in texts:
        assert text not in ("None", "null")
    if layout == "ga-dip":
        assert "3 District Improvement Goals" in texts


def test_word_features_fields_headers_and_sections(open_plan: Any, tmp_path: Path) -> None:
    plan = open_plan(load_plan_json("full.json"))
    out = _export(plan, tmp_path, "strategic-plan")
    body = _part(out, "word/document.xml")
    settings = _part(out, "word/settings.xml")
    # A real table of contents field over the heading styles, with its page numbers already
    # in it: Word is not asked to refresh fields, and the field is not marked dirty.
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    assert "updateFields" not in settings
    assert "w:dirty" not in body
    # Cover first, with its own header; landscape sections for the wide tables.
    assert "<w:titlePg/>" in body
    assert body.count('w:orient="landscape"') >= 2
    # Header rows of grids repeat on each page.
    assert "<w:tblHeader/>" in body
    headers = [
        _part(out, name)
        for name in zipfile.ZipFile(out).namelist()
        if name.startswith("word/psheader_")
    ]
    footer = _part(out, "word/psfooter_default.xml")
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    assert any("Ocmulgee Valley City Schools — District Improvement Plan" in h for h in headers)
    # A draft: DRAFT in every header, the cover's included (as a watermark).
    assert all('string="DRAFT"' in h for h in headers)

    reopened = docx.Document(str(out))
    headings = [
        (p.style.name, p.text) for p in reopened.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "Pillar 1: Literacy") in headings
    assert ("Heading 2", "Priority 1A") in headings
    assert ("Heading 3", "Strategy 1A.1") in headings
    assert len(reopened.inline_shapes) == 1  # the one chart
    properties = reopened.core_properties
    assert properties.title == "District Improvement Plan"
    assert properties.author == "Ocmulgee Valley City Schools"
    assert "python-docx" not in (properties.comments or "")


def test_approved_plan_has_no_draft_mark(open_plan: Any, tmp_path: Path) -> None:
    document = load_plan_json("full.json")
    document["plan"]["status"] = "approved"
    out = _export(open_plan(document), tmp_path, "ga-dip")
    with zipfile.ZipFile(out) as archive:
        parts = [archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml")]
    assert not any("DRAFT" in part for part in parts)


def test_ga_dip_label_column_a_third_and_checkboxes_in_a_symbol_font(
    open_plan: Any, tmp_path: Path
) -> None:
    out = _export(open_plan(load_plan_json("full.json")), tmp_path, "ga-dip")
    reopened = docx.Document(str(out))
    table = reopened.tables[0]
    widths = [column.width for column in table.columns]
    assert abs(widths[0] / sum(widths) - 1 / 3) < 0.01
    body = _part(out, "word/document.xml")
    boxes = re.findall(r'<w:rFonts w:ascii="([^"]+)"[^>]*/></w:rPr><w:t>([☒☐])</w:t>', body)
    assert len(boxes) == 6
    assert {font for font, _ in boxes} == {"Segoe UI Symbol"}
    # Short rows are kept whole; every row of a label/value table is a label and its value.
    assert body.count("<w:cantSplit/>") > 20


def test_a_cell_taller_than_a_page_continues_with_its_label_repeated(
    open_plan: Any, tmp_path: Path
) -> None:
    document = load_plan_json("full.json")
    step = document["goal_areas"][0]["objectives"][0]["strategies"][0]["action_steps"][0]
    paragraph = "A long paragraph of the action step. " * 20
    step["text"] = "\n".join(f"{n} {paragraph}" for n in range(120))  # about 20 pages
    out = _export(open_plan(document), tmp_path, "ga-dip")
    reopened = docx.Document(str(out))
    tall = [t for t in reopened.tables if any("119 A long" in c.text for c in t._cells)]
    assert len(tall) == 1
    table = tall[0]
    first_row = table.rows[0]._tr
    # The label rides in a header row, which Word repeats at the top of each page.
    assert (
        first_row.trPr is not None
        and first_row.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    )
    assert table.rows[0].cells[0].text == "Action Step"
    assert table.rows[1].cells[1].paragraphs[0].text.startswith("0 A long paragraph")
    # The rows after it are in a table of their own and keep their labels.
    texts = docx_texts(out)
    assert texts.index("Funding Sources") > texts.index(f"119 {paragraph}")


def test_body_items_skip_the_table_of_contents(open_plan: Any, tmp_path: Path) -> None:
    out = _export(open_plan(load_plan_json("full.json")), tmp_path, "ga-dip")
    items = list(body_items(out))
    headings = [value for kind, value in items if kind == "heading"]
    assert [text for _, text in headings].count("1 General Improvement Plan Information") == 1
    # …but the contents are in the file, as links to the headings, until Word rebuilds them;
    # ga-dip lists two levels, leaving its many "Action Step # i" headings out.
    body = _part(out, "word/document.xml")
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    assert body.count('w:anchor="_TocPS') == sum(level <= 2 for level, _ in headings) == 5


@pytest.mark.slow
@pytest.mark.parametrize("layout", LAYOUTS)
def test_stress_plan_exports(layout: str, open_plan: Any, tmp_path: Path) -> None:
    plan = open_plan(generated("stress"))
    out = _export(plan, tmp_path, layout)
    body = _part(out, "word/document.xml")
    if layout == "ga-dip":
        assert body.count('<w:pStyle w:val="Heading3"/>') == 4000
    else:
        assert body.count("<w:tblHeader/>") >= 1000


@pytest.mark.parametrize("layout", LAYOUTS)
def test_contents_carry_the_pdf_page_numbers(layout: str, open_plan: Any, tmp_path: Path) -> None:
    """Each contents entry is its heading's title and the page the PDF of the same plan
    prints it on (a PAGEREF field's result), so Word shows numbers without updating."""
    from tests.export.pdf_text import outline

    plan = open_plan(load_json(SAMPLES[0]))
    out = _export(plan, tmp_path, layout)
    pdf = tmp_path / f"plan-{layout}.pdf"
    export_plan(plan.plan, "pdf", pdf, layout=layout, exported=EXPORTED)
    levels = 2 if layout == "ga-dip" else 3
    # The PDF's outline: the contents' own title, then every heading.
    pdf_pages = [
        index + 1 for depth, title, index in outline(pdf) if depth < levels and title != "Contents"
    ]

    reopened = docx.Document(str(out))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    entries = []
    for paragraph in reopened.paragraphs:
        if not paragraph.style.name.startswith("toc "):
            continue
        element = paragraph._p
        instructions = "".join(t.text or "" for t in element.iter(f"{w}instrText"))
        texts = [t.text or "" for t in element.iter(f"{w}t")]
        assert "PAGEREF _TocPS" in instructions
        entries.append(("".join(texts[:-1]), int(texts[-1])))
    assert len(entries) >= 3 and all(title.strip() for title, _ in entries)
    assert [page for _, page in entries] == pdf_pages
    assert "updateFields" not in _part(out, "word/settings.xml")
    assert "w:dirty" not in _part(out, "word/document.xml")
