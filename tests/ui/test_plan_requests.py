"""Opening a plan from the desktop: on the command line, by a second double-click, on macOS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFileOpenEvent

from planstudio.model import PlanDocument
from planstudio.ui import app
from planstudio.ui.main_window import MainWindow
from planstudio.ui.plan_requests import FileOpenFilter, PlanRequestServer, _requested_plan

SRC = Path(__file__).resolve().parents[2] / "src"


def _plan(folder: Path, title: str) -> Path:
    path = folder / f"{title.lower()}.psplan"
    with PlanDocument.new(title=title) as document:
        document.save_as(path)
    return path


def _planstudio(*args: str, **extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "QT_QPA_PLATFORM": "offscreen", **extra}
    return subprocess.Popen(
        [sys.executable, "-m", "planstudio", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _windows_showing(path: Path) -> list[MainWindow]:
    return [
        window
        for window in MainWindow.windows
        if window.editing is not None and window.editing.document.path == path
    ]


def test_a_plan_named_on_the_command_line_opens_in_the_window(tmp_path):
    plan = _plan(tmp_path, "Dalton")
    program = _planstudio(str(plan), PLANSTUDIO_QUIT_WHEN_READY="1")
    try:
        out, err = program.communicate(timeout=120)
    finally:
        if program.poll() is None:
            program.kill()
    assert program.returncode == 0, err
    assert out.strip() == "ready: dalton.psplan — Plan Studio"


def test_a_second_double_click_opens_the_plan_in_a_new_window_of_the_running_program(
    main_window, qtbot, tmp_path
):
    first, second = _plan(tmp_path, "Gwinnett"), _plan(tmp_path, "Cobb")
    assert main_window.open_path(first)
    server = PlanRequestServer(app.open_from_desktop)
    assert server.listen()
    # The second program, as the file manager starts it; it hands the plan over and exits.
    program = _planstudio(str(second))
    try:
        qtbot.waitUntil(lambda: program.poll() is not None, timeout=120_000)
        assert program.returncode == 0, program.stderr.read() if program.stderr else ""
        qtbot.waitUntil(lambda: bool(_windows_showing(second)), timeout=10_000)
    finally:
        server.close()
        if program.poll() is None:  # it opened a window of its own instead: the test failed
            program.kill()
    shown = _windows_showing(second)
    assert len(shown) == 1 and shown[0] is not main_window
    assert _windows_showing(first) == [main_window]


def test_only_the_first_program_listens(main_window):
    first, second = PlanRequestServer(app.open_from_desktop), PlanRequestServer(print)
    try:
        assert first.listen()
        assert not second.listen()
    finally:
        first.close()
        second.close()


def test_a_request_that_is_not_one_opens_nothing():
    assert _requested_plan(b'{"open": "/plans/a.psplan"}') == Path("/plans/a.psplan")
    for junk in (b"", b"\xff\xfe", b"[1, 2]", b'{"open": 3}', b'{"open": ""}',
                 b'{"open": "a\\u0000b"}', b"open /etc/passwd"):  # fmt: skip
        assert _requested_plan(junk) is None


def test_a_plan_opened_from_the_finder_arrives_as_an_event(qapp, tmp_path):
    opened: list[Path] = []
    finder = FileOpenFilter(opened.append)
    qapp.installEventFilter(finder)
    try:
        QCoreApplication.sendEvent(qapp, QFileOpenEvent(str(tmp_path / "a.psplan")))
    finally:
        qapp.removeEventFilter(finder)
    assert opened == [tmp_path / "a.psplan"]
