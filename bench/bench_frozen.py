"""Benchmark the built program (installers/build.py's folder) as a director meets it.

Prints figure | value | target (MISS beside a figure that misses its target) and never
asserts on time: the folder's size, the .tar.gz's size, `--version`, and the start to a
usable window, empty and with the Durham sample plan open. A usable window is the moment
the program prints "ready" under PLANSTUDIO_QUIT_WHEN_READY=1 (ui/app.py): shown, and with
its plan in it when one was named. The first run of each is the cold start (a fresh copy
of the folder, a fresh home); the median is of the runs after it. MB here is 10**6 bytes.

Usage::

    python bench/bench_frozen.py [DIST] [--runs N]      (DIST defaults to dist/)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "installers"))
from smoke import clean_environment, find_build, program_in  # noqa: E402

TARGETS = {"folder": 250.0, "archive": 100.0, "version": 1.0, "window": 2.0}


def timed_version(program: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(program), "--version"], env=env, capture_output=True, check=True)
    return time.perf_counter() - started


def timed_window(program: Path, env: dict[str, str], plan: Path | None) -> float:
    """Seconds from starting the program to its "ready" line."""
    args = [str(program)] + ([str(plan)] if plan else [])
    started = time.perf_counter()
    with subprocess.Popen(
        args, env={**env, "PLANSTUDIO_QUIT_WHEN_READY": "1"}, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
    ) as process:  # fmt: skip
        assert process.stdout is not None
        line = process.stdout.readline()
        ready = time.perf_counter() - started
        process.wait(timeout=120)
    if not line.startswith("ready:"):
        raise SystemExit(f"bench_frozen: the window did not come up ({line!r})")
    return ready


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    files = (p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.lstat().st_size for p in files) / 1e6


def row(figure: str, value: float, unit: str, target: float) -> None:
    miss = "" if value <= target else "  MISS"
    print(f"{figure:<42} {value:8.2f} {unit:<3} ≤ {target:g} {unit}{miss}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Figures of the built Plan Studio.")
    parser.add_argument("dist", nargs="?", type=Path, default=ROOT / "dist")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    build = find_build(args.dist)
    archives = sorted(args.dist.glob("planstudio-*.tar.gz"))

    with tempfile.TemporaryDirectory(prefix="planstudio-bench-") as temporary:
        copy = Path(temporary) / build.name
        shutil.copytree(build, copy, symlinks=True)
        home = Path(temporary) / "home"
        home.mkdir()
        env = clean_environment(home)
        program = program_in(copy)
        sample = next(copy.rglob("planstudio/resources/samples/durham-strategic-plan.json"))
        plan = home / "durham.psplan"

        version = [timed_version(program, env) for _ in range(args.runs + 1)]
        subprocess.run([str(program), "import", str(sample), "-o", str(plan)], env=env,
                       check=True, capture_output=True)  # fmt: skip
        empty = [timed_window(program, env, None) for _ in range(args.runs + 1)]
        with_plan = [timed_window(program, env, plan) for _ in range(args.runs + 1)]

    print(f"Plan Studio built program: {build}  ({os.cpu_count()} CPUs, {sys.platform})")
    row("folder size", size_mb(build), "MB", TARGETS["folder"])
    for archive in archives:
        row(f"archive {archive.name}", size_mb(archive), "MB", TARGETS["archive"])
    row("--version, first run", version[0], "s", TARGETS["version"])
    row("--version, median", statistics.median(version[1:]), "s", TARGETS["version"])
    row("start to usable window, cold (first run)", empty[0], "s", TARGETS["window"])
    row("start to usable window, median", statistics.median(empty[1:]), "s", TARGETS["window"])
    row("start with Durham plan open, median", statistics.median(with_plan[1:]), "s",
        TARGETS["window"])  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
