"""Counting a block's lines (the contents' pagination) gives the number of lines wrapping
makes: the Word file's contents then carry the PDF's page numbers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planstudio.export.document import LINE_BREAK, Checkbox
from planstudio.export.pdf.styles import Styles
from planstudio.export.pdf.wrapping import WrapCache, count_item, wrap_item

STYLES = Styles()
WORDS = st.sampled_from(
    ["a", "plan", "goal", "reading", "Mecklenburg", "x" * 90, "", "\t", LINE_BREAK, "\n", "😀"]
)
TEXTS = st.lists(WORDS, max_size=60).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, width=st.floats(min_value=-5, max_value=500), bold=st.booleans())
def test_count_is_the_number_of_wrapped_lines(text: str, width: float, bold: bool) -> None:
    style = STYLES.cell_bold if bold else STYLES.body
    for item in (text, Checkbox(text, bold)):
        assert count_item(item, style, width) == len(wrap_item(item, style, width))


def test_cache_counts_what_it_wraps() -> None:
    long = "a long value of many words " * 12
    items = ("Goal", None, long, Checkbox("done", True), "Goal")
    for width in (40.0, 120.0, 400.0):
        wraps = WrapCache()
        expected = len(wraps.lines(items, STYLES.cell, width))
        assert wraps.count(items, STYLES.cell, width) == expected
        assert WrapCache().count(items, STYLES.cell, width) == expected
