"""What kinds of item a plan holds, where each sits, and which fields it has.

One table drives the edit operations, the snapshots that bring a deleted
branch back and the field checks, so that a new field is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planstudio.model.entities import Item, Plan


DEFAULT_LEVEL_LABELS = ("Goal Area", "Objective", "Strategy", "Action Step")


def level_labels(given: Any) -> tuple[str, str, str, str]:
    """What a plan whose `level_labels` field holds `given` calls its four levels."""
    labels = given if isinstance(given, list | tuple) else ()
    if len(labels) == 4 and all(isinstance(label, str) and label for label in labels):
        return (labels[0], labels[1], labels[2], labels[3])
    return DEFAULT_LEVEL_LABELS


@dataclass(frozen=True)
class Field:
    """An editable column and the sub-schema of `plan.schema.json` its values obey."""

    name: str
    pointer: str
    required: bool = False  # the interchange form requires it: stored as "" rather than None
    is_list: bool = False
    ref: str | None = None  # the catalog kind whose id this column holds


@dataclass(frozen=True)
class Kind:
    name: str
    table: str  # the name of its table in `schema`
    label: str  # what the user calls it when the plan does not name it
    parent: str | None = None
    collection: str | None = None  # the parent's attribute holding the ordered children
    parent_key: str | None = None  # the column pointing at the parent
    level: int | None = None  # 1-4 for the levels of the tree, which a plan may rename
    fields: tuple[Field, ...] = ()
    children: tuple[str, ...] = field(default=())  # kinds nested below, filled in at import

    @property
    def cls(self) -> type[Item]:
        """The ORM class of this kind's rows, for the edit operations (which need the ORM)."""
        # Named, not imported at the top: readers that use only `table` skip the ORM.
        from planstudio.model.entities import ENTITIES

        return ENTITIES[self.table]

    def field(self, name: str) -> Field | None:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        return None

    @property
    def is_link(self) -> bool:
        return any(f.ref for f in self.fields)

    @property
    def is_catalog(self) -> bool:
        return self.name in CATALOG_KINDS


def _fields(prefix: str, *specs: str | Field) -> tuple[Field, ...]:
    """Fields named as in the schema: "name", "name!" for required, "name[]" for lists."""
    made: list[Field] = []
    for spec in specs:
        if isinstance(spec, Field):
            made.append(spec)
            continue
        required = spec.endswith("!")
        is_list = spec.endswith("[]")
        name = spec.rstrip("!").removesuffix("[]")
        made.append(Field(name, f"{prefix}/properties/{name}", required, is_list))
    return tuple(made)


def _nested(prefix: str, column_prefix: str, *names: str) -> tuple[Field, ...]:
    made: list[Field] = []
    for spec in names:
        is_list = spec.endswith("[]")
        name = spec.removesuffix("[]")
        made.append(Field(f"{column_prefix}{name}", f"{prefix}/properties/{name}", False, is_list))
    return tuple(made)


_POINT = ("year!", "value", "note")
_GA = "plan/properties/ga_general"
_EQUITY = "goal_area/properties/equity_gap"
_STEP_FUNDING = "action_step/properties/funding/items"

