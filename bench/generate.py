"""Generate synthetic Plan Studio plans in the interchange form (plan.schema.json).

The output feeds benchmarks and round-trip tests, so it has to be:

- deterministic: one seeded ``random.Random`` drives every choice, and nothing depends on
  hash order, the clock or the locale, so the same size and seed give the same bytes;
- realistic: education-plan prose of the length real plans have (a single action step can run
  to 150 words), so layout, wrapping and search costs resemble a real district's plan;
- canonical: an empty value is never written; the key is left out instead, because the schema
  says absent means empty and ``import`` followed by ``dump`` must give the document back.

Usage::

    python bench/generate.py --size district -o district.json
    python bench/generate.py --size stress --seed 7 -o -
"""

import argparse
import json
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any

_DISTRICT = {
    "goal_areas": 6,
    "objectives": 30,
    "strategies": 100,
    "action_steps": 400,
    "measures": 100,
    "roles": 40,
    "funding_sources": 15,
    "monitoring_methods": 60,
}

SIZES: dict[str, dict[str, int]] = {
    # A mid-sized Georgia district's DIP, roughly what a federal programs director maintains.
    "district": _DISTRICT,
    # Ten times every count: beyond any real plan, to expose quadratic behaviour.
    "stress": {key: 10 * value for key, value in _DISTRICT.items()},
}

FIRST_YEAR = 2024  # the plan runs 2024-25 .. 2029-30
PLAN_YEARS = 6
BASELINE_YEAR = "2023-24"
# The plan is written as if reviewed at the end of its second year, so that statuses, reviews
# and actuals are consistent with each other rather than random.
AS_OF = date(2026, 6, 15)

MIN_WORDS = 20
MAX_WORDS = 150

# ---------------------------------------------------------------------------------------------
# Vocabulary shared by every goal area
# ---------------------------------------------------------------------------------------------

Pool = Sequence[str] | Callable[[Random], str]

_GENERIC_SLOTS: dict[str, Pool] = {
    "frequency": (
        "monthly",
        "quarterly",
        "weekly",
        "each semester",
        "three times a year",
        "after each benchmark window",
        "every six weeks",
    ),
    "term": ("semester", "quarter", "grading period"),
    "team": (
        "school leadership teams",
        "grade-level PLCs",
        "the district data team",
        "content-area departments",
        "the MTSS team",
        "the Title I planning committee",
        "principals and assistant principals",
        "the curriculum and instruction team",
        "the superintendent's cabinet",
    ),
    "leader": (
        "principals",
        "assistant principals",
        "district content coordinators",
        "instructional coaches",
        "the Director of Federal Programs",
        "school improvement specialists",
        "the Assistant Superintendent of Curriculum, Instruction, and Assessment",
    ),
    "school_set": (
        "all Title I schools",
        "the district's CSI and TSI schools",
        "all elementary schools",
        "all middle schools",
        "both high schools",
        "every school in the district",
        "the five schools with the largest achievement gaps",
        "schools identified through the comprehensive needs assessment",
    ),
    "subgroup_phrase": (
        "students with disabilities",
        "English learners",
        "economically disadvantaged students",
        "students experiencing homelessness",
        "migrant students",
        "Black and Hispanic students",
        "students in foster care",
    ),
    "data_system": (
        "the early warning system",
        "Infinite Campus",
        "the district data dashboard",
        "the MTSS data platform",
        "the Statewide Longitudinal Data System",
    ),
    "data": (
        "attendance data",
        "benchmark assessment results",
        "walkthrough data",
        "discipline data",
        "course grades",
        "survey results",
        "coaching log data",
        "common formative assessment results",
    ),
    "season": ("summer", "pre-planning week", "the fall semester", "the spring semester"),
    "org": (
        "the University of Georgia College of Education",
        "Georgia State University",
        "Kennesaw State University",
        "the local technical college",
        "Communities In Schools of Georgia",
        "the regional RESA",
        "the Georgia Department of Education",
        "the county Chamber of Commerce",
        "Boys & Girls Clubs of the county",
        "the public library system",
        "a regional health system",
        "the local United Way",
        "the county Family Connection collaborative",
        "faith-based organizations in the community",
    ),
    "gap": lambda rng: str(rng.randint(8, 28)),
    "pct_lo": lambda rng: str(rng.randint(28, 48)),
    "pct_hi": lambda rng: str(rng.randint(55, 75)),
}

_DESCRIPTION_EXTRA = (
    "It brings curriculum, assessment, professional learning, and intervention together under "
    "one coherent plan.",
    "Objectives, strategies, and action steps in this area were developed with input from "
    "{team}, families, and community members.",
    "The work aligns with the district strategic plan and Georgia's Systems of Continuous "
    "Improvement.",
    "Federal, state, and local funds are braided to support this area in {school_set}.",
    "Each school reflects this area in its own school improvement plan so that district and "
    "school priorities stay aligned.",
    "Progress is reported to the Board of Education each {term} in a public work session.",
    "The area builds on work begun in the previous plan and retires initiatives that did not "
    "show results.",
    "Particular attention is paid to {subgroup_phrase}, whose outcomes lag those of their peers.",
    "Responsibility is shared by district departments and school leaders, with {leader} "
    "coordinating implementation.",
)

_NEED_EXTRA = (
    "The comprehensive needs assessment identified inconsistent Tier 1 practice across "
    "{school_set}.",
    "Stakeholder surveys and focus groups with {team} confirmed this as a priority for the next "
    "five years.",
    "The gap is largest for {subgroup_phrase}, who trail their peers by {gap} percentage points.",
    "Three years of trend data show little movement despite earlier investments.",
    "Results vary widely between schools with similar demographics, which points to differences "
    "in practice rather than in students.",
    "Teacher turnover in high-poverty schools has made it hard to sustain training from one year "
    "to the next.",
    "Principals report that competing initiatives leave little time for coherent follow-through.",
    "Data are collected regularly but are not consistently used to adjust instruction or supports.",
    "Families told us in listening sessions that they want clearer information about how their "
    "children are doing.",
)

_GOAL_EXTRA = (
    "Annual targets are set for each student group so that gaps close while all groups improve.",
    "Progress will be reported to the Board of Education each {term}.",
    "Schools will set aligned targets in their school improvement plans each summer.",
    "Interim measures will be reviewed {frequency} by {team} so that course corrections happen "
    "within the year.",
    "The goal reflects the district's commitment that every student graduates ready for college, "
    "career, and life.",
    "Targets were set using three years of trend data and the growth achieved by similar "
    "districts in Georgia.",
)

_OBJECTIVE_EXTRA = (
    "Annual targets for each year of the plan are listed with the measures below.",
    "Schools will set aligned targets in their school improvement plans.",
    "Results will be disaggregated by student group and reviewed {frequency} by {team}.",
    "Secondary measures track progress for {subgroup_phrase}.",
    "Interim data from {data_system} will show whether the district is on track before "
    "end-of-year results are released.",
    "The objective will be revisited each spring in light of actual results and adjusted if the "
    "trajectory proves unrealistic.",
    "This objective is shared by district departments and school leadership teams.",
)

_STRATEGY_EXTRA = (
    "The strategy is led by {leader} with support from {team}.",
    "Implementation begins in {school_set} and expands as capacity and funding allow.",
    "It responds directly to the root causes identified in the comprehensive needs assessment.",
    "Progress will be monitored {frequency} using both implementation and outcome data.",
    "The district will braid federal, state, and local funds so that the work continues beyond "
    "any single grant.",
    "Schools will align their school improvement plans to this strategy.",
    "This work continues strategies begun in the previous plan that showed early promise.",
    "Particular attention will be paid to {subgroup_phrase}.",
    "{leader} will present an implementation update to the Board of Education each {term}.",
    "Implementation will be phased so that schools can build capacity before the work is taken "
    "to full scale.",
)

# Sentences that fit any action step; professional-learning steps also draw on _PD_EXTRA, so
# that a purchase or a hire is not described with training logistics.
_STEP_EXTRA = (
    "Monitor {data} {frequency} through {data_system}.",
    "{leader} will review implementation {frequency} and report progress to {team}.",
    "Materials and notices will be translated into the home languages of the families served.",
    "Schools identified through the comprehensive needs assessment will be served first.",
    "Supports will be targeted first to {subgroup_phrase}.",
    "The action step will be adjusted mid-year based on {data}.",
    "Funds will pay for salaries, benefits, materials, and contracted services as budgeted in the "
    "consolidated application.",
    "Expenditures will be reviewed against the budget {frequency} by the Federal Programs office.",
    "Equitable services will be provided to participating private school students as required.",
    "Schools will submit evidence of implementation to the district by the end of each {term}.",
    "Purchases will follow district procurement procedures and federal cost principles.",
    "Implementation will be reviewed at the mid-year plan review and adjusted as needed.",
)

_PD_EXTRA = (
    "Coaches will model lessons, co-plan units, and debrief observations with {team}.",
    "Participation will be documented with sign-in sheets, agendas, and coaching logs.",
    "Substitutes will be provided so that teachers can attend sessions during the school day.",
    "Stipends will be paid for sessions held outside the contract day.",
    "Staff hired after the initial training will complete a condensed session within their first "
    "30 days.",
    "Follow-up sessions will be scheduled during {season} to sustain implementation.",
    "Training will be differentiated for new and experienced staff.",
)

_PARTNER_LEAD = (
    "Partner with {org} to {purpose}.",
    "The district will continue its partnership with {org} to {purpose}.",
    "A memorandum of understanding with {org} will be used to {purpose}.",
)

_PARTNER_EXTRA = (
    "The partner has a demonstrated record of success with districts of similar size in the "
    "region.",
    "The partnership is governed by a memorandum of understanding renewed each year.",
    "Services are provided at no cost to families.",
    "The partner will share participation and outcome data with the district {frequency}.",
    "Partner staff complete district background checks and orientation before working with "
    "students.",
    "The district will also work with {org} to align services and avoid duplication.",
    "A district liaison meets with the partner {frequency} to review progress.",
)

_REVIEW_NOTES = (
    "On schedule; all sessions for the semester were delivered.",
    "Sessions moved to the spring because of the testing calendar.",
    "Vendor contract delayed; services began in October.",
    "Two schools have not yet started; principals were contacted.",
    "Attendance at evening sessions was lower than expected; adding a virtual option.",
    "Completed as planned. Continue next year with the second cohort.",
    "Budget amended to shift unspent funds to materials.",
    "Position filled in January after a second posting.",
    "Data review showed strong early gains in participating classrooms.",
    "Scope reduced after the mid-year budget review.",
)

