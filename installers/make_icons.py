"""Draws Plan Studio's icon (a plan outline on a blue tile) in every size the installers use.

Run it after changing the drawing; the PNGs, the Windows .ico and the macOS .icns it writes
are committed, so a build never depends on it.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MASTER = 1024

TILE = (31, 78, 140, 255)  # the deep blue of the exported documents' headings
PAGE = (255, 255, 255, 255)
LINE = (31, 78, 140, 255)
CHECK = (46, 160, 90, 255)


def draw() -> Image.Image:
    """The icon at MASTER size; it is scaled down, so small sizes stay smooth."""
    s = MASTER / 1024
    image = Image.new("RGBA", (MASTER, MASTER), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((40 * s, 40 * s, 984 * s, 984 * s), radius=200 * s, fill=TILE)
    # The page, with a folded corner.
    pen.polygon(
        [(250 * s, 170 * s), (640 * s, 170 * s), (780 * s, 310 * s), (780 * s, 860 * s),
         (250 * s, 860 * s)],
        fill=PAGE,
    )  # fmt: skip
    pen.polygon([(640 * s, 170 * s), (640 * s, 310 * s), (780 * s, 310 * s)], fill=(200, 214, 235))
    # The outline: a goal, its objectives, their action steps, indented as the tree is.
    rows = ((310, 0, 380), (400, 70, 330), (480, 140, 240), (560, 140, 180), (640, 70, 160))
    for top, indent, width in rows:
        left = 320 + indent
        pen.rounded_rectangle(
            (left * s, top * s, (left + width) * s, (top + 38) * s), radius=19 * s, fill=LINE
        )
    # A tick: the plan checks clean.
    pen.line(
        [(560 * s, 760 * s), (640 * s, 840 * s), (820 * s, 620 * s)],
        fill=CHECK, width=int(70 * s), joint="curve",
    )  # fmt: skip
    return image


def main() -> None:
    HERE.mkdir(exist_ok=True)
    master = draw()
    for size in SIZES:
        master.resize((size, size), Image.Resampling.LANCZOS).save(HERE / f"planstudio-{size}.png")
    master.save(HERE / "planstudio.ico", sizes=[(n, n) for n in SIZES if n <= 256])
    master.save(HERE / "planstudio.icns")
    print(f"icons written to {HERE}")


if __name__ == "__main__":
    main()
