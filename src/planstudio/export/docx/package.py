"""The package around the body: python-docx's template parts, content types, relationships.

The template is python-docx's own `templates/default.docx`, read as a zip file rather than
through python-docx's object model: importing python-docx (and lxml with it) took longer
than writing a district plan's whole body, and the template needs only a few text edits
(the styles, the settings and the document properties), made here on its XML text.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import queue
import re
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import IO

from planstudio.export.document import Document, clean_text
from planstudio.export.docx.parts import prepare_settings, prepare_styles
from planstudio.export.docx.text import (
    RT_CORE_PROPERTIES,
    RT_CUSTOM_XML,
    RT_OFFICE_DOCUMENT,
    RT_THUMBNAIL,
    STYLES_WITH_EFFECTS,
    XML_DECLARATION,
    escape_attribute,
    escape_text,
)

# Relationships of the template that describe python-docx's sample document, not ours: its
# thumbnail, its Word 2010 copy of the styles and its custom XML.
_LEFT_OUT = frozenset({RT_THUMBNAIL, STYLES_WITH_EFFECTS, RT_CUSTOM_XML})

_RELATIONSHIP = re.compile(r"<Relationship\s([^>]*?)/?>")
_ATTRIBUTE = re.compile(r'([A-Za-z]+)="([^"]*)"')
_OVERRIDE = re.compile(r"<Override\s([^>]*?)/?>")


@dataclass(frozen=True)
class Relationship:
    rid: str
    kind: str
    target: str
    external: bool = False


@dataclass(frozen=True)
class Part:
    """One part of the package as the writer stores it: its zip name and content type, its
    bytes, and its relationships (None when it has none)."""

    name: str
    content_type: str
    data: bytes
    relationships: bytes | None = None


@dataclass(frozen=True)
class Template:
    """python-docx's template made into this document's package, less the main part's body."""

    package_relationships: bytes
    main_name: str  # the main part's zip name, word/document.xml
    main_content_type: str
    main_relationships: list[Relationship]
    parts: list[Part]  # every other part, in the order the template's relationships name them


def template_path() -> Path:
    """python-docx's default template, found without importing python-docx where the import
    system says where the package is (a frozen build may not: then it is imported)."""
    spec = find_spec("docx")
    if spec is None:
        raise ImportError("python-docx is not installed")
    folders = list(spec.submodule_search_locations or ())
    if folders:
        folder = Path(folders[0])
    else:
        import docx

        folder = Path(docx.__file__).parent
    return folder / "templates" / "default.docx"


@cache
def _template_files() -> dict[str, bytes]:
    with zipfile.ZipFile(template_path()) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _relationships(xml: bytes) -> list[Relationship]:
    found = []
    for match in _RELATIONSHIP.finditer(xml.decode("utf-8")):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        found.append(
            Relationship(
                attributes["Id"],
                attributes["Type"],
                attributes["Target"],
                attributes.get("TargetMode") == "External",
            )
        )
    return found


def relationships_xml(relationships: list[Relationship]) -> bytes:
    external = ' TargetMode="External"'
    items = "".join(
        f'<Relationship Id="{escape_attribute(r.rid)}" Type="{escape_attribute(r.kind)}" '
        f'Target="{escape_attribute(r.target)}"{external if r.external else ""}/>'
        for r in relationships
    )
    return (
        f"{XML_DECLARATION}<Relationships "
        f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}'
        "</Relationships>"
    ).encode()


def rels_name(name: str) -> str:
    folder, file = posixpath.split(name)
    return posixpath.join(folder, "_rels", f"{file}.rels")


