"""What the catalog tables show and read: dollars as typed, plurals, school years."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt

from planstudio.model.vocabulary import school_years
from planstudio.ui.editing import PlanEditing

# Dollars as people type them: "1200", "$1,200.50"; a partial entry such as "$" or "12." is
# let through so that typing can go on, and simply not stored until it is a number.
MONEY_PATTERN = QRegularExpression(r"^\s*\$?\s*[0-9,]*\.?[0-9]{0,2}\s*$")
_MONEY_TEXT = re.compile(r"^[0-9]*\.?[0-9]*$")


def parse_money(text: str) -> tuple[bool, float | None]:
    """(ok, value) for typed dollars: empty or a lone "$" is no amount, "12." is 12, "." fails."""
    cleaned = text.replace("$", "").replace(",", "").strip()
    if not cleaned:
        return True, None
    if not _MONEY_TEXT.match(cleaned) or cleaned == ".":
        return False, None
    return True, float(cleaned)


def format_money(value: float | None) -> str:
    """$1,200 or $1,200.50; whole dollars without cents, as budgets are usually written."""
    if value is None:
        return ""
    if value < 0:
        return "-" + format_money(-value)
    if value == int(value):
        return f"${value:,.0f}"
    return f"${value:,.2f}"


def money_edit_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def plural_noun(noun: str) -> str:
    """ "activities", "action steps": level names are the plan's own, so plural by rule."""
    lower = noun.lower()
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{noun[:-1]}ies"
    if lower.endswith(("s", "x", "ch", "sh")):
        return f"{noun}es"
    return f"{noun}s"


def plural(count: int, noun: str) -> str:
    """ "1 action step", "3 action steps"."""
    return f"{count} {noun if count == 1 else plural_noun(noun)}"


def step_noun(editing: PlanEditing | None) -> str:
    """What the plan calls its fourth level, as said mid-sentence: "action step", "key lever"."""
    return (editing.plan.labels[3] if editing is not None else "Action Step").lower()


def years_around_today() -> list[str]:
    """School years to offer when the plan does not say which years it covers."""
    today = date.today()
    first = today.year - 1 if today.month < 7 else today.year  # a school year starts in July
    return school_years(f"{first - 1}-{first % 100:02d}", f"{first + 4}-{(first + 5) % 100:02d}")


def check_state(value: Any) -> Qt.CheckState:
    if isinstance(value, Qt.CheckState):
        return value
    return Qt.CheckState(int(value))
