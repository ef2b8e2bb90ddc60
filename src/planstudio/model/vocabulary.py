"""What the coded values of a plan are called on screen and on paper.

The schema stores `coherent_instruction`; the Georgia DIP prints "Coherent
Instruction".  Editors, panels and exporters all take the words from here.
"""

from __future__ import annotations

import re

EVIDENCE_LEVELS: dict[str, str] = {
    "strong": "Strong",
    "moderate": "Moderate",
    "promising": "Promising",
    "rationale": "Demonstrates a Rationale",
    "none": "None",
}

SYSTEMS: dict[str, str] = {
    "coherent_instruction": "Coherent Instruction",
    "effective_leadership": "Effective Leadership",
    "professional_capacity": "Professional Capacity",
    "family_community_engagement": "Family and Community Engagement",
    "supportive_learning_environment": "Supportive Learning Environment",
}

PHASES: dict[str, str] = {
    "planning": "Planning",
    "initial": "Initial",
    "full": "Full",
    "sustained": "Sustained",
}

STEP_STATUSES: dict[str, str] = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "completed": "Completed",
    "continue_modify": "Continue/modify",
    "discontinued": "Discontinued",
}

PLAN_STATUSES: dict[str, str] = {
    "draft": "Draft",
    "in_review": "In review",
    "approved": "Approved",
    "submitted": "Submitted",
}

# The one list of layouts. A plan is written for a plan layout (the schema's enum for
# `plan.layout`), which decides its checks and its default export; a report layout is a view
# an export prints of any plan, so no plan is written for it and the schema does not know it.
PLAN_LAYOUTS: dict[str, str] = {
    "ga-dip": "Georgia District Improvement Plan",
    "strategic-plan": "Strategic Plan",
}
REPORT_LAYOUTS: dict[str, str] = {
    "progress-report": "Progress Report",
}
EXPORT_LAYOUTS: dict[str, str] = {**PLAN_LAYOUTS, **REPORT_LAYOUTS}
# The older name of PLAN_LAYOUTS, still read by ui/ and export/layouts/common.py; drop it once
# they say PLAN_LAYOUTS.
LAYOUTS = PLAN_LAYOUTS

FUNDING_KINDS: dict[str, str] = {
    "federal": "Federal",
    "state": "State",
    "local": "Local",
    "grant": "Grant",
    "other": "Other",
}

MONITORING_KINDS: dict[str, str] = {
    "implementation": "Implementation",
    "effectiveness": "Effectiveness",
    "both": "Both",
}

MEASURE_UNITS: dict[str, str] = {
    "percent": "Percent",
    "count": "Count",
    "points": "Points",
    "rate": "Rate",
    "dollars": "Dollars",
    "other": "Other",
}

DIRECTIONS: dict[str, str] = {
    "increase": "Increase",
    "decrease": "Decrease",
    "maintain": "Maintain",
}

FUNDING_OPTIONS: dict[str, str] = {
    "traditional": "Traditional funding (all Federal funds budgeted separately)",
    "consolidated": (
        "Consolidated funds (state/local and federal funds consolidated) - Cohort systems ONLY"
    ),
    "fund_400": "'FUND 400' - Consolidation of Federal funds only",
}

POVERTY_FACTORS: dict[str, str] = {
    "free_reduced_application": "Free/Reduced meal application",
    "cep_direct_certification": "Community Eligibility Program (CEP) - Direct Certification ONLY",
    "other": "Other (if selected, please describe below)",
}

GRADE_LEVELS = ("PK", "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")

# Offered for subgroups; users may type others (an entry such as "N/A" counts too).
STUDENT_GROUPS = (
    "All Students",
    "American Indian",
    "Asian",
    "Black",
    "Hispanic",
    "Two or More",
    "White",
    "Multilingual/English Learners",
    "Students with Disabilities",
    "Economically Disadvantaged",
    "Foster",
    "Homeless",
    "Migrant",
    "N/A",
)

_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def school_years(first: str | None, last: str | None) -> list[str]:
    """Every school year from first to last, e.g. 2024-25 … 2028-29 (empty when unknown)."""
    if not first or not last:
        return []
    start, end = _SCHOOL_YEAR.match(first), _SCHOOL_YEAR.match(last)
    if start is None or end is None:
        return []
    first_year, last_year = int(start.group(1)), int(end.group(1))
    if last_year < first_year or last_year - first_year > 50:
        return []
    return [f"{year}-{(year + 1) % 100:02d}" for year in range(first_year, last_year + 1)]
