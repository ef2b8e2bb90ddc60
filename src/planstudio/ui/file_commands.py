"""The main window's File commands: new, open, save, revert, export, close, recovery, recents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMenu, QMessageBox

from planstudio.model import PlanError, SaveConflictError
from planstudio.paths import data_dir, samples_dir
from planstudio.ui.busy import is_long_work, run_busy
from planstudio.ui.deferred import deferred
from planstudio.ui.editing import PlanEditing
from planstudio.ui.problems_panel import ProblemsPanel
from planstudio.ui.tree import build_outline_ahead

if TYPE_CHECKING:
    from planstudio.model import document as plan_document
    from planstudio.model import reading
else:
    plan_document = deferred("planstudio.model.document")
    reading = deferred("planstudio.model.reading")

APP_TITLE = "Plan Studio"
MAX_RECENT = 10


def settings() -> QSettings:
    """Settings live beside the recovery copies, so a test or portable install keeps them apart."""
    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def recent_files() -> list[str]:
    value = settings().value("recent", [])
    # QSettings gives a lone entry back as a string, and a list as a list.
    paths = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [str(path) for path in paths if path]


def remember_recent(path: Path) -> None:
    store = settings()
    paths = [str(path)] + [p for p in recent_files() if p != str(path)]
    store.setValue("recent", paths[:MAX_RECENT])


class FileCommands(QMainWindow):
    """The File menu's commands, as a base of MainWindow; they act on the window's one plan."""

    windows: ClassVar[list[FileCommands]] = []  # every open window, so none is collected

    # Provided by MainWindow: the open plan and the views the commands hand it to.
    editing: PlanEditing | None
    problems: ProblemsPanel
    recent_menu: QMenu

    def set_document(self, document: plan_document.PlanDocument) -> None:
        raise NotImplementedError

    def _drop_document(self) -> None:
        raise NotImplementedError

    def _show_document_state(self) -> None:
        raise NotImplementedError

    def show_problems(self, layout: str | None = None) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ asking the user

    def ask_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open Plan", str(Path.home()), "Plans (*.psplan);;All files (*)"
        )
        return path

    def ask_save_path(self) -> str:
        suggested = self.editing.document.display_name if self.editing else "Plan"
        if not suggested.endswith(".psplan"):
            suggested += ".psplan"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save Plan As", str(Path.home() / suggested), "Plans (*.psplan)"
        )
        return path

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        assert self.editing is not None
        name = self.editing.document.display_name
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

    def inform(self, message: str, details: list[str]) -> None:
        """A report the user should read but need not act on (what opening a file repaired)."""
        box = QMessageBox(QMessageBox.Icon.Information, APP_TITLE, message, parent=self)
        box.setInformativeText("\n\n".join(details))
        box.exec()

    def ask_save_conflict(self, message: str) -> str:
        """Someone else saved the file meanwhile: "save-as", "overwrite" or "cancel"."""
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, message, parent=self)
        save_as = box.addButton("Save &As…", QMessageBox.ButtonRole.AcceptRole)
        overwrite = box.addButton(
            "&Overwrite Their Changes", QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save_as)
        box.exec()
        clicked = box.clickedButton()
        return (
            "save-as" if clicked is save_as else "overwrite" if clicked is overwrite else "cancel"
        )

    def report_opening(self, document: plan_document.PlanDocument) -> None:
        """Say what opening the file left out or repaired, as `planstudio verify` would."""
        name = document.display_name
        lines = document.reception.notices(name)
        if not lines:
            return
        self.inform(f"{name} was opened, with {len(lines)} thing(s) to know:", lines)

    # ------------------------------------------------------------------ file commands

    def _window_for_new_document(self) -> FileCommands:
        if self.editing is None:
            return self
        window = type(self)()
        window.show()
        return window

    def new_plan(self, layout: str | None = None) -> None:
        try:
            document = plan_document.PlanDocument.new(layout=layout)
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
        for window in type(self).windows:
            editing = window.editing
            if editing is not None and editing.document.path == path:
                window.raise_()
                window.activateWindow()
                return True
        try:
            document = run_busy(
                self, f"Opening {path.name}…", lambda: _opened(path), long=is_long_work(path)
            )
        except PlanError as error:
            from planstudio.model import PlanInUseError

            if isinstance(error, PlanInUseError) and self.ask_read_only(str(error)):
                try:
                    document = plan_document.PlanDocument.open(path, read_only=True)
                except PlanError as again:
                    self.tell(str(again))
                    return False
            else:
                self.tell(str(error))
                return False
        window = self._window_for_new_document()
        window.set_document(document)
        window.report_opening(document)
        return True

    def open_sample(self, sample: str) -> None:
        """A sample opens as a new untitled plan, so the shipped file is never changed."""
        source = samples_dir() / sample
        try:
            document = plan_document.PlanDocument.from_interchange(
                json.loads(source.read_text("utf-8"))
            )
        except (OSError, ValueError, PlanError) as error:
            self.tell(f"The sample {source.name} cannot be opened: {error}")
            return
        self._window_for_new_document().set_document(document)

    def save(self) -> bool:
        editing = self.editing
        if editing is None:
            return False
        document = editing.document
        if document.path is None or document.read_only:
            return self.save_as()
        try:
            run_busy(
                self, f"Saving {document.path.name}…", document.save,
                long=is_long_work(document.path),
            )  # fmt: skip
        except SaveConflictError as conflict:
            answer = self.ask_save_conflict(str(conflict))
            if answer == "save-as":
                return self.save_as()
            if answer != "overwrite":
                return False
            try:
                run_busy(self, f"Saving {document.path.name}…",
                         lambda: document.save(overwrite=True),
                         long=is_long_work(document.path))  # fmt: skip
            except PlanError as error:
                self.tell(str(error))
                return False
        except PlanError as error:
            self.tell(str(error))
            return False
        editing.undo_stack.setClean()
        self.statusBar().showMessage(f"Saved {document.path}", 4000)
        self._show_document_state()
        return True

    def save_as(self) -> bool:
        editing = self.editing
        if editing is None:
            return False
        path = self.ask_save_path()
        if not path:
            return False
        document = editing.document
        try:
            run_busy(
                self, f"Saving {Path(path).name}…", lambda: document.save_as(path),
                long=is_long_work(document.path),
            )  # fmt: skip
        except PlanError as error:
            self.tell(str(error))
            return False
        editing.undo_stack.setClean()
        if document.path is not None:
            remember_recent(document.path)
        self.statusBar().showMessage(f"Saved {document.path}", 4000)
        self._show_document_state()
        return True

    def revert(self) -> None:
        editing = self.editing
        if editing is None or editing.document.path is None:
            return
        answer = QMessageBox.question(
            self, APP_TITLE,
            f"Throw away every change since {editing.document.path.name} was last saved?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Discard:
            return
        try:
            run_busy(
                self, "Reverting…", editing.document.revert,
                long=is_long_work(editing.document.path),
            )  # fmt: skip
        except PlanError as error:
            self.tell(str(error))
            return
        editing.replaced()

    def ask_export(self, dialog: Any) -> bool:
        return bool(dialog.exec() == dialog.DialogCode.Accepted)

    def open_exported(self, path: Path) -> None:
        from planstudio.ui.export_dialog import open_file

        if not open_file(path):
            self.tell(
                f"{path.name} was exported, but no program on this computer opened it. "
                f"It is in {path.parent}."
            )

    def ask_replace_export(self, path: Path) -> bool:
        """An export would replace a file: only if the user says so."""
        answer = QMessageBox.question(
            self, APP_TITLE,
            f"{path.name} already exists in {path.parent}.\n\nReplace it with this export?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def export(self) -> None:
        """File ▸ Export…: the document runs in the background; the plan is never changed."""
        from planstudio.ui.export_dialog import ExportDialog, run_export

        editing = self.editing
        if editing is None:
            return
        dialog = ExportDialog(editing, self)
        if not self.ask_export(dialog):
            return
        out = Path(dialog.path_edit.text().strip()).expanduser()
        if not dialog.path_edit.text().strip():
            self.tell("Choose a file to export to.")
            return
        if out.exists() and not self.ask_replace_export(out):
            self.statusBar().showMessage(f"Not exported: {out.name} was kept as it was.", 6000)
            return
        dialog.remember_folder()
        if not self._export_despite_problems(dialog.chosen_layout):
            return
        try:
            done = run_export(
                self, editing, dialog.chosen_format, dialog.chosen_layout, out,
                exported=dialog.chosen_as_of, group_charts=dialog.group_charts.isChecked(),
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
        assert self.editing is not None
        count = self.problems.count_for(layout)  # in slices: the window keeps painting
        if count == 0:
            return True
        answer = self.ask_export_with_problems(count)
        if answer == "show":
            self.show_problems(layout)
        return answer == "export"

    def maybe_save(self) -> bool:
        """True when it is fine to drop the plan: saved, discarded, or nothing to lose."""
        if self.editing is None or not self.editing.modified:
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
        for window in list(type(self).windows):
            if not window.close():
                return
        QApplication.quit()

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

        found = plan_document.PlanDocument.recoverable()
        if not found:
            return
        dialog = RecoveryDialog(found, self)
        dialog.exec()
        for chosen in dialog.to_recover:
            try:
                document = plan_document.PlanDocument.recover(chosen)
            except PlanError as error:
                self.tell(str(error))
                continue
            self._window_for_new_document().set_document(document)

    # ------------------------------------------------------------------ the tree


def _opened(path: Path) -> plan_document.PlanDocument:
    """A plan file opened with its tree loaded and the outline's shape built, all off the
    interface thread."""
    document = plan_document.PlanDocument.open(path)
    try:
        # Loaded on first use: here, rather than when the window shows it.
        build_outline_ahead(document)
        reading.compile_ahead(document)
    except BaseException:
        document.close()
        raise
    return document
