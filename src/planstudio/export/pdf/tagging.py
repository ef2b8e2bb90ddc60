"""Tagged PDF (PDF/UA-1): the structure tree, marked content, artifacts, language and XMP.

The structure tree is made from the format-neutral document's blocks (`structure_of`), the
same blocks the flowables draw, so that any layout (and any layout still to come) is tagged
without code of its own: a `Heading` becomes H1-H3 (levels never skipped), a `Paragraph`
a P, consecutive `Checkbox` blocks an L of LI, a `LabelValueTable` or `Grid` a Table of TR
with TH (scoped Row or Column) and TD, a `Chart` a Figure with its alternative text, the
`Contents` a TOC of TOCI whose entries are Links.

Each flowable holds its structure element and wraps what it draws in a marked-content
sequence (``/P <</MCID n>> BDC … EMC``); the parts of a flowable split over pages add one
marked-content reference per page to the same element.  What is not content (running
header, footer, page numbers, the DRAFT mark, table rules and fills, a header row or label
repeated on a continuation page) is drawn inside ``/Artifact`` sequences.  The tree, the
parent tree and the catalog entries are written when the canvas saves, as raw PDF objects
appended to reportlab's file as an incremental update (see `append_structure`): reportlab
itself has no structure tree API.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from functools import lru_cache
from html import escape
from itertools import accumulate, chain
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFOutlines,
    PDFPage,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from planstudio.export.pdf.objects import Outlines, TaggedLink, TaggedPage, pdf_string

ARTIFACT = "/Artifact BMC"
END = "EMC"


def pagination(subtype: str) -> str:
    """The start of an artifact that is a page's header, footer or watermark."""
    return f"/Artifact <</Type /Pagination /Subtype /{subtype}>> BDC"


class Node:
    """One structure element: its role, attributes and kids in reading order.

    A structure element's kids are other Nodes; a content element (a paragraph, a cell)
    has its first marked-content sequence in `page` and `mcid` and its further content, if
    any (the rest of a paragraph split over pages, a link annotation), in `kids` as
    ``(page, mcid)`` pairs and `LinkRef`s.  Most elements are cells with one piece of
    content: they have no list and no pair of their own, a third of the objects.
    Elements are numbered in the order they are made (`index`): the file's object numbers
    follow from it without walking the tree.
    """

    # No link back to the parent (the writer finds it going down): a tree without cycles
    # goes by reference counting, with no pass of the cycle collector over it.
    __slots__ = ("alt", "colspan", "index", "kids", "mcid", "page", "role", "scope")

    def __init__(self, role: str, parent: Node | None = None, alt: str | None = None) -> None:
        self.role = role
        self.kids: list[Any] | None = None
        self.page: int | None = None
        self.mcid = 0
        self.alt = alt
        self.scope: str | None = None
        self.colspan = 1
        self.index = 0
        if parent is not None:
            if parent.kids is None:
                parent.kids = [self]
            else:
                parent.kids.append(self)

    def more(self, kid: tuple[int, int] | LinkRef) -> None:
        """Content after the first piece."""
        if self.kids is None:
            self.kids = [kid]
        else:
            self.kids.append(kid)


class LinkRef:
    """A link annotation as a kid of its Link element (an OBJR)."""

    __slots__ = ("annotation", "name", "page")

    def __init__(self, annotation: TaggedLink, name: str, page: int) -> None:
        self.annotation = annotation
        self.name = name
        self.page = page


class _Raw(PDFObject):
    """A PDF object whose bytes are made when the file is written (references resolved)."""

    __RefOnly__ = 1

    def __init__(self, make: Any) -> None:
        self.make = make

    def format(self, document: Any) -> bytes:
        result: bytes = self.make(document)
        return result


def _string(document: Any, text: str) -> str:
    return pdf_string(text).decode("latin-1")


