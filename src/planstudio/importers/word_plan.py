"""A Georgia District Improvement Plan in Word (the state's layout, LAYOUTS.md) read into a plan.

The document is read as a stream of paragraphs and label/value table rows, in
body order.  Headings ("Overarching Need # 2", "Action Step # 3") and labels
start items; each row's label is matched tolerantly (`rules`) to the field it
fills.  Text that fits no field is kept as a note on the nearest goal area
(its description, which the DIP does not print) and listed in the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planstudio.importers.checkboxes import CHECKED, UNCHECKED, read_checkbox, yes_no_answer
from planstudio.importers.matching import (
    CatalogBuilder,
    has_words,
    label_key,
    match_choice,
    value_key,
)
from planstudio.importers.report import ImportNote, ImportRefused, ImportReport, ImportResult
from planstudio.importers.safety import check_office_zip
from planstudio.model.interchange import FORMAT, FORMAT_VERSION
from planstudio.model.vocabulary import (
    EVIDENCE_LEVELS,
    FUNDING_OPTIONS,
    PLAN_STATUSES,
    POVERTY_FACTORS,
    SYSTEMS,
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_SKIPPED = {f"{_W}{name}" for name in ("pPr", "rPr", "delText", "instrText", "del", "tblPr")}
_SKIPPED |= {f"{_W}{name}" for name in ("trPr", "tcPr", "sectPr", "commentReference")}
# Wingdings / Symbol checkbox glyphs, as older forms insert them (w:sym).
_SYMBOL_CHECKED = {"F0FE", "F078", "F0FD", "F0FC", "F0D6"}
_SYMBOL_UNCHECKED = {"F0A8", "F06F", "F071", "F0A1"}
_YEARS = re.compile(r"\b(\d{4}-\d{2})\b(?:\s*(?:to|-|–|—|through)\s*(\d{4}-\d{2})\b)?")
# Georgia's fiscal year names the year it ends in: FY 2025 is the school year 2024-25.
_FISCAL_YEAR = re.compile(r"^\s*(?:FY|fiscal\s+year)\s*'?(\d{4}|\d{2})\s*$", re.I)
_AREA_HEADING = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s*)?overarching\s+need\s*(?:#|no\.?|number)?\s*(\d+)\b", re.I
)
_STEP_HEADING = re.compile(r"^\s*action\s+step\s*(?:#|no\.?|number)\s*(\d+)\s*:?\s*$", re.I)
_SECTION_HEADINGS = {
    "general improvement plan information",
    "ed flex waiver",
    "district improvement goals",
    "district improvement plan",
    "contents",
    "table of contents",
    # Tables' captions, which the state's form (and Plan Studio's export) prints above them.
    "overarching need",
    "equity gap",
}
_DRAFT_STATUSES = {label_key(name): code for code, name in PLAN_STATUSES.items()}


# ---------------------------------------------------------------------------- reading the XML


@dataclass(frozen=True)
class _Paragraph:
    text: str
    style: str


@dataclass(frozen=True)
class _Row:
    label: str
    values: tuple[str, ...]  # the value cell's paragraphs, one line each


def _text(element: Any) -> str:
    parts: list[str] = []
    _collect(element, parts)
    return "".join(parts)


def _collect(element: Any, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}sym":
            code = (child.get(f"{_W}char") or "").upper()
            if code in _SYMBOL_CHECKED:
                parts.append(CHECKED)
            elif code in _SYMBOL_UNCHECKED:
                parts.append(UNCHECKED)
        elif tag == f"{_W}fldChar":
            box = child.find(f"{_W}ffData/{_W}checkBox")
            if box is not None:
                parts.append(CHECKED if _legacy_checked(box) else UNCHECKED)
        elif tag == f"{_W}sdt":
            box = child.find(f"{_W}sdtPr/{_W14}checkbox")
            if box is not None:
                # The content shows a glyph in some font; the control's state is the answer.
                checked = box.find(f"{_W14}checked")
                value = checked.get(f"{_W14}val") if checked is not None else "0"
                parts.append(CHECKED if value in ("1", "true", "on") else UNCHECKED)
            else:
                _collect(child, parts)
        else:
            _collect(child, parts)


def _legacy_checked(box: Any) -> bool:
    checked = box.find(f"{_W}checked")
    if checked is not None:
        return checked.get(f"{_W}val", "1") not in ("0", "false", "off")
    default = box.find(f"{_W}default")
    return default is not None and default.get(f"{_W}val", "0") not in ("0", "false", "off")


def _style(paragraph: Any) -> str:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return str(style.get(f"{_W}val", "")) if style is not None else ""


def _cell_lines(cell: Any) -> list[str]:
    lines: list[str] = []
    for child in cell:
        if child.tag == f"{_W}p":
            lines.extend(_text(child).split("\n"))
        elif child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                for inner in row.iter(f"{_W}tc"):
                    lines.extend(_cell_lines(inner))
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                lines.extend(_cell_lines(content))
    # Word's empty cell is one empty paragraph.
    return [] if lines == [""] else lines


def _events(body: Any) -> Iterator[_Paragraph | _Row]:
    for child in body:
        tag = child.tag
        if tag == f"{_W}p":
            yield _Paragraph(_text(child), _style(child))
        elif tag == f"{_W}tbl":
            yield from _table_events(child)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _events(content)


def _table_events(table: Any) -> Iterator[_Paragraph | _Row]:
    pending: _Row | None = None
    for row in table.iter(f"{_W}tr"):
        cells = [_cell_lines(cell) for cell in row.iterchildren(f"{_W}tc", f"{_W}sdt")]
        if not cells:
            continue
        label = "\n".join(cells[0])
        values = tuple(line for cell in cells[1:] for line in cell)
        if pending is not None and len(cells) > 1 and not label.strip():
            # A value taller than a page continues under an empty label, below a repeated
            # header row that carries the label: one field, more lines.
            pending = _Row(pending.label, (*pending.values, *values))
            continue
        if pending is not None:
            yield pending
            pending = None
        if len(cells) == 1:
            # A row across the table: a heading inside the table, or text.
            yield from (_Paragraph(line, "") for line in cells[0] if line.strip())
            continue
        pending = _Row(label, values)
    if pending is not None:
        yield pending


# ---------------------------------------------------------------------------- building the plan


@dataclass
class _Area:
    number: int
    record: dict[str, Any] = field(default_factory=dict)
    equity: dict[str, Any] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    in_equity: bool = False


class _Reader:
    def __init__(self, source: str, split_lists: bool = True) -> None:
        self.report = ImportReport(source)
        # Plan Studio's own export prints a list one entry a line, so an entry may hold "; ";
        # other documents put several entries on one line with "; " between them.
        self.split_lists = split_lists
        self.recognised = False  # whether any row had a label of the form
        self.plan: dict[str, Any] = {"layout": "ga-dip", "state": "GA"}
        self.general: dict[str, Any] = {}
        self.areas: list[_Area] = []
        self.step: dict[str, Any] | None = None
        self.plan_notes: list[tuple[str, str, str]] = []  # (where, label, text)
        self.last_transfer = "ii"
        self.title: str | None = None
        self.cover_done = False
        self.funding = CatalogBuilder("name")
        self.roles = CatalogBuilder("title")
        self.methods = CatalogBuilder("text")
        self.method_kinds: dict[str, set[str]] = {}

    # --------------------------------------------------------------- places

    @property
    def area(self) -> _Area:
        if not self.areas:
            self.areas.append(_Area(1))
        return self.areas[-1]

    def where(self) -> str:
        if not self.areas:
            return "General information"
        place = f"Overarching Need # {self.area.number}"
        if self.step is not None:
            place += f", Action Step # {len(self.area.steps)}"
        return place

    def unplaced(self, label: str, text: str) -> None:
        if not text.strip() and not label.strip():
            return
        where = self.where()
        if self.areas:
            self.area.notes.append(_note_text(where, label, text))
            kept_on = f"Overarching Need # {self.area.number}"
            self.report.add(ImportNote(where, label, text, kept_on))
        else:
            self.plan_notes.append((where, label, text))

    def new_area(self, number: int | None = None) -> None:
        self.areas.append(_Area(number or len(self.areas) + 1))
        self.step = None

    def new_step(self) -> dict[str, Any]:
        self.step = {}
        self.area.steps.append(self.step)
        self.area.in_equity = False
        return self.step

    # --------------------------------------------------------------- paragraphs

    def paragraph(self, paragraph: _Paragraph) -> None:
        text, style = paragraph.text, paragraph.style
        if style.upper().startswith("TOC"):
            return
        if style == "Title" and self.title is None:
            self.title = text
            return
        if not text.strip():
            return
        key = label_key(text)
        if style == "PSCoverStatus" and key in _DRAFT_STATUSES:
            self.plan["status"] = _DRAFT_STATUSES[key]
            return
        fiscal = _FISCAL_YEAR.match(text)
        if fiscal and not self.areas:
            end = int(fiscal.group(1)) % 100 + 2000
            self.plan.setdefault("first_year", f"{end - 1}-{end % 100:02d}")
            self.plan.setdefault("last_year", self.plan["first_year"])
            return
        years = _YEARS.fullmatch(text.strip())
        if years and not self.areas:
            if "first_year" not in self.plan:
                self.plan["first_year"] = years.group(1)
                self.plan["last_year"] = years.group(2) or years.group(1)
            return
        if style.startswith("PSCover") or key.startswith("exported"):
            return
        area = _AREA_HEADING.match(text)
        if area:
            self.new_area(int(area.group(1)))
            return
        if _STEP_HEADING.match(text):
            self.new_step()
            return
        if key in _SECTION_HEADINGS:
            return
        self.unplaced("", text)

    # --------------------------------------------------------------- rows

    def row(self, row: _Row) -> None:
        key = label_key(row.label)
        values = list(row.values)
        if not key:
            self.unplaced("", "\n".join(values))
            return
        handled = (
            self._general(key, values) or self._area_row(key, values) or self._step_row(key, values)
        )
        if handled:
            self.recognised = True
        else:
            self.unplaced(row.label, "\n".join(values))

    def _general(self, key: str, values: list[str]) -> bool:
        text = _joined(values)
        if key in ("district", "district name", "school district", "lea", "lea name"):
            _set(self.plan, "organization", text)
        elif has_words(key, "team", "lead"):
            _set(self.plan, "team_lead", text)
        elif has_words(key, "funding", "option"):
            options, _rest = self._choices(values, FUNDING_OPTIONS, "Federal Funding Options")
            _set(self.general, "funding_options", options)
        elif key.startswith("transferability"):
            if text.strip():
                self.unplaced("Transferability of Funds", text)
        elif has_words(key, "transfer", "title") and not has_words(key, "cumulative"):
            title = "iv" if has_words(key, "iv") else "ii"
            self.last_transfer = title
            if not self._no_transfer(text):
                self.general[f"title_{title}_a_transfer_to"] = text
            elif f"title_{title}_a_transfer_to" in self.general:
                del self.general[f"title_{title}_a_transfer_to"]
        elif has_words(key, "percentage") or has_words(key, "percent"):
            self._percent(text)
        elif has_words(key, "poverty") or has_words(key, "factor"):
            chosen, rest = self._choices(values, POVERTY_FACTORS, "", keep_rest=True)
            _set(self.general, "poverty_factors", chosen)
            _set(self.general, "poverty_factors_other", "\n".join(rest))
        elif has_words(key, "waiver"):
            own = not self.split_lists
            answer, rest = self._own_yes_no(values) if own else yes_no_answer(values)
            if answer is not None:
                self.general["ed_flex_waiver"] = answer
            _set(self.general, "ed_flex_waiver_detail", "\n".join(rest))
        else:
            return False
        return True

    @staticmethod
    def _own_yes_no(values: list[str]) -> tuple[bool | None, list[str]]:
        # Plan Studio's own export prints the answer as exactly "Yes" or "No" on the first line
        # and nothing for an unanswered question, so a detail that reads "False" or "n" stays
        # the detail it was typed as.
        if values and values[0] in ("Yes", "No"):
            return values[0] == "Yes", values[1:]
        return None, list(values)

    def _no_transfer(self, text: str) -> bool:
        if not self.split_lists:
            # Plan Studio's own export writes exactly this for none; anything else was typed.
            return text in ("", NO_TRANSFER)
        return not text.strip() or value_key(text) in ("no funds transferred", "none", "na", "n a")

    def _percent(self, text: str) -> None:
        name = f"title_{self.last_transfer}_a_transfer_percent"
        cleaned = text.strip().rstrip("%").replace(",", "").strip()
        if not cleaned or value_key(cleaned) in ("na", "n a", "none"):
            self.general.pop(name, None)
            return
        try:
            number = float(cleaned)
        except ValueError:
            self.unplaced(TRANSFER_PERCENT_LABEL, text)
            return
        self.general[name] = int(number) if number.is_integer() and "." not in cleaned else number

    def _choices(
        self, values: list[str], choices: dict[str, str], label: str, keep_rest: bool = False
    ) -> tuple[list[str], list[str]]:
        if not self.split_lists:
            return _own_choices(values, choices)
        marked = [read_checkbox(line) for line in values]
        any_marks = any(mark is not None for mark, _ in marked)
        chosen: list[str] = []
        rest: list[str] = []
        for (mark, text), line in zip(marked, values, strict=True):
            code = match_choice(text, choices)
            if code is None:
                if mark is None and (keep_rest or not line.strip()):
                    rest.append(line)
                elif line.strip():
                    self.unplaced(label, line)
                continue
            # A form that lists only what was chosen has no boxes at all.
            if (mark if any_marks else True) and code not in chosen:
                chosen.append(code)
        return chosen, _trim_blank(rest)

    def _area_row(self, key: str, values: list[str]) -> bool:
        text = _joined(values)
        if has_words(key, "overarching", "need") or key == "need":
            if "need" in self.area.record or self.area.steps:
                self.new_area()
            area = self.area.record
            _set(area, "need", text)
            area["title"] = _title_of(text)
        elif has_words(key, "need") and has_words(key, "equity", "gap"):
            answer, _rest = yes_no_answer(values)
            if answer is not None:
                self.area.record["is_equity_gap"] = answer
        elif has_words(key, "root", "cause"):
            self.area.record.setdefault("root_causes", []).append(text)
        elif key in ("goal", "goals", "district goal", "smart goal") and self.step is None:
            _set(self.area.record, "goal", text)
        elif key in ("equity gap", "equity gap description", "equity gaps"):
            self.area.in_equity = True
            self.step = None
            _set(self.area.equity, "description", text)
        elif has_words(key, "content", "area"):
            _set(self.area.equity, "content_areas", _entries(values, self.split_lists))
        elif has_words(key, "grade", "level"):
            _set(self.area.equity, "grade_levels", _entries(values, split=True))
        elif has_words(key, "subgroup") and self.area.in_equity and self.step is None:
            _set(self.area.equity, "subgroups", _entries(values, self.split_lists))
        elif has_words(key, "equity", "intervention") and not has_words(key, "support"):
            _set(self.area.equity, "interventions", _entries(values, self.split_lists))
        else:
            return False
        return True

    def _step_row(self, key: str, values: list[str]) -> bool:
        text = _joined(values)
        step = self.step
        field_name = _step_field(key)
        if field_name is None:
            return False
        if step is None or field_name in step.get("_seen", ()):
            step = self.new_step()
        if field_name == "text":
            _set(step, "text", text)
        elif field_name == "funding":
            ids = self.funding.ids(_entries(values, self.split_lists))
            _set(step, "funding", [{"source": entry_id} for entry_id in ids])
        elif field_name in ("roles",):
            _set(step, "roles", self.roles.ids(_entries(values, self.split_lists)))
        elif field_name in ("monitoring_implementation", "monitoring_effectiveness"):
            ids = self.methods.ids(_entries(values, self.split_lists))
            for entry_id in ids:
                self.method_kinds.setdefault(entry_id, set()).add(field_name.split("_")[1])
            _set(step, field_name, ids)
        elif field_name == "subgroups":
            _set(step, "subgroups", _entries(values, self.split_lists))
        elif field_name == "systems":
            codes: list[str] = []
            for entry in _entries(values, self.split_lists):
                code = match_choice(entry, SYSTEMS)
                if code is None:
                    self.unplaced("Systems", entry)
                elif code not in codes or not self.split_lists:
                    codes.append(code)  # the own export lists a repeated system twice
            _set(step, "systems", codes)
        elif field_name == "evidence_level":
            code = match_choice(text, EVIDENCE_LEVELS) if text.strip() else None
            if code is not None:
                step["evidence_level"] = code
            elif text.strip():
                self.unplaced("Evidence Based Indicator", text)
        elif field_name == "supports_equity_intervention":
            answer, rest = yes_no_answer(values)
            if answer is not None:
                step["supports_equity_intervention"] = answer
            if any(line.strip() for line in rest):
                self.unplaced("Supports the equity intervention", "\n".join(rest))
        else:
            _set(step, field_name, text)
        step.setdefault("_seen", set()).add(field_name)
        return True

    # --------------------------------------------------------------- the document

    def document(self) -> dict[str, Any]:
        plan = self.plan
        plan["title"] = self.title if self.title is not None else _default_title(plan)
        general = {key: value for key, value in self.general.items() if value not in (None, "", [])}
        if general:
            plan["ga_general"] = general
        # The title block repeats the district's name before the table that gives it.
        named = (plan.get("organization", ""), plan["title"])
        known = {label_key(line) for text in named for line in (text, *text.split("\n"))}
        self.plan_notes = [
            note for note in self.plan_notes if note[1] or label_key(note[2]) not in known
        ]
        if self.plan_notes:
            if not self.areas:
                self.areas.append(_Area(1, {"title": "Not placed on import"}))
            first = self.areas[0]
            for where, label, text in self.plan_notes:
                first.notes.insert(0, _note_text(where, label, text))
                self.report.add(
                    ImportNote(where, label, text, f"Overarching Need # {first.number}")
                )
        document: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "plan": plan,
        }
        for name, catalog in (
            ("funding_sources", self.funding),
            ("roles", self.roles),
            ("monitoring_methods", self.methods),
        ):
            if catalog.entries:
                document[name] = catalog.entries
        for method in self.methods.entries:
            kinds = self.method_kinds.get(method["id"], set())
            method["kind"] = "both" if len(kinds) > 1 else next(iter(kinds), "both")
        document["goal_areas"] = [self._area_record(area) for area in self.areas]
        self.report.count("goal area", len(self.areas))
        self.report.count("action step", sum(len(area.steps) for area in self.areas))
        return document

    def _area_record(self, area: _Area) -> dict[str, Any]:
        record = {"title": "", **area.record}
        causes = record.get("root_causes")
        if causes == [""]:
            del record["root_causes"]
        if area.equity:
            record["equity_gap"] = area.equity
        if area.notes:
            record["description"] = "\n\n".join(area.notes)
        steps = []
        for step in area.steps:
            step.pop("_seen", None)
            step.setdefault("text", "")
            steps.append(step)
        if steps:
            record["objectives"] = [
                {
                    # The form has no objectives or strategies; one of each holds the steps, and
                    # the objective says the goal, which is what the form prints when no goal is.
                    "statement": record.get("goal", ""),
                    "strategies": [{"text": "Action steps", "action_steps": steps}],
                }
            ]
        return record


NO_TRANSFER = "NO FUNDS TRANSFERRED"
TRANSFER_PERCENT_LABEL = "Cumulative Percentage of Allocation to be Transferred"
_STEP_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("partnerships", ("partnership",)),
    ("supports_equity_intervention", ("support", "equity")),
    ("monitoring_implementation", ("monitor", "implementation")),
    ("monitoring_effectiveness", ("monitor", "effectiveness")),
    ("funding", ("funding",)),
    ("subgroups", ("subgroup",)),
    ("systems", ("system",)),
    ("roles", ("responsible",)),
    ("roles", ("role",)),
    ("roles", ("position",)),
    ("evidence_level", ("evidence",)),
    ("timeline", ("timeline",)),
)


def _step_field(key: str) -> str | None:
    if key in ("action step", "action steps", "action step description", "activity"):
        return "text"
    for name, words in _STEP_RULES:
        if has_words(key, *words):
            return name
    return None


def _own_choices(values: list[str], choices: dict[str, str]) -> tuple[list[str], list[str]]:
    """Plan Studio's own export: a box line is exactly "☒ name" or "☐ name"; every other
    line, blank ones too, is the description typed below the boxes, kept as typed."""
    codes = {f"{glyph} {name}": (code, glyph == CHECKED)
             for code, name in choices.items() for glyph in (CHECKED, UNCHECKED)}  # fmt: skip
    chosen: list[str] = []
    rest: list[str] = []
    for index, line in enumerate(values):
        # The export prints every box, then the description: only the first lines are boxes.
        found = codes.get(line) if not rest and index < len(choices) else None
        if found is None:
            rest.append(line)
        elif found[1] and found[0] not in chosen:
            chosen.append(found[0])
    return chosen, rest


def _set(record: dict[str, Any], name: str, value: Any) -> None:
    if value in (None, "", []):
        record.pop(name, None)
    else:
        record[name] = value


def _joined(values: list[str]) -> str:
    return "\n".join(values)


def _trim_blank(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


def _entries(values: list[str], split: bool) -> list[str]:
    """A list cell's entries: one a line, and (`split`) "; " between entries on one line."""
    entries: list[str] = []
    for line in values:
        if split and ";" in line:
            entries.extend(part.strip() for part in line.split(";") if part.strip())
        elif line.strip():
            entries.append(line)
    return entries


