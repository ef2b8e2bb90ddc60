"""The main window: one plan, its tree, the editor, the catalog panels and the commands.

The window is the one place that hands what each push, undo or redo changed
(one `Changes`) to the tree, the editor, the side panels and any open funding
summary; none of them knows the others, and none listens to the editing itself.
The File commands are in `file_commands` and `copies_commands`, the Edit ones in
`edit_commands`.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from planstudio.model.collection import collection_paused
from planstudio.ui import turns
from planstudio.ui.author import author_name
from planstudio.ui.catalog.panels import FundingSourcesPanel, MonitoringMethodsPanel, RolesPanel
from planstudio.ui.deferred import deferred
from planstudio.ui.edit_commands import EditCommands
from planstudio.ui.editing import Changes, PlanEditing
from planstudio.ui.editors.pane import EditorPane
from planstudio.ui.file_commands import (
    APP_TITLE,
    recent_files,
    remember_recent,
    settings,
)
from planstudio.ui.help_menu import add_help_menu
from planstudio.ui.import_dialogs import install_import_menu
from planstudio.ui.outline_guide import EmptyOutlineGuide, build_toolbar, outline_menu
from planstudio.ui.problems_panel import ProblemsPanel, problems_text
from planstudio.ui.start_page import StartPage
from planstudio.ui.tree import (
    ID_ROLE,
    KIND_ROLE,
    PlanFilterModel,
    PlanTreeModel,
    PlanTreeView,
)
from planstudio.ui.widgets.spelling import load_soon

if TYPE_CHECKING:
    from pathlib import Path

    from planstudio.model import PlanDocument, kinds, reading
    from planstudio.ui.funding_summary import FundingSummaryDialog
else:
    kinds = deferred("planstudio.model.kinds")
    reading = deferred("planstudio.model.reading")

PROBLEMS_HEIGHT = 130  # px: four or five problems, leaving a laptop's height to the editor
FIRST_PAINT_MS = 15  # between the steps of showing a plan: time for the window to paint
EXPAND_SLICE = 8  # goal areas opened in the outline per turn of the event loop
PANELS_WIDTH = 346  # px: the side panels' columns whole beside a scroll bar, the editor the rest


def _first_size() -> QSize:
    """1280×820 where it fits; on a laptop's 1366×768, the screen less its task bar."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(1280, 820)
    room = screen.availableGeometry()
    return QSize(min(1280, room.width()), min(820, room.height() - 30))  # 30: the title bar


