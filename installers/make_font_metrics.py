"""Writes the character tables of every shipped font beside it (`export/pdf/font_metrics`).

Run it after replacing a font or moving to another reportlab major version; the ``.metrics``
files it writes are committed, so a build never depends on it.  Until it is run, exports
parse the fonts as before (slower), and `tests/export/test_font_metrics.py` fails.
"""

from __future__ import annotations

from planstudio.export.pdf.font_metrics import write_metrics
from planstudio.export.pdf.fonts import fonts_dir


def main() -> None:
    for font_path in sorted(fonts_dir().glob("*.ttf")):
        print(write_metrics(font_path))


if __name__ == "__main__":
    main()
