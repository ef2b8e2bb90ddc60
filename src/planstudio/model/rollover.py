"""Next year's plan made from this one: years moved on, unfinished steps carried, amounts cleared.

    with PlanDocument.open(path, read_only=True) as last_year:
        next_year, summary = roll_over(last_year, source_path=path)
        next_year.save_as(target)

The new plan is a new plan (new plan id, never saved, a draft); its items keep
their ids, so the two years' plans can be compared item by item.  A carried
step gets a review dated the first day of the new school year that keeps last
year's last status, percent and note as history; being the latest review, it,
not last year's reviews, is the step's status in the new year.  The new plan
records where it came from in document_info under `rolled_over_from`.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from planstudio.model import interchange
from planstudio.model.entities import DocumentInfo
from planstudio.model.vocabulary import PHASES, STEP_STATUSES, school_years

ROLLED_OVER_FROM = "rolled_over_from"
_LEFT_OUT = ("completed", "discontinued")
# A school year in a title: 2024-25, 2024–2025, 2024/25.
_TITLE_YEAR = re.compile(r"\b(\d{4})([-–/])(\d{4}|\d{2})\b")
_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def next_school_year(year: str) -> str:
    """2024-25 → 2025-26; anything else is returned as it is."""
    match = _SCHOOL_YEAR.match(year or "")
    if match is None:
        return year
    start = int(match.group(1)) + 1
    return f"{start}-{(start + 1) % 100:02d}"


def _title_with_next_years(title: str) -> str:
    def shift(match: re.Match[str]) -> str:
        first, separator, second = int(match.group(1)), match.group(2), match.group(3)
        follows = (
            (first + 1) % 100 == int(second) % 100 if len(second) == 2 else int(second) == first + 1
        )
        if not follows:
            return match.group(0)
        end = first + 2 if len(second) == 4 else (first + 2) % 100
        return (
            f"{first + 1}{separator}{end:02d}"
            if len(second) == 2
            else f"{first + 1}{separator}{end}"
        )

    return _TITLE_YEAR.sub(shift, title)


@dataclass
class RolloverSummary:
    """What the rollover carried, left out and cleared, for the user to read and keep."""

    source: str
    from_years: str
    to_years: str
    carried: dict[str, int] = field(default_factory=dict)  # last status → steps carried
    left_out: list[str] = field(default_factory=list)  # "Completed: <step text>"
    amounts_cleared: int = 0
    allocations_cleared: int = 0
    amounts_kept: bool = False
    measures: int = 0
    targets_ahead: int = 0
    phases_added: int = 0

    def lines(self) -> list[str]:
        carried = sum(self.carried.values())
        by_status = ", ".join(
            f"{n} {STEP_STATUSES.get(status, status or 'no status').lower()}"
            for status, n in self.carried.items()
        )
        out = [
            f"Rolled over {self.source}: "
            f"{self.from_years or 'no years'} → {self.to_years or 'no years'}",
            f"Carried {carried} action step{'s' if carried != 1 else ''}"
            + (f" ({by_status}); last year's status and note kept as a review" if carried else ""),
            f"Left out {len(self.left_out)} action step{'s' if len(self.left_out) != 1 else ''}"
            + (" (completed or discontinued)" if self.left_out else ""),
        ]
        out.extend(f"  left out: {' '.join(text.split())[:100]}" for text in self.left_out)
        if self.amounts_kept:
            out.append("Funding amounts and allocations kept")
        else:
            out.append(
                f"Cleared {self.amounts_cleared} funding amount"
                f"{'s' if self.amounts_cleared != 1 else ''} and {self.allocations_cleared} "
                f"allocation{'s' if self.allocations_cleared != 1 else ''}"
            )
        out.append(
            f"Kept {self.measures} measure{'s' if self.measures != 1 else ''} with baseline, "
            f"past targets and actuals; {self.targets_ahead} target"
            f"{'s' if self.targets_ahead != 1 else ''} for the years ahead"
        )
        if self.phases_added:
            strategies = "strategy" if self.phases_added == 1 else "strategies"
            out.append(f"Gave {self.phases_added} {strategies} a phase for the new last year")
        out.append("The new plan is a draft")
        return out

    def text(self) -> str:
        return "".join(f"{line}\n" for line in self.lines())


def _years_text(plan: dict[str, Any]) -> str:
    first, last = plan.get("first_year", ""), plan.get("last_year", "")
    return f"{first} to {last}" if first and last and first != last else first or last


def _year_start(year: str | None) -> str:
    match = _SCHOOL_YEAR.match(year or "")
    start = int(match.group(1)) if match else dt.date.today().year
    return dt.date(start, 7, 1).isoformat()


def _status_of(step: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The step's own status when set (the user's word now), else its latest review's."""
    reviews = step.get("reviews") or []
    latest = max(reviews, key=lambda review: review.get("date") or "") if reviews else {}
    return step.get("status") or latest.get("status"), latest


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _carry_note(year: str, status: str | None, review: dict[str, Any]) -> str:
    parts = [f"Carried over from {year or 'last year'}."]
    parts.append(f"Last status: {STEP_STATUSES.get(status or '', status or 'none')}")
    if review.get("percent_complete") is not None:
        parts[-1] += f", {_plain(review['percent_complete'])}% complete"
    if review.get("date"):
        parts[-1] += f" ({review['date']})"
    parts[-1] += "."
    if review.get("note"):
        parts.append(f"Note: {review['note']}")
    return "\n".join(parts)


