"""The package around the body: python-docx's template, content types, relationships."""

from __future__ import annotations

import datetime as dt
from typing import IO

import docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from planstudio.export.document import (
    Document,
)
from planstudio.export.docx.parts import prepare_settings, prepare_styles
from planstudio.export.docx.text import STYLES_WITH_EFFECTS, XML_DECLARATION

# ---------------------------------------------------------------------------- the package


def template_document(document: Document, exported: dt.datetime) -> WordDocument:
    template = docx.Document()
    package = template.part.package
    # The template's thumbnail, Word 2010 style copy and custom XML describe python-docx's
    # sample document, not this one.
    for relationship in list(package.rels.values()):
        if relationship.reltype == RT.THUMBNAIL:
            del package.rels[relationship.rId]
    for relationship in list(template.part.rels.values()):
        if relationship.reltype in (STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
            del template.part.rels[relationship.rId]
    prepare_styles(template.styles.element, document.language)
    prepare_settings(template.settings.element, document.language)
    properties = template.core_properties
    meta = document.metadata
    properties.title = meta.get("title", document.cover.title)[:255]
    properties.subject = meta.get("subject", "")[:255]
    properties.author = meta.get("organization", document.cover.organization)[:255]
    properties.last_modified_by = meta.get("creator", "Plan Studio")[:255]
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
    properties.language = document.language
    properties.revision = 1
    properties.created = exported
    properties.modified = exported
    return template


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


def relationships(existing: bytes, extra: list[tuple[str, str, str]]) -> bytes:
    added = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in extra
    )
    closing = b"</Relationships>"
    if existing.rstrip().endswith(closing):
        return existing.rstrip()[: -len(closing)] + added.encode() + closing
    # No relationships yet: python-docx writes a self-closed element.
    return (
        f"{XML_DECLARATION}<Relationships "
        f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{added}</Relationships>'
    ).encode()


class ChunkedWriter:
    """Joins small pieces of text and writes them encoded, a few hundred kilobytes at a time."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.pieces: list[str] = []
        self.size = 0

    def write(self, piece: str) -> None:
        self.pieces.append(piece)
        self.size += len(piece)
        if self.size > 1 << 18:
            self.flush()

    def flush(self) -> None:
        if self.pieces:
            self.stream.write("".join(self.pieces).encode("utf-8"))
            self.pieces.clear()
            self.size = 0
