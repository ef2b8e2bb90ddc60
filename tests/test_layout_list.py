"""The one list of layouts (model.vocabulary) agrees with the schema, the exporters and the CLI."""

from __future__ import annotations

import pytest

from planstudio import cli, export
from planstudio.model.validation import plan_schema
from planstudio.model.vocabulary import EXPORT_LAYOUTS, PLAN_LAYOUTS, REPORT_LAYOUTS


def test_plan_layouts_are_the_schemas_and_report_layouts_are_not() -> None:
    enum = plan_schema()["$defs"]["plan"]["properties"]["layout"]["enum"]
    assert list(PLAN_LAYOUTS) == enum
    assert not set(REPORT_LAYOUTS) & set(enum)
    assert list(EXPORT_LAYOUTS) == [*PLAN_LAYOUTS, *REPORT_LAYOUTS]


def test_every_export_layout_has_a_builder_and_every_builder_a_name() -> None:
    assert list(export.LAYOUTS) == list(EXPORT_LAYOUTS)


@pytest.mark.parametrize("command", ["new", "check"])
def test_a_report_layout_is_refused_where_a_plan_layout_is_meant(command: str) -> None:
    with pytest.raises(cli.UsageError, match="invalid choice: 'progress-report'"):
        cli._parser().parse_args([command, "plan.psplan", "--layout", "progress-report"])


def test_export_offers_every_layout() -> None:
    for layout in EXPORT_LAYOUTS:
        args = cli._parser().parse_args(
            ["export", "p.psplan", "--format", "pdf", "--layout", layout, "-o", "out.pdf"]
        )
        assert args.layout == layout