class MainWindow(EditCommands):
    """One plan per window; File ▸ New and Open use this window while it has no plan."""

    def __init__(self) -> None:
        super().__init__()
        self.windows.append(self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        turns.watch(self)  # its repaints count in the turn's budget of step-wise work
        self.editing: PlanEditing | None = None
        self.setWindowTitle(APP_TITLE)
        self.resize(_first_size())

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
        self.outline_guide = EmptyOutlineGuide()
        self.outline_guide.add_requested.connect(self.add_child)
        self.outline_guide.hide()
        outline_layout.addWidget(self.outline_guide)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(
            lambda position: outline_menu(self, position).exec(
                self.tree.viewport().mapToGlobal(position)
            )
        )

        self.editor = EditorPane()
        self.editor.navigate.connect(self.go_to)
        self.splitter = QSplitter()
        self.splitter.addWidget(outline)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([300, 700])  # the forms need the room more than the outline

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
        self.find_dock = self.make_find_dock()
        self.problems = ProblemsPanel(self)
        self.funding_summary: FundingSummaryDialog | None = None
        self.summaries: list[FundingSummaryDialog] = []  # the open ones, told of every edit
        self.problems.navigate.connect(self.go_to_field)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems)
        self.problem_count = QLabel()
        self.problem_count.setAccessibleName("Problem count")
        self.statusBar().addPermanentWidget(self.problem_count)
        self.problems.count_changed.connect(self._show_problem_count)
        self.problems.count_changed.connect(self._open_problems_if_any)
        # The editor gets the room: Problems starts closed and opens itself, small, when the plan
        # has problems; the side panels start no wider than their columns need.
        self.problems.hide()
        self.resizeDocks([self.panels[0]], [PANELS_WIDTH], Qt.Orientation.Horizontal)

        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self._make_actions()
        self._make_menus()
        self.toolbar_child_action: QAction  # made by build_toolbar
        self.toolbar = build_toolbar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.statusBar().showMessage("Ready", 2000)
        self._restore_layout()
        self._panels_away: list[QDockWidget] = []
        self._opening: list[Callable[[], None]] = []  # what is left to show of a plan just opened
        self._to_remember: Path | None = None  # a plan opened, not yet among the recent files
        self._hide_panels_for_start_page()
        self._show_document_state()

    def _hide_panels_for_start_page(self) -> None:
        """The start page has no plan for the side panels to show: they come back with one."""
        self._panels_away = [panel for panel in self.panels if not panel.isHidden()]
        for panel in self._panels_away:
            panel.hide()

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
        self.check_action = self._action("Chec&k", self.check_now, QKeySequence("F7"))
        self.check_action.setToolTip("Check the plan against its layout and list the problems (F7)")
        self.find_action = self._action("&Find…", self.show_find, key.Find)
        self.properties_action = self._action("Plan &Properties", self.show_properties)
        self.funding_summary_action = self._action("&Funding Summary…", self.show_funding_summary)
        self.expand_action = self._action("&Expand All", self.tree.expandAll)
        self.collapse_action = self._action("C&ollapse All", self.tree.collapseAll)
        self.make_copies_actions()

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        new_menu = file_menu.addMenu("&New")
        new_menu.addActions([self.new_action, self.new_dip_action, self.new_strategic_action])
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action, self.copies_actions[0],
                              self.revert_action])  # fmt: skip
        file_menu.addSeparator()
        file_menu.addActions(self.copies_actions[1:])
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        install_import_menu(self, file_menu, self.export_action)
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
        edit_menu.addActions([self.find_action, self.check_action, self.properties_action])
        self.edit_menu = edit_menu
        view_menu = bar.addMenu("&View")
        view_menu.addActions([self.expand_action, self.collapse_action])
        view_menu.addSeparator()
        for dock in [*self.panels, self.find_dock, self.problems]:
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        view_menu.addAction(self.funding_summary_action)
        add_help_menu(self)

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
        # Panels put away for the start page are remembered as the user left them.
        for panel in self._panels_away:
            panel.show()
        store.setValue("window/state", self.saveState())
        for panel in self._panels_away:
            panel.hide()

    # ------------------------------------------------------------------ the document

    def set_document(self, document: PlanDocument) -> None:
        # A collection midway would scan the whole plan just loaded: the window would stop.
        with collection_paused():
            self._show_document(document)

    def _show_document(self, document: PlanDocument) -> None:
        document.author = author_name()
        editing = PlanEditing(document, self)
        self.editing = editing
        editing.changed.connect(self._dispatch_changes)
        editing.reset.connect(self._plan_replaced)
        editing.failed.connect(lambda message: self.statusBar().showMessage(message, 8000))
        editing.undo_stack.cleanChanged.connect(lambda _clean: self._show_document_state())
        editing.undo_stack.indexChanged.connect(lambda _index: self._show_document_state())
        self.tree_model.set_editing(editing)
        self.editor.set_editing(editing)
        self.problems.set_editing(editing)
        load_soon()  # the spelling dictionaries, once the plan is on the screen
        self.stack.setCurrentWidget(self.splitter)
        for panel in self._panels_away:
            panel.show()
        self._panels_away = []
        # The tabs of the docked panels are a tab bar Qt makes: it is named for screen readers.
        # Qt makes it a child of the window itself; searching every widget took 3-4 ms.
        for bar in self.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if not bar.accessibleName():
                bar.setAccessibleName("Side panels")
        # A large plan is tens of thousands of long-lived objects; keeping them out of the
        # collector's scans avoids pauses of 100 ms in the middle of typing.
        gc.freeze()
        # The side panels and the outline's second level come in the turns after the first
        # paint, a short step each: the window never stops answering while a plan opens.
        self._opening = [self._prepare_first_form, self._show_first_item]
        self._opening += [functools.partial(self._show_panel, panel) for panel in self.panels]
        areas = [self.filter_model.index(row, 0) for row in range(self.filter_model.rowCount())]
        for at in range(0, len(areas), EXPAND_SLICE):
            self._opening.append(functools.partial(self._expand, areas[at : at + EXPAND_SLICE]))
        # Named among the recent files in a step of its own (a settings write, 2 ms).
        self._to_remember = document.path
        self._opening.append(self._remember_opened)
        QTimer.singleShot(FIRST_PAINT_MS, self._open_next)  # after the plan's first paint
        if document.upgraded_from is not None:
            backup = document.backup_path
            kept = f" (a copy is kept as {backup.name} until you save)" if backup else "."
            self.statusBar().showMessage(
                "This plan was written by an older Plan Studio and has been upgraded" + kept,
                10000,
            )
        self._show_document_state()

    def _open_next(self) -> None:
        if self._opening:
            with collection_paused(), turns.counted():  # the other steps of the turn wait
                self._opening.pop(0)()
            if not self._opening:
                gc.freeze()  # the views' rows too are long-lived: kept out of the scans
        if self._opening:
            QTimer.singleShot(FIRST_PAINT_MS, self._open_next)  # after the window has painted

    def _remember_opened(self) -> None:
        path, self._to_remember = self._to_remember, None
        if path is not None:
            remember_recent(path)

    def finish_opening(self) -> None:
        """Do at once what is left of showing the plan just opened (an edit cannot wait)."""
        while self._opening:
            self._opening.pop(0)()

    def _prepare_first_form(self) -> None:
        if self.editing is None or self.editor.shown_id is not None:
            return  # the user was quicker: the form wanted is built by showing it
        first = self.filter_model.index(0, 0)
        kind = first.data(KIND_ROLE) if first.isValid() else "plan"
        self.editor.prepare_form(kind)

    def _show_first_item(self) -> None:
        if self.editing is None or self.editor.shown_id is not None:
            return  # the user was quicker
        first = self.filter_model.index(0, 0)
        if first.isValid():
            self.tree.setCurrentIndex(first)
        else:
            self.editor.show_item("plan", self.editing.plan.id)

    def _show_panel(self, panel: Any) -> None:
        panel.set_editing(self.editing)
        current = self.current_item()
        panel.set_current_step(current[1] if current and current[0] == "action_step" else None)

    def _expand(self, areas: list[QModelIndex]) -> None:
        for area in areas:
            if area.isValid():  # a row the filter has hidden since is left alone
                self.tree.expand(area)

    def _plan_replaced(self) -> None:
        """The whole plan was replaced under the views (revert): each shows it again."""
        self.tree_model.on_reset()
        self.editor.on_reset()
        for panel in self.panels:
            panel.on_reset()
        self.problems.on_reset()
        self.tree.expandToDepth(1)
        self._show_document_state()

    def _drop_document(self) -> None:
        editing = self.editing
        if editing is None:
            return
        self._remember_opened()  # the start page lists it, however soon it was closed
        self._opening.clear()
        self.tree_model.set_editing(None)
        self.editor.set_editing(None)
        for panel in self.panels:
            panel.set_editing(None)
        self.problems.set_editing(None)
        # A summary left open shows the closed plan as it was; it hears of no other plan's edits.
        self.summaries.clear()
        self.editing = None
        # The stack is going away with the plan; nobody needs to hear it empty.
        editing.undo_stack.blockSignals(True)
        editing.blockSignals(True)
        editing.undo_stack.clear()
        editing.document.close()
        editing.deleteLater()
        self._hide_panels_for_start_page()
        self.stack.setCurrentWidget(self.start_page)
        self.start_page.refresh(recent_files())
        self._show_document_state()

    def _dispatch_changes(self, changes: Changes) -> None:
        """The one place where what a push, undo or redo changed is handed to every view.

        The tree goes first, so that its rows match the plan before anything
        selects in it; the item last added or moved in the tree is then selected.
        """
        self.finish_opening()
        self.tree_model.on_changes(changes)
        self.editor.on_changes(changes)
        for panel in self.panels:
            panel.on_changes(changes)
        self.problems.on_changes(changes)
        for dialog in list(self.summaries):
            dialog.on_changes(changes)
        placed = [
            c
            for c in changes.items
            if c.action in ("added", "moved") and c.kind in kinds.TREE_KINDS
        ]
        if placed:
            self.select(placed[-1].item_id)
        if any(change.kind == "plan" for change in changes.items):
            self._show_document_state()
        elif any(change.kind in kinds.TREE_KINDS for change in changes.items):
            self.update_level_words()

    def _show_document_state(self) -> None:
        editing = self.editing
        has_plan = editing is not None
        if editing is None:
            self.setWindowTitle(APP_TITLE)
            self.setWindowModified(False)
        else:
            document = editing.document
            name = self.shown_name(document)
            suffix = " (read-only)" if document.read_only else ""
            self.setWindowTitle(f"{name}[*]{suffix} — {APP_TITLE}")
            self.setWindowModified(editing.modified)
        for action in self._plan_actions():
            action.setEnabled(has_plan)
        if editing is not None:
            self.revert_action.setEnabled(editing.document.path is not None and editing.modified)
            stack = editing.undo_stack
            self.undo_action.setEnabled(stack.canUndo())
            self.redo_action.setEnabled(stack.canRedo())
            self.undo_action.setText(f"&Undo {stack.undoText()}".strip())
            self.redo_action.setText(f"&Redo {stack.redoText()}".strip())
        else:
            self.undo_action.setEnabled(False)
            self.redo_action.setEnabled(False)
            self.undo_action.setText("&Undo")
            self.redo_action.setText("&Redo")
        self.update_level_words()

    def update_level_words(self) -> None:
        """Say the plan's own level names on the add commands and in the empty outline's guide.

        "Add Overarching Need" adds beside the selected row (or the first level when none is
        selected); "Add Performance Objective" adds beneath it.
        """
        editing = self.editing
        if editing is None:
            self.add_sibling_action.setText("Add &Sibling")
            self.add_child_action.setText("Add C&hild")
            self.toolbar_child_action.setVisible(False)
            self.add_sibling_action.setVisible(False)  # the start page: nothing to add to
            self.outline_guide.hide()
            self.tree.show()
            return
        labels = editing.plan.labels
        self.add_sibling_action.setVisible(True)
        current = self.current_item()
        level = kinds.TREE_KINDS.index(current[0]) if current is not None else -1
        self.add_sibling_action.setText(f"&Add {labels[max(level, 0)]}")
        self.add_child_action.setText(f"Add {labels[min(level + 1, 3)]} &Beneath")
        if current is None:
            self.add_child_action.setText(f"Add {labels[0]}")
        self.add_child_action.setEnabled(level < 3)
        for action in (self.add_sibling_action, self.add_child_action):
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{action.text().replace('&', '')} ({keys})")
        child = self.toolbar_child_action
        child.setText(self.add_child_action.text())
        child.setToolTip(self.add_child_action.toolTip())
        child.setVisible(0 <= level < 3)
        empty = self.tree_model.rowCount() == 0 and not self.filter_box.text()
        if empty:
            self.outline_guide.set_level(labels[0], editing.plan.title or "",
                                         self.add_child_action.shortcut())  # fmt: skip
        self.outline_guide.setVisible(empty)
        self.tree.setVisible(not empty)

    def check_now(self) -> None:
        """Check the plan now and show the Problems panel, whatever it held before."""
        if self.editing is None:
            return
        self.problems.dismissed = False
        self.problems.recheck_soon()  # in slices: a large plan never freezes the window
        self.show_problems()

    def _plan_actions(self) -> list[QAction]:
        """The commands that need an open plan."""
        return [
            self.save_action, self.save_as_action, self.revert_action, self.export_action,
            self.close_action, self.add_child_action, self.add_sibling_action, self.find_action,
            self.properties_action, self.expand_action, self.collapse_action, self.cut_action,
            self.copy_action, self.paste_action, self.delete_action, self.rename_action,
            self.move_up_action, self.move_down_action, self.funding_summary_action,
            self.check_action, *self.copies_actions,
        ]  # fmt: skip

    def _undo(self) -> None:
        if self.editing is not None and self.editing.undo_stack.canUndo():
            self.editing.undo_stack.undo()

    def _redo(self) -> None:
        if self.editing is not None and self.editing.undo_stack.canRedo():
            self.editing.undo_stack.redo()

    def show_problems(self, layout: str | None = None) -> None:
        if layout is not None and layout != self.problems.layout_name:
            self.problems.set_layout(layout)
        self.problems.show()
        self.problems.raise_()
        self.problems.list.setFocus()

    def _open_problems_if_any(self, count: int) -> None:
        """Problems opens itself, small, the first time there is something in it to see."""
        if count == 0 or self.problems.isVisible() or self.problems.dismissed:
            return
        self.problems.show()
        self.resizeDocks([self.problems], [PROBLEMS_HEIGHT], Qt.Orientation.Vertical)

    def _show_problem_count(self, count: int) -> None:
        self.problem_count.setText(problems_text(count) if self.editing is not None else "")

    def show_funding_summary(self) -> None:
        from planstudio.ui.funding_summary import FundingSummaryDialog

        if self.editing is None:
            return
        dialog = FundingSummaryDialog(self.editing, self)
        dialog.navigate.connect(self.go_to)
        self.funding_summary = dialog
        # Each open summary hears of every edit from `_dispatch_changes`, until it is closed.
        self.summaries.append(dialog)
        dialog.finished.connect(lambda _result, d=dialog: self._summary_closed(d))
        dialog.show()

    def _summary_closed(self, dialog: FundingSummaryDialog) -> None:
        if dialog in self.summaries:
            self.summaries.remove(dialog)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self._save_layout()
        self._drop_document()
        if self in self.windows:
            self.windows.remove(self)
        event.accept()

    def _filter_changed(self, text: str) -> None:
        self.filter_model.setFilterFixedString(text)
        if text:
            self.tree.expandAll()

    def current_source_index(self) -> QModelIndex:
        return self.filter_model.mapToSource(self.tree.currentIndex())

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
        if kind in kinds.TREE_KINDS:
            self.select(item_id)
            self.tree.setFocus()
        elif kind == "plan":
            self.show_properties()
        elif kind == "measure" and self.editing is not None:
            measure = reading.item(self.editing.document, "measure", item_id)
            if measure is not None:
                self.select(measure.objective_id)
                editor = self.editor.current_field_widget("measure_editor")
                if editor is not None and hasattr(editor, "select"):
                    editor.select(item_id)

    def go_to_field(self, kind: str, item_id: str, field: str) -> None:
        """A problem was chosen: show its item and put the cursor in the field."""
        if self.editing is None:
            return
        editor_field = field
        if kind == "measure":
            measure = reading.item(self.editing.document, "measure", item_id)
            if measure is None:
                return
            kind, item_id, editor_field = "objective", measure.objective_id, "measure_editor"
        elif kind == "objective" and field == "measures":
            editor_field = "measure_editor"
        if kind in kinds.TREE_KINDS:
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
        self.editor.focus_field(editor_field)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.editing is None:
            return
        if current.isValid():
            kind, item_id = current.data(KIND_ROLE), current.data(ID_ROLE)
            self.editor.show_item(kind, item_id)
        else:
            kind, item_id = "plan", self.editing.plan.id
            self.editor.show_item(kind, item_id)
        step = item_id if kind == "action_step" else None
        for panel in self.panels:
            panel.set_current_step(step)
        self.update_level_words()

    def show_properties(self) -> None:
        if self.editing is not None:
            self.tree.clearSelection()
            self.tree.setCurrentIndex(QModelIndex())
            self.editor.show_item("plan", self.editing.plan.id)


__all__ = ["APP_TITLE", "MainWindow", "recent_files"]