_SUBGROUPS = (
    "Economically Disadvantaged",
    "Students with Disabilities",
    "English Learners",
    "Migrant",
    "Homeless",
    "Foster",
    "Race / Ethnicity / Minority",
    "Gifted",
)

_MEASURE_GROUPS = (
    "Students with Disabilities",
    "English Learners",
    "Economically Disadvantaged",
    "Black",
    "Hispanic",
    "Multiracial",
)

# How each measure group reads inside a sentence.
_GROUP_PHRASES = {
    "Students with Disabilities": "students with disabilities",
    "English Learners": "English learners",
    "Economically Disadvantaged": "economically disadvantaged students",
    "Black": "Black students",
    "Hispanic": "Hispanic students",
    "Multiracial": "multiracial students",
}

_SYSTEMS = (
    "coherent_instruction",
    "effective_leadership",
    "professional_capacity",
    "family_community_engagement",
    "supportive_learning_environment",
)

_INTERVENTIONS = (
    "EI-1 Provide targeted teacher development",
    "EI-2 Strengthen recruitment and retention of effective teachers in high-need schools",
    "EI-3 Expand access to rigorous coursework",
    "EI-4 Provide high-quality tutoring and extended learning time",
    "EI-5 Strengthen family and community engagement",
    "EI-6 Provide wraparound supports for students and families",
)

_FREQUENCY_TIMELINES = (
    "Quarterly",
    "Monthly",
    "Weekly",
    "Ongoing",
    "Each semester",
    "Annually in July",
    "Three times a year (BOY, MOY, EOY)",
    "Pre-planning and post-planning",
    "Monthly during the school year",
)

# Spelled out so that timelines do not depend on the process locale, as strftime("%b") does.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_FIRST_NAMES = (
    "Angela", "Marcus", "Tamika", "David", "Jennifer", "Carlos", "Latoya", "Michael", "Susan",
    "Andre", "Kimberly", "José", "Rachel", "Terrence", "Lauren", "Kevin", "Monique", "Brian",
    "Patricia", "Darnell", "Emily", "Hoang", "Renée", "Jamal", "Christine", "Luis", "Sharon",
    "Derrick", "Amanda", "Zoë",
)  # fmt: skip

_LAST_NAMES = (
    "Whitfield", "Johnson", "Reyes", "Carter", "Nguyen", "Williams", "Holloway", "Patel",
    "Brooks", "Martínez", "Thompson", "Greene", "Okafor", "Sullivan", "Washington", "Kim",
    "Franklin", "Dubois", "Hernández", "Mitchell", "Barnes", "Ellison", "O'Neal", "Pham",
    "Crawford", "Delgado", "Howard", "Simmons", "Tran", "Bennett",
)  # fmt: skip

_PLACES = (
    "Oak Grove", "Riverside", "Pine Hill", "Cedar Creek", "Magnolia", "Harmony", "Lakeview",
    "Brookwood", "Red Clay", "Fairview", "Willow Springs", "Sweetwater", "Hickory Flat",
    "Mill Creek", "Peachtree", "Stone Mountain", "Laurel Ridge", "Shady Grove", "Bethany",
    "Sandy Plains", "Eastside", "Westside", "Northgate", "Southwood", "Flat Rock", "Cherokee Bluff",
    "Dogwood", "Heritage", "Liberty", "Union Point", "Crossroads", "Spring Valley", "Meadowbrook",
    "Chestnut Ridge", "Big Creek", "Live Oak", "Pecan Grove", "Cotton Mill", "Rock Springs",
    "Bear Creek",
)  # fmt: skip

_SCHOOL_ROLES = (
    ("Principal", ("Elementary", "Middle", "High")),
    ("Assistant Principal", ("Elementary", "Middle", "High")),
    ("Instructional Coach", ("Elementary", "Middle")),
    ("School Counselor", ("Elementary", "Middle", "High")),
    ("Graduation Coach", ("High",)),
    ("Family Engagement Liaison", ("Elementary", "Middle")),
)

# Curated so that the district size (the first 40) holds the positions a real DIP names.
_ROLES = (
    ("Director of Federal Programs", "Federal Programs"),
    (
        "Assistant Superintendent of Curriculum, Instruction, and Assessment",
        "Teaching and Learning",
    ),
    ("Superintendent", "Office of the Superintendent"),
    ("Title I Coordinator", "Federal Programs"),
    ("Director of Special Education", "Special Education"),
    ("Title III / ESOL Coordinator", "Federal Programs"),
    ("Director of Elementary Curriculum", "Teaching and Learning"),
    ("Director of Secondary Curriculum", "Teaching and Learning"),
    ("K-5 Literacy Coordinator", "Teaching and Learning"),
    ("K-12 Mathematics Coordinator", "Teaching and Learning"),
    ("Director of Student Services", "Student Services"),
    ("Director of Professional Learning", "Human Resources"),
    ("Director of Assessment and Accountability", "Assessment and Accountability"),
    ("Director of Career, Technical, and Agricultural Education", "CTAE"),
    ("Family Engagement Coordinator", "Federal Programs"),
    ("McKinney-Vento Homeless Liaison", "Student Services"),
    ("MTSS Coordinator", "Teaching and Learning"),
    ("PBIS District Coordinator", "Student Services"),
    ("Chief Human Resources Officer", "Human Resources"),
    ("Chief Financial Officer", "Finance"),
    ("Deputy Superintendent", "Office of the Superintendent"),
    ("Chief Academic Officer", "Teaching and Learning"),
    ("Director of School Improvement", "School Improvement"),
    ("Migrant Education Coordinator", "Federal Programs"),
    ("Foster Care Point of Contact", "Student Services"),
    ("6-12 ELA Coordinator", "Teaching and Learning"),
    ("Science Coordinator", "Teaching and Learning"),
    ("Lead School Social Worker", "Student Services"),
    ("Lead School Psychologist", "Special Education"),
    ("Director of Counseling Services", "Student Services"),
    ("Dual Enrollment Coordinator", "CTAE"),
    ("Gifted Education Coordinator", "Teaching and Learning"),
    ("Pre-K Director", "Early Learning"),
    ("Teacher Induction Coordinator", "Human Resources"),
    ("Recruitment and Retention Specialist", "Human Resources"),
    ("Data Analyst", "Assessment and Accountability"),
    ("Director of Technology", "Technology"),
    ("Instructional Technology Specialist", "Technology"),
    ("Director of Communications", "Communications"),
    ("Attendance and Truancy Officer", "Student Services"),
    ("Graduation Coach Coordinator", "CTAE"),
    ("Federal Programs Budget Analyst", "Finance"),
    ("Director of Early Learning", "Early Learning"),
    ("English Learner Instructional Specialist", "Federal Programs"),
)

# (name, code, kind, typical allocation in dollars). Codes are illustrative, not GaDOE's.
# Curated so that the district size (the first 15) covers every kind.
_FUNDING = (
    ("Title I, Part A", "4180", "federal", 2_400_000),
    ("Title II, Part A", "4411", "federal", 380_000),
    ("Title III, Part A", "4150", "federal", 95_000),
    ("Title IV, Part A", "4840", "federal", 160_000),
    ("IDEA Part B (611)", "4430", "federal", 1_600_000),
    ("McKinney-Vento Homeless Education", "4570", "federal", 40_000),
    ("Title I, Part A - Parent and Family Engagement", "4181", "federal", 48_000),
    ("Local General Fund", "100", "local", 3_000_000),
    ("State QBE Remedial Education Program", "0210", "state", 800_000),
    ("Perkins V (CTAE)", "4371", "federal", 120_000),
    ("21st Century Community Learning Centers", "4850", "grant", 250_000),
    ("Georgia Apex Program", "0455", "state", 90_000),
    ("Education Foundation Classroom Grants", "EF-01", "other", 35_000),
    ("Title I, Part C - Migrant Education", "4195", "federal", 60_000),
    ("Striving Readers Comprehensive Literacy Grant", "4620", "grant", 450_000),
    ("IDEA Preschool (619)", "4431", "federal", 45_000),
    ("Title V, Part B - Rural and Low-Income Schools", "4511", "federal", 70_000),
    ("School Improvement 1003(a)", "4183", "federal", 300_000),
    ("Georgia Pre-K Lottery", "0413", "state", 1_100_000),
    ("State Literacy Coach Allotment", "0240", "state", 210_000),
    ("Medicaid School-Based Services Reimbursement", "MED-1", "other", 150_000),
    ("Community Foundation Grant", "CF-22", "grant", 60_000),
    ("Local SPLOST", "SPL", "local", 1_500_000),
    ("Title IV, Part B - Nita M. Lowey 21st CCLC Summer", "4851", "grant", 120_000),
    ("State Pupil Transportation Grant", "0620", "state", 400_000),
)

_IMPLEMENTATION_METHODS = (
    "PD sign-in sheets and agendas",
    "Coaching logs and coaching-cycle documentation",
    "Classroom walkthrough data",
    "PLC meeting agendas and minutes",
    "Lesson plans reviewed by administrators",
    "Purchase orders and inventory records",
    "Training completion certificates",
    "Implementation fidelity checklists",
    "Family event sign-in sheets and agendas",
    "Master schedule review",
    "Intervention schedules and rosters",
    "Mentor and mentee meeting logs",
    "Observation feedback records in TKES",
    "Vendor service logs and invoices",
    "Collaborative planning calendars",
    "Monthly implementation reports to the superintendent",
    "Time-and-effort documentation",
    "Family communication logs",
    "Program enrollment and registration records",
    "Tutoring attendance records",
)

_EFFECTIVENESS_METHODS = (
    "Georgia Milestones EOG and EOC results",
    "DIBELS 8 benchmark results (BOY, MOY, EOY)",
    "i-Ready diagnostic growth reports",
    "Georgia Student Health Survey results",
    "Chronic absenteeism rates from Infinite Campus",
    "Discipline referral and suspension data",
    "Four-year cohort graduation rate",
    "CCRPI content mastery and progress scores",
    "Teacher retention and exit survey data",
    "Family engagement survey results",
    "Common formative assessment results",
    "ACCESS for ELLs growth data",
    "CTAE pathway completion and credential data",
    "TKES and LKES summative ratings",
    "Dual enrollment and AP participation data",
    "Course failure rates by grading period",
    "School Climate Star Rating",
)

