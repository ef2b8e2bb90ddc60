"""Layout `ga-dip`: the Georgia District Improvement Plan, as the state's form prints it.

The labels are the form's own words, in the form's order (LAYOUTS.md); a change
to any of them shows up in tests/export/golden/ga-dip.txt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from planstudio.export.document import (
    Block,
    CellLine,
    Checkbox,
    Contents,
    Document,
    Heading,
    LabelValueTable,
    PageBreak,
    Paragraph,
)
from planstudio.export.layouts.common import (
    Catalog,
    LayoutOptions,
    cover,
    header_text,
    is_draft,
    lines,
    many,
    metadata,
    text,
    timeline,
    years_text,
    yes_no,
)
from planstudio.model.formatting import with_unit
from planstudio.model.vocabulary import EVIDENCE_LEVELS, FUNDING_OPTIONS, POVERTY_FACTORS, SYSTEMS

LAYOUT = "ga-dip"
FORM_TITLE = "District Improvement Plan"

NO_TRANSFER = "NO FUNDS TRANSFERRED"
NO_PERCENT = "NA"
TRANSFER_PERCENT = "Cumulative Percentage of Allocation to be Transferred to the Selected Grant(s)"
PARTNERSHIPS = (
    "What partnerships, if any, with IHEs, business, Non-Profits, Community based "
    "organizations, or any private entity with a demonstrated record of success is the LEA "
    "implementing in carrying out this action step(s)?"
)

Rows = list[tuple[str, tuple[CellLine, ...]]]


def build(
    snapshot: Mapping[str, Any], exported: dt.date, options: LayoutOptions | None = None
) -> Document:
    del options  # it has no choices
    plan = snapshot["plan"]
    # Two levels: a district plan has hundreds of "Action Step # i" headings, which would
    # fill pages of contents that say nothing; Word's navigation pane still lists them.
    blocks: list[Block] = [Contents(levels=2), PageBreak()]
    # The form's own title block heads the body, as the state's template does; the cover
    # before it carries the plan's own title, which a district may have changed.
    blocks.append(Paragraph(FORM_TITLE, "label"))
    blocks.extend(
        Paragraph(line) for line in (years_text(plan), text(plan.get("organization"))) if line
    )
    blocks.extend(_general(plan))
    blocks.extend(_waiver(plan.get("ga_general") or {}))
    blocks.append(Heading("3 District Improvement Goals", 1))
    catalog = Catalog(snapshot)
    for number, area in enumerate(snapshot.get("goal_areas", ()), start=1):
        blocks.extend(_goal_area(number, area, catalog))
    return Document(
        cover=cover(plan, exported),
        blocks=tuple(blocks),
        header_text=header_text(plan),
        draft=is_draft(plan),
        layout=LAYOUT,
        metadata=metadata(plan, LAYOUT),
    )


def _general(plan: Mapping[str, Any]) -> Iterator[Block]:
    general = plan.get("ga_general") or {}
    options = set(general.get("funding_options", ()))
    factors = set(general.get("poverty_factors", ()))
    rows: Rows = [
        ("District", lines(plan.get("organization"))),
        ("Team Lead", lines(plan.get("team_lead"))),
        (
            "Federal Funding Options to Be Employed (SWP Schools) in this Plan "
            "(Select all that apply)",
            tuple(Checkbox(name, key in options) for key, name in FUNDING_OPTIONS.items()),
        ),
        # The form prints this label above the four transfer rows, with nothing beside it.
        ("Transferability of Funds (ESSA Sec. 5103)", ()),
        *_transfer(general, "ii"),
        *_transfer(general, "iv"),
        (
            "Factors(s) Used by District to Identify Students in Poverty (Select all that apply)",
            (
                *(Checkbox(name, key in factors) for key, name in POVERTY_FACTORS.items()),
                *lines(general.get("poverty_factors_other")),
            ),
        ),
    ]
    yield Heading("1 General Improvement Plan Information", 1)
    yield LabelValueTable(tuple(rows), caption="General Improvement Plan Information")


def _transfer(general: Mapping[str, Any], title: str) -> Rows:
    program = text(general.get(f"title_{title}_a_transfer_to"))
    percent = general.get(f"title_{title}_a_transfer_percent")
    shown_percent = with_unit(percent, "percent") if percent is not None else NO_PERCENT
    return [
        (f"Transfer Title {title.upper()}, Part A to:", (program or NO_TRANSFER,)),
        (TRANSFER_PERCENT, (shown_percent,)),
    ]


def _waiver(general: Mapping[str, Any]) -> Iterator[Block]:
    # An unanswered question prints empty: "No" would be an answer the district never gave.
    answer = yes_no(general.get("ed_flex_waiver"))
    yield Heading("2 ED - Flex Waiver", 1)
    yield LabelValueTable(
        (("Do you need a waiver?", (*answer, *lines(general.get("ed_flex_waiver_detail")))),)
    )


def _goal_area(number: int, area: Mapping[str, Any], catalog: Catalog) -> Iterator[Block]:
    objectives = area.get("objectives", ())
    goal = lines(area.get("goal")) or many(o.get("statement") for o in objectives)
    causes = area.get("root_causes") or [""]
    rows: Rows = [
        (
            "Overarching Need as identified in CNA Section 3.2",
            lines(area.get("need")) or lines(area.get("title")),
        ),
        (
            f"Is Need # {number} also an Equity Gap?",
            yes_no(area.get("is_equity_gap")),
        ),
        *((f"Root Cause # {k}", lines(cause)) for k, cause in enumerate(causes, start=1)),
        ("Goal", goal),
    ]
    gap = area.get("equity_gap") or {}
    equity: Rows = [
        ("Equity Gap", lines(gap.get("description"))),
        ("Content Area(s)", many(gap.get("content_areas", ()))),
        # One entry a line, as every other list in a cell prints.
        ("Grade Level Span(s)", many(gap.get("grade_levels", ()))),
        ("Subgroup(s)", many(gap.get("subgroups", ()))),
        ("Equity interventions", many(gap.get("interventions", ()))),
    ]
    yield Heading(f"3.{number} Overarching Need # {number}", 2)
    yield LabelValueTable(tuple(rows), caption="Overarching Need")
    yield LabelValueTable(tuple(equity), caption="Equity Gap")
    step_number = 0
    for objective in objectives:
        for strategy in objective.get("strategies", ()):
            for step in strategy.get("action_steps", ()):
                step_number += 1
                yield Heading(f"Action Step # {step_number}", 3)
                yield LabelValueTable(_step_rows(step, catalog))


def _step_rows(
    step: Mapping[str, Any], catalog: Catalog
) -> tuple[tuple[str, tuple[CellLine, ...]], ...]:
    evidence = step.get("evidence_level")
    return (
        ("Action Step", lines(step.get("text"))),
        ("Funding Sources", catalog.funding(step)),
        ("Subgroups", many(step.get("subgroups", ()))),
        ("Systems", tuple(SYSTEMS.get(s, text(s)) for s in step.get("systems", ()))),
        (
            "Method for Monitoring Implementation",
            catalog.methods_of(step.get("monitoring_implementation", ())),
        ),
        (
            "Method for Monitoring Effectiveness",
            catalog.methods_of(step.get("monitoring_effectiveness", ())),
        ),
        ("Position/Role Responsible", catalog.roles_of(step)),
        (
            "Evidence Based Indicator",
            (EVIDENCE_LEVELS.get(evidence, text(evidence)),) if evidence else (),
        ),
        ("Timeline for Implementation", timeline(step)),
        (
            "Does this action step support the selected equity intervention?",
            yes_no(step.get("supports_equity_intervention")),
        ),
        (PARTNERSHIPS, lines(step.get("partnerships"))),
    )
