"""The plan file's tables in SQLAlchemy Core: every column, key and index, and nothing else.

The ORM classes in `entities` are mapped onto these tables, but a reader that
never edits (dump, export, diff, the file's reception) needs only the tables:
importing them costs a few milliseconds where building the ORM mapping costs a
tenth of a second, which a one-shot command would pay at every start.

Column names follow `plan.schema.json`.  Each table lists its own columns
first, then `position` for ordered children, then the identity every item
carries (`id`, `created_at`, `modified_at`): the order the tables have always
had in the file, so that the DDL compiled from here is the DDL of every plan
written so far.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime:
    # Naive UTC: SQLite keeps no zone, and a value must read back equal to what was written.
    return datetime.now(UTC).replace(tzinfo=None)


def _text(name: str, *, required: bool = False) -> Column[str]:
    return Column(name, String, nullable=not required)


def _long_text(name: str, *, required: bool = False) -> Column[str]:
    return Column(name, Text, nullable=not required)


def _number(name: str) -> Column[float]:
    return Column(name, Float)


def _yes_no(name: str) -> Column[bool]:
    return Column(name, Boolean)


def _list(name: str) -> Column[list[Any]]:
    return Column(name, JSON(none_as_null=True))


def _parent(name: str, table: str, *, index: bool = True, unique: bool = False) -> Column[str]:
    return Column(
        name,
        ForeignKey(f"{table}.id", ondelete="CASCADE"),
        nullable=False,
        index=index or None,
        unique=unique or None,
    )


def _item(name: str, *columns: Column[Any], positioned: bool = True) -> Table:
    """A table of items: its own columns, then the position and identity every item has."""
    identity: list[Column[Any]] = [
        Column("id", String(100), primary_key=True, default=new_id),
        Column("created_at", DateTime, nullable=False, default=utc_now),
        Column("modified_at", DateTime, nullable=False, default=utc_now),
    ]
    if positioned:
        identity.insert(0, Column("position", Integer, nullable=False, default=0))
    return Table(name, metadata, *columns, *identity)


document_info = Table(
    "document_info",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text),
)

plan = _item(
    "plan",
    Column("title", String(1000), nullable=False),
    *(_text(name) for name in ("organization", "state", "layout", "first_year", "last_year")),
    _text("status"),
    _text("team_lead"),
    _long_text("mission"),
    _long_text("vision"),
    _list("core_beliefs"),
    _list("level_labels"),
    positioned=False,
)

ga_general = _item(
    "ga_general",
    _parent("plan_id", "plan", index=False, unique=True),
    _list("funding_options"),
    _text("title_ii_a_transfer_to"),
    _number("title_ii_a_transfer_percent"),
    _text("title_iv_a_transfer_to"),
    _number("title_iv_a_transfer_percent"),
    _list("poverty_factors"),
    _long_text("poverty_factors_other"),
    _yes_no("ed_flex_waiver"),
    _long_text("ed_flex_waiver_detail"),
    positioned=False,
)

# ---------------------------------------------------------------------------- catalogs

funding_source = _item(
    "funding_source",
    _parent("plan_id", "plan"),
    _text("name", required=True),
    _text("code"),
    _text("kind"),
    _number("allocation"),
)

role = _item(
    "role",
    _parent("plan_id", "plan"),
    _text("title", required=True),
    _text("department"),
    _text("person"),
)

monitoring_method = _item(
    "monitoring_method",
    _parent("plan_id", "plan"),
    _long_text("text", required=True),
    _text("kind"),
)

# ---------------------------------------------------------------------------- the tree

goal_area = _item(
    "goal_area",
    _parent("plan_id", "plan"),
    _text("title", required=True),
    _long_text("description"),
    _long_text("need"),
    _yes_no("is_equity_gap"),
    _list("root_causes"),
    _long_text("goal"),
    _long_text("equity_gap_description"),
    _list("equity_gap_content_areas"),
    _list("equity_gap_grade_levels"),
    _list("equity_gap_subgroups"),
    _list("equity_gap_interventions"),
)

objective = _item(
    "objective",
    _parent("goal_area_id", "goal_area"),
    _long_text("statement", required=True),
)

measure = _item(
    "measure",
    _parent("objective_id", "objective"),
    _text("name", required=True),
    *(_text(name) for name in ("student_group", "unit", "direction", "data_source")),
    _text("baseline_year"),
    _number("baseline_value"),
    _text("baseline_note"),
)


def _measure_points(name: str) -> Table:
    return _item(
        name,
        _parent("measure_id", "measure"),
        _text("year", required=True),
        _number("value"),
        _text("note"),
    )


measure_target = _measure_points("measure_target")
measure_actual = _measure_points("measure_actual")

strategy = _item(
    "strategy",
    _parent("objective_id", "objective"),
    _long_text("text", required=True),
    _text("evidence_level"),
    _long_text("evidence_citation"),
)

strategy_phase = _item(
    "strategy_phase",
    _parent("strategy_id", "strategy"),
    _text("year", required=True),
    _text("phase", required=True),
)

action_step = _item(
    "action_step",
    _parent("strategy_id", "strategy"),
    _long_text("text", required=True),
    _list("subgroups"),
    _list("systems"),
    _text("evidence_level"),
    _text("timeline"),
    Column("start", String(10)),
    Column("end", String(10)),
    _yes_no("supports_equity_intervention"),
    _long_text("partnerships"),
    _text("status"),
)

action_step_review = _item(
    "action_step_review",
    _parent("action_step_id", "action_step"),
    Column("date", String(10), nullable=False),
    _text("status", required=True),
    _number("percent_complete"),
    _long_text("note"),
)

# ---------------------------------------------------------------------------- links

funding_link = _item(
    "funding_link",
    _parent("action_step_id", "action_step"),
    _parent("funding_source_id", "funding_source"),
    _number("amount"),
    _text("year"),
)

role_link = _item(
    "role_link",
    _parent("action_step_id", "action_step"),
    _parent("role_id", "role"),
)


def _monitoring_link(name: str) -> Table:
    return _item(
        name,
        _parent("action_step_id", "action_step"),
        _parent("monitoring_method_id", "monitoring_method"),
    )


implementation_monitoring_link = _monitoring_link("implementation_monitoring_link")
effectiveness_monitoring_link = _monitoring_link("effectiveness_monitoring_link")

# One saved version of the plan (see `history`): not an item, so no position or dates.
plan_version = Table(
    "plan_version",
    metadata,
    Column("id", String(100), primary_key=True, default=new_id),
    Column("parent_id", String(100)),
    # The other copy's version a merge brought in, so that its history is shared too.
    Column("merged_id", String(100)),
    Column("saved_at", DateTime, nullable=False, default=utc_now),
    Column("author", String(200), nullable=False),
    Column("comment", Text),
    # A whole row map (keyframe) or the change from the parent's, zlib-compressed JSON.
    Column("keyframe", Boolean, nullable=False, default=False),
    Column("data", LargeBinary, nullable=False),
)
