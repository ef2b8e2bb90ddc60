"""Working with another copy of a plan: compare with it, merge it in, bring a plan to a state.

The window and the command line both go through here, so that `planstudio merge`
and File ▸ Merge Copy… find the same common version and the same conflicts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planstudio.model import interchange
from planstudio.model.document import PlanDocument
from planstudio.model.edits import EditOp
from planstudio.model.merge import Merge, edits_to_reach, merge
from planstudio.model.rowmap import PARENT, RowMap, align_plan


@dataclass
class CopyMerge:
    """A merge of another copy, ready for its conflicts to be resolved and then applied."""

    merge: Merge
    theirs_path: Path
    theirs_head: str | None

    @property
    def theirs_name(self) -> str:
        return self.theirs_path.name

    def edits(self, mine: RowMap | None = None) -> list[EditOp]:
        """The edits that bring `mine` (the plan as it is now; by default, as it was when the
        merge was prepared) to the merged plan."""
        return edits_to_reach(self.merge.mine if mine is None else mine, self.merge.result())


def prepare_merge(
    document: PlanDocument, theirs_path: Path, theirs: PlanDocument | None = None
) -> CopyMerge:
    """Merge `theirs_path` into the open `document` (nothing is changed yet).

    `theirs` is that copy already open (read-only), for a caller that finishes the merge
    at once; otherwise it is opened here.
    """
    with _open_unless_given(theirs_path, theirs) as theirs:
        base_id = document.merge_base(theirs)
        base = document.version_rows(base_id) if base_id is not None else None
        result = merge(base, document.rows(), theirs.rows())
        return CopyMerge(result, Path(theirs_path), theirs.head_version())


def finish_merge(
    document: PlanDocument, prepared: CopyMerge, theirs: PlanDocument | None = None
) -> None:
    """Once the merge is kept: share the other copy's history from now on.

    A later merge of that copy then starts from its latest version, so call this only
    for a merge that stands (the window does it at the next save, and only if the
    merge's undo step is still applied; it opens the copy again then, since the file may
    have changed meanwhile).  The command line, which finishes at once, passes the copy it
    merged, still open: opening a 10,000-step plan twice was a sixth of the merge.
    """
    with _open_unless_given(prepared.theirs_path, theirs) as theirs:
        document.adopt_versions(theirs)
    document.merged_from = prepared.theirs_head


@contextlib.contextmanager
def _open_unless_given(path: Path, opened: PlanDocument | None) -> Iterator[PlanDocument]:
    """The other copy: `opened` when the caller has it open, else opened read-only here."""
    if opened is not None:
        yield opened
        return
    with PlanDocument.open(path, read_only=True) as theirs:
        yield theirs


def apply_all(document: PlanDocument, operations: Sequence[EditOp]) -> None:
    for operation in operations:
        document.apply(operation)


def target_of(document: PlanDocument, content: Any) -> RowMap:
    """The rows of an interchange document, as the plan open in `document` would hold them."""
    interchange.validate(content)
    with PlanDocument.from_interchange(content) as built:
        rows = built.rows()
    current = document.rows()
    rows = align_plan(current, rows)
    _keep_ids_of_rows_without_ids(current, rows)
    return rows


# Rows the interchange form gives no id: the same row is the one with the same natural key.
_NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "role_link": ("role_id",),
    "implementation_link": ("monitoring_method_id",),
    "effectiveness_link": ("monitoring_method_id",),
    "funding_link": ("funding_source_id", "year"),
    "target": ("year",),
    "actual": ("year",),
    "phase": ("year",),
    "review": ("date", "status"),
}


def _keep_ids_of_rows_without_ids(current: RowMap, target: RowMap) -> None:
    """Give a target's id-less rows (links, points, reviews) the ids they already have here,
    so that an unchanged link is not removed and added again."""
    for kind, names in _NATURAL_KEYS.items():
        waiting: dict[tuple[Any, ...], list[str]] = {}
        for item_id, row in current.get(kind, {}).items():
            key = (row.get(PARENT), *(row.get(name) for name in names))
            waiting.setdefault(key, []).append(item_id)
        renamed: dict[str, dict[str, Any]] = {}
        for item_id, row in target.get(kind, {}).items():
            key = (row.get(PARENT), *(row.get(name) for name in names))
            ids = waiting.get(key)
            renamed[ids.pop(0) if ids else item_id] = row
        target[kind] = renamed