_BOTH_METHODS = (
    "Data team meeting minutes and action plans",
    "Quarterly progress-monitoring reports",
    "Program evaluation reports",
    "MTSS team documentation and student intervention plans",
    "Instructional rounds summaries",
    "Student work samples scored with common rubrics",
    "Mid-year and end-of-year plan reviews",
)

_REVIEWERS = (
    "the district data team",
    "school leadership teams",
    "the Federal Programs office",
    "the MTSS team",
    "principals",
    "the curriculum and instruction team",
    "the superintendent's cabinet",
    "grade-level PLCs",
)

_REVIEW_FREQUENCIES = (
    "monthly",
    "quarterly",
    "each semester",
    "after each benchmark window",
    "weekly",
    "annually",
)

# Illustrative ESSA evidence citations; the bench needs plausible strings, not a bibliography.
_CITATIONS = {
    "literacy": (
        "Foorman, B., et al. (2016). Foundational Skills to Support Reading for Understanding in "
        "Kindergarten Through 3rd Grade (NCEE 2016-4008). What Works Clearinghouse.",
        "Baker, S., et al. (2014). Teaching Academic Content and Literacy to English Learners in "
        "Elementary and Middle School (NCEE 2014-4012). What Works Clearinghouse.",
    ),
    "math": (
        "Fuchs, L. S., et al. (2021). Assisting Students Struggling with Mathematics: "
        "Intervention in the Elementary Grades (WWC 2021006). What Works Clearinghouse.",
        "Gersten, R., et al. (2009). Assisting Students Struggling with Mathematics: Response to "
        "Intervention for Elementary and Middle Schools (NCEE 2009-4060).",
    ),
    "whole_child": (
        "Bradshaw, C. P., Mitchell, M. M., & Leaf, P. J. (2010). Examining the effects of "
        "schoolwide positive behavioral interventions and supports on student outcomes. Journal "
        "of Positive Behavior Interventions, 12(3), 133-148.",
        "Rogers, T., & Feller, A. (2018). Reducing student absences at scale by targeting "
        "parents' misbeliefs. Nature Human Behaviour, 2(5), 335-342.",
    ),
    "ccr": (
        "An, B. P. (2013). The impact of dual enrollment on college degree attainment. "
        "Educational Evaluation and Policy Analysis, 35(1), 57-75.",
        "Allensworth, E. M., & Easton, J. Q. (2005). The On-Track Indicator as a Predictor of "
        "High School Graduation. Consortium on Chicago School Research.",
    ),
    "talent": (
        "Ingersoll, R., & Strong, M. (2011). The impact of induction and mentoring programs for "
        "beginning teachers. Review of Educational Research, 81(2), 201-233.",
        "Kraft, M. A., Blazar, D., & Hogan, D. (2018). The effect of teacher coaching on "
        "instruction and achievement. Review of Educational Research, 88(4), 547-588.",
    ),
    "family": (
        "Epstein, J. L., et al. (2018). School, Family, and Community Partnerships: Your Handbook "
        "for Action (4th ed.). Corwin.",
        "Henderson, A. T., & Mapp, K. L. (2002). A New Wave of Evidence: The Impact of School, "
        "Family, and Community Connections on Student Achievement. SEDL.",
    ),
}

# ---------------------------------------------------------------------------------------------
# Goal-area themes: each keeps its objectives, strategies and steps on one topic, so that a
# goal area reads like one person wrote it.
# ---------------------------------------------------------------------------------------------

# (name, phrase used in prose, unit, direction, data source, baseline low, baseline high,
#  change low, change high, decimals); decimals -3 rounds to thousands, as budgets are written.
Measure = tuple[str, str, str, str, str, float, float, float, float, int]

