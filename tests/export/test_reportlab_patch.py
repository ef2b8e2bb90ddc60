"""The PDF writer's replacement of reportlab's ToUnicode CMap: still needed, still applied.

Both tests are meant to fail one day: the first when reportlab writes characters beyond
U+FFFF as surrogate pairs itself (then delete `to_unicode_cmap` and the patch), the second
when reportlab stops calling the function by its module-level name (then the patch silently
does nothing and copied emoji break again).
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pypdf
from reportlab.pdfbase import ttfonts
from reportlab.pdfgen.canvas import Canvas

from planstudio.export.pdf import fonts

GRINNING = 0x1F600  # 😀, beyond U+FFFF
SURROGATES = "<D83DDE00>"  # its UTF-16 pair, as the PDF format requires in a ToUnicode CMap


def test_reportlab_still_writes_bare_code_points_beyond_uffff() -> None:
    theirs = fonts.REPORTLAB_TO_UNICODE_CMAP("F", [65, GRINNING])
    assert SURROGATES not in theirs, (
        "reportlab now writes surrogate pairs itself: remove to_unicode_cmap and "
        "patch_to_unicode from export/pdf/fonts.py, and the upper bound in pyproject.toml"
    )
    assert "<1F600>" in theirs  # the bug the patch exists for


def test_ours_writes_surrogate_pairs() -> None:
    ours = fonts.to_unicode_cmap("F", [65, GRINNING])
    assert "<01> <D83DDE00>" in ours
    assert "<00> <0041>" in ours


def test_reportlab_still_calls_the_function_we_replace(tmp_path: Path, monkeypatch) -> None:
    assert list(inspect.signature(fonts.REPORTLAB_TO_UNICODE_CMAP).parameters) == [
        "fontname",
        "subset",
    ]
    emoji = fonts.load_face(fonts.EMOJI)  # applies the patch
    assert ttfonts.makeToUnicodeCMap is fonts.to_unicode_cmap
    calls: list[list[int]] = []

    def recording(fontname: str, subset: list[int]) -> str:
        calls.append(list(subset))
        return fonts.to_unicode_cmap(fontname, subset)

    monkeypatch.setattr(ttfonts, "makeToUnicodeCMap", recording)
    out = tmp_path / "emoji.pdf"
    canvas = Canvas(str(out))
    canvas.setFont(emoji.name, 12)
    canvas.drawString(72, 720, chr(GRINNING))
    canvas.save()
    assert any(GRINNING in subset for subset in calls), (
        "reportlab no longer calls ttfonts.makeToUnicodeCMap when it embeds a subset: "
        "the patch in export/pdf/fonts.py does not apply any more"
    )
    assert chr(GRINNING) in pypdf.PdfReader(str(out)).pages[0].extract_text()
