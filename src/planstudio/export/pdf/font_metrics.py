"""The shipped fonts' character tables, read from a file made beforehand instead of parsed.

reportlab parses a TrueType font in Python, a few reads per glyph: 17-21 ms for each
DejaVu face, paid by every export that draws with it (a district ga-dip PDF uses two:
six per cent of the whole command).  The part that costs is the character tables (the
cmap, the widths, the glyph offsets), always the same for the same font file.  They are
written once, by `installers/make_font_metrics.py`, into a ``.metrics`` file beside
each font (committed); reading one takes about a millisecond.

reportlab still reads the font file and its header tables itself (`charInfo=0`, its own
path for that); only the tables it would have parsed are filled in from the file.  The
file names the SHA-256 of the font it was made from and the reportlab major version: a
file that does not match the font, or that is not whole, is ignored and the font is
parsed as before.  Slower, never wrong.  A test holds the filled-in face equal to a
parsed one, so a font or reportlab change that the file no longer matches fails there.

Format: one line of JSON (the header), then the arrays its ``arrays`` names, in that
order, each as little-endian integers or doubles of the ``array`` module's typecode.
"""

from __future__ import annotations

import array
import functools
import hashlib
import json
import sys
import weakref
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

FORMAT = 1
SUFFIX = ".metrics"
# Name, typecode and item size of each array, in file order.
_ARRAYS = (
    ("char_to_glyph", "l", 4),  # code, glyph, code, glyph…
    ("width_codes", "l", 4),
    ("widths", "d", 8),  # parallel to width_codes
    ("glyph_to_char", "l", 4),  # glyph, code… in reportlab's order
    ("advances", "d", 8),  # per glyph; see _whole_advances
    ("side_bearings", "l", 4),  # per glyph
    ("glyph_positions", "l", 4),
)


def _major(version: str) -> str:
    return version.split(".", 1)[0]


def metrics_path(font_path: Path) -> Path:
    return font_path.with_name(font_path.name + SUFFIX)


def _typed(typecode: str, itemsize: int) -> array.array[Any]:
    # 'l' is 8 bytes on 64-bit Linux and macOS and 4 on Windows: pick the 4-byte one.
    for code in (typecode, "i", "l"):
        candidate = array.array(code)
        if candidate.itemsize == itemsize:
            return candidate
    raise ValueError(f"no {itemsize}-byte array type")


def _whole_advances(hmetrics: list[tuple[Any, int]]) -> int:
    """How many glyphs lead the metrics with an advance in font units (an int).

    reportlab keeps the glyphs past the font's last full metric with the advance already
    scaled to 1/1000 em (a float); the file keeps each as the type reportlab made it.
    """
    count = 0
    while count < len(hmetrics) and isinstance(hmetrics[count][0], int):
        count += 1
    if not all(isinstance(advance, float) for advance, _lsb in hmetrics[count:]):
        raise ValueError("the font's advances mix whole and scaled values")
    return count


def write_metrics(font_path: Path) -> Path:
    """Parse the font with reportlab and write its character tables beside it."""
    face = TTFontFace(str(font_path))
    values: dict[str, list[Any]] = {
        "char_to_glyph": [n for pair in face.charToGlyph.items() for n in pair],
        "width_codes": list(face.charWidths),
        "widths": [float(w) for w in face.charWidths.values()],
        "glyph_to_char": [
            n for glyph, codes in face.glyphToChar.items() for code in codes for n in (glyph, code)
        ],
        "advances": [float(advance) for advance, _lsb in face.hmetrics],
        "side_bearings": [lsb for _advance, lsb in face.hmetrics],
        "glyph_positions": list(face.glyphPos),
    }
    header = {
        "format": FORMAT,
        "font_sha256": hashlib.sha256(face._ttf_data).hexdigest(),  # as _read_metrics has it
        "reportlab": _major(reportlab.Version),
        "default_width": face.defaultWidth,
        "whole_advances": _whole_advances(face.hmetrics),
        "arrays": {name: len(values[name]) for name, _code, _size in _ARRAYS},
    }
    chunks = [json.dumps(header, sort_keys=True).encode("ascii") + b"\n"]
    for name, code, size in _ARRAYS:
        typed = _typed(code, size)
        typed.extend(values[name])
        if sys.byteorder != "little":
            typed.byteswap()
        chunks.append(typed.tobytes())
    out = metrics_path(font_path)
    out.write_bytes(b"".join(chunks))
    return out


