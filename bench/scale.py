"""How the command line grows with the plan: import, dump, check and each export, by size.

Each figure is a whole `planstudio` process, as a user running the command sees it: the
interpreter's start-up included, timed from outside, its peak memory (ru_maxrss of the
child) beside it.  Prints one table; asserts nothing.

    python bench/scale.py                         # 100, 400, 1,000, 4,000, 10,000 steps
    python bench/scale.py --steps 100 400 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from compiled import run_with_bytecode  # noqa: E402 - found through the line above
from machine import describe as describe_machine  # noqa: E402 - the same

DISTRICT_STEPS = 400
CATALOGS = ("roles", "funding_sources", "monitoring_methods")
EXPORTS = (
    ("ga-dip", "pdf"),
    ("ga-dip", "docx"),
    ("strategic-plan", "pdf"),
    ("strategic-plan", "docx"),
    ("progress-report", "pdf"),
)


def plan_of(steps: int) -> dict:
    """A generated plan with `steps` action steps, every other count scaled with it."""
    from generate import SIZES, generate_plan

    name = f"steps-{steps}"
    factor = steps / DISTRICT_STEPS
    counts = {key: max(1, round(value * factor)) for key, value in SIZES["district"].items()}
    for catalog in CATALOGS:  # past the stress plan, no district has more (nor can they be named)
        counts[catalog] = min(counts[catalog], SIZES["stress"][catalog])
    SIZES[name] = counts
    return generate_plan(name, 1)


def run(arguments: list[str]) -> tuple[float, float]:
    """Seconds and peak MB of one `planstudio` process (exit 1 is fine: `check` says so when
    it finds problems)."""
    command = [sys.executable, "-m", "planstudio", *arguments]
    with tempfile.TemporaryFile() as errors:
        began = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)  # the child's own peak, not the largest yet
        elapsed = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in (0, 1):
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            raise RuntimeError(f"{' '.join(arguments)} failed: {message}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    run_with_bytecode()  # timed as installed: compiled, not compiling
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, nargs="+", default=[100, 400, 1000, 4000, 10000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (the fastest shown)")
    parser.add_argument("--exports", default=",".join(f"{lay}.{fmt}" for lay, fmt in EXPORTS))
    args = parser.parse_args()
    exports = [tuple(item.split(".")) for item in args.exports.split(",") if item]
    work = Path(tempfile.mkdtemp(prefix="planstudio-scale-"))
    os.environ["PLANSTUDIO_HOME"] = str(work / "home")

    print(describe_machine())
    columns = ["import", "dump", "check", *(f"{lay} .{fmt}" for lay, fmt in exports)]
    rows: dict[int, dict[str, tuple[float, float]]] = {}
    for steps in sorted(args.steps):
        source = work / f"{steps}.json"
        source.write_text(json.dumps(plan_of(steps), ensure_ascii=False), encoding="utf-8")
        plan = work / f"{steps}.psplan"
        commands = {
            "import": ["import", str(source), "-o", str(plan)],
            "dump": ["dump", str(plan), "-o", str(work / f"{steps}-dump.json")],
            "check": ["check", str(plan)],
        }
        for lay, fmt in exports:
            out = work / f"{steps}-{lay}.{fmt}"
            commands[f"{lay} .{fmt}"] = [
                "export", str(plan), "--format", fmt, "--layout", lay, "-o", str(out)
            ]  # fmt: skip
        figures: dict[str, tuple[float, float]] = {}
        for name, command in commands.items():
            times, peaks = [], []
            for _ in range(args.repeat):
                if name == "import":
                    plan.unlink(missing_ok=True)
                seconds, peak = run(command)
                times.append(seconds)
                peaks.append(peak)
            # The fastest run: on a shared machine the others measure the neighbours too.
            figures[name] = (min(times), max(peaks))
            seconds, peak = figures[name]
            print(f"{steps:>6} steps  {name:<22} {seconds:6.2f} s  {peak:6.0f} MB", file=sys.stderr)
        rows[steps] = figures

    print("Whole `planstudio` processes: seconds (peak MB)")
    print(f"{'steps':>7} | " + " | ".join(f"{name:>17}" for name in columns))
    print("-" * (10 + 20 * len(columns)))
    for steps, figures in rows.items():
        cells = [f"{figures[name][0]:7.2f} s ({figures[name][1]:4.0f})" for name in columns]
        print(f"{steps:>7,} | " + " | ".join(f"{cell:>17}" for cell in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
