"""Help ▸ User Guide, About and Open Log Folder in the main window."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices

from planstudio import __version__
from planstudio.paths import data_dir
from planstudio.ui.help_menu import AboutDialog, GuideDialog


def _help_action(window, name: str) -> QAction:
    action = window.findChild(QAction, name)
    assert action is not None, f"no {name} action"
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert action in help_menu.actions()
    return action


def test_about_shows_the_version_the_data_folder_and_the_licences(main_window, qtbot):
    _help_action(main_window, "help_about").trigger()
    about = main_window.findChild(AboutDialog)
    assert about is not None and about.isVisible()
    text = about.text()
    assert f"Plan Studio {__version__}" in text
    assert str(data_dir()) in text
    for licence in ("SIL Open Font License", "Bitstream Vera", "LGPL", "Copyright 2013 Google"):
        assert licence in text
    _help_action(main_window, "help_about").trigger()
    assert len(main_window.findChildren(AboutDialog)) == 1  # asked twice, shown once
    about.close()


def test_the_user_guide_ships_with_the_program_and_covers_the_topics(main_window, qtbot):
    _help_action(main_window, "help_guide").trigger()
    guide = main_window.findChild(GuideDialog)
    assert guide is not None and guide.isVisible()
    text = guide.text()
    for topic in ("Start a plan", "outline and its levels", "side panels", "Measures and targets",
                  "Checking the plan", "Exporting", "Sharing a plan by email",
                  "recovery copies"):  # fmt: skip
        assert topic in text
    assert str(data_dir()) in text and "{data_folder}" not in text
    guide.close()


def test_open_log_folder_opens_the_data_folder(main_window, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    _help_action(main_window, "help_log_folder").trigger()
    assert [url.toLocalFile() for url in opened] == [str(data_dir())]