def _title_of(need: str) -> str:
    first = next((line for line in need.split("\n") if line.strip()), "")
    return first if len(first) <= 200 else first[:197].rstrip() + "..."


def _default_title(plan: dict[str, Any]) -> str:
    years = plan.get("first_year")
    return f"District Improvement Plan {years}" if years else "District Improvement Plan"


def _note_text(where: str, label: str, text: str) -> str:
    head = f"Not placed on import ({where}{', ' + label if label else ''}):"
    return f"{head}\n{text}"


def read_word_plan(path: Path) -> ImportResult:
    """Read a Georgia DIP .docx; raises ImportRefused for a file that is not one."""
    check_office_zip(path, "Word document", "word/document.xml")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise ImportRefused(f"{path.name} is not a Word document ({error})") from None
    except Exception as error:  # lxml's XMLSyntaxError and kin: a damaged part
        raise ImportRefused(f"{path.name} is damaged and cannot be read ({error})") from None
    own_export = any(style.style_id == "PSCell" for style in word.styles)
    reader = _Reader(path.name, split_lists=not own_export)
    for event in _events(word.element.body):
        if isinstance(event, _Row):
            reader.row(event)
        else:
            reader.paragraph(event)
    if not reader.recognised:
        raise ImportRefused(
            f"{path.name} does not look like a District Improvement Plan: no General Improvement "
            "Plan Information, no Overarching Need; nothing was imported"
        )
    return ImportResult(reader.document(), reader.report)
