"""The interchange schema (`plan.schema.json`) as the one source of what a value may be.

Import checks whole documents against it; edit operations check single fields
against the same sub-schemas, so the window can never store what `dump` could
not write.  jsonschema-rs does the checking: it validates a 4,000-step plan in
milliseconds where the pure-Python validator takes seconds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import jsonschema_rs

from planstudio.paths import schema_path


@cache
def plan_schema() -> dict[str, Any]:
    with schema_path().open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def _document_validator() -> Any:
    return jsonschema_rs.validator_for(plan_schema(), validate_formats=True)


def _field_pointers(node: Any, at: str) -> list[str]:
    """`at` and the pointer of every property and list item below it."""
    found = [at]
    if not isinstance(node, dict):
        return found
    properties = node.get("properties")
    if isinstance(properties, dict):
        for name, below in properties.items():
            found += _field_pointers(below, f"{at}/properties/{name}")
    if isinstance(node.get("items"), dict):
        found += _field_pointers(node["items"], f"{at}/items")
    return found


@cache
def _every_field() -> tuple[frozenset[str], Any]:
    """One validator for every sub-schema a field can name, each under its pointer.

    Compiling the schema costs the same for one sub-schema as for all of them (~0.1 ms
    each), and a plan being opened checks some seventy fields: one compile, not seventy.
    """
    definitions = plan_schema()["$defs"]
    pointers = frozenset(
        p for name, node in definitions.items() for p in _field_pointers(node, name)
    )
    schema = {
        "$schema": plan_schema()["$schema"],
        "$defs": definitions,
        "type": "object",
        "properties": {pointer: {"$ref": f"#/$defs/{pointer}"} for pointer in pointers},
    }
    return pointers, jsonschema_rs.validator_for(schema, validate_formats=True)


class _FieldValidator:
    """The shared validator, asked about one field's value (held under the field's pointer)."""

    def __init__(self, pointer: str, validator: Any) -> None:
        self._pointer = pointer
        self._validator = validator

    def is_valid(self, value: Any) -> bool:
        return bool(self._validator.is_valid({self._pointer: value}))

    def iter_errors(self, value: Any) -> Iterator[Any]:
        return iter(self._validator.iter_errors({self._pointer: value}))


@cache
def field_validator(pointer: str) -> Any:
    """A validator for one sub-schema, e.g. ``goal_area/properties/title``."""
    pointers, every_field = _every_field()
    if pointer in pointers:
        return _FieldValidator(pointer, every_field)
    schema = {
        "$schema": plan_schema()["$schema"],
        "$defs": plan_schema()["$defs"],
        "$ref": f"#/$defs/{pointer}",
    }
    return jsonschema_rs.validator_for(schema, validate_formats=True)


_SCHOOL_YEAR = '"^[0-9]{4}-[0-9]{2}$"'


def _readable(message: str, value: Any) -> str:
    """The validator's message, with a long value cut short and patterns said in words."""
    quoted = json.dumps(value, ensure_ascii=False)
    if message.startswith(quoted) and len(quoted) > 40:
        message = quoted[:30] + '…"' + message[len(quoted) :]
    if message.endswith(f"does not match {_SCHOOL_YEAR}"):
        message = message.replace(
            f"does not match {_SCHOOL_YEAR}", "is not a school year like 2024-25"
        )
    return message


def first_problem(document: Any) -> tuple[list[str | int], str] | None:
    """The first schema problem of a document in document order, as (path, message)."""
    validator = _document_validator()
    if validator.is_valid(document):
        return None
    for error in validator.iter_errors(document):
        return list(error.instance_path), _readable(error.message, error.instance)
    return None


def field_problem(pointer: str, value: Any) -> str | None:
    validator = field_validator(pointer)
    if validator.is_valid(value):
        return None
    for error in validator.iter_errors(value):
        return _readable(error.message, error.instance)
    return None
