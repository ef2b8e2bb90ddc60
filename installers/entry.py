"""The frozen program's first module: the `planstudio` command, windowed or in a terminal."""

from __future__ import annotations

import os
import sys


def _give_streams_a_sink() -> None:
    """A windowed build has no console, so Python leaves stdout and stderr as None; the
    command line writes its one-line errors there, which must not become a traceback."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115, PTH123


if __name__ == "__main__":
    _give_streams_a_sink()
    from planstudio.cli import run

    run()