def _resolve(source: str, target: str) -> str:
    """The zip name of a relationship's target; `source` is the zip name of its part, or
    "" for the package."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def template_package(document: Document, exported: dt.datetime) -> Template:
    """The template's parts, with this document's styles, settings and properties."""
    files = _template_files()
    types = {}
    for match in _OVERRIDE.finditer(files["[Content_Types].xml"].decode("utf-8")):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        types[attributes["PartName"].lstrip("/")] = attributes["ContentType"]

    kept = [r for r in _relationships(files["_rels/.rels"]) if r.kind not in _LEFT_OUT]
    main_name = next(_resolve("", r.target) for r in kept if r.kind == RT_OFFICE_DOCUMENT)
    main_relationships = [
        r for r in _relationships(files[rels_name(main_name)]) if r.kind not in _LEFT_OUT
    ]

    parts: list[Part] = []
    seen = {main_name}
    # Depth first, in the order the relationships name the parts, with a stack of what is
    # being visited: a nested function calling itself would be a reference cycle holding
    # the document until the cycle collector's next pass (a freeze, on a large plan).
    for top in (("", kept), (main_name, main_relationships)):
        stack: list[tuple[str, Iterator[Relationship]]] = [(top[0], iter(top[1]))]
        while stack:
            source, pending = stack[-1]
            relationship = next(pending, None)
            if relationship is None:
                stack.pop()
                continue
            if relationship.external:
                continue
            name = _resolve(source, relationship.target)
            if name in seen:
                continue
            seen.add(name)
            data = files[name]
            if relationship.kind == RT_CORE_PROPERTIES:
                data = core_properties(document, exported)
            elif name.endswith("/styles.xml"):
                data = prepare_styles(data, document.language)
            elif name.endswith("/settings.xml"):
                data = prepare_settings(data, document.language)
            own_name = rels_name(name)
            own = _relationships(files[own_name]) if own_name in files else []
            own = [r for r in own if r.kind not in _LEFT_OUT]
            parts.append(Part(name, types[name], data, relationships_xml(own) if own else None))
            stack.append((name, iter(own)))
    return Template(relationships_xml(kept), main_name, types[main_name], main_relationships, parts)


def core_properties(document: Document, exported: dt.datetime) -> bytes:
    """docProps/core.xml: the title a reader's title bar and a screen reader announce, the
    language, the author and the dates, as python-docx writes them."""
    meta = document.metadata
    stamp = exported.strftime("%Y-%m-%dT%H:%M:%SZ")

    def element(tag: str, text: str) -> str:
        return f"<{tag}>{escape_text(clean_text(text)[:255])}</{tag}>"

    return (
        f"{XML_DECLARATION}"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{element('dc:title', meta.get('title', document.cover.title))}"
        f"{element('dc:subject', meta.get('subject', ''))}"
        f"{element('dc:creator', meta.get('organization', document.cover.organization))}"
        "<cp:keywords></cp:keywords><dc:description></dc:description>"
        f"{element('cp:lastModifiedBy', meta.get('creator', 'Plan Studio'))}"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        f"<cp:category></cp:category>{element('dc:language', document.language)}"
        "</cp:coreProperties>"
    ).encode()


def content_types(parts: list[tuple[str, str]]) -> bytes:
    overrides = "".join(
        f'<Override PartName="{name}" ContentType="{content_type}"/>'
        for name, content_type in parts
    )
    return (
        f"{XML_DECLARATION}"
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        f"{overrides}</Types>"
    ).encode()


class ChunkedWriter:
    """Joins small pieces of text and writes them encoded, a megabyte at a time, on a thread
    of its own.

    Deflating the body took as long as making it; zlib (and the file write) release the
    interpreter, so on a second core the body is compressed while the next megabyte is
    made.  At most `_QUEUED` chunks wait, so memory stays bounded whatever the body's size.
    Use as a context manager: leaving it writes what is left (unless leaving on an error)
    and waits for the thread; an error of the thread is raised here.
    """

    _CHUNK = 1 << 20  # characters
    _QUEUED = 4

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.pieces: list[str] = []
        self.size = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(self._QUEUED)
        self._error: BaseException | None = None
        self._abandoned = False
        self._thread = threading.Thread(target=self._drain, name="docx-deflate", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._error is None and not self._abandoned:
                try:
                    self.stream.write(chunk)
                except BaseException as error:  # raised again on the writing thread
                    self._error = error

    def write(self, piece: str) -> None:
        self.pieces.append(piece)
        self.size += len(piece)
        if self.size > self._CHUNK:
            self.flush()

    def flush(self) -> None:
        if self._error is not None:
            raise self._error
        if self.pieces:
            self._queue.put("".join(self.pieces).encode("utf-8"))
            self.pieces.clear()
            self.size = 0

    def __enter__(self) -> ChunkedWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                self.flush()
            else:
                self._abandoned = True  # the file is thrown away: what is queued need not be
        finally:
            self._queue.put(None)
            self._thread.join()
        if self._error is not None and kind is None:
            raise self._error
