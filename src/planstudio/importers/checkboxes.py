"""Checkbox answers as forms write them: ☒/☐, [X]/[ ], (X), a lone X, checked form fields."""

from __future__ import annotations

import re

CHECKED = "☒"
UNCHECKED = "☐"

_CHECKED_MARK = r"☒|☑|✓|✔|✗|✘|■|⊠|\[\s*[xX✓✔]\s*\]|\(\s*[xX✓✔]\s*\)"
_UNCHECKED_MARK = r"☐|□|\[\s*\]|\(\s*\)"
_MARK = re.compile(
    rf"^\s*(?:(?P<on>{_CHECKED_MARK})|(?P<off>{_UNCHECKED_MARK})|(?P<x>[xX])(?=\s))\s?"
)
_INLINE = re.compile(
    rf"(?:(?P<on>{_CHECKED_MARK})|(?P<off>{_UNCHECKED_MARK}))\s*(?P<word>yes|no)\b", re.I
)
_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}


def read_checkbox(line: str) -> tuple[bool | None, str]:
    """(True/False, the text after the box) for a checkbox line; (None, line) when it has none."""
    match = _MARK.match(line)
    if match is None:
        return None, line
    return match.group("off") is None, line[match.end() :].strip()


def _word(text: str) -> bool | None:
    word = text.strip().rstrip(".").casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def yes_no_answer(lines: list[str]) -> tuple[bool | None, list[str]]:
    """A Yes/No answer and the lines that are not part of it (a detail, say).

    Reads "Yes", "No", "☒ Yes" / "☐ No" on lines of their own, and "☒ Yes ☐ No" on one line.
    """
    answer: bool | None = None
    rest: list[str] = []
    decided = False
    for line in lines:
        if decided:
            rest.append(line)
            continue
        inline = list(_INLINE.finditer(line))
        if len(inline) >= 2 or (inline and not line[: inline[0].start()].strip()):
            for match in inline:
                if match.group("on"):
                    answer = match.group("word").casefold() == "yes"
            remainder = _INLINE.sub("", line).strip()
            if remainder:
                rest.append(remainder)
            continue
        mark, text = read_checkbox(line)
        word = _word(text)
        if mark is not None and word is not None:
            if mark:
                answer = word
            continue
        if mark is None and word is not None and answer is None:
            answer = word
            decided = True
            continue
        if not line.strip() and answer is None and not rest:
            continue
        rest.append(line)
        decided = answer is not None
    return answer, rest
