"""Pages, links and outline entries written straight to bytes: a long plan has thousands.

reportlab formats every dictionary entry through its generic `format`, which turns each
key into a name one character at a time, each number through `fp_str` and each reference
through a lookup and a string encoding: most of the time it took to put the file together
went on the dictionaries of the pages, the links and the bookmarks (outline entries).  The
classes here write the same bytes (same keys, same order, same line breaks) for the values
those dictionaries hold, and hand anything else to reportlab's own `format`.
"""

from __future__ import annotations

import codecs
from functools import lru_cache
from typing import Any, ClassVar

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import (
    Destination,
    LinkAnnotation,
    NoEncryption,
    OutlineEntryObject,
    PDFArray,
    PDFDestinationXYZ,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFOutlines,
    PDFPage,
    PDFResourceDictionary,
    PDFString,
    pdfdocEnc,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format

_NAME_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


def _key(name: str, cache: dict[str, bytes] = {}) -> bytes:  # noqa: B006 (a memo)
    """A dictionary key as reportlab writes it (`PDFName`, encoded), once per key."""
    key = cache.get(name)
    if key is None:
        if _NAME_SAFE.issuperset(name):
            key = ("/" + name).encode("latin-1")
        else:
            key = pdfdocEnc(PDFName(name))
        cache[name] = key
    return key


# reportlab's escapePDF of every byte (printable ASCII as itself, ( ) \\ with a backslash,
# the rest in octal), for str.translate: its own escape is a Python loop over the bytes.
# Page text (`text`) and the strings of other objects share it.
BYTE_ESCAPES: dict[int, str] = {
    byte: (
        "\\" + chr(byte)
        if chr(byte) in "()\\"
        else chr(byte)
        if 32 <= byte < 127
        else f"\\{byte:03o}"
    )
    for byte in range(256)
}


def pdf_string(text: str) -> bytes:
    """`PDFString(text).format(document)` of an unencrypted document: PDFDocEncoding where
    it can encode `text`, else UTF-16BE with its byte order mark, escaped in parentheses."""
    try:
        data = text.encode("pdfdoc")
    except UnicodeEncodeError:
        data = codecs.BOM_UTF16_BE + text.encode("utf_16_be")
    return ("(" + data.decode("latin-1").translate(BYTE_ESCAPES) + ")").encode("latin-1")


def _plain_string(value: PDFString, document: Any) -> bool:
    """Whether `pdf_string` writes `value` as reportlab would (the usual case)."""
    return (
        type(value.s) is str
        and getattr(value, "escape", 1) == 1
        and getattr(value, "enc", "auto") == "auto"
        and type(document.encrypt) is NoEncryption
    )


def _reference(name: str, document: Any) -> bytes:
    return b"%d %d R" % document.idToObjectNumberAndVersion[name]


def _value(value: Any, document: Any) -> bytes:
    """`value` as reportlab's `format` writes it inside a dictionary or an array."""
    kind = type(value)
    if kind is PDFObjectReference:
        return _reference(value.name, document)
    if kind is _Formatted:
        return value.data
    if kind is int or kind is float:
        return _number(value)
    if kind is str:
        return _text(value)
    if kind is PDFArray:
        return _array([_value(item, document) for item in value.sequence])
    if kind is PDFDictionary:
        return _dictionary(value.dict, document)
    if kind is PDFString and _plain_string(value, document):
        return pdf_string(value.s)
    if kind is Destination and type(value.fmt) is PDFDestinationXYZ and value.page is not None:
        xyz = value.fmt
        target = document.Reference(value.page)
        return _array(
            [
                _value(target, document),
                b"/XYZ",
                _value(xyz.left, document),
                _value(xyz.top, document),
                _value(xyz.zoom, document),
            ]
        )
    formatted: bytes = pdf_format(value, document)
    return formatted


@lru_cache(maxsize=4096)
def _number(value: float) -> bytes:
    # Page sizes, zooms and counts repeat on every page: each written once.
    return fp_str(value).encode("latin-1")


@lru_cache(maxsize=4096)
def _text(value: str) -> bytes:
    # Names and fixed values ("/Page", "/Link", "[0 0 0]"): a codec call each, once.
    return pdfdocEnc(value)


def _array(items: list[bytes]) -> bytes:
    # PDFArray.format: a line break after every ten items.
    if len(items) > 10:
        for index in reversed(range(10, len(items), 10)):
            items.insert(index, b"\n ")
    return b"[ " + b" ".join(items) + b" ]"


def _dictionary(entries: dict[str, Any], document: Any) -> bytes:
    # PDFDictionary.format: keys sorted, a line break after every six entries.
    lines = [_key(name) + b" " + _value(entries[name], document) for name in sorted(entries)]
    for index in reversed(range(6, len(lines), 6)):
        lines.insert(index, b"\n ")
    return b"<<\n" + b" ".join(lines) + b"\n>>"


def _resources(resources: PDFResourceDictionary, document: Any) -> bytes:
    # PDFResourceDictionary.format: its non-empty dictionaries and the procedure sets.
    entries: dict[str, Any] = {}
    for name in resources.dict_attributes:
        value = getattr(resources, name)
        if isinstance(value, dict):
            if value:
                entries[name] = PDFDictionary(value)
        else:
            entries[name] = value
    procs = resources.ProcSet
    if isinstance(procs, list | tuple):
        if procs:
            entries["ProcSet"] = PDFArray(procs)
    else:
        entries["ProcSet"] = procs
    return _dictionary(entries, document)


def fast_formatting() -> bool:
    """Whether reportlab writes dictionaries on one line (its default), which is what the
    classes here write; otherwise they leave the formatting to reportlab."""
    return not rl_config.pdfMultiLine


def flate_stream(content: bytes, document: Any) -> bytes | None:
    """A stream of deflated `content` as `PDFStream.format` writes it (its dictionary
    holding only /Filter /FlateDecode), or None where only reportlab can write it."""
    if not fast_formatting() or type(document.encrypt) is not NoEncryption:
        return None
    entries = {"Filter": "/FlateDecode", "Length": len(content)}
    return _dictionary(entries, document) + b"\nstream\n" + content + b"endstream\n"


class TaggedPage(PDFPage):
    """A page with the entries tagged PDF adds (its parent-tree key and tab order)."""

    __NoDefault__: ClassVar[list[str]] = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]

    def format(self, document: Any) -> bytes:
        if not fast_formatting():
            formatted: bytes = super().format(document)
            return formatted
        # PDFCatalog.format, with the entries written here.
        self.check_format(document)
        entries: dict[str, Any] = {}
        for name, default in self.__Defaults__.items():
            value = getattr(self, name, default)
            if value is not None:
                entries[name] = value
        for name in self.__NoDefault__:
            value = getattr(self, name, None)
            if value is not None:
                entries[name] = value
        for name in self.__Refs__:
            if name in entries:
                entries[name] = document.Reference(entries[name])
        resources = entries.get("Resources")
        if type(resources) is PDFResourceDictionary:
            entries["Resources"] = _Formatted(_resources(resources, document))
        return _dictionary(entries, document)


