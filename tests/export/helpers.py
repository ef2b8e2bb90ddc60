"""Reading exported files back, and what a layout must print for a plan, written from
LAYOUTS.md independently of the layout code so that the two can catch each other out."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from planstudio.export.document import LINE_BREAK
from planstudio.export.document import clean_text as _clean_text
from planstudio.model.vocabulary import (
    DIRECTIONS,
    EVIDENCE_LEVELS,
    FUNDING_KINDS,
    FUNDING_OPTIONS,
    PHASES,
    POVERTY_FACTORS,
    STEP_STATUSES,
    SYSTEMS,
    school_years,
)

PLANS = Path(__file__).parent / "plans"
GOLDEN = Path(__file__).parent / "golden"
EXPORTED = dt.date(2025, 3, 4)

# Styles of the table of contents, which Word fills in: not part of the body's words.
_TOC_STYLES = {"TOC1", "TOC2", "TOC3", "TOCHeading"}


def load_plan_json(name: str) -> dict[str, Any]:
    return json.loads((PLANS / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------- reading .docx


def _style_id(paragraph: Paragraph) -> str:
    properties = paragraph._p.pPr
    if properties is None or properties.pStyle is None:
        return "Normal"
    return properties.pStyle.val


def _distinct(cells: Any) -> list[Any]:
    out: list[Any] = []
    for cell in cells:
        if not out or cell._tc is not out[-1]._tc:
            out.append(cell)
    return out


def body_items(path: Path) -> Iterator[tuple[str, Any]]:
    """The body in order: ("heading", (level, text)), ("paragraph", text), ("table", rows)."""
    document = docx.Document(str(path))
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            # A cell spanning columns (a caption row) is read once, not once per column.
            rows = [
                [[p.text for p in cell.paragraphs] for cell in _distinct(row.cells)]
                for row in item.rows
            ]
            yield "table", rows
            continue
        style = _style_id(item)
        if style in _TOC_STYLES:
            continue
        if style.startswith("Heading"):
            yield "heading", (int(style.removeprefix("Heading")), item.text)
        elif style != "PSSpacer" or item.text:
            yield "paragraph", item.text


def docx_texts(path: Path) -> list[str]:
    """Every paragraph's text in reading order, table cells row by row."""
    texts: list[str] = []
    for kind, value in body_items(path):
        if kind == "heading":
            texts.append(value[1])
        elif kind == "paragraph":
            texts.append(value)
        else:
            for row in value:
                for cell in row:
                    texts.extend(cell)
    return texts


def assert_in_order(expected: list[str], actual: list[str]) -> None:
    """Each expected text is a paragraph of the output, in this order (empty ones skipped)."""
    position = 0
    for index, text in enumerate(expected):
        if text == "":
            continue
        found = next((j for j in range(position, len(actual)) if actual[j] == text), None)
        if found is None:
            earlier = text in actual[:position]
            context = actual[max(0, position - 3) : position + 3]
            raise AssertionError(
                f"expected text #{index} {text!r} "
                + ("appears only earlier" if earlier else "is missing")
                + f"; output around the expected place: {context!r}"
            )
        position = found + 1


def structure(path: Path) -> str:
    """The layout's skeleton as text: headings, table labels and grid headers, in order."""
    lines = []
    for kind, value in body_items(path):
        if kind == "heading":
            level, text = value
            lines.append(f"{'#' * level} {text}")
        elif kind == "table":
            first = value[0] if value else []
            header_like = len(first) > 2 or (
                len(first) == 2 and all(cell and cell[0] for cell in first) and len(value) > 1
            )
            if len(first) == 2 and _is_label_value(value):
                lines.extend(f"  | {row[0][0] if row[0] else ''}" for row in value)
            elif header_like or len(first) != 2:
                lines.append("  # " + " | ".join(cell[0] if cell else "" for cell in first))
    return "\n".join(lines) + "\n"


