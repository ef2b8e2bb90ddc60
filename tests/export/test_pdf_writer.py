"""The PDF writer, on Documents built here (no layout, no Qt): text, fonts, pages, outline."""

from __future__ import annotations

import re
import time
from pathlib import Path
from random import Random

import pytest

from planstudio.export.document import (
    Chart,
    ChartSeries,
    Checkbox,
    Contents,
    Cover,
    Document,
    Grid,
    Heading,
    LabelValueTable,
    Orient,
    PageBreak,
    Paragraph,
)
from planstudio.export.pdf import write_pdf
from tests.export.pdf_text import (
    PAGE_NUMBER,
    first_missing,
    fonts,
    has_images,
    normalise,
    outline,
    page_sizes,
    page_texts,
)

HEADER = "Clayton County Public Schools · District Improvement Plan"
YEARS = ("2023-24", "2024-25", "2025-26", "2026-27", "2027-28", "2028-29")
HOSTILE = (
    "Tags <b>bold</b> & &amp; \"double\" 'single' a\tb\nsecond line "
    "é ß Ω Ж Tiếng Việt 😀👍🎉 ☒☐ end"
)
WORDS = (
    "students",
    "teachers",
    "district",
    "schools",
    "instruction",
    "literacy",
    "mathematics",
    "coaching",
    "assessment",
    "intervention",
    "support",
    "professional",
    "learning",
    "family",
    "engagement",
    "attendance",
    "graduation",
    "achievement",
    "monitoring",
    "quarterly",
    "benchmark",
    "principals",
    "fidelity",
    "curriculum",
    "standards",
    "evidence",
    "practices",
    "disabilities",
    "targets",
)


def cover(status: str = "Draft") -> Cover:
    return Cover(
        "District Improvement Plan",
        "Clayton County Public Schools",
        "2024-25 to 2029-30",
        status,
        "22 November 2025",
    )


def document(*blocks, draft: bool = True, orientation: str = "portrait") -> Document:
    return Document(
        cover("Draft" if draft else ""), tuple(blocks), HEADER, draft, "ga-dip", orientation
    )


