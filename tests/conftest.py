"""Shared fixtures: every test gets its own Plan Studio home folder, so nothing leaks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from planstudio.paths import HOME_ENV, samples_dir

SAMPLES = sorted(samples_dir().glob("*.json"))


@pytest.fixture(autouse=True)
def planstudio_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("planstudio-home")
    monkeypatch.setenv(HOME_ENV, str(home))
    return home


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
