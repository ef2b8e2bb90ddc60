"""Golden files: an export's text compared with a committed copy, a readable diff on failure.

As novelWriter's reference files: the test never writes its own expectation.  A missing
golden file fails the test; after a deliberate change to a layout or a writer, regenerate
them with

    PLANSTUDIO_UPDATE_GOLDEN=1 python -m pytest tests/export -k golden

and review the diff (git diff tests/export/golden) before committing it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
UPDATE_ENV = "PLANSTUDIO_UPDATE_GOLDEN"


def assert_matches_golden(name: str, actual: str) -> None:
    """`actual` equals golden/`name`; with PLANSTUDIO_UPDATE_GOLDEN=1 it becomes it."""
    golden = GOLDEN / name
    if os.environ.get(UPDATE_ENV) == "1":
        golden.write_text(actual, encoding="utf-8")
        return
    if not golden.exists():
        pytest.fail(
            f"no golden file golden/{name}: create it with {UPDATE_ENV}=1 and review it",
            pytrace=False,
        )
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"golden/{name}",
                "exported now",
            )
        )
        pytest.fail(
            f"the export no longer matches golden/{name}:\n{diff}\n"
            f"(a deliberate change? regenerate with {UPDATE_ENV}=1 and review the diff)",
            pytrace=False,
        )
