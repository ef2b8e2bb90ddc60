"""The word list is unpacked and split a piece at a time, into the same lines as at once.

Unpacked and split in one call each, it held the window's thread for 30 ms.
"""

from __future__ import annotations

import gzip

from planstudio.model.spelling import _lines_of_gzip


def test_the_lines_come_out_whole_however_the_pieces_fall() -> None:
    text = "".join(f'"wörd{n}": {n},\r\n' if n % 7 else f'"ünï{n}": {n},\n' for n in range(3000))
    packed = gzip.compress(text.encode("utf-8"))
    for step in (1, 17, 1000, 1 << 18):
        pieces = list(_lines_of_gzip(packed, step))
        assert [line for piece in pieces for line in piece] == text.splitlines()
    assert len(list(_lines_of_gzip(packed, 1000))) > 10