_THEMES: tuple[dict[str, Any], ...] = (
    {
        "key": "literacy",
        "title": "Literacy",
        "qualifiers": ("Early Literacy", "Adolescent Literacy", "Reading and Writing"),
        "student_measures": True,
        "systems": ("coherent_instruction", "professional_capacity"),
        "content_areas": ("English Language Arts", "Reading"),
        "grade_spans": (("K", "5"), ("3", "8"), ("K", "3")),
        "slots": {
            "audience": (
                "K-5 teachers",
                "K-2 teachers",
                "kindergarten teachers",
                "grade 3-5 teachers",
                "middle school ELA teachers",
                "reading interventionists",
                "special education teachers",
                "ESOL teachers",
                "paraprofessionals",
            ),
            "focus": (
                "the science of reading",
                "phonemic awareness and systematic phonics",
                "decodable text routines",
                "vocabulary and background knowledge",
                "reading fluency",
                "text-dependent writing",
                "structured literacy instruction",
                "comprehension strategies for complex text",
            ),
            "assessment": (
                "DIBELS 8",
                "i-Ready Reading",
                "the Georgia Milestones ELA EOG",
                "the Lexile measure reported on Georgia Milestones",
            ),
            "grades": ("K-2", "K-5", "grades 3-5", "grades 6-8", "grades 3-8"),
            "purpose": (
                "co-design and deliver science of reading professional learning",
                "provide trained volunteer reading tutors for first and second graders",
                "run summer reading programs at branch libraries near Title I schools",
                "place student teachers in literacy classrooms with trained mentors",
            ),
        },
        "description": (
            "This goal area focuses on making sure every student reads on grade level by the end "
            "of third grade and keeps growing as a reader and writer through graduation.",
            "This goal area strengthens reading and writing instruction from kindergarten "
            "through high school, starting with foundational skills in the early grades.",
        ),
        "need": (
            "Only {pct_lo}% of students in grades 3-8 scored Proficient or above on the Georgia "
            "Milestones ELA EOG in 2023-24.",
            "Beginning-of-year DIBELS 8 data show that {pct_lo}% of K-2 students are below "
            "benchmark in foundational reading skills.",
        ),
        "need_extra": (
            "Walkthrough data show that fewer than half of observed K-2 lessons included "
            "explicit, systematic phonics instruction.",
            "Teachers report limited training in {focus}, especially in schools with high "
            "turnover.",
        ),
        "goal": (
            "By 2029-30, {pct_hi}% of students in grades 3-8 will score Proficient or above on "
            "the Georgia Milestones ELA EOG.",
            "By 2029-30, increase the percentage of students in {grades} reading on grade level "
            "from {pct_lo}% to {pct_hi}%.",
        ),
        "root_causes": (
            "Tier 1 reading instruction is not consistently aligned to the science of reading.",
            "Teachers have not had sustained training in foundational reading skills, and new "
            "hires arrive without it.",
            "Intervention time is scheduled inconsistently and is often used for whole-group "
            "instruction.",
            "Universal screening data are collected but not used to group students for targeted "
            "support.",
            "Students have limited access to books at home and during the summer.",
        ),
        "strategies": (
            "Implement a structured literacy framework aligned to the science of reading in all "
            "K-5 classrooms.",
            "Strengthen Tier 1 ELA instruction through high-quality instructional materials and "
            "aligned professional learning.",
            "Build a multi-tiered system of literacy supports that identifies and serves "
            "struggling readers early.",
            "Increase the volume and complexity of reading and writing in grades 6-12 across the "
            "content areas.",
        ),
        "pd_steps": (
            "Provide job-embedded coaching for {audience} on {focus}.",
            "Train {audience} in LETRS through a two-year cohort model with follow-up coaching.",
        ),
        "pd_extra": (
            "Sessions will focus on {focus} and include practice analyzing {assessment} data.",
        ),
        "steps": (
            "Conduct literacy walkthroughs {frequency} in {school_set} using a common look-for "
            "tool aligned to {focus}.",
            "Purchase decodable readers and classroom libraries for {grades} classrooms in "
            "{school_set}.",
            "Administer DIBELS 8 three times a year and use the results to form flexible "
            "intervention groups.",
            "Hire reading interventionists to deliver Tier 2 and Tier 3 support in {school_set}.",
            "Host a summer literacy academy for students in {grades} reading below benchmark.",
            "Hold data meetings {frequency} to analyze {assessment} results and adjust "
            "small-group instruction.",
        ),
        "step_extra": (
            "Small-group instruction will be planned from {assessment} results.",
            "Progress for students receiving intervention will be monitored every two weeks.",
            "Intervention will use a 30-minute daily block protected in the master schedule.",
        ),
        "measures": (
            ("% of K-2 students at or above benchmark on DIBELS 8",
             "the percentage of K-2 students at or above benchmark on DIBELS 8",
             "percent", "increase", "DIBELS 8 end-of-year benchmark", 45, 62, 8, 16, 1),
            ("% of students in grades 3-8 Proficient or above on Georgia Milestones ELA",
             "the percentage of students in grades 3-8 scoring Proficient or above on the "
             "Georgia Milestones ELA EOG",
             "percent", "increase", "Georgia Milestones EOG", 30, 45, 8, 14, 1),
            ("% of grade 3 students reading at or above grade level (Lexile)",
             "the percentage of third graders reading at or above grade level",
             "percent", "increase", "Georgia Milestones Lexile", 50, 66, 8, 14, 1),
            ("% of students meeting typical growth on i-Ready Reading",
             "the percentage of students meeting annual typical growth on i-Ready Reading",
             "percent", "increase", "i-Ready Diagnostic", 42, 58, 8, 15, 1),
            ("% of students scoring Beginning Learner on Georgia Milestones ELA",
             "the percentage of students scoring Beginning Learner on the Georgia Milestones "
             "ELA EOG",
             "percent", "decrease", "Georgia Milestones EOG", 24, 36, 6, 12, 1),
            ("ELA content mastery score (CCRPI)",
             "the district's CCRPI ELA content mastery score",
             "points", "increase", "CCRPI", 58, 72, 5, 10, 1),
        ),
    },
    {
        "key": "math",
        "title": "Mathematics",
        "qualifiers": ("Elementary Mathematics", "Algebra Readiness", "Numeracy"),
        "student_measures": True,
        "systems": ("coherent_instruction", "professional_capacity"),
        "content_areas": ("Mathematics",),
        "grade_spans": (("3", "8"), ("K", "5"), ("6", "9")),
        "slots": {
            "audience": (
                "K-5 teachers",
                "middle school math teachers",
                "Algebra I teachers",
                "math interventionists",
                "special education co-teachers",
                "paraprofessionals",
            ),
            "focus": (
                "number talks and mathematical discourse",
                "conceptual understanding of fractions",
                "the Georgia K-12 Mathematics Standards",
                "productive struggle and high-cognitive-demand tasks",
                "explicit instruction for students who struggle in mathematics",
                "using manipulatives and visual models",
            ),
            "assessment": (
                "i-Ready Math",
                "the Georgia Milestones Math EOG",
                "the Algebra: Concepts and Connections EOC",
                "the district math universal screener",
            ),
            "grades": ("K-2", "K-5", "grades 3-5", "grades 6-8", "grades 3-8"),
            "purpose": (
                "provide after-school math tutoring by trained college students",
                "co-teach a summer bridge program for rising ninth graders",
                "deliver mathematics content courses for teachers seeking endorsement",
                "host family math nights with hands-on activities",
            ),
        },
        "description": (
            "This goal area raises mathematics achievement by strengthening core instruction and "
            "making sure students who fall behind get timely, targeted help.",
            "This goal area builds number sense in the early grades and readiness for Algebra I "
            "by the end of middle school.",
        ),
        "need": (
            "Only {pct_lo}% of students in grades 3-8 scored Proficient or above on the Georgia "
            "Milestones Math EOG in 2023-24.",
            "Mid-year i-Ready Math results show that {gap}% of students in {grades} are two or "
            "more grade levels below in mathematics.",
        ),
        "need_extra": (
            "Classroom observations show most lesson time spent on teacher-directed procedures "
            "with little student discourse.",
            "Teachers report limited training in {focus}.",
        ),
        "goal": (
            "By 2029-30, {pct_hi}% of students in grades 3-8 will score Proficient or above on "
            "the Georgia Milestones Math EOG.",
            "By 2029-30, increase the percentage of students in {grades} meeting grade-level "
            "expectations in mathematics from {pct_lo}% to {pct_hi}%.",
        ),
        "root_causes": (
            "Core mathematics instruction emphasizes procedures over conceptual understanding.",
            "Students who fall behind in fractions and proportional reasoning are not identified "
            "early enough to catch up.",
            "Math intervention lacks a consistent schedule, curriculum, and progress monitoring.",
            "Access to accelerated mathematics in middle school depends on the school a student "
            "attends.",
        ),
        "strategies": (
            "Strengthen Tier 1 mathematics instruction through high-quality instructional "
            "materials and aligned professional learning.",
            "Provide targeted, data-driven mathematics intervention for students performing below "
            "grade level.",
            "Increase access to accelerated mathematics coursework for historically "
            "underrepresented students.",
            "Build teacher capacity in conceptual understanding, procedural fluency, and "
            "mathematical discourse.",
        ),
        "pd_steps": (
            "Provide job-embedded coaching for {audience} on {focus}.",
            "Train {audience} in {focus} during pre-planning and monthly PLCs.",
            "Develop common unit assessments for {grades} mathematics and calibrate scoring in "
            "PLCs.",
        ),
        "pd_extra": (
            "Coaching cycles will focus on {focus} and end with a student-work analysis.",
        ),
        "steps": (
            "Implement a daily math intervention block for students in {grades} identified "
            "through {assessment}.",
            "Purchase manipulatives and high-quality instructional materials aligned to the "
            "Georgia K-12 Mathematics Standards.",
            "Offer after-school and Saturday math tutoring for students in {grades} who are not "
            "yet proficient.",
        ),
        "step_extra": (
            "Tutoring groups will be capped at four students to keep sessions high-dosage.",
            "Students will be placed in intervention using {assessment} results and teacher "
            "recommendation.",
        ),
        "measures": (
            ("% of students in grades 3-8 Proficient or above on Georgia Milestones Math",
             "the percentage of students in grades 3-8 scoring Proficient or above on the "
             "Georgia Milestones Math EOG",
             "percent", "increase", "Georgia Milestones EOG", 28, 44, 8, 14, 1),
            ("% of students Proficient or above on the Algebra EOC",
             "the percentage of students scoring Proficient or above on the Algebra: Concepts "
             "and Connections EOC",
             "percent", "increase", "Georgia Milestones EOC", 30, 45, 8, 14, 1),
            ("% of students meeting typical growth on i-Ready Math",
             "the percentage of students meeting annual typical growth on i-Ready Math",
             "percent", "increase", "i-Ready Diagnostic", 40, 56, 8, 15, 1),
            ("% of grade 8 students completing an accelerated math course",
             "the percentage of eighth graders completing an accelerated mathematics course",
             "percent", "increase", "Infinite Campus course enrollment", 14, 24, 6, 12, 1),
            ("Mathematics content mastery score (CCRPI)",
             "the district's CCRPI mathematics content mastery score",
             "points", "increase", "CCRPI", 55, 70, 5, 10, 1),
            ("% of K-2 students at or above benchmark on the math universal screener",
             "the percentage of K-2 students at or above benchmark on the math universal "
             "screener",
             "percent", "increase", "Universal screener (BOY, MOY, EOY)", 48, 64, 8, 15, 1),
        ),
    },
    {
        "key": "whole_child",
        "title": "Whole Child",
        "qualifiers": ("Attendance", "Positive Behavior", "Mental Health and Well-Being"),
        "student_measures": True,
        "systems": ("supportive_learning_environment", "family_community_engagement"),
        "content_areas": ("Attendance", "School Climate"),
        "grade_spans": (("K", "12"), ("6", "12"), ("K", "5")),
        "slots": {
            "audience": (
                "teachers and school counselors",
                "bus drivers and cafeteria staff",
                "school resource officers",
                "assistant principals",
                "new teachers",
                "paraprofessionals",
            ),
            "focus": (
                "trauma-informed practices",
                "de-escalation strategies",
                "restorative conversations",
                "PBIS Tier 1 systems",
                "recognizing signs of anxiety and depression",
                "building relationships with students",
            ),
            "assessment": (
                "the Georgia Student Health Survey",
                "the early warning system",
                "the universal SEL screener",
            ),
            "grades": ("K-5", "grades 6-8", "grades 9-12", "K-12"),
            "purpose": (
                "place licensed school-based mental health clinicians in schools",
                "provide mentors for students with chronic absenteeism",
                "offer free vision and dental screenings at school",
                "connect families with housing, food, and transportation assistance",
            ),
        },
        "description": (
            "This goal area makes sure every student attends school regularly and learns in a "
            "safe, supportive environment where their social and emotional needs are met.",
            "This goal area addresses attendance, behavior, and student well-being as "
            "conditions for learning.",
        ),
        "need": (
            "The district's chronic absenteeism rate was {gap}% in 2023-24, and higher still for "
            "{subgroup_phrase}.",
            "Only {pct_hi}% of students in {grades} reported feeling safe and connected at school "
            "on the Georgia Student Health Survey.",
        ),
        "need_extra": (
            "Discipline referrals rose for two consecutive years, with most referrals for "
            "classroom disruption.",
            "Counselors report caseloads well above recommended ratios.",
        ),
        "goal": (
            "By 2029-30, reduce chronic absenteeism to below 10% for all students and every "
            "student group.",
            "By 2029-30, increase the percentage of students reporting a positive school climate "
            "from {pct_lo}% to {pct_hi}%.",
        ),
        "root_causes": (
            "Attendance concerns are not identified and addressed until absences are already "
            "chronic.",
            "Schools implement PBIS unevenly, and expectations differ from classroom to "
            "classroom.",
            "Students lack consistent access to mental health services during the school day.",
            "Families are not always aware of how missed days affect learning.",
            "Exclusionary discipline is used before other interventions are tried.",
        ),
        "strategies": (
            "Reduce chronic absenteeism through early identification, family outreach, and tiered "
            "attendance supports.",
            "Implement Positive Behavioral Interventions and Supports (PBIS) with fidelity across "
            "all schools.",
            "Expand access to school-based mental health services and social-emotional learning.",
            "Create safe, welcoming learning environments in which every student has a trusted "
            "adult.",
        ),
        "steps": (
            "Monitor attendance data {frequency} through {data_system} and assign mentors to "
            "students missing 10% or more of school days.",
            "Implement PBIS Tier 1 systems with fidelity in {school_set}, including a common "
            "behavior matrix and acknowledgment system.",
            "Contract with a community mental health provider to place school-based clinicians in "
            "{school_set}.",
            "Deliver a universal social-emotional learning curriculum during advisory in "
            "{grades}.",
            "Send personalized attendance letters to families of chronically absent students each "
            "{term}.",
            "Hire a school social worker to coordinate services for students experiencing "
            "homelessness and in foster care.",
        ),
        "pd_steps": ("Train {audience} in {focus}.",),
        "pd_extra": (
            "Training will include scenarios drawn from the district's own discipline data.",
        ),
        "step_extra": (
            "Attendance teams will meet {frequency} to review students flagged by {data_system}.",
            "Referrals to outside providers will follow the district's consent procedures.",
            "Schools will recognize improved attendance at monthly assemblies.",
        ),
        "measures": (
            ("Chronic absenteeism rate", "the chronic absenteeism rate",
             "percent", "decrease", "Infinite Campus attendance", 15, 24, 4, 9, 1),
            ("Discipline referrals per 100 students",
             "the number of discipline referrals per 100 students",
             "rate", "decrease", "Infinite Campus behavior module", 22, 45, 6, 15, 1),
            ("Out-of-school suspension rate", "the out-of-school suspension rate",
             "percent", "decrease", "Infinite Campus behavior module", 4, 9, 1.5, 3.5, 1),
            ("% of students reporting a positive school climate",
             "the percentage of students reporting a positive school climate on the Georgia "
             "Student Health Survey",
             "percent", "increase", "Georgia Student Health Survey", 58, 72, 5, 12, 1),
            ("School Climate Star Rating (district average)",
             "the district's average School Climate Star Rating",
             "other", "increase", "GaDOE School Climate Star Rating", 3.0, 3.8, 0.3, 0.8, 1),
            ("Students receiving school-based mental health services",
             "the number of students receiving school-based mental health services",
             "count", "increase", "Provider service logs", 180, 360, 80, 200, 0),
        ),
    },
    {
        "key": "ccr",
        "title": "College and Career Readiness",
        "qualifiers": ("Graduation", "CTAE Pathways", "Advanced Coursework"),
        "student_measures": True,
        "systems": ("coherent_instruction", "supportive_learning_environment"),
        "content_areas": ("Graduation", "Career, Technical, and Agricultural Education"),
        "grade_spans": (("9", "12"), ("8", "12"), ("11", "12")),
        "slots": {
            "audience": (
                "high school counselors",
                "graduation coaches",
                "CTAE teachers",
                "ninth-grade teachers",
                "advisory teachers",
            ),
            "focus": (
                "using on-track indicators",
                "individual graduation plans",
                "work-based learning placements",
                "advising students on dual enrollment",
                "career pathway planning",
            ),
            "assessment": (
                "the ninth-grade on-track report",
                "the CTAE credential report",
                "the graduation cohort report",
            ),
            "grades": ("grades 9-12", "grades 11-12", "grade 9"),
            "purpose": (
                "offer dual enrollment courses taught on the high school campus",
                "provide work-based learning placements with local employers",
                "host a regional career expo for high school students",
                "provide college application and FAFSA support for seniors",
            ),
        },
        "description": (
            "This goal area prepares every student to graduate ready for college, career, and "
            "life, with a plan for what comes next.",
            "This goal area expands pathways, advanced coursework, and supports that help "
            "students graduate on time.",
        ),
        "need": (
            "The four-year graduation rate trails the state average, and only {pct_lo}% of "
            "graduates completed a CTAE pathway in 2023-24.",
            "Only {pct_lo}% of ninth graders in the 2023-24 cohort earned enough credits to be on "
            "track for graduation.",
        ),
        "need_extra": (
            "Dual enrollment participation is concentrated in one high school.",
            "Students report that they do not understand the options available after high "
            "school.",
        ),
        "goal": (
            "By 2029-30, increase the four-year graduation rate to {pct_hi}% while increasing the "
            "share of graduates earning a credential or college credit.",
            "By 2029-30, {pct_hi}% of graduates will complete a CTAE pathway, earn college "
            "credit, or pass an AP exam.",
        ),
        "root_causes": (
            "Ninth graders who fail a core course are not identified quickly enough to recover "
            "the credit.",
            "Students and families have limited information about dual enrollment and CTAE "
            "pathways.",
            "Pathway offerings do not match regional workforce demand.",
            "Counselor time is consumed by scheduling and testing duties.",
        ),
        "strategies": (
            "Increase the percentage of students who graduate ready for college, career, and "
            "life.",
            "Expand CTAE pathways, work-based learning, and industry credentials aligned to "
            "regional demand.",
            "Monitor ninth-grade on-track indicators and intervene early for students at risk of "
            "not graduating.",
            "Increase participation and success in advanced coursework, including dual enrollment "
            "and AP.",
        ),
        "steps": (
            "Expand dual enrollment access by covering fees and transportation for students in "
            "{school_set}.",
            "Provide graduation coaches to review on-track indicators for ninth graders "
            "{frequency}.",
            "Add CTAE pathways in healthcare science and advanced manufacturing aligned to "
            "regional workforce demand.",
            "Host FAFSA completion nights and one-on-one college advising for seniors and their "
            "families.",
            "Purchase industry credential exam vouchers for CTAE pathway completers.",
            "Offer credit recovery during the school day and in summer for students at risk of "
            "not graduating.",
        ),
        "pd_steps": ("Train {audience} in {focus}.",),
        "pd_extra": (
            "Counselors will share what they learn with advisory teachers in each school.",
        ),
        "step_extra": (
            "Graduation coaches will meet with each flagged student at least once a month.",
            "Employer advisory committees will review pathway offerings each year.",
            "Counselors will update each student's graduation plan after every grading period.",
        ),
        "measures": (
            ("Four-year adjusted cohort graduation rate",
             "the four-year adjusted cohort graduation rate",
             "percent", "increase", "GaDOE graduation rate report", 82, 90, 3, 7, 1),
            ("% of graduates completing a CTAE pathway",
             "the percentage of graduates completing a CTAE pathway",
             "percent", "increase", "CTAE pathway completer report", 40, 58, 8, 15, 1),
            ("% of grade 11-12 students in dual enrollment",
             "the percentage of eleventh and twelfth graders participating in dual enrollment",
             "percent", "increase", "Georgia Student Finance Commission", 12, 22, 6, 12, 1),
            ("Industry-recognized credentials earned",
             "the number of industry-recognized credentials earned by students",
             "count", "increase", "CTAE credential report", 120, 320, 60, 160, 0),
            ("% of ninth graders on track to graduate",
             "the percentage of ninth graders on track to graduate",
             "percent", "increase", "Infinite Campus credit report", 72, 84, 5, 10, 1),
            ("% of seniors completing the FAFSA", "the percentage of seniors completing the FAFSA",
             "percent", "increase", "GSFC FAFSA completion data", 48, 62, 8, 15, 1),
        ),
    },
    {
        "key": "talent",
        "title": "Effective Educators",
        "qualifiers": ("Recruitment and Retention", "Leadership Development", "Induction"),
        "student_measures": False,
        "systems": ("professional_capacity", "effective_leadership"),
        "content_areas": ("Teacher Effectiveness",),
        "grade_spans": (("K", "12"), ("K", "5"), ("6", "12")),
        "slots": {
            "audience": (
                "first- and second-year teachers",
                "new principals and assistant principals",
                "teacher leaders",
                "mentor teachers",
                "paraprofessionals pursuing certification",
            ),
            "focus": (
                "instructional leadership",
                "classroom management",
                "giving actionable feedback after observations",
                "facilitating effective PLCs",
                "the TKES performance standards",
            ),
            "leaders": (
                "new principals",
                "assistant principals",
                "aspiring leaders in the district leadership academy",
                "teacher leaders",
            ),
            "leader_focus": (
                "instructional leadership",
                "giving actionable feedback after observations",
                "facilitating effective PLCs",
                "building a positive school culture",
            ),
            "grades": ("K-12", "K-5", "grades 6-12"),
            "purpose": (
                "offer a paraprofessional-to-teacher certification pathway",
                "provide coaching for first-year principals",
                "place teacher residents in high-need schools",
                "recruit teacher candidates from Georgia colleges of education",
            ),
        },
        "description": (
            "This goal area makes sure every classroom is led by an effective teacher and every "
            "school by an effective leader.",
            "This goal area addresses recruitment, induction, development, and retention of "
            "teachers and school leaders.",
        ),
        "need": (
            "The district lost {gap}% of its teachers in 2023-24, with the highest turnover in "
            "{school_set}.",
            "On the first day of school in 2023-24, the district had {gap} teacher vacancies, "
            "most in special education and mathematics.",
        ),
        "need_extra": (
            "Exit surveys cite workload and a lack of support in the first years as the main "
            "reasons for leaving.",
            "Many new principals have not had formal preparation in {leader_focus}.",
        ),
        "goal": (
            "By 2029-30, increase the teacher retention rate to {pct_hi}% or higher in every "
            "school.",
            "By 2029-30, fill every teaching position with a fully certified teacher by the first "
            "day of school.",
        ),
        "root_causes": (
            "New teachers receive uneven mentoring and induction support.",
            "Compensation is not competitive with neighboring districts for hard-to-staff "
            "positions.",
            "School leaders have limited time for instructional leadership.",
            "The district has no pipeline for growing its own teachers.",
        ),
        "strategies": (
            "Recruit, develop, and retain effective teachers in every classroom, with priority "
            "for high-need schools.",
            "Build the leadership capacity of principals, assistant principals, and teacher "
            "leaders.",
            "Strengthen induction and mentoring for early-career teachers.",
            "Grow our own educators through paraprofessional and high school teacher pathways.",
        ),
        "pd_steps": (
            "Provide a two-year induction program with trained mentors for all first- and "
            "second-year teachers.",
            "Provide leadership coaching for {leaders} focused on {leader_focus}.",
            "Fund stipends for teacher leaders who facilitate PLCs and model lessons for "
            "colleagues.",
        ),
        "pd_extra": ("Mentors will complete district mentor training before being assigned.",),
        "steps": (
            "Offer tuition support for paraprofessionals completing a teacher certification "
            "pathway with a partner university.",
            "Host job fairs and targeted recruitment at Georgia colleges of education for "
            "hard-to-staff positions.",
            "Conduct stay interviews with teachers in their first three years and act on the "
            "results.",
        ),
        "step_extra": (
            "Retention data will be reviewed by school each {term} with principals.",
            "Incentives are tied to a commitment to teach in the district for at least three "
            "years.",
        ),
        "measures": (
            ("Teacher retention rate", "the teacher retention rate",
             "percent", "increase", "HR staffing report", 78, 86, 4, 8, 1),
            ("% of teachers rated Proficient or Exemplary on TKES",
             "the percentage of teachers rated Proficient or Exemplary on TKES",
             "percent", "maintain", "TKES summative ratings", 90, 95, 0, 0, 1),
            ("Teacher vacancies on the first day of school",
             "the number of teacher vacancies on the first day of school",
             "count", "decrease", "HR vacancy report", 18, 45, 10, 17, 0),
            ("% of first- and second-year teachers completing induction",
             "the percentage of first- and second-year teachers completing induction",
             "percent", "increase", "Induction program records", 68, 82, 10, 17, 1),
            ("% of K-5 teachers completing science of reading training",
             "the percentage of K-5 teachers completing science of reading training",
             "percent", "increase", "Professional learning records", 35, 55, 30, 40, 1),
            ("% of early-career teachers retained after three years",
             "the percentage of early-career teachers retained after three years",
             "percent", "increase", "HR staffing report", 60, 72, 6, 12, 1),
        ),
    },
    {
        "key": "family",
        "title": "Family and Community Engagement",
        "qualifiers": ("Family Partnerships", "Community Partnerships", "Communication"),
        "student_measures": False,
        "systems": ("family_community_engagement", "supportive_learning_environment"),
        "content_areas": ("Family Engagement",),
        "grade_spans": (("PK", "5"), ("K", "12"), ("6", "12")),
        "slots": {
            "audience": (
                "front-office staff",
                "teachers",
                "family engagement liaisons",
                "school leaders",
                "bilingual paraprofessionals",
            ),
            "focus": (
                "two-way communication with families",
                "welcoming families to school",
                "sharing student data with families",
                "working with interpreters",
            ),
            "assessment": (
                "the annual family engagement survey",
                "event attendance records",
                "Parent Resource Center logs",
            ),
            "grades": ("PK-5", "K-12", "grades 6-12"),
            "purpose": (
                "offer GED and ESOL classes for parents at school sites",
                "provide food pantries and clothing closets at Title I schools",
                "host family workshops on supporting learning at home",
                "provide interpreters for conferences and family events",
            ),
        },
        "description": (
            "This goal area builds partnerships with families and the community that support "
            "student learning at home and at school.",
            "This goal area makes sure every family is informed, welcomed, and involved in "
            "decisions about their children's education.",
        ),
        "need": (
            "Only {pct_lo}% of families attended a school engagement event in 2023-24, and "
            "participation was lowest among families of {subgroup_phrase}.",
            "On the annual family engagement survey, only {pct_lo}% of families said they receive "
            "information they can use to help their children learn.",
        ),
        "need_extra": (
            "Families who speak languages other than English report difficulty reaching school "
            "staff.",
            "Evening events conflict with many parents' work schedules.",
        ),
        "goal": (
            "By 2029-30, {pct_hi}% of families will participate in at least one school engagement "
            "activity each year.",
            "By 2029-30, increase the percentage of families who rate school communication as "
            "effective from {pct_lo}% to {pct_hi}%.",
        ),
        "root_causes": (
            "Communication with families is mostly one-way and in English.",
            "Family events are scheduled at times many working parents cannot attend.",
            "Staff have had little training in partnering with families.",
            "Community partnerships are informal and depend on individual relationships.",
        ),
        "strategies": (
            "Build two-way partnerships with families that support student learning at home and "
            "at school.",
            "Increase family participation in school decision-making and improvement planning.",
            "Remove language and access barriers so that every family can engage in their "
            "child's education.",
            "Expand community partnerships that provide wraparound services to students and "
            "families.",
        ),
        "steps": (
            "Host family literacy and math nights each {term} with materials families can use at "
            "home.",
            "Staff the Parent Resource Center with a family engagement liaison and extend evening "
            "hours.",
            "Translate school communications and provide interpreters for conferences in Spanish, "
            "Vietnamese, and Haitian Creole.",
            "Revise the district and school parent and family engagement policies and compacts "
            "with family input each spring.",
            "Conduct home visits for families of students identified through {data_system}.",
        ),
        "pd_steps": (
            "Train {audience} in {focus}, aligned to Georgia's Family-Friendly Partnership School "
            "framework.",
        ),
        "pd_extra": ("Staff will practice conferences with families using interpreters.",),
        "step_extra": (
            "Events will offer childcare, a meal, and interpretation.",
            "Family feedback forms will be collected at every event and reviewed {frequency}.",
            "Resources will be posted on the district website and shared through the mobile app.",
        ),
        "measures": (
            ("% of families attending at least one school engagement event",
             "the percentage of families attending at least one school engagement event",
             "percent", "increase", "Event sign-in records", 38, 55, 10, 20, 1),
            ("Parent Resource Center visits", "the number of Parent Resource Center visits",
             "count", "increase", "Parent Resource Center logs", 400, 1200, 200, 600, 0),
            ("% of families rating school communication as effective",
             "the percentage of families rating school communication as effective",
             "percent", "increase", "Annual family engagement survey", 62, 75, 6, 12, 1),
            ("Family engagement survey response rate",
             "the family engagement survey response rate",
             "percent", "increase", "Annual family engagement survey", 22, 38, 10, 20, 1),
            ("Active community partners",
             "the number of active community partners supporting schools",
             "count", "increase", "Partnership agreements on file", 20, 45, 10, 25, 0),
            ("Education foundation classroom grants awarded",
             "the dollar value of education foundation classroom grants awarded",
             "dollars", "increase", "Education foundation records", 25_000, 60_000, 20_000,
             50_000, -3),
        ),
    },
)  # fmt: skip

