"""The one formatter: money, numbers, measure values, year spans and plurals."""

from __future__ import annotations

import pytest

from planstudio.model import formatting as f


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "$0"), (1200, "$1,200"), (1200.5, "$1,200.50"), (-1200, "-$1,200"),
     (-100.3, "-$100.30"), (1234567.0, "$1,234,567")],
)  # fmt: skip
def test_money_puts_the_sign_before_the_dollar_sign(value: float, shown: str) -> None:
    assert f.money(value) == shown


def test_money_as_people_type_it_and_edit_it() -> None:
    assert f.parse_money("$1,200.50") == (True, 1200.5)
    assert f.parse_money("") == (True, None)
    assert f.parse_money("12.") == (True, 12.0)
    assert f.parse_money("$")[0] is True and f.parse_money(".")[0] is False
    assert f.parse_money("12a") == (False, None)
    assert [f.money_or_blank(v) for v in (None, 0, 1200.5)] == ["", "$0", "$1,200.50"]
    assert [f.money_for_editing(v) for v in (None, 1200.0, 1200.5)] == ["", "1200", "1200.5"]


def test_numbers_for_editing_keep_every_decimal_and_no_grouping() -> None:
    assert [f.number_for_editing(v) for v in (None, 1250.0, 46.45, 12345.67, -3)] == [
        "", "1250", "46.45", "12345.67", "-3",
    ]  # fmt: skip


def test_paper_keeps_decimals_and_screen_rounds_them() -> None:
    assert f.with_unit(46.45, "percent") == "46.45%"
    assert f.format_value(46.45, "percent") == "46.5%"
    assert f.with_unit(1 / 3, "rate") == f"{1 / 3}"
    assert f.format_value(1 / 3, "rate") == "0.33"
    assert f.with_unit(-1200, "dollars") == f.format_value(-1200, "dollars") == "-$1,200"
    assert f.with_unit(1, "points") == f.format_value(1, "points") == "1 point"
    assert f.with_unit(2.5, "points") == "2.5 points"
    assert f.with_unit(1250.0, "count") == "1,250"
    assert f.with_unit(None, "count") == f.format_value(None, "count") == ""
    assert f.format_value(float("nan"), "count") == ""


def test_axis_values_carry_signs_but_not_words() -> None:
    assert [f.axis_value(v, "percent") for v in (0, 20.0, 100)] == ["0%", "20%", "100%"]
    assert f.axis_value(0.1 + 0.2, "rate") == "0.3"
    assert f.axis_value(-1e-12, "count") == "0"
    assert f.axis_value(2500, "dollars") == "$2,500"
    assert f.axis_value(3, "points") == "3"


def test_year_spans_and_plurals() -> None:
    assert f.year_span("2024-25", "2026-27") == "2024-25 to 2026-27"
    assert f.year_span("2024-25", "2024-25") == "2024-25"
    assert f.year_span("", "2026-27") == "2026-27"
    assert f.plural(1, "action step") == "1 action step"
    assert f.plural(3, "activity") == "3 activities"
    assert f.plural(2, "key") == "2 keys"
    assert f.plural(2, "key lever") == "2 key levers"
    assert f.plural(0, "approach") == "0 approaches"
    assert f.plural(1200, "problem") == "1,200 problems"


def test_the_plan_check_prints_money_as_the_exports_do() -> None:
    from planstudio.model import rules

    class Source:
        id, name, allocation = "s1", "Title I", -1200.0

    class Facts:
        def assigned(self, source_id: str) -> float:
            return 500.0

    found = rules._over_allocation(Source(), Facts())  # type: ignore[arg-type]
    assert found == {"name": "Title I", "assigned": "$500", "allocation": "-$1,200"}
