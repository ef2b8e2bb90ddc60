"""Window benchmark for File ▸ Merge Copy… and Compare With… on a large plan.

Two copies of the generated plan, each with 400 changed action steps (40 of them
the same steps, so 40 conflicts); prints how long the window takes to prepare
the merge, show its dialog, apply it as one undo step and undo it, and to show a
comparison.  Asserts nothing.  Runs offscreen:  python bench/bench_merge_window.py
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="stress", choices=["district", "stress"])
    parser.add_argument("--changes", type=int, default=400)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["PLANSTUDIO_HOME"] = tempfile.mkdtemp(prefix="planstudio-bench-")

    from PySide6.QtWidgets import QApplication, QMessageBox

    from generate import generate_plan
    from planstudio.model import PlanDocument, UpdateItem
    from planstudio.model.copies import apply_all
    from planstudio.ui.main_window import MainWindow
    from planstudio.ui.merge_dialog import MergeDialog

    folder = Path(tempfile.mkdtemp(prefix="planstudio-merge-"))
    base = folder / "plan.psplan"
    with PlanDocument.from_interchange(generate_plan(args.size, 1)) as plan:
        plan.save_as(base)
        steps = sorted(plan.rows()["action_step"])
    theirs = folder / "theirs.psplan"
    shutil.copyfile(base, theirs)
    overlap = args.changes // 10
    with PlanDocument.open(theirs) as plan:
        plan.author = "Dr. Ruiz"
        apply_all(plan, [UpdateItem("action_step", s, {"timeline": f"Theirs {n}"})
                         for n, s in enumerate(steps[: args.changes])])  # fmt: skip
        plan.save()

    app = QApplication.instance() or QApplication([])
    MainWindow.ask_author = lambda _self, current, _first: current  # type: ignore[method-assign]
    window = MainWindow()
    window.show()
    window.open_path(base)
    editing = window.editing
    assert editing is not None
    mine = steps[args.changes - overlap : 2 * args.changes - overlap]
    editing.push_many([UpdateItem("action_step", s, {"timeline": f"Mine {n}"})
                       for n, s in enumerate(mine)], "My edits")  # fmt: skip
    window.ask_plan_path = lambda _caption: str(theirs)  # type: ignore[method-assign]

    figures: dict[str, float] = {}
    shown_at: list[float] = []

    def answer(dialog: MergeDialog) -> bool:
        shown_at.append(time.perf_counter())
        dialog.show()
        app.processEvents()
        figures["conflicts"] = len(dialog.conflicts)
        dialog.decide_all("theirs")
        shown_at.append(time.perf_counter())
        return True

    window.ask_merge = answer  # type: ignore[method-assign]
    started = time.perf_counter()
    window.merge_copy()
    done = time.perf_counter()
    figures["prepare + dialog shown"] = (shown_at[0] - started) * 1000
    figures["decide all conflicts"] = (shown_at[1] - shown_at[0]) * 1000
    figures["apply as one undo step"] = (done - shown_at[1]) * 1000
    began = time.perf_counter()
    window.undo_action.trigger()
    figures["undo the merge"] = (time.perf_counter() - began) * 1000
    began = time.perf_counter()
    dialog = window.compare_with_file()
    app.processEvents()
    figures["compare dialog shown"] = (time.perf_counter() - began) * 1000
    rows = dialog.table.rowCount() if dialog is not None else 0

    print(f"{args.size} plan, {len(steps):,} action steps; {args.changes} changes each side, "
          f"{int(figures.pop('conflicts'))} conflicts; {rows:,} differences compared")  # fmt: skip
    for name, value in figures.items():
        print(f"  {name:<28} {value:8.0f} ms")
    window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
