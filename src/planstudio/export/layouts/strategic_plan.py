"""Layout `strategic-plan`: the plan as a district shows it to its board and the public.

Portrait pages for narrative, landscape pages for the wide tables (the goals
overview and the action step tables), the plan's own names for its four levels,
and an appendix that a finance office and a cabinet read: funding by source and
who leads what.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from planstudio.export.document import (
    LINE_BREAK,
    Block,
    CellLine,
    Chart,
    ChartSeries,
    Contents,
    Document,
    Grid,
    Heading,
    Orient,
    Orientation,
    PageBreak,
    Paragraph,
    without_empty_columns,
)
from planstudio.export.layouts.common import (
    Catalog,
    LayoutOptions,
    cover,
    header_text,
    is_draft,
    level_labels,
    lines,
    many,
    metadata,
    point_lines,
    text,
    timeline,
)
from planstudio.model.formatting import money, plain_number
from planstudio.model.numbering import child_number
from planstudio.model.vocabulary import (
    DIRECTIONS,
    EVIDENCE_LEVELS,
    FUNDING_KINDS,
    PHASES,
    STEP_STATUSES,
    school_years,
)

LAYOUT = "strategic-plan"

Cell = tuple[CellLine, ...]
Snapshot = Mapping[str, Any]


@dataclass
class _Numbered:
    """A tree item with its printed number (1, 1A, 1A.1, 1A.1.a) and its numbered children."""

    number: str
    item: Mapping[str, Any]
    children: list[_Numbered] = field(default_factory=list)


def _numbered(snapshot: Snapshot) -> list[_Numbered]:
    areas = []
    for a, area in enumerate(snapshot.get("goal_areas", ())):
        area_node = _Numbered(child_number("", 1, a), area)
        areas.append(area_node)
        for o, objective in enumerate(area.get("objectives", ())):
            objective_node = _Numbered(child_number(area_node.number, 2, o), objective)
            area_node.children.append(objective_node)
            for s, strategy in enumerate(objective.get("strategies", ())):
                strategy_node = _Numbered(child_number(objective_node.number, 3, s), strategy)
                objective_node.children.append(strategy_node)
                strategy_node.children.extend(
                    _Numbered(child_number(strategy_node.number, 4, t), step)
                    for t, step in enumerate(strategy.get("action_steps", ()))
                )
    return areas


class _Blocks:
    """The block list, with page and orientation changes that never stack up."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.orientation: Orientation = "portrait"

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def new_page(self) -> None:
        # An orientation change starts a page already; two breaks would leave a blank one.
        if self.blocks and not isinstance(self.blocks[-1], PageBreak | Orient):
            self.blocks.append(PageBreak())

    def orient(self, orientation: Orientation) -> None:
        if orientation == self.orientation:
            return
        if self.blocks and isinstance(self.blocks[-1], PageBreak):
            self.blocks.pop()
        self.blocks.append(Orient(orientation))
        self.orientation = orientation


def build(snapshot: Snapshot, exported: dt.date, options: LayoutOptions | None = None) -> Document:
    options = options or LayoutOptions()
    plan = snapshot["plan"]
    labels = level_labels(plan)
    catalog = Catalog(snapshot)
    areas = _numbered(snapshot)
    out = _Blocks()
    out.add(Contents())
    out.new_page()
    _guiding_principles(out, plan)
    _goals_overview(out, plan, areas)
    for area in areas:
        _goal_area(out, area, labels, catalog, options)
    _appendix(out, snapshot, areas, labels, catalog)
    out.orient("portrait")
    if out.blocks and isinstance(out.blocks[-1], PageBreak):
        out.blocks.pop()
    return Document(
        cover=cover(plan, exported),
        blocks=tuple(out.blocks),
        header_text=header_text(plan),
        draft=is_draft(plan),
        layout=LAYOUT,
        metadata=metadata(plan, LAYOUT),
    )


def _titled(label: str, number: str, title: str = "") -> str:
    """Goal Area 1: Increase Achievement; Objective 1A; a plan may leave a label empty."""
    head = f"{label} {number}".strip()
    return f"{head}: {title}" if title else head


# ---------------------------------------------------------------------------- sections


