"""The command line's --help and --version load no more than they need."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "resources" / "samples"

# What answering --help or --version must not import: each takes tens of milliseconds.
HEAVY = ("sqlalchemy", "planstudio.model.entities", "planstudio.model.storage", "PySide6")


def loaded_by(argv: list[str], modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a fresh process running the command line with `argv` imports
    (the command must succeed and print something)."""
    probe = (
        "import sys, contextlib, io\n"
        "from planstudio.cli import main\n"
        # Commands write bytes to sys.stdout.buffer, so the stand-in has a buffer too.
        "with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO(), 'utf-8')):\n"
        f"    code = main({argv!r})\n"
        "assert code == 0, code\n"
        f"print(','.join(m for m in {modules!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=90
    )
    return [name for name in done.stdout.strip().split(",") if name]


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_help_and_version_import_no_database_layer(option: str) -> None:
    assert loaded_by([option], HEAVY) == []


def test_the_model_package_still_offers_its_names_on_first_use() -> None:
    import planstudio.model as model

    assert set(model.__all__) == set(model._HOMES)
    for name in model.__all__:
        assert getattr(model, name).__name__ == name
    with pytest.raises(AttributeError):
        _ = model.NoSuchThing  # type: ignore[attr-defined]


# The ORM: its mapping takes a tenth of a second to build, which a command that only reads
# (dump, diff, export, check) would pay at every start; they read through `schema` and Core.
ORM = ("sqlalchemy.orm", "planstudio.model.entities", "PySide6")


@pytest.mark.parametrize(
    "command",
    [
        ["dump", "-o", "{out}.json", "{plan}"],
        ["diff", "{plan}", "{plan}", "-o", "{out}.pdf"],
        ["export", "--format", "pdf", "--layout", "ga-dip", "-o", "{out}.pdf", "{plan}"],
        ["export", "--format", "docx", "--layout", "strategic-plan", "-o", "{out}.docx", "{plan}"],
    ],
    ids=["dump", "diff", "export-pdf", "export-docx"],
)
@pytest.mark.timeout(120)
def test_commands_that_only_read_do_not_build_the_orm(tmp_path: Path, command: list[str]) -> None:
    plan = tmp_path / "durham.psplan"
    subprocess.run(
        [sys.executable, "-m", "planstudio", "import", str(SAMPLES / "durham-strategic-plan.json"),
         "-o", str(plan)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    argv = [part.format(out=tmp_path / "out", plan=plan) for part in command]
    assert loaded_by(argv, ORM) == []
    assert next(tmp_path.glob("out.*")).stat().st_size > 1000
