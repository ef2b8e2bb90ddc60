"""Layout `progress-report`: where the plan stands on a date, for a board or a state review.

The date is the export's date (the command line's `--as-of`, the window's
"As of" field).  A one-page summary (action steps per status, measures on and
off track per goal area), then for each goal area: every action step's status
on that date (the latest review on or before it, else the status set on the
step) with the review's percent complete and note, and every measure's latest
actual up to that date's school year against that year's target, marked on
track or off track.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from planstudio.export.document import (
    Block,
    CellLine,
    Document,
    Grid,
    Heading,
    PageBreak,
    Paragraph,
)
from planstudio.export.layouts.common import (
    LayoutOptions,
    cover,
    header_text,
    is_draft,
    level_labels,
    lines,
    long_date,
    metadata,
    point_lines,
    short_date,
    text,
)
from planstudio.model import measures
from planstudio.model.formatting import with_unit
from planstudio.model.numbering import child_number
from planstudio.model.vocabulary import STEP_STATUSES

LAYOUT = "progress-report"

Cell = tuple[CellLine, ...]
Snapshot = Mapping[str, Any]

NO_STATUS = "No status"
MARKS = {
    "on_track": "✓ On track",
    "off_track": "✗ Off track",
    "no_data": "– No data",
}


def latest_status(step: Mapping[str, Any], as_of: dt.date) -> tuple[str | None, Mapping[str, Any]]:
    """The step's status on `as_of`: its latest review on or before it, else its own status."""
    day = as_of.isoformat()
    chosen: Mapping[str, Any] | None = None
    for review in step.get("reviews") or ():
        when = review.get("date") or ""
        if when and when <= day and (chosen is None or when >= chosen.get("date", "")):
            chosen = review
    if chosen is not None:
        return chosen.get("status"), chosen
    return step.get("status"), {}


def _status_word(status: str | None) -> str:
    return STEP_STATUSES.get(status or "", text(status)) if status else NO_STATUS


def _steps(area: Mapping[str, Any], number: str) -> Iterable[tuple[str, Mapping[str, Any]]]:
    for o, objective in enumerate(area.get("objectives") or ()):
        objective_number = child_number(number, 2, o)
        for s, strategy in enumerate(objective.get("strategies") or ()):
            strategy_number = child_number(objective_number, 3, s)
            for t, step in enumerate(strategy.get("action_steps") or ()):
                yield child_number(strategy_number, 4, t), step


def _measures(area: Mapping[str, Any], number: str) -> Iterable[tuple[str, Mapping[str, Any]]]:
    for o, objective in enumerate(area.get("objectives") or ()):
        for measure in objective.get("measures") or ():
            yield child_number(number, 2, o), measure