def _guiding_principles(out: _Blocks, plan: Mapping[str, Any]) -> None:
    mission, vision = text(plan.get("mission")), text(plan.get("vision"))
    beliefs = many(plan.get("core_beliefs", ()))
    if not (mission or vision or beliefs):
        return
    out.add(Heading("Guiding Principles", 1))
    if mission:
        out.add(Heading("Mission", 2), Paragraph(mission))
    if vision:
        out.add(Heading("Vision", 2), Paragraph(vision))
    if beliefs:
        out.add(Heading("Core Beliefs", 2), *(Paragraph(belief) for belief in beliefs))
    out.new_page()


def _measures(areas: Iterable[_Numbered]) -> list[tuple[str, Mapping[str, Any]]]:
    return [
        (objective.number, measure)
        for area in areas
        for objective in area.children
        for measure in objective.item.get("measures", ())
    ]


def _year_columns(plan: Mapping[str, Any], measures: Iterable[Mapping[str, Any]]) -> list[str]:
    """The plan's years, and any year a target or actual names outside them, so none is lost."""
    years = set(school_years(plan.get("first_year"), plan.get("last_year")))
    for measure in measures:
        for key in ("targets", "actuals"):
            years.update(text(point.get("year")) for point in measure.get(key, ()))
    years.discard("")
    return sorted(years)


def _goals_overview(out: _Blocks, plan: Mapping[str, Any], areas: list[_Numbered]) -> None:
    measures = _measures(areas)
    if not measures:
        return
    years = _year_columns(plan, (measure for _, measure in measures))
    rows: list[tuple[Cell, ...]] = []
    for number, measure in measures:
        unit = measure.get("unit")
        targets = _by_year(measure.get("targets", ()))
        actuals = _by_year(measure.get("actuals", ()))
        per_year = []
        for year in years:
            target = point_lines(targets.get(year), unit)
            actual = point_lines(actuals.get(year), unit)
            if actual:
                actual = (f"Actual: {actual[0]}", *actual[1:])
            per_year.append((*target, *actual))
        rows.append(
            (
                (number,),
                lines(measure.get("name")),
                lines(measure.get("student_group")),
                _baseline(measure),
                *per_year,
            )
        )
    fixed = (0.04, 0.2, 0.1, 0.14)
    rest = 1 - sum(fixed)
    widths = (*fixed, *(rest / len(years),) * len(years)) if years else _spread(fixed)
    out.orient("landscape")
    out.add(
        Heading("Goals Overview", 1),
        Grid(("No.", "Measure", "Student Group", "Baseline", *years), tuple(rows), widths),
    )
    out.orient("portrait")


def _spread(widths: Sequence[float]) -> tuple[float, ...]:
    total = sum(widths)
    return tuple(width / total for width in widths)


