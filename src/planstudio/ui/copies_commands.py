"""The File commands for the plan's history and its copies: versions, compare, merge, author.

A base of MainWindow, between it and `FileCommands`: Save and Save As are
wrapped here only to put the user's name on the version they record.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QUndoCommand
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

from planstudio.model import PlanError
from planstudio.ui.author import AuthorDialog, author_name, local_time, store_author, stored_author
from planstudio.ui.busy import run_busy
from planstudio.ui.compare_dialog import CompareDialog, run_compare
from planstudio.ui.deferred import deferred
from planstudio.ui.editing import PlanEditing
from planstudio.ui.file_commands import FileCommands
from planstudio.ui.merge_dialog import MergeDialog
from planstudio.ui.tree import PlanTreeModel
from planstudio.ui.versions_dialog import VersionsDialog

if TYPE_CHECKING:
    from planstudio.model import copies, diff, kinds, merge, rowmap
    from planstudio.model import document as plan_document
else:
    copies = deferred("planstudio.model.copies")
    diff = deferred("planstudio.model.diff")
    plan_document = deferred("planstudio.model.document")
    kinds = deferred("planstudio.model.kinds")
    merge = deferred("planstudio.model.merge")
    rowmap = deferred("planstudio.model.rowmap")

_CATALOG_KINDS = ("funding_source", "role", "monitoring_method")


@contextlib.contextmanager
def _comment_on_next_save(
    document: plan_document.PlanDocument, comment: str | None
) -> Iterator[None]:
    """Give the Save that runs inside the block a comment.

    FileCommands.save calls `document.save()` (and Save As `document.save_as(path)`)
    without one; shadowing both on the instance for the length of one command
    keeps that module untouched while it is being changed elsewhere.
    """
    instance = vars(document)
    instance["save"] = functools.partial(type(document).save, document, comment=comment)
    instance["save_as"] = functools.partial(type(document).save_as, document, comment=comment)
    try:
        yield
    finally:
        instance.pop("save", None)
        instance.pop("save_as", None)


def describe_copy(document: plan_document.PlanDocument, path: Path) -> tuple[str, str | None]:
    """Whose copy a file is (the author of its newest version, else its file name), and the
    version it shares with `document` ("Dr. Alvarez's save of …"), read in one opening."""
    with plan_document.PlanDocument.open(path, read_only=True) as theirs:
        versions = theirs.versions()
        base_id = document.merge_base(theirs)
    who = versions[0].author if versions and versions[0].author else path.name
    for version in document.versions():
        if version.id == base_id:
            comment = f" ({version.comment})" if version.comment else ""
            return who, f"{version.author}'s save of {local_time(version.saved_at)}{comment}"
    return who, None


class CopiesCommands(FileCommands):
    """File ▸ Save Version with Comment, Compare With, Merge Copy, Versions; the author's name."""

    # The version a read-only window shows (its label), None for a window on a plan.
    version_shown: str | None = None
    compare_dialogs: list[CompareDialog]
    versions_dialog: VersionsDialog | None = None
    tree_model: PlanTreeModel

    def go_to(self, kind: str, item_id: str) -> None:
        raise NotImplementedError

    def go_to_field(self, kind: str, item_id: str, field: str) -> None:
        raise NotImplementedError

    def make_copies_actions(self) -> list[QAction]:
        """The File menu's entries for versions and copies (MainWindow places them)."""
        self.compare_dialogs = []
        made = []
        for text, slot, name in (
            ("Save Version with &Comment…", self.save_with_comment, "Save Version with Comment"),
            ("Compare &With…", self.compare_with_file, "Compare With"),
            ("&Merge Copy…", self.merge_copy, "Merge Copy"),
            ("&Versions…", self.show_versions, "Versions"),
        ):
            action = QAction(text, self)
            action.setObjectName(name)
            action.triggered.connect(slot)
            self.addAction(action)
            made.append(action)
        self.copies_actions = made
        return made

    # ------------------------------------------------------------------ the author

    def ask_author(self, current: str, first: bool) -> str | None:
        dialog = AuthorDialog(current, self, first=first)
        return dialog.name if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ensure_author(self) -> bool:
        """Before the first save ever: ask the name versions carry. False if the user cancels."""
        if stored_author() is None:
            name = self.ask_author(plan_document.default_author(), True)
            if not name:
                return False
            self._set_author(name)
        return True

    def change_author(self) -> None:
        name = self.ask_author(author_name(), False)
        if name:
            self._set_author(name)

    def _set_author(self, name: str) -> None:
        store_author(name)
        for window in type(self).windows:
            if window.editing is not None:
                window.editing.document.author = name
            dialog = getattr(window, "versions_dialog", None)
            if dialog is not None:
                dialog.set_author(name)

    def save(self) -> bool:
        if self.editing is None or not self.ensure_author():
            return False
        self.editing.document.author = author_name()
        self._finish_merges()
        return self._saved(super().save())

    def save_as(self) -> bool:
        if self.editing is None or not self.ensure_author():
            return False
        self.editing.document.author = author_name()
        self._finish_merges()
        return self._saved(super().save_as())

    def _saved(self, done: bool) -> bool:
        """After a save: an open Versions dialog lists the version just recorded."""
        if done and self.versions_dialog is not None and self.editing is not None:
            with contextlib.suppress(PlanError):
                self.versions_dialog.show_versions(self.editing.document.versions())
        return done

    def ask_comment(self) -> str | None:
        text, ok = QInputDialog.getMultiLineText(
            self, "Save Version with Comment",
            "What this version is (optional), e.g. \"Approved by the board\":",
        )  # fmt: skip
        return text if ok else None

    def save_with_comment(self) -> bool:
        editing = self.editing
        if editing is None or not self.ensure_author():
            return False
        comment = self.ask_comment()
        if comment is None:
            return False
        with _comment_on_next_save(editing.document, comment.strip() or None):
            return self.save()

    def maybe_save(self) -> bool:
        # A version shown read-only holds nothing to lose: it is still in the plan's file.
        editing = self.editing
        if (
            self.version_shown is not None
            and editing is not None
            and editing.document.read_only
            and editing.undo_stack.count() == 0
        ):
            return True
        return super().maybe_save()

    def shown_name(self, document: plan_document.PlanDocument) -> str:
        """The plan's name in the title bar: its file, its title, or the version shown."""
        if document.path is not None:
            return document.path.name
        title = document.plan.title or "Untitled"
        return f"{title}, {self.version_shown}" if self.version_shown else title

    # ------------------------------------------------------------------ compare

    def ask_plan_path(self, caption: str) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self, caption, str(Path.home()), "Plans (*.psplan);;All files (*)"
        )
        return path

    def compare_with_file(self) -> CompareDialog | None:
        """File ▸ Compare With…: what changed from the chosen file to the plan as it is now."""
        editing = self.editing
        if editing is None:
            return None
        chosen = self.ask_plan_path("Compare With")
        if not chosen:
            return None
        path = Path(chosen)
        document = editing.document

        def differences() -> list[diff.Difference]:
            with plan_document.PlanDocument.open(path, read_only=True) as other:
                return diff.compare(other.rows(), document.rows())

        try:
            found = run_busy(self, f"Comparing with {path.name}…", differences)
        except PlanError as error:
            self.tell(str(error))
            return None
        return self._show_compare(found, path.name, "this plan")

    def compare_with_version(self, version_id: str) -> CompareDialog | None:
        editing = self.editing
        if editing is None:
            return None
        document = editing.document
        try:
            found = diff.compare(document.version_rows(version_id), document.rows())
        except PlanError as error:
            self.tell(str(error))
            return None
        return self._show_compare(found, self._version_label(version_id), "this plan")

    def _show_compare(self, found: list[diff.Difference], before: str, after: str) -> CompareDialog:
        assert self.editing is not None
        plan = self.editing.plan
        dialog = run_compare(self, found, before, after, plan.title or "Plan",
                             plan.organization or "", self.go_to_difference)  # fmt: skip
        self.compare_dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self._forget_compare(dialog))
        return dialog

    def _forget_compare(self, dialog: CompareDialog) -> None:
        if dialog in self.compare_dialogs:
            self.compare_dialogs.remove(dialog)

    def go_to_difference(self, kind: str, item_id: str) -> None:
        """Show the item a difference is about, if this plan still holds it."""
        if kind in kinds.TREE_KINDS and not self.tree_model.index_of(item_id).isValid():
            self.statusBar().showMessage("That item is not in this plan any more.", 6000)
            return
        if kind in _CATALOG_KINDS:
            self.go_to_field(kind, item_id, "")
        else:
            self.go_to(kind, item_id)
        self.raise_()
        self.activateWindow()

    def _version_label(self, version_id: str) -> str:
        assert self.editing is not None
        for version in self.editing.document.versions():
            if version.id == version_id:
                return f"the version of {local_time(version.saved_at)} by {version.author}"
        return "an earlier version"

    # ------------------------------------------------------------------ merge

    def ask_merge(self, dialog: MergeDialog) -> bool:
        return bool(dialog.exec() == QDialog.DialogCode.Accepted)

    def merge_copy(self) -> bool:
        """File ▸ Merge Copy…: the returned copy's changes, conflicts decided, as one undo step."""
        editing = self.editing
        if editing is None:
            return False
        document = editing.document
        if document.read_only:
            self.tell(f"{document.display_name} is open read-only; nothing can be merged into it.")
            return False
        chosen = self.ask_plan_path("Merge Copy")
        if not chosen:
            return False
        path = Path(chosen).absolute()

        def prepare() -> tuple[copies.CopyMerge, str, str | None]:
            prepared = copies.prepare_merge(document, path)
            _ = prepared.merge.taken  # worked out here, off the interface thread
            return (prepared, *describe_copy(document, path))

        revision = document.revision
        try:
            prepared, who, base_text = run_busy(self, f"Comparing with {path.name}…", prepare)
        except PlanError as error:
            self.tell(str(error))
            return False
        dialog = MergeDialog(prepared, who, base_text, self)
        if not self.ask_merge(dialog):
            self.statusBar().showMessage("Merge cancelled; the plan is unchanged.", 6000)
            return False
        # The dialog is modal, so the plan is still the one merged; reading it again is slow.
        mine = prepared.merge.mine if document.revision == revision else document.rows()
        operations = merge.edits_to_reach(mine, prepared.merge.result())
        if operations and not editing.push_many(operations, f"Merge from {who}'s copy"):
            return False
        if operations:
            stack = editing.undo_stack
            self._pending_merges().append((editing, stack.command(stack.index() - 1), prepared))
        else:
            copies.finish_merge(document, prepared)
        if operations:
            self.statusBar().showMessage(f"Merged {who}'s copy; Undo takes the merge back.", 8000)
        else:
            self.statusBar().showMessage(f"Nothing to merge: this plan already holds "
                                         f"everything in {path.name}.", 8000)  # fmt: skip
        return True

    def _pending_merges(self) -> list[tuple[PlanEditing, QUndoCommand | None, copies.CopyMerge]]:
        if not hasattr(self, "pending_merges"):
            self.pending_merges: list[
                tuple[PlanEditing, QUndoCommand | None, copies.CopyMerge]
            ] = []
        return self.pending_merges

    def _finish_merges(self) -> None:
        """Before a save: share the history of each merged copy whose merge is still applied.

        Not at the merge itself: `finish_merge` takes in the other copy's versions,
        which makes its newest version the merge base; were the merge then undone,
        merging that copy again would find nothing to take.
        """
        editing = self.editing
        pending = self._pending_merges()
        if editing is None:
            pending.clear()
            return
        stack = editing.undo_stack
        applied = [stack.command(index) for index in range(stack.index())]
        for owner, command, prepared in pending:
            if owner is editing and any(done is command for done in applied):
                copies.finish_merge(editing.document, prepared)
        pending.clear()

    # ------------------------------------------------------------------ versions

    def show_versions(self) -> VersionsDialog | None:
        """File ▸ Versions…: beside the window, so an opened version or comparison can be read."""
        editing = self.editing
        if editing is None:
            return None
        if self.versions_dialog is not None:
            self.versions_dialog.close()
        try:
            versions = editing.document.versions()
        except PlanError as error:
            self.tell(str(error))
            return None
        dialog = VersionsDialog(versions, editing.document.display_name, author_name(), self)
        dialog.open_requested.connect(self.open_version)
        dialog.compare_requested.connect(self.compare_with_version)
        dialog.restore_requested.connect(self.restore_version)
        dialog.author_change_requested.connect(self.change_author)
        self.versions_dialog = dialog
        dialog.finished.connect(lambda _result: self._forget_versions(dialog))
        # Its versions are this plan's: when the plan closes, so does the list.
        editing.destroyed.connect(dialog.close)
        dialog.show()
        return dialog

    def _forget_versions(self, dialog: VersionsDialog) -> None:
        if self.versions_dialog is dialog:
            self.versions_dialog = None

    def open_version(self, version_id: str) -> CopiesCommands | None:
        """A version in a window of its own, read-only: a record of what was, not a draft.

        Save As from there keeps it as a new plan file (with no history of its own);
        to go back to it in this plan, Restore it instead.
        """
        editing = self.editing
        if editing is None:
            return None
        try:
            rows = editing.document.version_rows(version_id)
            label = self._version_label(version_id)
            version = plan_document.PlanDocument.create(
                lambda session: rowmap.write_rows(session.connection(), rows)
            )
        except PlanError as error:
            self.tell(str(error))
            return None
        version.read_only = True
        # Marked in the working copy too, so that after a crash it is not offered for recovery.
        version.working.write_info(read_only=True)
        window = type(self)()
        window.version_shown = label
        window.show()
        window.set_document(version)
        return window

    def restore_version(self, version_id: str) -> bool:
        """Bring the plan back to a version, as one ordinary undo step."""
        editing = self.editing
        if editing is None:
            return False
        document = editing.document
        if document.read_only:
            self.tell(f"{document.display_name} is open read-only; nothing can be restored in it.")
            return False
        try:
            target = document.version_rows(version_id)
            when = next((local_time(v.saved_at) for v in document.versions()
                         if v.id == version_id), "")  # fmt: skip
        except PlanError as error:
            self.tell(str(error))
            return False
        operations = merge.edits_to_reach(document.rows(), target)
        if not operations:
            self.statusBar().showMessage("The plan already holds that version.", 6000)
            return True
        if not editing.push_many(operations, f"Restore Version of {when}".strip()):
            return False
        self.statusBar().showMessage(f"Restored the version of {when}; Undo takes it back.", 8000)
        return True
