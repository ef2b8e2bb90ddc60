"""Where Plan Studio keeps its own files: settings, recovery copies, locks, resources."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

APP_NAME = "PlanStudio"

# Tests and portable installs point everything Plan Studio writes at one folder.
HOME_ENV = "PLANSTUDIO_HOME"


def data_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        base = Path(override)
    else:
        # Imported here: reading and exporting a plan never asks for the data folder.
        import platformdirs

        base = Path(platformdirs.user_data_dir(APP_NAME, False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def recovery_dir() -> Path:
    path = data_dir() / "recovery"
    path.mkdir(parents=True, exist_ok=True)
    return path


def locks_dir() -> Path:
    path = data_dir() / "locks"
    path.mkdir(parents=True, exist_ok=True)
    return path


@cache
def resources_dir() -> Path:
    """The shipped resources: inside the installed package, or beside src/ in a checkout."""
    packaged = Path(str(resources.files("planstudio"))) / "resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "resources"


def schema_path() -> Path:
    return resources_dir() / "plan.schema.json"


def samples_dir() -> Path:
    return resources_dir() / "samples"