def _by_year(points: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for point in points:
        found.setdefault(text(point.get("year")), point)
    return found


def _baseline(measure: Mapping[str, Any]) -> Cell:
    baseline = measure.get("baseline")
    if not baseline:
        return ()
    return (*lines(baseline.get("year")), *point_lines(baseline, measure.get("unit")))


def _dated(points: Iterable[Mapping[str, Any]], unit: str | None) -> Cell:
    """Targets or actuals as lines: "2024-25: 67%", then the point's note as written."""
    cell: list[str] = []
    for point in points:
        shown = point_lines(point, unit)
        if shown:
            cell.append(f"{text(point.get('year'))}: {shown[0]}")
            cell.extend(shown[1:])
    return tuple(cell)


def _goal_area(
    out: _Blocks, area: _Numbered, labels: Sequence[str], catalog: Catalog, options: LayoutOptions
) -> None:
    # One orientation for the whole area, chosen once: landscape when it has action step
    # tables (wide), portrait otherwise.  Flipping per objective left pages holding only a
    # heading and a sentence, and turned the reader's document dozens of times.
    wide = any(strategy.children for objective in area.children for strategy in objective.children)
    out.orient("landscape" if wide else "portrait")
    out.new_page()
    title = text(area.item.get("title"))
    out.add(
        Heading(_titled(labels[0], area.number, title), 1, _entry(labels[0], area.number, title))
    )
    out.add(*(Paragraph(line) for line in lines(area.item.get("description"))))
    for objective in area.children:
        _objective(out, objective, labels, catalog, options)


def _objective(
    out: _Blocks,
    objective: _Numbered,
    labels: Sequence[str],
    catalog: Catalog,
    options: LayoutOptions,
) -> None:
    statement = text(objective.item.get("statement"))
    out.add(
        Heading(
            _titled(labels[1], objective.number),
            2,
            _entry(labels[1], objective.number, statement),
        )
    )
    out.add(*(Paragraph(line) for line in lines(statement)))
    measures = list(objective.item.get("measures", ()))
    by_name: dict[str, list[Mapping[str, Any]]] = {}
    for measure in measures:
        by_name.setdefault(text(measure.get("name")), []).append(measure)
    # A measure entered for several student groups prints as one table, groups down and
    # years across, and one chart of small multiples (a chart per group would repeat one
    # near-identical picture page after page), or the table alone.
    alone = [m for m in measures if len(by_name[text(m.get("name"))]) == 1]
    if alone:
        out.add(without_empty_columns(_measures_table(alone)))
        out.add(*(chart for chart in map(_chart, alone) if chart is not None))
    for name, group in by_name.items():
        if len(group) > 1:
            out.add(Paragraph(name, "label"), _groups_table(name, group))
            chart = _groups_chart(name, group) if options.group_charts else None
            if chart is not None:
                out.add(chart)
    for strategy in objective.children:
        _strategy(out, strategy, labels, catalog)


def _measures_table(measures: Iterable[Mapping[str, Any]]) -> Grid:
    rows = []
    for measure in measures:
        unit = measure.get("unit")
        direction = measure.get("direction")
        rows.append(
            (
                lines(measure.get("name")),
                lines(measure.get("student_group")),
                (DIRECTIONS.get(direction, text(direction)),) if direction else (),
                lines(measure.get("data_source")),
                _baseline(measure),
                _dated(measure.get("targets", ()), unit),
                _dated(measure.get("actuals", ()), unit),
            )
        )
    header = (
        "Measure",
        "Student Group",
        "Direction",
        "Data Source",
        "Baseline",
        "Targets",
        "Actuals",
    )
    return Grid(header, tuple(rows), (0.2, 0.12, 0.11, 0.13, 0.14, 0.15, 0.15))


def _groups_table(name: str, measures: Sequence[Mapping[str, Any]]) -> Grid:
    """One measure for several student groups: a row per group, baseline and years across."""
    years = sorted(
        {
            text(point.get("year"))
            for measure in measures
            for key in ("targets", "actuals")
            for point in measure.get(key, ())
        }
        - {""}
    )
    # Baselines of one year (the usual case) name it once, in the header.
    baseline_years = {text((m.get("baseline") or {}).get("year")) for m in measures}
    shared = baseline_years.pop() if len(baseline_years) == 1 else ""
    rows = []
    for measure in measures:
        unit = measure.get("unit")
        targets = _by_year(measure.get("targets", ()))
        actuals = _by_year(measure.get("actuals", ()))
        per_year = []
        for year in years:
            actual = point_lines(actuals.get(year), unit)
            if actual:
                actual = (f"Actual: {actual[0]}", *actual[1:])
            per_year.append((*point_lines(targets.get(year), unit), *actual))
        baseline = point_lines(measure.get("baseline"), unit) if shared else _baseline(measure)
        group = lines(measure.get("student_group")) or ("All students",)
        rows.append((group, baseline, *per_year))
    baseline_title = f"Baseline {shared}" if shared else "Baseline"
    header = ("Student Group", baseline_title, *(f"Target {year}" for year in years))
    widths = (0.28, 0.16, *((0.56 / len(years),) * len(years))) if years else (0.6, 0.4)
    return without_empty_columns(Grid(header, tuple(rows), widths, caption=name))


def _entry(label: str, number: str, statement: str) -> str:
    """A contents entry: "Strategy 1A.2: its text, cut to fit one line"."""
    head = _titled(label, number)
    return _titled(label, number, _one_line(statement, max(20, 64 - len(head))))


def _one_line(statement: str, limit: int) -> str:
    """A statement shortened to a contents line: its first line, cut at a word."""
    first = " ".join(statement.split("\n")[0].split())
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut} …"


