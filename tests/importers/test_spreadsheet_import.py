"""Action steps from .xlsx and .csv: headers recognised however they are named and ordered."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from planstudio import cli
from planstudio.importers import import_file
from planstudio.importers.into import operations_to_add
from planstudio.importers.spreadsheet import FIELDS, NOTE, guess_columns, read_spreadsheet
from planstudio.model import PlanDocument
from planstudio.model.interchange import to_interchange

# Renamed, shuffled, and with columns no field takes ("Room", "Comments").
HEADERS = [
    "Room", "Strategy", "Goal Area", "Activity", "Person(s) Responsible", "Funding Source(s)",
    "Amount ($)", "ESSA Evidence Tier", "Objective", "Timeline", "Comments",
]  # fmt: skip
ROWS = [
    ["101", "Tutoring", "Literacy", "Hire tutors", "Principal; Reading Coach",
     "Title I, Part A; IDEA", "5000; 2000", "Tier 2", "Raise reading", "Fall 2025", "urgent"],
    ["", "tutoring ", "LITERACY", "Train tutors", "principal", "title i part a", "300",
     "Strong", "Raise reading.", "Sept", ""],
    ["", "Family nights", "Literacy", "Host four nights", "Family Engagement Coordinator",
     "Title I Part A", "", "Promising", "Raise reading", "Monthly", ""],
    ["", "", "", "", "", "", "", "", "", "", ""],
    ["", "Attendance", "Climate", "Call home", "Counselors", "", "", "", "Cut absences",
     "Daily", ""],
]  # fmt: skip


def _xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Peach County action steps FY26"])  # a title row above the header
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append([int(v) if v.isdigit() else v for v in row])
    workbook.save(path)
    return path


def _csv(path: Path, delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)
    return path


MAKERS = {"xlsx": lambda p: _xlsx(p / "steps.xlsx"), "csv": lambda p: _csv(p / "steps.csv"),
          "semicolon csv": lambda p: _csv(p / "steps.csv", ";")}  # fmt: skip


def test_headers_are_guessed() -> None:
    guess = guess_columns(HEADERS)
    assert [guess[i] for i in range(len(HEADERS))] == [
        NOTE, "strategy", "goal_area", "action_step", "roles", "funding", "amount",
        "evidence_level", "objective", "timeline", NOTE,
    ]  # fmt: skip
    assert set(guess.values()) <= set(FIELDS)


@pytest.mark.parametrize("kind", MAKERS)
def test_rows_share_items_and_split_funding(tmp_path: Path, kind: str) -> None:
    result = import_file(MAKERS[kind](tmp_path))
    document = result.document
    areas = document["goal_areas"]
    assert [a["title"] for a in areas] == ["Literacy", "Climate"]
    (objective,) = areas[0]["objectives"]
    assert [s["text"] for s in objective["strategies"]] == ["Tutoring", "Family nights"]
    tutoring = objective["strategies"][0]["action_steps"]
    assert [s["text"] for s in tutoring] == ["Hire tutors", "Train tutors"]
    sources = {e["id"]: e["name"] for e in document["funding_sources"]}
    assert sorted(sources.values()) == ["IDEA", "Title I, Part A"]
    hire = tutoring[0]
    assert [(sources[f["source"]], f.get("amount")) for f in hire["funding"]] == [
        ("Title I, Part A", 5000), ("IDEA", 2000)
    ]  # fmt: skip
    roles = {e["id"]: e["title"] for e in document["roles"]}
    assert [roles[r] for r in hire["roles"]] == ["Principal", "Reading Coach"]
    assert [roles[r] for r in tutoring[1]["roles"]] == ["Principal"]
    assert hire["evidence_level"] == "moderate" and hire["timeline"] == "Fall 2025"
    # Unknown columns are kept as notes on the row's step and reported.
    assert (
        "Room: 101" in hire["reviews"][0]["note"]
        and "Comments: urgent" in hire["reviews"][0]["note"]
    )
    assert "reviews" not in tutoring[1]
    reported = result.report.lines()
    assert any("'Room'" in line and "column not recognised" in line for line in reported)
    assert any("'Comments'" in line for line in reported)
    steps = sum(
        len(s["action_steps"]) for a in areas for o in a["objectives"] for s in o["strategies"]
    )
    assert steps == 4
    with PlanDocument.from_interchange(document):
        pass


def test_a_mapping_overrides_the_guess(tmp_path: Path) -> None:
    path = _csv(tmp_path / "steps.csv")
    result = read_spreadsheet(path, {"Room": "partnerships", "Timeline": NOTE})
    step = result.document["goal_areas"][0]["objectives"][0]["strategies"][0]["action_steps"][0]
    assert step["partnerships"] == "101"
    assert "timeline" not in step and "Timeline: Fall 2025" in step["reviews"][0]["note"]


def test_into_adds_as_operations_that_undo_together(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.psplan"
    with PlanDocument.from_interchange(
        {"format": "planstudio.plan", "format_version": 1, "plan": {"title": "Plan"}}
    ) as plan:
        plan.save_as(plan_file)
    assert cli.main(["import", str(_xlsx(tmp_path / "a.xlsx")), "--into", str(plan_file)]) == 0
    with PlanDocument.open(plan_file) as plan:
        before = to_interchange(plan.plan)
        existing = plan.snapshot()
        result = read_spreadsheet(_csv(tmp_path / "b.csv"), existing=existing)
        operations = operations_to_add(result.document, existing)
        applied = [plan.apply(op) for op in operations]
        after = to_interchange(plan.plan)
        # The same names: no second "Title I, Part A", no second "Literacy".
        assert len(after["funding_sources"]) == len(before["funding_sources"]) == 2
        assert [a["title"] for a in after["goal_areas"]] == ["Literacy", "Climate"]
        count = lambda d: sum(  # noqa: E731
            len(s["action_steps"]) for a in d["goal_areas"] for o in a["objectives"]
            for s in o["strategies"]
        )  # fmt: skip
        assert count(after) == 2 * count(before) == 8
        for done in reversed(applied):
            plan.apply(done.inverse)
        assert json.dumps(to_interchange(plan.plan), sort_keys=True) == json.dumps(
            before, sort_keys=True
        )


def test_cli_import_reports_on_stderr(tmp_path: Path, capsys) -> None:
    target = tmp_path / "new.psplan"
    assert cli.main(["import", str(_csv(tmp_path / "s.csv")), "-o", str(target)]) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert captured.out == ""
    assert lines[-1].endswith("4 items not placed (kept as notes)")
    assert "4 action steps" in lines[-1]
    with PlanDocument.open(target, read_only=True) as plan:
        assert len(plan.plan.goal_areas) == 2


def test_cli_refuses_both_or_neither_target(tmp_path: Path, capsys) -> None:
    path = _csv(tmp_path / "s.csv")
    assert cli.main(["import", str(path)]) == cli.EXIT_ERROR
    assert "either -o" in capsys.readouterr().err