def prose(rng: Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def export(tmp_path: Path, doc: Document, name: str = "out.pdf", **kwargs) -> Path:
    path = tmp_path / name
    write_pdf(doc, path, **kwargs)
    return path


def body_text(path: Path, *, drop: tuple[str, ...] = ()) -> str:
    """All pages' text, normalised, less the running header, footer and DRAFT tag (and any
    strings in `drop`, such as a label the writer repeats on a continued row)."""
    text = normalise(" ".join(page_texts(path)))
    text = PAGE_NUMBER.sub(" ", text)
    for noise in (HEADER, "DRAFT", *drop):
        text = text.replace(noise, " ")
    return normalise(text)


# ---------------------------------------------------------------------------- text and order


def test_every_heading_label_and_value_appears_in_order(tmp_path):
    rng = Random(4)
    tables = [
        LabelValueTable(tuple((f"Label {t}.{r}", (prose(rng, 3, 12),)) for r in range(6)))
        for t in range(12)
    ]
    blocks = []
    for index, table in enumerate(tables):
        blocks += [Heading(f"Action Step # {index + 1}", 3), table]
    blocks += [
        Paragraph("A closing paragraph of the plan."),
        Grid(("Measure", "Baseline", "2024-25"), ((("Reading",), ("41%",), ("45%",)),)),
    ]
    path = export(tmp_path, document(*blocks))
    expected = []
    for index, table in enumerate(tables):
        expected.append(f"Action Step # {index + 1}")
        for label, value in table.rows:
            expected += [label, normalise(value[0])]
    expected += ["A closing paragraph of the plan.", "Measure", "Baseline", "2024-25"]
    expected += ["Reading", "41%", "45%"]
    assert first_missing(body_text(path), expected) is None


def test_hostile_text_survives_exactly(tmp_path):
    doc = document(
        Heading(HOSTILE, 1),
        LabelValueTable(((HOSTILE, (HOSTILE,)),)),
        Grid((HOSTILE,), (((HOSTILE,),),)),
        Paragraph(HOSTILE),
        Checkbox(HOSTILE, True),
    )
    path = export(tmp_path, doc)
    text = body_text(path)
    expected = normalise(HOSTILE)
    assert text.count(expected) >= 5, text
    # Nothing was read as markup or escaped twice.
    assert "&amp;amp;" not in text
    assert "<b>bold</b>" in text
    assert f"☒ {expected}" in text
    assert HOSTILE in {item[1] for item in outline(path)} or any(
        normalise(title) == expected for _, title, _ in outline(path)
    )


def test_character_no_font_has_prints_a_replacement(tmp_path):
    # CJK is in neither shipped font; a variation selector beyond U+FE0F has no appearance.
    doc = document(Paragraph("before 中 after \U000e0100 done"))
    text = body_text(export(tmp_path, doc))
    assert "before \ufffd after done" in text


def test_control_characters_word_pastes_are_dropped_and_only_those(tmp_path):
    # …but a vertical tab (Word's line break) is a line break: "a", then "bc…" below it.
    doc = document(Paragraph("a\x0bb\x01c\x7fd"))
    text = body_text(export(tmp_path, doc))
    assert "a bc\x7fd" in text or "a bcd" in text.replace("\x7f", "")


def test_empty_cells_print_empty(tmp_path):
    doc = document(
        LabelValueTable((("Team Lead", ()), ("Goal", ("",)), ("After", ("x",)))),
        Grid(("A", "B"), (((), ("",)), (("y",),))),
    )
    text = body_text(export(tmp_path, doc))
    assert "Team Lead Goal After x" in text
    assert "A B y" in text
    for invented in ("None", "null", " - "):
        assert invented not in text


def test_checkbox_lines(tmp_path):
    doc = document(
        Checkbox("Free/Reduced meal application", True),
        Checkbox("Community Eligibility Program (CEP) - Direct Certification ONLY", False),
        LabelValueTable((("Factors", (Checkbox("Other", False), "described below")),)),
    )
    text = body_text(export(tmp_path, doc))
    assert "☒ Free/Reduced meal application" in text
    assert "☐ Community Eligibility Program (CEP) - Direct Certification ONLY" in text
    assert "Factors ☐ Other described below" in text


# ------------------------------------------------------------------------------ fonts, marks


def test_fonts_are_embedded(tmp_path):
    doc = document(Paragraph(HOSTILE), Heading("Bold heading", 1), Paragraph("note", "note"))
    found = fonts(export(tmp_path, doc))
    assert found, "no fonts at all"
    assert all(found.values()), found
    names = " ".join(found)
    assert "DejaVuSans" in names and "DejaVuSans-Bold" in names and "NotoEmoji" in names
    assert "Helvetica" not in names


def test_page_numbers_run_one_to_n_with_the_cover_as_page_one(tmp_path):
    rng = Random(1)
    doc = document(*(Paragraph(prose(rng, 150, 300)) for _ in range(30)))
    texts = page_texts(export(tmp_path, doc))
    assert len(texts) > 5
    assert not PAGE_NUMBER.search(texts[0]), "the cover shows no page number"
    numbers = [PAGE_NUMBER.findall(text) for text in texts[1:]]
    total = len(texts)
    # As Word counts them (PAGE / NUMPAGES): the cover is page 1 of N.
    assert numbers == [[(str(n), str(total))] for n in range(2, total + 1)]
    assert all(HEADER in text for text in texts[1:])
    assert HEADER not in texts[0]


def test_draft_mark_on_every_page_while_draft(tmp_path):
    rng = Random(2)
    blocks = [Contents(), Heading("One", 1), *(Paragraph(prose(rng, 200, 300)) for _ in range(8))]
    texts = page_texts(export(tmp_path, document(*blocks)))
    assert len(texts) >= 3
    assert all("DRAFT" in text for text in texts)
    texts = page_texts(export(tmp_path, document(*blocks, draft=False), "final.pdf"))
    assert not any("DRAFT" in text for text in texts)


def test_landscape_sections(tmp_path):
    rng = Random(3)
    grid = Grid(
        ("Action Step", "Responsible", "Funding", "Timeline", "Monitoring", "Status"),
        tuple(tuple((prose(rng, 3, 30),) for _ in range(6)) for _ in range(30)),
        (0.35, 0.13, 0.13, 0.13, 0.16, 0.10),
    )
    doc = document(
        Heading("Narrative", 1),
        Paragraph("Portrait text."),
        Orient("landscape"),
        Heading("Wide", 1),
        grid,
        Orient("portrait"),
        Heading("Back", 1),
        Paragraph("Portrait again."),
    )
    path = export(tmp_path, doc)
    sizes = page_sizes(path)
    texts = page_texts(path)
    wide = [i for i, text in enumerate(texts) if "Action Step Responsible" in normalise(text)]
    assert len(wide) >= 2, "the grid spans pages, its header repeated on each"
    assert all(sizes[i][0] > sizes[i][1] for i in wide)
    back = next(i for i, text in enumerate(texts) if "Portrait again." in text)
    assert sizes[back][0] < sizes[back][1]
    assert sizes[1][0] < sizes[1][1]
    # Orientation changes start new pages but never leave an empty one.
    assert all(
        normalise(PAGE_NUMBER.sub("", t).replace(HEADER, "").replace("DRAFT", "")) for t in texts
    )


def test_orientation_changes_and_breaks_leave_no_empty_page(tmp_path):
    doc = document(
        Orient("landscape"),
        Orient("landscape"),
        Heading("First", 1),
        PageBreak(),
        PageBreak(),
        Orient("portrait"),
        Orient("portrait"),
        Heading("Second", 1),
        PageBreak(),
    )
    path = export(tmp_path, doc)
    texts = page_texts(path)
    assert len(texts) == 3
    assert "First" in texts[1] and "Second" in texts[2]
    sizes = page_sizes(path)
    assert sizes[1][0] > sizes[1][1] and sizes[2][0] < sizes[2][1]


def test_document_in_landscape(tmp_path):
    doc = document(Heading("Wide", 1), orientation="landscape")
    assert all(w > h for w, h in page_sizes(export(tmp_path, doc)))


# ----------------------------------------------------------------------------- long content


def numbered_words(count: int, per_paragraph: int | None) -> str:
    words = [f"w{i:05d}" for i in range(count)]
    if per_paragraph is None:
        return " ".join(words)
    return "\n".join(" ".join(words[i : i + per_paragraph]) for i in range(0, count, per_paragraph))


@pytest.mark.parametrize("per_paragraph", [None, 60], ids=["one-paragraph", "paragraphs"])
def test_value_longer_than_two_pages_continues_with_its_label(tmp_path, per_paragraph):
    value = numbered_words(3000, per_paragraph)
    doc = document(
        Heading("Action Step # 1", 3),
        LabelValueTable((("Before", ("short",)), ("Narrative", (value,)), ("After", ("end",)))),
    )
    path = export(tmp_path, doc)
    texts = page_texts(path)
    assert len(texts) >= 4, "the value spans more than two pages"
    assert normalise(value) in body_text(path, drop=("Narrative",))
    # On every page that shows part of the value, the label is there, before it.
    pages = [normalise(t) for t in texts if re.search(r"w\d{5}", t)]
    assert len(pages) >= 3
    for text in pages:
        label = text.find("Narrative")
        assert 0 <= label < re.search(r"w\d{5}", text).start(), text[:200]


def test_grid_cell_taller_than_a_page(tmp_path):
    value = numbered_words(2500, None)
    doc = document(Grid(("Action Step", "Status"), (((value,), ("Open",)), (("next",), ()))))
    path = export(tmp_path, doc)
    texts = page_texts(path)
    assert len(texts) >= 4
    assert normalise(value) in body_text(path, drop=("Action Step Status", "Open"))
    assert all("Action Step" in t for t in texts[1:]), "header repeated on every page"


def test_heading_is_never_left_alone_at_the_foot_of_a_page(tmp_path):
    rng = Random(5)
    table = LabelValueTable((("First label", (prose(rng, 40, 40),)),))
    for filler in range(38, 50):
        doc = document(
            Paragraph("\n".join(f"line {i}" for i in range(filler))),
            Heading("Target heading", 2),
            table,
        )
        texts = page_texts(export(tmp_path, doc, f"keep{filler}.pdf"))
        page = next(t for t in texts if "Target heading" in t)
        assert "First label" in page, f"heading stranded with {filler} filler lines"


def test_empty_document_exports(tmp_path):
    doc = Document(Cover("", "", "", "", ""), (), "", False, "ga-dip")
    path = export(tmp_path, doc)
    assert len(page_texts(path)) == 1
    doc = document(Contents())
    texts = page_texts(export(tmp_path, doc, "contents-only.pdf"))
    assert len(texts) == 2 and "Contents" in texts[1]


# ------------------------------------------------------------------------ outline, contents


def test_bookmarks_for_every_heading(tmp_path):
    doc = document(
        Contents(),
        Heading("1 General Improvement Plan Information", 1),
        Heading("3 District Improvement Goals", 1),
        Heading("3.1 Overarching Need # 1", 2),
        Heading("Action Step # 1", 3),
        Paragraph("text"),
        Heading("Skips a level", 3),
        Heading("3.2 Overarching Need # 2", 2),
    )
    marks = outline(export(tmp_path, doc))
    titles = [(depth, title) for depth, title, _ in marks if title != "Contents"]
    assert titles == [
        (0, "1 General Improvement Plan Information"),
        (0, "3 District Improvement Goals"),
        (1, "3.1 Overarching Need # 1"),
        (2, "Action Step # 1"),
        (2, "Skips a level"),
        (1, "3.2 Overarching Need # 2"),
    ]


def test_printed_contents_page_numbers_match_the_headings(tmp_path):
    rng = Random(6)
    blocks: list = [Contents()]
    for index in range(8):
        blocks += [Heading(f"Goal area {index + 1}", 1), Paragraph(prose(rng, 300, 600))]
        blocks += [Heading(f"Objective {index + 1}A", 2), Paragraph(prose(rng, 50, 100))]
    path = export(tmp_path, document(*blocks))
    texts = page_texts(path)
    marks = {title: page for _, title, page in outline(path)}
    contents = "\n".join(texts[1:3])
    for block in blocks[1:]:
        if not isinstance(block, Heading):
            continue
        match = re.search(rf"^{re.escape(block.text)} (\d+)$", contents, re.MULTILINE)
        assert match, f"{block.text} not in the contents"
        printed = int(match.group(1))
        page_index = marks[block.text]
        assert block.text in texts[page_index]
        assert PAGE_NUMBER.search(texts[page_index]).group(1) == str(printed)


# ------------------------------------------------------------------------------------ charts


def test_chart_is_vector_with_title_years_and_series(tmp_path):
    chart = Chart(
        "Percent of students proficient in ELA",
        "percent",
        (
            ChartSeries("Target", tuple(zip(YEARS, (41, 45, 49, 53, 57, 61), strict=True))),
            ChartSeries("Actual", tuple(zip(YEARS[:3], (41, 44.5, 50), strict=True))),
        ),
        YEARS,
    )
    flat = Chart("Count", "count", (ChartSeries("Target", (("2024-25", 1250.0),)),), YEARS)
    empty = Chart("Nothing yet", "percent", (), YEARS)
    path = export(tmp_path, document(Heading("Measures", 1), chart, flat, empty))
    text = body_text(path)
    assert first_missing(text, ["Percent of students proficient in ELA", *YEARS]) is None
    assert "Target" in text and "Actual" in text and "%" in text and "1,250" in text
    assert "Nothing yet" in text
    assert not has_images(path)


# --------------------------------------------------------------------------- progress, size


def test_progress_rises_to_one_and_an_exception_cancels(tmp_path):
    rng = Random(7)
    doc = document(*(Paragraph(prose(rng, 100, 200)) for _ in range(200)))
    seen: list[float] = []
    export(tmp_path, doc, progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen) and len(seen) > 10

    class Cancelled(Exception):
        pass

    def cancel(fraction: float) -> None:
        if fraction > 0.3:
            raise Cancelled

    with pytest.raises(Cancelled):
        export(tmp_path, doc, "cancelled.pdf", progress=cancel)
    assert not (tmp_path / "cancelled.pdf").exists()


GA_DIP_LABELS = (
    "Action Step",
    "Funding Sources",
    "Subgroups",
    "Systems",
    "Method for Monitoring Implementation",
    "Method for Monitoring Effectiveness",
    "Position/Role Responsible",
    "Evidence Based Indicator",
    "Timeline for Implementation",
    "Does this action step support the selected equity intervention?",
    "What partnerships, if any, with IHEs, business, Non-Profits, Community based "
    "organizations, or any private entity with a demonstrated record of success is the LEA "
    "implementing in carrying out this action step(s)?",
)


def district_document(steps: int = 400, seed: int = 1) -> Document:
    """A synthetic document of ga-dip's shape: 400 action steps of 11 rows, 20-150 words of
    prose in the first row, short lists elsewhere, numbered goal areas, a contents page."""
    rng = Random(seed)
    blocks: list = [Contents(), Heading("3 District Improvement Goals", 1)]
    for step in range(steps):
        if step % 67 == 0:
            area = step // 67 + 1
            blocks.append(Heading(f"3.{area} Overarching Need # {area}", 2))
        values = (
            (prose(rng, 20, 150),),
            ("Title I, Part A", "Title II, Part A"),
            ("Students with disabilities", "English learners"),
            ("Coherent Instruction",),
            (prose(rng, 5, 15),),
            (prose(rng, 5, 15),),
            ("Director of Federal Programs", "Principals"),
            ("Strong",),
            ("August 2024 - May 2025",),
            ("Yes",),
            (prose(rng, 1, 25),) if rng.random() < 0.5 else (),
        )
        blocks.append(Heading(f"Action Step # {step + 1}", 3))
        blocks.append(LabelValueTable(tuple(zip(GA_DIP_LABELS, values, strict=True))))
    return document(*blocks)


def test_district_sized_document(tmp_path):
    doc = district_document()
    started = time.perf_counter()
    path = export(tmp_path, doc)
    elapsed = time.perf_counter() - started
    print(f"district-sized PDF: {elapsed:.2f} s, {path.stat().st_size / 1e6:.1f} MB")
    steps = [title for _, title, _ in outline(path) if title.startswith("Action Step")]
    assert steps == [f"Action Step # {i}" for i in range(1, 401)]
    assert all(fonts(path).values())


HUGE = numbered_words(4000, None)


@pytest.mark.parametrize(
    "blocks",
    [
        (Heading(HUGE, 1), Paragraph("after")),
        (LabelValueTable(((HUGE, ("value",)), ("next", ("v",)))),),
        (Grid((HUGE, "b"), ((("x",), ("y",)),)),),
        (Paragraph("x" * 30000), LabelValueTable((("L", ("y" * 20000,)),))),
        (Grid((), ()), LabelValueTable(()), Grid(("a",), ())),
        (Paragraph("\t".join(["col"] * 40)), LabelValueTable((("L", ("\n\n", "\t", " ")),))),
        (
            Chart("", "", (), ()),
            Chart("t", "count", (ChartSeries("s", (("2021", -5.0), ("1999", 3.0))),), ("2021",)),
            Chart("flat", "percent", (ChartSeries("s", (("a", 5.0), ("b", 5.0))),), ("a", "b")),
        ),
        (Contents(), Heading("deep", 3), Heading("zero", 0), Heading("nine", 9)),
        (PageBreak(), Orient("landscape"), PageBreak()),
    ],
    ids=[
        "heading-taller-than-a-page",
        "label-taller-than-a-page",
        "grid-header-taller-than-a-page",
        "words-wider-than-a-line",
        "empty-tables",
        "tabs-and-blank-lines",
        "odd-charts",
        "odd-heading-levels",
        "only-breaks",
    ],
)
def test_unusual_documents_export(tmp_path, blocks):
    path = export(tmp_path, document(*blocks))
    texts = page_texts(path)
    assert texts
    for block in blocks:
        if isinstance(block, Heading):
            assert normalise(block.text) in body_text(path, drop=("Contents",))


def test_contents_lists_headings_down_to_its_levels(tmp_path):
    doc = document(
        Contents(levels=2),
        Heading("3 District Improvement Goals", 1),
        Heading("3.1 Overarching Need # 1", 2),
        Heading("Action Step # 1", 3),
    )
    path = export(tmp_path, doc)
    contents = page_texts(path)[1]
    assert re.search(r"^3 District Improvement Goals \d+$", contents, re.MULTILINE)
    assert re.search(r"^3.1 Overarching Need # 1 \d+$", contents, re.MULTILINE)
    assert "Action Step # 1" not in contents
    # Every heading is still a bookmark.
    assert "Action Step # 1" in [title for _, title, _ in outline(path)]
