"""The Qt binding itself must survive a long session (PySide6 6.12.0 on Python 3.11 did not)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_many_qt_calls_do_not_crash_the_interpreter() -> None:
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QWidget\n"
        "app = QApplication([])\n"
        "widget = QWidget()\n"
        "for _ in range(50_000):\n"
        "    widget.setEnabled(True)\n"
        "print('survived')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0 and "survived" in result.stdout, result.stderr[-2000:]
