"""A DIP written in the state's layout by another program (python-docx here), with the variations
in labels and checkboxes that real plans have, read into a plan."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from planstudio.importers import ImportRefused, import_file
from planstudio.model import PlanDocument

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
W14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'


def _table(document, rows):
    table = document.add_table(rows=0, cols=2)
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        lines = value if isinstance(value, list) else [value]
        cells[1].text = lines[0] if lines else ""
        for line in lines[1:]:
            cells[1].add_paragraph(line)
    return table


def _content_control_box(cell, checked: bool, text: str) -> None:
    """A Word 2010 checkbox content control (w14:checkbox) followed by its label."""
    paragraph = cell.add_paragraph()
    glyph = "☒" if checked else "☐"
    paragraph._p.append(parse_xml(
        f'<w:sdt {W} {W14}><w:sdtPr><w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
        '</w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>'
        f'{"☐" if checked else glyph}</w:t></w:r></w:sdtContent></w:sdt>'
    ))  # fmt: skip
    paragraph.add_run(f" {text}")


def _legacy_box(cell, checked: bool, text: str) -> None:
    """A legacy form-field checkbox (w:ffData/w:checkBox) followed by its label."""
    paragraph = cell.add_paragraph()
    state = "<w:checked/>" if checked else '<w:default w:val="0"/>'
    paragraph._p.append(parse_xml(
        f'<w:r {W}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/>'
        f"<w:checkBox><w:sizeAuto/>{state}</w:checkBox></w:ffData></w:fldChar></w:r>"
    ))  # fmt: skip
    paragraph._p.append(parse_xml(f"<w:r {W}><w:instrText> FORMCHECKBOX </w:instrText></w:r>"))
    paragraph._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'))
    paragraph.add_run(f" {text}")


def _state_dip(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("District Improvement Plan", style="Title")
    document.add_paragraph("FY 2025")
    document.add_heading("1. General Improvement Plan Information", 1)
    general = _table(document, [
        ("District Name:", "Peach County Schools"),
        ("Team Lead", "Dr. A. Rivers"),
        ("Federal Funding Options to Be Employed (SWP Schools) in this Plan (Select all that "
         "apply)",
         []),
        ("Transfer Title II, Part A to:", "Title I, Part A"),
        ("Cumulative Percentage of Allocation to be Transferred to the Selected Grant(s)", "25 %"),
        ("Transfer Title IV, Part A to:", "NO FUNDS TRANSFERRED"),
        ("Cumulative Percentage of Allocation to be Transferred to the Selected Grant(s)", "NA"),
        ("Factor(s) Used by District to Identify Students in Poverty (Select all that apply)", []),
    ])  # fmt: skip
    options = general.rows[2].cells[1]
    _content_control_box(
        options, True, "Traditional funding (all Federal funds budgeted separately)"
    )
    _content_control_box(options, False, "Consolidated funds (state/local and federal funds "
                         "consolidated) - Cohort systems ONLY")  # fmt: skip
    _legacy_box(options, True, "'FUND 400' - Consolidation of Federal funds only")
    factors = general.rows[7].cells[1]
    factors.add_paragraph("[X] Free/Reduced meal application")
    factors.add_paragraph("[ ] Community Eligibility Program (CEP) - Direct Certification ONLY")
    factors.add_paragraph("X Other (if selected, please describe below)")
    factors.add_paragraph("Homeless liaison counts")
    document.add_heading("2. ED-Flex Waiver", 1)
    _table(document, [("Do you need a waiver?", ["☐ Yes ☒ No"])])
    document.add_heading("3. District Improvement Goals", 1)
    document.add_heading("3.1 Overarching Need No. 1", 2)
    _table(document, [
        ("Overarching Need as identified in CNA Section 3.2:", "Early literacy"),
        ("Is Need #1 also an Equity Gap?", "Yes"),
        ("Root Cause No. 1", "Tier 1 instruction varies"),
        ("Root Cause #2", "Few reading coaches"),
        ("GOAL", "Raise 3rd grade reading to 70%"),
    ])  # fmt: skip
    _table(document, [
        ("Equity Gap", "Students with disabilities trail peers"),
        ("Content Area(s)", ["ELA", "Reading"]),
        ("Grade Level Span(s)", "K; 1; 2; 3"),
        ("Subgroup(s)", "Students with Disabilities"),
        ("Equity Interventions", "Co-teaching"),
    ])  # fmt: skip
    document.add_heading("Action Step No. 1", 3)
    _table(document, [
        ("Action Step", ["Hire two reading coaches", "for the K-3 schools"]),
        ("Funding Source(s)", ["Title I, Part A", "IDEA"]),
        ("Subgroups", "All Students"),
        ("System(s)", "Professional Capacity; Coherent Instruction"),
        ("Method for Monitoring Implementation", "Coaching logs"),
        ("Method for Monitoring Effectiveness", "DIBELS growth"),
        ("Position/Role Responsible", ["Director of Curriculum", "Principals"]),
        ("Evidence-Based Indicator", "Moderate"),
        ("Timeline for Implementation", "August 2024 - May 2025"),
        ("Does this action step support the selected equity intervention?", "Yes"),
        ("What partnerships, if any, with IHEs, business, Non-Profits ... this action step(s)?",
         "Georgia State University"),
        ("Budget notes", "Two positions at $85,000"),
    ])  # fmt: skip
    # A second step whose heading is a row across the table, as some districts' forms have.
    step_two = document.add_table(rows=1, cols=2)
    merged = step_two.rows[0].cells[0].merge(step_two.rows[0].cells[1])
    merged.text = "Action Step # 2"
    for label, value in (
        ("Action Step", "Family literacy nights"),
        ("Funding Sources", "title I part A"),
        ("Position / Role Responsible", "principals"),
        ("Method for Monitoring Implementation", "coaching logs"),
        ("Evidence Based Indicator", "Demonstrates a Rationale"),
    ):
        cells = step_two.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.save(str(path))
    return path


def test_state_layout_with_variations(tmp_path: Path) -> None:
    result = import_file(_state_dip(tmp_path / "peach.docx"))
    document = result.document
    plan = document["plan"]
    assert plan["organization"] == "Peach County Schools"
    assert plan["team_lead"] == "Dr. A. Rivers"
    assert plan["title"] == "District Improvement Plan"
    assert (plan["first_year"], plan["last_year"]) == ("2024-25", "2024-25")
    general = plan["ga_general"]
    assert general["funding_options"] == ["traditional", "fund_400"]
    assert general["title_ii_a_transfer_to"] == "Title I, Part A"
    assert general["title_ii_a_transfer_percent"] == 25
    assert "title_iv_a_transfer_to" not in general
    assert "title_iv_a_transfer_percent" not in general
    assert general["poverty_factors"] == ["free_reduced_application", "other"]
    assert general["poverty_factors_other"] == "Homeless liaison counts"
    assert general["ed_flex_waiver"] is False
    (area,) = document["goal_areas"]
    assert area["need"] == "Early literacy" and area["is_equity_gap"] is True
    assert area["root_causes"] == ["Tier 1 instruction varies", "Few reading coaches"]
    assert area["goal"] == "Raise 3rd grade reading to 70%"
    assert area["equity_gap"] == {
        "description": "Students with disabilities trail peers",
        "content_areas": ["ELA", "Reading"],
        "grade_levels": ["K", "1", "2", "3"],
        "subgroups": ["Students with Disabilities"],
        "interventions": ["Co-teaching"],
    }
    steps = [s for o in area["objectives"] for st in o["strategies"] for s in st["action_steps"]]
    assert [s["text"] for s in steps] == [
        "Hire two reading coaches\nfor the K-3 schools",
        "Family literacy nights",
    ]
    first, second = steps
    assert first["systems"] == ["professional_capacity", "coherent_instruction"]
    assert first["evidence_level"] == "moderate" and second["evidence_level"] == "rationale"
    assert first["timeline"] == "August 2024 - May 2025"
    assert first["supports_equity_intervention"] is True
    assert first["partnerships"] == "Georgia State University"
    # One catalog entry per distinct name, whatever its case and punctuation.
    names = {entry["id"]: entry["name"] for entry in document["funding_sources"]}
    assert sorted(names.values()) == ["IDEA", "Title I, Part A"]
    assert [names[link["source"]] for link in second["funding"]] == ["Title I, Part A"]
    roles = {entry["id"]: entry["title"] for entry in document["roles"]}
    assert sorted(roles.values()) == ["Director of Curriculum", "Principals"]
    assert [roles[r] for r in second["roles"]] == ["Principals"]
    methods = {entry["id"]: entry for entry in document["monitoring_methods"]}
    assert second["monitoring_implementation"] == first["monitoring_implementation"]
    assert methods[first["monitoring_implementation"][0]]["kind"] == "implementation"
    # What fitted no field is kept as a note on the goal area and reported.
    assert "Two positions at $85,000" in area["description"]
    assert [(note.label, note.text) for note in result.report.notes] == [
        ("Budget notes", "Two positions at $85,000")
    ]
    assert "Action Step # 1" in result.report.lines()[0]
    with PlanDocument.from_interchange(document) as made:
        assert made.plan.organization == "Peach County Schools"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (["Yes"], True),
        (["No"], False),
        (["☒ Yes", "☐ No"], True),
        (["[ ] Yes", "[X] No"], False),
        (["(x) Yes  ( ) No"], True),
        ([], None),
    ],
)
def test_equity_gap_answers(tmp_path: Path, cell: list[str], expected: bool | None) -> None:
    document = docx.Document()
    _table(document, [("Overarching Need", "Math"), ("Is Need # 1 also an Equity Gap?", cell)])
    path = tmp_path / "need.docx"
    document.save(str(path))
    (area,) = import_file(path).document["goal_areas"]
    assert area.get("is_equity_gap") is expected


def test_text_that_is_not_a_plan_is_refused(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Minutes of the board meeting")
    path = tmp_path / "minutes.docx"
    document.save(str(path))
    with pytest.raises(ImportRefused, match="does not look like a District Improvement Plan"):
        import_file(path)


def test_long_value_continued_under_a_repeated_label(tmp_path: Path) -> None:
    document = docx.Document()
    _table(document, [("Overarching Need", "Math"), ("Action Step", "")])
    table = document.tables[0]
    row = table.add_row().cells
    row[0].text, row[1].text = "", "A very long action step"
    path = tmp_path / "long.docx"
    document.save(str(path))
    (area,) = import_file(path).document["goal_areas"]
    (step,) = copy.deepcopy(area["objectives"][0]["strategies"][0]["action_steps"])
    assert step["text"] == "A very long action step"


def test_cli_imports_a_word_plan_and_reports_on_stderr(tmp_path: Path, capsys) -> None:
    from planstudio import cli

    source = _state_dip(tmp_path / "peach.docx")
    target = tmp_path / "peach.psplan"
    assert cli.main(["import", str(source), "-o", str(target)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert err[0].startswith("Overarching Need # 1, Action Step # 1: 'Budget notes' not placed")
    assert (
        err[1] == "peach.docx: read 1 goal area, 2 action steps; 1 item not placed (kept as notes)"
    )
    with PlanDocument.open(target, read_only=True) as plan:
        assert plan.plan.organization == "Peach County Schools"
    # The same plan added into an existing one: its goal area and catalogs are made there.
    into = tmp_path / "other.psplan"
    with PlanDocument.from_interchange(
        {"format": "planstudio.plan", "format_version": 1, "plan": {"title": "Other"}}
    ) as plan:
        plan.save_as(into)
    assert cli.main(["import", str(source), "--into", str(into)]) == 0
    assert "added 2 action steps to other.psplan" in capsys.readouterr().err
    with PlanDocument.open(into, read_only=True) as plan:
        (area,) = plan.plan.goal_areas
        assert area.need == "Early literacy" and area.root_causes == [
            "Tier 1 instruction varies",
            "Few reading coaches",
        ]
        assert area.equity_gap_grade_levels == ["K", "1", "2", "3"]