def build(snapshot: Snapshot, exported: dt.date, options: LayoutOptions | None = None) -> Document:
    del options  # it has no choices
    plan = snapshot["plan"]
    labels = level_labels(plan)
    as_of = exported
    year = measures.school_year_of(as_of)
    areas = [
        (child_number("", 1, a), area) for a, area in enumerate(snapshot.get("goal_areas") or ())
    ]

    step_counts: Counter[str] = Counter()
    area_counts: list[tuple[str, Counter[str]]] = []
    sections: list[Block] = []
    for number, area in areas:
        steps = list(_steps(area, number))
        found = list(_measures(area, number))
        counts: Counter[str] = Counter({"on_track": 0, "off_track": 0, "no_data": 0})
        sections.append(PageBreak())
        sections.append(Heading(f"{labels[0]} {number}: {text(area.get('title'))}", 1))
        sections.append(Heading(f"{labels[3]} status", 2))
        if steps:
            rows: list[tuple[Cell, ...]] = []
            for step_number, step in steps:
                status, review = latest_status(step, as_of)
                step_counts[_status_word(status)] += 1
                percent = review.get("percent_complete")
                rows.append(
                    (
                        (step_number,),
                        lines(step.get("text")),
                        (_status_word(status),),
                        (with_unit(percent, "percent"),) if percent is not None else (),
                        (short_date(review.get("date")),) if review.get("date") else (),
                        lines(review.get("note")),
                    )
                )
            sections.append(
                Grid(
                    ("#", labels[3], "Status", "% Complete", "Reviewed", "Note"),
                    tuple(rows),
                    (0.08, 0.3, 0.18, 0.1, 0.13, 0.21),
                )
            )
        else:
            sections.append(Paragraph(f"No {labels[3].lower()}s.", "note"))
        sections.append(Heading("Measures", 2))
        if found:
            rows = []
            for objective_number, measure in found:
                result = measures.progress(measure, year)
                counts[result.status] += 1
                unit = measure.get("unit")
                actual = _point(measure.get("actuals"), result.year)
                target = _point(measure.get("targets"), result.year)
                rows.append(
                    (
                        (objective_number,),
                        lines(measure.get("name")),
                        lines(measure.get("student_group")) or ("All students",),
                        point_lines(measure.get("baseline"), unit),
                        (result.year,) if result.year else (),
                        point_lines(target, unit)
                        or ((with_unit(result.target, unit),) if result.target is not None else ()),
                        point_lines(actual, unit),
                        (MARKS[result.status],),
                    )
                )
            sections.append(
                Grid(
                    (
                        labels[1],
                        "Measure",
                        "Group",
                        "Baseline",
                        "Year",
                        "Target",
                        "Actual",
                        "Progress",
                    ),
                    tuple(rows),
                    (0.07, 0.23, 0.13, 0.1, 0.12, 0.1, 0.1, 0.15),
                )
            )
        else:
            sections.append(Paragraph("No measures.", "note"))
        area_counts.append((f"{number}: {text(area.get('title'))}", counts))

    blocks: list[Block] = [
        Heading("Summary", 1),
        Paragraph(f"Progress as of {long_date(as_of)} (school year {year})."),
        Heading(f"{labels[3]} status", 2),
        _status_grid(step_counts, labels[3]),
        Heading("Measures on track", 2),
        _measures_grid(area_counts, labels[0]),
        *sections,
    ]
    shown = dataclasses.replace(cover(plan, as_of), exported=f"Progress as of {long_date(as_of)}")
    return Document(
        cover=shown,
        blocks=tuple(blocks),
        header_text=header_text(plan),
        draft=is_draft(plan),
        layout=LAYOUT,
        metadata={**metadata(plan, LAYOUT), "subject": "Progress Report"},
    )


def _point(points: Iterable[Mapping[str, Any]] | None, year: str | None) -> Mapping[str, Any]:
    if year is None:
        return {}
    return next((p for p in points or () if p.get("year") == year), {})


def _status_grid(counts: Counter[str], label: str) -> Grid:
    order = [*STEP_STATUSES.values(), NO_STATUS]
    order += sorted(set(counts) - set(order))
    rows = tuple(((status,), (str(counts.get(status, 0)),)) for status in order)
    total = ((("Total",), (str(sum(counts.values())),)),)
    return Grid(("Status", f"{label} count"), rows + total, (0.7, 0.3))


def _measures_grid(area_counts: list[tuple[str, Counter[str]]], label: str) -> Grid:
    rows: list[tuple[Cell, ...]] = []
    total: Counter[str] = Counter()
    for name, counts in area_counts:
        total.update(counts)
        rows.append(
            (
                (name,),
                (str(counts["on_track"]),),
                (str(counts["off_track"]),),
                (str(counts["no_data"]),),
            )
        )
    rows.append(
        (
            ("Total",),
            (str(total["on_track"]),),
            (str(total["off_track"]),),
            (str(total["no_data"]),),
        )
    )
    return Grid((label, "On track", "Off track", "No data"), tuple(rows), (0.55, 0.15, 0.15, 0.15))