class TaggedLink(LinkAnnotation):
    """reportlab's link annotation, allowed the /StructParent that ties it to its Link."""

    permitted = (*LinkAnnotation.permitted, "StructParent")

    def format(self, document: Any) -> bytes:
        if not fast_formatting():
            formatted: bytes = super().format(document)
            return formatted
        return _dictionary(self.Dict().dict, document)


class Outlines(PDFOutlines):
    """The bookmarks, whose entries (made when the file is put together) format faster."""

    def prepare(self, document: Any, canvas: Any) -> None:
        super().prepare(document, canvas)
        for obj in document.idToObject.values():
            if type(obj) is OutlineEntryObject:
                obj.__class__ = OutlineEntry


class OutlineEntry(OutlineEntryObject):
    """One bookmark: OutlineEntryObject.format, with the entries written here."""

    def format(self, document: Any) -> bytes:
        if not fast_formatting():
            formatted: bytes = super().format(document)
            return formatted
        entries: dict[str, Any] = {
            "Title": PDFString(self.Title),
            "Parent": self.Parent,
            "Dest": self.Dest,
        }
        for name in ("Prev", "Next", "First", "Last", "Count"):
            value = getattr(self, name)
            if value is not None:
                entries[name] = value
        return _dictionary(entries, document)


class _Formatted:
    """Bytes already formatted, as a dictionary value."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data
