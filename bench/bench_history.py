"""Benchmark the plan's history, compare and merge: file size with versions, save, diff, merge.

Prints its figures against the targets of issue 11 and never asserts on time:

- after 200 saves of small edits to the district plan, the file is at most 1.5 times
  the size of the same plan with no history;
- Save with history on the district plan ≤ 200 ms;
- diff and merge of two copies of the stress plan, each with 400 changes, ≤ 2 s.

Usage::

    python bench/bench_history.py [--saves 200] [--changes 400]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from generate import generate_plan
from planstudio.model import DeleteItem, PlanDocument, UpdateItem
from planstudio.model.copies import prepare_merge
from planstudio.model.diff import compare
from planstudio.model.edits import AddItem, EditOp


def _without_history(source: Path, target: Path) -> int:
    """The size of the same plan saved with no versions at all."""
    shutil.copyfile(source, target)
    with contextlib.closing(sqlite3.connect(target)) as connection:
        connection.execute("DELETE FROM plan_version")
        connection.commit()
        connection.execute("VACUUM")
    return target.stat().st_size


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _changes(plan: PlanDocument, rng: Random, count: int, tag: str) -> list[EditOp]:
    rows = plan.rows()
    steps = sorted(rows["action_step"])
    strategies = sorted(rows["strategy"])
    rng.shuffle(steps)
    operations: list[EditOp] = []
    for number in range(count):
        kind = number % 4
        if kind == 0:
            operations.append(AddItem("action_step", rng.choice(strategies),
                                      {"text": f"{tag} added step {number}"}))  # fmt: skip
        elif kind == 1 and steps:
            operations.append(DeleteItem("action_step", steps.pop()))
        else:
            operations.append(UpdateItem("action_step", steps.pop(),
                                         {"timeline": f"{tag} {number}"}))  # fmt: skip
    return operations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--changes", type=int, default=400)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-history-"))
    os.environ["PLANSTUDIO_HOME"] = str(work / "home")
    rows: list[tuple[str, str, str]] = []
    try:
        district = work / "district.psplan"
        with PlanDocument.from_interchange(generate_plan("district")) as plan:
            plan.save_as(district)
        plain = _without_history(district, work / "plain.psplan")
        save_times: list[float] = []
        with PlanDocument.open(district) as plan:
            steps = sorted(plan.rows()["action_step"])
            for number in range(args.saves):
                step = steps[number % len(steps)]
                plan.apply(UpdateItem("action_step", step, {"timeline": f"Save {number}"}))
                started = time.perf_counter()
                plan.save()
                save_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            oldest = plan.versions()[-1]
            plan.version_rows(oldest.id)
            rebuild = time.perf_counter() - started
        size = district.stat().st_size
        ratio = size / plain
        rows += [
            ("district file, no history", f"{plain / 2**20:.2f} MB", ""),
            (f"district file after {args.saves} saves", f"{size / 2**20:.2f} MB",
             f"{ratio:.2f}× (≤ 1.5×){' MISS' if ratio > 1.5 else ''}"),
            ("save with history, median", _ms(statistics.median(save_times)),
             f"≤ 200 ms{' MISS' if statistics.median(save_times) > 0.2 else ''}"),
            ("save with history, max", _ms(max(save_times)), ""),
            ("rebuild the oldest version (no cache)", _ms(rebuild), ""),
        ]  # fmt: skip

        stress = work / "stress.psplan"
        with PlanDocument.from_interchange(generate_plan("stress")) as plan:
            plan.save_as(stress)
        mine, theirs = work / "mine.psplan", work / "theirs.psplan"
        shutil.copyfile(stress, mine)
        shutil.copyfile(stress, theirs)
        rng = Random(7)
        for path, tag in ((theirs, "theirs"), (mine, "mine")):
            with PlanDocument.open(path) as plan:
                for operation in _changes(plan, rng, args.changes, tag):
                    with contextlib.suppress(Exception):
                        plan.apply(operation)
                plan.save()
        with PlanDocument.open(mine) as plan:
            started = time.perf_counter()
            with PlanDocument.open(theirs, read_only=True) as other:
                differences = compare(plan.rows(), other.rows())
            diff_time = time.perf_counter() - started
            started = time.perf_counter()
            prepared = prepare_merge(plan, theirs)
            operations = prepared.edits()
            merge_time = time.perf_counter() - started
        rows += [
            (f"stress diff ({len(differences)} differences, open included)", _ms(diff_time),
             f"≤ 2 s{' MISS' if diff_time > 2 else ''}"),
            (f"stress merge ({len(prepared.merge.conflicts)} conflicts, {len(operations)} "
             "edits; open, base, merge)", _ms(merge_time),
             f"≤ 2 s{' MISS' if merge_time > 2 else ''}"),
        ]  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}} | {'value':>12} | target")
    print(f"{'-' * width}-+-{'-' * 12}-+-------")
    for figure, value, target in rows:
        print(f"{figure:<{width}} | {value:>12} | {target}")


if __name__ == "__main__":
    main()