_ORGANIZATIONS = (
    "Altamaha County School District",
    "Pine Ridge County Schools",
    "Red Clay County School System",
    "Ocmulgee Valley City Schools",
    "Broad River County Schools",
)

_MISSIONS = (
    "To promote the academic, social, and emotional growth of every student in a safe and "
    "supportive learning environment.",
    "To engage, educate, and empower every student to graduate ready for college, career, and "
    "life.",
)

_VISIONS = (
    "A community of lifelong learners and productive global citizens.",
    "Every student, every day: known by name, challenged to grow, and prepared for the future.",
)

_CORE_BELIEFS = (
    "Every student can learn and achieve at high levels.",
    "Effective teaching is the most important factor in student success.",
    "Families and the community are essential partners in education.",
    "Equity means giving each student what they need to succeed.",
    "Decisions are guided by data and by what is best for students.",
    "Safe, supportive schools are a condition for learning.",
    "We embrace diversity as a strength.",
)

_SLOT_RE = re.compile(r"\{(\w+)\}")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _obj(**fields: Any) -> dict[str, Any]:
    """Build a dict without empty values: canonical form omits the key instead.

    False and 0 are kept because they are values, not emptiness; callers pass None for a
    non-nullable boolean that is false, since absent already means false there.
    """
    return {k: v for k, v in fields.items() if v is not None and v not in ("", [], {})}


