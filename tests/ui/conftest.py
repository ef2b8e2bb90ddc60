"""Window tests: offscreen Qt, settings in a temporary folder, message boxes answered."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def _release_clipboard(qapp):
    """Hand the clipboard back to Qt after each test, as the app does when it quits.

    PySide6 crashes at interpreter exit while the clipboard holds a QMimeData made in
    Python (see planstudio.ui.app.release_clipboard).
    """
    yield
    from planstudio.ui.app import release_clipboard

    release_clipboard()
