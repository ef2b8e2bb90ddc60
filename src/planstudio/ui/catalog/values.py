"""What the catalog tables need besides the formatter: how dollars are typed, school years."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt

from planstudio.model.vocabulary import school_years
from planstudio.ui.editing import PlanEditing

# Dollars as people type them: "1200", "$1,200.50"; a partial entry such as "$" or "12." is
# let through so that typing can go on, and simply not stored until it is a number
# (`formatting.parse_money` reads it).
MONEY_PATTERN = QRegularExpression(r"^\s*\$?\s*[0-9,]*\.?[0-9]{0,2}\s*$")


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
