"""Action steps from a spreadsheet (.xlsx with openpyxl, .csv with the csv module), one row each.

Columns are recognised by their header (`guess_columns`), which the window
shows and lets the user change before anything is added.  Rows that name the
same goal, objective or strategy (tolerantly) share that item; a funding cell
naming several sources links each.  A column no field takes is kept, row by
row, as a note on the row's action step (a review note) and reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planstudio.importers.matching import CatalogBuilder, label_key, match_choice, name_key
from planstudio.importers.report import ImportNote, ImportRefused, ImportReport, ImportResult
from planstudio.importers.safety import check_office_zip, check_size
from planstudio.model.interchange import FORMAT, FORMAT_VERSION
from planstudio.model.vocabulary import EVIDENCE_LEVELS, STEP_STATUSES, SYSTEMS

NOTE = "note"
# The fields a column can fill, as the column-mapping step names them.
FIELDS: dict[str, str] = {
    "goal_area": "Goal / Goal Area",
    "objective": "Objective",
    "strategy": "Strategy",
    "action_step": "Action Step",
    "roles": "Person Responsible / Role",
    "timeline": "Timeline",
    "start": "Start Date",
    "end": "End Date",
    "funding": "Funding Source",
    "amount": "Amount",
    "evidence_level": "Evidence Level",
    "monitoring_implementation": "Monitoring (implementation)",
    "monitoring_effectiveness": "Monitoring (effectiveness)",
    "subgroups": "Subgroups",
    "systems": "Systems",
    "status": "Status",
    "partnerships": "Partnerships",
    NOTE: "Keep as a note",
}

# Header words → field, first match wins; matched on the header's words (label_key).
_HEADER_RULES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("monitoring_effectiveness", (("monitor", "effectiveness"), ("evidence", "of", "impact"))),
    ("monitoring_implementation", (("monitor",), ("progress", "measure"))),
    ("evidence_level", (("evidence",), ("essa", "tier"), ("tier",))),
    ("amount", (("amount",), ("cost",), ("budget",), ("dollars",), ("allocation",))),
    ("funding", (("funding",), ("fund", "source"), ("source",), ("funds",))),
    ("roles", (("responsible",), ("role",), ("owner",), ("lead",), ("position",))),
    ("start", (("start",), ("begin",))),
    ("end", (("end", "date"), ("due",), ("completion", "date"), ("end",))),
    ("timeline", (("timeline",), ("timeframe",), ("time", "frame"), ("when",), ("date",))),
    ("subgroups", (("subgroup",), ("student", "group"))),
    ("systems", (("system",),)),
    ("status", (("status",), ("progress",))),
    ("partnerships", (("partner",),)),
    ("action_step", (("action",), ("activity",), ("activities",), ("step",), ("task",))),
    ("strategy", (("strategy",), ("strategies",), ("initiative",))),
    ("objective", (("objective",), ("priority",), ("smart",))),
    ("goal_area", (("goal",), ("pillar",), ("area",), ("need",))),
)
_TIERS = {"1": "strong", "2": "moderate", "3": "promising", "4": "rationale"}
MAX_ROWS = 100_000
MAX_COLUMNS = 200
_HEADER_SEARCH = 10


def _header_field(header: str) -> str | None:
    key = f" {label_key(header)} "
    if not key.strip():
        return None
    for name, alternatives in _HEADER_RULES:
        for words in alternatives:
            if all(f" {word}" in key for word in words):
                return name
    return None


def guess_columns(headers: Sequence[str]) -> dict[int, str]:
    """Column index → field; a field goes to its first column, later ones are notes."""
    taken: set[str] = set()
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = _header_field(header)
        if name is None or name in taken:
            mapping[index] = NOTE
        else:
            mapping[index] = name
            taken.add(name)
    return mapping


@dataclass
class Table:
    """A sheet's header row and the rows under it, as text (and numbers, for amounts)."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number in the file, cells)


# ---------------------------------------------------------------------------- reading files


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, bool | int | float):
        return value
    return str(value)


