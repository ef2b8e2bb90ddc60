"""The main window: one plan, its tree, the editor, the catalog panels and the commands.

The window is the one place that hands each edit's Change to the tree, the
editor and the panels; none of them knows the others.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QMimeData, QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planstudio.model import AddItem, Change, DeleteItem, MoveItem, PlanDocument, PlanError
from planstudio.model.clipboard import copy_branch, dumps_branch, loads_branch, paste_operations
from planstudio.model.kinds import KINDS, TREE_KINDS
from planstudio.model.search import find_text
from planstudio.paths import data_dir, samples_dir
from planstudio.ui.busy import run_busy
from planstudio.ui.catalog.panels import FundingSourcesPanel, MonitoringMethodsPanel, RolesPanel
from planstudio.ui.editors import EditorPane
from planstudio.ui.problems_panel import ProblemsPanel, problems_text
from planstudio.ui.session import DocumentSession
from planstudio.ui.start_page import StartPage
from planstudio.ui.tree import (
    ID_ROLE,
    KIND_ROLE,
    MIME_BRANCH,
    TITLE_FIELD,
    PlanFilterModel,
    PlanTreeModel,
    PlanTreeView,
)

APP_TITLE = "Plan Studio"
MAX_RECENT = 10
_NEW_TITLE_VALUES = {
    "goal_area": "New goal area",
    "objective": "New objective",
    "strategy": "New strategy",
    "action_step": "New action step",
}


def settings() -> QSettings:
    """Settings live beside the recovery copies, so a test or portable install keeps them apart."""
    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def recent_files() -> list[str]:
    value = settings().value("recent", [])
    if isinstance(value, str):
        value = [value]
    return [str(path) for path in value or [] if path]


def remember_recent(path: Path) -> None:
    store = settings()
    paths = [str(path)] + [p for p in recent_files() if p != str(path)]
    store.setValue("recent", paths[:MAX_RECENT])


class MainWindow(QMainWindow):
    """One plan per window; File ▸ New and Open use this window while it has no plan."""

    windows: list[MainWindow] = []  # noqa: RUF012 - every open window, so none is collected

    def __init__(self) -> None:
        super().__init__()
        MainWindow.windows.append(self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session: DocumentSession | None = None
        self.setWindowTitle(APP_TITLE)
        self.resize(1280, 820)

        self.tree_model = PlanTreeModel(self)
        self.filter_model = PlanFilterModel(self)
        self.filter_model.setSourceModel(self.tree_model)
        self.tree = PlanTreeView()
        self.tree.setModel(self.filter_model)
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Filter the outline")
        self.filter_box.setAccessibleName("Filter the outline")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self._filter_changed)
        outline = QWidget()
        outline_layout = QVBoxLayout(outline)
        outline_layout.setContentsMargins(0, 0, 0, 0)
        outline_layout.addWidget(self.filter_box)
        outline_layout.addWidget(self.tree)

        self.editor = EditorPane()
        self.editor.navigate.connect(self.go_to)
        self.splitter = QSplitter()
        self.splitter.addWidget(outline)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([380, 620])  # the forms need the room more than the outline

        self.start_page = StartPage()
        self.start_page.open_requested.connect(self.open_path)
        self.start_page.sample_requested.connect(self.open_sample)
        self.start_page.new_requested.connect(self.new_plan)
        self.start_page.browse_requested.connect(self.open_dialog)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start_page)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.panels: list[Any] = [FundingSourcesPanel(self), RolesPanel(self),
                                  MonitoringMethodsPanel(self)]  # fmt: skip
        for panel in self.panels:
            panel.setObjectName(type(panel).__name__)
            panel.navigate.connect(self.go_to)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
        self.tabifyDockWidget(self.panels[0], self.panels[1])
        self.tabifyDockWidget(self.panels[1], self.panels[2])
        self.panels[0].raise_()
        self.find_dock = self._make_find_dock()
        self.problems = ProblemsPanel(self)
        self.problems.navigate.connect(self.go_to_field)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems)
        self.problem_count = QLabel()
        self.problem_count.setAccessibleName("Problem count")
        self.statusBar().addPermanentWidget(self.problem_count)
        self.problems.count_changed.connect(self._show_problem_count)

        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self._make_actions()
        self._make_menus()
        self.statusBar().showMessage("Ready", 2000)
        self._restore_layout()
        self._show_document_state()

    # ------------------------------------------------------------------ building

    def _action(self, text: str, slot: Any, shortcut: Any = None, name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
        action.triggered.connect(slot)
        action.setObjectName(name or text.replace("…", "").replace("&", "").strip())
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_action = self._action("&New Blank Plan", lambda: self.new_plan(None), key.New)
        self.new_dip_action = self._action(
            "New Georgia &District Improvement Plan", lambda: self.new_plan("ga-dip")
        )
        self.new_strategic_action = self._action(
            "New &Strategic Plan", lambda: self.new_plan("strategic-plan")
        )
        self.open_action = self._action("&Open…", self.open_dialog, key.Open)
        self.save_action = self._action("&Save", self.save, key.Save)
        self.save_as_action = self._action("Save &As…", self.save_as, QKeySequence("Ctrl+Shift+S"))
        self.revert_action = self._action("&Revert to Saved", self.revert)
        self.export_action = self._action("&Export…", self.export, QKeySequence("Ctrl+E"))
        self.close_action = self._action("&Close", self.close_document, key.Close)
        self.quit_action = self._action("&Quit", self.quit_all, key.Quit)
        self.undo_action = self._action("&Undo", self._undo, key.Undo)
        self.redo_action = self._action(
            "&Redo", self._redo, [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
        )
        self.cut_action = self._action("Cu&t", self.cut, key.Cut)
        self.copy_action = self._action("&Copy", self.copy, key.Copy)
        self.paste_action = self._action("&Paste", self.paste, key.Paste)
        self.delete_action = self._action(
            "&Delete", self.delete_current, QKeySequence.StandardKey.Delete
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.tree.addAction(self.delete_action)
        self.removeAction(self.delete_action)
        self.rename_action = self._action("Re&name", self.rename_current, QKeySequence("F2"))
        self.add_child_action = self._action(
            "Add C&hild", self.add_child, QKeySequence("Ctrl+Shift+N")
        )
        self.add_sibling_action = self._action(
            "Add &Sibling", self.add_sibling, QKeySequence("Ctrl+Return")
        )
        self.move_up_action = self._action("Move &Up", lambda: self.move_current(-1),
                                           QKeySequence("Alt+Up"))  # fmt: skip
        self.move_down_action = self._action("Move Do&wn", lambda: self.move_current(1),
                                             QKeySequence("Alt+Down"))  # fmt: skip
        self.find_action = self._action("&Find…", self.show_find, key.Find)
        self.properties_action = self._action("Plan &Properties", self.show_properties)
        self.funding_summary_action = self._action("&Funding Summary…", self.show_funding_summary)
        self.expand_action = self._action("&Expand All", self.tree.expandAll)
        self.collapse_action = self._action("C&ollapse All", self.tree.collapseAll)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        new_menu = file_menu.addMenu("&New")
        new_menu.addActions([self.new_action, self.new_dip_action, self.new_strategic_action])
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action, self.revert_action])
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addActions([self.close_action, self.quit_action])
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.cut_action, self.copy_action, self.paste_action,
                              self.delete_action])  # fmt: skip
        edit_menu.addSeparator()
        edit_menu.addActions([self.add_child_action, self.add_sibling_action, self.rename_action,
                              self.move_up_action, self.move_down_action])  # fmt: skip
        edit_menu.addSeparator()
        edit_menu.addActions([self.find_action, self.properties_action])
        self.edit_menu = edit_menu
        view_menu = bar.addMenu("&View")
        view_menu.addActions([self.expand_action, self.collapse_action])
        view_menu.addSeparator()
        for dock in [*self.panels, self.find_dock, self.problems]:
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        view_menu.addAction(self.funding_summary_action)

    def _make_find_dock(self) -> QDockWidget:
        dock = QDockWidget("Find", self)
        dock.setObjectName("FindPanel")
        body = QWidget()
        layout = QVBoxLayout(body)
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText("Find in every field of the plan")
        self.find_box.setAccessibleName("Find text")
        self.find_box.returnPressed.connect(self._run_find)
        self.find_box.textChanged.connect(self._run_find)
        self.find_results = QListWidget()
        self.find_results.setAccessibleName("Find results")
        self.find_results.itemActivated.connect(self._find_result_chosen)
        self.find_count = QLabel()
        layout.addWidget(self.find_box)
        layout.addWidget(self.find_count)
        layout.addWidget(self.find_results)
        dock.setWidget(body)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()
        return dock

    def _restore_layout(self) -> None:
        store = settings()
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = store.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _save_layout(self) -> None:
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())

    # ------------------------------------------------------------------ the document

    def set_document(self, document: PlanDocument) -> None:
        session = DocumentSession(document, self)
        self.session = session
        session.changed.connect(self._dispatch_change)
        session.failed.connect(lambda message: self.statusBar().showMessage(message, 8000))
        session.undo_stack.cleanChanged.connect(lambda _clean: self._show_document_state())
        session.undo_stack.indexChanged.connect(lambda _index: self._show_document_state())
        self.tree_model.set_session(session)
        self.editor.set_session(session)
        for panel in self.panels:
            panel.set_session(session)
        self.problems.set_session(session)
        self.stack.setCurrentWidget(self.splitter)
        # A large plan is tens of thousands of long-lived objects; keeping them out of the
        # collector's scans avoids pauses of 100 ms in the middle of typing.
        gc.freeze()
        self.tree.expandToDepth(1)
        first = self.filter_model.index(0, 0)
        if first.isValid():
            self.tree.setCurrentIndex(first)
        else:
            self.editor.show_item("plan", document.plan.id)
        if document.path is not None:
            remember_recent(document.path)
        if document.upgraded_from is not None:
            kept = f" (a copy is kept as {document.backup_path.name} until you save)"
            self.statusBar().showMessage(
                "This plan was written by an older Plan Studio and has been upgraded"
                + (kept if document.backup_path else "."),
                10000,
            )
        self._show_document_state()

    def _drop_document(self) -> None:
        session = self.session
        if session is None:
            return
        self.tree_model.set_session(None)
        self.editor.set_session(None)
        for panel in self.panels:
            panel.set_session(None)
        self.problems.set_session(None)
        self.session = None
        # The stack is going away with the plan; nobody needs to hear it empty.
        session.undo_stack.blockSignals(True)
        session.blockSignals(True)
        session.undo_stack.clear()
        session.document.close()
        session.deleteLater()
        self.stack.setCurrentWidget(self.start_page)
        self.start_page.refresh(recent_files())
        self._show_document_state()

    def _dispatch_change(self, change: Change) -> None:
        """The one place every edit's Change is handed out."""
        self.tree_model.on_change(change)
        self.editor.on_change(change)
        for panel in self.panels:
            panel.on_change(change)
        self.problems.on_change(change)
        if change.action in ("added", "moved") and change.kind in TREE_KINDS:
            self.select(change.item_id)
        if change.kind == "plan":
            self._show_document_state()

    def _show_document_state(self) -> None:
        session = self.session
        has_plan = session is not None
        if session is None:
            self.setWindowTitle(APP_TITLE)
            self.setWindowModified(False)
        else:
            document = session.document
            name = document.path.name if document.path else f"{document.plan.title or 'Untitled'}"
            suffix = " (read-only)" if document.read_only else ""
            self.setWindowTitle(f"{name}[*]{suffix} — {APP_TITLE}")
            self.setWindowModified(session.modified)
        for action in self._plan_actions():
            action.setEnabled(has_plan)
        if session is not None:
            self.revert_action.setEnabled(session.document.path is not None and session.modified)
            stack = session.undo_stack
            self.undo_action.setEnabled(stack.canUndo())
            self.redo_action.setEnabled(stack.canRedo())
            self.undo_action.setText(f"&Undo {stack.undoText()}".strip())
            self.redo_action.setText(f"&Redo {stack.redoText()}".strip())
        else:
            self.undo_action.setEnabled(False)
            self.redo_action.setEnabled(False)
            self.undo_action.setText("&Undo")
            self.redo_action.setText("&Redo")

    def _plan_actions(self) -> list[QAction]:
        """The commands that need an open plan."""
        return [
            self.save_action, self.save_as_action, self.revert_action, self.export_action,
            self.close_action, self.add_child_action, self.add_sibling_action, self.find_action,
            self.properties_action, self.expand_action, self.collapse_action, self.cut_action,
            self.copy_action, self.paste_action, self.delete_action, self.rename_action,
            self.move_up_action, self.move_down_action, self.funding_summary_action,
        ]  # fmt: skip

    def _undo(self) -> None:
        if self.session is not None and self.session.undo_stack.canUndo():
            self.session.undo_stack.undo()

    def _redo(self) -> None:
        if self.session is not None and self.session.undo_stack.canRedo():
            self.session.undo_stack.redo()

    # ------------------------------------------------------------------ asking the user

    def ask_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open Plan", str(Path.home()), "Plans (*.psplan);;All files (*)"
        )
        return path

    def ask_save_path(self) -> str:
        suggested = self.session.document.display_name if self.session else "Plan"
        if not suggested.endswith(".psplan"):
            suggested += ".psplan"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save Plan As", str(Path.home() / suggested), "Plans (*.psplan)"
        )
        return path

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        assert self.session is not None
        name = self.session.document.display_name
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        return QMessageBox.question(
            self, APP_TITLE, f"Save the changes to {name} before closing?", buttons,
            QMessageBox.StandardButton.Save,
        )  # fmt: skip

    def ask_read_only(self, message: str) -> bool:
        answer = QMessageBox.question(
            self, APP_TITLE, f"{message}\n\nOpen it read-only?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Open,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Open

    def tell(self, message: str) -> None:
        QMessageBox.warning(self, APP_TITLE, message)

    # ------------------------------------------------------------------ file commands

    def _window_for_new_document(self) -> MainWindow:
        if self.session is None:
            return self
        window = MainWindow()
        window.show()
        return window

    def new_plan(self, layout: str | None = None) -> None:
        try:
            document = PlanDocument.new(layout=layout)
        except PlanError as error:
            self.tell(str(error))
            return
        self._window_for_new_document().set_document(document)

    def open_dialog(self) -> None:
        path = self.ask_open_path()
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path) -> bool:
        path = Path(path).absolute()
        for window in MainWindow.windows:
            session = window.session
            if session is not None and session.document.path == path:
                window.raise_()
                window.activateWindow()
                return True
        try:
            document = run_busy(self, f"Opening {path.name}…", lambda: PlanDocument.open(path))
        except PlanError as error:
            from planstudio.model import PlanInUseError

            if isinstance(error, PlanInUseError) and self.ask_read_only(str(error)):
                try:
                    document = PlanDocument.open(path, read_only=True)
                except PlanError as again:
                    self.tell(str(again))
                    return False
            else:
                self.tell(str(error))
                return False
        self._window_for_new_document().set_document(document)
        return True

    def open_sample(self, sample: str) -> None:
        """A sample opens as a new untitled plan, so the shipped file is never changed."""
        source = samples_dir() / sample
        try:
            document = PlanDocument.from_interchange(json.loads(source.read_text("utf-8")))
        except (OSError, ValueError, PlanError) as error:
            self.tell(f"The sample {source.name} cannot be opened: {error}")
            return
        self._window_for_new_document().set_document(document)

    def save(self) -> bool:
        session = self.session
        if session is None:
            return False
        document = session.document
        if document.path is None or document.read_only:
            return self.save_as()
        try:
            run_busy(self, f"Saving {document.path.name}…", document.save)
        except PlanError as error:
            self.tell(str(error))
            return False
        session.undo_stack.setClean()
        self.statusBar().showMessage(f"Saved {document.path}", 4000)
        self._show_document_state()
        return True

    def save_as(self) -> bool:
        session = self.session
        if session is None:
            return False
        path = self.ask_save_path()
        if not path:
            return False
        document = session.document
        try:
            run_busy(self, f"Saving {Path(path).name}…", lambda: document.save_as(path))
        except PlanError as error:
            self.tell(str(error))
            return False
        session.undo_stack.setClean()
        if document.path is not None:
            remember_recent(document.path)
        self.statusBar().showMessage(f"Saved {document.path}", 4000)
        self._show_document_state()
        return True

    def revert(self) -> None:
        session = self.session
        if session is None or session.document.path is None:
            return
        answer = QMessageBox.question(
            self, APP_TITLE,
            f"Throw away every change since {session.document.path.name} was last saved?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Discard:
            return
        try:
            run_busy(self, "Reverting…", session.document.revert)
        except PlanError as error:
            self.tell(str(error))
            return
        session.undo_stack.clear()
        self.tree_model.on_reset()
        self.editor.on_reset()
        for panel in self.panels:
            panel.on_reset()
        self.problems.on_reset()
        self.tree.expandToDepth(1)
        self._show_document_state()

    def ask_export(self, dialog: Any) -> bool:
        return bool(dialog.exec() == dialog.DialogCode.Accepted)

    def open_exported(self, path: Path) -> None:
        from planstudio.ui.export_dialog import open_file

        open_file(path)

    def export(self) -> None:
        """File ▸ Export…: the document runs in the background; the plan is never changed."""
        from planstudio.ui.export_dialog import ExportDialog, run_export

        session = self.session
        if session is None:
            return
        dialog = ExportDialog(session, self)
        if not self.ask_export(dialog):
            return
        out = Path(dialog.path_edit.text().strip()).expanduser()
        if not dialog.path_edit.text().strip():
            self.tell("Choose a file to export to.")
            return
        if not self._export_despite_problems(dialog.chosen_layout):
            return
        try:
            done = run_export(
                self, session, dialog.chosen_format, dialog.chosen_layout, out,
                exported=dialog.chosen_as_of,
            )  # fmt: skip
        except PlanError as error:
            self.tell(str(error))
            return
        if not done:
            self.statusBar().showMessage("Export cancelled; nothing was written.", 6000)
            return
        self.statusBar().showMessage(f"Exported {out}", 6000)
        if dialog.open_when_done.isChecked():
            self.open_exported(out)

    def ask_export_with_problems(self, count: int) -> str:
        """The answer to "export with problems?": "show" them, "export" anyway, or "cancel"."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(APP_TITLE)
        noun = "problem" if count == 1 else "problems"
        box.setText(f"The plan has {count:,} {noun} for this layout.")
        box.setInformativeText("A plan sent with a required field empty comes back.")
        show = box.addButton("Show Problems", QMessageBox.ButtonRole.AcceptRole)
        anyway = box.addButton("Export Anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(show)
        box.exec()
        clicked = box.clickedButton()
        if clicked is show:
            return "show"
        return "export" if clicked is anyway else "cancel"

    def _export_despite_problems(self, layout: str) -> bool:
        """Before an export: say how many problems the layout finds; True to go on."""
        from planstudio.model.checks import run_checks

        assert self.session is not None
        count = len(run_checks(self.session.plan, layout))
        if count == 0:
            return True
        answer = self.ask_export_with_problems(count)
        if answer == "show":
            self.show_problems(layout)
        return answer == "export"

    def show_problems(self, layout: str | None = None) -> None:
        if layout is not None and layout != self.problems.layout_name:
            self.problems.set_layout(layout)
        self.problems.show()
        self.problems.raise_()
        self.problems.list.setFocus()

    def _show_problem_count(self, count: int) -> None:
        self.problem_count.setText(problems_text(count) if self.session is not None else "")

    def show_funding_summary(self) -> None:
        from planstudio.ui.funding_summary import FundingSummaryDialog

        if self.session is None:
            return
        dialog = FundingSummaryDialog(self.session, self)
        dialog.navigate.connect(self.go_to)
        self.funding_summary = dialog
        dialog.show()

    def maybe_save(self) -> bool:
        """True when it is fine to drop the plan: saved, discarded, or nothing to lose."""
        if self.session is None or not self.session.modified:
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def close_document(self) -> bool:
        if not self.maybe_save():
            return False
        self._drop_document()
        return True

    def quit_all(self) -> None:
        for window in list(MainWindow.windows):
            if not window.close():
                return
        QApplication.quit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self._save_layout()
        self._drop_document()
        if self in MainWindow.windows:
            MainWindow.windows.remove(self)
        event.accept()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = recent_files()
        if not paths:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for path in paths:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))

    def offer_recovery(self) -> None:
        """After a crash, offer the edits the last Plan Studio left behind."""
        from planstudio.ui.recovery_dialog import RecoveryDialog

        found = PlanDocument.recoverable()
        if not found:
            return
        dialog = RecoveryDialog(found, self)
        dialog.exec()
        for chosen in dialog.to_recover:
            try:
                document = PlanDocument.recover(chosen)
            except PlanError as error:
                self.tell(str(error))
                continue
            self._window_for_new_document().set_document(document)

    # ------------------------------------------------------------------ the tree

    def _filter_changed(self, text: str) -> None:
        self.filter_model.setFilterFixedString(text)
        if text:
            self.tree.expandAll()

    def current_source_index(self) -> QModelIndex:
        return self.filter_model.mapToSource(self.tree.currentIndex())

    def current_item(self) -> tuple[str, str] | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        return index.data(KIND_ROLE), index.data(ID_ROLE)

    def select(self, item_id: str) -> None:
        source = self.tree_model.index_of(item_id)
        index = self.filter_model.mapFromSource(source)
        if not index.isValid() and source.isValid():
            self.filter_box.clear()
            index = self.filter_model.mapFromSource(source)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.selectionModel().select(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.tree.scrollTo(index)

    def go_to(self, kind: str, item_id: str) -> None:
        if kind in TREE_KINDS:
            self.select(item_id)
            self.tree.setFocus()
        elif kind == "plan":
            self.show_properties()
        elif kind == "measure" and self.session is not None:
            measure = self.session.document.get(KINDS["measure"].cls, item_id)
            if measure is not None:
                self.select(measure.objective_id)
                editor = self.editor.current_field_widget("measure_editor")
                if editor is not None and hasattr(editor, "select"):
                    editor.select(item_id)

    def go_to_field(self, kind: str, item_id: str, field: str) -> None:
        """A problem was chosen: show its item and put the cursor in the field."""
        if self.session is None:
            return
        editor_field = field
        if kind == "measure":
            measure = self.session.document.get(KINDS["measure"].cls, item_id)
            if measure is None:
                return
            kind, item_id, editor_field = "objective", measure.objective_id, "measure_editor"
        elif kind == "objective" and field == "measures":
            editor_field = "measure_editor"
        if kind in TREE_KINDS:
            self.select(item_id)
        elif kind in ("plan", "ga_general"):
            self.show_properties()
        else:
            for panel in self.panels:
                if getattr(panel, "catalog_kind", None) == kind:
                    panel.show()
                    panel.raise_()
                    panel.select_entry(item_id)
            return
        focus = getattr(self.editor, "focus_field", None)
        if callable(focus):
            focus(editor_field)
            return
        widget = self.editor.current_field_widget(editor_field)
        if widget is not None:
            widget.setFocus()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.session is None:
            return
        if current.isValid():
            kind, item_id = current.data(KIND_ROLE), current.data(ID_ROLE)
            self.editor.show_item(kind, item_id)
        else:
            kind, item_id = "plan", self.session.plan.id
            self.editor.show_item(kind, item_id)
        step = item_id if kind == "action_step" else None
        for panel in self.panels:
            panel.set_current_step(step)

    def show_properties(self) -> None:
        if self.session is not None:
            self.tree.clearSelection()
            self.tree.setCurrentIndex(QModelIndex())
            self.editor.show_item("plan", self.session.plan.id)

    def _label(self, kind: str) -> str:
        assert self.session is not None
        return self.session.plan.labels[TREE_KINDS.index(kind)]

    def add_child(self) -> None:
        if self.session is None:
            return
        current = self.current_item()
        if current is None:
            kind, parent_id = "goal_area", self.session.plan.id
        else:
            parent_kind, parent_id = current
            if parent_kind == "action_step":
                self.statusBar().showMessage(
                    f"An {self._label('action_step')} has no level below it.", 5000
                )
                return
            kind = TREE_KINDS[TREE_KINDS.index(parent_kind) + 1]
        self._add(kind, parent_id, None)

    def add_sibling(self) -> None:
        if self.session is None:
            return
        current = self.current_item()
        if current is None:
            self._add("goal_area", self.session.plan.id, None)
            return
        kind, item_id = current
        item = self.session.document.get(KINDS[kind].cls, item_id)
        parent_id = getattr(item, KINDS[kind].parent_key or "")
        self._add(kind, parent_id, item.position + 1)

    def _add(self, kind: str, parent_id: str, index: int | None) -> None:
        assert self.session is not None
        values = {TITLE_FIELD[kind]: _NEW_TITLE_VALUES[kind]}
        if self.session.push(AddItem(kind, parent_id, values, index)):
            current = self.tree.currentIndex()
            self.tree.expand(current)
            self.rename_current()

    def rename_current(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            self.tree.edit(index)

    def delete_current(self) -> None:
        current = self.current_item()
        if self.session is None or current is None:
            return
        kind, item_id = current
        index = self.tree.currentIndex()
        below = self.tree.indexBelow(index)
        above = self.tree.indexAbove(index)
        neighbour_id = None
        for candidate in (below, above):
            if candidate.isValid() and candidate.parent() != index:
                neighbour_id = candidate.data(ID_ROLE)
                break
        if self.session.push(DeleteItem(kind, item_id)):
            label = self._label(kind)
            self.statusBar().showMessage(f"Deleted {label}; Undo brings it back.", 5000)
            if neighbour_id is not None:
                self.select(neighbour_id)

    def move_current(self, step: int) -> None:
        current = self.current_item()
        if self.session is None or current is None:
            return
        kind, item_id = current
        item = self.session.document.get(KINDS[kind].cls, item_id)
        parent_id = getattr(item, KINDS[kind].parent_key or "")
        parent = self.session.document.get(KINDS[KINDS[kind].parent or "plan"].cls, parent_id)
        siblings = getattr(parent, KINDS[kind].collection or "")
        target = item.position + step
        if 0 <= target < len(siblings):
            self.session.push(MoveItem(kind, item_id, parent_id, target))
            self.select(item_id)

    # ------------------------------------------------------------------ clipboard

    def copy(self) -> None:
        current = self.current_item()
        if self.session is None or current is None:
            return
        branch = copy_branch(self.session.document.session, *current)
        data = QMimeData()
        data.setData(MIME_BRANCH, QByteArray(dumps_branch(branch).encode("utf-8")))
        data.setText(self.tree.currentIndex().data(Qt.ItemDataRole.DisplayRole) or "")
        QGuiApplication.clipboard().setMimeData(data)

    def cut(self) -> None:
        if self.current_item() is None:
            return
        self.copy()
        self.delete_current()

    def paste(self) -> None:
        if self.session is None:
            return
        data = QGuiApplication.clipboard().mimeData()
        if data is None or not data.hasFormat(MIME_BRANCH):
            self.statusBar().showMessage("Nothing to paste: copy an item of the outline first.")
            return
        branch = loads_branch(bytes(data.data(MIME_BRANCH).data()))
        if branch is None:
            return
        current = self.current_item() or ("plan", self.session.plan.id)
        try:
            operations = paste_operations(
                self.session.document.session, self.session.plan, branch, *current
            )
        except PlanError as error:
            self.statusBar().showMessage(str(error), 6000)
            return
        label = self._label(branch["kind"]) if branch["kind"] in TREE_KINDS else "Item"
        self.session.push_many(operations, f"Paste {label}")

    # ------------------------------------------------------------------ find

    def show_find(self) -> None:
        self.find_dock.show()
        self.find_dock.raise_()
        self.find_box.setFocus()
        self.find_box.selectAll()

    def _run_find(self) -> None:
        self.find_results.clear()
        if self.session is None:
            return
        hits = find_text(self.session.plan, self.find_box.text())
        for hit in hits[:500]:
            field = hit.field.replace("_", " ")
            where = f"{hit.number} " if hit.number else ""
            item = QListWidgetItem(f"{where}{KINDS[hit.kind].label} · {field}: {hit.snippet}")
            item.setData(Qt.ItemDataRole.UserRole, (hit.place_kind, hit.place_id, hit.field))
            self.find_results.addItem(item)
        query = self.find_box.text().strip()
        self.find_count.setText(f"{len(hits)} found" if query else "")

    def _find_result_chosen(self, item: QListWidgetItem) -> None:
        kind, item_id, field = item.data(Qt.ItemDataRole.UserRole)
        if kind in TREE_KINDS:
            self.select(item_id)
        elif kind == "plan":
            self.show_properties()
        focus = getattr(self.editor, "focus_field", None)
        if callable(focus):
            focus(field)
