"""Layout `progress-report`: statuses on a date and measures against targets, in both files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from planstudio import cli
from planstudio.export import build_document, export_plan, snapshot_of
from planstudio.export.document import Grid, Heading, PageBreak
from planstudio.export.layouts.progress_report import latest_status
from planstudio.model import PlanDocument
from tests.export.helpers import body_items, docx_texts
from tests.export.pdf_text import first_missing, normalise, page_texts

AS_OF = dt.date(2026, 3, 1)  # school year 2025-26

PLAN: dict[str, Any] = {
    "format": "planstudio.plan",
    "format_version": 1,
    "plan": {
        "title": "Strategic Plan",
        "organization": "Example County Schools",
        "first_year": "2024-25",
        "last_year": "2027-28",
    },
    "goal_areas": [
        {
            "title": "Literacy",
            "objectives": [
                {
                    "statement": "Read on grade level",
                    "measures": [
                        {
                            "name": "K-2 at benchmark",
                            "unit": "percent",
                            "direction": "increase",
                            "baseline": {"year": "2023-24", "value": 40},
                            "targets": [
                                {"year": "2024-25", "value": 45},
                                {"year": "2025-26", "value": 50},
                                {"year": "2026-27", "value": 55},
                            ],
                            "actuals": [
                                {"year": "2024-25", "value": 46},
                                {"year": "2025-26", "value": 48},
                                {"year": "2026-27", "value": 60},
                            ],
                        },
                        {
                            "name": "K-2 at benchmark",
                            "student_group": "Black",
                            "unit": "percent",
                            "direction": "increase",
                            "targets": [{"year": "2025-26", "value": 40}],
                            "actuals": [{"year": "2025-26", "value": 41.5}],
                        },
                        {"name": "Library visits", "unit": "count"},
                    ],
                    "strategies": [
                        {
                            "text": "Structured literacy",
                            "action_steps": [
                                {
                                    "text": "Train K-2 teachers",
                                    "status": "not_started",
                                    "reviews": [
                                        {"date": "2025-10-01", "status": "in_progress",
                                         "percent_complete": 30, "note": "Cohort 1 trained"},
                                        {"date": "2026-02-15", "status": "completed",
                                         "percent_complete": 100, "note": "All trained"},
                                        {"date": "2026-05-01", "status": "discontinued",
                                         "note": "Later than the report"},
                                    ],
                                },
                                {"text": "Coach new teachers", "status": "in_progress"},
                                {"text": "Buy decodable books"},
                            ],
                        }
                    ],
                }
            ],
        },
        {
            "title": "Attendance",
            "objectives": [
                {
                    "statement": "Fewer absences",
                    "measures": [
                        {
                            "name": "Chronic absence",
                            "unit": "percent",
                            "direction": "decrease",
                            "targets": [{"year": "2025-26", "value": 15}],
                            "actuals": [{"year": "2025-26", "value": 17.5}],
                        }
                    ],
                    "strategies": [
                        {
                            "text": "Attendance teams",
                            "action_steps": [
                                {"text": "Call home", "status": "continue_modify"},
                            ],
                        }
                    ],
                }
            ],
        },
    ],
}  # fmt: skip


@pytest.fixture
def plan() -> Any:
    with PlanDocument.from_interchange(PLAN) as document:
        yield document


def test_latest_status_is_the_last_review_on_or_before_the_date() -> None:
    step = PLAN["goal_areas"][0]["objectives"][0]["strategies"][0]["action_steps"][0]
    assert latest_status(step, AS_OF)[0] == "completed"
    assert latest_status(step, dt.date(2026, 2, 14))[0] == "in_progress"
    assert latest_status(step, dt.date(2026, 5, 1))[0] == "discontinued"
    assert latest_status(step, dt.date(2025, 1, 1)) == ("not_started", {})


def test_document_summary_and_sections(plan: Any) -> None:
    document = build_document(snapshot_of(plan.plan), "progress-report", AS_OF)
    assert document.layout == "progress-report"
    assert document.cover.exported == "Progress as of March 1, 2026"
    blocks = document.blocks
    summary = blocks[: blocks.index(PageBreak())]  # the summary is one page
    grids = [b for b in summary if isinstance(b, Grid)]
    statuses = {row[0][0]: row[1][0] for row in grids[0].rows}
    assert statuses == {
        "Not started": "0", "In progress": "1", "Completed": "1", "Continue/modify": "1",
        "Discontinued": "0", "No status": "1", "Total": "4",
    }  # fmt: skip
    measures = [(row[0][0], row[1][0], row[2][0], row[3][0]) for row in grids[1].rows]
    assert measures == [
        ("1: Literacy", "1", "1", "1"),
        ("2: Attendance", "0", "1", "0"),
        ("Total", "1", "2", "1"),
    ]
    headings = [b.text for b in blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == ["Summary", "Goal Area 1: Literacy", "Goal Area 2: Attendance"]


def _expected_rows() -> list[list[str]]:
    return [
        ["1A.1.a", "Train K-2 teachers", "Completed", "100%", "Feb 15, 2026", "All trained"],
        ["1A.1.b", "Coach new teachers", "In progress"],
        ["1A.1.c", "Buy decodable books", "No status"],
        # As of 2025-26: the 2026-27 actual is not in yet.
        ["1A", "K-2 at benchmark", "All students", "40%", "2025-26", "50%", "48%", "✗ Off track"],
        ["1A", "K-2 at benchmark", "Black", "2025-26", "40%", "41.5%", "✓ On track"],
        ["1A", "Library visits", "All students", "– No data"],
        ["2A.1.a", "Call home", "Continue/modify"],
        ["2A", "Chronic absence", "All students", "2025-26", "15%", "17.5%", "✗ Off track"],
    ]


def _docx_rows(path: Path) -> list[list[str]]:
    rows = []
    for kind, value in body_items(path):
        if kind == "table":
            for row in value[1:]:
                rows.append([line for cell in row for line in cell if line])
    return rows


def test_docx_and_pdf_read_back(plan: Any, tmp_path: Path) -> None:
    docx_path, pdf_path = tmp_path / "report.docx", tmp_path / "report.pdf"
    export_plan(plan.plan, "docx", docx_path, layout="progress-report", exported=AS_OF)
    export_plan(plan.plan, "pdf", pdf_path, layout="progress-report", exported=AS_OF)
    rows = _docx_rows(docx_path)
    for expected in _expected_rows():
        assert expected in rows, (expected, rows)
    assert ["Total", "4"] in rows and ["Total", "1", "2", "1"] in rows
    texts = docx_texts(docx_path)
    assert "Progress as of March 1, 2026 (school year 2025-26)." in texts
    assert "Later than the report" not in texts

    pages = page_texts(pdf_path)
    text = normalise(" ".join(pages))
    assert "Progress as of March 1, 2026" in text
    # The summary fits on one page, the one after the cover.
    summary = normalise(pages[1])
    assert first_missing(summary, ["Summary", "Completed", "1", "Total", "4"]) is None
    assert first_missing(summary, ["1: Literacy", "1", "1", "1", "2: Attendance"]) is None
    assert "Goal Area 1: Literacy" not in summary
    for expected in _expected_rows():
        assert first_missing(text, expected) is None, expected
    assert "Later than the report" not in text


def test_command_line_as_of(plan: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.psplan"
    plan.save_as(path)
    out = tmp_path / "report.docx"
    args = ["export", str(path), "--format", "docx", "--layout", "progress-report", "-o", str(out)]
    assert cli.main([*args, "--as-of", "2025-12-01"]) == 0
    rows = _docx_rows(out)
    assert ["1A.1.a", "Train K-2 teachers", "In progress", "30%", "Oct 1, 2025",
            "Cohort 1 trained"] in rows  # fmt: skip
    assert cli.main([*args, "--as-of", "2025-13-01"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    other = ["export", str(path), "--format", "docx", "--layout", "strategic-plan"]
    assert cli.main([*other, "-o", str(tmp_path / "p.docx"), "--as-of", "2025-12-01"]) == 2
    assert "progress-report" in capsys.readouterr().err
