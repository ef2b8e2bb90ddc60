"""The window comes up without the database layer, which loads after the first paint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planstudio.model import PlanDocument

SRC = Path(__file__).resolve().parents[2] / "src"
# What the start page must not import: SQLAlchemy and the ORM are a third of the cold start.
HEAVY = ("sqlalchemy", "planstudio.model.entities", "planstudio.model.document")

# The window as planstudio.ui.app.run() builds it, up to its first paint.
FIRST_PAINT = """
import sys, threading, time
from PySide6.QtCore import QEvent, QObject
from planstudio.ui.app import LoadPlanModulesAfterPaint, create_application
app = create_application()
from planstudio.ui.main_window import MainWindow, recent_files


class FirstPaint(QObject):
    painted = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            FirstPaint.painted = True
        return False


spy = FirstPaint()
app.installEventFilter(spy)
if PRELOAD:
    LoadPlanModulesAfterPaint(app)
window = MainWindow()
window.start_page.refresh(recent_files())
window.show()
while not FirstPaint.painted:
    app.processEvents()
"""


def _run(script: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.timeout(150)
def test_the_window_paints_its_start_page_without_importing_sqlalchemy():
    probe = (
        "PRELOAD = False\n"
        + FIRST_PAINT
        + (
            "for _ in range(50):\n"  # a few more turns: the panels, the menus, the recent files
            "    app.processEvents()\n"
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules) or 'none')\n"
        )
    )
    assert _run(probe) == ["none"]


@pytest.mark.timeout(150)
def test_after_the_first_paint_a_worker_loads_what_a_plan_needs_and_the_plan_opens(tmp_path):
    plan = tmp_path / "dalton.psplan"
    with PlanDocument.new(title="Dalton") as document:
        document.save_as(plan)
    probe = (
        "PRELOAD = True\n"
        + FIRST_PAINT
        + (
            "loaded_at_paint = 'sqlalchemy' in sys.modules\n"
            "deadline = time.monotonic() + 60\n"  # the worker starts once the frame is painted
            f"while not all(m in sys.modules for m in {HEAVY!r}) and time.monotonic() < deadline:\n"
            "    app.processEvents()\n"
            "    time.sleep(0.01)\n"
            "for thread in threading.enumerate():\n"
            "    if thread.name == 'load-plan-modules':\n"
            "        thread.join(60)\n"
            f"print(loaded_at_paint, *(m in sys.modules for m in {HEAVY!r}))\n"
            f"print(window.open_path({str(plan)!r}), window.editing is not None)\n"
        )
    )
    assert _run(probe) == ["False", "True", "True", "True", "True", "True"]


@pytest.mark.timeout(150)
def test_a_first_use_while_the_worker_imports_waits_for_it_and_gets_the_module():
    probe = (
        "import sys\n"
        "from planstudio.ui import deferred\n"
        "reading = deferred.deferred('planstudio.model.reading')\n"
        "print(type(reading).__name__)\n"
        "worker = deferred.start_loading_plan_modules()\n"
        "print(callable(reading.item), worker.is_alive(), deferred._loader is None)\n"
        "print(sys.modules['planstudio.model.reading'].item is reading.item)\n"
    )
    assert _run(probe) == ["DeferredModule", "True", "False", "True", "True"]


@pytest.mark.timeout(150)
def test_the_worker_also_loads_the_exporters_and_leaves_them_to_no_collection():
    # Imported by the first export instead, on the export's thread, they held the window
    # and their objects were scanned by the first collections after it.
    probe = (
        "import gc, sys\n"
        "from planstudio.ui import deferred\n"
        "print(any(m in sys.modules for m in deferred.EXPORT_MODULES[1:]))\n"
        "deferred.start_loading_plan_modules().join()\n"
        "print(*(m in sys.modules for m in deferred.EXPORT_MODULES))\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 0)\n"
    )
    assert _run(probe) == ["False", "True", "True", "True", "True", "True"]
