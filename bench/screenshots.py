"""Screenshots of the window at a laptop's size, for docs/ and the README (run under xvfb-run)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication


def _settle(app: QApplication) -> None:
    # Long enough for the Problems check, which runs a moment after the plan is shown.
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def _fund_clayton(window: object) -> None:
    """The Clayton sample with three funding sources spread over its steps, for the summary."""
    from planstudio.model import AddItem, assign

    window.close_document()  # type: ignore[attr-defined]
    window.open_sample("clayton-professional-learning-plan.json")  # type: ignore[attr-defined]
    editing = window.editing  # type: ignore[attr-defined]
    plan = editing.plan
    sources = [("title1", "Title I, Part A", 250000), ("title2", "Title II, Part A", 90000),
               ("local", "Local general fund", 40000)]  # fmt: skip
    for source_id, name, allocation in sources:
        values = {"name": name, "allocation": allocation}
        editing.push(AddItem("funding_source", plan.id, values, item_id=source_id))
    steps = [
        step
        for area in plan.goal_areas
        for objective in area.objectives
        for strategy in objective.strategies
        for step in strategy.action_steps
    ]
    for n, step in enumerate(steps):
        source_id = sources[n % len(sources)][0]
        editing.push(assign(step.id, "funding_link", source_id, amount=1500 + 250 * n))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="docs/screenshots", help="folder of the PNGs")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    parser.add_argument("--suffix", default="", help="added to each file name")
    args = parser.parse_args(argv)
    home = tempfile.mkdtemp(prefix="planstudio-shots-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, home)
    import os

    os.environ["PLANSTUDIO_HOME"] = home
    app = QApplication.instance() or QApplication(sys.argv)
    from planstudio.ui.main_window import MainWindow

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    window = MainWindow()
    window.resize(args.width, args.height)
    window.show()
    # A maximised window on a laptop screen: the frame is the screen less the task bar.
    _settle(app)

    def shot(name: str, widget: object = None) -> None:
        _settle(app)
        target = widget or window
        path = out / f"{name}{args.suffix}.png"
        target.grab().save(str(path))  # type: ignore[attr-defined]
        print(path)

    from PySide6.QtWidgets import QMessageBox

    window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    shot("start-page")
    window.new_plan("ga-dip")
    shot("empty-ga-dip-plan")
    window.close_document()
    # A step of a plan with levels of its own: the Charlotte-Mecklenburg key levers.
    window.open_sample("charlotte-mecklenburg-annual-plan.json")
    _settle(app)
    window.tree.expandToDepth(2)
    model = window.filter_model
    index = model.index(0, 0)
    while model.rowCount(index):
        index = model.index(0, 0, index)
    window.tree.setCurrentIndex(index)
    shot("action-step")
    from planstudio.ui.widgets.spelling import speller

    speller().load()
    text = window.editor.current_field_widget("text")
    text.setFocus()  # type: ignore[union-attr]
    text.moveCursor(QTextCursor.MoveOperation.End)  # type: ignore[union-attr]
    text.insertPlainText(" with weekly tutoring for studnets who recieve services")  # type: ignore[union-attr]
    timeline = window.editor.current_field_widget("timeline")  # a one-line field
    timeline.setText("Quartrly, Agust to May")  # type: ignore[union-attr]
    timeline.setCursorPosition(0)  # type: ignore[union-attr]
    shot("spelling", window.editor)
    window.close_document()
    window.open_sample("durham-strategic-plan.json")
    _settle(app)
    window.tree.expandAll()
    objective = model.index(0, 0, model.index(0, 0))
    window.tree.setCurrentIndex(objective)
    shot("objective-with-measures")
    window.show_properties()
    shot("plan-properties")
    _fund_clayton(window)
    # The Funding panel beside a funded step: allocation, assigned and left in view.
    window.tree.expandAll()
    step = model.index(0, 0, model.index(0, 0, model.index(0, 0, model.index(0, 0))))
    window.tree.setCurrentIndex(step)
    window.panels[0].show()  # type: ignore[attr-defined]
    window.panels[0].raise_()  # type: ignore[attr-defined]
    shot("funding-panel")
    window.show_funding_summary()
    dialog = window.funding_summary
    shot("funding-summary", dialog)
    dialog.close()
    from planstudio.ui.export_dialog import ExportDialog

    export = ExportDialog(window.editing, window)  # type: ignore[union-attr]
    export.show()
    shot("export-dialog", export)
    export.close()
    window.editing.undo_stack.setClean()  # type: ignore[union-attr]
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
