"""Benchmarks run as an installed program runs: every module compiled, its bytecode kept.

Some shells set PYTHONDONTWRITEBYTECODE, and a source checkout has no bytecode of its own;
a whole-process figure would then include compiling Plan Studio's modules at every start,
which no installed copy (the PyInstaller build carries its bytecode) ever does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path


def bytecode_cache() -> Path:
    """The private folder the bench's compiled modules live in, kept from run to run."""
    return Path(tempfile.gettempdir()) / f"planstudio-bench-pycache-{os.getuid()}"


def run_with_bytecode() -> None:
    """Run this script again with bytecode in the private cache, compiled ahead.

    With a cache prefix Python looks for every module's bytecode there only (the library's
    own `__pycache__` folders are passed by), so the standard library, the installed
    packages and Plan Studio are all compiled into it; files already compiled are skipped.
    """
    cache = str(bytecode_cache())
    if os.environ.get("PYTHONPYCACHEPREFIX") == cache and not sys.dont_write_bytecode:
        return
    env = dict(os.environ, PYTHONPYCACHEPREFIX=cache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    planstudio = Path(__import__("planstudio").__file__).parent
    folders = {sysconfig.get_paths()[key] for key in ("stdlib", "purelib", "platlib")}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-qq", "-j", "0", "-x", r"[/\\]tests?[/\\]"]
        + sorted(folders)
        + [str(planstudio)],
        env=env,
        check=False,  # a package's file that does not compile is not the bench's business
    )
    os.execve(sys.executable, [sys.executable, *sys.argv], env)
