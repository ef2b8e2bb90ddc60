"""The Help menu: the user guide that ships with the program, the About box, the log folder."""

from __future__ import annotations

import html
import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planstudio import __version__
from planstudio.paths import data_dir, resources_dir

# What ships inside Plan Studio, and under which licence; the fonts' full texts follow in
# the About box. Kept by hand: a frozen build carries no package metadata to read them from.
BUNDLED = (
    ("DejaVu Sans (fonts embedded in exported PDFs)", "Bitstream Vera licence; DejaVu changes "
     "in the public domain"),
    ("Noto Emoji (font embedded in exported PDFs)", "SIL Open Font License 1.1"),
    ("Qt 6 and PySide6", "GNU LGPL v3; the libraries are separate files in the program's "
     "folder and may be replaced"),
    ("Python", "Python Software Foundation License"),
    ("SQLAlchemy", "MIT"),
    ("python-docx", "MIT"),
    ("lxml", "BSD"),
    ("ReportLab", "BSD"),
    ("pypdf", "BSD"),
    ("Pillow", "MIT-CMU (HPND)"),
    ("jsonschema-rs", "MIT"),
    ("platformdirs", "MIT"),
    ("filelock", "The Unlicense"),
)  # fmt: skip
FONT_LICENCES = ("LICENSE-DejaVu.txt", "LICENSE-NotoEmoji-OFL.txt")


def guide_path() -> Path:
    return resources_dir() / "guide" / "guide.html"


def log_folder() -> Path:
    """Where the error log (planstudio-errors.log) and the recovery copies are kept."""
    return data_dir()


class _TextDialog(QDialog):
    """A window of rich text with a Close button; links to web pages open in the browser."""

    def __init__(self, title: str, text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 640)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.browser.toPlainText()


class GuideDialog(_TextDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        try:
            text = guide_path().read_text(encoding="utf-8")
        except OSError as error:
            text = f"<p>The user guide cannot be read ({html.escape(str(error))}).</p>"
        text = text.replace("{data_folder}", html.escape(str(data_dir())))
        super().__init__("Plan Studio User Guide", text, parent)


def about_html() -> str:
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{html.escape(licence)}</td></tr>"
        for name, licence in BUNDLED
    )
    licences = ""
    for name in FONT_LICENCES:
        try:
            body = (resources_dir() / "fonts" / name).read_text(encoding="utf-8")
        except OSError:
            continue
        licences += f"<h4>{html.escape(name)}</h4><pre>{html.escape(body)}</pre>"
    return (
        f"<h2>Plan Studio {html.escape(__version__)}</h2>"
        "<p>Write a school district improvement plan offline, keep it in one file, and "
        "export the Word and PDF documents the state asks for.</p>"
        f"<p><b>Data folder</b> (recovery copies, settings, error log):<br>"
        f"<code>{html.escape(str(data_dir()))}</code></p>"
        f"<p>Qt {html.escape(qVersion())}, PySide6 {html.escape(PySide6.__version__)}, "
        f"Python {html.escape(platform.python_version())}</p>"
        f"<h3>Bundled fonts and libraries</h3><table cellpadding='3'>{rows}</table>"
        f"<h3>Font licences</h3>{licences}"
    )


class AboutDialog(_TextDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("About Plan Studio", about_html(), parent)


def _show(window: QMainWindow, kind: type[GuideDialog | AboutDialog]) -> _TextDialog:
    """One of each per window: asking again brings the open one to the front."""
    dialog = window.findChild(kind)
    if not isinstance(dialog, kind):
        dialog = kind(window)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def open_log_folder() -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_folder())))


def add_help_menu(window: QMainWindow) -> QMenu:
    """Add Help ▸ User Guide, About and Open Log Folder to `window`'s menu bar."""
    menu = window.menuBar().addMenu("&Help")
    guide = QAction("&User Guide", window)
    guide.setObjectName("help_guide")
    guide.setShortcut(QKeySequence.StandardKey.HelpContents)
    guide.triggered.connect(lambda: _show(window, GuideDialog))
    logs = QAction("Open &Log Folder", window)
    logs.setObjectName("help_log_folder")
    logs.triggered.connect(open_log_folder)
    about = QAction("&About Plan Studio", window)
    about.setObjectName("help_about")
    about.setMenuRole(QAction.MenuRole.AboutRole)  # macOS puts it in the application menu
    about.triggered.connect(lambda: _show(window, AboutDialog))
    menu.addActions([guide, logs])
    menu.addSeparator()
    menu.addAction(about)
    return menu
