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
registered with reportlab's document (its `Reference` gives each an object number, and an
object's `format` returns its bytes): reportlab itself has no structure tree API.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    LinkAnnotation,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFPage,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

ARTIFACT = "/Artifact BMC"
END = "EMC"


def pagination(subtype: str) -> str:
    """The start of an artifact that is a page's header, footer or watermark."""
    return f"/Artifact <</Type /Pagination /Subtype /{subtype}>> BDC"


class Node:
    """One structure element: its role, attributes and kids in reading order.

    A kid is another Node, a marked-content reference ``(page, mcid)`` or a `LinkRef`.
    """

    __slots__ = ("alt", "colspan", "kids", "name", "parent", "role", "scope")

    def __init__(self, role: str, parent: Node | None = None, alt: str | None = None) -> None:
        self.role = role
        self.parent = parent
        self.kids: list[Node | tuple[int, int] | LinkRef] = []
        self.alt = alt
        self.scope: str | None = None
        self.colspan = 1
        self.name = ""  # reportlab's internal name, once registered
        if parent is not None:
            parent.kids.append(self)

    def add(self, role: str, alt: str | None = None) -> Node:
        return Node(role, self, alt)

    def nodes(self) -> Iterator[Node]:
        """This element and every element under it, in reading order."""
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.nodes()

    def page(self) -> int | None:
        """The first page this element marks content on (its /Pg)."""
        for kid in self.kids:
            if isinstance(kid, tuple):
                return kid[0]
        return None


class LinkRef:
    """A link annotation as a kid of its Link element (an OBJR)."""

    __slots__ = ("annotation", "name", "page")

    def __init__(self, annotation: TaggedLink, name: str, page: int) -> None:
        self.annotation = annotation
        self.name = name
        self.page = page


class TaggedLink(LinkAnnotation):
    """reportlab's link annotation, allowed the /StructParent that ties it to its Link."""

    permitted = (*LinkAnnotation.permitted, "StructParent")


class _Raw(PDFObject):
    """A PDF object whose bytes are made when the file is written (references resolved)."""

    __RefOnly__ = 1

    def __init__(self, make: Any) -> None:
        self.make = make

    def format(self, document: Any) -> bytes:
        result: bytes = self.make(document)
        return result


def _ref(document: Any, name: str) -> str:
    number, generation = document.idToObjectNumberAndVersion[name]
    return f"{number} {generation} R"


def _string(document: Any, text: str) -> str:
    formatted: bytes = PDFString(text).format(document)
    return formatted.decode("latin-1")


