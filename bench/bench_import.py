"""Benchmark importing the district-size plan's ga-dip Word export, and a rollover of it.

Prints figure | value | target (MISS beside a miss) and never asserts.  The plan comes
from bench.generate (district size, seed 1), is exported as ga-dip .docx with Plan
Studio's own exporter, then imported: read (python-docx and the DIP reader) and build
(the new plan's database) are timed apart, best of three runs.  Also the spreadsheet
import of the same plan's steps written to .csv and .xlsx, and `rollover`.

Usage::

    python bench/bench_import.py
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "src"))

RUNS = 3
TARGET_DOCX_SECONDS = 2.0


def _best(work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def _steps_table(document: dict[str, Any]) -> list[list[str]]:
    sources = {s["id"]: s["name"] for s in document.get("funding_sources", [])}
    roles = {r["id"]: r["title"] for r in document.get("roles", [])}
    rows = [["Goal Area", "Objective", "Strategy", "Action Step", "Person Responsible",
             "Funding Source", "Timeline"]]  # fmt: skip
    for area in document.get("goal_areas", []):
        for objective in area.get("objectives", []):
            for strategy in objective.get("strategies", []):
                for step in strategy.get("action_steps", []):
                    rows.append([
                        area["title"], objective["statement"], strategy["text"], step["text"],
                        "; ".join(roles[r] for r in step.get("roles", [])),
                        "; ".join(sources[f["source"]] for f in step.get("funding", [])),
                        step.get("timeline", ""),
                    ])  # fmt: skip
    return rows


def main() -> int:
    from bench.generate import generate_plan
    from planstudio.export import export_plan
    from planstudio.importers import import_file
    from planstudio.model import PlanDocument
    from planstudio.model.rollover import roll_over

    document = generate_plan("district", seed=1)
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    docx_path = folder / "district.docx"
    with PlanDocument.from_interchange(document) as plan:
        export_plan(plan.plan, "docx", docx_path, layout="ga-dip")
        plan_path = folder / "district.psplan"
        plan.save_as(plan_path)
    read_time, result = _best(lambda: import_file(docx_path))

    def build() -> None:
        with PlanDocument.from_interchange(result.document):
            pass

    build_time, _ = _best(build)
    rows = _steps_table(document)
    csv_path = folder / "steps.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    xlsx_path = folder / "steps.xlsx"
    workbook.save(xlsx_path)
    csv_time, _ = _best(lambda: import_file(csv_path))
    xlsx_time, _ = _best(lambda: import_file(xlsx_path))

    def rollover() -> None:
        with PlanDocument.open(plan_path, read_only=True) as source:
            new, _summary = roll_over(source, plan_path)
            new.close()

    rollover_time, _ = _best(rollover)
    steps = result.report.counts.get("action step", 0)
    total = read_time + build_time
    figures = [
        ("ga-dip .docx size (MB)", f"{docx_path.stat().st_size / 2**20:.1f}", ""),
        ("action steps read back", f"{steps} of {len(rows) - 1}", ""),
        ("notes (not placed)", str(len(result.report.notes)), ""),
        ("docx import: read (s)", f"{read_time:.2f}", ""),
        ("docx import: build plan (s)", f"{build_time:.2f}", ""),
        ("docx import: total (s)", f"{total:.2f}", f"<= {TARGET_DOCX_SECONDS:.0f}"),
        (f"csv import, {len(rows) - 1} rows (s)", f"{csv_time:.2f}", ""),
        (f"xlsx import, {len(rows) - 1} rows (s)", f"{xlsx_time:.2f}", ""),
        ("rollover (open, roll, build) (s)", f"{rollover_time:.2f}", ""),
    ]
    print(f"district plan, seed 1, best of {RUNS}")
    for name, value, target in figures:
        miss = "  MISS" if target and total > TARGET_DOCX_SECONDS else ""
        print(f"{name:<36} {value:>12}  {target}{miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