def _table_of(rows: Iterable[tuple[int, list[Any]]], source: str) -> Table | None:
    """The header is the row, among the first few, that names the most known columns: a title
    row above it ("Action steps FY26") names one at most."""
    pending: list[tuple[int, list[Any]]] = []
    body: list[tuple[int, list[Any]]] = []
    header_at: int | None = None
    for number, raw in rows:
        cells = [_cell(value) for value in raw[:MAX_COLUMNS]]
        while cells and cells[-1] == "":
            cells.pop()
        if header_at is None:
            if cells:
                pending.append((number, cells))
            if len(pending) < _HEADER_SEARCH:
                continue
            header_at = _best_header(pending)
            continue
        if cells:
            body.append((number, cells))
            if len(body) > MAX_ROWS:
                raise ImportRefused(
                    f"{source} has more than {MAX_ROWS:,} rows; not a list of action steps"
                )
    if header_at is None:
        header_at = _best_header(pending)
    if header_at < 0:
        return None
    header = [str(value) for value in pending[header_at][1]]
    return Table(header, pending[header_at + 1 :] + body)


def _best_header(candidates: list[tuple[int, list[Any]]]) -> int:
    best, best_count = -1, 0
    for index, (_number, cells) in enumerate(candidates):
        count = sum(1 for value in cells if _header_field(str(value)))
        if count > best_count:
            best, best_count = index, count
    return best


