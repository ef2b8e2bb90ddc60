"""What every layout prints the same way: the cover, numbers with units, dates, lists.

Layouts read only the interchange snapshot (`to_interchange`), a plain dict in
which an absent key means an empty field.  Nothing here invents a value: an
empty field becomes an empty string or an empty tuple, which writers print as
an empty cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from planstudio.export.document import Cover, clean_text
from planstudio.model.formatting import with_unit, year_span
from planstudio.model.vocabulary import LAYOUTS, PLAN_STATUSES

# English month names from a table rather than strftime, whose names follow the locale:
# a plan printed in Atlanta must not say "août" because the machine is set to French.
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

DEFAULT_LEVEL_LABELS = ("Goal Area", "Objective", "Strategy", "Action Step")


@dataclass(frozen=True)
class LayoutOptions:
    """How a layout prints what the plan holds, where a district may choose (the export's
    caller passes them; a layout ignores the options it has no use for)."""

    # A measure entered for several student groups prints as one table; with this, also
    # as one chart of small multiples (a panel per group), else as the table alone.
    group_charts: bool = True


def text(value: Any) -> str:
    """A typed text as it prints: exactly as typed, less what no file format can hold."""
    if value is None:
        return ""
    return clean_text(value if isinstance(value, str) else str(value))


def lines(value: Any) -> tuple[str, ...]:
    """One cell line for a typed text, none for an empty one (an empty cell)."""
    cleaned = text(value)
    return (cleaned,) if cleaned else ()


def many(values: Iterable[Any]) -> tuple[str, ...]:
    """A list's entries, one line each, in plan order; empty entries are left out."""
    return tuple(cleaned for cleaned in (text(value) for value in values) if cleaned)


def yes_no(value: bool | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return ("Yes",) if value else ("No",)


def long_date(day: dt.date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def short_date(iso: str | None) -> str:
    """2024-08-12 → Aug 12, 2024; a date that does not parse prints as stored."""
    if not iso:
        return ""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return text(iso)
    return f"{_MONTHS[day.month - 1][:3]} {day.day}, {day.year}"


def years_text(plan: Mapping[str, Any]) -> str:
    return year_span(text(plan.get("first_year")), text(plan.get("last_year")))


# ---------------------------------------------------------------------------- numbers


def point_lines(point: Mapping[str, Any] | None, unit: str | None) -> tuple[str, ...]:
    """A baseline, target or actual: its value with unit, then its note as written."""
    if not point:
        return ()
    return tuple(
        line for line in (with_unit(point.get("value"), unit), text(point.get("note"))) if line
    )


# ---------------------------------------------------------------------------- catalogs


class Catalog:
    """The plan's funding sources, roles and monitoring methods, looked up by id."""

    def __init__(self, snapshot: Mapping[str, Any]) -> None:
        self.sources = {s["id"]: s for s in snapshot.get("funding_sources", ())}
        self.roles = {r["id"]: r for r in snapshot.get("roles", ())}
        self.methods = {m["id"]: m for m in snapshot.get("monitoring_methods", ())}
        # Names are cleaned once: a 4,000-step plan names the same few sources thousands of times.
        self._source_names = {key: text(s.get("name")) for key, s in self.sources.items()}
        self._role_titles = {key: text(r.get("title")) for key, r in self.roles.items()}
        self._method_texts = {key: text(m.get("text")) for key, m in self.methods.items()}

    def funding(self, step: Mapping[str, Any]) -> tuple[str, ...]:
        names: list[str] = []
        for link in step.get("funding", ()):
            name = self._source_names.get(link.get("source"), "")
            # A source funded in two years is one funding source on paper.
            if name and name not in names:
                names.append(name)
        return tuple(names)

    def roles_of(self, step: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(
            title for title in (self._role_titles.get(ref, "") for ref in step.get("roles", ()))
            if title
        )  # fmt: skip

    def methods_of(self, refs: Iterable[str]) -> tuple[str, ...]:
        return tuple(
            method for method in (self._method_texts.get(ref, "") for ref in refs) if method
        )


# ---------------------------------------------------------------------------- common parts


def level_labels(plan: Mapping[str, Any]) -> tuple[str, str, str, str]:
    labels = plan.get("level_labels") or DEFAULT_LEVEL_LABELS
    if len(labels) != 4:
        labels = DEFAULT_LEVEL_LABELS
    return tuple(text(label) for label in labels)  # type: ignore[return-value]


def is_draft(plan: Mapping[str, Any]) -> bool:
    # Only a plan marked draft is stamped DRAFT: a plan with no status at all (an imported
    # published plan, say) has never been called a draft, and the layout does not invent one.
    return plan.get("status") == "draft"


def cover(plan: Mapping[str, Any], exported: dt.date) -> Cover:
    status = plan.get("status")
    shown = PLAN_STATUSES.get(status, "") if status and status != "approved" else ""
    return Cover(
        title=text(plan.get("title")),
        organization=text(plan.get("organization")),
        years=years_text(plan),
        status=shown,
        exported=f"Exported {long_date(exported)}",
    )


def header_text(plan: Mapping[str, Any]) -> str:
    organization, title = text(plan.get("organization")), text(plan.get("title"))
    return " — ".join(part for part in (organization, title) if part)


def metadata(plan: Mapping[str, Any], layout: str) -> dict[str, str]:
    return {
        "title": text(plan.get("title")),
        "subject": LAYOUTS.get(layout, layout),
        "organization": text(plan.get("organization")),
        "creator": "Plan Studio",
    }


def timeline(step: Mapping[str, Any]) -> tuple[str, ...]:
    """The timeline as typed; only when none was typed, the step's start and end dates."""
    typed = lines(step.get("timeline"))
    if typed:
        return typed
    start, end = short_date(step.get("start")), short_date(step.get("end"))
    if start and end:
        return (f"{start} – {end}",)
    if start or end:
        return (f"{start} –" if start else f"– {end}",)
    return ()
