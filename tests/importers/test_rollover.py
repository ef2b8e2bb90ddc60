"""Next year's plan: years on by one, unfinished steps carried with their history, a draft."""

from __future__ import annotations

import json
from pathlib import Path

from planstudio import cli
from planstudio.model import PlanDocument
from planstudio.model.interchange import to_interchange
from planstudio.model.rollover import ROLLED_OVER_FROM, read_origin, rolled_over


def _plan() -> dict:
    def step(text: str, status: str | None, **rest) -> dict:
        record = {"text": text, **rest}
        if status:
            record["status"] = status
        return record

    return {
        "format": "planstudio.plan",
        "format_version": 1,
        "plan": {
            "id": "plan-2024", "title": "Peach County DIP 2024-25 to 2026-27",
            "first_year": "2024-25", "last_year": "2026-27", "status": "approved",
            "layout": "ga-dip",
        },
        "funding_sources": [{"id": "fs-1", "name": "Title I, Part A", "allocation": 120000}],
        "roles": [{"id": "r-1", "title": "Principal"}],
        "goal_areas": [{
            "title": "Literacy",
            "objectives": [{
                "statement": "Raise reading",
                "measures": [{
                    "name": "Grade 3 proficient", "unit": "percent",
                    "baseline": {"year": "2023-24", "value": 55},
                    "targets": [{"year": "2024-25", "value": 60}, {"year": "2025-26", "value": 65},
                                {"year": "2026-27", "value": 70}],
                    "actuals": [{"year": "2024-25", "value": 58}],
                }],
                "strategies": [{
                    "text": "Tutoring",
                    "phases": [{"year": "2024-25", "phase": "initial"},
                               {"year": "2025-26", "phase": "full"}],
                    "action_steps": [
                        step("Hire tutors", "completed",
                             funding=[{"source": "fs-1", "amount": 5000}]),
                        step("Train tutors", "in_progress", roles=["r-1"],
                             funding=[{"source": "fs-1", "amount": 300, "year": "2024-25"}],
                             reviews=[{"date": "2025-03-01", "status": "in_progress",
                                       "percent_complete": 40, "note": "half the staff"}]),
                        step("Buy books", "not_started"),
                        step("Old pilot", None,
                             reviews=[{"date": "2025-01-10", "status": "completed"}]),
                    ],
                }],
            }],
        }],
    }  # fmt: skip


def _steps(document: dict) -> list[dict]:
    return [
        s for a in document["goal_areas"] for o in a["objectives"] for st in o["strategies"]
        for s in st["action_steps"]
    ]  # fmt: skip


def test_rolled_over_document() -> None:
    new, summary = rolled_over(_plan(), "peach.psplan")
    plan = new["plan"]
    assert (plan["first_year"], plan["last_year"]) == ("2025-26", "2027-28")
    assert plan["title"] == "Peach County DIP 2025-26 to 2027-28"
    assert plan["status"] == "draft" and "id" not in plan
    steps = _steps(new)
    assert [s["text"] for s in steps] == ["Train tutors", "Buy books"]
    train, books = steps
    # Last year's reviews stay; a review on the first day of the new year keeps the last status
    # and note as history and is the latest, so it is the step's status this year.
    assert train["reviews"][0]["note"] == "half the staff"
    carried = train["reviews"][-1]
    assert carried["date"] == "2025-07-01" and carried["status"] == "continue_modify"
    assert "In progress, 40% complete" in carried["note"] and "half the staff" in carried["note"]
    assert books["status"] == "not_started" and books["reviews"][-1]["status"] == "not_started"
    # Amounts and allocations are cleared, links kept.
    assert train["funding"] == [{"source": "fs-1"}]
    assert "allocation" not in new["funding_sources"][0]
    assert new["roles"] == _plan()["roles"]
    measure = new["goal_areas"][0]["objectives"][0]["measures"][0]
    assert measure == _plan()["goal_areas"][0]["objectives"][0]["measures"][0]
    phases = new["goal_areas"][0]["objectives"][0]["strategies"][0]["phases"]
    assert phases[-1] == {"year": "2027-28", "phase": "full"}
    assert summary.carried == {"in_progress": 1, "not_started": 1}
    assert len(summary.left_out) == 2 and summary.amounts_cleared == 1
    assert summary.allocations_cleared == 1 and summary.targets_ahead == 2
    text = summary.text()
    assert (
        "2024-25 to 2026-27 → 2025-26 to 2027-28" in text
        and "left out: Completed: Hire tutors" in text
    )


def test_keep_completed_and_amounts() -> None:
    new, summary = rolled_over(_plan(), "peach.psplan", keep_completed=True, keep_amounts=True)
    steps = _steps(new)
    assert len(steps) == 4 and steps[0]["status"] == "completed"
    assert steps[0]["funding"] == [{"source": "fs-1", "amount": 5000}]
    assert new["funding_sources"][0]["allocation"] == 120000
    assert summary.left_out == [] and summary.amounts_kept


def test_cli_rollover_records_where_it_came_from(tmp_path: Path, capsys) -> None:
    source = tmp_path / "peach.psplan"
    with PlanDocument.from_interchange(_plan()) as plan:
        plan.save_as(source)
    target = tmp_path / "next.psplan"
    summary_file = tmp_path / "summary.txt"
    args = ["rollover", str(source), "-o", str(target), "--summary", str(summary_file)]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("Rolled over peach.psplan") and summary_file.read_text() == out
    with PlanDocument.open(target, read_only=True) as plan:
        origin = read_origin(plan.session)
        assert origin is not None
        assert origin["plan_id"] == "plan-2024" and origin["file"] == "peach.psplan"
        assert origin["title"] == "Peach County DIP 2024-25 to 2026-27" and origin["saved_at"]
        assert origin["version"] is not None
        document = to_interchange(plan.plan)
        assert document["plan"]["id"] != "plan-2024"
        assert len(_steps(document)) == 2
    # The source is untouched, and a second rollover to the same name is refused.
    with PlanDocument.open(source, read_only=True) as plan:
        assert len(_steps(to_interchange(plan.plan))) == 4
    assert cli.main(args) == cli.EXIT_ERROR
    assert "already exists" in capsys.readouterr().err
    assert ROLLED_OVER_FROM == "rolled_over_from"
    json.dumps(origin)
