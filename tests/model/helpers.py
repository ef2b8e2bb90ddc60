"""Helpers for comparing plans: the interchange form without ids, and raw table contents."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import SAMPLES, load_json

ITEM_KEYS = ("plan", "goal_areas", "objectives", "measures", "strategies", "action_steps")
REQUIRED_TEXT = {"title", "statement", "name", "text"}


def without_item_ids(document: Any) -> Any:
    """The document with the ids of plan, areas, objectives, measures, strategies, steps removed.

    Catalog ids stay: they are what action steps refer to.
    """
    document = copy.deepcopy(document)

    def strip(node: Any, key: str | None) -> None:
        if isinstance(node, dict):
            if key in ITEM_KEYS:
                node.pop("id", None)
            for child_key, child in node.items():
                strip(child, child_key)
        elif isinstance(node, list):
            for child in node:
                strip(child, key)

    strip(document, None)
    return document


def canonical(node: Any, key: str | None = None) -> Any:
    """What dump writes for a document: no empty values except required text."""
    if isinstance(node, dict):
        result = {}
        for child_key, child in node.items():
            value = canonical(child, child_key)
            if value is None or value == [] or value == {}:
                continue
            if value == "" and child_key not in REQUIRED_TEXT:
                continue
            result[child_key] = value
        return result
    if isinstance(node, list):
        return [canonical(child) for child in node]
    return node


def table_rows(database: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every plan table, for exact before/after comparisons."""
    connection = sqlite3.connect(database)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        rows = {}
        for table in tables:
            query = f"SELECT * FROM {table}"
            if table == "document_info":
                query += " WHERE key != 'revision'"
            rows[table] = sorted(connection.execute(query).fetchall(), key=repr)
        return rows
    finally:
        connection.close()


def rich_sample() -> dict[str, Any]:
    """The Clayton plan (46 action steps) with catalogs assigned, and Durham's measures."""
    document = load_json(next(s for s in SAMPLES if "clayton" in s.name))
    durham = load_json(next(s for s in SAMPLES if "durham" in s.name))
    document["roles"] = [{"id": f"role-{n}", "title": f"Coordinator {n}"} for n in range(3)]
    document["funding_sources"] = [
        {"id": "fund-a", "name": "Title I, Part A", "kind": "federal", "allocation": 50000}
    ]
    steps = [
        step
        for area in document["goal_areas"]
        for objective in area.get("objectives", [])
        for strategy in objective.get("strategies", [])
        for step in strategy.get("action_steps", [])
    ]
    for number, step in enumerate(steps):
        step["roles"] = [f"role-{number % 3}"]
        step["funding"] = [{"source": "fund-a", "amount": 100 + number}]
    document["goal_areas"].extend(durham["goal_areas"][:1])
    return document
