"""Starting the application, and what the user sees when something unforeseen goes wrong."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox

from planstudio.ui import app


def test_an_unexpected_error_is_told_in_words_and_logged(qtbot, planstudio_home, monkeypatch):
    shown: list[str] = []

    def critical(_parent: Any, _title: str, text: str, *args: Any) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "critical", critical)
    try:
        raise RuntimeError("the printer caught fire")
    except RuntimeError as error:
        app._report_unexpected(RuntimeError, error, error.__traceback__)
    assert len(shown) == 1
    assert "the printer caught fire" in shown[0] and "recovery copy" in shown[0]
    assert "Traceback" not in shown[0]
    log = (planstudio_home / "planstudio-errors.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "the printer caught fire" in log