def _is_label_value(rows: list[list[list[str]]]) -> bool:
    # Label/value tables are the writer's own two-column tables with shaded labels; grids
    # of two columns (the responsibility list) have a header row instead.  Told apart by
    # the grid header's words, which no label/value table starts with.
    return not (rows and rows[0] and rows[0][0] and rows[0][0][0] in ("Role", "Year"))


# ---------------------------------------------------------------------------- expectations


def clean_text(text: str) -> str:
    """The text as the Word file reads back: a line break within a paragraph (<w:br/>, from a
    vertical tab or form feed) reads as "\n" in python-docx's paragraph text."""
    return _clean_text(text).replace(LINE_BREAK, "\n")


def _lines(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    # Paragraphs at "\n"; a line break within one reads back as "\n" inside its text.
    return [line.replace(LINE_BREAK, "\n") for line in _clean_text(str(value)).split("\n")]


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def _with_unit(value: float | None, unit: str | None) -> str:
    if value is None:
        return ""
    if unit == "dollars":
        return f"${_number(value)}"
    if unit == "percent":
        return f"{_number(value)}%"
    if unit == "points":
        return f"{_number(value)} point" + ("" if value == 1 else "s")
    return _number(value)


def _money(value: float) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}${value:,.2f}" if not float(value).is_integer() else f"{sign}${int(value):,}"


def _point(point: Mapping[str, Any] | None, unit: str | None) -> list[str]:
    if not point:
        return []
    shown = [_with_unit(point.get("value"), unit), *_lines(point.get("note"))]
    return [line for line in shown if line]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date(iso: str | None) -> str:
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _timeline(step: Mapping[str, Any]) -> list[str]:
    if step.get("timeline"):
        return _lines(step["timeline"])
    start, end = _date(step.get("start")), _date(step.get("end"))
    if start and end:
        return [f"{start} – {end}"]
    if start or end:
        return [f"{start} –" if start else f"– {end}"]
    return []


def _catalog(snapshot: Mapping[str, Any], key: str, field: str) -> dict[str, str]:
    return {entry["id"]: entry[field] for entry in snapshot.get(key, [])}


