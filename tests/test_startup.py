"""The command line's --help and --version load no more than they need."""

from __future__ import annotations

import subprocess
import sys

import pytest

# What answering --help or --version must not import: each takes tens of milliseconds.
HEAVY = ("sqlalchemy", "planstudio.model.entities", "planstudio.model.storage", "PySide6")


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_help_and_version_import_no_database_layer(option: str) -> None:
    probe = (
        "import sys, contextlib, io\n"
        "from planstudio.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    code = main([{option!r}])\n"
        "assert code == 0 and 'plan' in out.getvalue().lower(), out.getvalue()\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_the_model_package_still_offers_its_names_on_first_use() -> None:
    import planstudio.model as model

    assert set(model.__all__) == set(model._HOMES)
    for name in model.__all__:
        assert getattr(model, name).__name__ == name
    with pytest.raises(AttributeError):
        _ = model.NoSuchThing  # type: ignore[attr-defined]
