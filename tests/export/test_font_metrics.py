"""The shipped fonts' metrics files give the very faces reportlab parses, or are ignored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase import ttfonts

from planstudio.export.pdf import font_metrics
from planstudio.export.pdf.fonts import fonts_dir

SHIPPED = sorted(fonts_dir().glob("*.ttf"))
# Where reportlab's parser stopped reading, and a function it makes afresh for each face.
_NOT_COMPARED = {"_pos", "_pdfScale", "_glyph_to_char"}


def _state(face: ttfonts.TTFontFace) -> dict[str, Any]:
    state = {k: v for k, v in vars(face).items() if k not in _NOT_COMPARED}
    state["glyphToChar"] = face.glyphToChar
    # An advance reportlab keeps as a float must come back a float, an int an int.
    state["hmetric types"] = [type(advance) for advance, _lsb in face.hmetrics]
    return state


def _assert_same_face(ours: ttfonts.TTFontFace, parsed: ttfonts.TTFontFace) -> None:
    mine, theirs = _state(ours), _state(parsed)
    assert mine.keys() == theirs.keys()
    for key in theirs:
        assert mine[key] == theirs[key], key


def test_every_shipped_font_has_its_metrics_file() -> None:
    assert len(SHIPPED) == 4
    for font in SHIPPED:
        assert font_metrics.metrics_path(font).is_file(), (
            f"run installers/make_font_metrics.py: {font.name} has no metrics file"
        )


@pytest.mark.parametrize("font", SHIPPED, ids=lambda path: path.name)
def test_a_face_from_its_metrics_file_is_the_face_reportlab_parses(font: Path) -> None:
    ours = font_metrics.load_face(font)
    # Made from the file, not parsed: otherwise the file no longer fits the font or this
    # reportlab, and installers/make_font_metrics.py must be run again.
    assert type(ours) is not ttfonts.TTFontFace
    _assert_same_face(ours, ttfonts.TTFontFace(str(font)))


def test_a_font_built_from_metrics_is_the_font_reportlab_builds() -> None:
    font = SHIPPED[0]
    ours = font_metrics.load_font("Probe", font)
    theirs = ttfonts.TTFont("Probe", str(font))
    assert vars(ours).keys() == vars(theirs).keys()
    for key in ("fontName", "_asciiReadable", "_shapable"):
        assert getattr(ours, key) == getattr(theirs, key), key
    assert type(ours.encoding) is type(theirs.encoding)
    assert type(ours.state) is type(theirs.state)
    assert ours.stringWidth("Équité 2024–25 ☒", 10) == theirs.stringWidth("Équité 2024–25 ☒", 10)
    doc_subset = [ord(c) for c in "Plan Studio ☒"]
    assert ours.face.makeSubset(doc_subset) == theirs.face.makeSubset(doc_subset)


def _header_and_body(path: Path) -> tuple[dict[str, Any], bytes]:
    head, _newline, body = path.read_bytes().partition(b"\n")
    return json.loads(head), body


def _spoil_header(header: dict[str, Any], body: bytes) -> bytes:
    return json.dumps(header).encode() + b"\n" + body


def _changed_header(key: str, value: Any) -> Any:
    def spoil(path: Path) -> bytes:
        header, body = _header_and_body(path)
        header[key] = value
        return _spoil_header(header, body)

    return spoil


SPOILED = {
    "missing": None,
    "another font's": lambda path: font_metrics.metrics_path(SHIPPED[1]).read_bytes(),
    "cut short": lambda path: path.read_bytes()[:-9],
    "one byte more": lambda path: path.read_bytes() + b"\0",
    "not JSON": lambda path: b"\x89PNG\r\n" + path.read_bytes(),
    "a JSON list": lambda path: b"[1, 2]\n" + _header_and_body(path)[1],
    "of another reportlab": _changed_header("reportlab", "999"),
    "of another format": _changed_header("format", 99),
    "counting wrong": _changed_header("arrays", {"char_to_glyph": -1}),
    "counts not numbers": _changed_header("arrays", "many"),
    "a glyph past the font's": lambda path: _glyph_past_the_end(path),
}


def _glyph_past_the_end(path: Path) -> bytes:
    # The same arrays with the first glyph number made one the font does not have.
    header, body = _header_and_body(path)
    glyph_at = 4  # char_to_glyph is code, glyph, …: the first glyph is its second int
    past = (2**31 - 1).to_bytes(4, "little")
    return _spoil_header(header, body[:glyph_at] + past + body[glyph_at + 4 :])


@pytest.mark.parametrize("how", list(SPOILED))
def test_a_metrics_file_that_does_not_fit_is_ignored_and_the_font_parsed(
    tmp_path: Path, how: str
) -> None:
    font = tmp_path / SHIPPED[0].name
    shutil.copyfile(SHIPPED[0], font)
    spoil = SPOILED[how]
    if spoil is not None:
        font_metrics.metrics_path(font).write_bytes(spoil(font_metrics.metrics_path(SHIPPED[0])))

    face = font_metrics.load_face(font)

    assert type(face) is ttfonts.TTFontFace  # parsed, as before there were metrics files
    _assert_same_face(face, ttfonts.TTFontFace(str(font)))


def test_the_metrics_file_written_is_the_one_shipped(tmp_path: Path) -> None:
    font = tmp_path / SHIPPED[0].name
    shutil.copyfile(SHIPPED[0], font)
    written = font_metrics.write_metrics(font)
    assert written.read_bytes() == font_metrics.metrics_path(SHIPPED[0]).read_bytes()


def test_metrics_made_from_another_version_of_the_font_are_ignored(tmp_path: Path) -> None:
    # The same tables, so the metrics would seem to fit: only the font's digest tells.
    font = tmp_path / SHIPPED[0].name
    font.write_bytes(SHIPPED[0].read_bytes() + b"\0\0\0\0")
    shutil.copyfile(font_metrics.metrics_path(SHIPPED[0]), font_metrics.metrics_path(font))

    face = font_metrics.load_face(font)

    assert type(face) is ttfonts.TTFontFace
    _assert_same_face(face, ttfonts.TTFontFace(str(font)))
