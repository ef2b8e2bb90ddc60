"""The tables in `schema` are the ones the ORM maps and the kinds name, with the DDL files have."""

from __future__ import annotations

from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateTable

from planstudio.model import schema
from planstudio.model.entities import ENTITIES, Base
from planstudio.model.kinds import KINDS


def test_every_kind_names_a_table_of_the_schema_and_the_class_mapped_onto_it() -> None:
    for kind in KINDS.values():
        table = schema.metadata.tables[kind.table]
        assert kind.cls.__table__ is table
        assert {field.name for field in kind.fields} <= set(table.c.keys())
    assert set(ENTITIES) == {kind.table for kind in KINDS.values()}
    assert Base.metadata is schema.metadata


def test_items_keep_the_column_order_plans_were_written_with() -> None:
    # A file made by any earlier version has this order; a working copy is built from it.
    ddl = str(CreateTable(schema.funding_link).compile(dialect=sqlite.dialect()))
    names = [line.split()[0] for line in ddl.splitlines()[1:] if line.startswith("\t")]
    assert names[:9] == [
        "action_step_id", "funding_source_id", "amount", "year",
        "position", "id", "created_at", "modified_at", "PRIMARY",
    ]  # fmt: skip
    assert "ON DELETE CASCADE" in ddl
    assert [index.name for index in schema.funding_link.indexes] != []
    assert schema.ga_general.c.plan_id.unique
