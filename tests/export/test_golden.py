"""Golden files of every layout: the Word file's skeleton and the PDF's text, page by page.

Any change to a layout or a writer is a diff here; see golden.py for regenerating them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planstudio.export import LAYOUTS, export_plan
from tests.export.golden import GOLDEN, UPDATE_ENV, assert_matches_golden
from tests.export.helpers import EXPORTED, load_plan_json, structure
from tests.export.pdf_text import page_texts


def _export(open_plan: Any, tmp_path: Path, layout: str, fmt: str) -> Path:
    plan = open_plan(load_plan_json("full.json"))
    out = tmp_path / f"full-{layout}.{fmt}"
    export_plan(plan.plan, fmt, out, layout=layout, exported=EXPORTED)
    return out


@pytest.mark.parametrize("layout", LAYOUTS)
def test_golden_word_structure(layout: str, open_plan: Any, tmp_path: Path) -> None:
    """Headings, table labels and grid headers of the Word file, in order."""
    actual = structure(_export(open_plan, tmp_path, layout, "docx"))
    assert_matches_golden(f"{layout}.txt", actual)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_golden_pdf_text(layout: str, open_plan: Any, tmp_path: Path) -> None:
    """The PDF's text as pypdf reads it back, page by page (chart labels included)."""
    pages = page_texts(_export(open_plan, tmp_path, layout, "pdf"))
    actual = "".join(f"=== page {n} ===\n{text.rstrip()}\n" for n, text in enumerate(pages, 1))
    assert_matches_golden(f"{layout}.pdf.txt", actual)


def test_a_missing_golden_file_fails_and_is_not_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(UPDATE_ENV, raising=False)
    name = "no-such-layout.txt"
    with pytest.raises(pytest.fail.Exception, match="no golden file"):
        assert_matches_golden(name, "anything\n")
    assert not (GOLDEN / name).exists()


def test_a_difference_fails_with_a_readable_diff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(UPDATE_ENV, raising=False)
    expected = (GOLDEN / "ga-dip.txt").read_text(encoding="utf-8")
    changed = expected.replace("\n", "\nan extra heading\n", 1)
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_matches_golden("ga-dip.txt", changed)
    assert "+an extra heading" in str(failure.value)
