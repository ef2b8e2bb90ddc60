"""Field values as the widgets and forms show and read them: empty, equal, numbers, dates, years.

Numbers and money are written by `model.formatting`; this module reads what is typed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from planstudio.model.formatting import number_for_editing

NOT_SET = "Not set"


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def same(a: Any, b: Any) -> bool:
    """Equal as the model sees values: empty text and an empty list are the same as nothing."""
    if is_empty(a) or is_empty(b):
        return is_empty(a) and is_empty(b)
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return bool(a == b)


def text_or_none(text: str) -> str | None:
    return text or None


def show_text(value: Any) -> str:
    return "" if value is None else str(value)


def format_number(value: Any) -> str:
    """A number field's text (`formatting.number_for_editing`); anything else as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_for_editing(value)
    return show_text(value)


def parse_number(text: str) -> Any:
    """A number, or None when empty; anything else goes to the model as typed, to be refused."""
    cleaned = text.strip().removesuffix("%").strip().replace(",", "")
    if not cleaned:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> str | None:
    """ISO dates as they are; 8/5/2024 (how a US district writes it) becomes 2024-08-05."""
    cleaned = text.strip()
    if not cleaned:
        return None
    us = _US_DATE.match(cleaned)
    if us is not None:
        month, day, year = us.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return cleaned


_LONG_YEAR = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$")


def parse_school_year(text: str) -> str | None:
    """2024-25 as it is; 2024-2025 and 2024/25 are read as 2024-25.  A bare 2024 is refused."""
    cleaned = text.strip()
    if not cleaned:
        return None
    written = _LONG_YEAR.match(cleaned)
    if written is not None:
        first, second = written.groups()
        if int(second[-2:]) == (int(first) + 1) % 100:
            return f"{first}-{second[-2:]}"
    return cleaned


def parse_state(text: str) -> str | None:
    return text.strip().upper() or None


def elide(text: str | None, length: int = 60) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def options(words: Mapping[str, str]) -> list[tuple[Any, str]]:
    return [(None, NOT_SET), *words.items()]
