"""Comparing two states of a plan item by item, under the plan's own numbering and names.

Works on row maps (see `rowmap`), so it compares two files, a file with one of
its versions, or two versions alike.  Each `Difference` says what happened
(added, removed, moved, changed), to what, where in the outline it stands,
and which item a reader should be taken to.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from planstudio.model.formatting import money
from planstudio.model.kinds import DEFAULT_LEVEL_LABELS, KINDS, Kind
from planstudio.model.numbering import child_number
from planstudio.model.rowmap import PARENT, POSITION, Row, RowMap, child_index

Action = Literal["added", "removed", "moved", "changed"]

TREE_KINDS = ("goal_area", "objective", "strategy", "action_step")
CATALOG_KINDS = ("funding_source", "role", "monitoring_method")
# Rows that belong to another item and are told as a change of it.
_OWNED = {
    "measure": "objective",
    "target": "measure",
    "actual": "measure",
    "phase": "strategy",
    "review": "action_step",
    "funding_link": "action_step",
    "role_link": "action_step",
    "implementation_link": "action_step",
    "effectiveness_link": "action_step",
}
_CATALOG_PLACES = {
    "funding_source": "Funding sources",
    "role": "Roles",
    "monitoring_method": "Monitoring methods",
}
_LINK_FIELDS = {
    "role_link": "roles",
    "implementation_link": "implementation monitoring",
    "effectiveness_link": "effectiveness monitoring",
    "funding_link": "funding",
}
_TITLE_FIELDS = ("title", "statement", "text", "name")


@dataclass(frozen=True)
class Difference:
    action: Action
    kind: str
    item_id: str
    place: str  # "2A.1.b", "Plan", "Roles"
    subject: str  # 'Action Step "Hire two coaches"'
    field: str | None = None
    old: Any = None
    new: Any = None
    moved_from: str | None = None
    # The item a reader is taken to: the row's own item, or the one it belongs to.
    goto_kind: str = ""
    goto_id: str = ""

    def line(self) -> str:
        """One line, as `planstudio diff` prints it."""
        if self.action == "changed":
            return f"{self.place}  {self.field}: {show(self.old)} → {show(self.new)}"
        if self.action == "moved":
            return f"{self.place}  moved {self.subject} from {self.moved_from}"
        if self.field is not None:
            value = self.new if self.action == "added" else self.old
            return f"{self.place}  {self.field}: {self.action} {show(value)}"
        return f"{self.place}  {self.action} {self.subject}"

    def as_json(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}


def show(value: Any) -> str:
    """A value as a diff line shows it: text quoted, empty as (empty)."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return json.dumps(value, ensure_ascii=False)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Long text as (tag, words) runs: tag is "=", "-" or "+"."""
    before, after = (old or "").split(), (new or "").split()
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("=", " ".join(before[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", " ".join(before[i1:i2])))
        if j2 > j1:
            runs.append(("+", " ".join(after[j1:j2])))
    return runs


# ---------------------------------------------------------------------------- places


class _Outline:
    """Numbers and names of one state of the plan, for telling where a row stands."""

    def __init__(self, rows: RowMap, index: dict[tuple[str, str], list[str]] | None = None
                 ) -> None:  # fmt: skip
        self.rows = rows
        plan = next(iter(rows.get("plan", {}).values()), {})
        labels = list(plan.get("level_labels") or [])
        self.labels = [
            labels[i] if i < len(labels) and labels[i] else DEFAULT_LEVEL_LABELS[i]
            for i in range(4)
        ]
        self.index = child_index(rows) if index is None else index
        self.numbers: dict[str, str] = {}
        plan_id = next(iter(rows.get("plan", {})), "")
        self._number(plan_id, "", 0)

    def _number(self, parent_id: str, parent_number: str, level: int) -> None:
        if level == len(TREE_KINDS):
            return
        for index, item_id in enumerate(self.index.get((TREE_KINDS[level], parent_id), [])):
            number = child_number(parent_number, level + 1, index)
            self.numbers[item_id] = number
            self._number(item_id, number, level + 1)

    def title(self, kind: str, item_id: str) -> str:
        row = self.rows.get(kind, {}).get(item_id, {})
        for name in _TITLE_FIELDS:
            if row.get(name):
                text = " ".join(str(row[name]).split())
                return text if len(text) <= 60 else text[:59] + "…"
        return ""

    def subject(self, kind: str, item_id: str) -> str:
        label = self.kind_label(kind)
        title = self.title(kind, item_id)
        return f'{label} "{title}"' if title else label

    def kind_label(self, kind: str) -> str:
        if kind in TREE_KINDS:
            return self.labels[TREE_KINDS.index(kind)]
        return KINDS[kind].label

    def place(self, kind: str, item_id: str) -> str:
        """Where a row stands: its outline number, or that of the item it belongs to."""
        if kind in TREE_KINDS:
            return self.numbers.get(item_id, "?")
        if kind == "plan":
            return "Plan"
        if kind == "ga_general":
            return "General information"
        if kind in _CATALOG_PLACES:
            return _CATALOG_PLACES[kind]
        owner = self.owner(kind, item_id)
        if owner is None:
            return "?"
        place = self.place(*owner)
        if kind in ("target", "actual"):
            return place  # the measure's own place already names it
        if kind == "measure":
            return f'{place} measure "{self.title(kind, item_id)}"'
        return place

    def owner(self, kind: str, item_id: str) -> tuple[str, str] | None:
        owner_kind = _OWNED.get(kind)
        if owner_kind is None:
            return None
        parent = self.rows.get(kind, {}).get(item_id, {}).get(PARENT)
        return (owner_kind, parent) if parent else None

    def goto(self, kind: str, item_id: str) -> tuple[str, str]:
        """The item a reader is taken to for a row: the nearest one the outline shows."""
        current: tuple[str, str] | None = (kind, item_id)
        while current is not None and current[0] not in (*TREE_KINDS, *CATALOG_KINDS, "plan"):
            if current[0] == "ga_general":
                plan_id = next(iter(self.rows.get("plan", {})), "")
                return ("plan", plan_id)
            current = self.owner(*current)
        return current or (kind, item_id)


# ---------------------------------------------------------------------------- comparing


def compare(old: RowMap, new: RowMap) -> list[Difference]:
    """Every difference from `old` to `new`, in outline order of the newer plan."""
    before, after = _Outline(old), _Outline(new)
    found: list[Difference] = []
    for kind in KINDS.values():
        old_rows, new_rows = old.get(kind.name, {}), new.get(kind.name, {})
        for item_id, row in new_rows.items():
            previous = old_rows.get(item_id)
            if previous is None:
                if not _comes_with_owner(kind, item_id, after, old):
                    found.append(_added(kind, item_id, row, after))
            elif previous != row:
                found.extend(_changed(kind, item_id, previous, row, before, after))
        for item_id, row in old_rows.items():
            if item_id not in new_rows and not _comes_with_owner(kind, item_id, before, new):
                found.append(_removed(kind, item_id, row, before, after))
        found.extend(_reordered(kind, old, new, before, after))
    order = _sort_keys(after, before)
    found.sort(key=lambda d: order(d))
    return found


def _comes_with_owner(kind: Kind, item_id: str, outline: _Outline, other: RowMap) -> bool:
    """A link, point or review added or removed with its whole item is told with that item."""
    owner = outline.owner(kind.name, item_id)
    return owner is not None and owner[1] not in other.get(owner[0], {})


def _goto(outline: _Outline, kind: str, item_id: str) -> dict[str, str]:
    goto_kind, goto_id = outline.goto(kind, item_id)
    return {"goto_kind": goto_kind, "goto_id": goto_id}


def _link_text(kind: Kind, row: Row, outline: _Outline) -> str:
    ref = kind.fields[0]
    assert ref.ref is not None
    entry = outline.title(ref.ref, str(row.get(ref.name)))
    if kind.name != "funding_link":
        return entry
    parts = [entry]
    if row.get("year"):
        parts.append(str(row["year"]))
    if row.get("amount") is not None:
        parts.append(money(row["amount"]))
    return " ".join(parts)


def _point_text(kind: Kind, row: Row) -> str:
    if kind.name in ("target", "actual", "phase"):
        value = row.get("value", row.get("phase"))
        return f"{row.get('year')}: {show(value)}"
    if kind.name == "review":
        return f"{row.get('date')} {row.get('status')}"
    return ""


def _sub_field(kind: Kind) -> str | None:
    if kind.name in _LINK_FIELDS:
        return _LINK_FIELDS[kind.name]
    if kind.name in ("target", "actual", "phase", "review"):
        return {"target": "targets", "actual": "actuals", "phase": "phases",
                "review": "reviews"}[kind.name]  # fmt: skip
    return None


def _added(kind: Kind, item_id: str, row: Row, after: _Outline) -> Difference:
    field = _sub_field(kind)
    if field is not None:
        value = _link_text(kind, row, after) if kind.is_link else _point_text(kind, row)
        return Difference("added", kind.name, item_id, after.place(kind.name, item_id),
                          after.subject(kind.name, item_id), field, None, value,
                          **_goto(after, kind.name, item_id))  # fmt: skip
    place, subject = after.place(kind.name, item_id), after.subject(kind.name, item_id)
    return Difference(
        "added", kind.name, item_id, place, subject, **_goto(after, kind.name, item_id)
    )


def _removed(kind: Kind, item_id: str, row: Row, before: _Outline, after: _Outline) -> Difference:
    field = _sub_field(kind)
    # Taken to the owner as it is now, if it still exists; else where it was.
    goto = before.goto(kind.name, item_id)
    exists = goto[1] in after.rows.get(goto[0], {})
    place = after.place(*goto) if exists and field is not None else before.place(kind.name, item_id)
    if field is not None:
        value = _link_text(kind, row, before) if kind.is_link else _point_text(kind, row)
        return Difference("removed", kind.name, item_id, place,
                          before.subject(kind.name, item_id), field, value, None,
                          goto_kind=goto[0], goto_id=goto[1])  # fmt: skip
    return Difference("removed", kind.name, item_id, place, before.subject(kind.name, item_id),
                      goto_kind=goto[0], goto_id=goto[1])  # fmt: skip


def _changed(
    kind: Kind, item_id: str, old: Row, new: Row, before: _Outline, after: _Outline
) -> Iterable[Difference]:
    place = after.place(kind.name, item_id)
    subject = after.subject(kind.name, item_id)
    goto = _goto(after, kind.name, item_id)
    if old.get(PARENT) != new.get(PARENT) and kind.name in TREE_KINDS:
        yield Difference("moved", kind.name, item_id, place, subject,
                         moved_from=before.place(kind.name, item_id), **goto)  # fmt: skip
    prefix = ""
    if kind.is_link:
        prefix = f"{_LINK_FIELDS[kind.name]} {_link_text(kind, old, before)} "
    elif kind.name in ("target", "actual", "phase", "review"):
        key = old.get("year") or old.get("date")
        prefix = f"{kind.label.lower()} {key} " if key else f"{kind.label.lower()} "
    for spec in kind.fields:
        if old.get(spec.name) != new.get(spec.name):
            yield Difference("changed", kind.name, item_id, place, subject,
                             f"{prefix}{spec.name.replace('_', ' ')}",
                             old.get(spec.name), new.get(spec.name), **goto)  # fmt: skip


def _reordered(
    kind: Kind, old: RowMap, new: RowMap, before: _Outline, after: _Outline
) -> Iterable[Difference]:
    """Items that changed places among siblings that stayed (not those pushed by an insert)."""
    if kind.name not in (*TREE_KINDS, "measure", *CATALOG_KINDS):
        return
    old_rows, new_rows = old.get(kind.name, {}), new.get(kind.name, {})
    parents = {row.get(PARENT) for row in new_rows.values()}
    for parent in parents:
        if parent is None:
            continue
        now = [i for i in after.index.get((kind.name, parent), [])
               if i in old_rows and old_rows[i].get(PARENT) == parent]  # fmt: skip
        was = [i for i in before.index.get((kind.name, parent), []) if i in now]
        if now == was:
            continue
        kept: set[str] = set()
        matcher = difflib.SequenceMatcher(a=was, b=now, autojunk=False)
        for block in matcher.get_matching_blocks():
            kept.update(now[block.b : block.b + block.size])
        for item_id in now:
            if item_id not in kept:
                yield Difference("moved", kind.name, item_id, after.place(kind.name, item_id),
                                 after.subject(kind.name, item_id),
                                 moved_from=before.place(kind.name, item_id),
                                 **_goto(after, kind.name, item_id))  # fmt: skip


def _sort_keys(after: _Outline, before: _Outline) -> Any:
    kind_order = {name: index for index, name in enumerate(KINDS)}

    def outline_key(number: str) -> tuple[Any, ...]:
        # "2A.1.b" sorts as (2, "A", 1, "b"): numbers by value, letters by length then text.
        parts: list[Any] = []
        token = ""
        for char in number:
            if token and char.isdigit() != token[-1].isdigit():
                parts.append(_part(token))
                token = ""
            if char != ".":
                token += char
        if token:
            parts.append(_part(token))
        return tuple(parts)

    def key(difference: Difference) -> tuple[Any, ...]:
        outline = after if difference.goto_id in after.numbers else before
        number = outline.numbers.get(difference.goto_id)
        section = 1 if number is not None else (0 if difference.goto_kind == "plan" else 2)
        position = after.rows.get(difference.kind, {}).get(difference.item_id, {}).get(POSITION, 0)
        kind = kind_order.get(difference.kind, 99)
        return (section, outline_key(number or ""), difference.goto_kind, kind, position or 0,
                difference.field or "")  # fmt: skip

    return key


def _part(token: str) -> tuple[int, int, str]:
    return (0, int(token), "") if token.isdigit() else (1, len(token), token.lower())
