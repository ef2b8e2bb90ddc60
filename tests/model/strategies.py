"""Hypothesis strategies for interchange documents, hostile text included."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# Any character a user can paste: control characters, NUL, quotes, <, &, emoji, RTL...
# Lone surrogates are excluded: they cannot exist in UTF-8 text (import refuses them).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
short = text
years = st.sampled_from(["2023-24", "2024-25", "2025-26", "2026-27", "2027-28"])
dates = st.dates().map(lambda d: d.isoformat())
numbers = st.one_of(
    st.integers(min_value=0, max_value=10**9),
    st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
)
percents = st.floats(min_value=0, max_value=100, allow_nan=False)


def optional(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


def item_ids() -> st.SearchStrategy[str]:
    return st.uuids().map(str)


def _point() -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda year, rest: {"year": year, **rest},
        years,
        optional(value=st.one_of(st.none(), numbers), note=short),
    )


def _measure() -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda name, rest: {"name": name, **rest},
        short,
        optional(
            id=item_ids(),
            student_group=short,
            unit=st.sampled_from(["percent", "count", "points", "rate", "dollars", "other"]),
            direction=st.sampled_from(["increase", "decrease", "maintain"]),
            data_source=short,
            baseline=_point(),
            targets=st.lists(_point(), max_size=3),
            actuals=st.lists(_point(), max_size=2),
        ),
    )


@st.composite
def documents(draw: st.DrawFn, max_areas: int = 2) -> dict[str, Any]:
    funding = draw(
        st.lists(
            st.builds(
                lambda name, rest: {"name": name, **rest},
                short,
                optional(
                    code=short,
                    kind=st.sampled_from(["federal", "state", "local", "grant", "other"]),
                    allocation=st.one_of(st.none(), numbers),
                ),
            ),
            max_size=3,
        )
    )
    for index, entry in enumerate(funding):
        entry["id"] = f"fs-{index}"
    roles = draw(
        st.lists(
            st.builds(
                lambda title, rest: {"title": title, **rest},
                short,
                optional(department=short, person=short),
            ),
            max_size=3,
        )
    )
    for index, entry in enumerate(roles):
        entry["id"] = f"role-{index}"
    methods = draw(
        st.lists(
            st.builds(
                lambda body, rest: {"text": body, **rest},
                text,
                optional(kind=st.sampled_from(["implementation", "effectiveness", "both"])),
            ),
            max_size=3,
        )
    )
    for index, entry in enumerate(methods):
        entry["id"] = f"mm-{index}"

    def subset(ids: list[str]) -> st.SearchStrategy[list[str]]:
        return st.lists(st.sampled_from(ids), unique=True, max_size=2) if ids else st.just([])

    funding_ids = [entry["id"] for entry in funding]
    step = st.builds(
        lambda body, rest: {"text": body, **rest},
        text,
        optional(
            id=item_ids(),
            funding=st.lists(
                st.builds(
                    lambda source, rest: {"source": source, **rest},
                    st.sampled_from(funding_ids),
                    optional(amount=st.one_of(st.none(), numbers), year=years),
                ),
                max_size=2,
            )
            if funding_ids
            else st.just([]),
            subgroups=st.lists(short, max_size=2),
            systems=st.lists(
                st.sampled_from(
                    [
                        "coherent_instruction",
                        "effective_leadership",
                        "professional_capacity",
                        "family_community_engagement",
                        "supportive_learning_environment",
                    ]
                ),
                max_size=2,
            ),
            monitoring_implementation=subset([m["id"] for m in methods]),
            monitoring_effectiveness=subset([m["id"] for m in methods]),
            roles=subset([r["id"] for r in roles]),
            evidence_level=st.sampled_from(
                ["strong", "moderate", "promising", "rationale", "none"]
            ),
            timeline=short,
            start=dates,
            end=dates,
            supports_equity_intervention=st.one_of(st.none(), st.booleans()),
            partnerships=text,
            status=st.sampled_from(
                ["not_started", "in_progress", "completed", "continue_modify", "discontinued"]
            ),
            reviews=st.lists(
                st.builds(
                    lambda date, status, rest: {"date": date, "status": status, **rest},
                    dates,
                    st.sampled_from(["not_started", "in_progress", "completed"]),
                    optional(percent_complete=st.one_of(st.none(), percents), note=text),
                ),
                max_size=2,
            ),
        ),
    )
    strategy = st.builds(
        lambda body, rest: {"text": body, **rest},
        text,
        optional(
            id=item_ids(),
            evidence_level=st.sampled_from(["strong", "moderate", "promising", "rationale"]),
            evidence_citation=text,
            phases=st.lists(
                st.fixed_dictionaries(
                    {
                        "year": years,
                        "phase": st.sampled_from(["planning", "initial", "full", "sustained"]),
                    }
                ),
                max_size=2,
            ),
            action_steps=st.lists(step, max_size=2),
        ),
    )
    objective = st.builds(
        lambda statement, rest: {"statement": statement, **rest},
        text,
        optional(
            id=item_ids(),
            measures=st.lists(_measure(), max_size=2),
            strategies=st.lists(strategy, max_size=2),
        ),
    )
    area = st.builds(
        lambda title, rest: {"title": title, **rest},
        short,
        optional(
            id=item_ids(),
            description=text,
            need=text,
            is_equity_gap=st.booleans(),
            root_causes=st.lists(text, max_size=3),
            goal=text,
            equity_gap=optional(
                description=text,
                content_areas=st.lists(short, max_size=2),
                grade_levels=st.lists(st.sampled_from(["PK", "K", "1", "5", "12"]), max_size=2),
                subgroups=st.lists(short, max_size=2),
                interventions=st.lists(short, max_size=2),
            ),
            objectives=st.lists(objective, max_size=2),
        ),
    )
    plan = draw(
        st.builds(
            lambda title, rest: {"title": title, **rest},
            short,
            optional(
                id=item_ids(),
                organization=short,
                state=st.sampled_from(["GA", "NC", "CA"]),
                layout=st.sampled_from(["ga-dip", "strategic-plan"]),
                first_year=years,
                last_year=years,
                status=st.sampled_from(["draft", "in_review", "approved", "submitted"]),
                team_lead=short,
                mission=text,
                vision=text,
                core_beliefs=st.lists(text, max_size=3),
                level_labels=st.lists(short, min_size=4, max_size=4),
                ga_general=optional(
                    funding_options=st.lists(
                        st.sampled_from(["traditional", "consolidated", "fund_400"]),
                        unique=True,
                    ),
                    title_ii_a_transfer_to=short,
                    title_ii_a_transfer_percent=st.one_of(st.none(), percents),
                    title_iv_a_transfer_to=short,
                    title_iv_a_transfer_percent=st.one_of(st.none(), percents),
                    poverty_factors=st.lists(
                        st.sampled_from(["free_reduced_application", "cep_direct_certification"]),
                        unique=True,
                    ),
                    poverty_factors_other=text,
                    ed_flex_waiver=st.booleans(),
                    ed_flex_waiver_detail=text,
                ),
            ),
        )
    )
    document: dict[str, Any] = {"format": "planstudio.plan", "format_version": 1, "plan": plan}
    for key, value in (
        ("funding_sources", funding),
        ("roles", roles),
        ("monitoring_methods", methods),
        ("goal_areas", draw(st.lists(area, max_size=max_areas))),
    ):
        if value:
            document[key] = value
    return document