def _caption(value: Any) -> str:
    """A chart's or panel's caption is one line: a line break typed or pasted into the text
    it is made of prints as a space."""
    return " ".join(text(value).replace(LINE_BREAK, "\n").split("\n"))


def _groups_chart(name: str, measures: Sequence[Mapping[str, Any]]) -> Chart | None:
    """Small multiples: a panel per student group with a value, titled with the group; None
    when no group has two points to draw."""
    panels = []
    for measure in measures:
        panel = _chart(measure, 1)
        if panel is not None:
            group = _caption(measure.get("student_group")) or "All students"
            panels.append(dataclasses.replace(panel, title=group))
    if not any(sum(len(s.points) for s in p.series) + (p.baseline is not None) >= 2
               for p in panels):  # fmt: skip
        return None
    title = _caption(name)
    unit = next((text(m.get("unit")) for m in measures if m.get("unit")), "")
    years = tuple(sorted({year for panel in panels for year in panel.years}))
    return Chart(title=title, unit=unit, series=(), years=years, panels=tuple(panels))


def _chart(measure: Mapping[str, Any], fewest: int = 2) -> Chart | None:
    """The baseline, the targets and the actuals recorded; None under `fewest` points."""

    def valued(points: Iterable[Mapping[str, Any]]) -> list[tuple[str, float]]:
        return sorted(
            (text(p.get("year")), float(p["value"])) for p in points if p.get("value") is not None
        )

    baseline = measure.get("baseline")
    start = valued([baseline]) if baseline else []
    targets = valued(measure.get("targets", ()))
    actuals = valued(measure.get("actuals", ()))
    if len(start) + len(targets) + len(actuals) < fewest:
        return None
    series = []
    if targets:
        series.append(ChartSeries("Target", tuple(targets)))
    if actuals:
        series.append(ChartSeries("Actual", tuple(actuals)))
    years = tuple(sorted({year for year, _ in start + targets + actuals}))
    # A caption is one line: a line break pasted into a measure's name prints as a space.
    name = _caption(measure.get("name"))
    group = _caption(measure.get("student_group"))
    title = f"{name} — {group}" if group else name
    return Chart(
        title=title,
        unit=measure.get("unit") or "",
        series=tuple(series),
        years=years,
        baseline=start[0] if start else None,
    )


def _strategy(out: _Blocks, strategy: _Numbered, labels: Sequence[str], catalog: Catalog) -> None:
    item = strategy.item
    number = _titled(labels[2], strategy.number)
    # Its contents entry is cut as an objective's is, to fit one line beside the leader and
    # the page number at a strategy's deeper indent.
    out.add(Heading(number, 3, _entry(labels[2], strategy.number, text(item.get("text")))))
    out.add(*(Paragraph(line) for line in lines(item.get("text"))))
    evidence = item.get("evidence_level")
    if evidence:
        out.add(Paragraph(f"Evidence level: {EVIDENCE_LEVELS.get(evidence, text(evidence))}"))
    out.add(*(Paragraph(line, "note") for line in lines(item.get("evidence_citation"))))
    phases = item.get("phases", ())
    if phases:
        years = tuple(text(p.get("year")) for p in phases)
        names = tuple((PHASES.get(p.get("phase"), text(p.get("phase"))),) for p in phases)
        out.add(Grid(("Year", *years), ((("Phase",), *names),)))
    if strategy.children:
        out.add(_steps_table(strategy.children, labels, catalog))


def _steps_table(steps: Iterable[_Numbered], labels: Sequence[str], catalog: Catalog) -> Grid:
    rows = []
    for step in steps:
        item = step.item
        status = item.get("status")
        monitoring = catalog.methods_of(item.get("monitoring_implementation", ()))
        effectiveness = catalog.methods_of(item.get("monitoring_effectiveness", ()))
        monitoring += tuple(method for method in effectiveness if method not in monitoring)
        rows.append(
            (
                _numbered_text(step),
                catalog.roles_of(item),
                catalog.funding(item),
                timeline(item),
                monitoring,
                (STEP_STATUSES.get(status, text(status)),) if status else (),
            )
        )
    header = (labels[3], "Responsible", "Funding", "Timeline", "Monitoring", "Status")
    return without_empty_columns(Grid(header, tuple(rows), (0.36, 0.14, 0.13, 0.12, 0.15, 0.1)))