def rolled_over(
    document: dict[str, Any],
    source: str,
    *,
    keep_completed: bool = False,
    keep_amounts: bool = False,
) -> tuple[dict[str, Any], RolloverSummary]:
    """An interchange document moved on one school year, and what was done to get it."""
    new = copy.deepcopy(document)
    plan = new["plan"]
    plan.pop("id", None)
    old_first = plan.get("first_year")
    summary = RolloverSummary(source, _years_text(plan), "", amounts_kept=keep_amounts)
    for key in ("first_year", "last_year"):
        if plan.get(key):
            plan[key] = next_school_year(plan[key])
    plan["title"] = _title_with_next_years(plan.get("title", ""))
    plan["status"] = "draft"
    summary.to_years = _years_text(plan)
    ahead = set(school_years(plan.get("first_year"), plan.get("last_year")))
    new_start = _year_start(plan.get("first_year"))
    if not keep_amounts:
        for entry in new.get("funding_sources", []):
            if entry.pop("allocation", None) is not None:
                summary.allocations_cleared += 1
    for area in new.get("goal_areas", []):
        for objective in area.get("objectives", []):
            for measure in objective.get("measures", []):
                summary.measures += 1
                summary.targets_ahead += sum(
                    1 for target in measure.get("targets", []) if target.get("year") in ahead
                )
            for strategy in objective.get("strategies", []):
                summary.phases_added += _move_phases(strategy, plan.get("last_year"), ahead)
                kept = []
                for step in strategy.get("action_steps", []):
                    status, review = _status_of(step)
                    if status in _LEFT_OUT and not keep_completed:
                        summary.left_out.append(
                            f"{STEP_STATUSES.get(status or '', status)}: {step.get('text', '')}"
                        )
                        continue
                    summary.carried[status or ""] = summary.carried.get(status or "", 0) + 1
                    _carry(step, status, review, old_first or "", new_start)
                    if not keep_amounts:
                        for link in step.get("funding", []):
                            if link.pop("amount", None) is not None:
                                summary.amounts_cleared += 1
                            link.pop("year", None)
                    kept.append(step)
                strategy["action_steps"] = kept
    return new, summary


def _carry(
    step: dict[str, Any], status: str | None, review: dict[str, Any], year: str, start: str
) -> None:
    started = status in ("in_progress", "continue_modify", "completed")
    new_status = "continue_modify" if started else "not_started"
    if status in _LEFT_OUT:
        new_status = status  # kept only because asked: it stays what it was
    step["status"] = new_status
    step.setdefault("reviews", []).append(
        {"date": start, "status": new_status, "note": _carry_note(year, status, review)}
    )


def _move_phases(strategy: dict[str, Any], last_year: str | None, ahead: set[str]) -> int:
    phases = strategy.get("phases") or []
    if not phases or not last_year or any(p.get("year") == last_year for p in phases):
        return 0
    latest = max(phases, key=lambda phase: phase.get("year") or "")
    if latest.get("phase") not in PHASES or not ahead:
        return 0
    phases.append({"year": last_year, "phase": latest["phase"]})
    return 1


def source_record(
    document: dict[str, Any], path: Path | None, revision: int | None
) -> dict[str, Any]:
    """Which plan, and which saved version of it, a rolled-over plan came from."""
    saved: str | None = None
    if path is not None:
        try:
            saved = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).isoformat(
                timespec="seconds"
            )
        except OSError:
            saved = None
    return {
        "plan_id": document["plan"].get("id"),
        "title": document["plan"].get("title", ""),
        "file": path.name if path is not None else None,
        "saved_at": saved,
        "revision": revision,
    }


def populate_rolled_over(document: dict[str, Any], record: dict[str, Any]) -> Any:
    """For `PlanDocument.create`: insert the plan and the record of its origin."""
    interchange.validate(document)

    def populate(session: Session) -> None:
        interchange.insert_plan(session, document)
        session.add(
            DocumentInfo(key=ROLLED_OVER_FROM, value=json.dumps(record, ensure_ascii=False))
        )

    return populate


def read_origin(session: Session) -> dict[str, Any] | None:
    """The `rolled_over_from` record of an open plan, if it has one."""
    info = session.get(DocumentInfo, ROLLED_OVER_FROM)
    if info is None or not info.value:
        return None
    try:
        value = json.loads(info.value)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def roll_over(
    source: Any,
    path: Path | None = None,
    *,
    keep_completed: bool = False,
    keep_amounts: bool = False,
) -> tuple[Any, RolloverSummary]:
    """A new, unsaved PlanDocument for next year made from the open `source` PlanDocument."""
    from planstudio.model.document import PlanDocument

    document = source.snapshot()
    name = path.name if path is not None else source.display_name
    new, summary = rolled_over(
        document, name, keep_completed=keep_completed, keep_amounts=keep_amounts
    )
    record = source_record(document, path, source.revision)
    # The saved version (model/history) the new plan starts from, when the file has versions.
    head = getattr(source, "head_version", None)
    record["version"] = head() if callable(head) else None
    return PlanDocument.create(populate_rolled_over(new, record)), summary
