"""The rules of the code's arrangement, checked by tools rather than by memory."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_SCHEMA = ROOT.parent / "shared" / "spec" / "plan.schema.json"


def _run(*command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env, check=False
    )


def test_import_contracts_hold() -> None:
    """Qt only under planstudio.ui; the model knows nothing of export, ui or cli."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = _run(str(lint_imports), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    kept = re.search(r"Contracts: (\d+) kept, 0 broken", result.stdout)
    assert kept is not None and int(kept.group(1)) >= 3, result.stdout


def test_model_and_export_tests_pass_without_qt() -> None:
    """As napari does: the core's tests run in an interpreter where Qt cannot be imported."""
    script = (
        "import sys; sys.modules['PySide6'] = None; sys.modules['shiboken6'] = None; "
        "import pytest; sys.exit(pytest.main(['-p', 'no:pytest-qt', '-p', 'no:cacheprovider', "
        "'-q', '-m', 'not slow', 'tests/model', 'tests/export']))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = _run(sys.executable, "-c", script, env=env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert " passed" in result.stdout


def test_ruff_is_clean() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run(sys.executable, "-m", "ruff", "format", "--check", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="no shared spec beside the checkout")
def test_shipped_schema_is_the_contract() -> None:
    shipped = json.loads((ROOT / "resources" / "plan.schema.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(SHARED_SCHEMA.read_text(encoding="utf-8"))
