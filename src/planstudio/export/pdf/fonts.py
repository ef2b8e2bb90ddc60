"""The shipped fonts, the fallback from one to the next, and the ToUnicode patch."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts

from planstudio.export.pdf.font_metrics import load_font
from planstudio.paths import resources_dir

# -------------------------------------------------------------------------------------- fonts

SANS = "PlanStudio-Sans"
SANS_BOLD = "PlanStudio-Sans-Bold"
SANS_OBLIQUE = "PlanStudio-Sans-Oblique"
EMOJI = "PlanStudio-Emoji"
_FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_OBLIQUE: "DejaVuSans-Oblique.ttf",
    EMOJI: "NotoEmoji-Regular.ttf",
}
# Fallback chains: a style's own face first, then faces that have what it lacks.  Every chain
# contains SANS and EMOJI, so "some shipped font has it" means "SANS or EMOJI has it".
REGULAR_CHAIN = (SANS, EMOJI)
BOLD_CHAIN = (SANS_BOLD, SANS, EMOJI)
OBLIQUE_CHAIN = (SANS_OBLIQUE, SANS, EMOJI)

REPLACEMENT = "\ufffd"
ASCENT = 0.76  # DejaVu Sans ascent, in em


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


class _CharWidths(dict[str, float]):
    """Advance widths in 1/1000 em by character; characters the face lacks get its default."""

    def __init__(self, widths: dict[str, float], default: float) -> None:
        super().__init__(widths)
        self.default = default

    def __missing__(self, char: str) -> float:
        return self.default


class Face:
    """One shipped TrueType font: reportlab's object, the characters it has, their widths."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.font = load_font(name, fonts_dir() / _FONT_FILES[name])
        # Registered so that reportlab's own drawing calls could use it too; glyphs are
        # embedded as subsets of the characters actually drawn.
        pdfmetrics.registerFont(self.font)
        face = self.font.face
        self.chars: frozenset[str] = frozenset(
            chr(code) for code, glyph in face.charToGlyph.items() if glyph
        )
        self.char_widths = _CharWidths(
            {chr(code): width for code, width in face.charWidths.items()}, face.defaultWidth
        )

    def width(self, text: str, size: float) -> float:
        # map() over a dict's __getitem__ keeps the per-character loop in C.
        return sum(map(self.char_widths.__getitem__, text)) * size * 0.001


@cache
def load_face(name: str) -> Face:
    """Each font is loaded once per process (a few ms from its metrics file, 10-20 ms when
    parsed); the emoji font only when needed."""
    patch_to_unicode()
    return Face(name)


def to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap for a font subset, with characters beyond U+FFFF (emoji)
    written as UTF-16 surrogate pairs as the PDF format requires; reportlab writes their
    bare code point, which readers reject, so copied or extracted text lost every emoji."""
    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(cmap)


# reportlab's own function, kept so that a test can tell when the patch is no longer needed
# (reportlab writes surrogate pairs itself) or no longer applies (the attribute is gone or
# takes other arguments).  pyproject.toml bounds reportlab below its next major version,
# which is when either may happen; the patch is known to work with 4.x and 5.x.
REPORTLAB_TO_UNICODE_CMAP: Callable[[str, Sequence[int]], str] = ttfonts.makeToUnicodeCMap


@cache
def patch_to_unicode() -> None:
    """Replace reportlab's module-level `makeToUnicodeCMap`, which it calls by that name
    when it embeds a font subset."""
    ttfonts.makeToUnicodeCMap = to_unicode_cmap


# Layout treats tab, newline and a line break within a paragraph itself; every other
# character must be in some font.
_LAYOUT_CHARS = frozenset("\t\n\u2028")


@cache
def _sans_known() -> frozenset[str]:
    return load_face(SANS).chars | _LAYOUT_CHARS


def printable(text: str) -> str:
    """`text` with every character no shipped font has replaced by U+FFFD.

    Control and format characters that no font has are dropped instead: they have no
    appearance to stand in for (the C0 controls are already gone, see `clean_text`).
    """
    if _sans_known().issuperset(text):
        return text
    known = _sans_known()
    emoji = load_face(EMOJI).chars
    out = []
    for char in text:
        if char in known or char in emoji:
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf") or _is_variation_selector(char):
            continue
        else:
            out.append(REPLACEMENT)
    return "".join(out)


def _is_variation_selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def sticks(char: str) -> bool:
    """Joiners, selectors and combining marks stay in the font of the character they modify."""
    return unicodedata.category(char) in ("Mn", "Me", "Cf") or _is_variation_selector(char)