def _steps(area: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for objective in area.get("objectives", []):
        for strategy in objective.get("strategies", []):
            yield from strategy.get("action_steps", [])


def _names(ids: list[str], names: Mapping[str, str]) -> list[str]:
    return [line for ref in ids for line in _lines(names[ref])]


def _yes_no(value: Any) -> list[str]:
    """An answered yes/no as printed; an unanswered one prints nothing."""
    return [] if value is None else ["Yes" if value else "No"]


def expected_ga_dip(snapshot: Mapping[str, Any]) -> list[str]:
    """Every label and value the ga-dip layout prints, in order (LAYOUTS.md)."""
    plan = snapshot["plan"]
    general = plan.get("ga_general", {})
    sources = _catalog(snapshot, "funding_sources", "name")
    roles = _catalog(snapshot, "roles", "title")
    methods = _catalog(snapshot, "monitoring_methods", "text")
    out = ["District Improvement Plan", "1 General Improvement Plan Information"]
    out += ["General Improvement Plan Information", "District"]
    out += _lines(plan.get("organization"))
    out += ["Team Lead", *_lines(plan.get("team_lead"))]
    out.append(
        "Federal Funding Options to Be Employed (SWP Schools) in this Plan (Select all that apply)"
    )
    options = general.get("funding_options", [])
    out += [("☒ " if key in options else "☐ ") + name for key, name in FUNDING_OPTIONS.items()]
    out.append("Transferability of Funds (ESSA Sec. 5103)")
    for title in ("ii", "iv"):
        out.append(f"Transfer Title {title.upper()}, Part A to:")
        out += _lines(general.get(f"title_{title}_a_transfer_to")) or ["NO FUNDS TRANSFERRED"]
        out.append("Cumulative Percentage of Allocation to be Transferred to the Selected Grant(s)")
        percent = general.get(f"title_{title}_a_transfer_percent")
        out.append("NA" if percent is None else f"{_number(percent)}%")
    out.append(
        "Factors(s) Used by District to Identify Students in Poverty (Select all that apply)"
    )
    factors = general.get("poverty_factors", [])
    out += [("☒ " if key in factors else "☐ ") + name for key, name in POVERTY_FACTORS.items()]
    out += _lines(general.get("poverty_factors_other"))
    out += ["2 ED - Flex Waiver", "Do you need a waiver?"]
    out += _yes_no(general.get("ed_flex_waiver"))
    out += _lines(general.get("ed_flex_waiver_detail"))
    out.append("3 District Improvement Goals")
    for n, area in enumerate(snapshot.get("goal_areas", []), start=1):
        out += [
            f"3.{n} Overarching Need # {n}",
            "Overarching Need",
            "Overarching Need as identified in CNA Section 3.2",
        ]
        out += _lines(area.get("need")) or _lines(area["title"])
        out += [f"Is Need # {n} also an Equity Gap?", *_yes_no(area.get("is_equity_gap"))]
        for k, cause in enumerate(area.get("root_causes") or [""], start=1):
            out += [f"Root Cause # {k}", *_lines(cause)]
        out.append("Goal")
        out += _lines(area.get("goal")) or [
            line for o in area.get("objectives", []) for line in _lines(o["statement"])
        ]
        gap = area.get("equity_gap", {})
        out += ["Equity Gap", "Equity Gap", *_lines(gap.get("description"))]
        out += ["Content Area(s)", *[x for c in gap.get("content_areas", []) for x in _lines(c)]]
        grades = gap.get("grade_levels", [])
        out += ["Grade Level Span(s)", *grades]
        out += ["Subgroup(s)", *[x for s in gap.get("subgroups", []) for x in _lines(s)]]
        out += [
            "Equity interventions",
            *[x for s in gap.get("interventions", []) for x in _lines(s)],
        ]
        for i, step in enumerate(_steps(area), start=1):
            supports = step.get("supports_equity_intervention")
            evidence = step.get("evidence_level")
            funded = list(dict.fromkeys(link["source"] for link in step.get("funding", [])))
            out += [f"Action Step # {i}", "Action Step", *_lines(step["text"])]
            out += ["Funding Sources", *_names(funded, sources)]
            out += ["Subgroups", *[x for s in step.get("subgroups", []) for x in _lines(s)]]
            out += ["Systems", *[SYSTEMS[s] for s in step.get("systems", [])]]
            out.append("Method for Monitoring Implementation")
            out += _names(step.get("monitoring_implementation", []), methods)
            out.append("Method for Monitoring Effectiveness")
            out += _names(step.get("monitoring_effectiveness", []), methods)
            out += ["Position/Role Responsible", *_names(step.get("roles", []), roles)]
            out += ["Evidence Based Indicator", EVIDENCE_LEVELS[evidence] if evidence else ""]
            out += ["Timeline for Implementation", *_timeline(step)]
            out.append("Does this action step support the selected equity intervention?")
            out.append({True: "Yes", False: "No", None: ""}[supports])
            out.append(
                "What partnerships, if any, with IHEs, business, Non-Profits, Community based "
                "organizations, or any private entity with a demonstrated record of success is "
                "the LEA implementing in carrying out this action step(s)?"
            )
            out += _lines(step.get("partnerships"))
    return out


def _letters(index: int, lower: bool = False) -> str:
    text = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        text = chr(ord("A") + remainder) + text
    return text.lower() if lower else text


def _grid_without_empty_columns(header: list[str], rows: list[list[list[str]]]) -> list[str]:
    """A grid's texts in reading order, a column empty on every row left out (LAYOUTS.md,
    issue 12)."""
    if not rows:
        return []
    keep = [i for i in range(len(header)) if any(row[i] for row in rows)]
    out = [header[i] for i in keep]
    for row in rows:
        for i in keep:
            out += row[i]
    return out


def _objective_measures(measures: list[dict[str, Any]]) -> list[str]:
    """An objective's measures: those entered once in a table (and a chart each), then each
    measure entered for several student groups as one table, groups down, years across."""
    names = [_clean_text(m["name"]) for m in measures]
    alone = [m for m, name in zip(measures, names, strict=True) if names.count(name) == 1]
    out: list[str] = []
    if alone:
        rows = []
        for measure in alone:
            unit = measure.get("unit")
            baseline = measure.get("baseline")
            dated = {
                key: [
                    line
                    for point in measure.get(key, [])
                    for index, line in enumerate(_point(point, unit))
                    for line in ([f"{point['year']}: {line}"] if index == 0 else [line])
                ]
                for key in ("targets", "actuals")
            }
            rows.append(
                [
                    _lines(measure["name"]),
                    _lines(measure.get("student_group")),
                    [DIRECTIONS[measure["direction"]]] if measure.get("direction") else [],
                    _lines(measure.get("data_source")),
                    [baseline["year"], *_point(baseline, unit)] if baseline else [],
                    dated["targets"],
                    dated["actuals"],
                ]
            )
        header = ["Measure", "Student Group", "Direction", "Data Source", "Baseline"]
        out += _grid_without_empty_columns([*header, "Targets", "Actuals"], rows)
        for measure in alone:
            points = [measure.get("baseline") or {}, *measure.get("targets", [])]
            points += measure.get("actuals", [])
            if sum(p.get("value") is not None for p in points) >= 2:
                group = clean_text(measure.get("student_group") or "")
                name = clean_text(measure["name"])
                title = f"{name} — {group}" if group else name
                out.append(title.replace("\n", " "))
    for name in dict.fromkeys(names):
        group = [m for m, n in zip(measures, names, strict=True) if n == name]
        if len(group) < 2:
            continue
        years = sorted(
            {p["year"] for m in group for k in ("targets", "actuals") for p in m.get(k, [])}
        )
        rows = []
        baseline_years = {(m.get("baseline") or {}).get("year", "") for m in group}
        shared = baseline_years.pop() if len(baseline_years) == 1 else ""
        for measure in group:
            unit = measure.get("unit")
            baseline = measure.get("baseline")
            shown = _point(baseline, unit) if baseline else []
            row = [
                _lines(measure.get("student_group")) or ["All students"],
                shown if shared or not baseline else [baseline["year"], *shown],
            ]
            for year in years:
                target = next((p for p in measure.get("targets", []) if p["year"] == year), None)
                actual = next((p for p in measure.get("actuals", []) if p["year"] == year), None)
                shown = _point(actual, unit)
                row.append(
                    [*_point(target, unit), *([f"Actual: {shown[0]}", *shown[1:]] if shown else [])]
                )
            rows.append(row)
        baseline_title = f"Baseline {shared}" if shared else "Baseline"
        header = ["Student Group", baseline_title, *(f"Target {year}" for year in years)]
        out += [*_lines(name), *_grid_without_empty_columns(header, rows)]
    return out


def expected_strategic_plan(snapshot: Mapping[str, Any]) -> list[str]:
    """Every label and value the strategic-plan layout prints, in order (LAYOUTS.md)."""
    plan = snapshot["plan"]
    labels = plan.get("level_labels") or ["Goal Area", "Objective", "Strategy", "Action Step"]
    sources = _catalog(snapshot, "funding_sources", "name")
    roles = _catalog(snapshot, "roles", "title")
    methods = _catalog(snapshot, "monitoring_methods", "text")
    out: list[str] = []
    if plan.get("mission") or plan.get("vision") or plan.get("core_beliefs"):
        out.append("Guiding Principles")
        if plan.get("mission"):
            out += ["Mission", *_lines(plan["mission"])]
        if plan.get("vision"):
            out += ["Vision", *_lines(plan["vision"])]
        if plan.get("core_beliefs"):
            out += ["Core Beliefs", *[x for b in plan["core_beliefs"] for x in _lines(b)]]
    areas = snapshot.get("goal_areas", [])
    measures = [
        (f"{a + 1}{_letters(o)}", measure)
        for a, area in enumerate(areas)
        for o, objective in enumerate(area.get("objectives", []))
        for measure in objective.get("measures", [])
    ]
    if measures:
        years = set(school_years(plan.get("first_year"), plan.get("last_year")))
        for _, measure in measures:
            years.update(p["year"] for k in ("targets", "actuals") for p in measure.get(k, []))
        years_in_order = sorted(years)
        out += ["Goals Overview", "No.", "Measure", "Student Group", "Baseline", *years_in_order]
        for number, measure in measures:
            unit = measure.get("unit")
            out += [number, *_lines(measure["name"]), *_lines(measure.get("student_group"))]
            baseline = measure.get("baseline")
            if baseline:
                out += [baseline["year"], *_point(baseline, unit)]
            for year in years_in_order:
                target = next((p for p in measure.get("targets", []) if p["year"] == year), None)
                actual = next((p for p in measure.get("actuals", []) if p["year"] == year), None)
                out += _point(target, unit)
                shown = _point(actual, unit)
                if shown:
                    out += [f"Actual: {shown[0]}", *shown[1:]]
    for a, area in enumerate(areas):
        title = clean_text(area["title"])
        out.append(f"{labels[0]} {a + 1}: {title}" if title else f"{labels[0]} {a + 1}")
        out += _lines(area.get("description"))
        for o, objective in enumerate(area.get("objectives", [])):
            number = f"{a + 1}{_letters(o)}"
            out += [f"{labels[1]} {number}", *_lines(objective["statement"])]
            if objective.get("measures"):
                out += _objective_measures(objective["measures"])
            for s, strategy in enumerate(objective.get("strategies", [])):
                strategy_number = f"{number}.{s + 1}"
                out += [f"{labels[2]} {strategy_number}", *_lines(strategy["text"])]
                if strategy.get("evidence_level"):
                    out.append(f"Evidence level: {EVIDENCE_LEVELS[strategy['evidence_level']]}")
                out += _lines(strategy.get("evidence_citation"))
                if strategy.get("phases"):
                    out += ["Year", *[p["year"] for p in strategy["phases"]]]
                    out += ["Phase", *[PHASES[p["phase"]] for p in strategy["phases"]]]
                rows = []
                for t, step in enumerate(strategy.get("action_steps", [])):
                    step_lines = _lines(step["text"])
                    step_number = f"{strategy_number}.{_letters(t, lower=True)}"
                    funded = list(dict.fromkeys(link["source"] for link in step.get("funding", [])))
                    monitoring = list(step.get("monitoring_implementation", []))
                    monitoring += [
                        m for m in step.get("monitoring_effectiveness", []) if m not in monitoring
                    ]
                    status = [STEP_STATUSES[step["status"]]] if step.get("status") else []
                    rows.append(
                        [
                            [f"{step_number} {step_lines[0]}", *step_lines[1:]],
                            _names(step.get("roles", []), roles),
                            _names(funded, sources),
                            _timeline(step),
                            _names(monitoring, methods),
                            status,
                        ]
                    )
                header = [labels[3], "Responsible", "Funding", "Timeline", "Monitoring", "Status"]
                out += _grid_without_empty_columns(header, rows)
    if snapshot.get("funding_sources") or snapshot.get("roles"):
        out.append("Appendix")
    if snapshot.get("funding_sources"):
        out += ["Funding Summary", "Funding Source", "Kind", "Code", "Allocation"]
        out += ["Assigned to Action Steps", "Difference", "Action Steps"]
        steps = [step for area in areas for step in _steps(area)]
        for source in snapshot["funding_sources"]:
            links = [
                (link, step)
                for step in steps
                for link in step.get("funding", [])
                if link["source"] == source["id"]
            ]
            assigned = round(sum(link.get("amount") or 0 for link, _ in links), 2)
            count = len({id(step) for _, step in links})
            out += _lines(source["name"])
            if source.get("kind"):
                out.append(FUNDING_KINDS[source["kind"]])
            out += _lines(source.get("code"))
            allocation = source.get("allocation")
            if allocation is not None:
                out.append(_money(allocation))
            out.append(_money(assigned))
            if allocation is not None:
                out.append(_money(round(allocation - assigned, 2)))
            out.append(str(count))
    if snapshot.get("roles"):
        out += ["Responsibilities", "Role", labels[3]]
        for role in snapshot["roles"]:
            out += [*_lines(role["title"]), *_lines(role.get("department"))]
            out += _lines(role.get("person"))
    return out


# ---------------------------------------------------------------------------- hostile text

HOSTILE = (
    "Fish & chips <b>not bold</b> \"double\" 'single' a < b > c &amp; "
    "\tafter a tab\nsecond line\r\nthird line\rfourth line — café naïve Ærø "
    "Ελληνικά Кириллица Tiếng Việt có dấu 😀 👩‍👩‍👧 "
    "controls:\x01\x07\x0b\x0c\x13\x14\x15\x1e\x1f:end \ufffe\uffff done"
)


def hostile(text: str = HOSTILE, tag: str = "") -> str:
    return f"{tag} {text}".strip()


def hostile_plan() -> dict[str, Any]:
    """Every text field of a full plan replaced by hostile text, tagged by where it is."""
    document = copy.deepcopy(load_plan_json("full.json"))

    def walk(value: Any, path: str) -> Any:
        if isinstance(value, dict):
            return {key: walk(item, f"{path}.{key}") for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, f"{path}[{i}]") for i, item in enumerate(value)]
        return value

    document = walk(document, "$")
    plan = document["plan"]
    for key in ("title", "organization", "team_lead", "mission", "vision"):
        plan[key] = hostile(tag=key)
    plan["core_beliefs"] = [hostile(tag="belief one"), hostile(tag="belief two")]
    plan["level_labels"] = ["Pillar & <Co>", "Priorité", "Στρατηγική", "Шаг"]
    general = plan["ga_general"]
    for key in ("title_ii_a_transfer_to", "poverty_factors_other", "ed_flex_waiver_detail"):
        general[key] = hostile(tag=key)
    for source in document["funding_sources"]:
        source["name"] = hostile(tag=source["id"])
        source["code"] = "<411> & co"
    for role in document["roles"]:
        role["title"] = hostile(tag=role["id"])
        role["department"] = "R&D <dept>"
    for method in document["monitoring_methods"]:
        method["text"] = hostile(tag=method["id"])
    for a, area in enumerate(document["goal_areas"]):
        area["title"] = hostile(tag=f"area {a}")
        area["description"] = hostile(tag=f"description {a}")
        if a == 0:
            area["need"] = hostile(tag="need")
            area["root_causes"] = [hostile(tag="cause 1"), hostile(tag="cause 2")]
            area["goal"] = hostile(tag="goal")
            gap = area["equity_gap"]
            gap["description"] = hostile(tag="gap")
            gap["content_areas"] = ["ELA & <Math>", "Ελληνικά"]
            gap["subgroups"] = [hostile(tag="subgroup")]
            gap["interventions"] = [hostile(tag="intervention")]
        for o, objective in enumerate(area.get("objectives", [])):
            objective["statement"] = hostile(tag=f"statement {a}{o}")
            for measure in objective.get("measures", []):
                measure["name"] = hostile(tag="measure")
                measure["data_source"] = "<source> & more"
                measure["student_group"] = "Ελληνικά & <group>"
                for point in measure.get("targets", []):
                    point["note"] = "<10% & “quoted”"
            for strategy in objective.get("strategies", []):
                strategy["text"] = hostile(tag="strategy")
                strategy["evidence_citation"] = hostile(tag="citation")
                for step in strategy.get("action_steps", []):
                    step["text"] = hostile(tag="step")
                    step["timeline"] = "Q1 & Q2 <2025>"
                    step["subgroups"] = [hostile(tag="step subgroup")]
                    step["partnerships"] = hostile(tag="partnerships")
    return document
