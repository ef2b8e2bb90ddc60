"""Reading an exported PDF back in tests: text per page, outline, fonts, page sizes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import Destination

PAGE_NUMBER = re.compile(r"Page (\d+) of (\d+)")


def normalise(text: str) -> str:
    """Whitespace collapsed to single spaces: line wrapping is the writer's, not the text's."""
    return " ".join(text.split())


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def page_sizes(path: Path) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(path).pages]


def first_missing(text: str, expected: Iterable[str]) -> str | None:
    """The first of `expected` not found in `text` after the previous one, or None."""
    position = 0
    for item in expected:
        found = text.find(item, position)
        if found < 0:
            return item
        position = found + len(item)
    return None


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in document order."""
    reader = PdfReader(path)
    out: list[tuple[int, str, int]] = []

    def walk(items: Sequence[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                assert isinstance(item, Destination)
                out.append((depth, str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return out


def fonts(path: Path) -> dict[str, bool]:
    """Base font name → whether its program is embedded, over every page."""
    out: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        font_dict = resources.get_object().get("/Font")
        if font_dict is None:
            continue
        for ref in font_dict.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = False
            if descriptor is not None:
                descriptor = descriptor.get_object()
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            out[str(font["/BaseFont"])] = embedded
    return out


def has_images(path: Path) -> bool:
    for page in PdfReader(path).pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            continue
        for ref in xobjects.get_object().values():
            if ref.get_object().get("/Subtype") == "/Image":
                return True
    return False
