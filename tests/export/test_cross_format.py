"""Word and PDF of the same plan: the same words in the same order, numbered pages, and
fonts embedded in the PDF.

The PDF side is read in its structure tree's order (the order a reader hears it, see
`pdf_text.reading_order_text`), the Word side with python-docx.  Not in the order of the
pages' content: a table row taller than a page is split between lines, so the page holds
the first lines of every cell and the next page the rest, while the Word file holds each
cell whole.  The PDF has words the Word file keeps elsewhere (its printed contents page,
the numbers drawn in charts), so the check is that the Word file's words appear in the PDF
in the same order, none missing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pypdf
import pytest

from planstudio.export import export_plan
from tests.conftest import SAMPLES, load_json
from tests.export.helpers import EXPORTED, docx_texts, hostile_plan, load_plan_json
from tests.export.pdf_text import reading_order_text

LAYOUTS = ("ga-dip", "strategic-plan")
PLANS = {
    **{sample.stem: (lambda sample=sample: load_json(sample)) for sample in SAMPLES},
    "full": lambda: load_plan_json("full.json"),
    "hostile": hostile_plan,
}


def _words(texts: list[str]) -> list[str]:
    return " ".join(texts).split()


def _find(word: str, pdf_words: list[str], start: int) -> int:
    """Where `word` is in the PDF from `start`, whole or broken over lines as a narrow column
    breaks a long word ("End-of-Grad" "e"); the position after it, or -1."""
    for position in range(start, len(pdf_words)):
        piece = pdf_words[position]
        if piece == word:
            return position + 1
        if not word.startswith(piece):
            continue
        joined, end = piece, position + 1
        while len(joined) < len(word) and end < len(pdf_words) and end - position < 6:
            joined += pdf_words[end]
            end += 1
        if joined == word:
            return end
    return -1


def _assert_same_words_in_order(word_words: list[str], pdf_words: list[str]) -> None:
    position = 0
    for index, word in enumerate(word_words):
        found = _find(word, pdf_words, position)
        if found >= 0:
            position = found
        else:
            before = " ".join(word_words[max(0, index - 8) : index])
            raise AssertionError(
                f"word #{index} {word!r} (after {before!r}) is not in the PDF after position "
                f"{position}; PDF there: {' '.join(pdf_words[position : position + 20])!r}"
            )


def _font_is_embedded(font: Any) -> bool:
    font = font.get_object()
    if font.get("/Subtype") == "/Type3":
        return True  # drawn by the PDF's own glyph procedures
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Both formats of every plan and layout, made once for this module's tests."""
    from planstudio.model import PlanDocument

    folder = tmp_path_factory.mktemp("cross-format")
    made: dict[tuple[str, str], tuple[Path, Path]] = {}

    def make(name: str, layout: str) -> tuple[Path, Path]:
        if (name, layout) not in made:
            with PlanDocument.from_interchange(PLANS[name]()) as plan:
                paths = []
                for fmt in ("docx", "pdf"):
                    out = folder / f"{name}-{layout}.{fmt}"
                    export_plan(plan.plan, fmt, out, layout=layout, exported=EXPORTED)
                    paths.append(out)
            made[(name, layout)] = (paths[0], paths[1])
        return made[(name, layout)]

    return make


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", list(PLANS))
def test_same_words_in_the_same_order(name: str, layout: str, exported: Any) -> None:
    word_file, pdf_file = exported(name, layout)
    pdf_words = _words([reading_order_text(pdf_file)])
    _assert_same_words_in_order(_words(docx_texts(word_file)), pdf_words)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", ["full", "hostile"])
def test_pdf_pages_are_numbered_one_to_n_and_fonts_embedded(
    name: str, layout: str, exported: Any
) -> None:
    _, pdf_file = exported(name, layout)
    reader = pypdf.PdfReader(str(pdf_file))
    numbers = []
    for page in reader.pages:
        found = re.findall(r"Page (\d+) of (\d+)", page.extract_text())
        if found:
            numbers.append(tuple(int(n) for n in found[-1]))
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            assert _font_is_embedded(font), font.get_object().get("/BaseFont")
    assert numbers, "no page numbers found"
    total = len(reader.pages)
    # Counted as Word counts them: the cover is page 1 and shows no number; every page
    # after it shows its own, 2 … N.
    assert [n for n, _ in numbers] == list(range(2, total + 1))
    assert {of for _, of in numbers} == {total}


def test_a_line_break_pasted_from_word_prints_as_one_in_both(tmp_path: Path) -> None:
    """Word's manual line break pastes as a vertical tab and its page break as a form feed:
    each is a line break within its paragraph in the Word file and a new line in the PDF,
    in a paragraph and in a table cell alike."""
    import zipfile

    from planstudio.model import PlanDocument

    document = load_plan_json("full.json")
    document["plan"]["mission"] = "Every student\vevery day\fevery school"
    step = document["goal_areas"][0]["objectives"][0]["strategies"][0]["action_steps"][0]
    step["text"] = "Tutor readers\vtwice a week"
    with PlanDocument.from_interchange(document) as plan:
        for fmt in ("docx", "pdf"):
            export_plan(plan.plan, fmt, tmp_path / f"plan.{fmt}", "strategic-plan",
                        exported=EXPORTED)  # fmt: skip
    with zipfile.ZipFile(tmp_path / "plan.docx") as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    run = '<w:t xml:space="preserve">{}</w:t></w:r>'
    assert (
        run.format("Every student") + "<w:r><w:br/></w:r>"
        + '<w:r><w:t xml:space="preserve">every day</w:t></w:r><w:r><w:br/></w:r>'
        in body
    )  # fmt: skip
    assert "Tutor readers</w:t></w:r><w:r><w:br/></w:r>" in body  # after its number
    assert "\v" not in body and "\f" not in body
    texts = docx_texts(tmp_path / "plan.docx")
    assert "Every student\nevery day\nevery school" in texts  # one paragraph, three lines
    assert "1A.1.a Tutor readers\ntwice a week" in texts

    pdf_lines = [
        line.strip()
        for page in pypdf.PdfReader(str(tmp_path / "plan.pdf")).pages
        for line in page.extract_text().splitlines()
    ]
    start = pdf_lines.index("Every student")
    assert pdf_lines[start : start + 3] == ["Every student", "every day", "every school"]
    assert any(line.endswith("Tutor readers") for line in pdf_lines)
    assert "twice a week" in pdf_lines
