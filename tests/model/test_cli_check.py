"""`planstudio check`: one line per finding with its place; exit 0 none, 1 some, 2 error."""

from __future__ import annotations

import json
from pathlib import Path

from planstudio.cli import main

SOUND = {
    "format": "planstudio.plan",
    "format_version": 1,
    "plan": {"title": "Sound", "layout": "strategic-plan", "first_year": "2024-25",
             "last_year": "2025-26"},
    "goal_areas": [{"title": "Literacy", "objectives": [{
        "statement": "Read by grade 3",
        "measures": [{"name": "% proficient", "unit": "percent", "direction": "increase",
                      "baseline": {"year": "2023-24", "value": 40},
                      "targets": [{"year": "2024-25", "value": 45},
                                  {"year": "2025-26", "value": 50}]}],
        "strategies": [{"text": "Tutoring", "action_steps": [{"text": "Hire tutors"}]}],
    }]}],
}  # fmt: skip


def _plan(tmp_path: Path, document: dict) -> Path:
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "plan.psplan"
    assert main(["import", str(source), "-o", str(target)]) == 0
    return target


def test_a_sound_plan_has_nothing_to_report(tmp_path: Path, capsys) -> None:
    plan = _plan(tmp_path, SOUND)
    assert main(["check", str(plan)]) == 0
    assert capsys.readouterr().out == ""


def test_findings_are_one_line_each_with_their_place(tmp_path: Path, capsys) -> None:
    broken = json.loads(json.dumps(SOUND))
    objective = broken["goal_areas"][0]["objectives"][0]
    objective["measures"][0]["targets"][1]["value"] = 30  # against the direction
    objective["strategies"].append({"text": "Nothing under it"})
    plan = _plan(tmp_path, broken)
    assert main(["check", str(plan)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("Strategy 1A.2:") for line in lines), lines
    assert any("1A" in line and "direction" in line.lower() for line in lines), lines
    assert main(["check", str(plan), "--layout", "ga-dip"]) == 1
    assert len(capsys.readouterr().out.splitlines()) > len(lines)


def test_check_errors_are_one_line_with_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["check", str(tmp_path / "missing.psplan")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    plan = _plan(tmp_path, SOUND)
    assert main(["check", str(plan), "--layout", "gadip"]) == 2
    assert "invalid choice" in capsys.readouterr().err