class Tagger:
    """The structure tree of one export and the marked content that points into it."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.root = Node("Document")
        self._marks: dict[int, list[Node]] = {}  # page → the element of each MCID
        self._links: list[LinkRef] = []

    def begin(self, node: Node | None, page: int) -> str:
        """The operator opening `node`'s next piece of content on `page` (an artifact if
        the drawing belongs to no element)."""
        if node is None:
            return ARTIFACT
        marks = self._marks.setdefault(page, [])
        mcid = len(marks)
        marks.append(node)
        node.kids.append((page, mcid))
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
        node.kids.append(ref)
        self._links.append(ref)

    # ---------------------------------------------------------------------------- writing

    def finish(self, canvas: Canvas, title: str) -> None:
        """Write the tree and the catalog entries; every page must have been shown."""
        document = canvas._doc
        pages: list[PDFPage] = document.Pages.pages
        for index, page in enumerate(pages):
            page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
            page.Tabs = PDFName("S")  # tab order follows the structure
            if index + 1 in self._marks:
                page.StructParents = index
        for key, ref in enumerate(self._links, start=len(pages)):
            ref.annotation.otherkw["StructParent"] = key
        elements = list(self.root.nodes())
        root = _Raw(lambda doc: self._root_bytes(doc, len(pages)))
        root_name = document.Reference(root).name
        for element in elements:
            element.name = document.Reference(_Raw(self._element_maker(element, root_name))).name

        catalog = document.Catalog
        catalog.StructTreeRoot = root
        catalog.MarkInfo = _Raw(lambda doc: b"<< /Marked true >>")
        catalog.Lang = PDFString(self.language)
        catalog.Metadata = PDFStream(
            PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
            xmp(title, self.language).encode("utf-8"),
            filters=[],
        )
        canvas.setViewerPreference("DisplayDocTitle", "true")

    def _root_bytes(self, document: Any, page_count: int) -> bytes:
        nums: list[str] = []
        for page in sorted(self._marks):
            refs = " ".join(_ref(document, node.name) for node in self._marks[page])
            nums.append(f"{page - 1} [{refs}]")
        for key, ref in enumerate(self._links, start=page_count):
            nums.append(f"{key} {_ref(document, self._link_owner[ref.name])}")
        document_ref = _ref(document, self.root.name)
        text = (
            f"<< /Type /StructTreeRoot /K [{document_ref}] "
            f"/ParentTree << /Nums [{' '.join(nums)}] >> "
            f"/ParentTreeNextKey {page_count + len(self._links)} >>"
        )
        return text.encode("latin-1")

    @property
    def _link_owner(self) -> dict[str, str]:
        owners = getattr(self, "_owners", None)
        if owners is None:
            owners = {
                kid.name: node.name
                for node in self.root.nodes()
                for kid in node.kids
                if isinstance(kid, LinkRef)
            }
            self._owners = owners
        return owners

    def _element_maker(self, node: Node, root_name: str) -> Any:
        def make(document: Any) -> bytes:
            parent = node.parent.name if node.parent is not None else root_name
            parts = [f"<< /Type /StructElem /S /{node.role} /P {_ref(document, parent)}"]
            page = node.page()
            if page is not None:
                parts.append(f"/Pg {_ref(document, f'Page{page}')}")
            if node.alt is not None:
                parts.append(f"/Alt {_string(document, node.alt)}")
            if node.scope is not None:
                span = f" /ColSpan {node.colspan}" if node.colspan > 1 else ""
                parts.append(f"/A << /O /Table /Scope /{node.scope}{span} >>")
            kids: list[str] = []
            for kid in node.kids:
                if isinstance(kid, Node):
                    kids.append(_ref(document, kid.name))
                elif isinstance(kid, LinkRef):
                    annotation = _ref(document, document.annotationName(kid.name))
                    on = _ref(document, f"Page{kid.page}")
                    kids.append(f"<< /Type /OBJR /Obj {annotation} /Pg {on} >>")
                elif kid[0] == page:
                    kids.append(str(kid[1]))
                else:
                    kids.append(
                        f"<< /Type /MCR /Pg {_ref(document, f'Page{kid[0]}')} /MCID {kid[1]} >>"
                    )
            # A lone kid stands alone (not in an array), as most writers do and some
            # checkers expect of a heading.
            if len(kids) == 1:
                parts.append(f"/K {kids[0]}")
            elif kids:
                parts.append(f"/K [{' '.join(kids)}]")
            parts.append(">>")
            return " ".join(parts).encode("latin-1")

        return make


def xmp(title: str, language: str) -> str:
    """XMP metadata: the title (dc:title), the language and the PDF/UA-1 identification."""
    title_xml = escape(title, {'"': "&quot;"})
    lang_xml = escape(language, {'"': "&quot;"})
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

    def __init__(self, tagger: Tagger) -> None:
        self.root = tagger.root
        self._level = 0  # the last heading's level: the next may go at most one deeper
        self._list: Node | None = None  # the L that consecutive checkboxes share

    def _add(self, role: str, alt: str | None = None) -> Node:
        self._list = None
        return self.root.add(role, alt)

    def heading(self, level: int) -> Node:
        level = max(1, min(level, self._level + 1, 3))
        self._level = level
        return self._add(f"H{level}")

    def paragraph(self) -> Node:
        return self._add("P")

    def list_item(self) -> Node:
        if self._list is None:
            self._list = self.root.add("L")
        return self._list.add("LI").add("LBody")

    def figure(self, alt: str) -> Node:
        return self._add("Figure", alt)

    def table(
        self, header: int, rows: int, columns: int, row_headers: bool
    ) -> tuple[tuple[Node, ...] | None, list[tuple[Node, ...]]]:
        """A Table with a header row of `header` cells (0: none) and `rows` rows of
        `columns` cells; in a label/value table (`row_headers`) the first cell of each row
        is its header."""
        table = self._add("Table")
        header_cells: tuple[Node, ...] | None = None
        if header:
            row = table.add("THead").add("TR") if rows else table.add("TR")
            header_cells = tuple(row.add("TH") for _ in range(header))
            for cell in header_cells:
                cell.scope = "Column"
        body = table.add("TBody") if header and rows else table
        cells: list[tuple[Node, ...]] = []
        for _ in range(rows):
            row = body.add("TR")
            one = tuple(
                row.add("TH" if row_headers and index == 0 else "TD") for index in range(columns)
            )
            if row_headers:
                one[0].scope = "Row"
            cells.append(one)
        return header_cells, cells

    def contents(self) -> Node:
        return self._add("TOC")

    def contents_entry(self, toc: Node) -> Node:
        return toc.add("TOCI").add("Link")
