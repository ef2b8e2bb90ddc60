"""The installed program ends a file command at once, with its output whole and its status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planstudio.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "resources" / "samples"
SAMPLE = SAMPLES / "durham-strategic-plan.json"


def _program(*argv: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "planstudio", *argv], capture_output=True, check=False, timeout=120
    )


@pytest.mark.timeout(180)
def test_a_command_run_as_the_program_gives_its_whole_output_and_status(tmp_path: Path) -> None:
    plan = tmp_path / "plan.psplan"
    assert main(["import", str(SAMPLE), "-o", str(plan)]) == 0

    dumped = _program("dump", str(plan))
    assert dumped.returncode == 0, dumped.stderr
    # A pipe's output is flushed before the process ends: every byte of the JSON is there.
    assert (
        json.loads(dumped.stdout)["plan"]["title"]
        == json.loads(SAMPLE.read_text())["plan"]["title"]
    )

    pdf = tmp_path / "plan.pdf"
    exported = _program("export", str(plan), "--format", "pdf", "-o", str(pdf))
    assert exported.returncode == 0, exported.stderr
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.read_bytes().rstrip().endswith(b"%%EOF")

    missing = _program("export", str(tmp_path / "none.psplan"), "--format", "pdf")
    assert missing.returncode == 2
    assert missing.stderr.decode().count("\n") == 1 and b"Traceback" not in missing.stderr

    version = _program("--version")
    assert version.returncode == 0 and version.stdout.startswith(b"Plan Studio ")


@pytest.mark.timeout(60)
def test_a_command_runs_without_the_collector_and_the_window_with_it(tmp_path: Path) -> None:
    # The collector is off for a file command only (run() decides); main() called in-process,
    # as the tests do, leaves the process's collector as it found it.
    probe = (
        "import gc, sys\n"
        "from planstudio import cli\n"
        "cli.main(['--version'])\n"
        "print(gc.isenabled())\n"
        "sys.argv = ['planstudio', 'new', sys.argv[1]]\n"
        "import atexit\n"
        "atexit.register(lambda: print(gc.isenabled(), flush=True))\n"
        "cli.run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "new.psplan")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["True", "False"]
    assert (tmp_path / "new.psplan").stat().st_size > 0
