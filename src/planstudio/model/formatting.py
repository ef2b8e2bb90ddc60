"""How Plan Studio writes numbers, money, a measure's values, school-year spans and plurals.

One module for the window, the plan check and the exports, so that the screen and the paper
say the same thing: −1200 dollars is "-$1,200" everywhere (the sign before the dollar sign),
whole dollars print without cents and other amounts with two, thousands are grouped.

Where the screen and the paper deliberately differ, both are here side by side:

* `with_unit` is the paper's form of a measure's value: decimals exactly as stored
  (46.45% stays 46.45%), because a printed plan is the record.
* `format_value` is the editor's form: a percent rounded to one decimal and other numbers
  to two, because a grid cell is narrow and a rate such as 1/3 would otherwise fill it.
* `number_for_editing` and `money_for_editing` are what an edit box holds: no grouping and
  no dollar sign, so that what is shown can be typed back.
* `axis_value` is a chart's tick label: the unit's sign ("%", "$") but not the word
  ("points" is said once, by the axis title), since a word on every tick crowds the axis.

Qt-free: `model`, `export` and `ui` all import it.
"""

from __future__ import annotations

import math
import re

# ------------------------------------------------------------------------------ numbers


def plain_number(value: float) -> str:
    """1250 → 1,250; 46.4 → 46.4: thousands grouped, decimals as stored, no trailing .0."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    return f"{value:,}"


def number_for_editing(value: float | None) -> str:
    """A number as a field shows it to be changed: 1250, 46.45; no grouping, decimals as stored.

    Not rounded, unlike `format_value`: what an edit box shows is written back when it is left.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def rounded_number(value: float, decimals: int = 1) -> str:
    """1250 → 1,250; 46.449 → 46.4 (at most `decimals` decimals, no trailing zeros)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


def money(value: float) -> str:
    """-$1,200, $1,200.50: whole dollars without cents, as budgets are usually written."""
    sign = "-" if value < 0 else ""
    amount = abs(value)
    if not float(amount).is_integer():
        return f"{sign}${amount:,.2f}"
    return f"{sign}${int(amount):,}"


def money_or_blank(value: float | None) -> str:
    """`money`, or an empty string for no amount (an empty cell)."""
    return "" if value is None else money(value)


def money_for_editing(value: float | None) -> str:
    """An amount as an editor shows it to be changed: 1200.5, no dollar sign, no grouping."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


_MONEY_TEXT = re.compile(r"^[0-9]*\.?[0-9]*$")


def parse_money(text: str) -> tuple[bool, float | None]:
    """(ok, value) for typed dollars: empty or a lone "$" is no amount, "12." is 12, "." fails.

    The inverse of `money` and `money_for_editing` for what people type: "1200", "$1,200.50".
    """
    cleaned = text.replace("$", "").replace(",", "").strip()
    if not cleaned:
        return True, None
    if not _MONEY_TEXT.match(cleaned) or cleaned == ".":
        return False, None
    return True, float(cleaned)


# ------------------------------------------------------------------------ measure values


def _points(number: str, value: float) -> str:
    return f"{number} point" if value == 1 else f"{number} points"


def with_unit(value: float | None, unit: str | None) -> str:
    """A measure's value on paper: 67%, 1,250, 3.2 points, $1,250 (decimals as stored)."""
    if value is None:
        return ""
    if unit == "dollars":
        return money(value)
    number = plain_number(value)
    if unit == "percent":
        return f"{number}%"
    if unit == "points":
        return _points(number, value)
    return number


def format_value(value: float | None, unit: str | None) -> str:
    """A measure's value on screen: 67.3%, 1,250, 3.2 points, $1,250 (rounded, see above)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if unit == "percent":
        return f"{rounded_number(value)}%"
    if unit == "points":
        return _points(rounded_number(value), value)
    if unit == "dollars":
        return money(value)
    return rounded_number(value, 2)


def axis_value(value: float, unit: str | None) -> str:
    """A chart's tick label: 60%, $1,200, 1,250; points and other units bare (see above)."""
    if abs(value) < 1e-9:
        value = 0.0
    value = round(value, 6)  # 0.1 + 0.2 steps must not print as 0.30000000000000004
    if unit == "dollars":
        return money(value)
    number = plain_number(value)
    return f"{number}%" if unit == "percent" else number


# ------------------------------------------------------------------------ years and words


def year_span(first: str, last: str) -> str:
    """A plan's school years: "2024-25 to 2026-27", or the one year given."""
    if first and last and first != last:
        return f"{first} to {last}"
    return first or last


def plural_noun(noun: str) -> str:
    """ "activities", "action steps": level names are the plan's own, so plural by rule."""
    lower = noun.lower()
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{noun[:-1]}ies"
    if lower.endswith(("s", "x", "ch", "sh")):
        return f"{noun}es"
    return f"{noun}s"


def plural(count: int, noun: str) -> str:
    """ "1 action step", "3 action steps", "1,200 problems"."""
    return f"{count:,} {noun if count == 1 else plural_noun(noun)}"