class Tagger:
    """The structure tree of one export and the marked content that points into it."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.root = Node("Document")
        self.elements = [self.root]  # every element, in the order made (`Node.index`)
        self._marks: dict[int, list[Node]] = {}  # page → the element of each MCID
        self._page = 0
        self._page_marks: list[Node] = []  # those of the page being drawn
        self._links: list[LinkRef] = []

    def release(self) -> None:
        """Free the tree an element at a time (see `model.collection.release_in_pieces`).

        Dropped whole, the tree of a 10,000-step plan goes in one cascade of C calls that
        holds the interpreter lock for tens of milliseconds, and the window with it.  Here
        each element's kids are taken from it onto a stack before it is let go, so each
        step frees one element, between bytecodes.  (The list of every element is emptied
        once the file is written, so the tree is walked from its root.)
        """
        stack: list[Any] = [self.root, *self.elements]
        self.root = Node("Document")
        self.elements = []
        marks = self._marks
        while marks:  # a page's list at a time
            marks.popitem()
        self._page_marks = []
        self._links = []
        while stack:
            node = stack.pop()
            kids = node.kids if isinstance(node, Node) else None
            if kids:
                node.kids = None
                stack.extend(kids)

    def element(self, role: str, parent: Node, alt: str | None = None) -> Node:
        """A new element, the last kid of `parent`."""
        node = Node(role, parent, alt)
        node.index = len(self.elements)
        self.elements.append(node)
        return node

    def begin(self, node: Node | None, page: int) -> str:
        """The operator opening `node`'s next piece of content on `page` (an artifact if
        the drawing belongs to no element)."""
        if node is None:
            return ARTIFACT
        if page != self._page:
            self._page = page
            self._page_marks = self._marks.setdefault(page, [])
        marks = self._page_marks
        mcid = len(marks)
        marks.append(node)
        if node.page is None:
            node.page = page
            node.mcid = mcid
        else:
            node.more((page, mcid))
        return f"/{node.role} <</MCID {mcid}>> BDC"

    def link(
        self,
        canvas: Canvas,
        node: Node,
        description: str,
        destination: str,
        rect: tuple[float, float, float, float],
    ) -> None:
        """A link annotation over `rect` (absolute) to a bookmark, tagged as part of `node`."""
        annotation = TaggedLink(
            Rect=rect,
            Contents=description,
            Destination=canvas._bookmarkReference(destination),
            Border="[0 0 0]",
        )
        name = f"PSLink{len(self._links)}"
        canvas._addAnnotation(annotation, name)
        ref = LinkRef(annotation, name, canvas.getPageNumber())
        node.more(ref)
        self._links.append(ref)

    # ---------------------------------------------------------------------------- writing

    def prepare(self, canvas: Canvas, title: str) -> None:
        """The catalog and page entries reportlab writes; every page must have been shown."""
        document = canvas._doc
        document._pdfVersion = (1, 7)  # PDF/UA-1 is PDF 1.7; object streams need 1.5
        pages: list[PDFPage] = document.Pages.pages
        for index, page in enumerate(pages):
            # The same page with the entries below, written faster (see objects.py).
            page.__class__ = TaggedPage
            page.Tabs = PDFName("S")  # tab order follows the structure
            if index + 1 in self._marks:
                page.StructParents = index
        if type(document.outline) is PDFOutlines:
            document.outline.__class__ = Outlines  # the same bookmarks, written faster
        for key, ref in enumerate(self._links, start=len(pages)):
            ref.annotation.otherkw["StructParent"] = key
        catalog = document.Catalog
        catalog.MarkInfo = _Raw(lambda doc: b"<< /Marked true >>")
        catalog.Lang = PDFString(self.language)
        catalog.Metadata = PDFStream(
            PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
            xmp(title, self.language).encode("utf-8"),
            filters=[],
        )
        canvas.setViewerPreference("DisplayDocTitle", "true")

    def append_structure(self, document: Any, data: bytes) -> bytes:
        """The incremental update that adds the structure tree to `data` (the file reportlab
        wrote), to be written after it.

        A long plan's tree has a hundred thousand elements, which as reportlab's indirect
        objects would triple the file and double the time.  So they go into compressed
        object streams, listed by a cross-reference stream, in an incremental update after
        reportlab's file, which also writes the catalog again with its /StructTreeRoot.
        """
        tail = data[-2048:]
        prev = int(re.findall(rb"startxref\s+(\d+)", tail)[-1])
        trailer = re.findall(rb"trailer\s*<<(.*?)>>\s*startxref", data[-4096:], re.S)[-1]
        info = re.search(rb"/Info\s+(\d+ \d+ R)", trailer)
        ids = re.search(rb"/ID\s*(\[.*?\])", trailer, re.S)
        numbers = document.idToObjectNumberAndVersion
        catalog_number = numbers[document.Catalog.__InternalName__][0]
        first = len(document.numberToId) + 1
        elements = self.elements
        root_number = first + len(elements)
        page_refs = {
            page: f"{numbers[f'Page{page}'][0]} 0 R" for page in range(1, document.pageCounter)
        }
        # Made a stream at a time: the whole tree's text at once would be tens of megabytes.
        chunks = self._bodies(first, root_number, page_refs, document)

        # The update is made apart from `data` (a long plan's file is tens of megabytes;
        # one copy of it is enough); offsets count from the start of the file.
        out = bytearray() if data.endswith(b"\n") else bytearray(b"\n")
        base = len(data)
        offsets: dict[int, int] = {}  # object → its offset in the file
        streams: list[tuple[int, int]] = []  # (stream, its first object), in order
        number = root_number + 1
        for start, chunk in zip(range(0, len(elements) + 1, _PER_STREAM), chunks, strict=True):
            # Each object sits after the previous one and its newline.
            positions = accumulate(map(len, chunk), lambda at, size: at + size + 1, initial=0)
            header = (
                " ".join(
                    map(
                        "%d %d".__mod__,
                        zip(
                            range(first + start, first + start + len(chunk)),
                            positions,
                            strict=False,
                        ),
                    )
                ).encode("latin-1")
                + b"\n"
            )
            # Level 1: the tree's text is repetitive enough that level 6 wins a tenth in size
            # for four times the time.
            payload = zlib.compress(header + "\n".join(chunk).encode("latin-1") + b"\n", 1)
            offsets[number] = base + len(out)
            out += (
                f"{number} 0 obj\n<< /Type /ObjStm /N {len(chunk)} /First {len(header)} "
                f"/Filter /FlateDecode /Length {len(payload)} >>\nstream\n"
            ).encode("latin-1")
            out += payload + b"\nendstream\nendobj\n"
            streams.append((number, first + start))
            number += 1

        # The catalog again, now with the tree's root.
        numbers["PSStructTreeRoot"] = (root_number, 0)
        document.Catalog.StructTreeRoot = PDFObjectReference("PSStructTreeRoot")
        offsets[catalog_number] = base + len(out)
        catalog = document.Catalog.format(document)
        out += f"{catalog_number} 0 obj\n".encode("latin-1") + catalog + b"\nendobj\n"

        xref_number = number
        offsets[xref_number] = base + len(out)
        # Cross-reference rows: the compressed objects are consecutive (first … root), then
        # the object streams and the xref itself, and the catalog somewhere before them.
        pack = _XREF_ROW.pack
        # A stream's rows made by one struct call: a row object per element (350,000 at
        # 10,000 steps), joined and then freed, was two C calls that held the interpreter
        # lock, and so the window, 30-40 ms.
        rows = [pack(1, offsets[catalog_number], 0)]
        rows.extend(
            _compressed_rows(stream, min(_PER_STREAM, root_number + 1 - begin))
            for stream, begin in streams
        )
        rows.extend(pack(1, offsets[obj], 0) for obj in range(root_number + 1, xref_number + 1))
        sections = f"{catalog_number} 1 {first} {xref_number + 1 - first}"
        # Level 1, as the object streams: at level 6 this regular table took ten times as
        # long (140 ms at 10,000 steps) to come out a few kilobytes smaller.
        table = zlib.compress(b"".join(rows), 1)
        extra = b""
        if info is not None:
            extra += b" /Info " + info.group(1)
        if ids is not None:
            extra += b" /ID " + ids.group(1)
        out += (
            f"{xref_number} 0 obj\n<< /Type /XRef /Size {xref_number + 1} "
            f"/Index [{sections}] /W [1 4 2] "
            f"/Root {catalog_number} 0 R /Prev {prev}"
        ).encode("latin-1")
        out += extra
        out += f" /Filter /FlateDecode /Length {len(table)} >>\nstream\n".encode("latin-1")
        out += table + b"\nendstream\nendobj\n"
        out += f"startxref\n{offsets[xref_number]}\n%%EOF\n".encode("latin-1")
        self.elements = []
        while self._marks:  # a page's list at a time (see `release`)
            self._marks.popitem()
        self._links.clear()
        return bytes(out)

    def _bodies(
        self, first: int, root_number: int, pages: dict[int, str], document: Any
    ) -> Iterator[list[str]]:
        """Each element's dictionary, in the order of `self.elements` (object `first` on),
        then the tree's root, in lists of `_PER_STREAM`."""
        annotations = {
            ref.name: document.idToObjectNumberAndVersion[document.annotationName(ref.name)][0]
            for ref in self._links
        }
        root = self.root
        elements = self.elements
        # Elements are made parents first, so a parent's number is known before its kids'.
        parents = [root_number] * len(elements)
        # Most elements are a table cell, a paragraph or a row: those are written here
        # without a call each; the rest (roots, figures, split paragraphs, links) by _element.
        for start in range(0, len(elements) + 1, _PER_STREAM):
            bodies: list[str] = []
            append = bodies.append
            for node in elements[start : start + _PER_STREAM]:
                kids = node.kids
                parent = parents[node.index]
                if node.alt is None and node is not root:
                    page = node.page
                    if page is not None and kids is None:
                        # One piece of content.  (A lone kid stands alone, not in an array, as
                        # most writers write it and as some checkers expect of a heading.)
                        if node.scope is None:
                            append(
                                f"<< /S /{node.role} /P {parent} 0 R /Pg {pages[page]} "
                                f"/K {node.mcid} >>"
                            )
                        else:
                            append(
                                f"<< /S /{node.role} /P {parent} 0 R /Pg {pages[page]} "
                                f"{_table_attributes(node)} /K {node.mcid} >>"
                            )
                        continue
                    if page is None and node.scope is None and kids:
                        number = first + node.index
                        for kid in kids:
                            parents[kid.index] = number
                        refs = " ".join([f"{first + kid.index} 0 R" for kid in kids])
                        append(f"<< /S /{node.role} /P {parent} 0 R /K [{refs}] >>")
                        continue
                if kids:
                    number = first + node.index
                    for kid in kids:
                        if type(kid) is Node:
                            parents[kid.index] = number
                append(_element(node, parent, first, pages, annotations, document))
            if start + _PER_STREAM > len(elements):
                append(self._root(first, len(pages)))
            yield bodies

    def _root(self, first: int, page_count: int) -> str:
        nums: list[str] = []
        for page in sorted(self._marks):
            refs = " ".join([f"{first + node.index} 0 R" for node in self._marks[page]])
            nums.append(f"{page - 1} [{refs}]")
        owners = {
            id(kid): first + node.index
            for node in self.elements
            if node.role == "Link" and node.kids
            for kid in node.kids
            if isinstance(kid, LinkRef)
        }
        for key, ref in enumerate(self._links, start=page_count):
            nums.append(f"{key} {owners[id(ref)]} 0 R")
        return (
            f"<< /Type /StructTreeRoot /K [{first + self.root.index} 0 R] "
            f"/ParentTree << /Nums [{' '.join(nums)}] >> "
            f"/ParentTreeNextKey {page_count + len(self._links)} >>"
        )