_KIND_LIST: tuple[Kind, ...] = (
    Kind(
        "plan",
        "plan",
        "Plan",
        fields=_fields(
            "plan",
            "title!",
            "organization",
            "state",
            "layout",
            "first_year",
            "last_year",
            "status",
            "team_lead",
            "mission",
            "vision",
            "core_beliefs[]",
            "level_labels[]",
        ),
    ),
    Kind(
        "ga_general",
        "ga_general",
        "General Information",
        parent="plan",
        parent_key="plan_id",
        fields=_nested(
            _GA,
            "",
            "funding_options[]",
            "title_ii_a_transfer_to",
            "title_ii_a_transfer_percent",
            "title_iv_a_transfer_to",
            "title_iv_a_transfer_percent",
            "poverty_factors[]",
            "poverty_factors_other",
            "ed_flex_waiver",
            "ed_flex_waiver_detail",
        ),
    ),
    Kind(
        "funding_source",
        "funding_source",
        "Funding Source",
        "plan",
        "funding_sources",
        "plan_id",
        fields=_fields("funding_source", "name!", "code", "kind", "allocation"),
    ),
    Kind(
        "role",
        "role",
        "Role",
        "plan",
        "roles",
        "plan_id",
        fields=_fields("role", "title!", "department", "person"),
    ),
    Kind(
        "monitoring_method",
        "monitoring_method",
        "Monitoring Method",
        "plan",
        "monitoring_methods",
        "plan_id",
        fields=_fields("monitoring_method", "text!", "kind"),
    ),
    Kind(
        "goal_area",
        "goal_area",
        "Goal Area",
        "plan",
        "goal_areas",
        "plan_id",
        level=1,
        fields=_fields(
            "goal_area", "title!", "description", "need", "is_equity_gap", "root_causes[]", "goal"
        )
        + _nested(
            _EQUITY,
            "equity_gap_",
            "description",
            "content_areas[]",
            "grade_levels[]",
            "subgroups[]",
            "interventions[]",
        ),
    ),
    Kind(
        "objective",
        "objective",
        "Objective",
        "goal_area",
        "objectives",
        "goal_area_id",
        level=2,
        fields=_fields("objective", "statement!"),
    ),
    Kind(
        "measure",
        "measure",
        "Measure",
        "objective",
        "measures",
        "objective_id",
        fields=_fields("measure", "name!", "student_group", "unit", "direction", "data_source")
        + (
            Field("baseline_year", "point/properties/year"),
            Field("baseline_value", "point/properties/value"),
            Field("baseline_note", "point/properties/note"),
        ),
    ),
    Kind(
        "target",
        "measure_target",
        "Target",
        "measure",
        "targets",
        "measure_id",
        fields=_fields("point", *_POINT),
    ),
    Kind(
        "actual",
        "measure_actual",
        "Actual",
        "measure",
        "actuals",
        "measure_id",
        fields=_fields("point", *_POINT),
    ),
    Kind(
        "strategy",
        "strategy",
        "Strategy",
        "objective",
        "strategies",
        "objective_id",
        level=3,
        fields=_fields("strategy", "text!", "evidence_level", "evidence_citation"),
    ),
    Kind(
        "phase",
        "strategy_phase",
        "Implementation Phase",
        "strategy",
        "phases",
        "strategy_id",
        fields=_fields("strategy/properties/phases/items", "year!", "phase!"),
    ),
    Kind(
        "action_step",
        "action_step",
        "Action Step",
        "strategy",
        "action_steps",
        "strategy_id",
        level=4,
        fields=_fields(
            "action_step",
            "text!",
            "subgroups[]",
            "systems[]",
            "evidence_level",
            "timeline",
            "start",
            "end",
            "supports_equity_intervention",
            "partnerships",
            "status",
        ),
    ),
    Kind(
        "review",
        "action_step_review",
        "Review",
        "action_step",
        "reviews",
        "action_step_id",
        fields=_fields(
            "action_step/properties/reviews/items", "date!", "status!", "percent_complete", "note"
        ),
    ),
    Kind(
        "funding_link",
        "funding_link",
        "Funding",
        "action_step",
        "funding",
        "action_step_id",
        fields=(
            Field(
                "funding_source_id",
                f"{_STEP_FUNDING}/properties/source",
                True,
                ref="funding_source",
            ),
            Field("amount", f"{_STEP_FUNDING}/properties/amount"),
            Field("year", f"{_STEP_FUNDING}/properties/year"),
        ),
    ),
    Kind(
        "role_link",
        "role_link",
        "Responsible Role",
        "action_step",
        "role_links",
        "action_step_id",
        fields=(Field("role_id", "id", True, ref="role"),),
    ),
    Kind(
        "implementation_link",
        "implementation_monitoring_link",
        "Implementation Monitoring",
        "action_step",
        "implementation_links",
        "action_step_id",
        fields=(Field("monitoring_method_id", "id", True, ref="monitoring_method"),),
    ),
    Kind(
        "effectiveness_link",
        "effectiveness_monitoring_link",
        "Effectiveness Monitoring",
        "action_step",
        "effectiveness_links",
        "action_step_id",
        fields=(Field("monitoring_method_id", "id", True, ref="monitoring_method"),),
    ),
)

KINDS: dict[str, Kind] = {}
for _kind in _KIND_LIST:
    _nested_kinds = tuple(
        k.name for k in _KIND_LIST if k.parent == _kind.name and k.collection is not None
    )
    KINDS[_kind.name] = Kind(**{**_kind.__dict__, "children": _nested_kinds})

CATALOG_KINDS = ("funding_source", "role", "monitoring_method")
TREE_KINDS = ("goal_area", "objective", "strategy", "action_step")
LINK_KINDS = ("funding_link", "role_link", "implementation_link", "effectiveness_link")


@cache
def _kinds_by_class() -> dict[type[Any], Kind]:
    return {kind.cls: kind for kind in KINDS.values()}


def kind_of(item: Item) -> Kind:
    return _kinds_by_class()[type(item)]


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"there is no kind of item called {name!r}") from None


def label_for(kind: Kind, plan: Plan | None) -> str:
    """The name the plan gives this kind: its own level labels for the four levels."""
    if kind.level is not None and plan is not None:
        return plan.labels[kind.level - 1]
    return kind.label