def _numbered_text(step: _Numbered) -> Cell:
    return (_numbered_line(step),)


def _numbered_line(step: _Numbered) -> str:
    """ "1A.1.2 Train the coaches": the step's number, then its text as typed."""
    typed = text(step.item.get("text"))
    return f"{step.number} {typed}" if typed else step.number


# ---------------------------------------------------------------------------- appendix


def _appendix(
    out: _Blocks,
    snapshot: Snapshot,
    areas: list[_Numbered],
    labels: Sequence[str],
    catalog: Catalog,
) -> None:
    sources = snapshot.get("funding_sources", ())
    roles = snapshot.get("roles", ())
    if not (sources or roles):
        return
    steps = [
        step for area in areas for o in area.children for s in o.children for step in s.children
    ]
    out.orient("portrait")
    out.new_page()
    out.add(Heading("Appendix", 1))
    if sources:
        out.add(Heading("Funding Summary", 2), _funding_summary(sources, steps))
    if roles:
        out.add(Heading("Responsibilities", 2), _responsibilities(roles, steps, labels))


def _funding_summary(sources: Sequence[Mapping[str, Any]], steps: Sequence[_Numbered]) -> Grid:
    assigned: dict[str, float] = {source["id"]: 0 for source in sources}
    counted: dict[str, set[str]] = {source["id"]: set() for source in sources}
    funded: set[str] = set()
    for step in steps:
        for link in step.item.get("funding", ()):
            source_id = link.get("source")
            if source_id not in assigned:
                continue
            assigned[source_id] += link.get("amount") or 0
            counted[source_id].add(step.number)
            funded.add(step.number)
    rows: list[tuple[Cell, ...]] = []
    for source in sources:
        allocation = source.get("allocation")
        spent = _rounded(assigned[source["id"]])
        kind = source.get("kind")
        rows.append(
            (
                lines(source.get("name")),
                (FUNDING_KINDS.get(kind, text(kind)),) if kind else (),
                lines(source.get("code")),
                (money(allocation),) if allocation is not None else (),
                (money(spent),),
                (money(_rounded(allocation - spent)),) if allocation is not None else (),
                (plain_number(len(counted[source["id"]])),),
            )
        )
    if len(sources) > 1:
        allocations = [s.get("allocation") for s in sources]
        known = all(a is not None for a in allocations)
        total = _rounded(sum(a for a in allocations if a is not None))
        spent = _rounded(sum(assigned.values()))
        rows.append(
            (
                ("Total",),
                (),
                (),
                (money(total),) if known else (),
                (money(spent),),
                (money(_rounded(total - spent)),) if known else (),
                (plain_number(len(funded)),),
            )
        )
    header = (
        "Funding Source", "Kind", "Code", "Allocation", "Assigned to Action Steps", "Difference",
        "Action Steps",
    )  # fmt: skip
    return Grid(header, tuple(rows), (0.25, 0.09, 0.09, 0.15, 0.16, 0.15, 0.11))


def _rounded(value: float) -> float:
    # Cents, so that sums of amounts like 0.1 + 0.2 print as $0.30 and not $0.30000000000000004.
    return round(value, 2)


def _responsibilities(
    roles: Sequence[Mapping[str, Any]], steps: Sequence[_Numbered], labels: Sequence[str]
) -> Grid:
    led: dict[str, list[str]] = {role["id"]: [] for role in roles}
    for step in steps:
        line = _numbered_line(step)
        for role_id in step.item.get("roles", ()):
            if role_id in led:
                led[role_id].append(line)
    rows = tuple(
        (
            many((role.get("title"), role.get("department"), role.get("person"))),
            tuple(led[role["id"]]),
        )
        for role in roles
    )
    return Grid(("Role", labels[3]), rows, (0.3, 0.7))