_PER_STREAM = 4000  # objects per object stream
_XREF_ROW = struct.Struct(">BIH")  # a cross-reference stream's row: type, field 2, field 3


@lru_cache(maxsize=4)
def _rows_of(count: int) -> struct.Struct:
    return struct.Struct(">" + "BIH" * count)


def _compressed_rows(stream: int, count: int) -> bytes:
    """The cross-reference rows of the `count` objects kept in object stream `stream`."""
    return _rows_of(count).pack(*chain.from_iterable((2, stream, index) for index in range(count)))


def _table_attributes(node: Node) -> str:
    span = f" /ColSpan {node.colspan}" if node.colspan > 1 else ""
    return f"/A << /O /Table /Scope /{node.scope}{span} >>"


def _element(
    node: Node,
    parent: int,
    first: int,
    pages: dict[int, str],
    annotations: dict[str, int],
    document: Any,
) -> str:
    """The dictionary of an element other than the usual one-piece leaf."""
    attributes = ""
    if node.alt is not None:
        attributes = f" /Alt {_string(document, node.alt)}"
    if node.scope is not None:
        attributes += f" {_table_attributes(node)}"
    first_page = node.page
    parts = [f"<< /S /{node.role} /P {parent} 0 R"]
    if first_page is not None:
        parts.append(f"/Pg {pages[first_page]}")
    if attributes:
        parts.append(attributes[1:])
    refs: list[str] = [] if first_page is None else [str(node.mcid)]
    for kid in node.kids or ():
        if isinstance(kid, Node):
            refs.append(f"{first + kid.index} 0 R")
        elif isinstance(kid, LinkRef):
            refs.append(f"<< /Type /OBJR /Obj {annotations[kid.name]} 0 R /Pg {pages[kid.page]} >>")
        elif kid[0] == first_page:
            refs.append(str(kid[1]))
        else:
            refs.append(f"<< /Type /MCR /Pg {pages[kid[0]]} /MCID {kid[1]} >>")
    if len(refs) == 1:
        parts.append(f"/K {refs[0]}")
    elif refs:
        parts.append(f"/K [{' '.join(refs)}]")
    parts.append(">>")
    return " ".join(parts)


