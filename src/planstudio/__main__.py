"""`python -m planstudio`: the same program as the `planstudio` command."""

from planstudio.cli import run

run()