def _school_year(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def _word_count(text: str) -> int:
    return len(text.split())


def _fill(rng: Random, template: str, slots: Mapping[str, Pool]) -> str:
    def pick(match: re.Match[str]) -> str:
        pool = slots[match.group(1)]
        return pool(rng) if callable(pool) else rng.choice(pool)

    text = _SLOT_RE.sub(pick, template)
    # Templates may open with a slot whose values are written lower-case for mid-sentence use.
    return text[:1].upper() + text[1:]


def _prose(
    rng: Random,
    lead: str,
    extra: Sequence[str],
    slots: Mapping[str, Pool],
    low: int,
    high: int,
    mode: int,
) -> str:
    """A paragraph of MIN_WORDS..MAX_WORDS words: a lead sentence plus distinct elaborations.

    A triangular target length makes most texts short, as in real plans, while a tail runs
    close to the 150 words that stress table layout.
    """
    target = round(rng.triangular(low, high, mode))
    parts = [lead]
    words = _word_count(lead)
    order = list(range(len(extra)))
    rng.shuffle(order)
    for index in order:
        if words >= target:
            break
        sentence = _fill(rng, extra[index], slots)
        count = _word_count(sentence)
        if words + count > MAX_WORDS:
            continue
        parts.append(sentence)
        words += count
    if not MIN_WORDS <= words <= MAX_WORDS:
        # Only reachable if the vocabulary is edited carelessly; fail loudly, not silently.
        raise ValueError(f"generated {words} words, outside {MIN_WORDS}..{MAX_WORDS}: {lead!r}")
    return " ".join(parts)


def _spread(rng: Random, total: int, parents: int) -> list[int]:
    """Split total children over parents unevenly, at least one each when total allows.

    Squared uniform weights give a long tail (a few large strategies, many small ones), as in
    real plans; largest-remainder rounding keeps the sum exact.
    """
    if parents <= 0:
        return []
    if total < parents:
        chosen = set(rng.sample(range(parents), total))
        return [1 if i in chosen else 0 for i in range(parents)]
    weights = [rng.random() ** 2 + 0.05 for _ in range(parents)]
    scale = (total - parents) / sum(weights)
    raw = [w * scale for w in weights]
    counts = [1 + int(r) for r in raw]
    leftover = total - sum(counts)
    by_remainder = sorted(range(parents), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in by_remainder[:leftover]:
        counts[i] += 1
    return counts


def _person(rng: Random) -> str:
    title = "Dr. " if rng.random() < 0.2 else ""
    return f"{title}{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"


def _catalog_id(prefix: str, number: int, total: int) -> str:
    return f"{prefix}-{number:0{max(3, len(str(total)))}d}"


def _month_year(day: date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.year}"


# ---------------------------------------------------------------------------------------------
# Catalogs
# ---------------------------------------------------------------------------------------------


def _roles(rng: Random, count: int) -> list[dict[str, Any]]:
    entries = list(_ROLES[:count])
    if count > len(entries):
        schools = [f"{place} {level}" for place in _PLACES for level in ("Elementary", "Middle")]
        schools += [f"{place} High" for place in _PLACES[:12]]
        combos = [
            (f"{role}, {school}", school)
            for school in schools
            for role, levels in _SCHOOL_ROLES
            if school.rsplit(" ", 1)[1] in levels
        ]
        if count - len(entries) > len(combos):
            raise ValueError(f"cannot name {count} distinct roles")
        # Sampling by position and re-sorting keeps the catalog grouped by school, as a
        # human-built list would be, while which schools appear still depends on the seed.
        picked = sorted(rng.sample(range(len(combos)), count - len(entries)))
        entries += [combos[i] for i in picked]
    roles = []
    for number, (title, department) in enumerate(entries, 1):
        person = _person(rng) if rng.random() < 0.65 else None
        roles.append(
            _obj(
                id=_catalog_id("role", number, count),
                title=title,
                department=department,
                person=person,
            )
        )
    return roles


def _funding_sources(count: int) -> list[tuple[str, str, str, str, int]]:
    """(id, name, code, kind, typical allocation) for count sources; allocation comes later."""
    entries = [(name, code, kind, typical) for name, code, kind, typical in _FUNDING[:count]]
    # Districts track each fiscal year's award of a grant separately (carryover rules differ),
    # so a large catalog is the base list repeated per fiscal year, not invented programs.
    fiscal_year = 25
    while len(entries) < count:
        for name, code, kind, typical in _FUNDING:
            if len(entries) == count:
                break
            entries.append((f"{name} (FY{fiscal_year})", f"{code}-{fiscal_year}", kind, typical))
        fiscal_year += 1
    return [
        (_catalog_id("fs", number, count), name, code, kind, typical)
        for number, (name, code, kind, typical) in enumerate(entries, 1)
    ]


def _monitoring_methods(rng: Random, count: int) -> list[dict[str, Any]]:
    both = max(1, round(count * 0.2)) if count >= 3 else 0
    effectiveness = max(1, round(count * 0.35)) if count >= 2 else 0
    kinds = (
        ["both"] * both
        + ["effectiveness"] * effectiveness
        + ["implementation"] * (count - both - effectiveness)
    )
    rng.shuffle(kinds)
    texts: dict[str, list[str]] = {}
    for kind, base in (
        ("implementation", _IMPLEMENTATION_METHODS),
        ("effectiveness", _EFFECTIVENESS_METHODS),
        ("both", _BOTH_METHODS),
    ):
        needed = kinds.count(kind)
        pool = list(base)
        rng.shuffle(pool)
        if needed > len(pool):
            combos = [
                f"{text}, reviewed {frequency} by {who}"
                for text in base
                for frequency in _REVIEW_FREQUENCIES
                for who in _REVIEWERS
            ]
            rng.shuffle(combos)
            pool += combos
        if needed > len(pool):
            raise ValueError(f"cannot name {needed} distinct {kind} monitoring methods")
        texts[kind] = pool[:needed]
    taken = dict.fromkeys(texts, 0)
    methods = []
    for number, kind in enumerate(kinds, 1):
        text = texts[kind][taken[kind]]
        taken[kind] += 1
        methods.append({"id": _catalog_id("mm", number, count), "text": text, "kind": kind})
    return methods


# ---------------------------------------------------------------------------------------------
# The tree
# ---------------------------------------------------------------------------------------------


class _Builder:
    """Holds the catalogs and running totals that every level of the tree draws on."""

    def __init__(self, rng: Random, counts: Mapping[str, int]) -> None:
        self.rng = rng
        self.counts = counts
        self.roles = _roles(rng, counts["roles"])
        self.sources = _funding_sources(counts["funding_sources"])
        self.methods = _monitoring_methods(rng, counts["monitoring_methods"])
        self.role_ids = [role["id"] for role in self.roles]
        self.implementation_ids = [
            m["id"] for m in self.methods if m["kind"] in ("implementation", "both")
        ]
        self.effectiveness_ids = [
            m["id"] for m in self.methods if m["kind"] in ("effectiveness", "both")
        ]
        # Large programs fund many steps and small ones few; square roots keep Title I from
        # swallowing every link.
        self.source_weights = [
            math.sqrt(typical) * (0.3 + rng.random()) for *_, typical in self.sources
        ]
        self.typical = {sid: typical for sid, *_, typical in self.sources}
        self.spent = {sid: 0 for sid, *_ in self.sources}
        self.slots = {theme["key"]: {**_GENERIC_SLOTS, **theme["slots"]} for theme in _THEMES}

    # -- level 1 ------------------------------------------------------------------------------

    def goal_areas(self) -> list[dict[str, Any]]:
        rng, counts = self.rng, self.counts
        areas = counts["goal_areas"]
        objectives_per_area = _spread(rng, counts["objectives"], areas)
        objective_count = sum(objectives_per_area)
        strategies_per_objective = _spread(rng, counts["strategies"], objective_count)
        measures_per_objective = _spread(rng, counts["measures"], objective_count)
        steps_per_strategy = _spread(rng, counts["action_steps"], sum(strategies_per_objective))
        equity_count = max(1, round(areas / 3)) if areas else 0
        equity_areas = set(rng.sample(range(areas), equity_count))

        result = []
        objective_index = 0
        strategy_index = 0
        for area in range(areas):
            theme = _THEMES[area % len(_THEMES)]
            round_ = area // len(_THEMES)
            objectives = []
            for _ in range(objectives_per_area[area]):
                n_strategies = strategies_per_objective[objective_index]
                step_counts = steps_per_strategy[strategy_index : strategy_index + n_strategies]
                objectives.append(
                    self.objective(
                        theme,
                        measures_per_objective[objective_index],
                        step_counts,
                        area in equity_areas,
                    )
                )
                objective_index += 1
                strategy_index += n_strategies
            result.append(self.goal_area(theme, round_, area in equity_areas, objectives))
        return result

    def goal_area(
        self,
        theme: Mapping[str, Any],
        round_: int,
        is_equity_gap: bool,
        objectives: list[dict[str, Any]],
    ) -> dict[str, Any]:
        rng, slots = self.rng, self.slots[theme["key"]]
        title = theme["title"]
        if round_:
            # Large plans repeat themes; a qualifier tells the repeats apart as real plans do.
            qualifiers = theme["qualifiers"]
            title = f"{title}: {qualifiers[(round_ - 1) % len(qualifiers)]}"
            repeat = (round_ - 1) // len(qualifiers) + 1
            if repeat > 1:
                title += f" ({repeat})"
        description = _prose(
            rng, rng.choice(theme["description"]), _DESCRIPTION_EXTRA, slots, 25, 150, 55
        )
        need = _prose(
            rng,
            _fill(rng, rng.choice(theme["need"]), slots),
            (*theme["need_extra"], *_NEED_EXTRA),
            slots,
            25,
            150,
            70,
        )
        goal = _prose(
            rng, _fill(rng, rng.choice(theme["goal"]), slots), _GOAL_EXTRA, slots, 20, 80, 30
        )
        root_causes = rng.sample(theme["root_causes"], rng.randint(1, 3))
        return _obj(
            title=title,
            description=description,
            need=need,
            is_equity_gap=True if is_equity_gap else None,
            root_causes=root_causes,
            goal=goal,
            equity_gap=self.equity_gap(theme) if is_equity_gap else None,
            objectives=objectives,
        )

    def equity_gap(self, theme: Mapping[str, Any]) -> dict[str, Any]:
        rng = self.rng
        grades = ("PK", "K", *(str(g) for g in range(1, 13)))
        low, high = rng.choice(theme["grade_spans"])
        subgroups = rng.sample(_MEASURE_GROUPS, rng.randint(1, 2))
        content = list(theme["content_areas"])
        content_areas = content[: rng.randint(1, len(content))]
        groups = " and ".join(_GROUP_PHRASES[group] for group in subgroups)
        description = (
            f"Outcomes for {groups} in grades {low}-{high} trail those of their peers by "
            f"{rng.randint(10, 30)} percentage points on the measures for this goal area, and the "
            f"gap has not narrowed over the last three years."
        )
        return _obj(
            description=description,
            content_areas=content_areas,
            grade_levels=list(grades[grades.index(low) : grades.index(high) + 1]),
            subgroups=subgroups,
            interventions=sorted(rng.sample(_INTERVENTIONS, rng.randint(1, 2))),
        )

    # -- level 2 ------------------------------------------------------------------------------

    def objective(
        self,
        theme: Mapping[str, Any],
        n_measures: int,
        step_counts: Sequence[int],
        equity: bool,
    ) -> dict[str, Any]:
        rng, slots = self.rng, self.slots[theme["key"]]
        templates = rng.sample(theme["measures"], min(n_measures, len(theme["measures"])))
        # More measures than templates only happens at stress size; reuse with new groups.
        while len(templates) < n_measures:
            templates.append(rng.choice(theme["measures"]))
        measures = [self.measure(theme, template) for template in templates]
        lead = (
            _objective_lead(templates[0], measures[0])
            if measures
            else _fill(rng, rng.choice(theme["goal"]), slots)
        )
        statement = _prose(rng, lead, _OBJECTIVE_EXTRA, slots, 20, 90, 30)
        strategies = [self.strategy(theme, steps, equity) for steps in step_counts]
        return _obj(statement=statement, measures=measures, strategies=strategies)

    def measure(self, theme: Mapping[str, Any], template: Measure) -> dict[str, Any]:
        rng = self.rng
        name, _, unit, direction, source, base_lo, base_hi, delta_lo, delta_hi, places = template
        group = None
        baseline = rng.uniform(base_lo, base_hi)
        if theme["student_measures"] and rng.random() < 0.3:
            group = rng.choice(_MEASURE_GROUPS)
            # Group measures exist because the group starts behind; mirror that in the data.
            baseline *= 0.75 if direction == "increase" else 1.3
        delta = rng.uniform(delta_lo, delta_hi)
        final = {"increase": baseline + delta, "decrease": baseline - delta}.get(
            direction, baseline
        )

        def value(x: float) -> float | int:
            if unit == "percent":
                x = min(max(x, 0.5), 99.5)
            x = round(max(x, 0.0), places)
            # Whole numbers as ints: the app's dump writes 67, not 67.0, and the two must match.
            return int(x) if x.is_integer() else x

        targets = []
        for year in range(PLAN_YEARS):
            planned = baseline + (final - baseline) * (year + 1) / PLAN_YEARS
            note = "Revised after 2024-25 results" if year >= 2 and rng.random() < 0.02 else None
            targets.append(
                _obj(year=_school_year(FIRST_YEAR + year), value=value(planned), note=note)
            )
        actuals = []
        if rng.random() < 0.5:
            for year in range(rng.randint(1, 2)):
                planned = baseline + (final - baseline) * (year + 1) / PLAN_YEARS
                # Misses and overshoots of about one year's planned change, mostly misses.
                step = abs(final - baseline) / PLAN_YEARS or baseline * 0.02
                noise = rng.uniform(-0.6, 0.4) * step
                if year == 1 and rng.random() < 0.1:
                    # Second-year results are sometimes not released at review time.
                    actuals.append(
                        {"year": _school_year(FIRST_YEAR + year), "note": "Results pending"}
                    )
                else:
                    actuals.append(
                        {"year": _school_year(FIRST_YEAR + year), "value": value(planned + noise)}
                    )
        baseline_note = "Spring 2024 administration" if rng.random() < 0.15 else None
        return _obj(
            name=name,
            student_group=group,
            unit=unit,
            direction=direction,
            data_source=source,
            baseline=_obj(year=BASELINE_YEAR, value=value(baseline), note=baseline_note),
            targets=targets,
            actuals=actuals,
        )

    # -- level 3 ------------------------------------------------------------------------------

    def strategy(self, theme: Mapping[str, Any], n_steps: int, equity: bool) -> dict[str, Any]:
        rng, slots = self.rng, self.slots[theme["key"]]
        text = _prose(rng, rng.choice(theme["strategies"]), _STRATEGY_EXTRA, slots, 20, 120, 45)
        level = rng.choices(
            ("strong", "moderate", "promising", "rationale", "none"), (25, 25, 20, 25, 5)
        )[0]
        citation = None
        if level in ("strong", "moderate", "promising") and rng.random() < 0.45:
            citation = rng.choice(_CITATIONS[theme["key"]])
        phases = []
        phase = rng.choices((0, 1, 2), (4, 4, 2))[0]
        names = ("planning", "initial", "full", "sustained")
        for year in range(PLAN_YEARS):
            phases.append({"year": _school_year(FIRST_YEAR + year), "phase": names[phase]})
            if phase < 3 and rng.random() < 0.6:
                phase += 1
        steps = [self.action_step(theme, level, equity) for _ in range(n_steps)]
        return _obj(
            text=text,
            evidence_level=level,
            evidence_citation=citation,
            phases=phases,
            action_steps=steps,
        )

    # -- level 4 ------------------------------------------------------------------------------

    def action_step(
        self, theme: Mapping[str, Any], strategy_level: str, equity: bool
    ) -> dict[str, Any]:
        rng, slots = self.rng, self.slots[theme["key"]]
        steps, pd_steps = theme["steps"], theme["pd_steps"]
        pick = rng.randrange(len(steps) + len(pd_steps))
        if pick < len(steps):
            lead = _fill(rng, steps[pick], slots)
            extra = (*theme["step_extra"], *_STEP_EXTRA)
        else:
            lead = _fill(rng, pd_steps[pick - len(steps)], slots)
            extra = (*theme["pd_extra"], *_PD_EXTRA, *_STEP_EXTRA)
        text = _prose(rng, lead, extra, slots, 20, 150, 40)

        first = rng.choices(range(PLAN_YEARS), (6, 4, 3, 2, 2, 1))[0]
        last = min(PLAN_YEARS - 1, first + rng.choices((0, 1, 2, 5), (6, 2, 1, 1))[0])
        month = rng.choice((7, 8, 8, 8, 9, 10, 1))
        # A January start still belongs to the school year that began the August before.
        start_year = FIRST_YEAR + first + (1 if month == 1 else 0)
        start = date(start_year, month, rng.randint(1, 28))
        end = date(FIRST_YEAR + last + 1, rng.choice((5, 5, 6)), rng.randint(1, 28))
        if rng.random() < 0.5:
            timeline = f"{_month_year(start)} - {_month_year(end)}"
        else:
            timeline = rng.choice(_FREQUENCY_TIMELINES)

        funding = []
        for index in self.pick_sources(rng.choices((1, 2, 3), (5, 3, 2))[0]):
            sid = self.sources[index][0]
            # Amounts scale with the program: a Title I step costs more than a McKinney-Vento one.
            median = min(max(self.typical[sid] * 0.01, 800), 40_000)
            amount = max(100, round(rng.lognormvariate(math.log(median), 0.7), -2))
            amount = int(amount)
            self.spent[sid] += amount
            year = _school_year(FIRST_YEAR + rng.randint(first, last))
            funding.append({"source": sid, "amount": amount, "year": year})

        systems = {rng.choice(theme["systems"])}
        if rng.random() < 0.35:
            systems.add(rng.choice(_SYSTEMS))
        subgroups = rng.sample(range(len(_SUBGROUPS)), rng.randint(1, 3))

        if equity:
            supports = rng.choices((True, False, None), (6, 2, 2))[0]
        else:
            supports = rng.choices((False, None), (5, 5))[0]
        partnerships = None
        if rng.random() < 0.4:
            partner_lead = _fill(rng, rng.choice(_PARTNER_LEAD), slots)
            partnerships = _prose(rng, partner_lead, _PARTNER_EXTRA, slots, 20, 90, 30)

        status = self.status(start, end)
        level = (
            strategy_level
            if rng.random() < 0.7
            else rng.choice(("strong", "moderate", "promising", "rationale"))
        )
        return _obj(
            text=text,
            funding=funding,
            # Checkbox-style lists keep the form's order, whatever order they were ticked in.
            subgroups=[_SUBGROUPS[i] for i in sorted(subgroups)],
            systems=[s for s in _SYSTEMS if s in systems],
            monitoring_implementation=self.pick_ids(self.implementation_ids),
            monitoring_effectiveness=self.pick_ids(self.effectiveness_ids),
            roles=self.pick_ids(self.role_ids),
            evidence_level=level,
            timeline=timeline,
            start=start.isoformat(),
            end=end.isoformat(),
            supports_equity_intervention=supports,
            partnerships=partnerships,
            status=status,
            reviews=self.reviews(start, end, status),
        )

    def pick_sources(self, wanted: int) -> list[int]:
        # Distinct sources, weighted; a step never lists the same fund twice.
        wanted = min(wanted, len(self.sources))
        chosen: list[int] = []
        while len(chosen) < wanted:
            index = self.rng.choices(range(len(self.sources)), self.source_weights)[0]
            if index not in chosen:
                chosen.append(index)
        return sorted(chosen)

    def pick_ids(self, ids: Sequence[str]) -> list[str]:
        if not ids:
            return []
        return sorted(self.rng.sample(ids, min(len(ids), self.rng.choice((1, 1, 2)))))

    def status(self, start: date, end: date) -> str:
        rng = self.rng
        if start > AS_OF:
            return "not_started"
        if end < AS_OF:
            return rng.choices(("completed", "continue_modify", "discontinued"), (7, 2, 1))[0]
        return rng.choices(("in_progress", "continue_modify"), (8, 2))[0]

    def reviews(self, start: date, end: date, status: str) -> list[dict[str, Any]]:
        rng = self.rng
        first = start + timedelta(days=30)
        last = min(end, AS_OF)
        if status == "not_started" or first > last:
            return []
        span = (last - first).days
        wanted = min(rng.choices((0, 1, 2), (3, 4, 3))[0], span + 1)
        days = sorted(rng.sample(range(span + 1), wanted))
        reviews = []
        percent = 0
        for position, offset in enumerate(days):
            final = position == len(days) - 1
            if final and status == "completed" and last == end:
                percent = 100
            else:
                percent = min(95, percent + rng.randint(10, 60))
            if percent == 100:
                review_status = "completed"
            elif final and status in ("continue_modify", "discontinued"):
                review_status = status
            else:
                review_status = "in_progress"
            note = rng.choice(_REVIEW_NOTES) if rng.random() < 0.5 else None
            reviews.append(
                _obj(
                    date=(first + timedelta(days=offset)).isoformat(),
                    status=review_status,
                    percent_complete=percent,
                    note=note,
                )
            )
        return reviews

    # -- catalogs, finished once the tree has spent from them ----------------------------------

    def funding_catalog(self) -> list[dict[str, Any]]:
        rng = self.rng
        catalog = []
        for sid, name, code, kind, typical in self.sources:
            spent = self.spent[sid]
            if spent:
                # Mostly funded with headroom; about one source in ten is over-committed, which
                # the funding summary and checks should be able to show.
                allocation = math.ceil(spent * rng.uniform(0.95, 1.4) / 1000) * 1000
            else:
                allocation = int(round(typical * rng.uniform(0.8, 1.2), -3))
            catalog.append(
                {"id": sid, "name": name, "code": code, "kind": kind, "allocation": allocation}
            )
        return catalog


def _format_value(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:g}%"
    if unit == "dollars":
        return f"${value:,.0f}"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "points":
        return f"{value:g} points"
    return f"{value:g}"


def _objective_lead(template: Measure, measure: Mapping[str, Any]) -> str:
    """The objective's statement names its first measure, as plans state objectives."""
    phrase, unit, direction = template[1], template[2], template[3]
    group = measure.get("student_group")
    scope = f" for {group}" if group else ""
    start = _format_value(measure["baseline"]["value"], unit)
    if direction == "maintain":
        return f"Maintain {phrase}{scope} at or above {start} each year through 2029-30."
    end = _format_value(measure["targets"][-1]["value"], unit)
    verb = "Increase" if direction == "increase" else "Reduce"
    return f"{verb} {phrase}{scope} from {start} in {BASELINE_YEAR} to {end} by 2029-30."


def _plan(rng: Random) -> dict[str, Any]:
    ga_general = _obj(
        funding_options=sorted(
            rng.sample(("consolidated", "fund_400", "traditional"), rng.randint(1, 2))
        ),
        title_ii_a_transfer_to="Title I, Part A" if rng.random() < 0.6 else None,
        title_iv_a_transfer_to="Title I, Part A" if rng.random() < 0.4 else None,
        poverty_factors=["free_reduced_application", "cep_direct_certification"],
        ed_flex_waiver=True if rng.random() < 0.3 else None,
    )
    # Percent belongs with the program it transfers to; without a program it would be noise.
    if "title_ii_a_transfer_to" in ga_general:
        ga_general["title_ii_a_transfer_percent"] = rng.choice((25, 50, 100))
    if "title_iv_a_transfer_to" in ga_general:
        ga_general["title_iv_a_transfer_percent"] = rng.choice((15, 30, 100))
    if rng.random() < 0.5:
        ga_general["poverty_factors"].append("other")
        ga_general["poverty_factors_other"] = (
            "Students identified through the McKinney-Vento homeless liaison and the migrant "
            "education program are counted as low-income."
        )
    if ga_general.get("ed_flex_waiver"):
        ga_general["ed_flex_waiver_detail"] = (
            "Waiver of the 40% poverty threshold to operate a schoolwide program at two schools "
            "with poverty rates between 35% and 40%."
        )
    # Keys in schema order so that dumps from the app and from here diff cleanly.
    order = (
        "funding_options",
        "title_ii_a_transfer_to",
        "title_ii_a_transfer_percent",
        "title_iv_a_transfer_to",
        "title_iv_a_transfer_percent",
        "poverty_factors",
        "poverty_factors_other",
        "ed_flex_waiver",
        "ed_flex_waiver_detail",
    )
    ga_general = {key: ga_general[key] for key in order if key in ga_general}
    return _obj(
        title=f"District Improvement Plan {_school_year(FIRST_YEAR)} to "
        f"{_school_year(FIRST_YEAR + PLAN_YEARS - 1)}",
        organization=rng.choice(_ORGANIZATIONS),
        state="GA",
        layout="ga-dip",
        first_year=_school_year(FIRST_YEAR),
        last_year=_school_year(FIRST_YEAR + PLAN_YEARS - 1),
        status="draft",
        team_lead=_person(rng),
        mission=rng.choice(_MISSIONS),
        vision=rng.choice(_VISIONS),
        core_beliefs=rng.sample(_CORE_BELIEFS, rng.randint(3, 6)),
        level_labels=["Goal Area", "Objective", "Strategy", "Action Step"],
        ga_general=ga_general,
    )


def generate_plan(size: str = "district", seed: int = 1) -> dict:
    """Return one synthetic plan document; the same size and seed always give the same plan."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose from {', '.join(SIZES)}")
    rng = Random(seed)
    plan = _plan(rng)
    builder = _Builder(rng, SIZES[size])
    goal_areas = builder.goal_areas()
    # Allocations depend on what the tree spends, so the funding catalog is finished last even
    # though it is written first.
    return _obj(
        format="planstudio.plan",
        format_version=1,
        plan=plan,
        funding_sources=builder.funding_catalog(),
        roles=builder.roles,
        monitoring_methods=builder.methods,
        goal_areas=goal_areas,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic Plan Studio plan in the JSON interchange form."
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="district")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "-o", "--output", default="-", help="file to write, or - for standard output (default)"
    )
    args = parser.parse_args(argv)
    text = json.dumps(generate_plan(args.size, args.seed), ensure_ascii=False, indent=2) + "\n"
    data = text.encode("utf-8")
    if args.output == "-":
        # Bytes, so that the output is UTF-8 whatever the console's encoding is.
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        Path(args.output).write_bytes(data)
    except OSError as error:
        print(f"cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