def read_table(path: Path) -> Table:
    """The first sheet (or the CSV) whose header row names a known column."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    return _read_csv(path)


def _read_xlsx(path: Path) -> Table:
    check_office_zip(path, "spreadsheet (.xlsx)", "[Content_Types].xml")
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except ImportRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign workbook
        raise ImportRefused(f"{path.name} is not a readable .xlsx workbook ({error})") from None
    try:
        for sheet in workbook.worksheets:
            rows = (
                (number, list(values))
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            )
            try:
                table = _table_of(rows, path.name)
            except ImportRefused:
                raise
            except Exception as error:
                raise ImportRefused(
                    f"{path.name}: sheet {sheet.title!r} is damaged ({error})"
                ) from None
            if table is not None:
                return table
    finally:
        workbook.close()
    raise ImportRefused(
        f"{path.name}: no sheet has a header row naming an action step, goal, strategy or "
        "responsible column; nothing was imported"
    )


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_csv(path: Path) -> Table:
    check_size(path)
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ImportRefused(f"{path.name} is not a text (CSV) file; nothing was imported")
    text = _decode(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        table = _table_of(((reader.line_num, row) for row in reader), path.name)
    except csv.Error as error:
        raise ImportRefused(f"{path.name} is not a readable CSV file ({error})") from None
    if table is None:
        raise ImportRefused(
            f"{path.name}: no header row names an action step, goal, strategy or responsible "
            "column; nothing was imported"
        )
    return table


# ---------------------------------------------------------------------------- building items


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value) if value != "" else ""


def split_entries(value: Any) -> list[str]:
    """ "Title I, Part A; IDEA" → two names; also one a line.  Commas stay: names hold them."""
    entries: list[str] = []
    for line in _text(value).replace("\r", "\n").split("\n"):
        entries.extend(part.strip() for part in line.split(";") if part.strip())
    return entries


def _amounts(value: Any) -> list[float | int] | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [value]
    parts = [part.strip() for part in _text(value).split(";") if part.strip()]
    found: list[float | int] = []
    for part in parts:
        cleaned = part.replace("$", "").replace(",", "").strip()
        try:
            number = float(cleaned)
        except ValueError:
            return None
        found.append(int(number) if number.is_integer() else number)
    return found


def _date(value: Any) -> str | None:
    text = _text(value).strip()
    if not text:
        return None
    for parse in (
        dt.date.fromisoformat,
        lambda t: dt.datetime.strptime(t, "%m/%d/%Y").date(),
        lambda t: dt.datetime.strptime(t, "%m/%d/%y").date(),
    ):
        try:
            return parse(text[:10] if len(text) > 10 and text[4] == "-" else text).isoformat()
        except ValueError:
            continue
    return None


class _Builder:
    def __init__(self, source: str, existing: dict[str, Any] | None) -> None:
        self.report = ImportReport(source)
        existing = existing or {}
        self.funding = CatalogBuilder("name", existing.get("funding_sources", ()))
        self.roles = CatalogBuilder("title", existing.get("roles", ()))
        self.methods = CatalogBuilder("text", existing.get("monitoring_methods", ()))
        self.areas: dict[str, dict[str, Any]] = {}
        self.objectives: dict[tuple[str, str], dict[str, Any]] = {}
        self.strategies: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.today = dt.date.today().isoformat()

    def _area(self, title: str) -> dict[str, Any]:
        key = name_key(title)
        if key not in self.areas:
            self.areas[key] = {"title": title, "objectives": []}
            self.report.count("goal area")
        return self.areas[key]

    def _objective(self, area_title: str, statement: str) -> dict[str, Any]:
        key = (name_key(area_title), name_key(statement))
        if key not in self.objectives:
            objective = {"statement": statement, "strategies": []}
            self._area(area_title)["objectives"].append(objective)
            self.objectives[key] = objective
            self.report.count("objective")
        return self.objectives[key]

    def _strategy(self, area: str, objective: str, text: str) -> dict[str, Any]:
        key = (name_key(area), name_key(objective), name_key(text))
        if key not in self.strategies:
            strategy = {"text": text, "action_steps": []}
            self._objective(area, objective)["strategies"].append(strategy)
            self.strategies[key] = strategy
            self.report.count("strategy")
        return self.strategies[key]

    def row(self, number: int, cells: dict[str, Any], notes: list[tuple[str, Any]]) -> None:
        area = _text(cells.get("goal_area", "")).strip()
        objective = _text(cells.get("objective", "")).strip()
        strategy = _text(cells.get("strategy", "")).strip()
        step_text = _text(cells.get("action_step", ""))
        where = f"row {number}"
        has_step = bool(step_text.strip()) or any(
            _text(cells.get(name, "")).strip()
            for name in cells
            if name not in ("goal_area", "objective", "strategy")
        )
        if not has_step:
            # A row that only names a goal, objective or strategy makes that item.
            if strategy:
                self._strategy(area, objective, strategy)
            elif objective:
                self._objective(area, objective)
            elif area:
                self._area(area)
            for header, value in notes:
                self._note_without_step(where, header, value, area)
            return
        step: dict[str, Any] = {"text": step_text}
        self._strategy(area, objective, strategy)["action_steps"].append(step)
        self.report.count("action step")
        self._fields(step, cells, where)
        kept = [(header, _text(value)) for header, value in notes if _text(value).strip()]
        if kept:
            step.setdefault("reviews", []).append(
                {
                    "date": self.today,
                    "status": step.get("status", "not_started"),
                    "note": "\n".join(f"{header}: {value}" for header, value in kept),
                }
            )
            for header, value in kept:
                self.report.add(ImportNote(where, header, value, "its action step (a review note)"))

    def _note_without_step(self, where: str, header: str, value: Any, area: str) -> None:
        text = _text(value)
        if not text.strip():
            return
        record = self._area(area)
        note = f"Not placed on import ({where}, {header}):\n{text}"
        record["description"] = (
            f"{record['description']}\n\n{note}" if record.get("description") else note
        )
        self.report.add(ImportNote(where, header, text, f"the goal area {area or '(untitled)'!r}"))

    def _fields(self, step: dict[str, Any], cells: dict[str, Any], where: str) -> None:
        def unplaced(header: str, value: Any) -> None:
            step.setdefault("_notes", []).append((header, _text(value)))

        for name in ("timeline", "partnerships"):
            if _text(cells.get(name, "")).strip():
                step[name] = _text(cells[name])
        for name in ("start", "end"):
            if _text(cells.get(name, "")).strip():
                day = _date(cells[name])
                if day is None:
                    unplaced(FIELDS[name], cells[name])
                else:
                    step[name] = day
        sources = self.funding.ids(split_entries(cells.get("funding", "")))
        links: list[dict[str, Any]] = [{"source": source} for source in sources]
        if _text(cells.get("amount", "")).strip():
            amounts = _amounts(cells["amount"])
            if amounts and len(amounts) == len(links):
                for link, amount in zip(links, amounts, strict=True):
                    link["amount"] = amount
            else:
                unplaced(FIELDS["amount"], cells["amount"])
        if links:
            step["funding"] = links
        roles = self.roles.ids(split_entries(cells.get("roles", "")))
        if roles:
            step["roles"] = roles
        for name in ("monitoring_implementation", "monitoring_effectiveness"):
            methods = self.methods.ids(split_entries(cells.get(name, "")))
            if methods:
                step[name] = methods
        subgroups = split_entries(cells.get("subgroups", ""))
        if subgroups:
            step["subgroups"] = subgroups
        systems: list[str] = []
        for entry in split_entries(cells.get("systems", "")):
            code = match_choice(entry, SYSTEMS)
            if code is None:
                unplaced(FIELDS["systems"], entry)
            elif code not in systems:
                systems.append(code)
        if systems:
            step["systems"] = systems
        evidence = _text(cells.get("evidence_level", "")).strip()
        if evidence:
            code = match_choice(evidence, EVIDENCE_LEVELS) or _tier(evidence)
            if code is None:
                unplaced(FIELDS["evidence_level"], evidence)
            else:
                step["evidence_level"] = code
        status = _text(cells.get("status", "")).strip()
        if status:
            code = match_choice(status, STEP_STATUSES)
            if code is None:
                unplaced(FIELDS["status"], status)
            else:
                step["status"] = code
        for header, value in step.pop("_notes", []):
            step.setdefault("reviews", []).append(
                {"date": self.today, "status": step.get("status", "not_started"),
                 "note": f"{header}: {value}"}
            )  # fmt: skip
            self.report.add(ImportNote(where, header, value, "its action step (a review note)"))

    def document(self, title: str) -> dict[str, Any]:
        document: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "plan": {"title": title},
        }
        for name, catalog in (
            ("funding_sources", self.funding),
            ("roles", self.roles),
            ("monitoring_methods", self.methods),
        ):
            if catalog.entries:
                document[name] = catalog.entries
        if self.areas:
            document["goal_areas"] = list(self.areas.values())
        return document


def _tier(text: str) -> str | None:
    key = label_key(text.replace("tier", " tier ").replace("Tier", " tier "))
    digits = [char for char in text if char.isdigit()]
    if "tier" in key and len(digits) == 1:
        return _TIERS.get(digits[0])
    return None


def build_document(
    table: Table,
    mapping: dict[int, str],
    source: str,
    title: str,
    existing: dict[str, Any] | None = None,
) -> ImportResult:
    """Rows to an interchange document; `existing` (an interchange document) lends its catalogs."""
    builder = _Builder(source, existing)
    unknown = [
        table.headers[i] if i < len(table.headers) else "" for i, f in mapping.items() if f == NOTE
    ]
    for header in unknown:
        if header.strip():
            builder.report.add(
                ImportNote("header", header, "column not recognised", "each row's action step")
            )
    for number, cells in table.rows:
        fields: dict[str, Any] = {}
        notes: list[tuple[str, Any]] = []
        for index, value in enumerate(cells):
            name = mapping.get(index, NOTE)
            header = table.headers[index] if index < len(table.headers) else f"column {index + 1}"
            if name == NOTE:
                notes.append((header or f"column {index + 1}", value))
            elif name in fields and _text(value).strip():
                notes.append((header, value))
            else:
                fields[name] = value
        builder.row(number, fields, notes)
    return ImportResult(builder.document(title), builder.report)


def read_spreadsheet(
    path: Path, mapping: dict[str, str] | None = None, existing: dict[str, Any] | None = None
) -> ImportResult:
    """Read a .xlsx or .csv list of action steps; `mapping` (header → field) overrides the guess."""
    table = read_table(path)
    columns = guess_columns(table.headers)
    if mapping:
        for index, header in enumerate(table.headers):
            if header in mapping:
                if mapping[header] not in FIELDS:
                    raise ImportRefused(
                        f"there is no field {mapping[header]!r} to map {header!r} to"
                    )
                columns[index] = mapping[header]
    return build_document(table, columns, path.name, path.stem, existing)


def headers_and_guess(path: Path) -> tuple[Table, dict[int, str]]:
    """For the window's column-mapping step: the table and the guess it starts from."""
    table = read_table(path)
    return table, guess_columns(table.headers)


def rows_preview(table: Table, count: int = 5) -> Iterator[list[str]]:
    for _number, cells in table.rows[:count]:
        yield [_text(value) for value in cells]