def xmp(title: str, language: str) -> str:
    """XMP metadata: the title (dc:title), the language and the PDF/UA-1 identification."""
    # html.escape makes valid XML text and attributes (&, <, >, both quotes), and imports
    # nothing; xml.sax.saxutils would bring urllib.request, http.client and email with it.
    title_xml = escape(title)
    lang_xml = escape(language)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title_xml}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{lang_xml}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>Plan Studio</xmp:CreatorTool>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


class Structure:
    """Makes the structure elements of a document's blocks, in reading order.

    The writer asks for one element per block as it makes that block's flowable; what a
    block becomes is decided here alone, so a new layout made of the same blocks is tagged
    the same way.
    """

    def __init__(self, tagger: Tagger, cells: bool = True) -> None:
        # Without `cells`, tables get no elements for their rows and cells: a layout made
        # only to learn the headings' pages draws nothing that needs them.
        self.cells = cells
        self.root = tagger.root
        self._new = tagger.element
        self._elements = tagger.elements
        self._level = 0  # the last heading's level: the next may go at most one deeper
        self._list: Node | None = None  # the L that consecutive checkboxes share

    def _add(self, role: str, alt: str | None = None) -> Node:
        self._list = None
        return self._new(role, self.root, alt)

    def heading(self, level: int) -> Node:
        level = max(1, min(level, self._level + 1, 3))
        self._level = level
        return self._add(f"H{level}")

    def paragraph(self) -> Node:
        return self._add("P")

    def list_item(self) -> Node:
        new = self._new
        if self._list is None:
            self._list = new("L", self.root)
        return new("LBody", new("LI", self._list))

    def figure(self, alt: str) -> Node:
        return self._add("Figure", alt)

    def table(
        self, header: int, rows: int, columns: int, row_headers: bool
    ) -> tuple[tuple[Node, ...] | None, list[tuple[Node, ...]]]:
        """A Table with a header row of `header` cells (0: none) and `rows` rows of
        `columns` cells; in a label/value table (`row_headers`) the first cell of each row
        is its header."""
        new = self._new
        table = self._add("Table")
        if not self.cells:
            return None, []
        header_cells: tuple[Node, ...] | None = None
        if header:
            row = new("TR", new("THead", table)) if rows else new("TR", table)
            header_cells = tuple([new("TH", row) for _ in range(header)])
            for cell in header_cells:
                cell.scope = "Column"
        body = new("TBody", table) if header and rows else table
        cells: list[tuple[Node, ...]] = []
        roles = ["TR"] + ["TH" if row_headers and index == 0 else "TD" for index in range(columns)]
        # The bulk of a long plan's elements: made here without a call to `new` each.
        elements = self._elements
        for _ in range(rows):
            tr: Node | None = None
            made: list[Node] = []
            for role in roles:
                node = Node(role, tr or body)
                node.index = len(elements)
                elements.append(node)
                if tr is None:
                    tr = node
                else:
                    made.append(node)
            one = tuple(made)
            if row_headers:
                one[0].scope = "Row"
            cells.append(one)
        return header_cells, cells

    def contents(self) -> Node:
        return self._add("TOC")

    def contents_entry(self, toc: Node) -> Node:
        return self._new("Link", self._new("TOCI", toc))
