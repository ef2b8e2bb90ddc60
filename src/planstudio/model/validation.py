"""The interchange schema (`plan.schema.json`) as the one source of what a value may be.

Import checks whole documents against it; edit operations check single fields
against the same sub-schemas, so the window can never store what `dump` could
not write.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from planstudio.paths import schema_path


@cache
def plan_schema() -> dict[str, Any]:
    with schema_path().open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def document_validator() -> Draft202012Validator:
    return Draft202012Validator(plan_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def field_validator(pointer: str) -> Draft202012Validator:
    """A validator for one sub-schema, e.g. ``goal_area/properties/title``."""
    schema = {"$defs": plan_schema()["$defs"], "$ref": f"#/$defs/{pointer}"}
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def first_problem(document: Any) -> ValidationError | None:
    """The most relevant schema problem of a document, or None when it is valid."""
    return best_match(document_validator().iter_errors(document))


def field_problem(pointer: str, value: Any) -> str | None:
    error = best_match(field_validator(pointer).iter_errors(value))
    return None if error is None else error.message
