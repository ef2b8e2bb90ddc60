"""Each field's check, asked of the one validator of every field, answers as its sub-schema."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from planstudio.model import validation
from planstudio.model.kinds import KINDS

POINTERS = sorted({f.pointer for kind in KINDS.values() for f in kind.fields})
PROBES: list[Any] = [
    "x", "", "2024-25", "2024-2025", "Strong", "Planning", "☒ ünïcödé", 0, 67, -1, 1.5,
    2**60, True, None, [], ["a"], ["a", "a"], [1], {}, {"a": 1}, "2026-12-03",
    "2026-02-30", "x" * 5000,
]  # fmt: skip


def _own_validator(pointer: str) -> Any:
    schema = validation.plan_schema()
    return jsonschema_rs.validator_for(
        {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{pointer}"},
        validate_formats=True,
    )


def test_every_field_is_checked_by_the_shared_validator() -> None:
    assert len(POINTERS) > 60
    for pointer in POINTERS:
        assert type(validation.field_validator(pointer)).__name__ == "_FieldValidator", pointer


@pytest.mark.parametrize("pointer", POINTERS)
def test_a_field_accepts_and_refuses_what_its_sub_schema_does(pointer: str) -> None:
    shared, own = validation.field_validator(pointer), _own_validator(pointer)
    for value in PROBES:
        assert shared.is_valid(value) == own.is_valid(value), (pointer, value)
        theirs = [error.message for error in own.iter_errors(value)]
        assert [error.message for error in shared.iter_errors(value)] == theirs
        if theirs:
            assert validation.field_problem(pointer, value) is not None
        else:
            assert validation.field_problem(pointer, value) is None


def test_a_pointer_the_shared_validator_lacks_gets_a_validator_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(validation, "_every_field", lambda: (frozenset(), None))
    validator = validation.field_validator.__wrapped__("school_year")
    assert type(validator).__name__ != "_FieldValidator"
    assert validator.is_valid("2024-25")
    assert not validator.is_valid("2024")
