"""Reading an exported PDF back in tests: text per page, outline, fonts, page sizes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

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


def reading_order_text(path: Path) -> str:
    """The text of a tagged PDF in its structure tree's order, artifacts (running header,
    footer, DRAFT) left out: the order a screen reader reads, in which a table cell whose row
    is split over two pages is read whole, as the Word file holds it (a page's content
    stream has the first lines of every cell, then the next page the rest)."""
    import pikepdf

    marked: dict[tuple[int, int], list[str]] = {}
    for index, page in enumerate(PdfReader(path).pages):
        _collect_marked_text(page, index, marked)

    order: list[tuple[int, int]] = []
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}

        def on_page(element: Any, page: int) -> int:
            return pages[element.Pg.objgen] if "/Pg" in element else page

        def walk(element: Any, page: int) -> None:
            page = on_page(element, page)
            kids = element.get("/K")
            if kids is None:
                return
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int):
                    order.append((page, int(kid)))
                elif isinstance(kid, pikepdf.Dictionary):
                    if kid.get("/Type") == "/MCR":
                        order.append((on_page(kid, page), int(kid.MCID)))
                    elif kid.get("/Type") != "/OBJR":
                        walk(kid, page)

        walk(pdf.Root.StructTreeRoot, -1)
    return " ".join("".join(marked.get(mark, ())) for mark in order)


def _collect_marked_text(page: Any, index: int, marked: dict[tuple[int, int], list[str]]) -> None:
    """The text `page` shows inside each marked-content sequence with an MCID, by
    (page index, MCID)."""
    stack: list[int | None] = []

    def before(operator: bytes, operands: Any, cm: Any, tm: Any) -> None:
        if operator == b"BDC":
            properties = operands[1] if len(operands) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, dict) else None
            stack.append(None if mcid is None else int(mcid))
        elif operator == b"BMC":
            stack.append(None)
        elif operator == b"EMC" and stack:
            stack.pop()

    def text(value: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if stack and stack[-1] is not None:
            marked.setdefault((index, stack[-1]), []).append(value)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
