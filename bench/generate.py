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
from typing import Any, NamedTuple

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
# Vocabulary: word lists and phrases live in bench/data/*.json (described in its README), so
# that this module holds only how a plan is put together.
# ---------------------------------------------------------------------------------------------

DATA = Path(__file__).resolve().parent / "data"


def _frozen(value: Any) -> Any:
    """JSON lists as tuples, recursively: the vocabulary is shared and must not be altered."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


def _load(name: str) -> Any:
    """One vocabulary file of bench/data, read as UTF-8 whatever the locale."""
    with (DATA / f"{name}.json").open(encoding="utf-8") as file:
        return _frozen(json.load(file))


class Measure(NamedTuple):
    """A measure a theme can track; decimals -3 rounds to thousands, as budgets are written."""

    name: str
    phrase: str  # how the measure reads inside the objective's sentence
    unit: str
    direction: str
    data_source: str
    baseline_low: float
    baseline_high: float
    change_low: float
    change_high: float
    decimals: int


def _measure(entry: Mapping[str, Any]) -> Measure:
    return Measure(
        entry["name"],
        entry["phrase"],
        entry["unit"],
        entry["direction"],
        entry["data_source"],
        *entry["baseline"],
        *entry["change"],
        entry["decimals"],
    )


Pool = Sequence[str] | Callable[[Random], str]

_PROSE = _load("prose")
_CATALOGS = _load("catalogs")
_CHOICES = _load("form_choices")

_GENERIC_SLOTS: dict[str, Pool] = {
    **_PROSE["slots"],
    # Numbers drawn fresh for each sentence, so that two needs never quote the same figure.
    "gap": lambda rng: str(rng.randint(8, 28)),
    "pct_lo": lambda rng: str(rng.randint(28, 48)),
    "pct_hi": lambda rng: str(rng.randint(55, 75)),
}
_DESCRIPTION_EXTRA: tuple[str, ...] = _PROSE["description_extra"]
_NEED_EXTRA: tuple[str, ...] = _PROSE["need_extra"]
_GOAL_EXTRA: tuple[str, ...] = _PROSE["goal_extra"]
_OBJECTIVE_EXTRA: tuple[str, ...] = _PROSE["objective_extra"]
_STRATEGY_EXTRA: tuple[str, ...] = _PROSE["strategy_extra"]
_STEP_EXTRA: tuple[str, ...] = _PROSE["step_extra"]
_PD_EXTRA: tuple[str, ...] = _PROSE["pd_extra"]
_PARTNER_LEAD: tuple[str, ...] = _PROSE["partner_lead"]
_PARTNER_EXTRA: tuple[str, ...] = _PROSE["partner_extra"]
_REVIEW_NOTES: tuple[str, ...] = _PROSE["review_notes"]
_CITATIONS: dict[str, tuple[str, ...]] = _PROSE["citations"]
_ORGANIZATIONS: tuple[str, ...] = _PROSE["organizations"]
_MISSIONS: tuple[str, ...] = _PROSE["missions"]
_VISIONS: tuple[str, ...] = _PROSE["visions"]
_CORE_BELIEFS: tuple[str, ...] = _PROSE["core_beliefs"]

_SUBGROUPS: tuple[str, ...] = _CHOICES["subgroups"]
_MEASURE_GROUPS: tuple[str, ...] = _CHOICES["measure_groups"]
_GROUP_PHRASES: dict[str, str] = _CHOICES["group_phrases"]
_SYSTEMS: tuple[str, ...] = _CHOICES["systems"]
_INTERVENTIONS: tuple[str, ...] = _CHOICES["interventions"]

_FIRST_NAMES: tuple[str, ...] = _CATALOGS["first_names"]
_LAST_NAMES: tuple[str, ...] = _CATALOGS["last_names"]
_PLACES: tuple[str, ...] = _CATALOGS["places"]
_SCHOOL_ROLES = tuple((entry["title"], entry["levels"]) for entry in _CATALOGS["school_roles"])
_ROLES = tuple((entry["title"], entry["department"]) for entry in _CATALOGS["roles"])
_FUNDING = tuple(
    (entry["name"], entry["code"], entry["kind"], entry["typical_allocation"])
    for entry in _CATALOGS["funding_sources"]
)
_IMPLEMENTATION_METHODS: tuple[str, ...] = _CATALOGS["implementation_methods"]
_EFFECTIVENESS_METHODS: tuple[str, ...] = _CATALOGS["effectiveness_methods"]
_BOTH_METHODS: tuple[str, ...] = _CATALOGS["both_methods"]
_REVIEWERS: tuple[str, ...] = _CATALOGS["reviewers"]
_REVIEW_FREQUENCIES: tuple[str, ...] = _CATALOGS["review_frequencies"]
_FREQUENCY_TIMELINES: tuple[str, ...] = _CATALOGS["frequency_timelines"]

# Goal-area themes: each keeps its objectives, strategies and steps on one topic, so that a
# goal area reads like one person wrote it.
_THEMES: tuple[dict[str, Any], ...] = tuple(
    {**theme, "measures": tuple(_measure(entry) for entry in theme["measures"])}
    for theme in _load("themes")
)

# Spelled out so that timelines do not depend on the process locale, as strftime("%b") does.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

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