def _read_metrics(face: TTFontFace, font_path: Path) -> dict[str, Any] | None:
    """The arrays of the font's metrics file, or None when it is missing or does not fit."""
    try:
        raw = metrics_path(font_path).read_bytes()
    except OSError:
        return None
    head, _newline, body = raw.partition(b"\n")
    try:
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            return None
        if header.get("reportlab") != _major(reportlab.Version):
            return None
        if header.get("font_sha256") != hashlib.sha256(face._ttf_data).hexdigest():
            return None
        counts = header["arrays"]
        found: dict[str, Any] = {
            "default_width": float(header["default_width"]),
            "whole_advances": int(header["whole_advances"]),
        }
        at = 0
        for name, code, size in _ARRAYS:
            count = counts[name]
            if not isinstance(count, int) or count < 0:
                return None
            typed = _typed(code, size)
            typed.frombytes(body[at : at + count * size])
            if len(typed) != count:
                return None
            if sys.byteorder != "little":
                typed.byteswap()
            found[name] = typed
            at += count * size
        if at != len(body):
            return None
    except (ValueError, KeyError, TypeError):
        return None
    return found


def _pairs(values: array.array[Any]) -> zip[tuple[Any, Any]]:
    it = iter(values)
    return zip(it, it, strict=True)


class _FaceFromMetrics(TTFontFace):
    """A face whose character tables came from the metrics file.

    `glyphToChar` is made when first asked for: reportlab reads it only to shape text
    (with uharfbuzz, which the exports do not use), and it is the slowest table to make.
    """

    _glyph_to_char: array.array[Any]

    @functools.cached_property
    def glyphToChar(self) -> dict[int, list[int]]:
        glyph_to_char: dict[int, list[int]] = {}
        for glyph, code in _pairs(self._glyph_to_char):
            glyph_to_char.setdefault(glyph, []).append(code)
        return glyph_to_char


def _fill(face: _FaceFromMetrics, metrics: dict[str, Any]) -> None:
    """Give a header-only face the character tables reportlab would have parsed."""
    face.charToGlyph = dict(_pairs(metrics["char_to_glyph"]))
    face.charWidths = dict(zip(metrics["width_codes"], metrics["widths"], strict=True))
    face.defaultWidth = metrics["default_width"]
    face._glyph_to_char = metrics["glyph_to_char"]
    advances = metrics["advances"].tolist()
    whole = metrics["whole_advances"]
    advances[:whole] = map(int, advances[:whole])
    face.hmetrics = list(zip(advances, metrics["side_bearings"].tolist(), strict=True))
    face.glyphPos = metrics["glyph_positions"].tolist()


def _fits(face: TTFontFace) -> bool:
    """Whether every glyph the tables name is in the font (a sanity check, not a proof)."""
    glyphs = face.numGlyphs
    return (
        len(face.hmetrics) == glyphs
        and len(face.glyphPos) == glyphs + 1
        and all(0 <= glyph < glyphs for glyph in face.charToGlyph.values())
    )


def load_face(font_path: Path) -> TTFontFace:
    """The font's reportlab face: its character tables from the metrics file when that
    fits the font, else parsed by reportlab as always."""
    face = _FaceFromMetrics.__new__(_FaceFromMetrics)
    try:
        # TTFontFace.__init__ without the character tables: reportlab's own header-only
        # reading (charInfo=0), which leaves them None.
        pdfmetrics.TypeFace.__init__(face, None)
        ttfonts.TTFontFile.__init__(face, str(font_path), charInfo=0)
        metrics = _read_metrics(face, font_path)
        if metrics is not None:
            _fill(face, metrics)
            if _fits(face):
                return face
    except (ValueError, ttfonts.TTFError):
        pass  # not a font reportlab reads without its tables: let it say so below
    return TTFontFace(str(font_path))


def load_font(name: str, font_path: Path) -> TTFont:
    """`TTFont(name, font_path)`, with its face from `load_face`.

    TTFont's constructor always parses the font, so its few assignments are made here; a
    test holds the result equal, attribute by attribute, to the font reportlab builds.
    """
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = load_face(font_path)
    font.encoding = ttfonts.TTEncoding()
    font.state = weakref.WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in ttfonts.unShapedFontGlob)
    return font
